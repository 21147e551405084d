// The SQLite backend of the Store: the default, embedded store (DESIGN.md, "Storage").
//
// One file in WAL mode with foreign keys on. A single writer thread owns the write connection;
// Write() queues its function and waits. The writer takes every queued function (up to a group
// limit), runs each inside its own savepoint of one transaction and commits the group; a second
// thread syncs the WAL to disk, one fsync covering every group committed before it, and only then
// answers each caller: OK for a function that succeeded, its own error for one that failed (whose
// changes were rolled back to its savepoint without touching the others). An answer therefore
// means what it does under synchronous=FULL (writer.h). Contention never surfaces as SQLITE_BUSY,
// and durable throughput can exceed one fsync per request.
//
// Reads use a pool of read-only connections, so they never wait for the writer; each read sees the
// last committed state, which may be up to one sync ahead of what is on disk.
#ifndef TENDON_STORE_SQLITE_SQLITE_STORE_H_
#define TENDON_STORE_SQLITE_SQLITE_STORE_H_

#include <filesystem>
#include <functional>
#include <memory>

#include "core/status.h"
#include "store/store.h"

namespace tendon::store::sqlite {

struct SqliteOptions {
  // The most write functions committed together in one transaction.
  int max_group_size = 512;
  // Stop migrating at this schema version (0: the latest). For upgrade tests only.
  int schema_version = 0;
  // Replaces the fdatasync of the WAL that precedes every answer to a write. For tests only.
  std::function<Status()> sync_for_testing;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path`, applies pending migrations and starts the writer.
  // Unavailable when the file cannot be opened; FailedPrecondition when it is from a newer tendon.
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path,
                                                     const SqliteOptions& options = {});
  // Commits the writes already queued, then stops the writer and closes every connection.
  ~SqliteStore() override;

  Status Write(WriteFn fn) override;
  std::future<Status> WriteAsync(WriteFn fn) override;

  StatusOr<Patient> GetPatient(std::string_view key) override;
  StatusOr<Patient> FindPatientByNhsNumber(std::string_view nhs_number) override;
  StatusOr<std::vector<Patient>> FindPatientsByDemographics(Date date_of_birth,
                                                            std::string_view family_name,
                                                            std::string_view postcode) override;
  StatusOr<Referral> GetReferral(std::string_view id) override;
  StatusOr<ReferralDetails> GetReferralDetails(std::string_view referral_id) override;
  StatusOr<std::vector<TriageClaim>> ListClaims() override;
  StatusOr<std::vector<ReferralLink>> ListLinks(std::string_view referral_id) override;
  StatusOr<std::vector<IntakeAttempt>> ListIntakeAttempts(int limit) override;
  StatusOr<std::vector<Notification>> ListNotifications(const OutboxQuery& query) override;
  StatusOr<std::vector<ClinicTemplate>> ListClinicTemplates() override;
  StatusOr<Slot> GetSlot(std::string_view slot_id) override;
  StatusOr<std::vector<Slot>> ListSlots(const SlotQuery& query) override;
  StatusOr<Appointment> GetAppointment(std::string_view id) override;
  StatusOr<std::vector<Appointment>> ListAppointmentsForReferral(
      std::string_view referral_id) override;
  StatusOr<std::vector<Appointment>> ListAppointmentsBetween(
      Instant from, Instant to, std::string_view clinician_id) override;
  StatusOr<std::vector<PathwayEvent>> ListEvents(std::string_view referral_id) override;
  StatusOr<std::vector<Site>> ListSites() override;
  StatusOr<std::vector<Room>> ListRooms() override;
  StatusOr<std::vector<Clinician>> ListClinicians() override;
  StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) override;
  StatusOr<std::vector<Referral>> ListReferralsForPatient(std::string_view patient_key) override;
  StatusOr<std::vector<Referral>> ListReferralsForOrganisation(std::string_view organisation,
                                                               int limit) override;
  StatusOr<std::vector<Referral>> ListReferralsInState(ReferralState state, int limit) override;
  StatusOr<std::vector<std::pair<ReferralState, std::int64_t>>> CountReferralsByState() override;
  StatusOr<User> GetUser(std::string_view id) override;
  StatusOr<User> FindUserByUsername(std::string_view username) override;
  StatusOr<std::vector<User>> ListUsers() override;
  StatusOr<Session> GetSession(std::string_view token_hash) override;
  StoreStats Stats() override;
  Status ScanEvents(std::int64_t after_id,
                    const std::function<Status(const PathwayEvent&)>& fn) override;
  Status ScanReferrals(const std::function<Status(const Referral&)>& fn) override;
  Status ScanPatients(const std::function<Status(const Patient&)>& fn) override;
  StatusOr<std::vector<std::string>> VerifyLogs() override;

  class Impl;

 private:
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  StatusOr<User> FindUser(std::string_view column, std::string_view value);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_SQLITE_STORE_H_
