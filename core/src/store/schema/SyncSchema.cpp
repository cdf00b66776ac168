// The workstation's side of the sync (migration 8): the shared database it joined, what
// the shared side answered to each pushed event, where it has read the shop's feed to,
// the conflicts and refusals a person must look at, and the shared states taken.
#include "Schema.h"

namespace opflow::store::schema {

const char* syncV1() {
  return R"sql(
ALTER TABLE outbox ADD COLUMN payload_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN outcome TEXT CHECK (outcome IN ('applied', 'conflict', 'refused'));
ALTER TABLE outbox ADD COLUMN outcome_reason TEXT;

-- Order changes an older build queued carried the bare order: they go up in the shape
-- every order change has now (the order, and who changed it, unknown for them).
UPDATE outbox SET payload = json_object('order', json(payload), 'change', json_object())
  WHERE kind = 'order.changed' AND pushed_at IS NULL AND json_valid(payload)
    AND json_type(payload, '$.order') IS NULL;

-- The shared event that made each order's current state (this workstation's change, or
-- the shared state it took): a change names it as its base, so the shared side applies
-- it only on that very state, not on another one that happens to have the same version.
ALTER TABLE orders ADD COLUMN sync_event_id TEXT;

-- audit verify reads the latest state-setting entry of each order through this index,
-- which now includes the shared states taken.
DROP INDEX audit_order_changes;
CREATE INDEX audit_order_changes ON audit(order_number)
  WHERE action IN ('order.created', 'order.status_changed', 'order.held', 'order.released', 'order.audit_reviewed',
                   'order.pulled', 'order.conflicted');

CREATE TABLE sync_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  shared        TEXT    NOT NULL, -- a file path, or a URL without its password
  workstation   TEXT    NOT NULL, -- this database's name in the shop
  epoch         TEXT    NOT NULL, -- the shared database's, when this one last met it
  feed_position INTEGER NOT NULL DEFAULT 0,
  feed_event_id TEXT,             -- the event at feed_position: gone or another, the feed was replaced
  pushed        INTEGER NOT NULL DEFAULT 0,
  pulled        INTEGER NOT NULL DEFAULT 0,
  joined_at     INTEGER NOT NULL,
  last_contact  INTEGER
);

CREATE TABLE sync_conflicts (
  id             INTEGER PRIMARY KEY,
  event_id       TEXT    NOT NULL UNIQUE, -- this workstation's change the shared side did not apply
  outcome        TEXT    NOT NULL CHECK (outcome IN ('conflict', 'refused')),
  order_number   TEXT    NOT NULL,
  run_id         TEXT,
  local_version  INTEGER,             -- the version the change was made on
  shared_version INTEGER,             -- the shared order's when the change arrived (none: unknown there)
  reason         TEXT    NOT NULL,
  change         TEXT    NOT NULL CHECK (json_valid(change)), -- the change as it was made here
  created_at     INTEGER NOT NULL,
  resolved_at    INTEGER,
  resolved_by    TEXT,
  resolution     TEXT CHECK (resolution IS NULL OR resolution IN ('shared', 'mine'))
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(id) WHERE resolved_at IS NULL;

-- The shared state of an order this workstation is taking, for the length of the write.
-- The shared database is the authority on orders: the state it holds may be a move this
-- workstation's transition table would refuse (the other workstation's move, made on
-- another version), or a move while on hold. The triggers let exactly that write through;
-- the row is removed in the same transaction.
CREATE TABLE sync_order_takes (
  number   TEXT    NOT NULL COLLATE NOCASE,
  version  INTEGER NOT NULL,
  event_id TEXT    NOT NULL,
  taken_at INTEGER NOT NULL,
  PRIMARY KEY (number, version, event_id)
) WITHOUT ROWID;

DROP TRIGGER orders_refuse_disallowed_move;
CREATE TRIGGER orders_refuse_disallowed_move BEFORE UPDATE OF status ON orders
  WHEN OLD.status IS NOT NEW.status AND NOT EXISTS
    (SELECT 1 FROM order_transitions WHERE from_status = OLD.status AND to_status = NEW.status)
   AND NOT EXISTS (SELECT 1 FROM sync_order_takes WHERE number = NEW.number AND version = NEW.version)
BEGIN
  SELECT RAISE(ABORT, 'order status change refused: the move is not in order_transitions');
END;

DROP TRIGGER orders_refuse_move_on_hold;
CREATE TRIGGER orders_refuse_move_on_hold BEFORE UPDATE OF status ON orders
  WHEN OLD.status IS NOT NEW.status AND OLD.hold_reason IS NOT NULL AND NEW.hold_reason IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM sync_order_takes WHERE number = NEW.number AND version = NEW.version)
BEGIN
  SELECT RAISE(ABORT, 'order status change refused: the order is on hold');
END;
)sql";
}

// Migration 9: a joined workstation numbers its new orders from blocks the shared
// database handed it, so workstations creating orders offline never give one number twice.
const char* numberBlocksV1() {
  return R"sql(
CREATE TABLE order_number_blocks (
  first INTEGER PRIMARY KEY,
  last  INTEGER NOT NULL CHECK (last >= first),
  next  INTEGER NOT NULL CHECK (next BETWEEN first AND last + 1) -- the next to give
);
)sql";
}

// Migration 10: every change of this workstation the shared database did not take is
// listed, not only order changes (a user added under a name the shop knows, a definition
// whose version the shop holds with other content, an audit entry that breaks the chain),
// and the run whose order change lost is marked, so its record says the shop kept another.
const char* conflictKindsV1() {
  return R"sql(
ALTER TABLE sync_conflicts RENAME COLUMN order_number TO subject;
ALTER TABLE sync_conflicts ADD COLUMN kind TEXT NOT NULL DEFAULT 'order.changed';
ALTER TABLE sync_conflicts ADD COLUMN run_started TEXT; -- the run a supervisor started to redo the change

ALTER TABLE runs ADD COLUMN conflicted_at INTEGER; -- when the sync found the shop did not take its change
UPDATE runs SET conflicted_at = (SELECT min(c.created_at) FROM sync_conflicts AS c WHERE c.run_id = runs.id)
  WHERE id IN (SELECT run_id FROM sync_conflicts WHERE run_id IS NOT NULL);
)sql";
}

} // namespace opflow::store::schema
