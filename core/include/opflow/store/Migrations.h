// Migrations: the numbered schema changes, applied in order, each in its own transaction,
// with the reached number kept in PRAGMA user_version.
// Thread-safety: free functions on one connection.
#pragma once

#include "opflow/store/Database.h"

namespace opflow::store {

// The schema version this build writes.
[[nodiscard]] int latestSchemaVersion();
// Brings the database up to latestSchemaVersion(). A database from a newer build is
// refused with a message naming both versions, and nothing is written.
[[nodiscard]] Status migrate(Database& db);
// For opening an existing database: refused when it was never initialised or when its
// schema is older or newer than this build's.
[[nodiscard]] Status checkSchema(Database& db);

} // namespace opflow::store
