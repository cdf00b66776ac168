#include "Schema.h"

namespace opflow::store::schema {

const char* outboxV1() {
  return R"sql(
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY,
  id           TEXT    NOT NULL UNIQUE,
  kind         TEXT    NOT NULL,
  subject_id   TEXT    NOT NULL,
  base_version INTEGER,
  payload      TEXT,
  created_at   INTEGER NOT NULL,
  pushed_at    INTEGER
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE pushed_at IS NULL;
)sql";
}

// Migration 13: what a trace's runs handed the sync (order changes and run summaries), by
// the correlation id their payload carries; observe::exportTraces reads it with the same
// expression.
const char* outboxByCorrelationV1() {
  return R"sql(
CREATE INDEX outbox_by_correlation ON outbox
  (coalesce(json_extract(payload, '$.change.correlation_id'), json_extract(payload, '$.correlation_id')))
  WHERE kind IN ('order.changed', 'run.summary');
)sql";
}

} // namespace opflow::store::schema
