// The dashboard's rollups (migration 12): small tables that triggers keep in step with
// order_history and runs, so that the dashboard's figures for a day or a month read a few
// thousand rows, however large the history (observe::DashboardFigures reads them).
//
//   order_flow_hours   status entries per UTC hour: the shop's throughput by status
//   order_stage_hours  how long orders stayed in a status (a stage), counted per hour they
//   order_stage_days   left it (and per UTC day) and per duration bucket: lead times'
//                      median and p90
//   run_hours          ended runs per hour (and per UTC day), operation and end state, per
//   run_days           duration bucket: rate, error share and p95 per operation
//
// A duration histogram is kept at two grains: a month reads its whole days from the daily
// table and only its ragged ends from the hourly one (a month of hourly histograms is as
// many rows as the runs themselves). A duration bucket is floor(4 * log2(d)), d in seconds
// for stages and in milliseconds for runs, at least 1: four buckets an octave, each 19 %
// wider than the one before; a percentile is interpolated inside its bucket. History is
// appended in time order (OrderStore, the seeder, the shop's changes): a stage's length is
// from the order's previous entry to the new one. A run counts once, when its state first
// becomes completed, failed or cancelled. The migration fills the tables from what the
// database already holds. The seeder, which writes millions of made-up history rows,
// drops the history trigger inside its transaction, tallies the rollups of its new orders
// itself (the same buckets) and makes the trigger again: row by row the trigger doubled
// its time. Conditions here are comparisons, not IN
// lists: SQLite builds a temporary b-tree for an IN list of three values each time it
// evaluates one, and the engine updates a run at every step.
#include "Schema.h"

#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace opflow::store::schema {

namespace {

// A grain of the duration histograms: its tables' suffix, its key column, its length.
struct Grain {
  const char* suffix;
  const char* key;
  std::int64_t ms;
};
constexpr Grain kGrains[] = {{"hours", "hour", 3'600'000}, {"days", "day", 86'400'000}};

constexpr const char* kEnded = "(NEW.state = 'completed' OR NEW.state = 'failed' OR NEW.state = 'cancelled')";

std::string histogramTables(const Grain& grain) {
  return fmt::format(R"sql(
CREATE TABLE order_stage_{0} (
  {1}    INTEGER NOT NULL, -- when the orders left the stage (UTC ms / {2})
  stage  INTEGER NOT NULL, -- order_statuses.position of the status they left
  bucket INTEGER NOT NULL, -- floor(4 * log2(seconds in the stage, at least 1))
  orders INTEGER NOT NULL,
  PRIMARY KEY ({1}, stage, bucket)
) WITHOUT ROWID;

CREATE TABLE run_{0} (
  {1}       INTEGER NOT NULL, -- when the run ended: runs.updated_at / {2}
  operation TEXT    NOT NULL,
  state     TEXT    NOT NULL CHECK (state = 'completed' OR state = 'failed' OR state = 'cancelled'),
  bucket    INTEGER NOT NULL, -- floor(4 * log2(milliseconds from start to end, at least 1))
  runs      INTEGER NOT NULL,
  PRIMARY KEY ({1}, operation, state, bucket)
) WITHOUT ROWID;
)sql",
                     grain.suffix, grain.key, grain.ms);
}

// The run NEW, ended, counted at each grain.
std::string runEndedUpserts() {
  std::string sql;
  for (const Grain& grain : kGrains) {
    sql += fmt::format(R"sql(
  INSERT INTO run_{0} ({1}, operation, state, bucket, runs)
    VALUES (NEW.updated_at / {2}, NEW.operation, NEW.state,
            CAST(floor(4 * log2(max(NEW.updated_at - NEW.created_at, 1))) AS INTEGER), 1)
    ON CONFLICT ({1}, operation, state, bucket) DO UPDATE SET runs = runs + 1;)sql",
                       grain.suffix, grain.key, grain.ms);
  }
  return sql;
}

std::string runTriggersAndFill() {
  std::string sql = fmt::format(R"sql(
CREATE TRIGGER runs_ended_rollup AFTER UPDATE OF state ON runs
  WHEN {0} AND OLD.state <> 'completed' AND OLD.state <> 'failed' AND OLD.state <> 'cancelled'
BEGIN{1}
END;

CREATE TRIGGER runs_inserted_ended_rollup AFTER INSERT ON runs WHEN {0}
BEGIN{1}
END;
)sql",
                                kEnded, runEndedUpserts());
  for (const Grain& grain : kGrains) {
    sql += fmt::format(R"sql(
INSERT INTO run_{0} ({1}, operation, state, bucket, runs)
  SELECT updated_at / {2}, operation, state, CAST(floor(4 * log2(max(updated_at - created_at, 1))) AS INTEGER), count(*)
    FROM runs WHERE state = 'completed' OR state = 'failed' OR state = 'cancelled' GROUP BY 1, 2, 3, 4;
)sql",
                       grain.suffix, grain.key, grain.ms);
  }
  return sql;
}

// The history's rollups from what order_history holds.
std::string historyBackfill() {
  std::string sql = R"sql(
INSERT INTO order_flow_hours (hour, status, entered)
  SELECT at / 3600000, status, count(*) FROM order_history GROUP BY 1, 2;
)sql";
  for (const Grain& grain : kGrains) {
    sql += fmt::format(R"sql(
INSERT INTO order_stage_{0} ({1}, stage, bucket, orders)
  SELECT at / {2}, previous, CAST(floor(4 * log2(max((at - previous_at) / 1000, 1))) AS INTEGER), count(*)
    FROM (SELECT at, lag(status) OVER entries AS previous, lag(at) OVER entries AS previous_at
            FROM order_history WINDOW entries AS (PARTITION BY order_id ORDER BY at))
   WHERE previous IS NOT NULL AND at > previous_at
   GROUP BY 1, 2, 3;
)sql",
                       grain.suffix, grain.key, grain.ms);
  }
  return sql;
}

} // namespace

const char* orderHistoryRollupTrigger() {
  static const std::string sql = [] {
    std::string stages;
    for (const Grain& grain : kGrains) {
      stages += fmt::format(R"sql(
  INSERT INTO order_stage_{0} ({1}, stage, bucket, orders)
    SELECT NEW.at / {2}, p.status, CAST(floor(4 * log2(max((NEW.at - p.at) / 1000, 1))) AS INTEGER), 1
      FROM (SELECT status, at FROM order_history WHERE order_id = NEW.order_id AND at < NEW.at
             ORDER BY at DESC LIMIT 1) AS p WHERE true
    ON CONFLICT ({1}, stage, bucket) DO UPDATE SET orders = orders + 1;)sql",
                            grain.suffix, grain.key, grain.ms);
    }
    return fmt::format(R"sql(
CREATE TRIGGER order_history_rollup AFTER INSERT ON order_history
BEGIN
  INSERT INTO order_flow_hours (hour, status, entered) VALUES (NEW.at / 3600000, NEW.status, 1)
    ON CONFLICT (hour, status) DO UPDATE SET entered = entered + 1;{}
END;
)sql",
                       stages);
  }();
  return sql.c_str();
}

const char* dashboardRollupsV1() {
  static const std::string sql = [] {
    std::string all = R"sql(
CREATE TABLE order_flow_hours (
  hour    INTEGER NOT NULL, -- order_history.at / 3600000
  status  INTEGER NOT NULL, -- order_statuses.position of the status entered
  entered INTEGER NOT NULL,
  PRIMARY KEY (hour, status)
) WITHOUT ROWID;
)sql";
    for (const Grain& grain : kGrains) {
      all += histogramTables(grain);
    }
    all += runTriggersAndFill();
    all += orderHistoryRollupTrigger();
    all += historyBackfill();
    return all;
  }();
  return sql.c_str();
}

} // namespace opflow::store::schema
