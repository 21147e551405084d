// Versioned schema migrations for the SQLite backend. The database records its version in
// PRAGMA user_version; opening a database applies every newer migration in order, each in its own
// transaction, so a database made by an older tendon upgrades in place.
#ifndef TENDON_STORE_SQLITE_MIGRATIONS_H_
#define TENDON_STORE_SQLITE_MIGRATIONS_H_

#include "core/status.h"
#include "store/sqlite/connection.h"

namespace tendon::store::sqlite {

// The version a fully migrated database has.
int LatestSchemaVersion();

// The database's current version (0 for a new, empty file).
StatusOr<int> SchemaVersion(Connection& conn);

// Applies the migrations after the current version up to `target` (LatestSchemaVersion() by
// default). FailedPrecondition when the database is newer than this tendon knows.
Status Migrate(Connection& conn, int target);
inline Status Migrate(Connection& conn) { return Migrate(conn, LatestSchemaVersion()); }

}  // namespace tendon::store::sqlite

#endif  // TENDON_STORE_SQLITE_MIGRATIONS_H_
