// Random tokens for sessions and CSRF, and the hash under which a session token is stored.
#ifndef TENDON_AUTH_TOKENS_H_
#define TENDON_AUTH_TOKENS_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon::auth {

// Initialises libsodium once (thread-safe). Internal when it cannot.
Status InitSodium();

// 32 random bytes from the operating system's CSPRNG, as 64 lower-case hex characters.
std::string RandomToken();

// Lower-case hex SHA-256 of `token`: what the store keeps of a session token.
// `n` random characters of Crockford's base32 (0-9, A-Z less I, L, O and U): 5 bits each, for
// references people read out and type.
std::string RandomBase32(int n);

// `n` random decimal digits, each uniform: a one-time code people type from a message.
std::string RandomDigits(int n);

std::string HashToken(std::string_view token);

// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tendon::auth

#endif  // TENDON_AUTH_TOKENS_H_
