#include "store/sqlite/connection.h"

#include <mutex>

namespace tendon::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Process-wide settings, made once before SQLite first initialises. SQLite's memory statistics
// take one global mutex around every allocation, which the writer and the readers then contend
// for; nothing here reads them.
void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Status SqliteError(int code, std::string_view message) {
  std::string text = "sqlite: " + std::string(message);
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return FailedPreconditionError(text);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return UnavailableError(text);
    case SQLITE_NOTFOUND:
      return NotFoundError(text);
    default:
      return InternalError(text);
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::Bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::Bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
void Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void Statement::BindBlob(int index, const void* data, std::size_t size) {
  sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_TRANSIENT);
}
void Statement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }
void Statement::BindOptional(int index, const std::optional<std::int64_t>& value) {
  if (value) {
    Bind(index, *value);
  } else {
    BindNull(index);
  }
}

StatusOr<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return SqliteError(sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

Status Statement::Run() {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return OkStatus();
  }
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Real(int column) const { return sqlite3_column_double(stmt_, column); }
std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::string Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::filesystem::path& path,
                                                       Mode mode) {
  ConfigureSqlite();
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == Mode::kReadWrite ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                    : SQLITE_OPEN_READONLY;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status error = SqliteError(rc, db ? sqlite3_errmsg(db) : "cannot open database");
    sqlite3_close(db);
    return error.WithContext(path.string());
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // temp_store MEMORY keeps each savepoint's journal (the writer takes one per job of a group) in
  // memory: on disk it was a temporary file written a page at a time, a few hundred writes and an
  // open and unlink per group, for a file nothing reads after a crash.
  RETURN_IF_ERROR(conn->Exec(
      "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;"));
  if (mode == Mode::kReadWrite) {
    RETURN_IF_ERROR(conn->Exec("PRAGMA journal_mode = WAL;"));
  }
  return conn;
}

Connection::~Connection() {
  cache_.clear();  // Statements must be finalised before the connection closes.
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return OkStatus();
  Status error =
      SqliteError(sqlite3_extended_errcode(db_), message ? message : sqlite3_errmsg(db_));
  sqlite3_free(message);
  return error;
}

StatusOr<StatementRef> Connection::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return StatementRef(it->second.get());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(rc, sqlite3_errmsg(db_));
  auto inserted = cache_.emplace(sql, std::make_unique<Statement>(stmt)).first;
  return StatementRef(inserted->second.get());
}

}  // namespace tendon::store::sqlite
