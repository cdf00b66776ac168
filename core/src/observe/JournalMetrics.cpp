#include "opflow/observe/JournalMetrics.h"

#include "opflow/observe/ProcessMetrics.h"
#include "opflow/store/NodeStatistics.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace opflow::observe {

namespace {

// runs_by_created finds the window's runs (an older build's database, opened read-only and
// so not migrated, has no such index and is scanned), the steps primary key their steps.
constexpr const char* kWindowSteps =
    "SELECT r.id, r.operation, r.state, r.created_at, r.updated_at, s.node, s.duration_us, s.error, s.exit "
    "FROM runs AS r LEFT JOIN steps AS s ON s.run_id = r.id WHERE r.created_at >= ?1 AND r.created_at < ?2";

bool isEnded(std::string_view state) { return state == "completed" || state == "failed" || state == "cancelled"; }

std::vector<MetricFamily> emptyFamilies() {
  return {
      {"opflow_runs_total", "Runs started in the window, by operation and state now", MetricType::Counter, {}, {}},
      {"opflow_run_duration_seconds", "Ended runs of the window: from start to end", MetricType::Histogram,
       durationBucketsS(), {}},
      {"opflow_steps_total", "Steps of the window's runs, by operation and node", MetricType::Counter, {}, {}},
      {"opflow_step_errors_total",
       "Steps that ended in an error or left by a failed, failure or timeout exit", MetricType::Counter, {}, {}},
      {"opflow_step_duration_seconds", "Step durations (a wait's step lasts as long as it waited)",
       MetricType::Histogram, durationBucketsS(), {}},
      {"opflow_runs_active", "Runs now running, waiting or interrupted", MetricType::Gauge, {}, {}},
  };
}

enum Family { Runs, RunDuration, Steps, StepErrors, StepDuration, Active };

Status readWindow(store::Database& db, const MetricsWindow& window, std::vector<MetricFamily>& families) {
  auto statement = db.prepare(kWindowSteps);
  if (!statement) {
    return statement.error();
  }
  store::Statement& s = **statement;
  s.bind(1, window.sinceMs).bind(2, window.untilMs.value_or(std::numeric_limits<std::int64_t>::max()));
  std::string lastRun;
  while (true) {
    auto row = s.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
    std::string runId = s.text(0);
    std::string operation = s.text(1);
    std::string state = s.text(2);
    if (runId != lastRun) { // the rows of one run come together: one run, many steps
      lastRun = runId;
      families[Runs].at({{"operation", operation}, {"state", state}}).value += 1;
      if (isEnded(state)) {
        double seconds = static_cast<double>(std::max<std::int64_t>(s.int64(4) - s.int64(3), 0)) / 1000.0;
        families[RunDuration].at({{"operation", operation}, {"state", state}}).histogram.observe(seconds);
      }
    }
    if (s.isNull(5)) {
      continue;
    }
    Labels node{{"operation", operation}, {"node", s.text(5)}};
    families[Steps].at(node).value += 1;
    MetricSeries& errors = families[StepErrors].at(node);
    if (store::isErrorStep(s.textView(7), s.textView(8))) {
      errors.value += 1;
    }
    families[StepDuration].at(node).histogram.observe(static_cast<double>(s.int64(6)) / 1e6);
  }
}

Status readGauges(store::Database& db, const MetricsWindow& window, std::vector<MetricFamily>& families) {
  auto active = db.prepare("SELECT state, count(*) FROM runs WHERE state IN ('running', 'waiting', 'interrupted') "
                           "GROUP BY state");
  if (!active) {
    return active.error();
  }
  for (const char* state : {"running", "waiting", "interrupted"}) {
    families[Active].at({{"state", state}});
  }
  while (true) {
    auto row = (*active)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    families[Active].at({{"state", (*active)->text(0)}}).value = static_cast<double>((*active)->int64(1));
  }
  auto outbox = db.prepare("SELECT count(*), min(created_at) FROM outbox WHERE pushed_at IS NULL");
  if (!outbox) {
    return outbox.error();
  }
  auto row = (*outbox)->step();
  if (!row) {
    return row.error();
  }
  const std::int64_t pending = (*outbox)->int64(0);
  const std::optional<std::int64_t> oldest =
      (*outbox)->isNull(1) ? std::nullopt : std::optional<std::int64_t>((*outbox)->int64(1));
  auto joined = db.prepare("SELECT count(*) FROM sync_state");
  if (!joined) {
    return joined.error();
  }
  auto joinedRow = (*joined)->step();
  if (!joinedRow) {
    return joinedRow.error();
  }
  for (MetricFamily& family : outboxFamilies(pending, oldest, (*joined)->int64(0) > 0, window.nowMs)) {
    families.push_back(std::move(family));
  }
  return {};
}

} // namespace

Result<std::vector<MetricFamily>> journalMetrics(store::LocalStore& store, const MetricsWindow& window) {
  if (window.untilMs && *window.untilMs < window.sinceMs) {
    return makeError(ErrorCode::InvalidArgument, "the metrics window ends before it starts: --until is before --since");
  }
  auto reader = store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  std::vector<MetricFamily> families = emptyFamilies();
  if (Status read = readWindow(**reader, window, families); !read) {
    return read.error();
  }
  if (Status read = readGauges(**reader, window, families); !read) {
    return read.error();
  }
  return families;
}

} // namespace opflow::observe
