#include "opflow/sync/SyncConflicts.h"

#include "opflow/store/AuditLog.h"

#include <fmt/format.h>

namespace opflow::sync {

namespace {

using store::Database;
using store::Statement;

constexpr const char* kColumns =
    "id, event_id, outcome, order_number, run_id, local_version, shared_version, reason, change, created_at, "
    "resolved_at, resolved_by, resolution";

SyncConflict readConflict(const Statement& row) {
  SyncConflict conflict;
  conflict.id = row.int64(0);
  conflict.eventId = row.text(1);
  conflict.outcome = row.text(2);
  conflict.orderNumber = row.text(3);
  conflict.runId = row.text(4);
  if (!row.isNull(5)) {
    conflict.localVersion = row.int64(5);
  }
  if (!row.isNull(6)) {
    conflict.sharedVersion = row.int64(6);
  }
  conflict.reason = row.text(7);
  conflict.change = Json::parse(row.textView(8), nullptr, false);
  conflict.createdAtMs = row.int64(9);
  if (!row.isNull(10)) {
    conflict.resolvedAtMs = row.int64(10);
  }
  conflict.resolvedBy = row.text(11);
  conflict.resolution = row.text(12);
  return conflict;
}

Result<std::optional<SyncConflict>> loadConflict(Database& db, std::int64_t id) {
  return store::selectOne(db, fmt::format("SELECT {} FROM sync_conflicts WHERE id = ?", kColumns), readConflict, id);
}

} // namespace

Result<std::vector<SyncConflict>> listConflicts(store::LocalStore& local, bool openOnly) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto select = (*db)->prepareUncached(fmt::format("SELECT {} FROM sync_conflicts {} ORDER BY id", kColumns,
                                                   openOnly ? "WHERE resolved_at IS NULL" : ""));
  if (!select) {
    return select.error();
  }
  std::vector<SyncConflict> conflicts;
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return conflicts;
    }
    conflicts.push_back(readConflict(**select));
  }
}

Result<SyncConflict> keepSharedState(store::LocalStore& local, std::int64_t id, const store::User& by,
                                     const std::string& workstation) {
  SyncConflict resolved;
  Status done = local.writer().execute([&](Database& db) -> Status {
    auto found = loadConflict(db, id);
    if (!found) {
      return found.error();
    }
    if (!*found) {
      return makeError(ErrorCode::NotFound, fmt::format("no conflict {} (see `opflow-cli conflicts list`)", id));
    }
    if ((*found)->resolvedAtMs) {
      return makeError(ErrorCode::Conflict, fmt::format("conflict {} was resolved by {} already", id,
                                                        (*found)->resolvedBy));
    }
    auto update = db.prepare(
        "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = 'shared' WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, db.nowMs()).bind(2, by.name).bind(3, id);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    store::AuditEntry entry;
    entry.user = by.name;
    entry.role = domain::toString(by.role);
    entry.workstation = workstation;
    entry.action = "sync.conflict_resolved";
    entry.subjectType = "order";
    entry.subjectId = (*found)->orderNumber;
    entry.orderNumber = (*found)->orderNumber;
    entry.after = Json{{"conflict", id}, {"event_id", (*found)->eventId}, {"kept", "shared"}};
    entry.reason = "the shared state is kept; the change made here is dropped";
    if (Status audited = store::appendAudit(db, entry); !audited) {
      return audited;
    }
    auto reloaded = loadConflict(db, id);
    if (!reloaded) {
      return reloaded.error();
    }
    resolved = **reloaded;
    return {};
  });
  if (!done) {
    return done.error();
  }
  return resolved;
}

} // namespace opflow::sync
