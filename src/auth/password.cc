#include "auth/password.h"

#include <sodium.h>

#include "auth/tokens.h"

namespace tendon::auth {

Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return InvalidArgumentError(
        "must be at least " + std::to_string(kMinPasswordLength) + " characters", "password");
  }
  if (password.size() > kMaxPasswordLength) {
    return InvalidArgumentError(
        "must be at most " + std::to_string(kMaxPasswordLength) + " characters", "password");
  }
  return OkStatus();
}

StatusOr<std::string> HashPassword(std::string_view password) {
  RETURN_IF_ERROR(CheckPasswordPolicy(password));
  RETURN_IF_ERROR(InitSodium());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return InternalError("Argon2id could not allocate its memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (!InitSodium().ok() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    auto hashed = HashPassword(RandomToken());
    return hashed.ok() ? *hashed : std::string();
  }();
  return hash;
}

}  // namespace tendon::auth
