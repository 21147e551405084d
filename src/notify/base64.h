// Base64 through libsodium, for email headers (RFC 2047) and JSON Web Tokens. Internal to notify.
#ifndef TENDON_NOTIFY_BASE64_H_
#define TENDON_NOTIFY_BASE64_H_

#include <string>
#include <string_view>

namespace tendon::notify {

// Standard base64 with padding ("aGk=").
std::string Base64(std::string_view bytes);
// URL-safe base64 without padding ("aGk"), as JSON Web Tokens use.
std::string Base64Url(std::string_view bytes);

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_BASE64_H_
