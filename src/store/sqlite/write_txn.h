// The WriteTxn of the SQLite backend: runs on the writer thread, inside the writer's transaction.
#ifndef TENDON_STORE_SQLITE_WRITE_TXN_H_
#define TENDON_STORE_SQLITE_WRITE_TXN_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/log_hash.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

namespace tendon::store::sqlite {

// The heads of the two hash chains: the last id and hash of each log. The writer keeps them in
// memory and restores them when it rolls a function back.
struct ChainHeads {
  std::int64_t event_id = 0;
  ChainHash event_hash{};
  std::int64_t audit_id = 0;
  ChainHash audit_hash{};
};

// Reads the heads from the database (zero ids and hashes for empty logs).
StatusOr<ChainHeads> LoadChainHeads(Connection& conn);

class SqliteWriteTxn final : public WriteTxn {
 public:
  // `conn` must be inside a transaction; `heads` is updated as rows are appended.
  SqliteWriteTxn(Connection& conn, ChainHeads& heads) : conn_(conn), heads_(heads) {}

  Status PutSite(const Site& site) override;
  Status PutRoom(const Room& room) override;
  Status PutClinician(const Clinician& clinician) override;
  Status InsertPatient(const Patient& patient) override;
  Status UpdatePatient(const Patient& patient) override;
  StatusOr<Patient> FindPatientByNhsNumber(std::string_view nhs_number) override;
  StatusOr<std::int64_t> CreateReferral(const Referral& referral,
                                        std::vector<PathwayEvent> events) override;
  StatusOr<std::int64_t> RecordEvent(const Referral& updated, PathwayEvent event) override;
  StatusOr<std::int64_t> AppendAudit(const AuditEntry& entry) override;
  Status PutReferralDetails(const ReferralDetails& details) override;
  StatusOr<ReferralDetails> GetReferralDetails(std::string_view referral_id) override;
  StatusOr<TriageClaim> GetClaim(std::string_view referral_id) override;
  Status PutClaim(const TriageClaim& claim) override;
  Status DeleteClaim(std::string_view referral_id) override;
  Status InsertLink(const ReferralLink& link) override;
  StatusOr<std::int64_t> AppendIntakeAttempt(const IntakeAttempt& attempt) override;
  StatusOr<std::int64_t> EnqueueNotification(const Notification& notification) override;
  StatusOr<std::vector<Notification>> ClaimNotifications(Instant now,
                                                         std::chrono::milliseconds lease,
                                                         int limit) override;
  Status MarkNotificationSent(std::int64_t id, std::string_view provider_id, Instant at) override;
  Status MarkNotificationRetry(std::int64_t id, std::string_view error,
                               Instant next_attempt_at) override;
  Status MarkNotificationFailed(std::int64_t id, std::string_view error) override;
  Status PutClinicTemplate(const ClinicTemplate& clinic) override;
  StatusOr<int> PutSlots(const std::vector<Slot>& slots) override;
  StatusOr<Slot> GetSlot(std::string_view slot_id) override;
  Status SetSlotCancelled(std::string_view slot_id, bool cancelled) override;
  Status InsertAppointment(const Appointment& appointment) override;
  Status UpdateAppointment(const Appointment& appointment) override;
  StatusOr<Appointment> GetAppointment(std::string_view id) override;
  StatusOr<Appointment> FindAppointmentByIdempotencyKey(std::string_view key) override;
  StatusOr<Appointment> FindAppointmentInSlot(std::string_view referral_id,
                                              std::string_view slot_id) override;
  StatusOr<std::vector<Appointment>> ListOffers(std::string_view referral_id) override;
  StatusOr<int> LapseOffers(std::string_view slot_id, Instant now) override;
  Status InsertUser(const User& user) override;
  Status UpdateUser(const User& user) override;
  Status PutSession(const Session& session) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteUserSessions(std::string_view user_id) override;
  // portal_codes.cc.
  Status InsertPortalCode(const PortalCode& code) override;
  StatusOr<PortalCode> GetPortalCode(std::string_view challenge_hash) override;
  Status UpdatePortalCode(const PortalCode& code) override;
  StatusOr<int> DeleteExpiredPortalCodes(Instant now) override;
  StatusOr<Patient> GetPatient(std::string_view key) override;
  StatusOr<Referral> GetReferral(std::string_view id) override;

 private:
  StatusOr<bool> Exists(const std::string& sql, std::string_view key);
  // NotFound naming `field` when there is no referral `id`.
  Status RequireReferral(std::string_view id, std::string_view field);
  // AlreadyExists when another patient than `key` has `nhs_number` (never for an empty one).
  Status RequireNhsNumberFree(std::string_view nhs_number, std::string_view key);
  // NotFound naming `field` when `id` is not empty and there is no such row in `sql`'s table.
  Status RequireIfSet(const std::string& sql, std::string_view id, std::string_view what,
                      std::string_view field);
  Status InsertEvent(PathwayEvent& event);
  // Runs `sql` (parameter 1 the message's id) on a message that must be sending.
  Status UpdateSending(const std::string& sql, std::int64_t id,
                       const std::function<void(Statement&)>& bind);
  Status WriteReferral(const std::string& sql, const Referral& referral);

  Connection& conn_;
  ChainHeads& heads_;
};

// Shared by the WriteTxn and the read path: the record with that id, or NotFound.
StatusOr<Referral> SelectReferral(Connection& conn, std::string_view id);
StatusOr<Patient> SelectPatient(Connection& conn, std::string_view key);
// NotFound for an empty NHS number too: "not known" matches no one.
StatusOr<Patient> SelectPatientByNhsNumber(Connection& conn, std::string_view nhs_number);
StatusOr<ReferralDetails> SelectReferralDetails(Connection& conn, std::string_view referral_id);
StatusOr<Slot> SelectSlot(Connection& conn, std::string_view slot_id);
StatusOr<Appointment> SelectAppointment(Connection& conn, std::string_view id);

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_WRITE_TXN_H_
