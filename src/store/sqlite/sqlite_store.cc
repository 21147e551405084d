#include "store/sqlite/sqlite_store.h"

#include <mutex>
#include <string>
#include <utility>

#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/write_txn.h"
#include "store/sqlite/writer.h"

namespace tendon::store::sqlite {

// Owns the writer and a pool of read-only connections, opened on demand and reused.
class SqliteStore::Impl {
 public:
  Impl(std::filesystem::path path, std::unique_ptr<Writer> writer)
      : path_(std::move(path)), writer_(std::move(writer)) {}

  Writer& writer() { return *writer_; }

  // Runs `fn` with a reader connection lent from the pool for the duration of the call.
  template <typename Fn>
  auto WithReader(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        conn = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    if (!conn) {
      auto opened = Connection::Open(path_, Connection::Mode::kReadOnly);
      if (!opened.ok()) return opened.status();
      conn = std::move(opened).value();
    }
    auto result = fn(*conn);
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
    return result;
  }

 private:
  std::filesystem::path path_;
  std::unique_ptr<Writer> writer_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // Guarded by mu_.
};

namespace {

// Runs `visit` on every row of `sql` (with `bind` applied) inside one read transaction, so the
// visit sees one snapshot.
template <typename Bind, typename Visit>
Status ForEachRow(Connection& conn, const std::string& sql, Bind bind, Visit visit) {
  RETURN_IF_ERROR(conn.Exec("BEGIN"));
  Status status = [&]() -> Status {
    ASSIGN_OR_RETURN(StatementRef stmt, conn.Cached(sql));
    bind(*stmt);
    for (;;) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return OkStatus();
      RETURN_IF_ERROR(visit(*stmt));
    }
  }();
  Status end = conn.Exec("COMMIT");
  return status.ok() ? end : status;
}

// Collects every row of `sql` into a vector through `read`, a function from a row to T or
// StatusOr<T>.
template <typename T, typename Read>
StatusOr<std::vector<T>> Collect(Connection& conn, const std::string& sql,
                                 const std::function<void(Statement&)>& bind, Read read) {
  std::vector<T> out;
  Status status = ForEachRow(conn, sql, bind, [&](const Statement& row) -> Status {
    StatusOr<T> value = read(row);
    if (!value.ok()) return value.status();
    out.push_back(std::move(value).value());
    return OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

const auto kNoBind = [](Statement&) {};

std::string Select(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

}  // namespace

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::filesystem::path& path,
                                                         const SqliteOptions& options) {
  ASSIGN_OR_RETURN(auto conn, Connection::Open(path, Connection::Mode::kReadWrite));
  int target = options.schema_version > 0 ? options.schema_version : LatestSchemaVersion();
  RETURN_IF_ERROR(Migrate(*conn, target).WithContext(path.string()));
  ASSIGN_OR_RETURN(auto writer, Writer::Start(std::move(conn), options.max_group_size,
                                                  options.sync_for_testing));
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::make_unique<Impl>(path, std::move(writer))));
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

Status SqliteStore::Write(WriteFn fn) { return impl_->writer().Submit(std::move(fn)).get(); }

std::future<Status> SqliteStore::WriteAsync(WriteFn fn) {
  return impl_->writer().Submit(std::move(fn));
}

StatusOr<Patient> SqliteStore::GetPatient(std::string_view key) {
  return impl_->WithReader([&](Connection& conn) { return SelectPatient(conn, key); });
}

StatusOr<Patient> SqliteStore::FindPatientByNhsNumber(std::string_view nhs_number) {
  return impl_->WithReader(
      [&](Connection& conn) { return SelectPatientByNhsNumber(conn, nhs_number); });
}

StatusOr<std::vector<Patient>> SqliteStore::FindPatientsByDemographics(Date date_of_birth,
                                                                       std::string_view family_name,
                                                                       std::string_view postcode) {
  // lower() folds ASCII letters only, as the patients_by_demographics index does.
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Patient>(
        conn,
        Select(kPatientColumns,
               "FROM patients WHERE date_of_birth = ?1 AND lower(family_name) = lower(?2) "
               "AND postcode = ?3 ORDER BY key"),
        [&](Statement& s) {
          s.Bind(1, std::int64_t{date_of_birth.time_since_epoch().count()});
          s.Bind(2, family_name);
          s.Bind(3, postcode);
        },
        ReadPatient);
  });
}

StatusOr<Referral> SqliteStore::GetReferral(std::string_view id) {
  return impl_->WithReader([&](Connection& conn) { return SelectReferral(conn, id); });
}

StatusOr<ReferralDetails> SqliteStore::GetReferralDetails(std::string_view referral_id) {
  return impl_->WithReader(
      [&](Connection& conn) { return SelectReferralDetails(conn, referral_id); });
}

StatusOr<std::vector<TriageClaim>> SqliteStore::ListClaims() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<TriageClaim>(
        conn, Select(kClaimColumns, "FROM triage_claims ORDER BY referral_id"), kNoBind, ReadClaim);
  });
}

StatusOr<std::vector<ReferralLink>> SqliteStore::ListLinks(std::string_view referral_id) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<ReferralLink>(
        conn,
        Select(kLinkColumns,
               "FROM referral_links WHERE referral_id = ?1 OR other_id = ?1 "
               "ORDER BY at, referral_id, other_id"),
        [&](Statement& s) { s.Bind(1, referral_id); }, ReadLink);
  });
}

StatusOr<std::vector<IntakeAttempt>> SqliteStore::ListIntakeAttempts(int limit) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<IntakeAttempt>(
        conn,
        Select(kIntakeAttemptColumns, "FROM intake_attempts ORDER BY at DESC, id DESC LIMIT ?1"),
        [&](Statement& s) { s.Bind(1, std::int64_t{limit}); }, ReadIntakeAttempt);
  });
}

StatusOr<std::vector<Notification>> SqliteStore::ListNotifications(const OutboxQuery& query) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Notification>(
        conn,
        Select(kNotificationColumns,
               "FROM outbox WHERE id > ?1 AND (?2 = '' OR patient_key = ?2) "
               "AND (?3 = '' OR status = ?3) ORDER BY id LIMIT ?4"),
        [&](Statement& s) {
          s.Bind(1, query.after_id);
          s.Bind(2, query.patient_key);
          s.Bind(3, query.status ? ToString(*query.status) : std::string_view(""));
          s.Bind(4, std::int64_t{query.limit});
        },
        ReadNotification);
  });
}

StatusOr<std::vector<ClinicTemplate>> SqliteStore::ListClinicTemplates() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<ClinicTemplate>(
        conn, Select(kClinicTemplateColumns, "FROM clinic_templates ORDER BY id"), kNoBind,
        ReadClinicTemplate);
  });
}

StatusOr<Slot> SqliteStore::GetSlot(std::string_view slot_id) {
  return impl_->WithReader([&](Connection& conn) { return SelectSlot(conn, slot_id); });
}

namespace {

// ListSlots' statement holds only the filters the query sets, so that SQLite can choose the
// index by site or by clinician when there is one (a "?3 = '' OR site_id = ?3" form would hide
// it). Sixteen forms at most, each cached once per connection.
std::string SlotQuerySql(const SlotQuery& query) {
  std::string where = "FROM slots WHERE start_at >= ?1 AND start_at < ?2";
  if (!query.site_id.empty()) where += " AND site_id = ?3";
  if (!query.clinician_id.empty()) where += " AND clinician_id = ?4";
  if (query.type) where += " AND type = ?5";
  if (query.modality) where += " AND modality = ?6";
  if (query.free_only) where += " AND booked < capacity";
  if (!query.include_cancelled) where += " AND cancelled = 0";
  return Select(kSlotColumns, where + " ORDER BY start_at, id LIMIT ?7");
}

}  // namespace

StatusOr<std::vector<Slot>> SqliteStore::ListSlots(const SlotQuery& query) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Slot>(
        conn, SlotQuerySql(query),
        [&](Statement& s) {
          s.Bind(1, ToUnixMillis(query.from));
          s.Bind(2, ToUnixMillis(query.to));
          if (!query.site_id.empty()) s.Bind(3, query.site_id);
          if (!query.clinician_id.empty()) s.Bind(4, query.clinician_id);
          if (query.type) s.Bind(5, ToString(*query.type));
          if (query.modality) s.Bind(6, ToString(*query.modality));
          s.Bind(7, std::int64_t{query.limit});
        },
        ReadSlot);
  });
}

StatusOr<Appointment> SqliteStore::GetAppointment(std::string_view id) {
  return impl_->WithReader([&](Connection& conn) { return SelectAppointment(conn, id); });
}

StatusOr<std::vector<Appointment>> SqliteStore::ListAppointmentsForReferral(
    std::string_view referral_id) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Appointment>(
        conn,
        Select(kAppointmentColumns,
               "FROM appointments WHERE referral_id = ?1 ORDER BY booked_at, id"),
        [&](Statement& s) { s.Bind(1, referral_id); }, ReadAppointment);
  });
}

StatusOr<std::vector<Appointment>> SqliteStore::ListAppointmentsBetween(
    Instant from, Instant to, std::string_view clinician_id) {
  // The inner query names the slot's start so the outer one can order by it with the plain
  // column list.
  const std::string sql =
      Select(kAppointmentColumns,
             "FROM (SELECT appointments.*, slots.start_at AS slot_start FROM appointments "
             "JOIN slots ON slots.id = appointments.slot_id WHERE slots.start_at >= ?1 "
             "AND slots.start_at < ?2 AND (?3 = '' OR slots.clinician_id = ?3)) "
             "ORDER BY slot_start, slot_id, booked_at, id");
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Appointment>(
        conn, sql,
        [&](Statement& s) {
          s.Bind(1, ToUnixMillis(from));
          s.Bind(2, ToUnixMillis(to));
          s.Bind(3, clinician_id);
        },
        ReadAppointment);
  });
}

StatusOr<std::vector<PathwayEvent>> SqliteStore::ListEvents(std::string_view referral_id) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<PathwayEvent>(
        conn, Select(kEventColumns, "FROM pathway_events WHERE referral_id = ?1 ORDER BY id"),
        [&](Statement& s) { s.Bind(1, referral_id); }, ReadEvent);
  });
}

StatusOr<std::vector<Site>> SqliteStore::ListSites() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Site>(conn, Select(kSiteColumns, "FROM sites ORDER BY id"), kNoBind, ReadSite);
  });
}

StatusOr<std::vector<Room>> SqliteStore::ListRooms() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Room>(conn, Select(kRoomColumns, "FROM rooms ORDER BY id"), kNoBind, ReadRoom);
  });
}

StatusOr<std::vector<Clinician>> SqliteStore::ListClinicians() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Clinician>(conn, Select(kClinicianColumns, "FROM clinicians ORDER BY id"),
                              kNoBind, ReadClinician);
  });
}

StatusOr<std::vector<AuditEntry>> SqliteStore::ListAudit(const AuditFilter& filter) {
  const std::string sql = Select(kAuditColumns,
                                 "FROM audit_log WHERE id > ?1 AND (?2 = '' OR patient_key = ?2) "
                                 "AND (?3 = '' OR actor = ?3) AND (?5 = '' OR action = ?5) "
                                 "ORDER BY id LIMIT ?4");
  return impl_->WithReader([&](Connection& conn) {
    return Collect<AuditEntry>(
        conn, sql,
        [&](Statement& s) {
          s.Bind(1, filter.after_id);
          s.Bind(2, filter.patient_key);
          s.Bind(3, filter.actor);
          s.Bind(4, std::int64_t{filter.limit});
          s.Bind(5, filter.action);
        },
        ReadAudit);
  });
}

StatusOr<std::vector<Referral>> SqliteStore::ListReferralsForPatient(std::string_view patient_key) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Referral>(
        conn,
        Select(kReferralColumns,
               "FROM referrals WHERE patient_key = ?1 ORDER BY received_at DESC, id"),
        [&](Statement& s) { s.Bind(1, patient_key); }, ReadReferral);
  });
}

StatusOr<std::vector<Referral>> SqliteStore::ListReferralsForOrganisation(
    std::string_view organisation, int limit) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Referral>(
        conn,
        Select(kReferralColumns,
               "FROM referrals WHERE referrer_organisation = ?1 "
               "ORDER BY received_at DESC, id LIMIT ?2"),
        [&](Statement& s) {
          s.Bind(1, organisation);
          s.Bind(2, std::int64_t{limit});
        },
        ReadReferral);
  });
}

StatusOr<std::vector<Referral>> SqliteStore::ListReferralsInState(ReferralState state, int limit) {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Referral>(
        conn,
        Select(kReferralColumns,
               "FROM referrals WHERE state = ?1 ORDER BY received_at, id LIMIT ?2"),
        [&](Statement& s) {
          s.Bind(1, ToString(state));
          s.Bind(2, std::int64_t{limit});
        },
        ReadReferral);
  });
}

StatusOr<std::vector<std::pair<ReferralState, std::int64_t>>> SqliteStore::CountReferralsByState() {
  using Row = std::pair<ReferralState, std::int64_t>;
  return impl_->WithReader([&](Connection& conn) {
    return Collect<Row>(conn, "SELECT state, count(*) FROM referrals GROUP BY state ORDER BY state",
                        kNoBind, [](const Statement& row) -> StatusOr<Row> {
                          ASSIGN_OR_RETURN(ReferralState state, ParseReferralState(row.Text(0)));
                          return Row{state, row.Int(1)};
                        });
  });
}

StatusOr<User> SqliteStore::GetUser(std::string_view id) { return FindUser("id", id); }

StatusOr<User> SqliteStore::FindUserByUsername(std::string_view username) {
  return FindUser("username", username);
}

StatusOr<User> SqliteStore::FindUser(std::string_view column, std::string_view value) {
  return impl_->WithReader([&](Connection& conn) -> StatusOr<User> {
    ASSIGN_OR_RETURN(
        StatementRef stmt,
        conn.Cached(Select(kUserColumns, "FROM users WHERE " + std::string(column) + " = ?1")));
    stmt->Bind(1, value);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return NotFoundError("no such account", std::string(column));
    return ReadUser(*stmt);
  });
}

StatusOr<std::vector<User>> SqliteStore::ListUsers() {
  return impl_->WithReader([&](Connection& conn) {
    return Collect<User>(conn, Select(kUserColumns, "FROM users ORDER BY username"), kNoBind,
                         ReadUser);
  });
}

StatusOr<Session> SqliteStore::GetSession(std::string_view token_hash) {
  return impl_->WithReader([&](Connection& conn) -> StatusOr<Session> {
    ASSIGN_OR_RETURN(StatementRef stmt,
                     conn.Cached(Select(kSessionColumns, "FROM sessions WHERE token_hash = ?1")));
    stmt->Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return NotFoundError("no such session", "session");
    return ReadSession(*stmt);
  });
}

StoreStats SqliteStore::Stats() { return impl_->writer().Stats(); }

Status SqliteStore::ScanEvents(std::int64_t after_id,
                               const std::function<Status(const PathwayEvent&)>& fn) {
  return impl_->WithReader([&](Connection& conn) {
    return ForEachRow(
        conn, Select(kEventColumns, "FROM pathway_events WHERE id > ?1 ORDER BY id"),
        [&](Statement& s) { s.Bind(1, after_id); },
        [&](const Statement& row) -> Status {
          ASSIGN_OR_RETURN(PathwayEvent event, ReadEvent(row));
          return fn(event);
        });
  });
}

Status SqliteStore::ScanReferrals(const std::function<Status(const Referral&)>& fn) {
  return impl_->WithReader([&](Connection& conn) {
    return ForEachRow(conn, Select(kReferralColumns, "FROM referrals ORDER BY id"), kNoBind,
                      [&](const Statement& row) -> Status {
                        ASSIGN_OR_RETURN(Referral referral, ReadReferral(row));
                        return fn(referral);
                      });
  });
}

Status SqliteStore::ScanPatients(const std::function<Status(const Patient&)>& fn) {
  return impl_->WithReader([&](Connection& conn) {
    return ForEachRow(conn, Select(kPatientColumns, "FROM patients ORDER BY key"), kNoBind,
                      [&](const Statement& row) -> Status {
                        ASSIGN_OR_RETURN(Patient patient, ReadPatient(row));
                        return fn(patient);
                      });
  });
}

namespace {

// Walks a log in id order, recomputing each row's hash from the one before; `chain` computes a
// row's hash from the previous hash and the row. Reports rows whose stored hash differs.
template <typename Chain>
Status VerifyChain(Connection& conn, const std::string& sql, int hash_column, std::string_view what,
                   Chain chain, std::vector<std::string>& problems) {
  ChainHash previous{};
  std::int64_t previous_id = 0;
  return ForEachRow(conn, sql, kNoBind, [&](const Statement& row) -> Status {
    ASSIGN_OR_RETURN(ChainHash stored, ReadHash(row, hash_column));
    ASSIGN_OR_RETURN(ChainHash expected, chain(previous, row));
    std::int64_t id = row.Int(0);
    if (id != previous_id + 1) {
      problems.push_back(std::string(what) + " " + std::to_string(previous_id + 1) + " to " +
                         std::to_string(id - 1) + " are missing");
    }
    if (stored != expected) {
      problems.push_back(std::string(what) + " " + std::to_string(id) +
                         " does not match its hash chain: altered, or rows before it changed");
    }
    previous = stored;
    previous_id = id;
    return OkStatus();
  });
}

}  // namespace

StatusOr<std::vector<std::string>> SqliteStore::VerifyLogs() {
  return impl_->WithReader([&](Connection& conn) -> StatusOr<std::vector<std::string>> {
    std::vector<std::string> problems;
    RETURN_IF_ERROR(VerifyChain(
        conn, Select(kEventColumns, ", hash FROM pathway_events ORDER BY id"), kEventHashColumn,
        "pathway event",
        [](const ChainHash& prev, const Statement& row) -> StatusOr<ChainHash> {
          ASSIGN_OR_RETURN(PathwayEvent event, ReadEvent(row));
          return ChainEvent(prev, event);
        },
        problems));
    RETURN_IF_ERROR(VerifyChain(
        conn, Select(kAuditColumns, ", hash FROM audit_log ORDER BY id"), kAuditHashColumn,
        "audit row",
        [](const ChainHash& prev, const Statement& row) -> StatusOr<ChainHash> {
          return ChainAudit(prev, ReadAudit(row));
        },
        problems));
    return problems;
  });
}

}  // namespace tendon::store::sqlite
