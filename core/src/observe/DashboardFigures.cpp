#include "opflow/observe/DashboardFigures.h"

#include "opflow/store/Database.h"
#include "opflow/store/LocalStore.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace opflow::observe {

namespace {

constexpr std::int64_t kMaxWindowMs = 400 * kDayMs;
constexpr std::int64_t kMaxOffsetMs = 14 * kHourMs;

std::int64_t floorDiv(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

std::int64_t firstHour(const DashboardWindow& window) { return floorDiv(window.sinceMs, kHourMs); }
std::int64_t endHour(const DashboardWindow& window) { return -floorDiv(-window.untilMs, kHourMs); }

// The window widened to whole hours, as the rollups count.
DashboardWindow wholeHours(const DashboardWindow& window) {
  DashboardWindow whole = window;
  whole.sinceMs = firstHour(window) * kHourMs;
  whole.untilMs = endHour(window) * kHourMs;
  return whole;
}

// Where the bucket holding `ms` starts: buckets begin at local midnights.
std::int64_t bucketStart(std::int64_t ms, const DashboardWindow& window) {
  return floorDiv(ms + window.utcOffsetMs, window.bucketMs) * window.bucketMs - window.utcOffsetMs;
}

// Runs `statement` over its rows, calling `read` on each.
template <typename Read>
Status forEachRow(store::Statement& statement, Read&& read) {
  while (true) {
    auto row = statement.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
    read(static_cast<const store::Statement&>(statement));
  }
}

// Reads a duration histogram kept at two grains over the window's whole hours: its whole
// UTC days from `daySql`, the hours before the first and after the last from `hourSql`
// (each takes a range [?1, ?2) of its key), calling `read` on every row.
template <typename Read>
Status readHistogram(store::Database& db, const DashboardWindow& window, const char* hourSql, const char* daySql,
                     Read&& read) {
  constexpr std::int64_t kHoursADay = kDayMs / kHourMs;
  const std::int64_t first = firstHour(window);
  const std::int64_t end = endHour(window);
  const std::int64_t dayFrom = -floorDiv(-first, kHoursADay);
  const std::int64_t dayTo = floorDiv(end, kHoursADay);
  std::vector<std::pair<const char*, std::pair<std::int64_t, std::int64_t>>> ranges;
  if (dayFrom < dayTo) {
    ranges = {{daySql, {dayFrom, dayTo}},
              {hourSql, {first, dayFrom * kHoursADay}},
              {hourSql, {dayTo * kHoursADay, end}}};
  } else {
    ranges = {{hourSql, {first, end}}};
  }
  for (const auto& [sql, range] : ranges) {
    if (range.first >= range.second) {
      continue;
    }
    auto statement = db.prepare(sql);
    if (!statement) {
      return statement.error();
    }
    (*statement)->bind(1, range.first).bind(2, range.second);
    if (Status done = forEachRow(**statement, read); !done) {
      return done;
    }
  }
  return {};
}

bool isStatusPosition(std::int64_t position) {
  return position >= 0 && position < static_cast<std::int64_t>(kOrderStatusCount);
}

} // namespace

DashboardWindow dashboardWindowOfDays(int days, std::int64_t nowMs, std::int64_t utcOffsetMs) {
  DashboardWindow window;
  window.utcOffsetMs = utcOffsetMs;
  window.bucketMs = days <= 1 ? kHourMs : kDayMs;
  const std::int64_t todayStart = floorDiv(nowMs + utcOffsetMs, kDayMs) * kDayMs - utcOffsetMs;
  window.sinceMs = todayStart - static_cast<std::int64_t>(std::max(days, 1) - 1) * kDayMs;
  window.untilMs = nowMs;
  return window;
}

Status checkDashboardWindow(const DashboardWindow& window) {
  if (window.untilMs <= window.sinceMs) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("the dashboard's window must end after it starts, not at "
                                                             "{} ms for a start at {} ms",
                                                             window.untilMs, window.sinceMs));
  }
  if (window.untilMs - window.sinceMs > kMaxWindowMs) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the dashboard's window spans {:.1f} days, over the limit of 400",
                                 static_cast<double>(window.untilMs - window.sinceMs) / kDayMs));
  }
  if (window.bucketMs < kHourMs || window.bucketMs > kDayMs || window.bucketMs % kHourMs != 0) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("a throughput bucket is whole hours up to a day, not {} ms", window.bucketMs));
  }
  if (window.utcOffsetMs < -kMaxOffsetMs || window.utcOffsetMs > kMaxOffsetMs) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("an offset from UTC is at most 14 hours, not {} ms", window.utcOffsetMs));
  }
  return {};
}

Result<std::vector<ThroughputBucket>> readThroughput(store::Database& db, const DashboardWindow& window) {
  if (Status valid = checkDashboardWindow(window); !valid) {
    return valid.error();
  }
  const DashboardWindow whole = wholeHours(window);
  const std::int64_t first = bucketStart(whole.sinceMs, whole);
  const std::int64_t last = bucketStart(whole.untilMs - 1, whole);
  std::vector<ThroughputBucket> buckets(static_cast<std::size_t>((last - first) / whole.bucketMs + 1));
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    buckets[i].startMs = first + static_cast<std::int64_t>(i) * whole.bucketMs;
  }
  auto statement =
      db.prepare("SELECT hour, status, entered FROM order_flow_hours WHERE hour >= ?1 AND hour < ?2 ORDER BY hour");
  if (!statement) {
    return statement.error();
  }
  (*statement)->bind(1, firstHour(window)).bind(2, endHour(window));
  Status read = forEachRow(**statement, [&](const store::Statement& row) {
    const std::int64_t status = row.int64(1);
    if (!isStatusPosition(status)) {
      return;
    }
    const std::int64_t index = (bucketStart(row.int64(0) * kHourMs, whole) - first) / whole.bucketMs;
    buckets[static_cast<std::size_t>(index)].entered[static_cast<std::size_t>(status)] += row.int64(2);
  });
  if (!read) {
    return read.error();
  }
  return buckets;
}

Result<std::vector<StatusNow>> readWorkInProgress(store::Database& db) {
  auto statement = db.prepare("SELECT status, count, held FROM order_status_counts");
  if (!statement) {
    return statement.error();
  }
  std::array<StatusNow, kOrderStatusCount> byPosition{};
  Status read = forEachRow(**statement, [&](const store::Statement& row) {
    auto status = domain::parseOrderStatus(row.text(0));
    if (status) {
      byPosition[static_cast<std::size_t>(domain::positionOf(*status))] = {*status, row.int64(1), row.int64(2)};
    }
  });
  if (!read) {
    return read.error();
  }
  std::vector<StatusNow> now;
  for (domain::OrderStatus status : domain::allOrderStatuses()) {
    if (!domain::isFinal(status)) {
      StatusNow figure = byPosition[static_cast<std::size_t>(domain::positionOf(status))];
      figure.status = status;
      now.push_back(figure);
    }
  }
  return now;
}

Result<std::vector<StageLeadTime>> readLeadTimes(store::Database& db, const DashboardWindow& window) {
  if (Status valid = checkDashboardWindow(window); !valid) {
    return valid.error();
  }
  std::array<std::map<int, std::int64_t>, kOrderStatusCount> byStage;
  Status read = readHistogram(
      db, window,
      "SELECT stage, bucket, sum(orders) FROM order_stage_hours WHERE hour >= ?1 AND hour < ?2 GROUP BY stage, bucket",
      "SELECT stage, bucket, sum(orders) FROM order_stage_days WHERE day >= ?1 AND day < ?2 GROUP BY stage, bucket",
      [&](const store::Statement& row) {
        if (isStatusPosition(row.int64(0))) {
          byStage[static_cast<std::size_t>(row.int64(0))][static_cast<int>(row.int64(1))] += row.int64(2);
        }
      });
  if (!read) {
    return read.error();
  }
  std::vector<StageLeadTime> stages;
  for (domain::OrderStatus status : domain::allOrderStatuses()) {
    const auto& counts = byStage[static_cast<std::size_t>(domain::positionOf(status))];
    if (counts.empty()) {
      continue;
    }
    StageLeadTime stage{status, 0, bucketQuantile(counts, 0.5), bucketQuantile(counts, 0.9)};
    for (const auto& [bucket, orders] : counts) {
      stage.orders += orders;
    }
    stages.push_back(stage);
  }
  return stages;
}

Result<std::vector<OperationRed>> readOperationRed(store::Database& db, const DashboardWindow& window) {
  if (Status valid = checkDashboardWindow(window); !valid) {
    return valid.error();
  }
  struct Tally {
    OperationRed red;
    std::map<int, std::int64_t> durations;
  };
  std::map<std::string, Tally, std::less<>> byOperation;
  Status read = readHistogram(
      db, window,
      "SELECT operation, state, bucket, sum(runs) FROM run_hours WHERE hour >= ?1 AND hour < ?2 "
      "GROUP BY operation, state, bucket",
      "SELECT operation, state, bucket, sum(runs) FROM run_days WHERE day >= ?1 AND day < ?2 "
      "GROUP BY operation, state, bucket",
      [&](const store::Statement& row) {
        Tally& tally = byOperation[row.text(0)];
        const std::string state = row.text(1);
        const std::int64_t runs = row.int64(3);
        tally.red.runs += runs;
        tally.red.failed += state == "failed" ? runs : 0;
        tally.red.cancelled += state == "cancelled" ? runs : 0;
        tally.durations[static_cast<int>(row.int64(2))] += runs;
      });
  if (!read) {
    return read.error();
  }
  const double hours = static_cast<double>(endHour(window) - firstHour(window));
  std::vector<OperationRed> operations;
  for (auto& [name, tally] : byOperation) {
    OperationRed red = tally.red;
    red.operation = name;
    red.runsPerHour = static_cast<double>(red.runs) / hours;
    red.errorShare = static_cast<double>(red.failed) / static_cast<double>(red.runs);
    red.p95Seconds = bucketQuantile(tally.durations, 0.95) / 1000.0;
    operations.push_back(std::move(red));
  }
  return operations;
}

Result<DashboardFigures> readDashboard(store::LocalStore& store, const DashboardWindow& window) {
  if (Status valid = checkDashboardWindow(window); !valid) {
    return valid.error();
  }
  auto reader = store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  store::Database& db = **reader;
  auto transaction = store::Transaction::begin(db, store::Transaction::Kind::Deferred);
  if (!transaction) {
    return transaction.error();
  }
  DashboardFigures figures;
  figures.window = wholeHours(window);
  auto throughput = readThroughput(db, window);
  if (!throughput) {
    return throughput.error();
  }
  figures.throughput = std::move(*throughput);
  auto now = readWorkInProgress(db);
  if (!now) {
    return now.error();
  }
  figures.workInProgress = std::move(*now);
  auto leadTimes = readLeadTimes(db, window);
  if (!leadTimes) {
    return leadTimes.error();
  }
  figures.leadTimes = std::move(*leadTimes);
  auto operations = readOperationRed(db, window);
  if (!operations) {
    return operations.error();
  }
  figures.operations = std::move(*operations);
  return figures;
}

double bucketQuantile(const std::map<int, std::int64_t>& counts, double quantile) {
  std::int64_t total = 0;
  for (const auto& [bucket, count] : counts) {
    total += count;
  }
  if (total == 0) {
    return 0;
  }
  const double rank = std::clamp(quantile, 0.0, 1.0) * static_cast<double>(total);
  double below = 0;
  for (const auto& [bucket, count] : counts) {
    if (count > 0 && below + static_cast<double>(count) >= rank) {
      const double lower = std::exp2(bucket / 4.0);
      const double fraction = (rank - below) / static_cast<double>(count);
      return lower * std::exp2(fraction / 4.0);
    }
    below += static_cast<double>(count);
  }
  return std::exp2((counts.rbegin()->first + 1) / 4.0);
}

} // namespace opflow::observe
