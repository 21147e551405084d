#include "sim/sinks.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace tendon::sim {
namespace {

constexpr double kDayMs = 86'400'000.0;

report::FoldOptions OptionsOf(const Plan& plan) {
  report::FoldOptions options;
  options.start =
      plan.start +
      std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(plan.warmup_days * kDayMs)));
  for (std::size_t i = 0; i < plan.site_ids.size(); ++i) {
    options.sites.push_back({plan.site_ids[i], plan.site_slots_per_week[i]});
  }
  return options;
}

Instant At(const Plan& plan, double days) {
  return plan.start +
         std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(days * kDayMs)));
}

std::string TriageOutcome(ReferralState state) {
  switch (state) {
    case ReferralState::kDischarged:
      return "discharged";
    case ReferralState::kOnwardReferred:
      return "onward";
    default:
      return "accepted";
  }
}

std::string ClosedReason(std::uint8_t reason) {
  switch (reason) {
    case 0:
      return "advice_at_triage";
    case 1:
      return "did_not_attend";
    default:
      return "discharged";
  }
}

nlohmann::json Payload(const Plan& plan, const Emitted& e, const std::string& appointment) {
  using E = EventType;
  nlohmann::json p = nlohmann::json::object();
  switch (e.type) {
    case E::kReferralReceived:
      p["source"] = std::string(ToString(static_cast<ReferralSource>(e.source)));
      break;
    case E::kTransferImported:
      p["list"] = "simulated backlog";
      p["waiting_since"] = FormatInstant(At(plan, e.since));
      break;
    case E::kTriageCompleted:
      p["outcome"] = TriageOutcome(e.state);
      break;
    case E::kAppointmentBooked:
      p["appointment_id"] = appointment;
      p["start"] = FormatInstant(
          At(plan, e.slot >= 0 ? plan.slot_start[static_cast<std::size_t>(e.slot)] : e.time));
      p["modality"] = std::string(ToString(e.modality));
      break;
    case E::kAppointmentCancelled:
      p["appointment_id"] = appointment;
      p["by"] = e.reason == 0 ? "patient" : "service";
      p["reason"] = e.reason == 0 ? "patient_request" : "clinician_sickness";
      break;
    case E::kAppointmentAttended:
    case E::kAppointmentDna:
      p["appointment_id"] = appointment;
      break;
    case E::kEpisodeDischarged:
      p["reason"] = "treatment_complete";
      break;
    case E::kPifuOpened:
      p["window_ends"] =
          FormatInstant(At(plan, e.time + plan.scenario.treatment.pifu_window_weeks * 7));
      break;
    case E::kOnwardReferred:
      p["destination"] = "orthopaedics";
      break;
    case E::kReferralClosed:
      p["reason"] = ClosedReason(e.reason);
      break;
    default:
      break;
  }
  return p;
}

}  // namespace

FoldSink::FoldSink(const Plan& plan)
    : plan_(plan), start_ms_(ToUnixMillis(plan.start)), fold_(OptionsOf(plan)) {}

void FoldSink::Emit(const Emitted& e) {
  report::FoldEvent f;
  f.type = e.type;
  f.state_after = e.state;
  f.referral = e.referral;
  // Times are never negative (a transfer's wait may have begun before the start).
  f.at_ms = start_ms_ + static_cast<std::int64_t>(e.time * kDayMs + 0.5);
  f.since_ms =
      e.type == EventType::kTransferImported ? start_ms_ + std::llround(e.since * kDayMs) : f.at_ms;
  f.site = e.site;
  f.tier = e.tier;
  f.priority = e.priority;
  fold_.Add(f);
}

report::FoldResults FoldSink::Results() const { return fold_.Results(At(plan_, plan_.end_days)); }

PathwayEvent ToPathwayEvent(const Plan& plan, const Emitted& e) {
  PathwayEvent out;
  const std::string id = "sim-" + std::to_string(e.referral);
  out.referral_id = id;
  out.patient_key = "sim-patient-" + std::to_string(e.referral);
  out.type = e.type;
  out.state_after = e.state;
  out.occurred_at = At(plan, e.time);
  out.recorded_at = out.occurred_at;
  out.actor = "sim";
  if (e.site >= 0) out.site = plan.site_ids[static_cast<std::size_t>(e.site)];
  if (e.tier >= 0) {
    out.tier = static_cast<Tier>(e.tier);
    out.service_line = e.line;
  }
  out.priority = e.priority;
  out.payload = Payload(plan, e, id + "-" + std::to_string(e.visit)).dump();
  return out;
}

}  // namespace tendon::sim
