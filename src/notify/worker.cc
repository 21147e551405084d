#include "notify/worker.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace tendon::notify {
namespace {

// How the worker appears in the audit log.
constexpr char kActor[] = "delivery-worker";
constexpr char kRole[] = "system";

class SmtpSender final : public Sender {
 public:
  explicit SmtpSender(SmtpClient client) : client_(std::move(client)) {}

  StatusOr<std::string> Send(const Outgoing& message, Instant now) override {
    EmailMessage email{message.recipient, message.text.subject, message.text.body,
                       MessageIdFor(message.outbox_id, message.created_at, client_.settings().helo),
                       now};
    RETURN_IF_ERROR(client_.Send(email));
    return email.message_id;
  }

 private:
  SmtpClient client_;
};

class NotifySender final : public Sender {
 public:
  explicit NotifySender(NotifyClient client) : client_(std::move(client)) {}

  StatusOr<std::string> Send(const Outgoing& message, Instant now) override {
    if (message.retry) {
      ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                       client_.FindByReference(message.reference, now));
      if (earlier) return *earlier;
    }
    const std::string& body =
        message.channel == Channel::kSms ? message.text.sms : message.text.body;
    return client_.Send(message.channel, message.recipient, message.text.subject, body,
                        message.reference, now);
  }

 private:
  NotifyClient client_;
};

AuditEntry Audited(const Notification& message, std::string_view action, Instant now) {
  return AuditEntry{
      0,
      now,
      kActor,
      kRole,
      message.patient_key,
      std::string(action),
      message.kind + " by " + std::string(message.channel ? ToString(*message.channel) : "none")};
}

}  // namespace

std::string ReferenceFor(const Notification& message) {
  return "tendon." + std::to_string(message.id) + "." +
         std::to_string(ToUnixMillis(message.created_at));
}

std::unique_ptr<Sender> MakeSmtpSender(SmtpClient client) {
  return std::make_unique<SmtpSender>(std::move(client));
}

std::unique_ptr<Sender> MakeNotifySender(NotifyClient client) {
  return std::make_unique<NotifySender>(std::move(client));
}

std::chrono::seconds BackOff(int attempts, const DeliveryOptions& options) {
  std::chrono::seconds delay = options.first_retry;
  for (int i = 1; i < attempts && delay < options.max_retry; ++i) delay *= 2;
  return std::min(delay, options.max_retry);
}

DeliveryWorker::DeliveryWorker(store::Store& store, MessageTemplates templates,
                               ServiceContact service, std::unique_ptr<Sender> email,
                               std::unique_ptr<Sender> sms, DeliveryOptions options,
                               std::function<void(std::string_view)> log,
                               std::function<Instant()> clock)
    : store_(store),
      templates_(std::move(templates)),
      service_(std::move(service)),
      email_(std::move(email)),
      sms_(std::move(sms)),
      options_(options),
      log_(std::move(log)),
      clock_(std::move(clock)) {}

StatusOr<PassCounts> DeliveryWorker::RunOnce() {
  std::vector<Notification> batch;
  const Instant now = clock_();
  RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(batch, txn.ClaimNotifications(now, options_.lease, options_.batch_size));
    return OkStatus();
  }));
  PassCounts counts;
  counts.claimed = static_cast<int>(batch.size());
  if (batch.empty()) return counts;
  ASSIGN_OR_RETURN(std::vector<Site> sites, store_.ListSites());
  for (const Notification& message : batch) {
    RETURN_IF_ERROR(Deliver(message, sites, counts));
  }
  return counts;
}

StatusOr<Outgoing> DeliveryWorker::Prepare(const Notification& message,
                                           const std::vector<Site>& sites) {
  if (!message.channel || message.recipient.empty()) {
    return FailedPreconditionError("the message has no recipient", "recipient");
  }
  ASSIGN_OR_RETURN(Patient patient, store_.GetPatient(message.patient_key));
  ASSIGN_OR_RETURN(Fields fields, MessageFields(message, patient, sites, service_));
  ASSIGN_OR_RETURN(Rendered text, templates_.Render(message.kind, fields));
  return Outgoing{message.id,        *message.channel,      message.recipient,
                  std::move(text),   ReferenceFor(message), message.attempts > 1,
                  message.created_at};
}

Status DeliveryWorker::Deliver(const Notification& message, const std::vector<Site>& sites,
                               PassCounts& counts) {
  StatusOr<Outgoing> outgoing = Prepare(message, sites);
  if (outgoing.status().code() == StatusCode::kUnavailable) {
    return RecordFailure(message, outgoing.status(), counts);  // The store, for now.
  }
  if (!outgoing.ok()) {
    // A message that cannot be written never will be: a template or payload to fix.
    const Status unwritable =
        FailedPreconditionError("the message cannot be written: " + outgoing.status().ToString());
    return RecordFailure(message, unwritable, counts);
  }
  Sender* sender = message.channel == Channel::kEmail ? email_.get() : sms_.get();
  if (sender == nullptr) {
    return RecordFailure(
        message,
        UnavailableError("no " + std::string(ToString(*message.channel)) +
                         " sender is configured ([notifications] in service.toml)"),
        counts);
  }
  StatusOr<std::string> provider_id = sender->Send(*outgoing, clock_());
  if (!provider_id.ok()) return RecordFailure(message, provider_id.status(), counts);
  const Instant now = clock_();
  Status recorded = store_.Write([&](store::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.MarkNotificationSent(message.id, *provider_id, now));
    return txn.AppendAudit(Audited(message, "notification.sent", now)).status();
  });
  if (recorded.code() == StatusCode::kFailedPrecondition) {
    // Another worker took the message over after this one's lease lapsed; it records the outcome.
    log_("notification " + std::to_string(message.id) + ": " + recorded.message());
    return OkStatus();
  }
  if (recorded.ok()) ++counts.sent;
  return recorded;
}

Status DeliveryWorker::RecordFailure(const Notification& message, const Status& error,
                                     PassCounts& counts) {
  const Instant now = clock_();
  const bool again =
      error.code() == StatusCode::kUnavailable && message.attempts < options_.max_attempts;
  const std::string reason = error.message();
  Status recorded;
  if (again) {
    const Instant next = now + BackOff(message.attempts, options_);
    recorded = store_.Write(
        [&](store::WriteTxn& txn) { return txn.MarkNotificationRetry(message.id, reason, next); });
  } else {
    const std::string final_reason =
        error.code() == StatusCode::kUnavailable
            ? reason + " (gave up after " + std::to_string(message.attempts) + " attempts)"
            : reason;
    recorded = store_.Write([&](store::WriteTxn& txn) -> Status {
      RETURN_IF_ERROR(txn.MarkNotificationFailed(message.id, final_reason));
      return txn.AppendAudit(Audited(message, "notification.failed", now)).status();
    });
  }
  log_("notification " + std::to_string(message.id) + ": " + (again ? "will retry: " : "failed: ") +
       reason);
  if (recorded.code() == StatusCode::kFailedPrecondition) return OkStatus();
  if (recorded.ok()) ++(again ? counts.retried : counts.failed);
  return recorded;
}

void DeliveryWorker::Run(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any wake;
  while (!stop.stop_requested()) {
    StatusOr<PassCounts> pass = RunOnce();
    if (!pass.ok()) log_("delivery pass: " + pass.status().ToString());
    if (pass.ok() && pass->claimed == options_.batch_size) continue;
    std::unique_lock lock(mu);
    wake.wait_for(lock, stop, options_.poll, [] { return false; });
  }
}

}  // namespace tendon::notify
