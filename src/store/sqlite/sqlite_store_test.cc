#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "store/check.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::At;
using testing::MakeEvent;
using testing::MakePatient;
using testing::MakeReferral;
using testing::ReceivedEvent;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto opened = SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // Inserts patient `n` and an awaiting-triage referral "ref-n" for them.
  void AddReferral(int n) {
    Status s = store_->Write([n](WriteTxn& txn) { return testing::InsertReferredPatient(txn, n); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs raw SQL against the database file, as someone bypassing tendon would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.file("tendon.db").c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  std::vector<std::string> Violations() {
    auto report = CheckInvariants(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? report->violations : std::vector<std::string>{"check failed"};
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, ReferralAndEventsReadBackAfterReopen) {
  AddReferral(1);
  Reopen();
  auto referral = store_->GetReferral("ref-1");
  ASSERT_TRUE(referral.ok()) << referral.status().ToString();
  EXPECT_EQ(referral->state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(referral->owner, "triage");
  EXPECT_EQ(referral->next_action_due, At(3 * 86400));
  auto events = store_->ListEvents("ref-1");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, EventType::kReferralReceived);
  EXPECT_EQ((*events)[0].patient_key, "patient-1");
  auto patient = store_->FindPatientByNhsNumber(MakePatient(1).nhs_number);
  ASSERT_TRUE(patient.ok());
  EXPECT_EQ(patient->key, "patient-1");
  EXPECT_EQ(patient->date_of_birth, MakePatient(1).date_of_birth);
}

TEST_F(SqliteStoreTest, RecordEventMovesStateAndFillsEventFromReferral) {
  AddReferral(1);
  Referral triaged = MakeReferral("ref-1", "patient-1");
  triaged.state = ReferralState::kTriaged;
  triaged.tier = Tier::kTier2;
  triaged.service_line = ServiceLine::kSpinal;
  triaged.owner = "booking";
  Status s = store_->Write([&](WriteTxn& txn) {
    return txn
        .RecordEvent(triaged, MakeEvent(EventType::kTriageCompleted, ReferralState::kTriaged,
                                        R"({"outcome":"accepted"})"))
        .status();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto events = store_->ListEvents("ref-1");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().state_after, ReferralState::kTriaged);
  EXPECT_EQ(events->back().tier, Tier::kTier2);
  EXPECT_EQ(events->back().service_line, ServiceLine::kSpinal);
  EXPECT_EQ(store_->GetReferral("ref-1")->owner, "booking");
  EXPECT_TRUE(Violations().empty());
}

TEST_F(SqliteStoreTest, IllegalTransitionIsRefusedAndChangesNothing) {
  AddReferral(1);
  Referral closed = MakeReferral("ref-1", "patient-1");
  closed.state = ReferralState::kPifuWindow;
  Status s = store_->Write([&](WriteTxn& txn) {
    return txn
        .RecordEvent(closed, MakeEvent(EventType::kPifuOpened, ReferralState::kPifuWindow,
                                       R"({"window_ends":"2027-01-01"})"))
        .status();
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("awaiting_triage"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("pifu_window"), std::string::npos) << s.message();
  EXPECT_EQ(store_->GetReferral("ref-1")->state, ReferralState::kAwaitingTriage);
  EXPECT_EQ(store_->ListEvents("ref-1")->size(), 1u);
}

TEST_F(SqliteStoreTest, FailedWriteUndoesAllOfItsChanges) {
  Status s = store_->Write([&](WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.InsertPatient(MakePatient(1)));
    RETURN_IF_ERROR(
        txn.AppendAudit({0, At(0), "u1", "coordinator", "patient-1", "patient.create", ""})
            .status());
    return txn.InsertPatient(MakePatient(1));  // Duplicate: the whole write must go.
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->GetPatient("patient-1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListAudit({})->empty());
  AddReferral(2);  // The chain heads were restored: later writes still verify.
  EXPECT_TRUE(store_
                  ->Write([](WriteTxn& txn) {
                    return txn.AppendAudit({0, At(0), "u1", "coordinator", "", "x", ""}).status();
                  })
                  .ok());
  EXPECT_TRUE(Violations().empty());
}

TEST_F(SqliteStoreTest, OpenReferralWithoutOwnerOrDueTimeIsRefused) {
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.InsertPatient(MakePatient(1)); }).ok());
  Referral no_owner = MakeReferral("ref-1", "patient-1");
  no_owner.owner.clear();
  Status s = store_->Write(
      [&](WriteTxn& txn) { return txn.CreateReferral(no_owner, {ReceivedEvent()}).status(); });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.field(), "owner");
  Referral no_due = MakeReferral("ref-1", "patient-1");
  no_due.next_action_due.reset();
  s = store_->Write(
      [&](WriteTxn& txn) { return txn.CreateReferral(no_due, {ReceivedEvent()}).status(); });
  EXPECT_EQ(s.field(), "next_action_due");
  EXPECT_EQ(store_->GetReferral("ref-1").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, WriteFromInsideAWriteIsRefused) {
  Status inner;
  Status outer = store_->Write([&](WriteTxn&) {
    inner = store_->Write([](WriteTxn&) { return OkStatus(); });
    return OkStatus();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(inner.code(), StatusCode::kInternal);
}

TEST_F(SqliteStoreTest, QueuedWritesCommitInOrderBeforeTheWritesQueuedAfterThem) {
  auto append = [](std::string action) {
    return [action](WriteTxn& txn) {
      return txn.AppendAudit({0, At(0), "u1", "coordinator", "", action, ""}).status();
    };
  };
  std::vector<std::future<Status>> queued;
  for (int i = 0; i < 20; ++i) queued.push_back(store_->WriteAsync(append("queued")));
  ASSERT_TRUE(store_->Write(append("waited")).ok());
  // Write returned once its group was durable: every write queued before it is durable too.
  for (auto& f : queued) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_TRUE(f.get().ok());
  }
  const std::vector<AuditEntry> entries = *store_->ListAudit({});
  ASSERT_EQ(entries.size(), 21u);
  EXPECT_EQ(entries.back().action, "waited");
  // A queued write that fails is undone alone, and its future says why.
  auto refused = store_->WriteAsync([](WriteTxn&) { return InvalidArgumentError("no", "x"); });
  EXPECT_EQ(refused.get().field(), "x");
  Reopen();  // And what was answered OK survives a reopen.
  EXPECT_EQ(store_->ListAudit({})->size(), 21u);
}

TEST_F(SqliteStoreTest, EventsAndAuditAreAppendOnlyInTheDatabase) {
  AddReferral(1);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("tendon.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE pathway_events SET actor = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM pathway_events", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(store_->ListEvents("ref-1")->size(), 1u);
}

TEST_F(SqliteStoreTest, CheckFindsTamperedEventsStatesAndOwners) {
  for (int n = 1; n <= 3; ++n) AddReferral(n);
  ASSERT_TRUE(Violations().empty());
  Tamper(
      "DROP TRIGGER pathway_events_no_update;"
      "UPDATE pathway_events SET actor = 'someone else' WHERE referral_id = 'ref-2';"
      "UPDATE referrals SET state = 'booked' WHERE id = 'ref-3';"
      "PRAGMA ignore_check_constraints = ON;"
      "UPDATE referrals SET owner = '' WHERE id = 'ref-1';");
  std::vector<std::string> violations = Violations();
  ASSERT_EQ(violations.size(), 3u);
  std::string all;
  for (const auto& v : violations) all += v + "\n";
  EXPECT_NE(all.find("ref-1: open (awaiting_triage) with no owner"), std::string::npos) << all;
  EXPECT_NE(all.find("ref-3: state is 'booked' but its last event left it 'awaiting_triage'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("pathway event 2 does not match its hash chain"), std::string::npos) << all;
}

TEST_F(SqliteStoreTest, ConcurrentWritersLoseNothing) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 150;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int n = t * kPerThread + i;
        Status s = store_->Write([&](WriteTxn& txn) -> Status {
          RETURN_IF_ERROR(txn.InsertPatient(MakePatient(n)));
          return txn
              .AppendAudit({0, At(n), "writer", "test", "patient-" + std::to_string(n),
                            "patient.create", ""})
              .status();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  Reopen();
  std::set<std::string> keys;
  ASSERT_TRUE(store_
                  ->ScanPatients([&](const Patient& p) {
                    keys.insert(p.key);
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kThreads * kPerThread));
  AuditFilter all;
  all.limit = kThreads * kPerThread + 10;
  EXPECT_EQ(store_->ListAudit(all)->size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_TRUE(Violations().empty());
}

TEST_F(SqliteStoreTest, OneFailingWriteInAGroupDoesNotDisturbTheOthers) {
  constexpr int kThreads = 8;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = store_->Write([&](WriteTxn& txn) -> Status {
        RETURN_IF_ERROR(txn.InsertPatient(MakePatient(t)));
        if (t % 2 == 1) return InvalidArgumentError("odd writers fail", "t");
        return OkStatus();
      });
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[t].ok(), t % 2 == 0) << t;
    EXPECT_EQ(store_->GetPatient("patient-" + std::to_string(t)).ok(), t % 2 == 0) << t;
  }
}

TEST_F(SqliteStoreTest, AuditFilterByPatient) {
  ASSERT_TRUE(
      store_
          ->Write([](WriteTxn& txn) -> Status {
            for (int i = 0; i < 6; ++i) {
              RETURN_IF_ERROR(
                  txn.AppendAudit({0, At(i), "u" + std::to_string(i % 2), "triage_clinician",
                                   "patient-" + std::to_string(i % 3), "referral.read", "triage"})
                      .status());
            }
            return OkStatus();
          })
          .ok());
  AuditFilter filter;
  filter.patient_key = "patient-1";
  auto rows = store_->ListAudit(filter);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].id, 2);
  EXPECT_EQ((*rows)[1].id, 5);
  EXPECT_EQ((*rows)[0].reason, "triage");
}

User MakeUser(const std::string& id, Role role) {
  User u;
  u.id = id;
  u.username = id;
  u.display_name = "User " + id;
  u.role = role;
  u.password_hash = "$argon2id$placeholder";
  u.created_at = At(0);
  return u;
}

TEST_F(SqliteStoreTest, UsersAreUniqueByUsernameAndPatientsLinkToARecord) {
  AddReferral(1);
  User patient = MakeUser("alex", Role::kPatient);
  patient.patient_key = "patient-1";
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.InsertUser(patient); }).ok());
  User twin = MakeUser("other-id", Role::kCoordinator);
  twin.username = "alex";
  Status s = store_->Write([&](WriteTxn& txn) { return txn.InsertUser(twin); });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s.field(), "username");
  User unlinked = MakeUser("sam", Role::kPatient);  // A patient account must name its record.
  EXPECT_FALSE(store_->Write([&](WriteTxn& txn) { return txn.InsertUser(unlinked); }).ok());
  auto found = store_->FindUserByUsername("alex");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->patient_key, "patient-1");
  EXPECT_EQ(found->role, Role::kPatient);
  EXPECT_EQ(store_->ListUsers()->size(), 1u);
}

TEST_F(SqliteStoreTest, AClinicianAccountNamesAKnownClinician) {
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return testing::InsertClinic(txn); }).ok());
  User clinician = MakeUser("dee", Role::kTreatingClinician);
  clinician.clinician_id = "clin-1";
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.InsertUser(clinician); }).ok());
  EXPECT_EQ(store_->GetUser("dee")->clinician_id, "clin-1");
  User stranger = MakeUser("eve", Role::kTreatingClinician);
  stranger.clinician_id = "clin-unknown";
  EXPECT_FALSE(store_->Write([&](WriteTxn& txn) { return txn.InsertUser(stranger); }).ok());
  clinician.clinician_id.clear();
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.UpdateUser(clinician); }).ok());
  EXPECT_EQ(store_->GetUser("dee")->clinician_id, "");
}

TEST_F(SqliteStoreTest, DisablingAUserEndsTheirSessions) {
  User user = MakeUser("kim", Role::kAdministrator);
  Session session{"hash-1", "kim", "csrf", At(0), At(0), ""};
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) -> Status {
                    RETURN_IF_ERROR(txn.InsertUser(user));
                    return txn.PutSession(session);
                  })
                  .ok());
  EXPECT_EQ(store_->GetSession("hash-1")->user_id, "kim");
  user.disabled = true;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) -> Status {
                    RETURN_IF_ERROR(txn.UpdateUser(user));
                    return txn.DeleteUserSessions(user.id);
                  })
                  .ok());
  EXPECT_TRUE(store_->GetUser("kim")->disabled);
  EXPECT_EQ(store_->GetSession("hash-1").status().code(), StatusCode::kNotFound);
  User ghost = MakeUser("ghost", Role::kAdministrator);
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.UpdateUser(ghost); }).code(),
            StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, ListReferralsInStateOldestFirst) {
  for (int n = 1; n <= 3; ++n) AddReferral(n);
  Referral triaged = MakeReferral("ref-2", "patient-2");
  triaged.state = ReferralState::kTriaged;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) {
                    return txn
                        .RecordEvent(triaged,
                                     MakeEvent(EventType::kTriageCompleted, ReferralState::kTriaged,
                                               R"({"outcome":"accepted"})"))
                        .status();
                  })
                  .ok());
  auto awaiting = store_->ListReferralsInState(ReferralState::kAwaitingTriage, 10);
  ASSERT_TRUE(awaiting.ok());
  ASSERT_EQ(awaiting->size(), 2u);
  EXPECT_EQ((*awaiting)[0].id, "ref-1");
  EXPECT_EQ((*awaiting)[1].id, "ref-3");
  EXPECT_EQ(store_->ListReferralsInState(ReferralState::kAwaitingTriage, 1)->size(), 1u);
}

TEST_F(SqliteStoreTest, StatsCountCommittedGroups) {
  AddReferral(1);
  AddReferral(2);
  StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.writes_committed, 2);
  EXPECT_EQ(stats.groups_committed, 2);
  EXPECT_EQ(stats.group_size_buckets[0], 2);  // Both groups held one write.
  EXPECT_EQ(stats.queue_depth, 0);
  EXPECT_EQ(stats.syncs, 2);  // Each write waited for its own sync of the log.
  EXPECT_GT(stats.sync_seconds, 0);
  EXPECT_EQ(stats.sync_seconds_buckets[std::size(StoreStats::kSyncSecondsBounds) - 1], 2);
}

// A write that waits holds the writer busy without using its CPU; one that computes uses both.
TEST_F(SqliteStoreTest, StatsSeparateTheWritersBusyTimeFromItsCpuTime) {
  ASSERT_TRUE(store_
                  ->Write([](WriteTxn&) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    return OkStatus();
                  })
                  .ok());
  StoreStats waited = store_->Stats();
  EXPECT_GE(waited.writer_busy_seconds, 0.05);
  EXPECT_LT(waited.writer_cpu_seconds, 0.025);

  ASSERT_TRUE(store_
                  ->Write([](WriteTxn&) {
                    // Computes until its thread, the writer, has used 30 ms of CPU.
                    auto cpu = [] {
                      timespec now{};
                      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
                      return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
                    };
                    const double start = cpu();
                    while (cpu() - start < 0.03) {
                    }
                    return OkStatus();
                  })
                  .ok());
  StoreStats computed = store_->Stats();
  EXPECT_GE(computed.writer_cpu_seconds - waited.writer_cpu_seconds, 0.03);
  EXPECT_LE(computed.writer_cpu_seconds, computed.writer_busy_seconds);
}

// The writer's commits no longer sync, but SQLite's checkpoints still copy the log into the
// database and start it again, so its length stays bounded through a long burst of writes.
TEST_F(SqliteStoreTest, TheLogStaysBoundedThroughABurstOfWrites) {
  const std::string reason(3000, 'r');  // About a page for each audit row.
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 75; ++i) {
        Status s = store_->Write([&](WriteTxn& txn) {
          for (int row = 0; row < 20; ++row) {
            RETURN_IF_ERROR(
                txn.AppendAudit({0, At(0), "u1", "coordinator", "", "bulk", reason}).status());
          }
          return OkStatus();
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  // About 12,000 frames written; SQLite checkpoints at 1,000, and a group is at most eight writes
  // of about 20 frames each.
  constexpr std::uintmax_t kFrameBytes = 24 + 4096;
  const std::filesystem::path db = dir_.file("tendon.db");
  EXPECT_LT(std::filesystem::file_size(db.string() + "-wal"), (1000 + 400) * kFrameBytes);
  EXPECT_GT(std::filesystem::file_size(db), 12'000 * 3000u);
  AuditFilter all;
  all.limit = 100'000;
  EXPECT_EQ(store_->ListAudit(all)->size(), 600u * 20u);
}

WriteFn AppendAction(std::string action) {
  return [action = std::move(action)](WriteTxn& txn) {
    return txn.AppendAudit({0, At(0), "u1", "coordinator", "", action, ""}).status();
  };
}

// The syncer, not COMMIT, makes a group durable; nobody is answered before it has.
TEST(SqliteStoreSyncTest, AWriteIsAnsweredOnlyOnceTheLogIsSynced) {
  testing::TempDir dir;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> syncs = 0;
  SqliteOptions options;
  options.sync_for_testing = [&] {
    ++syncs;
    released.wait();
    return OkStatus();
  };
  auto store = SqliteStore::Open(dir.file("tendon.db"), options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::future<Status> first = (*store)->WriteAsync(AppendAction("first"));
  // Committed: a reader sees it, and the syncer has begun the sync that must precede its answer.
  while (syncs.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ((*store)->ListAudit({})->size(), 1u);
  // Writes committed meanwhile wait for the next sync: none of them is answered yet.
  std::future<Status> second = (*store)->WriteAsync(AppendAction("second"));
  EXPECT_EQ(first.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  release.set_value();
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  EXPECT_EQ((*store)->ListAudit({})->size(), 2u);
  EXPECT_GE((*store)->Stats().syncs, 1);
}

// After a failed sync the disk's state is unknown, so the store answers every write Unavailable
// rather than acknowledge one it cannot promise.
TEST(SqliteStoreSyncTest, AFailedSyncFailsItsWritesAndRefusesLaterOnes) {
  testing::TempDir dir;
  SqliteOptions options;
  options.sync_for_testing = [] { return UnavailableError("fdatasync: Input/output error"); };
  auto store = SqliteStore::Open(dir.file("tendon.db"), options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Status first = (*store)->Write(AppendAction("first"));
  EXPECT_EQ(first.code(), StatusCode::kUnavailable);
  EXPECT_NE(first.message().find("Input/output error"), std::string::npos) << first.ToString();
  bool ran = false;
  Status later = (*store)->Write([&](WriteTxn&) {
    ran = true;
    return OkStatus();
  });
  EXPECT_EQ(later.code(), StatusCode::kUnavailable);
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace tendon::store::sqlite
