// The group-commit writer of the SQLite backend (see sqlite_store.h for the contract it provides).
#ifndef TENDON_STORE_SQLITE_WRITER_H_
#define TENDON_STORE_SQLITE_WRITER_H_

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/write_txn.h"
#include "store/store.h"

namespace tendon::store::sqlite {

class Writer {
 public:
  // Takes the write connection (migrated) and starts the writer thread.
  static StatusOr<std::unique_ptr<Writer>> Start(std::unique_ptr<Connection> conn,
                                                 int max_group_size);
  // Runs what is queued, then stops the thread. Submit after this begins returns Unavailable.
  ~Writer();

  // Queues `fn`; the future becomes ready once its group is committed (or failed). Called from the
  // writer thread itself (a WriteFn calling Write) it is ready at once with Internal, instead of
  // deadlocking.
  std::future<Status> Submit(WriteFn fn);

  // The write path's counters; callable from any thread.
  StoreStats Stats();

 private:
  struct Job;
  Writer(std::unique_ptr<Connection> conn, ChainHeads heads, int max_group_size);
  void Loop();
  std::vector<std::unique_ptr<Job>> TakeGroup();
  void RunGroup(const std::vector<std::unique_ptr<Job>>& group);
  Status RunOne(Job& job);
  Status Control(const std::string& sql);
  void RecordGroup(std::size_t size, bool committed);

  std::unique_ptr<Connection> conn_;
  ChainHeads heads_;  // Writer thread only.
  const std::size_t max_group_size_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<Job>> queue_;  // Guarded by mu_.
  bool stopping_ = false;                   // Guarded by mu_.
  StoreStats stats_;                        // Guarded by mu_ (queue_depth is computed on reading).
  std::thread thread_;
};

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_WRITER_H_
