// Discharge and patient-initiated follow-up (the patient issue, part 5). A treating clinician
// discharges a referral in treatment, either into a PIFU window, during which the patient may ask
// to be seen again without a new referral, or closed at once. A window's end closes the referral.
// Each step is one transaction with its pathway events, audit row and the messages it queues.
#ifndef TENDON_WORKFLOW_DISCHARGE_H_
#define TENDON_WORKFLOW_DISCHARGE_H_

#include <string>
#include <string_view>

#include "core/records.h"
#include "core/status.h"
#include "workflow/workflow.h"

namespace tendon::workflow {

// The kinds of the outbox messages these workflows queue (data/notifications/KIND.txt): to the
// patient, the window opened (payload "until", a date) and closing soon (the same) and the
// Friends and Family Test invitation; to the GP, the discharge letter (payload "reference",
// "practice", "discharged", a date, and "outcome").
inline constexpr std::string_view kNoticePifuOpened = "pifu.opened";
inline constexpr std::string_view kNoticePifuClosing = "pifu.closing";
inline constexpr std::string_view kNoticeFft = "fft.invitation";
inline constexpr std::string_view kLetterDischarge = "letter.discharge";

struct DischargeRequest {
  std::string referral_id;
  std::string reason;  // Why: "treatment_complete", "self_managing", ...; required.
  bool pifu = true;    // Open a follow-up window (else close the referral at once).
};

// Discharges a referral in treatment (FailedPrecondition otherwise): episode.discharged, then
// either pifu.opened (its window ending env.timing.pifu_window_months later, the referral owned by
// the booking team and due when the window ends) with the patient's kNoticePifuOpened, or
// referral.closed with the GP's kLetterDischarge. The patient is sent the FFT invitation either
// way. InvalidArgument (field "reason") for a blank or overlong reason.
StatusOr<Referral> Discharge(const Env& env, const Actor& actor, const DischargeRequest& request,
                             Instant now);

// The patient asks to be seen again during their window (FailedPrecondition when the referral is
// not in one, or it has ended): pifu.requested returns the referral to the booking list with its
// history, owned by the booking team and due within env.timing.pifu_response_working_days, to be
// booked a follow-up (workflow/need.h). `reason` (what has changed) is optional, at most
// kMaxLongText.
StatusOr<Referral> RequestFollowUp(const Env& env, const Actor& actor, std::string_view referral_id,
                                   std::string reason, Instant now);

struct PifuSweep {
  int reminded = 0;  // Closing notices queued.
  int expired = 0;   // Windows ended, referrals closed.
};

// Run daily by `tendon sweep`: for each referral in a PIFU window, queues kNoticePifuClosing once
// when the window ends within env.timing.pifu_closing_notice_days, and when it has ended records
// pifu.expired (closed) and queues the GP's kLetterDischarge. A referral changed meanwhile (the
// patient asked to be seen) is left alone.
StatusOr<PifuSweep> SweepPifuWindows(const Env& env, Instant now);

}  // namespace tendon::workflow

#endif  // TENDON_WORKFLOW_DISCHARGE_H_
