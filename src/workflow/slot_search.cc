#include "workflow/slot_search.h"

#include <cmath>
#include <set>

#include "core/postcode.h"
#include "workflow/internal.h"
#include "workflow/need.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

constexpr int kMinutesPerHour = 60;
constexpr int kHoursPerDay = 24;
constexpr std::string_view kClockShape = "must be a time of day as HH:MM, from 00:00 to 24:00";

// Reads one JSON object's members, noting each malformed one under `prefix` ("preferences.") and,
// at the end, every member it was never asked about.
class Reader {
 public:
  Reader(const json& object, std::string prefix, std::vector<FieldError>& errors)
      : object_(object), prefix_(std::move(prefix)), errors_(errors) {}

  // The member, or nullptr when absent or null.
  const json* Get(const std::string& name) {
    seen_.insert(name);
    const auto it = object_.find(name);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  std::string Text(const std::string& name) {
    const json* v = Get(name);
    if (v == nullptr) return "";
    if (v->is_string()) return internal::Trim(v->get<std::string>());
    Fail(name, "must be text");
    return "";
  }

  // The member as a list, each item read with `read` (none when the item is not allowed, which
  // fails the member with `why`).
  template <typename T, typename Read>
  std::vector<T> List(const std::string& name, Read read, const char* why) {
    std::vector<T> out;
    const json* v = Get(name);
    if (v == nullptr) return out;
    if (!v->is_array()) {
      Fail(name, "must be a list");
      return out;
    }
    for (const json& item : *v) {
      std::optional<T> value = read(item);
      if (!value) {
        Fail(name, why);
        return {};
      }
      out.push_back(*value);
    }
    return out;
  }

  void Fail(const std::string& name, std::string message) {
    errors_.push_back({prefix_ + name, std::move(message)});
  }

  void Fail(const Status& status) { Fail(status.field(), status.message()); }

  void RefuseUnknown() {
    for (const auto& [key, value] : object_.items()) {
      if (!seen_.contains(key)) Fail(key, "is not a field of a slot search");
    }
  }

 private:
  const json& object_;
  std::string prefix_;
  std::vector<FieldError>& errors_;
  std::set<std::string> seen_;
};

// A parser's value, or none with the failure noted on `reader`.
template <typename T>
std::optional<T> Noted(Reader& reader, StatusOr<T> value) {
  if (value.ok()) return *value;
  reader.Fail(value.status());
  return std::nullopt;
}

std::optional<std::string> TextItem(const json& item) {
  if (!item.is_string()) return std::nullopt;
  return item.get<std::string>();
}

std::optional<int> DayItem(const json& item) {
  if (!item.is_number_integer()) return std::nullopt;
  const int day = item.get<int>();
  if (day < 1 || day > 7) return std::nullopt;
  return day;
}

std::optional<Modality> ModalityItem(const json& item) {
  if (!item.is_string()) return std::nullopt;
  auto modality = ParseModality(item.get<std::string>());
  return modality.ok() ? std::optional<Modality>(*modality) : std::nullopt;
}

scheduling::Need ReadNeed(Reader& r) {
  scheduling::Need need;
  const std::string type = r.Text("type");
  if (type.empty()) {
    r.Fail("type", "is required: new, follow_up, injection, physioline or group");
  } else if (auto parsed = Noted(r, ParseSlotType(type, "type"))) {
    need.type = *parsed;
  }
  if (const std::string modality = r.Text("modality"); !modality.empty()) {
    need.modality = Noted(r, ParseModality(modality, "modality"));
  }
  if (const std::string priority = r.Text("priority"); !priority.empty()) {
    need.priority = Noted(r, ParsePriority(priority, "priority")).value_or(Priority::kRoutine);
  }
  need.skill = r.Text("skill");
  r.RefuseUnknown();
  return need;
}

void ReadTime(Reader& r, const char* name, int& minutes) {
  const std::string text = r.Text(name);
  if (text.empty()) return;
  if (auto parsed = Noted(r, ParseClockTime(text, name))) minutes = *parsed;
}

scheduling::Preferences ReadPreferences(Reader& r, std::vector<FieldError>& errors) {
  scheduling::Preferences p;
  p.sites = r.List<std::string>("sites", TextItem, "must be a list of site ids");
  p.weekdays = r.List<int>("weekdays", DayItem, "a weekday is from 1 (Monday) to 7 (Sunday)");
  p.modalities =
      r.List<Modality>("modalities", ModalityItem, "must list face_to_face, video or telephone");
  const std::size_t before = errors.size();
  ReadTime(r, "earliest_time", p.earliest_minute);
  ReadTime(r, "latest_time", p.latest_minute);
  if (errors.size() == before && p.earliest_minute >= p.latest_minute) {
    r.Fail("latest_time", "must be after the earliest time");
  }
  if (const json* km = r.Get("max_km")) {
    if (!km->is_number() || !std::isfinite(km->get<double>()) || km->get<double>() < 0) {
      r.Fail("max_km", "must be 0 (any distance) or a positive number of km");
    } else {
      p.max_km = km->get<double>();
    }
  }
  r.RefuseUnknown();
  return p;
}

void ReadOrderAndLimit(Reader& r, SlotSearchRequest& request) {
  const std::string order = r.Text("order");
  if (order == "nearest") {
    request.order = SearchOrder::kNearest;
  } else if (!order.empty() && order != "earliest") {
    r.Fail("order", "must be earliest or nearest");
  }
  if (const json* limit = r.Get("limit")) {
    const bool whole = limit->is_number_integer();
    const auto n = whole ? limit->get<std::int64_t>() : 0;
    if (n < 1 || n > static_cast<std::int64_t>(kMaxSearchLimit)) {
      r.Fail("limit", "must be a whole number from 1 to " + std::to_string(kMaxSearchLimit));
    } else {
      request.limit = static_cast<std::size_t>(n);
    }
  }
}

// The object member `name`, read with `read` under "name."; an empty object when absent.
template <typename Read>
auto Nested(Reader& r, const char* name, std::vector<FieldError>& errors, Read read) {
  static const json kEmpty = json::object();
  const json* v = r.Get(name);
  if (v != nullptr && !v->is_object()) r.Fail(name, "must be an object");
  Reader inner(v != nullptr && v->is_object() ? *v : kEmpty, std::string(name) + ".", errors);
  return read(inner);
}

}  // namespace

std::string_view ToString(SearchOrder order) {
  return order == SearchOrder::kNearest ? "nearest" : "earliest";
}

StatusOr<int> ParseClockTime(std::string_view text, std::string_view field) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return InvalidArgumentError(std::string(kClockShape), std::string(field));
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes >= kMinutesPerHour || hours > kHoursPerDay || (hours == kHoursPerDay && minutes)) {
    return InvalidArgumentError(std::string(kClockShape), std::string(field));
  }
  return hours * kMinutesPerHour + minutes;
}

std::string FormatClockTime(int minutes) {
  const int hours = minutes / kMinutesPerHour;
  const int rest = minutes % kMinutesPerHour;
  return (hours < 10 ? "0" : "") + std::to_string(hours) + ":" + (rest < 10 ? "0" : "") +
         std::to_string(rest);
}

Parsed<SlotSearchRequest> ParseSlotSearch(const json& body) {
  Parsed<SlotSearchRequest> parsed;
  SlotSearchRequest request;
  Reader r(body, "", parsed.errors);
  request.referral_id = r.Text("referral_id");
  if (r.Get("need") != nullptr) {
    request.need = Nested(r, "need", parsed.errors, ReadNeed);
  }
  if (request.referral_id.empty() == !request.need.has_value()) {
    r.Fail(request.need ? "need" : "referral_id",
           request.need ? "give a referral_id or a need, not both"
                        : "give the referral_id, or the need to search for");
  }
  request.postcode_district = r.Text("postcode_district");
  if (!request.postcode_district.empty()) {
    if (!request.referral_id.empty()) {
      r.Fail("postcode_district", "is taken from the patient's record when a referral is given");
    } else if (auto district = Noted(r, ParsePostcodeDistrict(request.postcode_district))) {
      request.postcode_district = *district;
    }
  }
  request.preferences = Nested(r, "preferences", parsed.errors, [&](Reader& inner) {
    return ReadPreferences(inner, parsed.errors);
  });
  ReadOrderAndLimit(r, request);
  r.RefuseUnknown();
  if (parsed.errors.empty()) parsed.value = std::move(request);
  return parsed;
}

scheduling::Origin OriginOfDistrict(std::string_view district,
                                    const std::vector<config::PostcodeDistrict>& districts) {
  for (const config::PostcodeDistrict& d : districts) {
    if (d.district == district) return {d.latitude, d.longitude, true};
  }
  return {};
}

scheduling::Origin OriginOf(std::string_view postcode,
                            const std::vector<config::PostcodeDistrict>& districts) {
  auto parsed = ParsePostcode(postcode);
  if (!parsed.ok()) return {};
  return OriginOfDistrict(parsed->district(), districts);
}

StatusOr<std::vector<scheduling::Candidate>> SearchFreeSlots(
    const Env& env, const scheduling::Need& need, const scheduling::Preferences& prefs,
    const scheduling::Origin& origin, SearchOrder order, std::size_t limit, Instant now) {
  store::SlotQuery query;
  query.from = now;
  query.to = now + kSearchHorizon;
  query.type = need.type;
  query.modality = need.modality;
  query.free_only = true;
  ASSIGN_OR_RETURN(std::vector<Slot> slots, env.store.ListSlots(query));
  ASSIGN_OR_RETURN(std::vector<Site> sites, env.store.ListSites());
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, env.store.ListClinicians());
  scheduling::SiteLocations places;
  for (const Site& s : sites) places.emplace(s.id, scheduling::LatLon{s.latitude, s.longitude});
  scheduling::ClinicianSkills skills;
  for (Clinician& c : clinicians) skills.emplace(c.id, std::move(c.skills));
  if (order == SearchOrder::kNearest) {
    return scheduling::SearchNearestSlots(slots, need, prefs, origin, places, skills, now, limit);
  }
  return scheduling::SearchSlots(slots, need, prefs, origin, places, skills, now, limit);
}

StatusOr<scheduling::Need> ReferralNeed(const Env& env, std::string_view referral_id) {
  RETURN_IF_ERROR(env.store.GetReferral(referral_id).status());
  ASSIGN_OR_RETURN(std::vector<PathwayEvent> events, env.store.ListEvents(referral_id));
  return NeedOf(events);
}

StatusOr<std::vector<scheduling::NextAvailableFigure>> NextAvailable(const Env& env, Instant now) {
  store::SlotQuery query;
  query.from = now;
  query.to = now + kSearchHorizon;
  query.free_only = true;
  ASSIGN_OR_RETURN(std::vector<Slot> slots, env.store.ListSlots(query));
  ASSIGN_OR_RETURN(std::vector<Clinician> clinicians, env.store.ListClinicians());
  return scheduling::NextAvailableByTier(slots, clinicians, now, env.calendar);
}

}  // namespace tendon::workflow
