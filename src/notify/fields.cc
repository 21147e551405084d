#include "notify/fields.h"

#include <date/date.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "core/london_time.h"

namespace tendon::notify {
namespace {

using nlohmann::json;

constexpr std::string_view kSiteId = "site_id";
constexpr std::string_view kModality = "modality";
constexpr int kMinutesPerHour = 60;
constexpr int kNoon = 12;

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

bool EndsWith(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// "10:30am", "12pm", "2:05pm": the NHS style for times.
std::string ClockTime(std::chrono::minutes since_midnight) {
  const int minutes = static_cast<int>(since_midnight.count());
  const int hour24 = minutes / kMinutesPerHour;
  const int minute = minutes % kMinutesPerHour;
  const int hour12 = hour24 % kNoon == 0 ? kNoon : hour24 % kNoon;
  std::string text = std::to_string(hour12);
  if (minute != 0) text += (minute < 10 ? ":0" : ":") + std::to_string(minute);
  return text + (hour24 < kNoon ? "am" : "pm");
}

std::string ScalarText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump();
}

// The member as text, or nothing for an object, null or an array holding anything but strings.
std::optional<std::string> MemberText(const json& value) {
  if (value.is_string() || value.is_number() || value.is_boolean()) return ScalarText(value);
  if (!value.is_array()) return std::nullopt;
  std::string joined;
  for (const json& item : value) {
    if (!item.is_string()) return std::nullopt;
    joined += (joined.empty() ? "" : "; ") + item.get<std::string>();
  }
  return joined;
}

// The plain-words forms of a member, where its name or value has one.
void AddDerived(const std::string& name, const std::string& value, const std::vector<Site>& sites,
                Fields& fields) {
  if (auto instant = ParseInstant(value); instant.ok()) {
    fields[name + "_text"] = LongLondonTime(*instant);
  } else if (auto day = ParseDate(value); day.ok()) {
    fields[name + "_text"] = LongDate(*day);
  }
  if (EndsWith(name, kModality)) {
    std::string words = value;
    for (char& c : words) c = c == '_' ? ' ' : c;
    fields[name + "_text"] = words;
  }
  if (EndsWith(name, kSiteId)) {
    const std::string prefix = name.substr(0, name.size() - kSiteId.size());
    for (const Site& site : sites) {
      if (site.id != value) continue;
      fields[prefix + "site_name"] = site.name;
      fields[prefix + "site_address"] = site.address;
    }
  }
}

}  // namespace

std::string LongDate(Date d) {
  const date::year_month_day ymd(d);
  const date::weekday weekday(d);
  return std::string(kWeekdays[weekday.c_encoding()]) + " " +
         std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         kMonths[static_cast<unsigned>(ymd.month()) - 1] + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string LongLondonTime(Instant t) {
  return LongDate(LondonDate(t)) + " at " + ClockTime(LondonTimeOfDay(t));
}

StatusOr<Fields> MessageFields(const Notification& message, const Patient& patient,
                               const std::vector<Site>& sites, const ServiceContact& service) {
  const json payload = json::parse(message.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return InvalidArgumentError("is not a JSON object", "payload");
  }
  Fields fields{{"given_name", patient.given_name},
                {"family_name", patient.family_name},
                {"service_name", service.service_name},
                {"contact_phone", service.contact_phone},
                {"portal_url", service.portal_url}};
  for (const auto& [name, value] : payload.items()) {
    std::optional<std::string> text = MemberText(value);
    if (!text) continue;
    fields[name] = *text;
    AddDerived(name, *text, sites, fields);
  }
  return fields;
}

}  // namespace tendon::notify
