// NHS numbers: the ten-digit identifier of a patient in England and Wales, the last digit a Modulus
// 11 check digit over the first nine (NHS Data Dictionary, "NHS Number").
//
// Error messages never repeat the number itself: an NHS number identifies a person, and messages
// reach logs.
#ifndef TENDON_CORE_NHS_NUMBER_H_
#define TENDON_CORE_NHS_NUMBER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon {

// Parses an NHS number as a person types it: ten digits, either run together ("9434765919") or
// split 3-3-4 by single spaces or by single hyphens ("943 476 5919", "943-476-5919"); spaces before
// and after are ignored. Returns the ten bare digits. Refused with InvalidArgument naming `field`
// and saying why: empty; a character other than a digit, space or hyphen; not ten digits;
// separators not in the 3-3-4 places, or mixed; all ten digits the same (such numbers pass the
// check but are never issued); a check value of 10 (never issued); a check digit that does not
// match.
StatusOr<std::string> ParseNhsNumber(std::string_view text, std::string_view field = "nhs_number");

// The Modulus 11 check digit for the first nine digits of an NHS number: weights 10 down to 2,
// check = 11 - (sum mod 11), and 11 becomes 0. nullopt when the check value is 10 (such a number is
// never issued) or when `nine_digits` is not nine ASCII digits.
std::optional<char> NhsCheckDigit(std::string_view nine_digits);

// "943 476 5919" for "9434765919", the way people read NHS numbers. `digits` must be ten bare
// digits, as ParseNhsNumber returns; anything else is returned unchanged.
std::string FormatNhsNumber(std::string_view digits);

// How many distinct test NHS numbers MakeTestNhsNumber makes: nine in each of the 99,999 blocks
// 00000 to 99998 (see below).
inline constexpr std::uint32_t kTestNhsNumberCapacity = 99'999 * 9;

// A valid NHS number in the range reserved for testing, 999 000 0000 to 999 999 9999, which is
// never issued to a person, so demo and test data cannot name a real patient. Deterministic and
// injective for serial < kTestNhsNumberCapacity (899,991). Digits 4-8 are the block serial / 9,
// zero-padded; the ninth digit is the (serial % 9)-th, counting from 0, of the digits 0-9 that do
// not give a check value of 10 (at most one in ten does, so there are always nine); the tenth is
// the check digit. Serial 0 is 999 000 0018 (999 000 000x has check value 10), serial 1 is 999 000
// 0026, serial 9 is 999 000 0107. Block 99999 is left out: it holds only eight usable numbers, as
// 999 999 9999 has all its digits the same. The range holds only a million nine-digit stems, about
// 909,000 of them valid, so no injective mapping into it can reach ten million serials; a serial
// from kTestNhsNumberCapacity on is refused with InvalidArgument naming "serial".
StatusOr<std::string> MakeTestNhsNumber(std::uint32_t serial);

}  // namespace tendon

#endif  // TENDON_CORE_NHS_NUMBER_H_
