#include "workflow/internal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

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

bool FieldReader::Given(std::string_view name) {
  seen_.insert(std::string(name));
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return false;
  return !it->is_string() || !Trim(it->get_ref<const std::string&>()).empty();
}

std::optional<int> FieldReader::Int(std::string_view name) {
  if (!Given(name)) return std::nullopt;
  const nlohmann::json& value = *object_.find(name);
  if (value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()) {
      return static_cast<int>(n);
    }
  } else if (value.is_string()) {
    const std::string text = Trim(value.get_ref<const std::string&>());
    int n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error == std::errc() && end == text.data() + text.size()) return n;
  }
  Fail(name, "must be a whole number");
  return std::nullopt;
}

std::optional<double> FieldReader::Number(std::string_view name) {
  if (!Given(name)) return std::nullopt;
  const nlohmann::json& value = *object_.find(name);
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string text = Trim(value.get_ref<const std::string&>());
    double n = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (error == std::errc() && end == text.data() + text.size() && std::isfinite(n)) return n;
  }
  Fail(name, "must be a number");
  return std::nullopt;
}

std::vector<std::string> FieldReader::Texts(std::string_view name, std::size_t max) {
  std::vector<std::string> items;
  if (!Given(name)) return items;
  const nlohmann::json& value = *object_.find(name);
  if (!value.is_array() ||
      !std::all_of(value.begin(), value.end(), [](const auto& v) { return v.is_string(); })) {
    Fail(name, "must be a list of text");
    return items;
  }
  for (const nlohmann::json& v : value) {
    std::string item = Trim(v.get_ref<const std::string&>());
    if (item.size() > max) {
      Fail(name, "each must be at most " + std::to_string(max) + " characters");
      return {};
    }
    if (!item.empty()) items.push_back(std::move(item));
  }
  return items;
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

Status QueueReturned(const Env& env, store::WriteTxn& txn, const Referral& referral,
                     const std::vector<std::string>& missing, Instant now) {
  Notification notice;
  notice.kind = "referral.returned";
  notice.patient_key = referral.patient_key;
  notice.referral_id = referral.id;
  notice.payload = nlohmann::json{{"reference", referral.id},
                                  {"missing", missing},
                                  {"organisation", referral.referrer_organisation}}
                       .dump();
  notice.created_at = now;
  if (referral.source != ReferralSource::kSelf) {
    if (env.timing.gp_letters_mailbox.empty()) return OkStatus();
    notice.channel = Channel::kEmail;
    notice.recipient = env.timing.gp_letters_mailbox;
  }
  return txn.EnqueueNotification(notice).status();
}

}  // namespace tendon::workflow::internal
