#include "Schema.h"

namespace opflow::store::schema {

const char* auditV1() {
  return R"sql(
CREATE TABLE audit (
  seq            INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL UNIQUE,
  at_ms          INTEGER NOT NULL,
  user           TEXT    NOT NULL,
  role           TEXT    NOT NULL,
  workstation    TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  action         TEXT    NOT NULL,
  subject_type   TEXT    NOT NULL,
  subject_id     TEXT    NOT NULL,
  order_number   TEXT,
  before         TEXT,
  after          TEXT,
  reason         TEXT    NOT NULL DEFAULT '',
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);
-- Queries return entries in seq order and page by seq. An index on one column is kept in
-- (column, seq) order (seq is the rowid), so "user = ? AND seq > ? ORDER BY seq LIMIT n"
-- is one range with no sort. A time range is turned into a seq range with audit_by_time
-- (times never decrease along the chain).
CREATE INDEX audit_by_time ON audit(at_ms);
CREATE INDEX audit_by_user ON audit(user);
CREATE INDEX audit_by_action ON audit(action);
CREATE INDEX audit_by_order ON audit(order_number) WHERE order_number IS NOT NULL;
CREATE INDEX audit_by_correlation ON audit(correlation_id);
CREATE TRIGGER audit_refuse_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused');
END;
CREATE TRIGGER audit_refuse_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused');
END;
)sql";
}

} // namespace opflow::store::schema
