// nodeStatistics: one read of the operation's latest runs (runs_by_operation, or
// runs_by_operation_version with a version filter, newest first, LIMIT the window) joined
// to each run's steps by the steps primary key, so the cost follows the window and never
// the length of the history. Durations are collected per node and the median (as the
// engine's ETA computes it) and the nearest-rank 95th percentile taken in C++.
// A run in the window without steps still counts in runsExamined (the LEFT JOIN). Rows
// are not ordered (an ORDER BY would sort the whole window's steps in a temporary
// B-tree), so the runs through a node are counted as a set of window positions.
#include "opflow/store/NodeStatistics.h"

#include "opflow/engine/RunStore.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace opflow::store {

namespace {

constexpr const char* kSteps = "SELECT recent.id, s.node, s.duration_us, s.error, s.exit FROM ({}) AS recent "
                               "LEFT JOIN steps AS s ON s.run_id = recent.id";
constexpr const char* kAllVersions = "SELECT id FROM runs WHERE operation = ?1 ORDER BY id DESC LIMIT ?2";
constexpr const char* kOneVersion =
    "SELECT id FROM runs WHERE operation = ?1 AND version = ?3 ORDER BY id DESC LIMIT ?2";

// The value at rank ceil(p/100 · n) of the sorted durations (the nearest-rank method).
std::int64_t nearestRank(const std::vector<std::int64_t>& sorted, int percent) {
  std::size_t rank = (sorted.size() * static_cast<std::size_t>(percent) + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

} // namespace

bool isErrorStep(std::string_view error, std::string_view exit) {
  constexpr std::array<std::string_view, 3> kErrorExits{"failed", "failure", "timeout"};
  return !error.empty() || std::find(kErrorExits.begin(), kErrorExits.end(), exit) != kErrorExits.end();
}

std::size_t NodeStatisticsTally::positionOf(const std::string& runId) {
  return m_window.try_emplace(runId, m_window.size()).first->second;
}

void NodeStatisticsTally::addRun(const std::string& runId) { positionOf(runId); }

void NodeStatisticsTally::addStep(const std::string& runId, const std::string& node, std::int64_t durationUs,
                                  std::string_view error, std::string_view exit) {
  const std::size_t run = positionOf(runId);
  NodeTally& tally = m_nodes[node];
  tally.runs.insert(run);
  ++tally.stats.steps;
  tally.stats.totalUs += durationUs;
  tally.durationsUs.push_back(durationUs);
  if (isErrorStep(error, exit)) {
    ++tally.stats.errors;
  }
}

OperationStatistics NodeStatisticsTally::finish() {
  OperationStatistics result;
  result.runsExamined = static_cast<std::int64_t>(m_window.size());
  for (auto& [node, tally] : m_nodes) {
    tally.stats.runs = static_cast<std::int64_t>(tally.runs.size());
    std::sort(tally.durationsUs.begin(), tally.durationsUs.end());
    tally.stats.medianUs = engine::medianDurationUs(tally.durationsUs).value_or(0);
    tally.stats.p95Us = nearestRank(tally.durationsUs, 95);
    result.nodes.emplace(node, tally.stats);
  }
  return result;
}

Status checkStatisticsWindow(const StatisticsQuery& query) {
  if (query.runWindow <= 0) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the statistics window of \"{}\" must be at least one run, not {}", query.operation,
                                 query.runWindow));
  }
  return {};
}

Result<OperationStatistics> nodeStatistics(LocalStore& store, const StatisticsQuery& query) {
  if (Status window = checkStatisticsWindow(query); !window) {
    return window.error();
  }
  auto reader = store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  // Two texts rather than "?3 IS NULL OR version = ?3", which would keep SQLite from
  // using the version index.
  static const std::string kAllVersionsSql = fmt::format(kSteps, kAllVersions);
  static const std::string kOneVersionSql = fmt::format(kSteps, kOneVersion);
  auto statement = (*reader)->prepare(query.version ? kOneVersionSql : kAllVersionsSql);
  if (!statement) {
    return statement.error();
  }
  Statement& s = **statement;
  s.bind(1, query.operation).bind(2, query.runWindow);
  if (query.version) {
    s.bind(3, *query.version);
  }

  NodeStatisticsTally tally;
  while (true) {
    auto row = s.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    if (s.isNull(1)) {
      tally.addRun(s.text(0)); // a run without steps yet
      continue;
    }
    tally.addStep(s.text(0), s.text(1), s.int64(2), s.textView(3), s.textView(4));
  }
  return tally.finish();
}

} // namespace opflow::store
