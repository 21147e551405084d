// The booking records of the SQLite store: clinic templates, slots and appointments, and above
// all that the database itself keeps a slot within its capacity however writers race.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/check.h"
#include "store/sqlite/sqlite_store.h"
#include "store/testing/fixtures.h"

namespace tendon::store::sqlite {
namespace {

using testing::At;
using testing::MakeAppointment;
using testing::MakeSlot;
using testing::MakeTemplate;

constexpr std::int64_t kHour = 3600;

// Every slot of the first day after At(0).
SlotQuery Day() {
  SlotQuery query;
  query.from = At(0);
  query.to = At(24 * kHour);
  return query;
}

class BookingRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::Open(dir_.file("tendon.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    Status s = store_->Write([](WriteTxn& txn) { return testing::InsertClinic(txn); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Inserts patients 1..n, each with an awaiting-triage referral "ref-i".
  void AddReferrals(int n) {
    Status s = store_->Write([n](WriteTxn& txn) {
      for (int i = 1; i <= n; ++i) RETURN_IF_ERROR(testing::InsertReferredPatient(txn, i));
      return OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Gives patients 1 to n an email address, where their messages can go.
  void GiveEmail(int n) {
    Status s = store_->Write([n](WriteTxn& txn) -> Status {
      for (int i = 1; i <= n; ++i) {
        ASSIGN_OR_RETURN(Patient p, txn.GetPatient("patient-" + std::to_string(i)));
        p.email = "patient" + std::to_string(i) + "@example.com";
        RETURN_IF_ERROR(txn.UpdatePatient(p));
      }
      return OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void AddSlots(const std::vector<Slot>& slots) {
    Status s = store_->Write([&](WriteTxn& txn) { return txn.PutSlots(slots).status(); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  Status Book(const Appointment& appointment) {
    return store_->Write([&](WriteTxn& txn) { return txn.InsertAppointment(appointment); });
  }

  Status Update(const Appointment& appointment) {
    return store_->Write([&](WriteTxn& txn) { return txn.UpdateAppointment(appointment); });
  }

  int Booked(const std::string& slot_id) {
    auto slot = store_->GetSlot(slot_id);
    EXPECT_TRUE(slot.ok()) << slot.status().ToString();
    return slot.ok() ? slot->booked : -1;
  }

  // Runs raw SQL against the database file, as someone bypassing tendon would. Returns SQLite's
  // result code; `message` receives its error message.
  int RawSql(const std::string& sql, std::string* message = nullptr) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir_.file("tendon.db").c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    if (message != nullptr) *message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    return rc;
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(BookingRecordsTest, ClinicTemplateRoundTripsAndIsReplacedById) {
  ClinicTemplate clinic = MakeTemplate("tpl-2");
  clinic.room_id.clear();  // A telephone clinic needs no room.
  clinic.weekdays = {2, 4};
  clinic.slot_type = SlotType::kPhysioline;
  clinic.modality = Modality::kTelephone;
  clinic.ringfence = Ringfence::kUrgent;
  clinic.embargo_working_days = 3;
  clinic.slot_minutes = 20;
  clinic.valid_until = Date(date::days(20100));
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.PutClinicTemplate(clinic); }).ok());
  AddSlots({MakeSlot("slot-1", kHour)});  // tpl-1 is now referenced by a slot.
  ClinicTemplate replaced = MakeTemplate("tpl-1");
  replaced.capacity = 4;
  Status put = store_->Write([&](WriteTxn& txn) { return txn.PutClinicTemplate(replaced); });
  ASSERT_TRUE(put.ok()) << put.ToString();

  auto templates = store_->ListClinicTemplates();
  ASSERT_TRUE(templates.ok()) << templates.status().ToString();
  ASSERT_EQ(templates->size(), 2u);
  EXPECT_EQ((*templates)[0].capacity, 4);
  const ClinicTemplate& read = (*templates)[1];
  EXPECT_EQ(read.id, "tpl-2");
  EXPECT_EQ(read.clinician_id, "clin-1");
  EXPECT_EQ(read.site_id, "site-1");
  EXPECT_EQ(read.room_id, "");
  EXPECT_EQ(read.weekdays, (std::vector<int>{2, 4}));
  EXPECT_EQ(read.start_minute, 9 * 60);
  EXPECT_EQ(read.end_minute, 12 * 60);
  EXPECT_EQ(read.slot_type, SlotType::kPhysioline);
  EXPECT_EQ(read.slot_minutes, 20);
  EXPECT_EQ(read.modality, Modality::kTelephone);
  EXPECT_EQ(read.ringfence, Ringfence::kUrgent);
  EXPECT_EQ(read.embargo_working_days, 3);
  EXPECT_EQ(read.valid_from, clinic.valid_from);
  EXPECT_EQ(read.valid_until, clinic.valid_until);
}

TEST_F(BookingRecordsTest, ClinicTemplateNeedsItsClinicianSiteAndRoom) {
  struct Case {
    std::string field;
    void (*spoil)(ClinicTemplate&);
  };
  const Case cases[] = {
      {"clinician_id", [](ClinicTemplate& t) { t.clinician_id = "nobody"; }},
      {"site_id", [](ClinicTemplate& t) { t.site_id = "nowhere"; }},
      {"room_id", [](ClinicTemplate& t) { t.room_id = "cupboard"; }},
  };
  for (const Case& c : cases) {
    ClinicTemplate clinic = MakeTemplate("tpl-2");
    c.spoil(clinic);
    Status s = store_->Write([&](WriteTxn& txn) { return txn.PutClinicTemplate(clinic); });
    EXPECT_EQ(s.code(), StatusCode::kNotFound) << c.field;
    EXPECT_EQ(s.field(), c.field);
  }
  ClinicTemplate empty = MakeTemplate("tpl-2");
  empty.capacity = 0;
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.PutClinicTemplate(empty); }).field(),
            "capacity");
  EXPECT_EQ(store_->ListClinicTemplates()->size(), 1u);
}

TEST_F(BookingRecordsTest, SlotRoundTrips) {
  Slot slot = MakeSlot("slot-1", kHour);
  slot.type = SlotType::kInjection;
  slot.modality = Modality::kVideo;
  slot.ringfence = Ringfence::kPostOp;
  slot.opens_to_all_at = At(-86400);
  slot.booked = 1;  // Ignored: the store counts bookings itself.
  AddSlots({slot});
  auto read = store_->GetSlot("slot-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->template_id, "tpl-1");
  EXPECT_EQ(read->clinician_id, "clin-1");
  EXPECT_EQ(read->site_id, "site-1");
  EXPECT_EQ(read->room_id, "room-1");
  EXPECT_EQ(read->start, At(kHour));
  EXPECT_EQ(read->end, At(kHour + 30 * 60));
  EXPECT_EQ(read->type, SlotType::kInjection);
  EXPECT_EQ(read->modality, Modality::kVideo);
  EXPECT_EQ(read->capacity, 1);
  EXPECT_EQ(read->ringfence, Ringfence::kPostOp);
  EXPECT_EQ(read->opens_to_all_at, At(-86400));
  EXPECT_EQ(read->booked, 0);
  EXPECT_FALSE(read->cancelled);
  EXPECT_EQ(store_->GetSlot("slot-9").status().code(), StatusCode::kNotFound);
}

TEST_F(BookingRecordsTest, PutSlotsIsIdempotentAndKeepsBookings) {
  AddReferrals(1);
  const std::vector<Slot> slots = {MakeSlot("slot-1", kHour), MakeSlot("slot-2", 2 * kHour)};
  AddSlots(slots);
  ASSERT_TRUE(Book(MakeAppointment("appt-1", "slot-1", 1)).ok());
  std::vector<Slot> again = slots;
  again.push_back(MakeSlot("slot-3", 3 * kHour));
  int inserted = -1;
  Status s = store_->Write([&](WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(inserted, txn.PutSlots(again));
    return OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(inserted, 1);
  EXPECT_EQ(Booked("slot-1"), 1);
  EXPECT_EQ(store_->ListSlots(Day())->size(), 3u);
}

TEST_F(BookingRecordsTest, PutSlotsRefusesABadSlotAndAnUnknownTemplate) {
  Slot empty = MakeSlot("slot-1", kHour);
  empty.capacity = 0;
  Slot orphan = MakeSlot("slot-2", kHour);
  orphan.template_id = "tpl-9";
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.PutSlots({empty}).status(); }).field(),
            "capacity");
  Status s = store_->Write([&](WriteTxn& txn) { return txn.PutSlots({orphan}).status(); });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.field(), "template_id");
}

TEST_F(BookingRecordsTest, ListSlotsFiltersAsTheQuerySays) {
  AddReferrals(1);
  Slot other_site = MakeSlot("b-site", 2 * kHour);
  other_site.site_id = "site-2";
  Slot other_clinician = MakeSlot("c-clinician", 3 * kHour);
  other_clinician.clinician_id = "clin-2";
  Slot video = MakeSlot("d-video", 4 * kHour);
  video.modality = Modality::kVideo;
  Slot group = MakeSlot("e-group", 5 * kHour, 6);
  Slot cancelled = MakeSlot("f-cancelled", 6 * kHour);
  AddSlots({MakeSlot("a-full", kHour), other_site, other_clinician, video, group, cancelled,
            MakeSlot("g-later", 48 * kHour)});
  ASSERT_TRUE(Book(MakeAppointment("appt-1", "a-full", 1)).ok());
  ASSERT_TRUE(
      store_->Write([](WriteTxn& txn) { return txn.SetSlotCancelled("f-cancelled", true); }).ok());

  // The ids of the slots of the first day that the query, as `shape` makes it, returns.
  auto ids = [&](void (*shape)(SlotQuery&)) {
    SlotQuery query = Day();
    shape(query);
    auto slots = store_->ListSlots(query);
    EXPECT_TRUE(slots.ok()) << slots.status().ToString();
    std::string out;
    for (const Slot& slot : slots.value()) out += slot.id + " ";
    return out;
  };
  EXPECT_EQ(ids([](SlotQuery&) {}), "a-full b-site c-clinician d-video e-group ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.include_cancelled = true; }),
            "a-full b-site c-clinician d-video e-group f-cancelled ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.site_id = "site-2"; }), "b-site ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.clinician_id = "clin-2"; }), "c-clinician ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.type = SlotType::kGroup; }), "e-group ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.modality = Modality::kVideo; }), "d-video ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.free_only = true; }), "b-site c-clinician d-video e-group ");
  EXPECT_EQ(ids([](SlotQuery& q) { q.limit = 2; }), "a-full b-site ");
  EXPECT_EQ(ids([](SlotQuery& q) {
              q.site_id = "site-1";
              q.clinician_id = "clin-1";
              q.free_only = true;
            }),
            "d-video e-group ");
}

TEST_F(BookingRecordsTest, AppointmentRoundTripsAndIsListed) {
  AddReferrals(2);
  Slot later = MakeSlot("slot-2", 2 * kHour);
  later.clinician_id = "clin-2";
  AddSlots({MakeSlot("slot-1", kHour, 2), later});
  Appointment first = MakeAppointment("appt-1", "slot-2", 1);
  first.idempotency_key = "key-1";
  Appointment second = MakeAppointment("appt-2", "slot-1", 1);
  second.booked_at = At(120);
  second.updated_at = At(120);
  ASSERT_TRUE(Book(first).ok());
  ASSERT_TRUE(Book(second).ok());
  ASSERT_TRUE(Book(MakeAppointment("appt-3", "slot-1", 2)).ok());

  auto read = store_->GetAppointment("appt-1");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->slot_id, "slot-2");
  EXPECT_EQ(read->referral_id, "ref-1");
  EXPECT_EQ(read->patient_key, "patient-1");
  EXPECT_EQ(read->status, AppointmentStatus::kBooked);
  EXPECT_EQ(read->idempotency_key, "key-1");
  EXPECT_EQ(read->booked_at, At(60));
  EXPECT_EQ(store_->GetAppointment("appt-9").status().code(), StatusCode::kNotFound);

  auto for_referral = store_->ListAppointmentsForReferral("ref-1");
  ASSERT_TRUE(for_referral.ok());
  ASSERT_EQ(for_referral->size(), 2u);
  EXPECT_EQ((*for_referral)[0].id, "appt-1");  // Booked first.
  auto between = store_->ListAppointmentsBetween(At(0), At(24 * kHour), "");
  ASSERT_TRUE(between.ok()) << between.status().ToString();
  ASSERT_EQ(between->size(), 3u);
  EXPECT_EQ((*between)[2].id, "appt-1");  // In the later slot.
  auto for_clinician = store_->ListAppointmentsBetween(At(0), At(24 * kHour), "clin-2");
  ASSERT_EQ(for_clinician->size(), 1u);
  EXPECT_EQ((*for_clinician)[0].id, "appt-1");
  EXPECT_TRUE(store_->ListAppointmentsBetween(At(3 * kHour), At(4 * kHour), "")->empty());
}

TEST_F(BookingRecordsTest, BookingNeedsItsSlotAndReferral) {
  AddReferrals(1);
  AddSlots({MakeSlot("slot-1", kHour)});
  Status no_slot = Book(MakeAppointment("appt-1", "slot-9", 1));
  EXPECT_EQ(no_slot.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_slot.field(), "slot_id");
  Status no_referral = Book(MakeAppointment("appt-1", "slot-1", 7));
  EXPECT_EQ(no_referral.code(), StatusCode::kNotFound);
  EXPECT_EQ(no_referral.field(), "referral_id");
  EXPECT_EQ(Booked("slot-1"), 0);
}

TEST_F(BookingRecordsTest, SecondBookingOfASingleSlotIsAbortedUntilTheFirstIsCancelled) {
  AddReferrals(2);
  AddSlots({MakeSlot("slot-1", kHour)});
  Appointment first = MakeAppointment("appt-1", "slot-1", 1);
  ASSERT_TRUE(Book(first).ok());
  Status full = Book(MakeAppointment("appt-2", "slot-1", 2));
  EXPECT_EQ(full.code(), StatusCode::kAborted);
  EXPECT_EQ(full.message(), "the slot is full");
  EXPECT_EQ(full.field(), "slot_id");
  EXPECT_EQ(Booked("slot-1"), 1);
  EXPECT_EQ(store_->GetAppointment("appt-2").status().code(), StatusCode::kNotFound);

  first.status = AppointmentStatus::kCancelled;
  first.cancelled_by = "patient";
  first.cancel_reason = "feeling better";
  ASSERT_TRUE(Update(first).ok());
  EXPECT_EQ(Booked("slot-1"), 0);
  EXPECT_EQ(store_->GetAppointment("appt-1")->cancel_reason, "feeling better");
  ASSERT_TRUE(Book(MakeAppointment("appt-2", "slot-1", 2)).ok());
  EXPECT_EQ(Booked("slot-1"), 1);

  // The cancelled appointment cannot take the place back while another holds it.
  first.status = AppointmentStatus::kBooked;
  EXPECT_EQ(Update(first).code(), StatusCode::kAborted);
  EXPECT_EQ(store_->GetAppointment("appt-1")->status, AppointmentStatus::kCancelled);
}

TEST_F(BookingRecordsTest, StatusChangesWithinAFullSlotKeepItsCount) {
  AddReferrals(1);
  AddSlots({MakeSlot("slot-1", kHour)});
  Appointment appointment = MakeAppointment("appt-1", "slot-1", 1);
  ASSERT_TRUE(Book(appointment).ok());
  for (AppointmentStatus status :
       {AppointmentStatus::kAttended, AppointmentStatus::kDna, AppointmentStatus::kBooked}) {
    appointment.status = status;
    Status s = Update(appointment);
    EXPECT_TRUE(s.ok()) << ToString(status) << ": " << s.ToString();
    EXPECT_EQ(Booked("slot-1"), 1) << ToString(status);
  }
}

TEST_F(BookingRecordsTest, UpdateCannotMoveAnAppointmentOrChangeItsKey) {
  AddReferrals(2);
  AddSlots({MakeSlot("slot-1", kHour), MakeSlot("slot-2", 2 * kHour)});
  Appointment appointment = MakeAppointment("appt-1", "slot-1", 1);
  ASSERT_TRUE(Book(appointment).ok());
  Appointment moved = appointment;
  moved.slot_id = "slot-2";
  EXPECT_EQ(Update(moved).field(), "slot_id");
  Appointment rereferred = appointment;
  rereferred.referral_id = "ref-2";
  EXPECT_EQ(Update(rereferred).field(), "referral_id");
  Appointment rekeyed = appointment;
  rekeyed.idempotency_key = "key-9";
  EXPECT_EQ(Update(rekeyed).field(), "idempotency_key");
  EXPECT_EQ(Update(MakeAppointment("appt-9", "slot-1", 1)).code(), StatusCode::kNotFound);
  EXPECT_EQ(Booked("slot-1"), 1);
  EXPECT_EQ(Booked("slot-2"), 0);
}

TEST_F(BookingRecordsTest, GroupSlotTakesExactlyItsCapacity) {
  constexpr int kCapacity = 3;
  AddReferrals(kCapacity + 1);
  AddSlots({MakeSlot("group-1", kHour, kCapacity)});
  for (int i = 1; i <= kCapacity; ++i) {
    Status s = Book(MakeAppointment("appt-" + std::to_string(i), "group-1", i));
    ASSERT_TRUE(s.ok()) << i << ": " << s.ToString();
  }
  EXPECT_EQ(Book(MakeAppointment("appt-4", "group-1", kCapacity + 1)).code(), StatusCode::kAborted);
  EXPECT_EQ(Booked("group-1"), kCapacity);
  SlotQuery free = Day();
  free.free_only = true;
  EXPECT_TRUE(store_->ListSlots(free)->empty());
}

// Every thread books through its own Store::Write; the writer may run them in one group, each in
// its own savepoint, so the database's count is what decides.
TEST_F(BookingRecordsTest, RacingBookingsOfOneSlotLetExactlyOneThrough) {
  constexpr int kThreads = 32;
  AddReferrals(kThreads);
  AddSlots({MakeSlot("slot-1", kHour)});
  std::atomic<int> ok{0};
  std::atomic<int> aborted{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 1; i <= kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      Status s = Book(MakeAppointment("appt-" + std::to_string(i), "slot-1", i));
      if (s.ok()) ++ok;
      if (s.code() == StatusCode::kAborted) ++aborted;
    });
  }
  go = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), kThreads - 1);
  EXPECT_EQ(Booked("slot-1"), 1);
  EXPECT_EQ(store_->ListAppointmentsBetween(At(0), At(2 * kHour), "")->size(), 1u);
}

TEST_F(BookingRecordsTest, ManyRacingBookingsFillEachSlotOnce) {
  constexpr int kSlots = 10;
  constexpr int kThreads = 20;
  constexpr int kAttemptsPerThread = 10;
  AddReferrals(kThreads);
  std::vector<Slot> slots;
  for (int i = 0; i < kSlots; ++i)
    slots.push_back(MakeSlot("slot-" + std::to_string(i), i * kHour));
  AddSlots(slots);
  std::atomic<int> ok{0};
  std::atomic<int> aborted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int a = 0; a < kAttemptsPerThread; ++a) {
        const int attempt = t * kAttemptsPerThread + a;
        Status s = Book(MakeAppointment("appt-" + std::to_string(attempt),
                                        "slot-" + std::to_string((attempt + t) % kSlots), t + 1));
        if (s.ok()) ++ok;
        if (s.code() == StatusCode::kAborted) ++aborted;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), kSlots);
  EXPECT_EQ(aborted.load(), kThreads * kAttemptsPerThread - kSlots);
  for (const Slot& slot : slots) EXPECT_EQ(Booked(slot.id), 1) << slot.id;
  EXPECT_EQ(store_->ListAppointmentsBetween(At(0), At(kSlots * kHour), "")->size(),
            static_cast<std::size_t>(kSlots));
}

TEST_F(BookingRecordsTest, CheckFindsABookedCountAlteredBehindTheStoresBack) {
  AddReferrals(1);
  AddSlots({MakeSlot("slot-1", kHour)});
  ASSERT_TRUE(Book(MakeAppointment("appt-1", "slot-1", 1)).ok());
  auto clean = CheckInvariants(*store_);
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_TRUE(clean->violations.empty());
  ASSERT_EQ(RawSql("UPDATE slots SET booked = 0 WHERE id = 'slot-1'"), SQLITE_OK);
  auto report = CheckInvariants(*store_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->violations.size(), 1u);
  EXPECT_NE(
      report->violations[0].find("slot slot-1: 1 appointments hold a place, the count says 0"),
      std::string::npos)
      << report->violations[0];
}

TEST_F(BookingRecordsTest, DatabaseRefusesOverbookingThatBypassesTendon) {
  AddReferrals(2);
  AddSlots({MakeSlot("slot-1", kHour)});
  ASSERT_TRUE(Book(MakeAppointment("appt-1", "slot-1", 1)).ok());
  std::string message;
  int rc = RawSql(
      "INSERT INTO appointments (id, slot_id, referral_id, patient_key, status, booked_at, "
      "updated_at) VALUES ('raw-1', 'slot-1', 'ref-2', 'patient-2', 'attended', 1, 1)",
      &message);
  EXPECT_EQ(rc, SQLITE_CONSTRAINT);
  EXPECT_NE(message.find("slots_booked_within_capacity"), std::string::npos) << message;
  EXPECT_EQ(RawSql("UPDATE slots SET booked = 2 WHERE id = 'slot-1'"), SQLITE_CONSTRAINT);
  EXPECT_EQ(RawSql("UPDATE slots SET booked = -1 WHERE id = 'slot-1'"), SQLITE_CONSTRAINT);
  // A cancelled booking holds no place, so that much the database lets through.
  EXPECT_EQ(RawSql("INSERT INTO appointments (id, slot_id, referral_id, patient_key, status, "
                   "booked_at, updated_at) VALUES ('raw-2', 'slot-1', 'ref-2', 'patient-2', "
                   "'cancelled', 1, 1)"),
            SQLITE_OK);
  EXPECT_EQ(RawSql("UPDATE appointments SET status = 'booked' WHERE id = 'raw-2'"),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(Booked("slot-1"), 1);
  EXPECT_EQ(store_->ListAppointmentsForReferral("ref-2")->size(), 1u);
}

TEST_F(BookingRecordsTest, ReusedIdempotencyKeyIsRefusedAndFindsTheBooking) {
  AddReferrals(1);
  AddSlots({MakeSlot("slot-1", kHour), MakeSlot("slot-2", 2 * kHour)});
  Appointment first = MakeAppointment("appt-1", "slot-1", 1);
  first.idempotency_key = "request-abc";
  ASSERT_TRUE(Book(first).ok());
  Appointment retry = MakeAppointment("appt-2", "slot-2", 1);
  retry.idempotency_key = "request-abc";
  Status s = Book(retry);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s.field(), "idempotency_key");
  EXPECT_EQ(Booked("slot-2"), 0);
  // Appointments without a key never clash.
  ASSERT_TRUE(Book(MakeAppointment("appt-3", "slot-2", 1)).ok());

  std::string found;
  Status read = store_->Write([&](WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Appointment appointment, txn.FindAppointmentByIdempotencyKey("request-abc"));
    found = appointment.id;
    EXPECT_EQ(txn.FindAppointmentByIdempotencyKey("request-xyz").status().code(),
              StatusCode::kNotFound);
    EXPECT_EQ(txn.FindAppointmentByIdempotencyKey("").status().code(), StatusCode::kNotFound);
    return OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(found, "appt-1");
  EXPECT_EQ(RawSql("INSERT INTO appointments (id, slot_id, referral_id, patient_key, status, "
                   "idempotency_key, booked_at, updated_at) VALUES ('raw-1', 'slot-2', 'ref-1', "
                   "'patient-1', 'cancelled', 'request-abc', 1, 1)"),
            SQLITE_CONSTRAINT);
}

TEST_F(BookingRecordsTest, CancelledSlotRefusesBookings) {
  AddReferrals(1);
  AddSlots({MakeSlot("slot-1", kHour)});
  ASSERT_TRUE(
      store_->Write([](WriteTxn& txn) { return txn.SetSlotCancelled("slot-1", true); }).ok());
  EXPECT_TRUE(store_->GetSlot("slot-1")->cancelled);
  Status s = Book(MakeAppointment("appt-1", "slot-1", 1));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.field(), "slot_id");
  std::string message;
  EXPECT_EQ(RawSql("INSERT INTO appointments (id, slot_id, referral_id, patient_key, status, "
                   "booked_at, updated_at) VALUES ('raw-1', 'slot-1', 'ref-1', 'patient-1', "
                   "'booked', 1, 1)",
                   &message),
            SQLITE_CONSTRAINT);
  EXPECT_EQ(message, "the slot is cancelled");
  EXPECT_EQ(Booked("slot-1"), 0);

  ASSERT_TRUE(
      store_->Write([](WriteTxn& txn) { return txn.SetSlotCancelled("slot-1", false); }).ok());
  EXPECT_TRUE(Book(MakeAppointment("appt-1", "slot-1", 1)).ok());
  EXPECT_EQ(
      store_->Write([](WriteTxn& txn) { return txn.SetSlotCancelled("slot-9", true); }).code(),
      StatusCode::kNotFound);
}

// A cancellation message for `patient_key` about `referral_id` (none when empty).
Notification Message(const std::string& patient_key, const std::string& referral_id) {
  Notification n;
  n.kind = "appointment.cancelled_by_service";
  n.patient_key = patient_key;
  n.referral_id = referral_id;
  return n;
}

}  // namespace
TEST_F(BookingRecordsTest, TheOutboxKeepsMessagesInQueueingOrderForTheirPatient) {
  AddReferrals(2);
  auto enqueue = [&](const Notification& n) {
    StatusOr<std::int64_t> id = InternalError("not run");
    Status s = store_->Write([&](WriteTxn& txn) {
      id = txn.EnqueueNotification(n);
      return id.status();
    });
    return s.ok() ? id : StatusOr<std::int64_t>(s);
  };
  GiveEmail(2);
  Notification first = Message("patient-1", "ref-1");
  first.payload = R"({"reason":"sickness"})";
  first.status = NotificationStatus::kSent;
  first.created_at = At(0);
  Notification second = Message("patient-2", "");
  second.kind = "appointment.moved_by_service";
  auto a = enqueue(first);
  auto b = enqueue(second);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << b.status().ToString();
  EXPECT_LT(*a, *b);
  const std::vector<Notification> all = *store_->ListNotifications({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].payload, R"({"reason":"sickness"})");
  EXPECT_EQ(all[0].status, NotificationStatus::kQueued);  // Whatever the caller said.
  EXPECT_EQ(all[1].referral_id, "");
  EXPECT_NE(all[1].created_at, Instant{});
  OutboxQuery mine;
  mine.patient_key = "patient-2";
  EXPECT_EQ(store_->ListNotifications(mine)->size(), 1u);
  OutboxQuery later;
  later.after_id = *a;
  later.status = NotificationStatus::kQueued;
  EXPECT_EQ(store_->ListNotifications(later)->front().id, *b);
  later.status = NotificationStatus::kSent;
  EXPECT_TRUE(store_->ListNotifications(later)->empty());
}

TEST_F(BookingRecordsTest, AMessageForNoOneOrWithABadPayloadIsRefusedNamingTheField) {
  AddReferrals(1);
  auto refused = [&](Notification n) {
    return store_->Write([&](WriteTxn& txn) { return txn.EnqueueNotification(n).status(); });
  };
  Notification good = Message("patient-1", "ref-1");
  good.created_at = At(0);
  Notification n = good;
  n.patient_key = "patient-9";
  EXPECT_EQ(refused(n).field(), "patient_key");
  n = good;
  n.referral_id = "ref-9";
  EXPECT_EQ(refused(n).field(), "referral_id");
  n = good;
  n.payload = "[1]";
  EXPECT_EQ(refused(n).field(), "payload");
  n = good;
  n.kind.clear();
  EXPECT_EQ(refused(n).field(), "kind");
  EXPECT_TRUE(store_->ListNotifications({})->empty());
}

}  // namespace tendon::store::sqlite
