// `tendon serve`: the web application over HTTP until SIGTERM or SIGINT.
#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/access_log.h"
#include "cli/commands.h"
#include "cli/delivery.h"
#include "cli/flags.h"
#include "cli/service_env.h"
#include "cli/sim_planner.h"
#include "cli/sweep.h"
#include "http/app.h"
#include "http/server.h"
#include "store/sqlite/sqlite_store.h"

namespace tendon::cli {
namespace {

constexpr std::int64_t kMaxThreads = 256;
// The housekeeping's default turn, an hour, and the longest allowed, a day.
constexpr std::int64_t kSweepEverySeconds = 3600;
constexpr std::int64_t kMaxSweepEverySeconds = 86400;

// glibc gives freed memory back to the system as soon as 128 KiB lie free at the top of a heap,
// and the store's writer thread frees that much after almost every statement (SQLite's statement
// journals), so the next one page-faults it all back in: a fifth of the writer's time under a
// booking load. Keeping up to 64 MiB per heap costs little beside that.
void KeepFreedMemory() {
  constexpr int kKeep = 64 << 20;
  mallopt(M_TRIM_THRESHOLD, kKeep);
  mallopt(M_MMAP_THRESHOLD, kKeep);
}

Status Serve(const Args& args, std::ostream& out) {
  ASSIGN_OR_RETURN(Flags flags, Flags::Parse(args,
                                             {"db", "listen", "web", "assets", "data", "io-threads",
                                              "worker-threads", "sweep-every"},
                                             {"secure-cookies", "quiet"}));
  ASSIGN_OR_RETURN(std::int64_t sweep_every,
                   flags.Int("sweep-every", kSweepEverySeconds, 0, kMaxSweepEverySeconds));
  KeepFreedMemory();
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceEnv> loaded, OpenServiceEnv(flags));
  store::sqlite::SqliteStore* store = loaded->store.get();
  http::AppConfig config;
  config.web_dir = flags.Get("web").value_or(TENDON_DEFAULT_WEB_DIR);
  config.assets_dir = flags.Get("assets").value_or(TENDON_DEFAULT_ASSETS_DIR);
  config.data_dir = flags.Get("data").value_or(TENDON_DEFAULT_DATA_DIR);
  config.secure_cookies = flags.Has("secure-cookies");
  // The planner page runs the service's scenario files on the simulator, when it has some.
  const std::filesystem::path scenarios = config.data_dir / config::kServiceSubdir / "scenarios";
  if (std::filesystem::is_directory(scenarios)) {
    ASSIGN_OR_RETURN(config.planner, MakeSimPlanner(scenarios));
  }
  ASSIGN_OR_RETURN(auto app, http::App::Create(*store, config, loaded->rules, loaded->service,
                                               loaded->calendar));

  http::ServerOptions options;
  options.listen = flags.Get("listen").value_or("127.0.0.1:8080");
  ASSIGN_OR_RETURN(std::int64_t io, flags.Int("io-threads", options.io_threads, 1, kMaxThreads));
  ASSIGN_OR_RETURN(std::int64_t workers,
                   flags.Int("worker-threads", options.worker_threads, 1, kMaxThreads));
  options.io_threads = static_cast<int>(io);
  options.worker_threads = static_cast<int>(workers);
  std::optional<AccessLog> access_log;
  if (!flags.Has("quiet")) access_log.emplace(STDERR_FILENO);
  options.access_log = [&app, &access_log](const http::AccessRecord& r) {
    app->RecordAccess(r);
    if (access_log) access_log->Record(r);
  };
  options.route_of = [&app](const http::Request& r) { return app->RouteOf(r); };
  options.decorate = [&app](http::Response& r) { app->Decorate(r); };
  options.run_inline = [&app](const http::Request& r) { return app->RunsInline(r); };
  std::atomic<http::Server*> running{nullptr};
  app->SetServerGauges([&running] {
    http::Server* server = running.load();
    if (server == nullptr) return std::make_pair(std::int64_t{0}, std::int64_t{0});
    return std::make_pair(server->open_connections(), server->requests_in_flight());
  });
  ASSIGN_OR_RETURN(auto server, http::Server::Start(
                                    options, [&app](http::Request& r) { return app->Handle(r); }));
  running = server.get();
  // The outbox's delivery worker, when the service configures it ([notifications]); it stops
  // (finishing the message it is sending) when this function returns.
  std::jthread delivery;
  if (loaded->service.notifications) {
    ASSIGN_OR_RETURN(std::unique_ptr<notify::DeliveryWorker> worker,
                     MakeDeliveryWorker(*store, loaded->service, config.data_dir));
    delivery =
        std::jthread([worker = std::move(worker)](std::stop_token stop) { worker->Run(stop); });
    out << "delivering notifications" << std::endl;
  }
  PrintDemoAccounts(demo::PublishedDemoAccounts(*store), out);
  out << "listening on http://" << options.listen.substr(0, options.listen.rfind(':')) << ":"
      << server->port() << std::endl;
  // The portal's wait figures fold the whole event log; folded now, no patient waits for it.
  std::jthread warm([&app, &out] {
    const auto start = std::chrono::steady_clock::now();
    StatusOr<std::size_t> waits = app->WarmUp();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    out << (waits.ok() ? fmt::format("portal wait figures ready: {} completed waits in {:.1f} s\n",
                                     *waits, took.count())
                       : "portal wait figures not ready (the first patient will wait): " +
                             waits.status().ToString() + "\n")
        << std::flush;
  });
  // The daily housekeeping, so that reminders and follow-up windows do not wait on a cron job.
  std::jthread sweeper;
  if (sweep_every > 0) {
    sweeper = std::jthread(
        [&loaded, &out, &app, every = std::chrono::seconds(sweep_every)](std::stop_token stop) {
          SweepEvery(
              loaded->env(), every, out, [&app](const Status& s) { app->RecordSweep(s); }, stop);
        });
  }
  server->RunUntilSignalled();
  if (sweeper.joinable()) {
    sweeper.request_stop();
    sweeper.join();
  }
  out << "stopped" << std::endl;
  return OkStatus();
}

}  // namespace

int RunServe(const Args& args, std::ostream& out) {
  Status status = Serve(args, out);
  return status.ok() ? 0 : ReportFailure(status);
}

}  // namespace tendon::cli
