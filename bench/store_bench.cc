// Durable write throughput of the SQLite store's group commit, against the raw single-row commit
// rate of SQLite (WAL, synchronous=FULL) measured in the same run on the same disk.
//
// Usage: store_bench [DIR] [SECONDS]   (DIR defaults to the system temporary directory)
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace {

using Clock = std::chrono::steady_clock;
using tendon::Status;
using tendon::store::WriteTxn;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// One INSERT per transaction on one connection: every row waits for its own fsync.
double RawSqliteCommitsPerSecond(const std::filesystem::path& path, double seconds) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (at, actor, action) VALUES (?1, 'bench', 'row.write')", -1,
                     &stmt, nullptr);
  long count = 0;
  const auto start = Clock::now();
  while (Seconds(Clock::now() - start) < seconds) {
    sqlite3_bind_int64(stmt, 1, count);
    if (sqlite3_step(stmt) != SQLITE_DONE) break;
    sqlite3_reset(stmt);
    ++count;
  }
  const double rate = count / Seconds(Clock::now() - start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rate;
}

// `writers` threads each calling Store::Write in a loop, one audit row per write.
double StoreWritesPerSecond(const std::filesystem::path& path, int writers, double seconds) {
  auto store = tendon::store::sqlite::SqliteStore::Open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 0;
  }
  std::atomic<long> count{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        Status s = (*store)->Write([](WriteTxn& txn) {
          return txn.AppendAudit({0, {}, "bench", "bench", "", "row.write", ""}).status();
        });
        if (s.ok()) ++count;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  return count.load() / Seconds(Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir =
      argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
  const double seconds = argc > 2 ? std::stod(argv[2]) : 3.0;
  const auto base = dir / ("tendon-store-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(base);

  const double raw = RawSqliteCommitsPerSecond(base / "raw.db", seconds);
  const double one = StoreWritesPerSecond(base / "one.db", 1, seconds);
  const double sixteen = StoreWritesPerSecond(base / "sixteen.db", 16, seconds);
  std::filesystem::remove_all(base);

  std::printf("raw sqlite, 1 row per commit (WAL, synchronous=FULL): %10.0f commits/s\n", raw);
  std::printf(
      "tendon store, 1 writer:                               %10.0f writes/s  (%.2fx raw)\n", one,
      one / raw);
  std::printf(
      "tendon store, 16 concurrent writers (group commit):   %10.0f writes/s  (%.2fx raw)\n",
      sixteen, sixteen / raw);
  return 0;
}
