#include "workflow/outcomes.h"

#include <vector>

#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using internal::Audit;
using internal::FieldReader;
using internal::NewEvent;
using json = nlohmann::json;

json PayloadOf(const PathwayEvent& e) {
  json payload = json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  return payload.is_object() ? payload : json::object();
}

std::optional<MskhqTimepoint> TimepointOf(const PathwayEvent& e) {
  if (e.type != EventType::kOutcomeMskhq) return std::nullopt;
  const json payload = PayloadOf(e);
  if (!payload.contains("timepoint") || !payload["timepoint"].is_string()) return std::nullopt;
  StatusOr<MskhqTimepoint> t = ParseMskhqTimepoint(payload["timepoint"].get<std::string>());
  return t.ok() ? std::optional(*t) : std::nullopt;
}

// What has happened since the referral's latest discharge (or from its start, with none).
struct SinceDischarge {
  bool discharged = false;  // There has been a discharge.
  bool attended = false;    // Any appointment attended, ever.
  bool baseline = false;    // A baseline answered, ever.
  bool mskhq = false;       // A discharge questionnaire answered since the latest discharge.
  bool fft = false;         // An FFT answer since the latest discharge.
};

SinceDischarge Read(std::span<const PathwayEvent> events) {
  SinceDischarge s;
  for (const PathwayEvent& e : events) {
    if (e.type == EventType::kEpisodeDischarged) {
      s.discharged = true;
      s.mskhq = s.fft = false;
    }
    s.attended = s.attended || e.type == EventType::kAppointmentAttended;
    s.fft = s.fft || e.type == EventType::kFeedbackFft;
    const std::optional<MskhqTimepoint> t = TimepointOf(e);
    s.baseline = s.baseline || t == MskhqTimepoint::kBaseline;
    s.mskhq = s.mskhq || t == MskhqTimepoint::kDischarge;
  }
  return s;
}

// A referral's state in which its patient's answers may still be recorded.
bool Open(ReferralState state) {
  return state != ReferralState::kWithdrawn && state != ReferralState::kOnwardReferred;
}

// Reads the referral's events, then records `event` in a transaction in which the referral is
// as it was when they were read (Aborted otherwise), with the audit row `action`.
Status Record(const Env& env, const Actor& actor, std::string_view referral_id,
              const std::function<Status(std::span<const PathwayEvent>, const Referral&)>& check,
              const std::function<PathwayEvent(std::span<const PathwayEvent>)>& make,
              std::string_view action, Instant now) {
  ASSIGN_OR_RETURN(Referral seen, env.store.GetReferral(referral_id));
  ASSIGN_OR_RETURN(std::vector<PathwayEvent> events, env.store.ListEvents(referral_id));
  RETURN_IF_ERROR(check(events, seen));
  return env.store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Referral referral, txn.GetReferral(referral_id));
    if (referral.updated_at != seen.updated_at) {
      return AbortedError("the referral changed while the answers were checked; try again");
    }
    referral.updated_at = now;
    RETURN_IF_ERROR(txn.RecordEvent(referral, make(events)).status());
    return Audit(txn, actor, referral.patient_key, action, now);
  });
}

}  // namespace

Parsed<MskhqSubmission> ParseMskhq(const json& body) {
  Parsed<MskhqSubmission> parsed;
  FieldReader r(body, "", parsed.errors);
  MskhqSubmission s;
  s.referral_id = r.Text("referral_id", kMaxShortText);
  if (s.referral_id.empty()) r.Fail("referral_id", "is required");
  const std::optional<MskhqTimepoint> timepoint = r.Choice("timepoint", &ParseMskhqTimepoint);
  if (!timepoint && !r.Given("timepoint")) r.Fail("timepoint", "is required");
  s.timepoint = timepoint.value_or(MskhqTimepoint::kBaseline);
  for (std::size_t i = 0; i < kMskhqItems; ++i) {
    const std::string_view key = MskhqTopics()[i].key;
    const bool given = r.Given(key);
    const std::optional<int> score = r.Int(key);
    if (!given) {
      r.Fail(key, "choose an answer");
    } else if (score && (*score < 0 || *score > kMskhqItemMax)) {
      r.Fail(key, "must score 0 to " + std::to_string(kMskhqItemMax));
    } else if (score) {
      s.items[i] = *score;
    }
  }
  r.RefuseUnknown();
  if (parsed.errors.empty()) parsed.value = s;
  return parsed;
}

MskhqScores MskhqOf(std::span<const PathwayEvent> events) {
  MskhqScores scores;
  for (const PathwayEvent& e : events) {
    const std::optional<MskhqTimepoint> t = TimepointOf(e);
    if (!t) continue;
    const json payload = PayloadOf(e);
    if (!payload.contains("score") || !payload["score"].is_number()) continue;
    const int score = payload["score"].get<int>();
    (*t == MskhqTimepoint::kBaseline ? scores.baseline : scores.discharge) = score;
  }
  if (scores.baseline && scores.discharge) scores.change = *scores.discharge - *scores.baseline;
  return scores;
}

std::optional<MskhqTimepoint> MskhqDue(std::span<const PathwayEvent> events) {
  const SinceDischarge s = Read(events);
  if (s.discharged) {
    if (!s.mskhq) return MskhqTimepoint::kDischarge;
    return std::nullopt;
  }
  if (!s.attended && !s.baseline) return MskhqTimepoint::kBaseline;
  return std::nullopt;
}

bool FftDue(std::span<const PathwayEvent> events) {
  const SinceDischarge s = Read(events);
  return s.discharged && !s.fft;
}

StatusOr<int> SubmitMskhq(const Env& env, const Actor& actor, const MskhqSubmission& submission,
                          Instant now) {
  ASSIGN_OR_RETURN(int score, ScoreMskhq(submission.items));
  const auto check = [&](std::span<const PathwayEvent> events, const Referral& referral) {
    if (!Open(referral.state) || MskhqDue(events) != submission.timepoint) {
      return FailedPreconditionError(
          submission.timepoint == MskhqTimepoint::kBaseline
              ? "the baseline questionnaire is answered before the first appointment, once"
              : "the discharge questionnaire is answered after a discharge, once",
          "timepoint");
    }
    return OkStatus();
  };
  const auto make = [&](std::span<const PathwayEvent> events) {
    json items = json::object();
    for (std::size_t i = 0; i < kMskhqItems; ++i) {
      items[std::string(MskhqTopics()[i].key)] = submission.items[i];
    }
    json payload{{"timepoint", std::string(ToString(submission.timepoint))},
                 {"score", score},
                 {"items", items}};
    const MskhqScores before = MskhqOf(events);
    if (submission.timepoint == MskhqTimepoint::kDischarge && before.baseline) {
      payload["change"] = score - *before.baseline;
    }
    return NewEvent(EventType::kOutcomeMskhq, actor, now, payload);
  };
  RETURN_IF_ERROR(Record(env, actor, submission.referral_id, check, make, "outcome.mskhq", now));
  return score;
}

Status SubmitFft(const Env& env, const Actor& actor, std::string_view referral_id,
                 std::string_view answer, std::string comment, Instant now) {
  ASSIGN_OR_RETURN(FftAnswer parsed, ParseFftAnswer(answer));
  comment = internal::Trim(comment);
  if (comment.size() > kMaxLongText) {
    return InvalidArgumentError("is longer than " + std::to_string(kMaxLongText) + " characters",
                                "comment");
  }
  const auto check = [](std::span<const PathwayEvent> events, const Referral&) {
    if (!FftDue(events)) {
      return FailedPreconditionError(
          "the Friends and Family Test is answered after a discharge, once", "answer");
    }
    return OkStatus();
  };
  const auto make = [&](std::span<const PathwayEvent>) {
    json payload{{"answer", std::string(ToString(parsed))}};
    if (!comment.empty()) payload["comment"] = comment;
    return NewEvent(EventType::kFeedbackFft, actor, now, payload);
  };
  return Record(env, actor, referral_id, check, make, "feedback.fft", now);
}

}  // namespace tendon::workflow
