#include "core/contact.h"

#include <cctype>

namespace tendon {
namespace {

constexpr std::size_t kNationalDigits = 11;       // 07xxx xxxxxx
constexpr std::size_t kInternationalDigits = 12;  // 447xxx xxxxxx

std::string Trimmed(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

bool IsSpaceOrControl(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c));
}

}  // namespace

bool IsUkMobileNumber(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  if (plus) return digits.size() == kInternationalDigits && digits.rfind("447", 0) == 0;
  return digits.size() == kNationalDigits && digits.rfind("07", 0) == 0;
}

bool IsEmailAddress(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : email) {
    if (IsSpaceOrControl(c) || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.rfind('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

StatusOr<Address> AddressFor(const Patient& patient, std::optional<Channel> preferred) {
  const std::string email = Trimmed(patient.email);
  const std::string phone = Trimmed(patient.phone);
  const bool has_email = IsEmailAddress(email);
  const bool has_mobile = IsUkMobileNumber(phone);
  if (preferred == Channel::kEmail || (!preferred && has_email)) {
    if (has_email) return Address{Channel::kEmail, email};
    return FailedPreconditionError("the patient's record has no usable email address", "recipient");
  }
  if (has_mobile) return Address{Channel::kSms, phone};
  if (preferred == Channel::kSms) {
    return FailedPreconditionError("the patient's record has no mobile phone number", "recipient");
  }
  return FailedPreconditionError(
      "the patient's record has no usable email address or mobile phone number", "recipient");
}

}  // namespace tendon
