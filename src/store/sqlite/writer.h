// The group-commit writer of the SQLite backend (see sqlite_store.h for the contract it provides).
#ifndef TENDON_STORE_SQLITE_WRITER_H_
#define TENDON_STORE_SQLITE_WRITER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/write_txn.h"
#include "store/store.h"

namespace tendon::store::sqlite {

// Makes every WAL frame written so far durable: fdatasync of the WAL file by default.
using SyncFn = std::function<Status()>;

// Group commit with the sync taken off the writer's path. The write connection runs with
// synchronous=NORMAL, so a group's COMMIT writes its WAL frames without waiting for the disk; the
// syncer thread then syncs the WAL and only then answers the group's callers. The writer meanwhile
// runs the next group, and one sync covers every group committed before it began. A caller is
// never answered before its write is on disk, as with synchronous=FULL; a reader may see a group
// up to one sync before its callers are answered. If a sync fails, the writes it was to cover are
// in an unknown state on disk, so the writer stops: they and every later write answer Unavailable.
class Writer {
 public:
  // Takes the write connection (migrated) and starts the writer and syncer threads. `sync` replaces
  // the WAL's fdatasync (tests only).
  static StatusOr<std::unique_ptr<Writer>> Start(std::unique_ptr<Connection> conn,
                                                 int max_group_size, SyncFn sync = nullptr);
  // Runs and syncs what is queued, then stops both threads. Submit after this begins returns
  // Unavailable.
  ~Writer();

  // Queues `fn`; the future becomes ready once its group is committed and synced (or failed).
  // Called from the writer thread itself (a WriteFn calling Write) it is ready at once with
  // Internal, instead of deadlocking.
  std::future<Status> Submit(WriteFn fn);

  // The write path's counters; callable from any thread.
  StoreStats Stats();

 private:
  struct Job;
  // A committed group waiting for its sync: its jobs and each one's own result.
  struct Committed {
    std::vector<std::unique_ptr<Job>> jobs;
    std::vector<Status> results;
  };
  Writer(std::unique_ptr<Connection> conn, ChainHeads heads, int max_group_size, SyncFn sync);
  void Loop();
  std::vector<std::unique_ptr<Job>> TakeGroup();
  // Runs the group as one transaction; the results to give its callers, or an error if the whole
  // group was rolled back.
  StatusOr<std::vector<Status>> RunGroup(const std::vector<std::unique_ptr<Job>>& group);
  Status RunOne(Job& job);
  Status Control(const std::string& sql);
  void RecordGroup(std::size_t size, bool committed, double busy_seconds, double cpu_seconds);
  void RecordSync(double seconds);  // With mu_ held.
  void SyncLoop();
  Status SyncWal();

  std::unique_ptr<Connection> conn_;
  ChainHeads heads_;  // Writer thread only.
  const std::size_t max_group_size_;
  const SyncFn sync_;
  const std::string wal_path_;
  int wal_fd_ = -1;  // Syncer thread only; opened at the first sync.

  std::mutex mu_;
  std::condition_variable wake_;            // The writer's: a job was queued, or stopping.
  std::condition_variable wake_sync_;       // The syncer's: a group was committed, or writer_done_.
  std::deque<std::unique_ptr<Job>> queue_;  // Guarded by mu_.
  std::vector<Committed> unsynced_;         // Guarded by mu_.
  bool stopping_ = false;                   // Guarded by mu_.
  bool writer_done_ = false;                // Guarded by mu_: the writer thread has returned.
  Status failed_;                           // Guarded by mu_: set when a sync fails.
  StoreStats stats_;                        // Guarded by mu_ (queue_depth is computed on reading).
  std::thread thread_;
  std::thread syncer_;
};

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_WRITER_H_
