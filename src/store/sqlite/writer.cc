#include "store/sqlite/writer.h"

#include <exception>
#include <future>

namespace tendon::store::sqlite {

struct Writer::Job {
  WriteFn fn;
  std::promise<Status> done;
};

StatusOr<std::unique_ptr<Writer>> Writer::Start(std::unique_ptr<Connection> conn,
                                                int max_group_size) {
  ASSIGN_OR_RETURN(ChainHeads heads, LoadChainHeads(*conn));
  std::unique_ptr<Writer> writer(new Writer(std::move(conn), heads, max_group_size));
  writer->thread_ = std::thread([w = writer.get()] { w->Loop(); });
  return writer;
}

Writer::Writer(std::unique_ptr<Connection> conn, ChainHeads heads, int max_group_size)
    : conn_(std::move(conn)),
      heads_(heads),
      max_group_size_(static_cast<std::size_t>(max_group_size > 0 ? max_group_size : 1)) {}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

namespace {

std::future<Status> Ready(Status status) {
  std::promise<Status> promise;
  promise.set_value(std::move(status));
  return promise.get_future();
}

}  // namespace

std::future<Status> Writer::Submit(WriteFn fn) {
  if (std::this_thread::get_id() == thread_.get_id()) {
    return Ready(InternalError("Store::Write called from inside a write function"));
  }
  auto job = std::make_unique<Job>(Job{std::move(fn), {}});
  std::future<Status> done = job->done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Ready(UnavailableError("the store is closing"));
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
    if (group.empty()) return;  // Stopping, and nothing left to do.
    RunGroup(group);
  }
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
// The callers are answered only after COMMIT has returned, that is once the group is durable.
void Writer::RunGroup(const std::vector<std::unique_ptr<Job>>& group) {
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
  if (!outcome.ok()) {
    if (sqlite3_get_autocommit(conn_->handle()) == 0) (void)conn_->Exec("ROLLBACK");
    heads_ = group_start;
    for (Status& result : results) result = UnavailableError(outcome.message());
  }
  RecordGroup(group.size(), outcome.ok());
  for (std::size_t i = 0; i < group.size(); ++i) group[i]->done.set_value(results[i]);
}

void Writer::RecordGroup(std::size_t size, bool committed) {
  std::lock_guard lock(mu_);
  stats_.writes_committed += static_cast<std::int64_t>(size);
  if (!committed) return;
  ++stats_.groups_committed;
  for (std::size_t i = 0; i < std::size(StoreStats::kGroupSizeBounds); ++i) {
    if (static_cast<std::int64_t>(size) <= StoreStats::kGroupSizeBounds[i]) {
      ++stats_.group_size_buckets[i];
    }
  }
}

}  // namespace tendon::store::sqlite
