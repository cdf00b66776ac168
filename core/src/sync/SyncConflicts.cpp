#include "opflow/sync/SyncConflicts.h"

#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"

#include <fmt/format.h>

namespace opflow::sync {

namespace {

using store::Database;
using store::Statement;

constexpr const char* kColumns =
    "id, event_id, outcome, subject, run_id, local_version, shared_version, reason, change, created_at, "
    "resolved_at, resolved_by, resolution, kind, run_started";

SyncConflict readConflict(const Statement& row) {
  SyncConflict conflict;
  conflict.id = row.int64(0);
  conflict.eventId = row.text(1);
  conflict.outcome = row.text(2);
  conflict.subject = row.text(3);
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
  conflict.kind = row.text(13);
  conflict.runStarted = row.text(14);
  if (conflict.kind == "order.changed") {
    conflict.orderNumber = conflict.subject;
  }
  return conflict;
}

Result<std::optional<SyncConflict>> loadConflict(Database& db, std::int64_t id) {
  return store::selectOne(db, fmt::format("SELECT {} FROM sync_conflicts WHERE id = ?", kColumns), readConflict, id);
}

Status mustBeOpen(const std::optional<SyncConflict>& found, std::int64_t id) {
  if (!found) {
    return makeError(ErrorCode::NotFound, fmt::format("no conflict {} (see `opflow-cli conflicts list`)", id));
  }
  if (found->resolvedAtMs) {
    return makeError(ErrorCode::Conflict, fmt::format("conflict {} was resolved by {} already", id, found->resolvedBy));
  }
  return {};
}

// Marks conflict `id` resolved by `by`: the shared state kept, or (a `redoRun`) the change
// made again on it by that run. Audited "sync.conflict_resolved" on the change's subject.
Result<SyncConflict> resolve(store::LocalStore& local, std::int64_t id, const store::User& by,
                             const std::string& workstation, const std::string& redoRun,
                             const std::string& correlationId) {
  const char* kept = redoRun.empty() ? "shared" : "mine";
  SyncConflict resolved;
  Status done = local.writer().execute([&](Database& db) -> Status {
    auto found = loadConflict(db, id);
    if (!found) {
      return found.error();
    }
    if (Status open = mustBeOpen(*found, id); !open) {
      return open;
    }
    auto update = db.prepare(
        "UPDATE sync_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?, run_started = ? WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, db.nowMs()).bind(2, by.name).bind(3, kept).bindOptional(4, redoRun).bind(5, id);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    const SyncConflict& conflict = **found;
    store::AuditEntry entry;
    entry.user = by.name;
    entry.role = domain::toString(by.role);
    entry.workstation = workstation;
    entry.correlationId = correlationId.empty() ? engine::newUuidV7() : correlationId;
    entry.action = "sync.conflict_resolved";
    entry.subjectType = subjectTypeOf(conflict.kind);
    entry.subjectId = conflict.subject;
    entry.orderNumber = conflict.orderNumber;
    entry.after = Json{{"conflict", id}, {"event_id", conflict.eventId}, {"kept", kept}};
    if (redoRun.empty()) {
      entry.reason = "the shared state is kept; the change made here is dropped";
    } else {
      entry.after["run_id"] = redoRun;
      entry.reason = fmt::format("the change made here is made again on the shared state by run {}", redoRun);
    }
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

} // namespace

const char* subjectTypeOf(std::string_view kind) {
  if (kind == "order.changed") {
    return "order";
  }
  if (kind == "user.changed") {
    return "user";
  }
  if (kind == "setting.changed") {
    return "setting";
  }
  if (kind == "definition.loaded") {
    return "definition";
  }
  if (kind == "audit.entry") {
    return "audit_entry";
  }
  return "run";
}

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

Result<SyncConflict> openConflict(store::LocalStore& local, std::int64_t id) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto found = loadConflict(**db, id);
  if (!found) {
    return found.error();
  }
  if (Status open = mustBeOpen(*found, id); !open) {
    return open.error();
  }
  return **found;
}

Result<SyncConflict> keepSharedState(store::LocalStore& local, std::int64_t id, const store::User& by,
                                     const std::string& workstation, const std::string& correlationId) {
  return resolve(local, id, by, workstation, "", correlationId);
}

Result<SyncConflict> keepMine(store::LocalStore& local, std::int64_t id, const store::User& by,
                              const std::string& workstation, const std::string& redoRun,
                              const std::string& correlationId) {
  return resolve(local, id, by, workstation, redoRun, correlationId);
}

} // namespace opflow::sync
