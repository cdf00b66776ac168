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

} // namespace opflow::store::schema
