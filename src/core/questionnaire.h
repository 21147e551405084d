// The outcome questionnaires a patient answers: the Musculoskeletal Health Questionnaire (MSK-HQ)
// at baseline (before their first appointment) and at discharge, and the NHS Friends and Family
// Test (FFT) after discharge.
//
// The MSK-HQ's wording is licensed, so only its scoring and the topic of each item live here; a
// service loads the wording it is licensed to use from a configuration file
// (config/questionnaire.h). Fourteen items, each answered with one of five options scored 4 (no
// problem) down to 0, give a total from 0 to 56, higher being better.
#ifndef TENDON_CORE_QUESTIONNAIRE_H_
#define TENDON_CORE_QUESTIONNAIRE_H_

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon {

inline constexpr int kMskhqItems = 14;
inline constexpr int kMskhqItemMax = 4;
inline constexpr int kMskhqOptions = kMskhqItemMax + 1;
inline constexpr int kMskhqMax = kMskhqItems * kMskhqItemMax;

// Each item's topic: a stable key (in the wording file and in stored answers) and a plain
// description, in the questionnaire's order.
struct MskhqTopic {
  std::string_view key;
  std::string_view description;
};
const std::array<MskhqTopic, kMskhqItems>& MskhqTopics();

// When the questionnaire is answered: before the first appointment, or at discharge.
enum class MskhqTimepoint { kBaseline, kDischarge };
std::string_view ToString(MskhqTimepoint timepoint);
StatusOr<MskhqTimepoint> ParseMskhqTimepoint(std::string_view name,
                                             std::string_view field = "timepoint");

// The total of fourteen item scores: InvalidArgument naming the field ("items" for the wrong
// number, "items.3" for the fourth item outside 0 to 4) otherwise.
StatusOr<int> ScoreMskhq(std::span<const int> items);

// The FFT's one question and its answers, as NHS England words them.
inline constexpr std::string_view kFftQuestion = "Overall, how was your experience of our service?";
enum class FftAnswer { kVeryGood, kGood, kNeither, kPoor, kVeryPoor, kDontKnow };
inline constexpr std::size_t kFftAnswers = 6;
// The stored name ("very_good", ..., "dont_know") and the words shown ("Very good", ...).
std::string_view ToString(FftAnswer answer);
std::string_view Label(FftAnswer answer);
StatusOr<FftAnswer> ParseFftAnswer(std::string_view name, std::string_view field = "answer");
// Very good or good: the share the FFT reports as positive.
bool IsPositive(FftAnswer answer);

}  // namespace tendon

#endif  // TENDON_CORE_QUESTIONNAIRE_H_
