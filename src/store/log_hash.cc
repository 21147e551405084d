#include "store/log_hash.h"

#include <sodium.h>

#include <cstdint>
#include <string_view>

namespace tendon::store {
namespace {

class Hasher {
 public:
  explicit Hasher(const ChainHash& previous) {
    crypto_hash_sha256_init(&state_);
    crypto_hash_sha256_update(&state_, previous.data(), previous.size());
  }
  Hasher& Add(std::string_view text) {
    Add(static_cast<std::int64_t>(text.size()));
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(text.data()),
                              text.size());
    return *this;
  }
  Hasher& Add(std::int64_t value) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    crypto_hash_sha256_update(&state_, bytes, sizeof bytes);
    return *this;
  }
  ChainHash Finish() {
    ChainHash out;
    crypto_hash_sha256_final(&state_, out.data());
    return out;
  }

 private:
  crypto_hash_sha256_state state_;
};

template <typename E>
std::string_view OptionalName(const std::optional<E>& value) {
  return value ? ToString(*value) : std::string_view();
}

}  // namespace

ChainHash ChainEvent(const ChainHash& previous, const PathwayEvent& e) {
  Hasher h(previous);
  h.Add(e.id).Add(e.referral_id).Add(e.patient_key).Add(ToString(e.type));
  h.Add(ToString(e.state_after)).Add(ToUnixMillis(e.occurred_at)).Add(ToUnixMillis(e.recorded_at));
  h.Add(e.actor).Add(e.site).Add(OptionalName(e.tier)).Add(OptionalName(e.service_line));
  h.Add(ToString(e.priority)).Add(e.payload);
  return h.Finish();
}

ChainHash ChainAudit(const ChainHash& previous, const AuditEntry& a) {
  Hasher h(previous);
  h.Add(a.id).Add(ToUnixMillis(a.at)).Add(a.actor).Add(a.role).Add(a.patient_key).Add(a.action);
  h.Add(a.reason);
  return h.Finish();
}

std::string ToHex(const ChainHash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(hash.size() * 2);
  for (unsigned char byte : hash) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xf];
  }
  return out;
}

}  // namespace tendon::store
