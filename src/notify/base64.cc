#include "notify/base64.h"

#include <sodium.h>

namespace tendon::notify {
namespace {

std::string Encode(std::string_view bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.find('\0'));  // The encoder writes a terminating NUL within the length.
  return out;
}

}  // namespace

std::string Base64(std::string_view bytes) { return Encode(bytes, sodium_base64_VARIANT_ORIGINAL); }

std::string Base64Url(std::string_view bytes) {
  return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

}  // namespace tendon::notify
