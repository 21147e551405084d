#include "demo/people.h"

#include <cctype>
#include <string_view>

#include "core/nhs_number.h"

namespace tendon::demo::internal {
namespace {

// Inward codes end in two letters other than C, I, K, M, O and V.
constexpr std::string_view kInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";
constexpr int kKeyLength = 12;
// Serial n becomes (n * kSerialStride + offset) mod capacity: a bijection on [0, capacity), since
// the stride shares no factor with 900,000 = 2^5 3^2 5^5, so consecutive patients get unrelated
// numbers.
constexpr std::uint64_t kSerialStride = 617'311;
// Ofcom reserves 07700 900000-900999 for drama, so no real phone is named.
constexpr std::string_view kPhonePrefix = "07700 900";
constexpr std::uint64_t kPhoneNumbers = 1000;
constexpr std::string_view kEmailDomain = "@example.com";
constexpr std::uint64_t kEmailSuffixes = 100;
constexpr int kPhoneDigits = 3;
constexpr int kPracticeDigits = 3;
constexpr double kDaysPerYear = 365.2425;

std::string Padded(std::uint64_t n, std::size_t width) {
  std::string s = std::to_string(n);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

PatientFactory::PatientFactory(const config::ServiceConfig& service, const DemoParameters& params,
                               const Geography& geography, std::uint64_t seed)
    : service_(service),
      params_(params),
      geography_(geography),
      serial_offset_(static_cast<std::uint32_t>(seed % kTestNhsNumberCapacity)) {
  for (const AgeBand& band : params.age_bands) age_shares_.push_back(band.share);
}

std::string PatientFactory::Postcode(Rng& rng, std::size_t district) const {
  std::string code = service_.districts[district].district;
  code += ' ';
  code += static_cast<char>('0' + rng.Below(10));
  code += kInwardLetters[rng.Below(kInwardLetters.size())];
  code += kInwardLetters[rng.Below(kInwardLetters.size())];
  return code;
}

Date PatientFactory::DateOfBirth(Rng& rng, Date day) const {
  const AgeBand& band = params_.age_bands[rng.Pick(age_shares_)];
  const double age = rng.Uniform(band.from_age, band.to_age + 1.0);
  return day - date::days(static_cast<int>(age * kDaysPerYear));
}

std::string PatientFactory::Key(Rng& rng) {
  for (;;) {
    std::string key = rng.Base32(kKeyLength);
    if (keys_.insert(key).second) return key;
  }
}

StatusOr<Patient> PatientFactory::Make(Rng& rng, Date day, Instant created_at,
                                       std::size_t& district) {
  if (next_serial_ >= kTestNhsNumberCapacity) {
    return InvalidArgumentError("the demo needs more patients than there are test NHS numbers",
                                "months");
  }
  const std::uint64_t serial =
      (next_serial_++ * kSerialStride + serial_offset_) % kTestNhsNumberCapacity;
  Patient p;
  ASSIGN_OR_RETURN(p.nhs_number, MakeTestNhsNumber(static_cast<std::uint32_t>(serial)));
  const std::size_t region = rng.Pick(geography_.region_shares);
  const auto& districts = geography_.region_districts[region];
  district = districts[rng.Below(districts.size())];
  p.key = Key(rng);
  p.sex = rng.Chance(params_.female_share) ? Sex::kFemale : Sex::kMale;
  p.given_name = std::string(GivenName(rng, p.sex));
  p.family_name = std::string(FamilyName(rng));
  p.date_of_birth = DateOfBirth(rng, day);
  p.postcode = Postcode(rng, district);
  p.phone = std::string(kPhonePrefix) + Padded(rng.Below(kPhoneNumbers), kPhoneDigits);
  p.email = Lower(p.given_name) + "." + Lower(p.family_name) +
            std::to_string(rng.Below(kEmailSuffixes)) + std::string(kEmailDomain);
  const auto per_district = static_cast<std::uint64_t>(params_.gp_practices_per_district);
  p.gp_practice = params_.gp_practice_prefix +
                  Padded(district * per_district + rng.Below(per_district) + 1, kPracticeDigits);
  p.dissent = rng.Chance(params_.dissent_share);
  p.created_at = created_at;
  return p;
}

}  // namespace tendon::demo::internal
