#include "workflow/portal.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "auth/tokens.h"
#include "core/london_time.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using nlohmann::json;

// The longest reference Begin reads: well above any reference tendon or an importer issues.
constexpr std::size_t kMaxReference = 40;
// The wait figures take in new events at most this often.
constexpr std::chrono::minutes kRefreshEvery{1};
// A date compared when no referral matched, so that both paths compare the same length.
constexpr std::string_view kNoDate = "0000-00-00";
constexpr std::string_view kPortalUserPrefix = "portal-";

std::string Field(const SignInFields& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? "" : internal::Trim(it->second);
}

// "ab12 cd-34" -> "AB12CD34"; empty when anything but letters, digits, spaces and hyphens is
// given, or it is too long.
std::string NormalReference(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '-') continue;
    if (!std::isalnum(u)) return "";
    out.push_back(static_cast<char>(std::toupper(u)));
  }
  return out.size() > kMaxReference ? "" : out;
}

std::string CodeHash(std::string_view challenge, std::string_view code) {
  return auth::HashToken(std::string(challenge) + ":" + std::string(code));
}

std::string PortalUserId(std::string_view patient_key) {
  return std::string(kPortalUserPrefix) + std::string(patient_key);
}

Actor PatientActor(std::string_view patient_key) {
  return {PortalUserId(patient_key), Role::kPatient, ""};
}

Status Throttled() {
  return Status(StatusCode::kAborted,
                "there have been too many attempts; wait 15 minutes, then try again", "attempts");
}

Status StartAgain(std::string reason) {
  return FailedPreconditionError(std::move(reason) + "; ask for a new code", "code");
}

// Whether the details typed match the referral: the date of birth compared in constant time, and
// compared (against a dummy) even when there is no referral.
StatusOr<std::optional<Referral>> Match(store::Store& store, const std::string& reference,
                                        const std::string& date_of_birth) {
  auto referral = store.GetReferral(reference);
  if (!referral.ok() && referral.status().code() != StatusCode::kNotFound) {
    return referral.status();
  }
  std::string recorded(kNoDate);
  if (referral.ok()) {
    auto patient = store.GetPatient(referral->patient_key);
    if (!patient.ok() && patient.status().code() != StatusCode::kNotFound) return patient.status();
    if (patient.ok() && patient->date_of_birth) recorded = FormatDate(*patient->date_of_birth);
  }
  const bool same = auth::ConstantTimeEquals(recorded, date_of_birth);
  if (!referral.ok() || !same) return std::optional<Referral>();
  return std::optional<Referral>(std::move(referral).value());
}

// "Wednesday 25 November 2026 at 09:30", London time.
std::string WhenWords(Instant t) {
  const Date day = LondonDate(t);
  const date::year_month_day ymd(day);
  const auto minutes = LondonTimeOfDay(t).count();
  const auto two = [](long n) { return (n < 10 ? "0" : "") + std::to_string(n); };
  return date::format("%A ", day) + std::to_string(static_cast<unsigned>(ymd.day())) +
         date::format(" %B %Y", day) + " at " + two(minutes / 60) + ":" + two(minutes % 60);
}

std::string ModalityWords(std::string_view modality) {
  if (modality == "face_to_face") return "face to face";
  if (modality == "video") return "by video";
  if (modality == "telephone") return "by telephone";
  return std::string(modality);
}

std::string Spaced(std::string_view name) {
  std::string text(name);
  std::replace(text.begin(), text.end(), '_', ' ');
  return text;
}

std::string PayloadText(const json& payload, const char* key) {
  const auto it = payload.find(key);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

// --- Signing in --------------------------------------------------------------------------------

ReferenceCodeSignIn::ReferenceCodeSignIn(store::Store& store, CodeSignInPolicy policy)
    : store_(store),
      policy_(policy),
      references_(policy.attempts_per_reference, policy.window),
      clients_(policy.attempts_per_client, policy.window) {}

Status ReferenceCodeSignIn::CheckThrottles(const std::string& reference, std::string_view client,
                                           Instant now) {
  if (!clients_.Allowed(std::string(client), now) || !references_.Allowed(reference, now)) {
    return Throttled();
  }
  return OkStatus();
}

void ReferenceCodeSignIn::CountAttempt(const std::string& reference, std::string_view client,
                                       Instant now) {
  clients_.RecordFailure(std::string(client), now);
  references_.RecordFailure(reference, now);
}

StatusOr<SignInStep> ReferenceCodeSignIn::Begin(const SignInFields& fields, std::string_view client,
                                                Instant now) {
  const std::string reference = NormalReference(Field(fields, "reference"));
  if (reference.empty()) {
    return InvalidArgumentError(
        "enter your referral reference, the letters and numbers we gave you", "reference");
  }
  auto date_of_birth = ParseDate(Field(fields, "date_of_birth"), "date_of_birth");
  if (!date_of_birth.ok()) {
    return InvalidArgumentError("enter your date of birth as a real date", "date_of_birth");
  }
  RETURN_IF_ERROR(CheckThrottles(reference, client, now));
  CountAttempt(reference, client, now);
  ASSIGN_OR_RETURN(std::optional<Referral> matched,
                   Match(store_, reference, FormatDate(*date_of_birth)));

  const std::string challenge = auth::RandomToken();
  const std::string code = auth::RandomDigits(policy_.code_digits);
  PortalCode pending;
  pending.challenge_hash = auth::HashToken(challenge);
  pending.reference = reference;
  pending.patient_key = matched ? matched->patient_key : "";
  // With no match the stored hash is of a code no one was sent.
  pending.code_hash = CodeHash(challenge, matched ? code : auth::RandomToken());
  pending.created_at = now;
  pending.expires_at = now + policy_.code_lifetime;
  RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.DeleteExpiredPortalCodes(now).status());
    RETURN_IF_ERROR(txn.InsertPortalCode(pending));
    if (!matched) return OkStatus();
    Notification notice;
    notice.kind = std::string(kNoticeSignInCode);
    notice.patient_key = matched->patient_key;
    notice.referral_id = matched->id;
    notice.payload = json{{"code", code},
                          {"expires_at", FormatInstant(pending.expires_at)},
                          {"minutes", policy_.code_lifetime.count()}}
                         .dump();
    notice.created_at = now;
    RETURN_IF_ERROR(txn.EnqueueNotification(notice).status());
    return internal::Audit(txn, PatientActor(matched->patient_key), matched->patient_key,
                           "portal.sign_in.code_sent", now);
  }));
  return SignInStep{challenge, ""};
}

StatusOr<PatientIdentity> ReferenceCodeSignIn::Complete(std::string_view challenge,
                                                        const SignInFields& fields,
                                                        std::string_view client, Instant now) {
  std::string code = Field(fields, "code");
  code.erase(std::remove(code.begin(), code.end(), ' '), code.end());
  const bool digits = std::all_of(
      code.begin(), code.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (std::ssize(code) != policy_.code_digits || !digits) {
    return InvalidArgumentError(
        "enter the " + std::to_string(policy_.code_digits) + "-digit code we sent you", "code");
  }
  if (!clients_.Allowed(std::string(client), now)) return Throttled();
  if (challenge.empty()) return StartAgain("this sign-in has ended");

  enum class Outcome { kSignedIn, kWrong, kThrottled };
  Outcome outcome = Outcome::kWrong;
  PortalCode pending;
  RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) -> Status {
    auto found = txn.GetPortalCode(auth::HashToken(challenge));
    if (found.status().code() == StatusCode::kNotFound) {
      return StartAgain("this sign-in has ended");
    }
    ASSIGN_OR_RETURN(pending, std::move(found));
    if (!references_.Allowed(pending.reference, now)) {
      outcome = Outcome::kThrottled;
      return OkStatus();
    }
    if (pending.used_at) return StartAgain("this code has been used");
    if (pending.expires_at <= now) return StartAgain("this code has expired");
    if (pending.attempts >= policy_.tries_per_code) {
      return StartAgain("this code has been tried too many times");
    }
    if (!auth::ConstantTimeEquals(pending.code_hash, CodeHash(challenge, code))) {
      ++pending.attempts;
      outcome = Outcome::kWrong;
      return txn.UpdatePortalCode(pending);
    }
    pending.used_at = now;
    outcome = Outcome::kSignedIn;
    RETURN_IF_ERROR(txn.UpdatePortalCode(pending));
    return internal::Audit(txn, PatientActor(pending.patient_key), pending.patient_key,
                           "portal.sign_in", now);
  }));
  if (outcome == Outcome::kThrottled) return Throttled();
  if (outcome == Outcome::kWrong) {
    CountAttempt(pending.reference, client, now);
    if (pending.attempts >= policy_.tries_per_code) {
      return StartAgain("this code has been tried too many times");
    }
    return InvalidArgumentError("the code is not right; check it and try again", "code");
  }
  references_.Reset(pending.reference);
  return PatientIdentity{pending.patient_key, pending.reference};
}

StatusOr<User> PortalUser(store::Store& store, const PatientIdentity& identity, Instant now) {
  const std::string id = PortalUserId(identity.patient_key);
  auto user = store.GetUser(id);
  if (user.status().code() == StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(Patient patient, store.GetPatient(identity.patient_key));
    User made;
    made.id = id;
    made.username = id;
    std::transform(made.username.begin(), made.username.end(), made.username.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    made.display_name = internal::Trim(patient.given_name + " " + patient.family_name);
    if (made.display_name.empty()) made.display_name = "Patient";
    made.role = Role::kPatient;
    made.patient_key = identity.patient_key;
    made.password_hash = "!";  // Matches no password: this account signs in through the portal.
    made.created_at = now;
    Status inserted = store.Write([&](store::WriteTxn& txn) { return txn.InsertUser(made); });
    if (!inserted.ok() && inserted.code() != StatusCode::kAlreadyExists) return inserted;
    user = store.GetUser(id);
  }
  RETURN_IF_ERROR(user.status());
  if (user->disabled) {
    return FailedPreconditionError("this patient's portal account is disabled", "patient_key");
  }
  return user;
}

// --- What the patient is shown -----------------------------------------------------------------

namespace {

bool Applies(const config::EventWording& wording, const PathwayEvent& event, const json& payload) {
  if (wording.type != event.type) return false;
  for (const auto& [key, value] : wording.when) {
    if (PayloadText(payload, key.c_str()) != value) return false;
  }
  return true;
}

std::string InstantWords(const json& payload, const char* key) {
  auto at = ParseInstant(PayloadText(payload, key), key);
  return at.ok() ? WhenWords(*at) : "a time not recorded";
}

// The value of placeholder `name` for `event`.
std::string Placeholder(std::string_view name, const PathwayEvent& event, const json& payload,
                        const SiteNames& sites, const config::PortalContent& content) {
  if (name == "start" || name == "expires_at" || name == "window_ends") {
    return InstantWords(payload, std::string(name).c_str());
  }
  if (name == "site") {
    const auto it = sites.find(event.site);
    return it == sites.end() ? "our service" : it->second.name;
  }
  if (name == "modality") return ModalityWords(PayloadText(payload, "modality"));
  if (name == "service_line") {
    auto line = ParseServiceLine(PayloadText(payload, "service_line"));
    if (!line.ok() && event.service_line) line = *event.service_line;
    return line.ok() ? content.advice.at(*line).title : "the right service";
  }
  if (name == "by") return PayloadText(payload, "by") == "patient" ? "you" : "the service";
  const std::string text = PayloadText(payload, std::string(name).c_str());
  return text.empty() ? "not recorded" : Spaced(text);
}

std::string Fill(const std::string& text, const PathwayEvent& event, const json& payload,
                 const SiteNames& sites, const config::PortalContent& content) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', at)) {
    const std::size_t close = text.find('}', open);
    out += text.substr(at, open - at);
    out += Placeholder(std::string_view(text).substr(open + 1, close - open - 1), event, payload,
                       sites, content);
    at = close + 1;
  }
  return out + text.substr(at);
}

}  // namespace

std::vector<TimelineEntry> Portal::Tell(const std::vector<PathwayEvent>& events,
                                        const SiteNames& sites) const {
  std::vector<TimelineEntry> entries;
  entries.reserve(events.size());
  for (const PathwayEvent& event : events) {
    const json payload = json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
    for (const config::EventWording& wording : content_.events) {
      if (!Applies(wording, event, payload)) continue;
      entries.push_back({event.occurred_at, Fill(wording.title, event, payload, sites, content_),
                         Fill(wording.text, event, payload, sites, content_)});
      break;
    }
  }
  return entries;
}

const config::StateWording& Portal::StateOf(ReferralState state) const {
  return content_.states.at(state);
}

const config::Advice& Portal::AdviceFor(const Referral& referral) const {
  if (!referral.service_line) return content_.general;
  return content_.advice.at(*referral.service_line);
}

std::string Portal::AuditWords(std::string_view action) const {
  constexpr std::string_view kDenied = ".denied";
  if (action.ends_with(kDenied)) return "Tried to see your record and was refused";
  for (const config::AuditWording& wording : content_.audit) {
    if (action.starts_with(wording.prefix)) return wording.text;
  }
  return "Used your record";
}

Status Portal::Refresh(store::Store& store, Instant now) {
  if (refreshed_ && now >= *refreshed_ && now - *refreshed_ < kRefreshEvery) return OkStatus();
  RETURN_IF_ERROR(store.ScanEvents(last_event_id_, [&](const PathwayEvent& event) {
    waits_.Add(event);
    last_event_id_ = event.id;
    return OkStatus();
  }));
  refreshed_ = now;
  return OkStatus();
}

StatusOr<std::size_t> Portal::Warm(store::Store& store, Instant now) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(Refresh(store, now));
  return waits_.waits().size();
}

StatusOr<std::optional<ExpectedWait>> Portal::WaitFor(store::Store& store, const Referral& referral,
                                                      const std::vector<PathwayEvent>& events,
                                                      Instant now) {
  constexpr ReferralState kWaiting[] = {
      ReferralState::kReceived, ReferralState::kReturnedIncomplete, ReferralState::kAwaitingTriage,
      ReferralState::kTriaged, ReferralState::kWaitingToBook};
  if (std::find(std::begin(kWaiting), std::end(kWaiting), referral.state) == std::end(kWaiting)) {
    return std::optional<ExpectedWait>();
  }
  ExpectedWait wait;
  wait.from = now;
  for (const PathwayEvent& e : events) {
    if (e.type == EventType::kAppointmentAttended) return std::optional<ExpectedWait>();
    if (e.type == EventType::kTriageCompleted &&
        PayloadText(json::parse(e.payload, nullptr, false), "outcome") == "accepted") {
      wait.from = e.occurred_at;
      wait.from_acceptance = true;
    }
  }
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(Refresh(store, now));
  wait.estimate =
      waits_.Estimate(referral.tier, referral.priority, referral.site_id, now, content_.wait);
  return std::optional<ExpectedWait>(wait);
}

StatusOr<std::vector<AccessRow>> AccessLog(store::Store& store, const Portal& portal,
                                           std::string_view patient_key, std::string_view self_id,
                                           bool show_names, int limit) {
  store::AuditFilter filter;
  filter.patient_key = std::string(patient_key);
  filter.limit = 1000;
  std::vector<AuditEntry> entries;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<AuditEntry> page, store.ListAudit(filter));
    entries.insert(entries.end(), page.begin(), page.end());
    if (std::ssize(page) < filter.limit) break;
    filter.after_id = page.back().id;
  }
  std::map<std::string, std::string> who_by_actor;
  std::vector<AccessRow> rows;
  for (auto it = entries.rbegin(); it != entries.rend() && std::ssize(rows) < limit; ++it) {
    auto [known, added] = who_by_actor.try_emplace(it->actor);
    if (added) {
      auto user = store.GetUser(it->actor);
      auto role = ParseRole(it->role);
      std::string who = role.ok() ? std::string(RoleLabel(*role)) : Spaced(it->role);
      if (it->actor == self_id || (user.ok() && user->patient_key == patient_key)) {
        who = "You";
      } else if (user.ok()) {
        if (!user->organisation.empty()) who += ", " + user->organisation;
        if (show_names && !user->display_name.empty()) who += " (" + user->display_name + ")";
      } else if (it->actor == kPublicActor) {
        who = "You, or someone helping you, referring yourself";
      }
      known->second = who;
    }
    rows.push_back({it->at, known->second, portal.AuditWords(it->action)});
  }
  return rows;
}

StatusOr<PatientAppointments> AppointmentsOf(store::Store& store, const SiteNames& sites,
                                             std::string_view referral_id, Instant now) {
  ASSIGN_OR_RETURN(std::vector<Appointment> appointments,
                   store.ListAppointmentsForReferral(referral_id));
  PatientAppointments out;
  for (Appointment& a : appointments) {
    ASSIGN_OR_RETURN(Slot slot, store.GetSlot(a.slot_id));
    std::optional<Site> site;
    if (auto it = sites.find(slot.site_id); it != sites.end()) site = it->second;
    const bool open =
        a.status == AppointmentStatus::kOffered || a.status == AppointmentStatus::kBooked;
    auto& list = open && slot.end > now ? out.upcoming : out.past;
    list.push_back({std::move(a), std::move(slot), std::move(site)});
  }
  auto by_start = [](const PatientAppointment& x, const PatientAppointment& y) {
    return x.slot.start < y.slot.start;
  };
  std::sort(out.upcoming.begin(), out.upcoming.end(), by_start);
  std::sort(
      out.past.begin(), out.past.end(),
      [&](const PatientAppointment& x, const PatientAppointment& y) { return by_start(y, x); });
  return out;
}

}  // namespace tendon::workflow
