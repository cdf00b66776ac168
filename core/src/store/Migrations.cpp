#include "opflow/store/Migrations.h"

#include "schema/Schema.h"

#include <fmt/format.h>

#include <array>

namespace opflow::store {

namespace {

struct Migration {
  int version;
  const char* (*sql)();
};

// Append only: the position of a migration is its number.
constexpr std::array kMigrations{
    Migration{1, schema::runsV1},
    Migration{2, schema::auditV1},
    Migration{3, schema::outboxV1},
    Migration{4, schema::ordersV1},
    Migration{5, schema::usersV1},
    Migration{6, schema::runsByVersionV1},
    Migration{7, schema::sessionsActivityV1},
};

Result<int> userVersion(Database& db) {
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

Error newerSchema(const Database& db, int found) {
  return makeError(ErrorCode::Conflict,
                   fmt::format("\"{}\" has schema version {}, newer than this build's {}: use a newer opflow",
                               db.options().path, found, latestSchemaVersion()));
}

} // namespace

int latestSchemaVersion() { return kMigrations.back().version; }

Status migrate(Database& db) {
  auto transaction = Transaction::begin(db);
  if (!transaction) {
    return transaction.error();
  }
  auto current = userVersion(db);
  if (!current) {
    return current.error();
  }
  if (*current > latestSchemaVersion()) {
    return newerSchema(db, *current);
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *current) {
      continue;
    }
    if (Status applied = db.exec(migration.sql()); !applied) {
      return makeError(ErrorCode::Internal,
                       fmt::format("migration {} failed: {}", migration.version, applied.error().message));
    }
  }
  if (Status set = db.exec(fmt::format("PRAGMA user_version = {}", latestSchemaVersion())); !set) {
    return set.error();
  }
  return transaction->commit();
}

Status checkSchema(Database& db) {
  auto current = userVersion(db);
  if (!current) {
    return current.error();
  }
  if (*current == 0) {
    return makeError(ErrorCode::NotFound, fmt::format("\"{}\" is not an Opflow database (run `opflow-cli init`)",
                                                      db.options().path));
  }
  if (*current > latestSchemaVersion()) {
    return newerSchema(db, *current);
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
