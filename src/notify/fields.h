// What a queued message's template may say: the placeholder values of one message, from its
// payload, the patient's record, the sites and the service. Pure; any thread.
#ifndef TENDON_NOTIFY_FIELDS_H_
#define TENDON_NOTIFY_FIELDS_H_

#include <string>
#include <vector>

#include "core/records.h"
#include "core/status.h"
#include "notify/templates.h"

namespace tendon::notify {

// The service's side of every message (service.toml: name, and [notifications]).
struct ServiceContact {
  std::string service_name;   // "Oxfordshire community MSK service"
  std::string contact_phone;  // Where patients call to rebook or ask: "01865 000000".
  std::string portal_url;     // Where patients see their referral online.
};

// "Tuesday 24 November 2026 at 10:30am", London time.
std::string LongLondonTime(Instant t);
// "Tuesday 24 November 2026".
std::string LongDate(Date d);

// The fields of `message` to `patient`: given_name, family_name, service_name, contact_phone
// and portal_url; each payload member that is a string, number or true/false, by its name
// (arrays of strings joined with "; "); and, derived from them, NAME_text for a time
// (LongLondonTime), a date (LongDate) or a modality ("face to face", "telephone", "video"), and
// for each PREFIXsite_id naming a known site, PREFIXsite_name and PREFIXsite_address.
// InvalidArgument (field "payload") when the payload is not a JSON object.
StatusOr<Fields> MessageFields(const Notification& message, const Patient& patient,
                               const std::vector<Site>& sites, const ServiceContact& service);

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_FIELDS_H_
