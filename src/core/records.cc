#include "core/records.h"

#include <array>

#include "core/enum_names.h"

namespace tendon {
namespace {

constexpr std::array<EnumName<Sex>, 4> kSexNames{{
    {Sex::kFemale, "female"},
    {Sex::kMale, "male"},
    {Sex::kIndeterminate, "indeterminate"},
    {Sex::kNotKnown, "not_known"},
}};

}  // namespace

std::string_view ToString(Sex sex) { return NameIn(kSexNames, sex); }

StatusOr<Sex> ParseSex(std::string_view name, std::string_view field) {
  return ParseIn(kSexNames, name, field, "sex");
}

}  // namespace tendon
