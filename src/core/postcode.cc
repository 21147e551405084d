#include "core/postcode.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tendon {
namespace {

constexpr std::size_t kInwardLength = 3;
constexpr std::size_t kMinLength = 5;  // A9 9AA without its space.
constexpr std::size_t kMaxLength = 7;  // AA9A 9AA without its space.
constexpr std::string_view kGirobank = "GIR0AA";
constexpr std::string_view kGirobankOutward = "GIR";
constexpr std::string_view kNotFirst = "QVX";
constexpr std::string_view kNotSecond = "IJZ";
constexpr std::string_view kThirdOfA9A = "ABCDEFGHJKPSTUW";
constexpr std::string_view kFourthOfAA9A = "ABEHMNPRVWXY";
constexpr std::string_view kNotInward = "CIKMOV";
constexpr std::string_view kExample = "a postcode looks like OX3 9DU";

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool In(std::string_view set, char c) { return set.find(c) != std::string_view::npos; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// "A9A" for "W1A": the shape of a code, letters as A and digits as 9.
std::string ShapeOf(std::string_view code) {
  std::string shape;
  for (char c : code) shape += IsLetter(c) ? 'A' : (IsDigit(c) ? '9' : '?');
  return shape;
}

// Why `outward` (upper case, no spaces) is not an outward code, or nullopt when it is one.
std::optional<std::string> OutwardProblem(std::string_view outward) {
  const std::string shape = ShapeOf(outward);
  if (shape != "A9" && shape != "A99" && shape != "AA9" && shape != "A9A" && shape != "AA99" &&
      shape != "AA9A") {
    return "the outward code '" + std::string(outward) +
           "' has none of the UK formats A9, A99, AA9, A9A, AA99 or AA9A";
  }
  if (In(kNotFirst, outward[0])) return std::string("the first letter cannot be Q, V or X");
  if (shape[1] == 'A' && In(kNotSecond, outward[1])) {
    return std::string("the second letter cannot be I, J or Z");
  }
  if (shape == "A9A" && !In(kThirdOfA9A, outward[2])) {
    return "in an outward code like W1A the last letter must be one of " + std::string(kThirdOfA9A);
  }
  if (shape == "AA9A" && !In(kFourthOfAA9A, outward[3])) {
    return "in an outward code like EC1A the last letter must be one of " +
           std::string(kFourthOfAA9A);
  }
  return std::nullopt;
}

// Why `inward` (upper case, three characters) is not an inward code, or nullopt when it is one.
std::optional<std::string> InwardProblem(std::string_view inward) {
  if (ShapeOf(inward) != "9AA") {
    return "the inward code '" + std::string(inward) +
           "' must be a digit and two letters, as in 9DU";
  }
  if (In(kNotInward, inward[1]) || In(kNotInward, inward[2])) {
    return std::string(
        "the letters of the inward code (the last part) cannot be C, I, K, M, O or V");
  }
  return std::nullopt;
}

// Upper case with every space removed; InvalidArgument for a character no postcode holds.
StatusOr<std::string> Compact(std::string_view text, const std::string& field) {
  std::string out;
  for (char c : text) {
    if (IsSpace(c)) continue;
    const char upper = Upper(c);
    if (!IsLetter(upper) && !IsDigit(upper)) {
      const bool printable = c > ' ' && c < '\x7f';
      return InvalidArgumentError(
          "contains " + (printable ? "'" + std::string(1, c) + "'" : std::string("a character")) +
              "; a postcode has only letters, digits and spaces",
          field);
    }
    out += upper;
  }
  return out;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string Postcode::district() const { return normalised.substr(0, normalised.find(' ')); }

std::string Postcode::inward() const {
  const std::size_t space = normalised.find(' ');
  return space == std::string::npos ? std::string() : normalised.substr(space + 1);
}

StatusOr<Postcode> ParsePostcode(std::string_view text, std::string_view field) {
  const std::string name(field);
  ASSIGN_OR_RETURN(std::string compact, Compact(text, name));
  if (compact.empty()) return InvalidArgumentError("is required", name);
  if (compact.size() < kMinLength) {
    return InvalidArgumentError("is too short; " + std::string(kExample), name);
  }
  if (compact.size() > kMaxLength) {
    return InvalidArgumentError("is too long; " + std::string(kExample), name);
  }
  const std::string outward = compact.substr(0, compact.size() - kInwardLength);
  const std::string inward = compact.substr(compact.size() - kInwardLength);
  if (compact == kGirobank) return Postcode{outward + " " + inward};
  if (auto problem = InwardProblem(inward)) return InvalidArgumentError(*problem, name);
  if (auto problem = OutwardProblem(outward)) return InvalidArgumentError(*problem, name);
  return Postcode{outward + " " + inward};
}

StatusOr<std::string> ParsePostcodeDistrict(std::string_view text, std::string_view field) {
  const std::string name(field);
  text = TrimSpaces(text);
  if (text.empty()) return InvalidArgumentError("is required", name);
  for (char c : text) {
    if (IsSpace(c)) {
      return InvalidArgumentError("a postcode district is the first part only, as in OX3", name);
    }
  }
  ASSIGN_OR_RETURN(std::string outward, Compact(text, name));
  if (outward == kGirobankOutward) return outward;
  if (auto problem = OutwardProblem(outward)) return InvalidArgumentError(*problem, name);
  return outward;
}

}  // namespace tendon
