#include "workflow/internal.h"

namespace tendon::workflow::internal {

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

std::string FieldReader::Text(std::string_view name, std::size_t max) {
  seen_.insert(std::string(name));
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return "";
  if (!it->is_string()) {
    Fail(name, "must be text");
    return "";
  }
  std::string value = Trim(it->get_ref<const std::string&>());
  if (value.size() > max) {
    Fail(name, "must be at most " + std::to_string(max) + " characters");
    return "";
  }
  return value;
}

void FieldReader::Fail(std::string_view name, std::string message) {
  errors_.push_back({prefix_ + std::string(name), std::move(message)});
}

void FieldReader::RefuseUnknown() {
  for (const auto& [key, value] : object_.items()) {
    if (!seen_.contains(key)) Fail(key, "is not a field of this form");
  }
}

std::string ReturnOwner(const Referral& referral) {
  if (referral.referrer_organisation.empty()) return std::string(kReferralsTeam);
  return "referrer:" + referral.referrer_organisation;
}

PathwayEvent NewEvent(EventType type, const Actor& actor, Instant now,
                      const nlohmann::json& payload) {
  PathwayEvent e;
  e.type = type;
  e.occurred_at = now;
  e.actor = actor.user_id;
  e.payload = payload.dump();
  return e;
}

Status Audit(store::WriteTxn& txn, const Actor& actor, std::string_view patient_key,
             std::string_view action, Instant now, std::string reason) {
  return txn
      .AppendAudit({0, now, actor.user_id, std::string(ToString(actor.role)),
                    std::string(patient_key), std::string(action), std::move(reason)})
      .status();
}

}  // namespace tendon::workflow::internal
