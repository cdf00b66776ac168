// The dashboard's rollups (migration 12): small tables that triggers keep in step with
// order_history and runs, so that the dashboard's figures for a day or a month read a few
// thousand rows, however large the history (observe::DashboardFigures reads them).
//
//   order_flow_hours   status entries per UTC hour: the shop's throughput by status
//   order_stage_hours  how long orders stayed in a status (a stage), counted per hour they
//                      left it and per duration bucket: lead times' median and p90
//   run_hours          ended runs per hour, operation and end state, per duration bucket:
//                      rate, error share and p95 per operation
//
// A duration bucket is floor(4 * log2(d)), d in seconds for stages and in milliseconds for
// runs, at least 1: four buckets an octave, each 19 % wider than the one before; a
// percentile is interpolated inside its bucket (observe::DashboardFigures). History is
// appended in time order (OrderStore, the seeder, the shop's changes): a stage's length is
// from the order's previous entry to the new one. A run counts once, when its state first
// becomes completed, failed or cancelled. The migration fills the tables from what the
// database already holds.
#include "Schema.h"

namespace opflow::store::schema {

const char* dashboardRollupsV1() {
  return R"sql(
CREATE TABLE order_flow_hours (
  hour    INTEGER NOT NULL, -- order_history.at / 3600000
  status  INTEGER NOT NULL, -- order_statuses.position of the status entered
  entered INTEGER NOT NULL,
  PRIMARY KEY (hour, status)
) WITHOUT ROWID;

CREATE TABLE order_stage_hours (
  hour   INTEGER NOT NULL, -- the hour the orders left the stage
  stage  INTEGER NOT NULL, -- order_statuses.position of the status they left
  bucket INTEGER NOT NULL, -- floor(4 * log2(seconds in the stage, at least 1))
  orders INTEGER NOT NULL,
  PRIMARY KEY (hour, stage, bucket)
) WITHOUT ROWID;

CREATE TABLE run_hours (
  hour      INTEGER NOT NULL, -- runs.updated_at / 3600000 when the run ended
  operation TEXT    NOT NULL,
  state     TEXT    NOT NULL CHECK (state IN ('completed', 'failed', 'cancelled')),
  bucket    INTEGER NOT NULL, -- floor(4 * log2(milliseconds from start to end, at least 1))
  runs      INTEGER NOT NULL,
  PRIMARY KEY (hour, operation, state, bucket)
) WITHOUT ROWID;

CREATE TRIGGER order_history_rollup AFTER INSERT ON order_history
BEGIN
  INSERT INTO order_flow_hours (hour, status, entered) VALUES (NEW.at / 3600000, NEW.status, 1)
    ON CONFLICT (hour, status) DO UPDATE SET entered = entered + 1;
  INSERT INTO order_stage_hours (hour, stage, bucket, orders)
    SELECT NEW.at / 3600000, p.status, CAST(floor(4 * log2(max((NEW.at - p.at) / 1000, 1))) AS INTEGER), 1
      FROM (SELECT status, at FROM order_history WHERE order_id = NEW.order_id AND at < NEW.at
             ORDER BY at DESC LIMIT 1) AS p WHERE true
    ON CONFLICT (hour, stage, bucket) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER runs_ended_rollup AFTER UPDATE OF state ON runs
  WHEN NEW.state IN ('completed', 'failed', 'cancelled') AND OLD.state NOT IN ('completed', 'failed', 'cancelled')
BEGIN
  INSERT INTO run_hours (hour, operation, state, bucket, runs)
    VALUES (NEW.updated_at / 3600000, NEW.operation, NEW.state,
            CAST(floor(4 * log2(max(NEW.updated_at - NEW.created_at, 1))) AS INTEGER), 1)
    ON CONFLICT (hour, operation, state, bucket) DO UPDATE SET runs = runs + 1;
END;

CREATE TRIGGER runs_inserted_ended_rollup AFTER INSERT ON runs
  WHEN NEW.state IN ('completed', 'failed', 'cancelled')
BEGIN
  INSERT INTO run_hours (hour, operation, state, bucket, runs)
    VALUES (NEW.updated_at / 3600000, NEW.operation, NEW.state,
            CAST(floor(4 * log2(max(NEW.updated_at - NEW.created_at, 1))) AS INTEGER), 1)
    ON CONFLICT (hour, operation, state, bucket) DO UPDATE SET runs = runs + 1;
END;

INSERT INTO order_flow_hours (hour, status, entered)
  SELECT at / 3600000, status, count(*) FROM order_history GROUP BY 1, 2;

INSERT INTO order_stage_hours (hour, stage, bucket, orders)
  SELECT at / 3600000, previous, CAST(floor(4 * log2(max((at - previous_at) / 1000, 1))) AS INTEGER), count(*)
    FROM (SELECT at, lag(status) OVER entries AS previous, lag(at) OVER entries AS previous_at
            FROM order_history WINDOW entries AS (PARTITION BY order_id ORDER BY at))
   WHERE previous IS NOT NULL AND at > previous_at
   GROUP BY 1, 2, 3;

INSERT INTO run_hours (hour, operation, state, bucket, runs)
  SELECT updated_at / 3600000, operation, state, CAST(floor(4 * log2(max(updated_at - created_at, 1))) AS INTEGER),
         count(*)
    FROM runs WHERE state IN ('completed', 'failed', 'cancelled') GROUP BY 1, 2, 3, 4;
)sql";
}

} // namespace opflow::store::schema
