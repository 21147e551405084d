#include "store/sqlite/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <future>
#include <utility>

namespace tendon::store::sqlite {

struct Writer::Job {
  WriteFn fn;
  std::promise<Status> done;
};

namespace {

std::future<Status> Ready(Status status) {
  std::promise<Status> promise;
  promise.set_value(std::move(status));
  return promise.get_future();
}

// The WAL file of the connection's main database; empty for an in-memory database.
std::string WalPath(sqlite3* db) {
  sqlite3_filename name = sqlite3_db_filename(db, "main");
  if (name == nullptr || *name == '\0') return "";
  return sqlite3_filename_wal(name);
}

// The calling thread's CPU time.
double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Counts `value` in every cumulative bucket whose bound it does not exceed.
template <typename Bound, std::size_t N>
void CountIn(const Bound (&bounds)[N], Bound value, std::int64_t (&buckets)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (value <= bounds[i]) ++buckets[i];
  }
}

Status ErrnoError(const std::string& what) {
  return UnavailableError(what + ": " + std::strerror(errno));
}

}  // namespace

StatusOr<std::unique_ptr<Writer>> Writer::Start(std::unique_ptr<Connection> conn,
                                                int max_group_size, SyncFn sync) {
  ASSIGN_OR_RETURN(ChainHeads heads, LoadChainHeads(*conn));
  // The syncer, not COMMIT, makes each group durable (see writer.h).
  RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = NORMAL;"));
  std::unique_ptr<Writer> writer(
      new Writer(std::move(conn), heads, max_group_size, std::move(sync)));
  writer->thread_ = std::thread([w = writer.get()] { w->Loop(); });
  writer->syncer_ = std::thread([w = writer.get()] { w->SyncLoop(); });
  return writer;
}

Writer::Writer(std::unique_ptr<Connection> conn, ChainHeads heads, int max_group_size, SyncFn sync)
    : conn_(std::move(conn)),
      heads_(heads),
      max_group_size_(static_cast<std::size_t>(max_group_size > 0 ? max_group_size : 1)),
      sync_(std::move(sync)),
      wal_path_(WalPath(conn_->handle())) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  syncer_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

std::future<Status> Writer::Submit(WriteFn fn) {
  if (std::this_thread::get_id() == thread_.get_id()) {
    return Ready(InternalError("Store::Write called from inside a write function"));
  }
  auto job = std::make_unique<Job>(Job{std::move(fn), {}});
  std::future<Status> done = job->done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Ready(UnavailableError("the store is closing"));
    if (!failed_.ok()) return Ready(failed_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return done;
}

StoreStats Writer::Stats() {
  std::lock_guard lock(mu_);
  StoreStats stats = stats_;
  stats.queue_depth = static_cast<std::int64_t>(queue_.size());
  return stats;
}

void Writer::Loop() {
  for (;;) {
    std::vector<std::unique_ptr<Job>> group = TakeGroup();
    if (group.empty()) break;  // Stopping, and nothing left to do.
    Status failed;
    {
      std::lock_guard lock(mu_);
      failed = failed_;
    }
    StatusOr<std::vector<Status>> results = failed.ok() ? RunGroup(group) : failed;
    if (!results.ok()) {  // Nothing of the group was kept, so there is nothing to wait for.
      for (auto& job : group) job->done.set_value(results.status());
      continue;
    }
    {
      std::lock_guard lock(mu_);
      unsynced_.push_back(Committed{std::move(group), std::move(results).value()});
    }
    wake_sync_.notify_one();
  }
  {
    std::lock_guard lock(mu_);
    writer_done_ = true;
  }
  wake_sync_.notify_one();
}

std::vector<std::unique_ptr<Writer::Job>> Writer::TakeGroup() {
  std::unique_lock lock(mu_);
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  std::vector<std::unique_ptr<Job>> group;
  while (!queue_.empty() && group.size() < max_group_size_) {
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return group;
}

Status Writer::RunOne(Job& job) {
  SqliteWriteTxn txn(*conn_, heads_);
  try {
    return job.fn(txn);
  } catch (const std::exception& e) {
    return InternalError(std::string("a write function threw: ") + e.what());
  }
}

// The transaction-control statements run for every job, so they are prepared once.
Status Writer::Control(const std::string& sql) {
  ASSIGN_OR_RETURN(StatementRef stmt, conn_->Cached(sql));
  return stmt->Run();
}

// One transaction for the whole group; a savepoint per job so that a failing job is undone alone.
StatusOr<std::vector<Status>> Writer::RunGroup(const std::vector<std::unique_ptr<Job>>& group) {
  const auto start = std::chrono::steady_clock::now();
  const double start_cpu = ThreadCpuSeconds();
  std::vector<Status> results(group.size());
  const ChainHeads group_start = heads_;
  Status outcome = Control("BEGIN IMMEDIATE");
  for (std::size_t i = 0; outcome.ok() && i < group.size(); ++i) {
    const ChainHeads job_start = heads_;
    outcome = Control("SAVEPOINT job");
    if (!outcome.ok()) break;
    results[i] = RunOne(*group[i]);
    if (sqlite3_get_autocommit(conn_->handle()) != 0) {
      // SQLite rolled the whole transaction back (an I/O error or a full disk): the group is lost.
      outcome = UnavailableError("the database rolled back a write: " + results[i].ToString());
      break;
    }
    if (!results[i].ok()) {
      outcome = Control("ROLLBACK TO job");
      heads_ = job_start;
    }
    if (outcome.ok()) outcome = Control("RELEASE job");
  }
  if (outcome.ok()) outcome = Control("COMMIT");
  const std::chrono::duration<double> busy = std::chrono::steady_clock::now() - start;
  RecordGroup(group.size(), outcome.ok(), busy.count(), ThreadCpuSeconds() - start_cpu);
  if (!outcome.ok()) {
    if (sqlite3_get_autocommit(conn_->handle()) == 0) (void)conn_->Exec("ROLLBACK");
    heads_ = group_start;
    return UnavailableError(outcome.message());
  }
  return results;
}

void Writer::RecordSync(double seconds) {
  ++stats_.syncs;
  stats_.sync_seconds += seconds;
  CountIn(StoreStats::kSyncSecondsBounds, seconds, stats_.sync_seconds_buckets);
}

// Answers committed groups once a sync that began after their COMMIT has returned.
void Writer::SyncLoop() {
  for (;;) {
    std::vector<Committed> batch;
    Status failed;
    {
      std::unique_lock lock(mu_);
      wake_sync_.wait(lock, [this] { return writer_done_ || !unsynced_.empty(); });
      if (unsynced_.empty()) return;  // The writer has stopped and everything is answered.
      batch.swap(unsynced_);
      failed = failed_;
    }
    if (failed.ok()) {
      const auto start = std::chrono::steady_clock::now();
      Status synced = sync_ ? sync_() : SyncWal();
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      std::lock_guard lock(mu_);
      RecordSync(took.count());
      if (!synced.ok()) {
        failed_ = UnavailableError(
            "the database could not make writes durable, so it takes no "
            "more until tendon restarts: " +
            synced.message());
      }
      failed = failed_;
    }
    for (Committed& group : batch) {
      for (std::size_t i = 0; i < group.jobs.size(); ++i) {
        group.jobs[i]->done.set_value(failed.ok() ? group.results[i] : failed);
      }
    }
  }
}

// fdatasync of the WAL flushes every frame written to it by any descriptor. The first sync also
// syncs the directory, so that the WAL file itself survives a power cut.
Status Writer::SyncWal() {
  if (wal_path_.empty()) return OkStatus();
  if (wal_fd_ < 0) {
    wal_fd_ = ::open(wal_path_.c_str(), O_RDWR | O_CLOEXEC);
    if (wal_fd_ < 0) return ErrnoError("opening " + wal_path_);
    const std::string dir = std::filesystem::path(wal_path_).parent_path().string();
    const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return ErrnoError("opening " + dir);
    const int rc = ::fsync(dir_fd);
    ::close(dir_fd);
    if (rc != 0) return ErrnoError("syncing " + dir);
  }
  int rc;
  do {
    rc = ::fdatasync(wal_fd_);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return ErrnoError("syncing " + wal_path_);
  return OkStatus();
}

void Writer::RecordGroup(std::size_t size, bool committed, double busy_seconds,
                         double cpu_seconds) {
  std::lock_guard lock(mu_);
  stats_.writes_committed += static_cast<std::int64_t>(size);
  stats_.writer_busy_seconds += busy_seconds;
  stats_.writer_cpu_seconds += cpu_seconds;
  if (!committed) return;
  ++stats_.groups_committed;
  CountIn(StoreStats::kGroupSizeBounds, static_cast<std::int64_t>(size), stats_.group_size_buckets);
}

}  // namespace tendon::store::sqlite
