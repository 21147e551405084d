#include "auth/tokens.h"

#include <sodium.h>

#include <cstdint>

namespace tendon::auth {
namespace {

constexpr std::size_t kTokenBytes = 32;

std::string Hex(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.pop_back();
  return out;
}

}  // namespace

Status InitSodium() {
  static const int result = sodium_init();
  if (result < 0) return InternalError("libsodium could not be initialised");
  return OkStatus();
}

std::string RandomToken() {
  (void)InitSodium();
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  return Hex(bytes, sizeof bytes);
}

std::string RandomBase32(int n) {
  static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  (void)InitSodium();
  // One draw for the whole string: 32 divides 256, so a byte's low five bits are uniform.
  std::string out(static_cast<std::size_t>(n), '0');
  randombytes_buf(out.data(), out.size());
  for (char& c : out) c = kCrockford[static_cast<unsigned char>(c) & 31];
  return out;
}

std::string RandomDigits(int n) {
  constexpr std::uint32_t kDigits = 10;
  (void)InitSodium();
  std::string out(static_cast<std::size_t>(n), '0');
  for (char& c : out) c = static_cast<char>('0' + randombytes_uniform(kDigits));
  return out;
}

std::string HashToken(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(digest, sizeof digest);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tendon::auth
