// The Store: tendon's only way to keep and read records (DESIGN.md, "Storage"). No SQL lives
// outside src/store/. Workflows, the CLI and later the server use this interface and never a
// concrete backend.
//
// Writes are units of work: Store::Write runs a function against a WriteTxn, and every change the
// function makes is applied together or not at all. Write returns only when the outcome is durable:
// an OK answer means the change is on disk and survives a crash (kill -9, power loss with a honest
// disk).
//
// Every change to a referral goes through CreateReferral or RecordEvent, which write the referral
// row and its pathway event(s) in the same transaction and check each event against the state
// machine. Events and audit entries are append-only; the store chains each row to the previous one
// with a SHA-256 hash so that any later alteration is detected by VerifyLogs.
//
// Thread safety: a Store may be used from any number of threads at once.
#ifndef TENDON_STORE_STORE_H_
#define TENDON_STORE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/records.h"
#include "core/schedule.h"
#include "core/status.h"

namespace tendon::store {

// The operations of one write transaction. Valid only during the function given to Store::Write,
// and only on the thread that runs it. Reads through a WriteTxn see the transaction's own writes.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;

  // Reference data: insert, or replace the row with the same id.
  virtual Status PutSite(const Site& site) = 0;
  virtual Status PutRoom(const Room& room) = 0;
  virtual Status PutClinician(const Clinician& clinician) = 0;

  // AlreadyExists when the key or the NHS number is taken (an empty NHS number is "not known" and
  // never clashes).
  virtual Status InsertPatient(const Patient& patient) = 0;
  // Replaces the patient with the same key. NotFound when there is none; AlreadyExists when the
  // new NHS number belongs to another patient.
  virtual Status UpdatePatient(const Patient& patient) = 0;
  // NotFound when no patient has `nhs_number`. Sees the transaction's own writes, so a workflow can
  // find or create a patient without a race.
  virtual StatusOr<Patient> FindPatientByNhsNumber(std::string_view nhs_number) = 0;

  // Opens `referral` with its history so far: `events` in order, the first of a creating type
  // (referral.received, transfer.imported), each checked by ValidateEvent against the state the
  // ones before it left. `referral.state` must equal the last event's state_after. The store fills
  // each event's referral_id and patient_key from `referral`, and recorded_at where it is unset.
  // Returns the id of the last event.
  virtual StatusOr<std::int64_t> CreateReferral(const Referral& referral,
                                                std::vector<PathwayEvent> events) = 0;

  // Records `event` on an existing referral and stores `updated`, the referral as it is after the
  // event. The event's referral_id, patient_key, state_after, priority, tier, service_line and
  // (when empty) site are taken from `updated`; it is checked by ValidateEvent against the stored
  // state. NotFound when the referral does not exist; FailedPrecondition for an illegal move, or an
  // open referral left without an owner or a next-action due time. Returns the event id.
  virtual StatusOr<std::int64_t> RecordEvent(const Referral& updated, PathwayEvent event) = 0;

  // Appends an audit entry (recorded_at filled when unset). Returns its id.
  virtual StatusOr<std::int64_t> AppendAudit(const AuditEntry& entry) = 0;

  // Inserts or replaces the details of an existing referral. NotFound when there is no such
  // referral; InvalidArgument (field "answers" or "decision") when either is not a JSON object.
  virtual Status PutReferralDetails(const ReferralDetails& details) = 0;
  virtual StatusOr<ReferralDetails> GetReferralDetails(std::string_view referral_id) = 0;

  // Triage claims, one at most per referral. GetClaim: NotFound when the referral is unclaimed.
  // PutClaim inserts or replaces; DeleteClaim removes (no error when absent).
  virtual StatusOr<TriageClaim> GetClaim(std::string_view referral_id) = 0;
  virtual Status PutClaim(const TriageClaim& claim) = 0;
  virtual Status DeleteClaim(std::string_view referral_id) = 0;

  // Records a link between two existing referrals (NotFound otherwise; InvalidArgument when they
  // are the same; AlreadyExists when the pair, in either order, is linked already).
  virtual Status InsertLink(const ReferralLink& link) = 0;

  // Appends an anonymous intake attempt. Returns its id.
  virtual StatusOr<std::int64_t> AppendIntakeAttempt(const IntakeAttempt& attempt) = 0;

  // Queues a message in the outbox, status queued (created_at filled when unset; next_attempt_at
  // too, to created_at; attempts and the delivery fields start empty). Its channel and recipient
  // are fixed now: as given, or from the patient's record as it stands in this transaction
  // (core/contact.h AddressFor). A record with no usable address queues the message as failed,
  // saying why in last_error, for a coordinator to see. NotFound when the patient or (a
  // non-empty) referral does not exist; InvalidArgument (field "kind", "payload", "channel" or
  // "recipient") when the kind is empty, the payload is not a JSON object, or a recipient is
  // given without its channel or is not an address of it. Returns its id.
  virtual StatusOr<std::int64_t> EnqueueNotification(const Notification& notification) = 0;

  // Delivery (src/notify). ClaimNotifications takes up to `limit` messages, oldest first, that
  // are due at `now`: queued ones whose next attempt is due, and `sending` ones claimed at or
  // before now - `lease` (their worker stopped or crashed mid-send). Each is marked sending,
  // claimed at `now`, with one more attempt, in this transaction, and returned as it now is.
  virtual StatusOr<std::vector<Notification>> ClaimNotifications(Instant now,
                                                                 std::chrono::milliseconds lease,
                                                                 int limit) = 0;
  // The outcome of a claimed message's send. Each needs the message to be sending: NotFound when
  // there is no such id, FailedPrecondition when it is not sending. MarkNotificationSent records
  // the provider's id and when; MarkNotificationRetry puts it back in the queue until
  // `next_attempt_at`; MarkNotificationFailed gives it up for good. Retry and failed keep `error`.
  virtual Status MarkNotificationSent(std::int64_t id, std::string_view provider_id,
                                      Instant at) = 0;
  virtual Status MarkNotificationRetry(std::int64_t id, std::string_view error,
                                       Instant next_attempt_at) = 0;
  virtual Status MarkNotificationFailed(std::int64_t id, std::string_view error) = 0;

  // Capacity (the booking issue). PutClinicTemplate inserts or replaces by id (NotFound when its
  // clinician, site or room does not exist). PutSlots inserts the slots not yet stored and leaves
  // the others as they are (their bookings kept); returns how many it inserted. GetSlot: NotFound.
  virtual Status PutClinicTemplate(const ClinicTemplate& clinic) = 0;
  virtual StatusOr<int> PutSlots(const std::vector<Slot>& slots) = 0;
  virtual StatusOr<Slot> GetSlot(std::string_view slot_id) = 0;
  // Marks a slot cancelled (its clinic will not run) or running again.
  virtual Status SetSlotCancelled(std::string_view slot_id, bool cancelled) = 0;

  // Appointments. The database keeps each slot's count of appointments that hold a place
  // (HoldsPlace) and refuses any write that would take it above the slot's capacity, however many
  // writers race: InsertAppointment and UpdateAppointment then return Aborted ("the slot is
  // full", field "slot_id"). InsertAppointment: AlreadyExists (field "idempotency_key") when a
  // non-empty key is taken; NotFound when the slot or referral does not exist; FailedPrecondition
  // when the slot is cancelled. UpdateAppointment replaces by id (NotFound when absent; the slot,
  // referral and key cannot change).
  virtual Status InsertAppointment(const Appointment& appointment) = 0;
  virtual Status UpdateAppointment(const Appointment& appointment) = 0;
  virtual StatusOr<Appointment> GetAppointment(std::string_view id) = 0;
  virtual StatusOr<Appointment> FindAppointmentByIdempotencyKey(std::string_view key) = 0;
  // The referral's appointment that holds a place in the slot; NotFound when it has none there.
  virtual StatusOr<Appointment> FindAppointmentInSlot(std::string_view referral_id,
                                                      std::string_view slot_id) = 0;
  // A referral's offered appointments (lapsed or not), oldest first.
  virtual StatusOr<std::vector<Appointment>> ListOffers(std::string_view referral_id) = 0;
  // Cancels (by "service", reason "the offer lapsed") every offer in the slot that lapsed at or
  // before `now`, giving its place back. Returns how many.
  virtual StatusOr<int> LapseOffers(std::string_view slot_id, Instant now) = 0;

  // Accounts. InsertUser: AlreadyExists when the id or username is taken. UpdateUser: NotFound
  // when there is no such id; the username cannot change.
  virtual Status InsertUser(const User& user) = 0;
  virtual Status UpdateUser(const User& user) = 0;
  // Sessions: PutSession inserts or replaces by token hash; DeleteSession removes one (no error
  // when absent); DeleteUserSessions removes every session of a user (on disabling an account).
  virtual Status PutSession(const Session& session) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteUserSessions(std::string_view user_id) = 0;

  // Patient portal sign-in codes (workflow/portal.h). InsertPortalCode: AlreadyExists when the
  // challenge hash is taken; NotFound (field "patient_key") when a non-empty patient key names no
  // patient. GetPortalCode: NotFound. UpdatePortalCode stores a code's attempts and used_at
  // (NotFound when absent). DeleteExpiredPortalCodes removes the codes that expired at or before
  // `now` and returns how many.
  virtual Status InsertPortalCode(const PortalCode& code) = 0;
  virtual StatusOr<PortalCode> GetPortalCode(std::string_view challenge_hash) = 0;
  virtual Status UpdatePortalCode(const PortalCode& code) = 0;
  virtual StatusOr<int> DeleteExpiredPortalCodes(Instant now) = 0;

  virtual StatusOr<Patient> GetPatient(std::string_view key) = 0;
  virtual StatusOr<Referral> GetReferral(std::string_view id) = 0;
};

using WriteFn = std::function<Status(WriteTxn&)>;

struct AuditFilter {
  std::string patient_key;  // Empty: any.
  std::string actor;        // Empty: any.
  std::string action;       // Empty: any.
  std::int64_t after_id = 0;
  int limit = 100;
};

// Which slots ListSlots returns. Empty strings and unset optionals match anything.
struct SlotQuery {
  Instant from{};
  Instant to{};
  std::string site_id;
  std::string clinician_id;
  std::optional<SlotType> type;
  std::optional<Modality> modality;
  bool free_only = false;  // Only slots with booked < capacity.
  bool include_cancelled = false;
  int limit = 100000;
};

// Which outbox messages ListNotifications returns: id > after_id, oldest first, at most limit.
struct OutboxQuery {
  std::string patient_key;                   // Empty: anyone's.
  std::optional<NotificationStatus> status;  // Unset: any status.
  std::int64_t after_id = 0;
  int limit = 100;
};

// Counters of the write path, for /metrics.
struct StoreStats {
  std::int64_t queue_depth = 0;       // Writes waiting for the writer now.
  std::int64_t groups_committed = 0;  // Transactions committed since the store opened.
  std::int64_t writes_committed = 0;  // Write functions answered since the store opened.
  // Committed group sizes: groups of size <= kGroupSizeBounds[i] (cumulative, as Prometheus).
  static constexpr std::int64_t kGroupSizeBounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  std::int64_t group_size_buckets[std::size(kGroupSizeBounds)] = {};
  // Syncs of the log to disk since the store opened, and how long they took: syncs taking at most
  // kSyncSecondsBounds[i] (cumulative). Every answer to a write waits for one.
  std::int64_t syncs = 0;
  double sync_seconds = 0;
  static constexpr double kSyncSecondsBounds[] = {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                  0.025,   0.05,   0.1,   0.25,   1};
  std::int64_t sync_seconds_buckets[std::size(kSyncSecondsBounds)] = {};
  // The single writer's time running groups (their statements and COMMIT), on the clock and on the
  // CPU. Busy time over elapsed time is how close the store is to its write capacity; writes over
  // CPU time is the most the writer could commit a second with a core to itself.
  double writer_busy_seconds = 0;
  double writer_cpu_seconds = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a transaction. When `fn` returns OK and the commit is durable, returns OK. When
  // `fn` returns an error, none of its changes are kept and that error is returned. Unavailable
  // when the database cannot commit (disk full, I/O error); nothing of `fn` is then kept either.
  // `fn` may be run on another thread; it must not call Write itself.
  virtual Status Write(WriteFn fn) = 0;
  // Queues `fn` as Write does and returns at once: the future becomes ready with what Write would
  // have returned. Queued writes commit in the order they were queued, so a Write queued after it
  // commits in the same group or a later one; a caller can queue a write it need not wait for yet
  // (an access audit row) and wait for it only before answering.
  virtual std::future<Status> WriteAsync(WriteFn fn) = 0;

  virtual StatusOr<Patient> GetPatient(std::string_view key) = 0;
  virtual StatusOr<Patient> FindPatientByNhsNumber(std::string_view nhs_number) = 0;
  // Patients with this date of birth, family name (compared without regard to case) and
  // normalised postcode: how a self-referral without an NHS number is matched to a record.
  virtual StatusOr<std::vector<Patient>> FindPatientsByDemographics(Date date_of_birth,
                                                                    std::string_view family_name,
                                                                    std::string_view postcode) = 0;
  virtual StatusOr<Referral> GetReferral(std::string_view id) = 0;
  // NotFound when the referral has no details (one made before they were kept, or by the demo).
  virtual StatusOr<ReferralDetails> GetReferralDetails(std::string_view referral_id) = 0;
  // Every triage claim, lapsed or not, by referral id.
  virtual StatusOr<std::vector<TriageClaim>> ListClaims() = 0;
  // The links in which `referral_id` takes part, either side, oldest first.
  virtual StatusOr<std::vector<ReferralLink>> ListLinks(std::string_view referral_id) = 0;
  // The newest intake attempts first, at most `limit`.
  virtual StatusOr<std::vector<IntakeAttempt>> ListIntakeAttempts(int limit) = 0;
  virtual StatusOr<std::vector<ClinicTemplate>> ListClinicTemplates() = 0;
  virtual StatusOr<std::vector<Notification>> ListNotifications(const OutboxQuery& query) = 0;
  virtual StatusOr<Slot> GetSlot(std::string_view slot_id) = 0;
  // The slots starting in [query.from, query.to), by start then id, filtered as the query says.
  virtual StatusOr<std::vector<Slot>> ListSlots(const SlotQuery& query) = 0;
  virtual StatusOr<Appointment> GetAppointment(std::string_view id) = 0;
  // A referral's appointments, oldest booking first.
  virtual StatusOr<std::vector<Appointment>> ListAppointmentsForReferral(
      std::string_view referral_id) = 0;
  // The appointments in slots that start in [from, to), those of `clinician_id` only when it is
  // not empty, by slot start.
  virtual StatusOr<std::vector<Appointment>> ListAppointmentsBetween(
      Instant from, Instant to, std::string_view clinician_id) = 0;
  // A referral's events in the order they were recorded.
  virtual StatusOr<std::vector<PathwayEvent>> ListEvents(std::string_view referral_id) = 0;
  virtual StatusOr<std::vector<Site>> ListSites() = 0;
  virtual StatusOr<std::vector<Room>> ListRooms() = 0;
  virtual StatusOr<std::vector<Clinician>> ListClinicians() = 0;
  // The entries matching `filter` with id > filter.after_id, oldest first, at most filter.limit:
  // page on by passing the last id back as after_id.
  virtual StatusOr<std::vector<AuditEntry>> ListAudit(const AuditFilter& filter) = 0;

  // A patient's referrals, newest first.
  virtual StatusOr<std::vector<Referral>> ListReferralsForPatient(std::string_view patient_key) = 0;
  // The referrals an organisation made, newest first, at most `limit`.
  virtual StatusOr<std::vector<Referral>> ListReferralsForOrganisation(
      std::string_view organisation, int limit) = 0;
  // The referrals in `state`, oldest registration first, at most `limit`.
  virtual StatusOr<std::vector<Referral>> ListReferralsInState(ReferralState state, int limit) = 0;
  // How many referrals are in each state now (states with none are absent).
  virtual StatusOr<std::vector<std::pair<ReferralState, std::int64_t>>> CountReferralsByState() = 0;

  virtual StatusOr<User> GetUser(std::string_view id) = 0;
  virtual StatusOr<User> FindUserByUsername(std::string_view username) = 0;
  virtual StatusOr<std::vector<User>> ListUsers() = 0;
  virtual StatusOr<Session> GetSession(std::string_view token_hash) = 0;

  virtual StoreStats Stats() = 0;

  // Visits every event with id > after_id in id order; stops early and returns the first error `fn`
  // returns. The visit sees one consistent snapshot.
  virtual Status ScanEvents(std::int64_t after_id,
                            const std::function<Status(const PathwayEvent&)>& fn) = 0;
  // Visits every referral in id order, from one consistent snapshot.
  virtual Status ScanReferrals(const std::function<Status(const Referral&)>& fn) = 0;
  // Visits every patient in key order, from one consistent snapshot.
  virtual Status ScanPatients(const std::function<Status(const Patient&)>& fn) = 0;

  // Recomputes the hash chains of the event and audit logs. Returns one line per row found altered,
  // removed or inserted out of chain (empty when the logs are intact).
  virtual StatusOr<std::vector<std::string>> VerifyLogs() = 0;
};

}  // namespace tendon::store

#endif  // TENDON_STORE_STORE_H_
