// Orders (migration 4): the status model as rows, the orders, counts kept by triggers,
// and the covering indexes the console's lists read.
//
// Lists page by keyset, never OFFSET. Each list shape has an index that starts with its
// filter and sort key and carries every column a list row shows, so a page is a short
// index-only range scan, however deep:
//   newest first            orders_newest           (created_at, id, ...)
//   one status, newest      orders_status_newest    (status, created_at, id, ...)
//   priority, newest        orders_priority         (priority, created_at, id, ...)
//   one status, priority    orders_status_priority  (status, priority, created_at, id, ...)
// Several statuses are one range per status merged by the caller. Searches use the
// case-insensitive (NOCASE) number and customer indexes with a prefix range.
// order_status_counts has one row per status (count, and held: how many of them are on
// hold), so counting never scans. order_transitions is what the status trigger allows;
// it matches domain::allowedTransitions() (a test keeps them equal).
// order_history is each order's status timeline, one row per status it entered (its
// creation included): OrderStore appends to it in the transaction of the change, and the
// seeder writes the made-up past of its orders there. The status is the compact position
// of order_statuses (an order has a handful of rows, a million orders several million).
#include "Schema.h"

namespace opflow::store::schema {

const char* ordersV1() {
  return R"sql(
CREATE TABLE order_statuses (
  name     TEXT    PRIMARY KEY,
  position INTEGER NOT NULL UNIQUE,
  owner    TEXT    NOT NULL CHECK (owner IN ('shop', 'mes', 'crm'))
) WITHOUT ROWID;

INSERT INTO order_statuses (name, position, owner) VALUES
  ('INITIATED', 0, 'shop'),
  ('FILE_UPLOADED', 1, 'shop'),
  ('SUBMITTED', 2, 'shop'),
  ('PRICE_CALCULATED', 3, 'mes'),
  ('MANUFACTURING_APPROVED', 4, 'crm'),
  ('MANUFACTURING_STARTED', 5, 'mes'),
  ('MANUFACTURING_COMPLETED', 6, 'mes'),
  ('PACKAGING', 7, 'mes'),
  ('SHIPPED', 8, 'mes'),
  ('CLOSED', 9, 'crm'),
  ('CANCELLED', 10, 'crm');

CREATE TABLE order_transitions (
  from_status TEXT NOT NULL REFERENCES order_statuses(name),
  to_status   TEXT NOT NULL REFERENCES order_statuses(name),
  PRIMARY KEY (from_status, to_status)
) WITHOUT ROWID;

INSERT INTO order_transitions (from_status, to_status) VALUES
  ('INITIATED', 'FILE_UPLOADED'),
  ('FILE_UPLOADED', 'SUBMITTED'),
  ('SUBMITTED', 'PRICE_CALCULATED'),
  ('PRICE_CALCULATED', 'MANUFACTURING_APPROVED'),
  ('MANUFACTURING_APPROVED', 'MANUFACTURING_STARTED'),
  ('MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED'),
  ('MANUFACTURING_COMPLETED', 'PACKAGING'),
  ('PACKAGING', 'SHIPPED'),
  ('SHIPPED', 'CLOSED'),
  ('INITIATED', 'CANCELLED'),
  ('FILE_UPLOADED', 'CANCELLED'),
  ('SUBMITTED', 'CANCELLED'),
  ('PRICE_CALCULATED', 'CANCELLED'),
  ('MANUFACTURING_APPROVED', 'CANCELLED');

CREATE TABLE orders (
  id                INTEGER PRIMARY KEY,
  number            TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  customer          TEXT    NOT NULL COLLATE NOCASE,
  status            TEXT    NOT NULL REFERENCES order_statuses(name),
  priority          INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
  price_cents       INTEGER CHECK (price_cents IS NULL OR price_cents >= 0),
  material          TEXT    NOT NULL DEFAULT '',
  file_name         TEXT    NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  assigned_operator TEXT,
  hold_reason       TEXT    CHECK (hold_reason IS NULL OR hold_reason IN
                      ('MATERIAL_SHORTAGE', 'CUSTOMER_REQUEST', 'QUALITY_CHECK', 'PAYMENT', 'MACHINE_DOWN')),
  version           INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX orders_newest ON orders
  (created_at, id, number, status, customer, priority, price_cents, updated_at, version);
CREATE INDEX orders_status_newest ON orders
  (status, created_at, id, number, customer, priority, price_cents, updated_at, version);
CREATE INDEX orders_priority ON orders
  (priority, created_at, id, number, status, customer, price_cents, updated_at, version);
CREATE INDEX orders_status_priority ON orders
  (status, priority, created_at, id, number, customer, price_cents, updated_at, version);
CREATE INDEX orders_customer ON orders (customer, id);

CREATE TABLE order_history (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  at       INTEGER NOT NULL,
  status   INTEGER NOT NULL CHECK (status BETWEEN 0 AND 10), -- order_statuses.position
  PRIMARY KEY (order_id, at, status)
) WITHOUT ROWID;

CREATE TABLE order_status_counts (
  status TEXT    PRIMARY KEY REFERENCES order_statuses(name),
  count  INTEGER NOT NULL DEFAULT 0,
  held   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO order_status_counts (status) SELECT name FROM order_statuses;

CREATE TRIGGER orders_count_insert AFTER INSERT ON orders
BEGIN
  UPDATE order_status_counts SET count = count + 1, held = held + (NEW.hold_reason IS NOT NULL)
   WHERE status = NEW.status;
END;

CREATE TRIGGER orders_count_delete AFTER DELETE ON orders
BEGIN
  UPDATE order_status_counts SET count = count - 1, held = held - (OLD.hold_reason IS NOT NULL)
   WHERE status = OLD.status;
END;

CREATE TRIGGER orders_count_update AFTER UPDATE OF status, hold_reason ON orders
  WHEN OLD.status IS NOT NEW.status OR (OLD.hold_reason IS NULL) IS NOT (NEW.hold_reason IS NULL)
BEGIN
  UPDATE order_status_counts SET count = count - 1, held = held - (OLD.hold_reason IS NOT NULL)
   WHERE status = OLD.status;
  UPDATE order_status_counts SET count = count + 1, held = held + (NEW.hold_reason IS NOT NULL)
   WHERE status = NEW.status;
END;

CREATE TRIGGER orders_refuse_disallowed_move BEFORE UPDATE OF status ON orders
  WHEN OLD.status IS NOT NEW.status AND NOT EXISTS
    (SELECT 1 FROM order_transitions WHERE from_status = OLD.status AND to_status = NEW.status)
BEGIN
  SELECT RAISE(ABORT, 'order status change refused: the move is not in order_transitions');
END;

CREATE TRIGGER orders_refuse_move_on_hold BEFORE UPDATE OF status ON orders
  WHEN OLD.status IS NOT NEW.status AND OLD.hold_reason IS NOT NULL AND NEW.hold_reason IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'order status change refused: the order is on hold');
END;
)sql";
}

} // namespace opflow::store::schema
