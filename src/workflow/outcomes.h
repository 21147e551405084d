// The patient's outcome questionnaires (the patient issue, part 4): the MSK-HQ at baseline, before
// their first appointment, and at discharge, and the Friends and Family Test after discharge. Each
// answer is recorded as a pathway event of its referral (outcome.mskhq, feedback.fft) with an
// audit row, in one transaction, and each is taken once: one baseline per referral, one discharge
// questionnaire and one FFT answer per discharge.
#ifndef TENDON_WORKFLOW_OUTCOMES_H_
#define TENDON_WORKFLOW_OUTCOMES_H_

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "core/event.h"
#include "core/questionnaire.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

struct MskhqSubmission {
  std::string referral_id;
  MskhqTimepoint timepoint = MskhqTimepoint::kBaseline;
  std::array<int, kMskhqItems> items{};  // Scores 0-4, in core's MskhqTopics() order.
};

// Reads {"referral_id", "timepoint", and each item's score under its topic key ("pain_day": 3)},
// naming every field missing or malformed ("walking: choose an answer").
Parsed<MskhqSubmission> ParseMskhq(const nlohmann::json& body);

// A referral's MSK-HQ scores so far: its baseline, its latest discharge score, and the change
// between them (discharge less baseline; positive is better), from its events in order.
struct MskhqScores {
  std::optional<int> baseline;
  std::optional<int> discharge;
  std::optional<int> change;
};
MskhqScores MskhqOf(std::span<const PathwayEvent> events);

// Which questionnaire the referral's patient may answer now, if any: the baseline until their
// first appointment is attended (and only once), the discharge one after each discharge (once).
std::optional<MskhqTimepoint> MskhqDue(std::span<const PathwayEvent> events);
// Whether the patient may answer the FFT now: once after each discharge.
bool FftDue(std::span<const PathwayEvent> events);

// Records the answers (outcome.mskhq: timepoint, score, items and, at discharge, the change).
// FailedPrecondition (field "timepoint") when that questionnaire is not due; Aborted when the
// referral changed while the answers were checked (try again). Returns the score.
StatusOr<int> SubmitMskhq(const Env& env, const Actor& actor, const MskhqSubmission& submission,
                          Instant now);

// Records the FFT answer with an optional comment (at most kMaxLongText): feedback.fft.
// InvalidArgument naming "answer" or "comment"; FailedPrecondition (field "answer") when not due.
Status SubmitFft(const Env& env, const Actor& actor, std::string_view referral_id,
                 std::string_view answer, std::string comment, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_OUTCOMES_H_
