#include "Schema.h"

namespace opflow::store::schema {

const char* runsV1() {
  return R"sql(
CREATE TABLE definitions (
  name         TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  loaded_at    INTEGER NOT NULL,
  PRIMARY KEY (name, version)
) WITHOUT ROWID;

CREATE TABLE runs (
  id             TEXT PRIMARY KEY,
  parent_id      TEXT REFERENCES runs(id),
  operation      TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  content_hash   TEXT    NOT NULL,
  state          TEXT    NOT NULL CHECK (state IN ('running', 'waiting', 'completed', 'failed', 'cancelled', 'interrupted')),
  node           TEXT    NOT NULL,
  inputs         TEXT    NOT NULL,
  data           TEXT    NOT NULL,
  outputs        TEXT,
  context        TEXT    NOT NULL,
  user           TEXT    NOT NULL,
  role           TEXT    NOT NULL,
  workstation    TEXT    NOT NULL,
  correlation_id TEXT    NOT NULL,
  order_number   TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  wake_at        INTEGER,
  awaited_signal TEXT,
  awaited_child  TEXT,
  error          TEXT,
  step_count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_unfinished ON runs(state) WHERE state IN ('running', 'waiting', 'interrupted');
CREATE INDEX runs_by_state ON runs(state, id);
CREATE INDEX runs_by_operation ON runs(operation, id);
CREATE INDEX runs_by_parent ON runs(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX runs_by_order ON runs(order_number, id) WHERE order_number IS NOT NULL;

CREATE TABLE steps (
  run_id      TEXT    NOT NULL REFERENCES runs(id),
  idx         INTEGER NOT NULL,
  node        TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  exit        TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  error       TEXT,
  retry       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;
)sql";
}

const char* runsByVersionV1() {
  return R"sql(
CREATE INDEX runs_by_operation_version ON runs(operation, version, id);
)sql";
}

const char* runsByTraceV1() {
  return R"sql(
CREATE INDEX runs_by_correlation ON runs(correlation_id);
CREATE INDEX runs_by_created ON runs(created_at);
)sql";
}

} // namespace opflow::store::schema
