#include "opflow/sync/SyncState.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderNumbers.h"
#include "opflow/sync/OrderNumberBlocks.h"
#include "opflow/sync/SharedTarget.h"

#include <fmt/format.h>

namespace opflow::sync {

using store::Database;
using store::Statement;

Result<std::optional<SyncState>> readSyncState(store::LocalStore& local) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto snapshot = store::Transaction::begin(**db, store::Transaction::Kind::Deferred);
  if (!snapshot) {
    return snapshot.error();
  }
  auto state = store::selectOne(
      **db,
      "SELECT shared, workstation, epoch, feed_position, pushed, pulled, joined_at, last_contact, "
      "  (SELECT count(*) FROM outbox WHERE pushed_at IS NULL), "
      "  (SELECT min(created_at) FROM outbox WHERE pushed_at IS NULL), "
      "  (SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL), "
      "  (SELECT count(*) FROM outbox WHERE outcome = 'refused') "
      "FROM sync_state WHERE id = 1",
      [](const Statement& row) {
        SyncState read;
        read.shared = row.text(0);
        read.workstation = row.text(1);
        read.epoch = row.text(2);
        read.feedPosition = row.int64(3);
        read.pushed = row.int64(4);
        read.pulled = row.int64(5);
        read.joinedAtMs = row.int64(6);
        if (!row.isNull(7)) {
          read.lastContactMs = row.int64(7);
        }
        read.outboxPending = row.int64(8);
        if (!row.isNull(9)) {
          read.oldestPendingMs = row.int64(9);
        }
        read.conflictsOpen = row.int64(10);
        read.refused = row.int64(11);
        return read;
      });
  if (!state) {
    return state.error();
  }
  return *state;
}

Status joinShared(store::LocalStore& local, SharedDatabase& shared, const std::string& target,
                  const std::string& workstation, const store::User& by) {
  auto identity = shared.identity();
  if (!identity) {
    return identity.error();
  }
  // One transaction here around the claims there: a claim refused leaves this database
  // as it was.
  return local.writer().execute([&](Database& db) -> Status {
    auto joined = store::selectOne(
        db, "SELECT shared, workstation FROM sync_state WHERE id = 1",
        [](const Statement& row) { return std::pair{row.text(0), row.text(1)}; });
    if (!joined) {
      return joined.error();
    }
    if (*joined) {
      if ((*joined)->first == target && (*joined)->second == workstation) {
        return {};
      }
      return makeError(ErrorCode::Conflict,
                       fmt::format("this database is workstation \"{}\" of the shared database {}: it cannot join {} "
                                   "as \"{}\"",
                                   (*joined)->second, (*joined)->first, target, workstation));
    }
    auto highest = store::highestOrderSequence(db);
    if (!highest) {
      return highest.error();
    }
    if (*highest > 0) {
      if (Status claimed = shared.claimNumbers(workstation, {1, *highest}); !claimed) {
        return claimed;
      }
    }
    auto block = shared.reserveNumbers(workstation, kOrderNumberBlock);
    if (!block) {
      return block.error();
    }
    if (Status added = store::addNumberBlock(db, block->first, block->last); !added) {
      return added;
    }
    auto insert = db.prepare(
        "INSERT INTO sync_state (id, shared, workstation, epoch, joined_at) VALUES (1, ?, ?, ?, ?)");
    if (!insert) {
      return insert.error();
    }
    (*insert)->bind(1, target).bind(2, workstation).bind(3, identity->epoch).bind(4, db.nowMs());
    if (Status inserted = (*insert)->run(); !inserted) {
      return inserted;
    }
    store::AuditEntry entry;
    entry.user = by.name;
    entry.role = domain::toString(by.role);
    entry.workstation = workstation;
    entry.action = "sync.joined";
    entry.subjectType = "shared_database";
    entry.subjectId = target;
    entry.after = Json{{"shared", target},
                       {"workstation", workstation},
                       {"epoch", identity->epoch},
                       {"orders_claimed", *highest},
                       {"numbers", {block->first, block->last}}};
    return store::appendAudit(db, entry);
  });
}

Result<std::optional<JoinedShop>> openJoinedShop(store::LocalStore& local, std::chrono::seconds connectTimeout) {
  auto state = readSyncState(local);
  if (!state) {
    return state.error();
  }
  if (!*state) {
    return std::optional<JoinedShop>();
  }
  auto shared = openSharedDatabase((*state)->shared, false, connectTimeout);
  if (!shared && shared.error().code == ErrorCode::Io) {
    return makeError(ErrorCode::Unavailable, "the shop's database cannot be reached: " + shared.error().message);
  }
  if (!shared) {
    return shared.error();
  }
  return std::optional<JoinedShop>(JoinedShop{(*state)->workstation, std::move(shared).value()});
}

Error shopReadError(const Error& error) {
  if (error.code != ErrorCode::Io) {
    return error;
  }
  return makeError(ErrorCode::Unavailable, "the shop's database failed: " + error.message);
}

} // namespace opflow::sync
