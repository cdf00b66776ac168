// The shared PostgreSQL schema's numbered migrations and the means to apply them (private
// to core/sync). Everything lives in the schema "opflow" of the database the URL names,
// so a shop's server may hold other things beside it. A released migration never
// changes: a later change is a new number appended to the chain.
#pragma once

#include "PgConnection.h"

#include "opflow/store/Migrations.h"

#include <span>

namespace opflow::sync::detail {

[[nodiscard]] std::span<const store::Migration> postgresSharedMigrations();

// The schema version the server's "opflow" schema records (0 when it has none).
[[nodiscard]] Result<int> postgresSchemaVersion(pg::PgConnection& connection);

// Brings the server's schema up to the chain's last migration in one transaction, while
// holding a lock that keeps two workstations from migrating at once. A schema past the
// chain is refused (Conflict) and nothing is written.
[[nodiscard]] Status migratePostgresShared(pg::PgConnection& connection, const std::string& shown);

} // namespace opflow::sync::detail
