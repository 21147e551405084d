// UK postcodes: parsing what people type into the one normalised form tendon stores ("OX3 9DU").
//
// A postcode is an outward code (the district: "OX3") and an inward code (a digit and two letters:
// "9DU"). Validation is by shape and by the letters each position may hold, not against the Royal
// Mail address file: a well-formed postcode may still not exist.
#ifndef TENDON_CORE_POSTCODE_H_
#define TENDON_CORE_POSTCODE_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon {

struct Postcode {
  // Upper case, outward code, one space, inward code: "OX3 9DU".
  std::string normalised;

  // The outward code, "OX3": the postcode district.
  std::string district() const;
  // The inward code, "9DU".
  std::string inward() const;

  friend bool operator==(const Postcode&, const Postcode&) = default;
};

// Parses a postcode in any case, with or without spaces, and with spaces anywhere (as GOV.UK's
// design system asks services to accept): "ox39du", " OX3  9DU " and "OX3 9DU" are all "OX3 9DU".
// The outward code must have one of the six UK formats A9, A99, AA9, AA99, A9A and AA9A (A a
// letter, 9 a digit), with the standard letter rules: the first letter is not Q, V or X; the second
// (in AA formats) not I, J or Z; the final letter of A9A is one of ABCDEFGHJKPSTUW; the final
// letter of AA9A one of ABEHMNPRVWXY. The inward code is a digit and two letters other than C, I,
// K, M, O and V. GIR 0AA (Girobank) is accepted as the one exception. Refused with InvalidArgument
// naming `field` and saying why; messages name the offending part, not the whole postcode.
StatusOr<Postcode> ParsePostcode(std::string_view text, std::string_view field = "postcode");

// Parses an outward code alone ("ox3" -> "OX3"), as for a search by district: the same rules as the
// outward part of ParsePostcode, spaces before and after ignored, none inside. "GIR" is accepted.
StatusOr<std::string> ParsePostcodeDistrict(std::string_view text,
                                            std::string_view field = "postcode_district");

}  // namespace tendon

#endif  // TENDON_CORE_POSTCODE_H_
