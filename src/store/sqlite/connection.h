// A thin RAII layer over the SQLite C API: a connection, prepared statements and their bindings,
// with every failure turned into a Status. Internal to the SQLite backend.
#ifndef TENDON_STORE_SQLITE_CONNECTION_H_
#define TENDON_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace tendon::store::sqlite {

// A prepared statement. Bind parameters are 1-based as in SQLite. Not thread-safe.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Resets the statement and clears its bindings, ready for reuse.
  void Reset();

  void Bind(int index, std::int64_t value);
  void Bind(int index, double value);
  void Bind(int index, std::string_view text);  // Copied by SQLite (SQLITE_TRANSIENT).
  void BindBlob(int index, const void* data, std::size_t size);  // Copied by SQLite.
  void BindNull(int index);
  void BindOptional(int index, const std::optional<std::int64_t>& value);

  // Steps once: true when a row is ready, false when done; an error Status otherwise. A constraint
  // failure comes back as FailedPrecondition, a busy or I/O failure as Unavailable.
  StatusOr<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();

  std::int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  // The column's bytes (a BLOB, or the text of a TEXT value).
  std::string Blob(int column) const;
  bool IsNull(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// A cached statement lent out for one use; resets it (ending any read it holds open) when
// destroyed.
class StatementRef {
 public:
  explicit StatementRef(Statement* stmt) : stmt_(stmt) {}
  StatementRef(StatementRef&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  StatementRef& operator=(StatementRef&&) = delete;
  ~StatementRef() {
    if (stmt_ != nullptr) stmt_->Reset();
  }
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (creating when kReadWrite) the database at `path`, with foreign keys on, a busy timeout,
  // WAL journal mode and synchronous=FULL.
  static StatusOr<std::unique_ptr<Connection>> Open(const std::filesystem::path& path, Mode mode);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more SQL statements that return no rows.
  Status Exec(std::string_view sql);
  // A statement prepared once and kept for the life of the connection, lent out ready to bind.
  StatusOr<StatementRef> Cached(const std::string& sql);

  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Maps an SQLite result code and message to a Status.
Status SqliteError(int code, std::string_view message);

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_CONNECTION_H_
