#include "Schema.h"

namespace opflow::store::schema {

const char* ordersV1() {
  return R"sql(
CREATE TABLE order_statuses (
  name     TEXT    PRIMARY KEY,
  position INTEGER NOT NULL UNIQUE,
  owner    TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE order_transitions (
  from_status TEXT NOT NULL REFERENCES order_statuses(name),
  to_status   TEXT NOT NULL REFERENCES order_statuses(name),
  PRIMARY KEY (from_status, to_status)
) WITHOUT ROWID;

CREATE TABLE orders (
  id                INTEGER PRIMARY KEY,
  number            TEXT    NOT NULL UNIQUE,
  customer          TEXT    NOT NULL,
  status            TEXT    NOT NULL REFERENCES order_statuses(name),
  priority          INTEGER NOT NULL DEFAULT 1,
  price_cents       INTEGER,
  material          TEXT    NOT NULL DEFAULT '',
  file_name         TEXT    NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  assigned_operator TEXT,
  hold_reason       TEXT,
  version           INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE order_status_counts (
  status TEXT    PRIMARY KEY,
  count  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";
}

} // namespace opflow::store::schema
