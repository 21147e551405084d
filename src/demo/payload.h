// Building the JSON payloads of pathway events quickly and without a JSON library: flat objects of
// names, numbers, times and lists of names. Internal to the demo module.
#ifndef TENDON_DEMO_PAYLOAD_H_
#define TENDON_DEMO_PAYLOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace tendon::demo::internal {

// Appends `t` as FormatInstant writes it ("2026-11-24T08:14:46Z"), without streams.
void AppendInstant(std::string& out, Instant t);

class Payload {
 public:
  Payload() { text_.reserve(kReserve); }
  // Values are escaped for JSON (quotes, backslashes, control characters).
  Payload& Text(std::string_view key, std::string_view value);
  Payload& Number(std::string_view key, long value);
  Payload& Time(std::string_view key, Instant t);
  Payload& List(std::string_view key, std::string_view only_element);
  // The object, "{}" when empty. The payload is left empty.
  std::string Take();

 private:
  static constexpr std::size_t kReserve = 96;
  void Key(std::string_view key);
  void Quoted(std::string_view value);
  std::string text_;
};

// The string value of `key` in a flat JSON object written by Payload, or empty when absent. Only
// for payloads this module wrote (no general JSON parsing).
std::string_view PayloadText(std::string_view payload, std::string_view key);
// The whole-number value of `key` in such a payload, or nullopt when absent.
std::optional<long> PayloadNumber(std::string_view payload, std::string_view key);

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_PAYLOAD_H_
