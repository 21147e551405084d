// The delivery worker: takes due messages from the outbox, writes them from their templates,
// sends each through its channel's sender, and records the outcome (the patient issue,
// notifications; hazards H055 and H056).
//
// Neither lost nor repeated after a crash. The argument, step by step:
//  1. A message is queued in the transaction of the change it tells of (store.h
//     EnqueueNotification), so a committed change has its message and a rolled-back one none.
//  2. A worker claims a batch in one transaction: each message becomes `sending` with the claim's
//     time and one more attempt, durably, before anything goes on the wire. Two workers never
//     claim the same message while its lease runs.
//  3. It sends, then commits `sent` with the provider's id. A crash before step 2 commits leaves
//     the message queued; a crash after leaves it `sending`, and once its lease lapses the next
//     claim takes it again (store.h ClaimNotifications). So none is lost: every message ends
//     sent, or failed where a coordinator sees it.
//  4. The one window for a repeat is a crash after the provider took the message and before
//     `sent` committed. Every attempt at a message carries the same identity, derived from its
//     outbox id and the millisecond it was queued (ReferenceFor): Notify's `reference`, and
//     SMTP's Message-ID. Before sending a message claimed more than once, the worker asks Notify
//     for a message with that reference and, when Notify has it, records it as sent without
//     sending again: through Notify, exactly once. SMTP cannot be asked: the relay may receive a
//     message twice (at least once on the wire), with the same Message-ID both times, which is
//     what a mail system uses to drop the duplicate (exactly once at the receiver, by id).
//  5. A claim must outlast its batch's sends: each send ends within its time limit (two Notify
//     requests at most), and the configuration refuses a lease shorter than batch_size times
//     that (config/service.h), so a worker that is slow but alive is never overtaken by another.
//
// Thread safety: RunOnce and Run may be called from one thread at a time per worker; several
// workers (in several processes) may share a store.
#ifndef TENDON_NOTIFY_WORKER_H_
#define TENDON_NOTIFY_WORKER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/records.h"
#include "core/status.h"
#include "notify/fields.h"
#include "notify/notify_client.h"
#include "notify/smtp.h"
#include "notify/templates.h"
#include "store/store.h"

namespace tendon::notify {

// A message ready for the wire.
struct Outgoing {
  std::int64_t outbox_id = 0;
  Channel channel = Channel::kEmail;
  std::string recipient;
  Rendered text;
  std::string reference;  // ReferenceFor: the same on every attempt.
  bool retry = false;     // Claimed before: an earlier attempt may have reached the provider.
  Instant created_at{};
};

// "tendon.42.1780000000000": a message's identity at the provider, from its outbox id and the
// millisecond it was queued.
std::string ReferenceFor(const Notification& message);

// Sends messages of one channel. Returns the provider's id for the message. Unavailable: not now,
// try later; any other error: never (a permanent refusal).
class Sender {
 public:
  virtual ~Sender() = default;
  virtual StatusOr<std::string> Send(const Outgoing& message, Instant now) = 0;
};

// Email through an SMTP relay; the provider id is the Message-ID.
std::unique_ptr<Sender> MakeSmtpSender(SmtpClient client);
// Text messages or email through GOV.UK Notify; a retried message is first looked up by reference.
std::unique_ptr<Sender> MakeNotifySender(NotifyClient client);

struct DeliveryOptions {
  int batch_size = 20;                          // Messages claimed at once.
  std::chrono::seconds lease{300};              // How long a claim keeps others off.
  int max_attempts = 8;                         // Then the message fails.
  std::chrono::seconds first_retry{60};         // Back-off after the first failed attempt,
  std::chrono::seconds max_retry{6 * 60 * 60};  // doubling each time up to this.
  std::chrono::seconds poll{5};                 // Run's pause when nothing is due.
};

// When a message that failed its `attempts`-th attempt (1 or more) may be tried again:
// first_retry * 2^(attempts - 1), at most max_retry.
std::chrono::seconds BackOff(int attempts, const DeliveryOptions& options);

struct PassCounts {
  int claimed = 0;
  int sent = 0;
  int retried = 0;
  int failed = 0;
};

class DeliveryWorker {
 public:
  // `email` and `sms` may be null: that channel's messages then wait (and after max_attempts,
  // fail) saying no sender is configured. `log` receives a line per problem; it never names a
  // person (outbox ids only). `clock` gives the time.
  DeliveryWorker(store::Store& store, MessageTemplates templates, ServiceContact service,
                 std::unique_ptr<Sender> email, std::unique_ptr<Sender> sms,
                 DeliveryOptions options, std::function<void(std::string_view)> log,
                 std::function<Instant()> clock);

  // One pass: claims up to batch_size due messages and sends each. Unavailable when the store
  // cannot claim or record; a message's own failure is recorded, not returned.
  StatusOr<PassCounts> RunOnce();
  // Passes until `stop` is requested, pausing `poll` when a pass found nothing to do.
  void Run(std::stop_token stop);

 private:
  // Sends one claimed message and records the outcome.
  Status Deliver(const Notification& message, const std::vector<Site>& sites, PassCounts& counts);
  // Records an attempt's error: retry later, or fail for good.
  Status RecordFailure(const Notification& message, const Status& error, PassCounts& counts);
  StatusOr<Outgoing> Prepare(const Notification& message, const std::vector<Site>& sites);

  store::Store& store_;
  MessageTemplates templates_;
  ServiceContact service_;
  std::unique_ptr<Sender> email_;
  std::unique_ptr<Sender> sms_;
  DeliveryOptions options_;
  std::function<void(std::string_view)> log_;
  std::function<Instant()> clock_;
};

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_WORKER_H_
