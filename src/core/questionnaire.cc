#include "core/questionnaire.h"

#include "core/enum_names.h"

namespace tendon {
namespace {

// The topics of the MSK-HQ's items as its developers publish them (not the licensed wording).
constexpr std::array<MskhqTopic, kMskhqItems> kTopics{{
    {"pain_day", "Pain or stiffness during the day"},
    {"pain_night", "Pain or stiffness during the night"},
    {"walking", "Walking"},
    {"washing_dressing", "Washing or dressing"},
    {"physical_activity", "Physical activity levels"},
    {"work_routine", "Work or daily routine"},
    {"social_hobbies", "Social activities and hobbies"},
    {"needing_help", "Needing help from others"},
    {"sleep", "Sleep"},
    {"fatigue", "Fatigue or low energy"},
    {"emotional_wellbeing", "Emotional wellbeing"},
    {"understanding", "Understanding of the condition and its treatment"},
    {"confidence", "Confidence in managing the symptoms"},
    {"overall_impact", "Overall impact of the symptoms"},
}};

constexpr std::array<EnumName<MskhqTimepoint>, 2> kTimepoints{{
    {MskhqTimepoint::kBaseline, "baseline"},
    {MskhqTimepoint::kDischarge, "discharge"},
}};

constexpr std::array<EnumName<FftAnswer>, kFftAnswers> kFftNames{{
    {FftAnswer::kVeryGood, "very_good"},
    {FftAnswer::kGood, "good"},
    {FftAnswer::kNeither, "neither_good_nor_poor"},
    {FftAnswer::kPoor, "poor"},
    {FftAnswer::kVeryPoor, "very_poor"},
    {FftAnswer::kDontKnow, "dont_know"},
}};

constexpr std::array<EnumName<FftAnswer>, kFftAnswers> kFftLabels{{
    {FftAnswer::kVeryGood, "Very good"},
    {FftAnswer::kGood, "Good"},
    {FftAnswer::kNeither, "Neither good nor poor"},
    {FftAnswer::kPoor, "Poor"},
    {FftAnswer::kVeryPoor, "Very poor"},
    {FftAnswer::kDontKnow, "Don't know"},
}};

}  // namespace

const std::array<MskhqTopic, kMskhqItems>& MskhqTopics() { return kTopics; }

std::string_view ToString(MskhqTimepoint timepoint) { return NameIn(kTimepoints, timepoint); }

StatusOr<MskhqTimepoint> ParseMskhqTimepoint(std::string_view name, std::string_view field) {
  return ParseIn(kTimepoints, name, field, "questionnaire timepoint");
}

StatusOr<int> ScoreMskhq(std::span<const int> items) {
  if (items.size() != kMskhqItems) {
    return InvalidArgumentError("has " + std::to_string(items.size()) +
                                    " answers; the MSK-HQ has " + std::to_string(kMskhqItems),
                                "items");
  }
  int total = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i] < 0 || items[i] > kMskhqItemMax) {
      return InvalidArgumentError("scores " + std::to_string(items[i]) +
                                      "; an answer scores 0 to " + std::to_string(kMskhqItemMax),
                                  "items." + std::to_string(i));
    }
    total += items[i];
  }
  return total;
}

std::string_view ToString(FftAnswer answer) { return NameIn(kFftNames, answer); }
std::string_view Label(FftAnswer answer) { return NameIn(kFftLabels, answer); }

StatusOr<FftAnswer> ParseFftAnswer(std::string_view name, std::string_view field) {
  return ParseIn(kFftNames, name, field, "Friends and Family Test answer");
}

bool IsPositive(FftAnswer answer) {
  return answer == FftAnswer::kVeryGood || answer == FftAnswer::kGood;
}

}  // namespace tendon
