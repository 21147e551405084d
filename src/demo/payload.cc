#include "demo/payload.h"

#include <chrono>

namespace tendon::demo::internal {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr unsigned char kFirstPrintable = 0x20;

void AppendDigits(std::string& out, long value, int width) {
  char buffer[8];
  for (int i = width - 1; i >= 0; --i) {
    buffer[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer, static_cast<std::size_t>(width));
}

}  // namespace

void AppendInstant(std::string& out, Instant t) {
  const Date day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss clock(t - Instant(day));
  AppendDigits(out, static_cast<int>(ymd.year()), 4);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  AppendDigits(out, clock.hours().count(), 2);
  out += ':';
  AppendDigits(out, clock.minutes().count(), 2);
  out += ':';
  AppendDigits(out, clock.seconds().count(), 2);
  if (clock.subseconds().count() != 0) {
    out += '.';
    AppendDigits(out, clock.subseconds().count(), 3);
  }
  out += 'Z';
}

void Payload::Key(std::string_view key) {
  text_ += text_.empty() ? '{' : ',';
  Quoted(key);
  text_ += ':';
}

void Payload::Quoted(std::string_view value) {
  text_ += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      text_ += '\\';
      text_ += c;
    } else if (static_cast<unsigned char>(c) < kFirstPrintable) {
      text_ += "\\u00";
      text_ += kHex[(c >> 4) & 0xF];
      text_ += kHex[c & 0xF];
    } else {
      text_ += c;
    }
  }
  text_ += '"';
}

Payload& Payload::Text(std::string_view key, std::string_view value) {
  Key(key);
  Quoted(value);
  return *this;
}

Payload& Payload::Number(std::string_view key, long value) {
  Key(key);
  text_ += std::to_string(value);
  return *this;
}

Payload& Payload::Time(std::string_view key, Instant t) {
  Key(key);
  text_ += '"';
  AppendInstant(text_, t);
  text_ += '"';
  return *this;
}

Payload& Payload::List(std::string_view key, std::string_view only_element) {
  Key(key);
  text_ += '[';
  Quoted(only_element);
  text_ += ']';
  return *this;
}

std::string Payload::Take() {
  if (text_.empty()) return "{}";
  text_ += '}';
  std::string out = std::move(text_);
  text_.clear();
  return out;
}

namespace {

// The position just after `"key":` in `payload`, or npos.
std::size_t ValueStart(std::string_view payload, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = payload.find(key, pos)) != std::string_view::npos) {
    const std::size_t end = pos + key.size();
    if (pos > 0 && payload[pos - 1] == '"' && payload.substr(end, 2) == "\":") return end + 2;
    pos = end;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view PayloadText(std::string_view payload, std::string_view key) {
  std::size_t start = ValueStart(payload, key);
  if (start == std::string_view::npos || start >= payload.size() || payload[start] != '"')
    return {};
  ++start;
  const std::size_t close = payload.find('"', start);
  if (close == std::string_view::npos) return {};
  return payload.substr(start, close - start);
}

std::optional<long> PayloadNumber(std::string_view payload, std::string_view key) {
  std::size_t pos = ValueStart(payload, key);
  if (pos == std::string_view::npos) return std::nullopt;
  const bool negative = pos < payload.size() && payload[pos] == '-';
  if (negative) ++pos;
  long value = 0;
  bool digits = false;
  for (; pos < payload.size() && payload[pos] >= '0' && payload[pos] <= '9'; ++pos) {
    value = value * 10 + (payload[pos] - '0');
    digits = true;
  }
  if (!digits) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace tendon::demo::internal
