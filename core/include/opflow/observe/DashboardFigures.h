// DashboardFigures: what the shop dashboard shows for a window of time, read from the
// rollups that triggers keep beside the order history and the runs (migration 12) and
// from order_status_counts, so a month costs a few thousand rows however long the history:
//   throughput        status entries per bucket (an hour or a local day), by status entered
//   work in progress  orders in each unfinished status now, and how many of them are held
//   lead times        per stage (a status orders left in the window): median and p90 of
//                     how long they stayed
//   operations        RED per operation over the runs that ended in the window: runs an
//                     hour, the share that failed, p95 of their duration
// The rollups count whole UTC hours, so a window is widened to whole hours; the duration
// histograms are kept per UTC day too, and a window's whole days are read from those.
// Percentiles come from duration buckets four to an octave (each 19 % wider than the one
// before), interpolated inside their bucket: within a few percent of the exact figure on
// real spreads, never more than a bucket's width off.
// Thread-safety: free functions; each reads through the connection it is given (one
// reader of the store's pool, one read transaction for the whole dashboard).
#pragma once

#include "opflow/Result.h"
#include "opflow/domain/OrderStatus.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace opflow::store {
class Database;
class LocalStore;
} // namespace opflow::store

namespace opflow::observe {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;
inline constexpr std::size_t kOrderStatusCount = 11;

struct DashboardWindow {
  std::int64_t sinceMs = 0;
  std::int64_t untilMs = 0;
  std::int64_t bucketMs = kHourMs; // throughput's bucket: a whole number of hours, at most a day
  std::int64_t utcOffsetMs = 0;    // local time's offset from UTC: where a day's bucket starts
};

// The window for the last `days` local days up to `nowMs`: today alone (days = 1) in hours,
// longer ones in days; each starts at a local midnight.
[[nodiscard]] DashboardWindow dashboardWindowOfDays(int days, std::int64_t nowMs, std::int64_t utcOffsetMs);

// InvalidArgument naming the fault: an empty or reversed window, one over 400 days, a bucket
// that is not whole hours up to a day, an offset beyond ±14 hours.
[[nodiscard]] Status checkDashboardWindow(const DashboardWindow& window);

struct ThroughputBucket {
  std::int64_t startMs = 0;
  std::array<std::int64_t, kOrderStatusCount> entered{}; // by domain::positionOf(status)
};

struct StatusNow {
  domain::OrderStatus status = domain::OrderStatus::Initiated;
  std::int64_t orders = 0;
  std::int64_t held = 0;
};

struct StageLeadTime {
  domain::OrderStatus stage = domain::OrderStatus::Initiated;
  std::int64_t orders = 0; // orders that left the stage in the window
  double medianSeconds = 0;
  double p90Seconds = 0;
};

struct OperationRed {
  std::string operation;
  std::int64_t runs = 0; // ended in the window
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  double runsPerHour = 0;
  double errorShare = 0; // failed / runs
  double p95Seconds = 0; // from start to end, of every run that ended
};

struct DashboardFigures {
  DashboardWindow window; // as read: whole hours
  std::vector<ThroughputBucket> throughput; // every bucket of the window, oldest first
  std::vector<StatusNow> workInProgress;    // every unfinished status, in the status model's order
  std::vector<StageLeadTime> leadTimes;     // the stages orders left in the window, in status order
  std::vector<OperationRed> operations;     // by operation name
};

// Each figure on its own, through `db` (a reader of the store), for a checked window.
[[nodiscard]] Result<std::vector<ThroughputBucket>> readThroughput(store::Database& db, const DashboardWindow& window);
[[nodiscard]] Result<std::vector<StatusNow>> readWorkInProgress(store::Database& db);
[[nodiscard]] Result<std::vector<StageLeadTime>> readLeadTimes(store::Database& db, const DashboardWindow& window);
[[nodiscard]] Result<std::vector<OperationRed>> readOperationRed(store::Database& db, const DashboardWindow& window);

// Every figure, in one read transaction on one of the store's readers, so they agree.
[[nodiscard]] Result<DashboardFigures> readDashboard(store::LocalStore& store, const DashboardWindow& window);

// The `quantile` (0..1) of durations counted per bucket (bucket k holds [2^(k/4), 2^((k+1)/4))
// units), interpolated geometrically inside its bucket; 0 for no durations.
[[nodiscard]] double bucketQuantile(const std::map<int, std::int64_t>& counts, double quantile);

} // namespace opflow::observe
