// Where a message to a patient goes: the channel and address taken from their record when the
// message is queued (hazard H055, a message sent to the wrong person). Pure functions; any thread.
#ifndef TENDON_CORE_CONTACT_H_
#define TENDON_CORE_CONTACT_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/records.h"
#include "core/status.h"

namespace tendon {

// A UK mobile number, which can take a text message: 07 and nine more digits, or +44 7 and nine
// more; spaces, hyphens and brackets between the digits are allowed.
bool IsUkMobileNumber(std::string_view phone);

// An email address in the shape "local@domain.tld", with no spaces or line breaks (so that it
// cannot smuggle a header or an SMTP command). Not a proof that the mailbox exists.
bool IsEmailAddress(std::string_view email);

struct Address {
  Channel channel = Channel::kEmail;
  std::string recipient;
};

// Where a message to `patient` goes. With `preferred`, that channel's address from the record;
// without, the email address when the record has one, else the phone number when it is a mobile.
// Email comes first because it can carry the whole message, with the way to rebook. The address
// is taken as recorded (trimmed). FailedPrecondition (field "recipient"), saying what is missing,
// when the record has no usable address for the channel.
StatusOr<Address> AddressFor(const Patient& patient, std::optional<Channel> preferred);

}  // namespace tendon

#endif  // TENDON_CORE_CONTACT_H_
