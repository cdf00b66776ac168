// Migrations: the numbered schema changes, applied in order, each in its own transaction,
// with the reached number kept in PRAGMA user_version.
// Thread-safety: free functions on one connection.
#pragma once

#include "opflow/store/Database.h"

#include <span>
#include <string_view>

namespace opflow::store {

// One numbered schema change: its number and its SQL.
struct Migration {
  int version;
  const char* (*sql)();
};

// The schema version a database records (PRAGMA user_version; 0 for a new file).
[[nodiscard]] Result<int> schemaVersionOf(Database& db);
// Applies the migrations of `chain` (ascending numbers, append only) that `db` lacks, in
// one transaction. A database past the chain's last number is refused with a message
// naming both versions and what it is (`what`: "workstation database"), and nothing is
// written.
[[nodiscard]] Status applyMigrations(Database& db, std::span<const Migration> chain, std::string_view what);
// Why a database of schema version `found`, newer than `known`, is refused.
[[nodiscard]] Error newerSchemaError(const std::string& path, std::string_view what, int found, int known);

// The schema version this build writes.
[[nodiscard]] int latestSchemaVersion();
// Brings the database up to latestSchemaVersion(). A database from a newer build is
// refused with a message naming both versions, and nothing is written.
[[nodiscard]] Status migrate(Database& db);
// For opening an existing database: refused when it was never initialised or when its
// schema is older or newer than this build's.
[[nodiscard]] Status checkSchema(Database& db);

} // namespace opflow::store
