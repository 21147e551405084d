#include "core/nhs_number.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>

namespace tendon {
namespace {

constexpr std::size_t kLength = 10;
constexpr std::size_t kGroupedLength = 12;  // "943 476 5919"
constexpr std::size_t kFirstGap = 3;        // Index of the first separator in the 3-3-4 form.
constexpr std::size_t kSecondGap = 7;       // Index of the second.
constexpr std::size_t kFirstGroup = 3;
constexpr std::size_t kSecondGroup = 3;
constexpr int kModulus = 11;
constexpr std::string_view kTestPrefix = "999";
constexpr std::uint32_t kStemsPerBlock = 9;    // Usable ninth digits per five-digit block.
constexpr std::size_t kBlockDigits = 5;        // Digits 4-8, after the 999 prefix.
constexpr std::uint32_t kBlocksUsed = 99'999;  // 00000-99998; see nhs_number.h.
static_assert(kTestNhsNumberCapacity == kBlocksUsed * kStemsPerBlock);
constexpr std::string_view kExample = "for example 943 476 5919";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == ' ' || c == '-'; }

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// The first character that is neither a digit nor a separator, described for a message.
std::optional<std::string> StrayCharacter(std::string_view text) {
  for (char c : text) {
    if (IsDigit(c) || IsSeparator(c)) continue;
    const bool printable = c > ' ' && c < '\x7f';
    return printable ? "'" + std::string(1, c) + "'" : std::string("a character");
  }
  return std::nullopt;
}

// True when `text` is 3-3-4 digits split by one kind of separator at both gaps.
bool IsGrouped(std::string_view text) {
  if (text.size() != kGroupedLength) return false;
  const char sep = text[kFirstGap];
  if (!IsSeparator(sep) || text[kSecondGap] != sep) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != kFirstGap && i != kSecondGap && !IsDigit(text[i])) return false;
  }
  return true;
}

// Checks the shape of the input and returns its ten digits.
StatusOr<std::string> DigitsOf(std::string_view text, const std::string& field) {
  if (auto stray = StrayCharacter(text)) {
    return InvalidArgumentError("contains " + *stray + ", which is not a digit; an NHS number is " +
                                    "ten digits, " + std::string(kExample),
                                field);
  }
  std::string digits;
  std::copy_if(text.begin(), text.end(), std::back_inserter(digits), IsDigit);
  if (digits.size() != kLength) {
    return InvalidArgumentError("has " + std::to_string(digits.size()) +
                                    " digits; an NHS number has ten, " + std::string(kExample),
                                field);
  }
  if (text.size() != kLength && !IsGrouped(text)) {
    return InvalidArgumentError(
        "spaces or hyphens may only split the number 3-3-4, " + std::string(kExample), field);
  }
  return digits;
}

// The Modulus 11 check value (0-10) of nine ASCII digits.
int CheckValue(std::string_view nine_digits) {
  int sum = 0;
  for (std::size_t i = 0; i < nine_digits.size(); ++i) {
    sum += (nine_digits[i] - '0') * static_cast<int>(kLength - i);
  }
  const int check = kModulus - sum % kModulus;
  return check == kModulus ? 0 : check;
}

std::string ZeroPadded(std::uint32_t value, std::size_t width) {
  std::string out = std::to_string(value);
  out.insert(0, width - std::min(width, out.size()), '0');
  return out;
}

}  // namespace

StatusOr<std::string> ParseNhsNumber(std::string_view text, std::string_view field) {
  const std::string name(field);
  text = TrimSpaces(text);
  if (text.empty()) return InvalidArgumentError("is required", name);
  ASSIGN_OR_RETURN(std::string digits, DigitsOf(text, name));
  if (std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; })) {
    return InvalidArgumentError("is not an NHS number: all ten digits are the same", name);
  }
  const std::optional<char> check = NhsCheckDigit(std::string_view(digits).substr(0, kLength - 1));
  if (!check) {
    return InvalidArgumentError(
        "is not an NHS number: its first nine digits give a check value of 10, which is never "
        "issued",
        name);
  }
  if (*check != digits.back()) {
    return InvalidArgumentError("the check digit does not match; check for a mistyped digit", name);
  }
  return digits;
}

std::optional<char> NhsCheckDigit(std::string_view nine_digits) {
  if (nine_digits.size() != kLength - 1) return std::nullopt;
  if (!std::all_of(nine_digits.begin(), nine_digits.end(), IsDigit)) return std::nullopt;
  const int check = CheckValue(nine_digits);
  if (check == kModulus - 1) return std::nullopt;
  return static_cast<char>('0' + check);
}

std::string FormatNhsNumber(std::string_view digits) {
  if (digits.size() != kLength || !std::all_of(digits.begin(), digits.end(), IsDigit)) {
    return std::string(digits);
  }
  return std::string(digits.substr(0, kFirstGroup)) + ' ' +
         std::string(digits.substr(kFirstGroup, kSecondGroup)) + ' ' +
         std::string(digits.substr(kFirstGroup + kSecondGroup));
}

StatusOr<std::string> MakeTestNhsNumber(std::uint32_t serial) {
  if (serial >= kTestNhsNumberCapacity) {
    return InvalidArgumentError("there are only " + std::to_string(kTestNhsNumberCapacity) +
                                    " test NHS numbers; serial " + std::to_string(serial) +
                                    " is past the last",
                                "serial");
  }
  const std::string block =
      std::string(kTestPrefix) + ZeroPadded(serial / kStemsPerBlock, kBlockDigits);
  std::uint32_t skip = serial % kStemsPerBlock;
  for (char ninth = '0'; ninth <= '9'; ++ninth) {
    const std::string stem = block + ninth;
    const std::optional<char> check = NhsCheckDigit(stem);
    if (!check) continue;
    if (skip-- == 0) return stem + *check;
  }
  return InternalError("no usable ninth digit for a test NHS number");  // Unreachable; tested.
}

}  // namespace tendon
