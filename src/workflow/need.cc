#include "workflow/need.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tendon::workflow {
namespace {

using nlohmann::json;

// The payload's text member `name`; "" when absent or not text.
std::string PayloadText(const json& payload, const char* name) {
  const auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Accepted(const PathwayEvent& e, json& payload) {
  if (e.type != EventType::kTriageCompleted) return false;
  payload = json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  return payload.is_object() && PayloadText(payload, "outcome") == "accepted";
}

Modality DefaultModality(ServiceLine line) {
  return line == ServiceLine::kPhysioline ? Modality::kTelephone : Modality::kFaceToFace;
}

SlotType TypeFor(ServiceLine line, bool attended) {
  if (line == ServiceLine::kPhysioline) return SlotType::kPhysioline;
  if (attended) return SlotType::kFollowUp;
  return line == ServiceLine::kInjection ? SlotType::kInjection : SlotType::kNew;
}

}  // namespace

StatusOr<scheduling::Need> NeedOf(std::span<const PathwayEvent> events) {
  std::optional<std::size_t> accepted;
  json payload;
  for (std::size_t i = events.size(); i-- > 0;) {
    if (Accepted(events[i], payload)) {
      accepted = i;
      break;
    }
  }
  if (!accepted) {
    return FailedPreconditionError("the referral has not been accepted at triage", "referral_id");
  }
  std::optional<ServiceLine> line = events[*accepted].service_line;
  if (auto named = ParseServiceLine(PayloadText(payload, "service_line")); named.ok()) {
    line = *named;
  }
  if (!line) {
    return FailedPreconditionError("the triage outcome names no service line", "referral_id");
  }
  // A referral moved to another line since (physioline stepped up to physiotherapy) needs what
  // that line gives, not what triage chose for the first.
  if (events.back().service_line && *events.back().service_line != *line) {
    line = events.back().service_line;
    payload.erase("modality");
    payload.erase("skill");
  }
  bool attended = false;
  for (std::size_t i = *accepted + 1; i < events.size(); ++i) {
    attended = attended || events[i].type == EventType::kAppointmentAttended;
  }
  scheduling::Need need;
  need.type = TypeFor(*line, attended);
  auto modality = ParseModality(PayloadText(payload, "modality"));
  need.modality = modality.ok() ? *modality : DefaultModality(*line);
  need.skill = PayloadText(payload, "skill");
  if (need.skill.empty()) need.skill = std::string(ToString(*line));
  need.priority = events.back().priority;
  return need;
}

}  // namespace tendon::workflow
