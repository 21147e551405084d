// Password hashing for tendon accounts: Argon2id through libsodium (crypto_pwhash_str), with
// libsodium's "interactive" cost, in its self-describing string format (algorithm, cost and salt
// travel with the hash, so the cost can rise later without invalidating stored hashes).
#ifndef TENDON_AUTH_PASSWORD_H_
#define TENDON_AUTH_PASSWORD_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon::auth {

inline constexpr std::size_t kMinPasswordLength = 12;
inline constexpr std::size_t kMaxPasswordLength = 256;

// OK when `password` meets the policy: 12 to 256 characters. InvalidArgument naming "password"
// otherwise, saying why.
Status CheckPasswordPolicy(std::string_view password);

// The Argon2id hash of `password` (which must meet the policy). Internal when libsodium cannot
// allocate the memory Argon2id needs.
StatusOr<std::string> HashPassword(std::string_view password);

// True when `password` matches `hash`. Takes the same time whatever the answer for a given hash.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A hash of a random password, to verify against when an account does not exist, so that a wrong
// username costs as long as a wrong password (no account enumeration by timing).
const std::string& DummyPasswordHash();

}  // namespace tendon::auth

#endif  // TENDON_AUTH_PASSWORD_H_
