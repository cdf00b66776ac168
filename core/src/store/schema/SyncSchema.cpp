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

CREATE TABLE sync_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  shared        TEXT    NOT NULL, -- a file path, or a URL without its password
  workstation   TEXT    NOT NULL, -- this database's name in the shop
  epoch         TEXT    NOT NULL, -- the shared database's, when this one last met it
  feed_position INTEGER NOT NULL DEFAULT 0,
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

-- Each shared state of an order this workstation took. The shared database is the
-- authority on orders: the state it holds may be a move this workstation's transition
-- table would refuse (the other workstation's move, made on another version), or a move
-- while on hold. The triggers let exactly the recorded takes through.
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

} // namespace opflow::store::schema
