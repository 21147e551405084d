// A writer process killed with SIGKILL in the middle of a write load must lose no write it had
// acknowledged: every write Store::Write answered OK is in the database when it is opened again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "store/check.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::At;
using testing::MakePatient;

constexpr int kWriterThreads = 4;
constexpr int kAcksBeforeKill = 400;

// The child: writers insert patients and an audit row each, and report every acknowledged number on
// `ack_fd`. Never returns.
[[noreturn]] void RunWriters(const std::filesystem::path& db, int ack_fd) {
  auto store = SqliteStore::Open(db);
  if (!store.ok()) _exit(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriterThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::int64_t n = t;; n += kWriterThreads) {
        Status s = (*store)->Write([&](WriteTxn& txn) -> Status {
          RETURN_IF_ERROR(txn.InsertPatient(MakePatient(static_cast<int>(n))));
          return txn.AppendAudit({0, At(n), "loader", "test", "", "patient.create", ""}).status();
        });
        if (!s.ok()) _exit(3);
        if (write(ack_fd, &n, sizeof n) != sizeof n) _exit(4);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  _exit(0);
}

TEST(DurabilityTest, SigkillLosesNoAcknowledgedWrite) {
  testing::TempDir dir;
  const auto db = dir.file("kill.db");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    RunWriters(db, fds[1]);
  }
  close(fds[1]);
  std::vector<std::int64_t> acked;
  std::int64_t n = 0;
  while (acked.size() < kAcksBeforeKill && read(fds[0], &n, sizeof n) == sizeof n) {
    acked.push_back(n);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  while (read(fds[0], &n, sizeof n) == sizeof n) acked.push_back(n);  // Acks already in the pipe.
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the writer exited early with " << WEXITSTATUS(wstatus);
  ASSERT_GE(acked.size(), static_cast<std::size_t>(kAcksBeforeKill));

  auto store = SqliteStore::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (std::int64_t key : acked) {
    EXPECT_TRUE((*store)->GetPatient("patient-" + std::to_string(key)).ok()) << key;
  }
  auto report = CheckInvariants(**store);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->violations.empty()) << report->violations.front();
}

}  // namespace
}  // namespace tendon::store::sqlite
