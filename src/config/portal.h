// The patient portal's words, as data (data/portal/, whose README.md gives the schema): how each
// pathway event is told to the patient, what each state means now and next, how an expected wait
// is worked out, how each audit action reads, and the advice for each service line. Every file is
// read against its schema and a bad one is refused naming the file, the line and what is wrong.
// No state; any thread.
#ifndef TENDON_CONFIG_PORTAL_H_
#define TENDON_CONFIG_PORTAL_H_

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/pathway.h"
#include "core/schedule.h"
#include "core/status.h"
#include "core/waits.h"

namespace tendon::config {

// Where a data directory keeps the portal's files (data/ in the repository).
inline constexpr char kPortalSubdir[] = "portal";

// The placeholders a wording may use, filled by the portal from the event (workflow/portal.h):
// {start}, {expires_at} and {window_ends} (a date and time in London), {site} (the site's name),
// {modality}, {service_line}, {destination}, {reason} and {by} (in plain words).
inline constexpr std::string_view kPlaceholders[] = {"start",       "expires_at", "window_ends",
                                                     "site",        "modality",   "service_line",
                                                     "destination", "reason",     "by"};

// How one kind of event is told. It applies to an event of `type` whose payload has every
// `when` member equal to the text given; the first that applies, in file order, is used.
struct EventWording {
  EventType type = EventType::kReferralReceived;
  std::vector<std::pair<std::string, std::string>> when;
  std::string title;  // "Your appointment was booked".
  std::string text;   // A sentence or two, with placeholders.
};

// What a state means to the patient: where they are now, and what happens next.
struct StateWording {
  std::string now;
  std::string next;
};

// How an audit action ("referral.read") reads in the patient's own view of the audit log. The
// first whose `prefix` starts the action applies.
struct AuditWording {
  std::string prefix;
  std::string text;  // "Looked at your referral".
};

// Information for a service line (or, for `general`, before one is chosen).
struct Advice {
  std::string title;                      // "Physiotherapy".
  std::string about;                      // What the service is and what to expect.
  std::vector<std::string> self_care;     // Looking after yourself.
  std::vector<std::string> waiting_well;  // While you wait.
  std::vector<std::string> get_help;      // When to get help urgently.
};

struct PortalContent {
  std::vector<EventWording> events;              // Every event type has one with no `when`.
  std::map<ReferralState, StateWording> states;  // Every state.
  std::map<Modality, std::string> prepare;  // How to prepare for an appointment; every modality.
  WaitPolicy wait;
  std::vector<AuditWording> audit;
  Advice general;
  std::map<ServiceLine, Advice> advice;  // Every service line.
};

// Loads timeline.toml, audit.toml and advice/<name>.toml (general and one per service line, named
// as core names them: physiotherapy.toml, upper_limb.toml, ...) from `dir`. NotFound for a missing
// file; InvalidArgument "file:line: key: reason" for anything wrong in one, including an event
// type or state without wording, an unknown placeholder, or a misspelt key.
StatusOr<PortalContent> LoadPortalContent(const std::filesystem::path& dir);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_PORTAL_H_
