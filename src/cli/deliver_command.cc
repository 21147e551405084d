// `tendon deliver`: sends the notifications outbox (the patient issue): one pass with --once, or
// until SIGTERM or SIGINT. `tendon serve` runs the same worker on a thread of its own.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/delivery.h"
#include "cli/flags.h"
#include "core/london_time.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

// The Notify API key, from the environment variable or the file the configuration names.
StatusOr<std::string> NotifyApiKey(const config::NotifyConfig& notify) {
  std::string key;
  if (!notify.api_key_env.empty()) {
    const char* value = std::getenv(notify.api_key_env.c_str());
    if (value == nullptr || *value == '\0') {
      return InvalidArgumentError(
          "the environment variable " + notify.api_key_env + " holds no Notify API key",
          "api_key_env");
    }
    key = value;
  } else {
    ASSIGN_OR_RETURN(key, config::ReadTextFile(notify.api_key_file));
  }
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
  return key;
}

StatusOr<std::unique_ptr<notify::Sender>> NotifySender(const config::NotifyConfig& c) {
  notify::NotifySettings settings;
  settings.base_url = c.base_url;
  settings.ca_file = c.ca_file;
  ASSIGN_OR_RETURN(settings.api_key, NotifyApiKey(c));
  settings.sms_template_id = c.sms_template_id;
  settings.email_template_id = c.email_template_id;
  settings.timeout = std::chrono::seconds(c.timeout_seconds);
  ASSIGN_OR_RETURN(notify::NotifyClient client, notify::NotifyClient::Create(std::move(settings)));
  return notify::MakeNotifySender(std::move(client));
}

StatusOr<std::unique_ptr<notify::Sender>> SmtpSender(const config::SmtpConfig& c) {
  notify::SmtpSettings settings;
  settings.host = c.host;
  settings.port = c.port;
  settings.from = c.from;
  settings.from_name = c.from_name;
  settings.helo = c.helo;
  settings.timeout = std::chrono::seconds(c.timeout_seconds);
  settings.starttls = c.starttls;
  settings.ca_file = c.ca_file;
  ASSIGN_OR_RETURN(notify::SmtpClient client, notify::SmtpClient::Create(std::move(settings)));
  return notify::MakeSmtpSender(std::move(client));
}

notify::DeliveryOptions OptionsOf(const config::NotificationConfig& c) {
  notify::DeliveryOptions options;
  options.batch_size = c.batch_size;
  options.lease = std::chrono::seconds(c.lease_seconds);
  options.max_attempts = c.max_attempts;
  options.first_retry = std::chrono::seconds(c.first_retry_seconds);
  options.max_retry = std::chrono::seconds(c.max_retry_seconds);
  options.poll = std::chrono::seconds(c.poll_seconds);
  return options;
}

// Waits for SIGTERM or SIGINT, which the caller has blocked in every thread.
void WaitForStopSignal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
}

Status Deliver(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args, {"db", "data"}, {"once"}));
  ASSIGN_OR_RETURN(std::string db, flags.Require("db"));
  if (!std::filesystem::exists(db)) return NotFoundError("no database at " + db, "--db");
  const std::filesystem::path data = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  RETURN_IF_ERROR(CheckLondonTimeZone());
  ASSIGN_OR_RETURN(config::ServiceConfig service,
                   config::LoadService(data / config::kServiceSubdir));
  ASSIGN_OR_RETURN(auto store, store::sqlite::SqliteStore::Open(db));
  ASSIGN_OR_RETURN(auto worker, MakeDeliveryWorker(*store, service, data));
  if (flags.Has("once")) {
    ASSIGN_OR_RETURN(notify::PassCounts counts, worker->RunOnce());
    out << "claimed=" << counts.claimed << " sent=" << counts.sent << " retried=" << counts.retried
        << " failed=" << counts.failed << std::endl;
    return OkStatus();
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // Before the thread starts: it inherits this.
  std::jthread running([&worker](std::stop_token stop) { worker->Run(stop); });
  out << "delivering" << std::endl;
  WaitForStopSignal(signals);
  running.request_stop();
  running.join();
  out << "stopped" << std::endl;
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<notify::DeliveryWorker>> MakeDeliveryWorker(
    store::Store& store, const config::ServiceConfig& service,
    const std::filesystem::path& data_dir) {
  if (!service.notifications) {
    return NotFoundError("service.toml has no [notifications] section: nothing can be sent");
  }
  const config::NotificationConfig& c = *service.notifications;
  ASSIGN_OR_RETURN(notify::MessageTemplates templates,
                   notify::MessageTemplates::Load(data_dir / "notifications"));
  std::unique_ptr<notify::Sender> email;
  std::unique_ptr<notify::Sender> sms;
  if (c.notify) {
    ASSIGN_OR_RETURN(sms, NotifySender(*c.notify));
    if (c.email_via_notify) {
      ASSIGN_OR_RETURN(email, NotifySender(*c.notify));
    }
  }
  if (c.smtp && !c.email_via_notify) {
    ASSIGN_OR_RETURN(email, SmtpSender(*c.smtp));
  }
  return std::make_unique<notify::DeliveryWorker>(
      store, std::move(templates),
      notify::ServiceContact{service.name, c.contact_phone, c.portal_url}, std::move(email),
      std::move(sms), OptionsOf(c),
      [](std::string_view line) { std::cerr << "tendon deliver: " << line << std::endl; },
      [] { return Now(); });
}

int RunDeliver(const Args& args, std::ostream& out) {
  Status status = Deliver(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
