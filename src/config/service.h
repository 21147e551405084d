// Loading a service's configuration and reference data from its folder (for the demo service,
// data/services/oxfordshire/, whose README.md gives every file's schema). Every file is read
// against a schema; a bad file is refused with an InvalidArgument whose message names the file, the
// line and what is wrong, for example "data/services/oxfordshire/sites.csv:4: rooms: 'ten' is not a
// whole number".
//
// Functions here have no state and may be called from any thread.
#ifndef TENDON_CONFIG_SERVICE_H_
#define TENDON_CONFIG_SERVICE_H_

#include <array>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/records.h"
#include "core/status.h"
#include "core/time.h"
#include "core/working_days.h"

namespace tendon::config {

struct Region {
  std::string name;     // "South", "Central Oxford", ...; unique.
  double demand_share;  // Share of referrals from the region, 0-1; the shares sum to 1.
};

struct PostcodeDistrict {
  std::string district;  // Outward code, "OX3"; unique.
  std::string area;      // "Headington, Marston".
  std::string region;    // One of the service's regions.
  double latitude = 0;   // Approximate centre, degrees; within the UK (49 to 61).
  double longitude = 0;  // Degrees east; within the UK (-9 to 2).
};

// What a did-not-attend at a referral's first appointment does: back to the booking list, due at
// once ("rebook"), or discharge back to the referrer ("discharge"). A later DNA always rebooks.
enum class FirstDna { kRebook, kDischarge };

// When the next action on a referral falls due, in working days (service.toml, [timing]).
struct Timing {
  // Triage, from registration or resubmission, by priority (indexed by Priority: emergency,
  // urgent, post_op, routine). 0: due at once.
  std::array<int, 4> triage_working_days{0, 1, 2, 5};
  int resubmit_working_days = 10;  // The referrer's time to complete a returned referral.
  int booking_working_days = 5;    // The booking team's time to offer an accepted referral a slot.
  std::chrono::minutes claim_timeout{30};  // A triage claim idle this long lapses.
  // What a patient's first appointment missed without notice does (service.toml [booking]
  // first_dna). A booking rule, kept here so that every workflow receives it with the timing.
  FirstDna first_dna = FirstDna::kRebook;
  // How many weeks ahead, from today, every clinic template's slots are kept generated: the
  // rolling horizon (service.toml [booking] horizon_weeks, 1 to kMaxHorizonWeeks).
  int horizon_weeks = 8;
  // How long an offered slot is held for the patient to accept, in working days (service.toml
  // [booking] offer_working_days); never past the slot's start.
  int offer_working_days = 2;
  // Patient-initiated follow-up (service.toml [pifu]): how many months after discharge a patient
  // may ask to be seen again, how many working days the booking team has to act on a request,
  // and how many days before the window closes the patient is reminded.
  int pifu_window_months = 6;
  int pifu_response_working_days = 5;
  int pifu_closing_notice_days = 14;
  // The secure mailbox that discharge letters to GPs go to (service.toml [letters] gp_mailbox),
  // for example an NHSmail address that files each letter into the named practice's records.
  // Empty: no letter is queued.
  std::string gp_letters_mailbox;
};

inline constexpr int kMaxHorizonWeeks = 104;

// How the delivery worker sends the outbox (service.toml [notifications], optional: without it
// nothing is sent). Email goes over SMTP ([notifications.smtp]) or through GOV.UK Notify
// (email_via = "notify"); text messages through Notify ([notifications.notify]). Secrets never
// sit in the file: the Notify API key is read from the environment variable api_key_env or the
// file api_key_file when the worker starts.
struct SmtpConfig {
  std::string host;
  int port = 25;
  std::string from;          // The sender's address.
  std::string from_name;     // Shown beside it; may be empty.
  std::string helo;          // This host's name in EHLO and Message-IDs.
  int timeout_seconds = 30;  // For a whole message.
  bool starttls = false;     // Require TLS (STARTTLS) before a message is sent.
  std::string ca_file;       // PEM authorities to trust for it; empty: the system's.
};

struct NotifyConfig {
  std::string base_url;
  std::string ca_file;      // PEM authorities to trust for base_url; empty: the system's.
  std::string api_key_env;  // One of these two names where the key is.
  std::string api_key_file;
  std::string sms_template_id;
  std::string email_template_id;
  int timeout_seconds = 30;  // For each request.
};

struct NotificationConfig {
  std::string contact_phone;  // Where patients call to rebook or ask.
  std::string portal_url;     // Where patients see their referral online.
  bool email_via_notify = false;
  int batch_size = 10;
  // A claim's lease: more than batch_size * 2 * the longest timeout (checked), so that a claim
  // outlasts its batch's sends (src/notify/worker.h).
  int lease_seconds = 900;
  int max_attempts = 8;
  int first_retry_seconds = 60;
  int max_retry_seconds = 6 * 60 * 60;
  int poll_seconds = 5;
  std::optional<SmtpConfig> smtp;
  std::optional<NotifyConfig> notify;
};

// Where a data directory keeps the service and the bank holidays (data/ in the repository).
inline constexpr char kServiceSubdir[] = "services/oxfordshire";
inline constexpr char kBankHolidaysFile[] = "bank-holidays-england-wales.csv";

struct ServiceConfig {
  std::string name;  // "Oxfordshire community MSK service"
  std::vector<Region> regions;
  // In file order. Ids are unique lower-case kebab ("marcham-road"); each site's region is one of
  // `regions`; rooms >= 1 and 0 <= weekly_clinic_days <= rooms; coordinates within the UK.
  std::vector<Site> sites;
  std::vector<PostcodeDistrict> districts;
  std::vector<std::string> localities;  // Unique names, "Oxford City", ...
  Date go_live{};                       // The service's first day (service.toml go_live).
  Timing timing;
  std::optional<NotificationConfig> notifications;  // service.toml [notifications].
  // Whether the patient portal's "Who has looked at my record" names the staff who did
  // (service.toml [portal] show_staff_names; off unless set): roles and organisations are always
  // shown.
  bool portal_show_staff_names = false;
};

// Every problem with a site's fields, as sites.csv and the administrator's pages apply them: an
// InvalidArgument per bad field, naming it (Site's member names, which are sites.csv's columns), in
// member order: id not lower-case kebab (csv.h IsKebabId); name or address empty; region not one
// of `regions`; latitude or longitude outside a box round the United Kingdom (49 to 61, -9 to 2);
// rooms below 1; weekly_clinic_days outside 0 to rooms. Empty when the site is valid.
std::vector<Status> SiteProblems(const Site& site, const std::vector<Region>& regions);

// Reads a whole file as bytes. NotFound when it does not exist; Unavailable when it cannot be
// opened or read (no permission, a directory, an I/O error). Messages start with the path.
StatusOr<std::string> ReadTextFile(const std::filesystem::path& path);

// Loads service.toml, regions.csv, sites.csv, districts.csv and localities.csv from `dir` and
// checks them against each other (every site and district names a known region; ids are unique;
// demand shares sum to 1 within 0.001). A missing file is NotFound; any content error is
// InvalidArgument reading "path:line: column: reason", where path is `dir` / the file name.
StatusOr<ServiceConfig> LoadService(const std::filesystem::path& dir);

// Loads a bank holiday file (date,name,status), such as data/bank-holidays-england-wales.csv, by
// WorkingCalendar::Parse; its errors name `path` as given.
StatusOr<WorkingCalendar> LoadWorkingCalendar(const std::filesystem::path& path);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_SERVICE_H_
