#include "opflow/store/Migrations.h"

#include "schema/Schema.h"

#include <fmt/format.h>

#include <array>

namespace opflow::store {

namespace {

constexpr std::string_view kWhat = "workstation database";

// Append only: the position of a migration is its number.
constexpr std::array kMigrations{
    Migration{1, schema::runsV1},
    Migration{2, schema::auditV1},
    Migration{3, schema::outboxV1},
    Migration{4, schema::ordersV1},
    Migration{5, schema::usersV1},
    Migration{6, schema::runsByVersionV1},
    Migration{7, schema::sessionsActivityV1},
    Migration{8, schema::syncV1},
    Migration{9, schema::numberBlocksV1},
    Migration{10, schema::conflictKindsV1},
    Migration{11, schema::runsByTraceV1},
    Migration{12, schema::dashboardRollupsV1},
    Migration{13, schema::outboxByCorrelationV1},
};

} // namespace

int latestSchemaVersion() { return kMigrations.back().version; }

Result<int> schemaVersionOf(Database& db) {
  auto statement = db.prepare("PRAGMA user_version");
  if (!statement) {
    return statement.error();
  }
  auto row = (*statement)->step();
  if (!row) {
    return row.error();
  }
  return static_cast<int>((*statement)->int64(0));
}

Error newerSchemaError(const std::string& path, std::string_view what, int found, int known) {
  return makeError(ErrorCode::Conflict,
                   fmt::format("\"{}\" is a {} of schema version {}, newer than this build's {}: use a newer opflow",
                               path, what, found, known));
}

Status applyMigrations(Database& db, std::span<const Migration> chain, std::string_view what) {
  auto transaction = Transaction::begin(db);
  if (!transaction) {
    return transaction.error();
  }
  auto current = schemaVersionOf(db);
  if (!current) {
    return current.error();
  }
  const int latest = chain.back().version;
  if (*current > latest) {
    return newerSchemaError(db.options().path, what, *current, latest);
  }
  for (const Migration& migration : chain) {
    if (migration.version <= *current) {
      continue;
    }
    if (Status applied = db.exec(migration.sql()); !applied) {
      return makeError(ErrorCode::Internal,
                       fmt::format("migration {} of the {} failed: {}", migration.version, what, applied.error().message));
    }
  }
  if (Status set = db.exec(fmt::format("PRAGMA user_version = {}", latest)); !set) {
    return set.error();
  }
  return transaction->commit();
}

Status migrate(Database& db) { return applyMigrations(db, kMigrations, kWhat); }

Status checkSchema(Database& db) {
  auto current = schemaVersionOf(db);
  if (!current) {
    return current.error();
  }
  if (*current == 0) {
    return makeError(ErrorCode::NotFound, fmt::format("\"{}\" is not an Opflow database (run `opflow-cli init`)",
                                                      db.options().path));
  }
  if (*current > latestSchemaVersion()) {
    return newerSchemaError(db.options().path, kWhat, *current, latestSchemaVersion());
  }
  if (*current < latestSchemaVersion()) {
    return makeError(ErrorCode::Conflict,
                     fmt::format("\"{}\" has schema version {}, older than this build's {}: run `opflow-cli init` to "
                                 "migrate it",
                                 db.options().path, *current, latestSchemaVersion()));
  }
  return {};
}

} // namespace opflow::store
