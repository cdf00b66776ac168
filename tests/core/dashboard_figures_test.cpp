// observe::DashboardFigures on real SQLite files: the rollups the triggers keep agree with
// the order history and the runs they summarise (a seeded shop, checked against the naive
// aggregates computed here from the raw rows), the migration fills them from what an older
// database holds, runs the real engine journaled give their RED per operation, and bad
// windows are refused with the reason.
#include "JournalTestSupport.h"

#include "opflow/observe/DashboardCsv.h"
#include "opflow/observe/DashboardFigures.h"
#include "opflow/store/OrderSeeder.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <cmath>

namespace opflow::observe {
namespace {

using store::test::parked;
using store::test::refuse;

const store::OrderActor kSeeder{"root", "admin", "ws-1", "", ""};

// The exact `quantile` of `values` by nearest rank.
double exactQuantile(std::vector<double> values, double quantile) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

class DashboardFiguresTest : public store::test::StoreFixture {
protected:
  void seed(std::int64_t orders) {
    auto seeded = store::seedOrders(*store, {orders, 7, 1000, kSeeder});
    ASSERT_TRUE(seeded) << seeded.error().describe();
  }

  DashboardFigures figures(const DashboardWindow& window) {
    auto read = readDashboard(*store, window);
    EXPECT_TRUE(read) << read.error().describe();
    return read ? *read : DashboardFigures{};
  }

  // What order_history says, computed the naive way: every row read, grouped here.
  struct NaiveFlow {
    std::map<std::pair<std::int64_t, int>, std::int64_t> entered; // (bucket start, status)
    std::map<int, std::vector<double>> stageSeconds;              // by stage left in the window
  };
  NaiveFlow naiveFlow(const DashboardWindow& window) {
    NaiveFlow flow;
    auto db = reader();
    auto statement = db->prepare("SELECT order_id, at, status FROM order_history ORDER BY order_id, at");
    EXPECT_TRUE(statement);
    std::int64_t lastOrder = -1;
    std::int64_t lastAt = 0;
    int lastStatus = 0;
    while (*(*statement)->step()) {
      const std::int64_t order = (*statement)->int64(0);
      const std::int64_t at = (*statement)->int64(1);
      const int status = static_cast<int>((*statement)->int64(2));
      if (at >= window.sinceMs && at < window.untilMs) {
        const std::int64_t local = at + window.utcOffsetMs;
        const std::int64_t start = local - local % window.bucketMs - window.utcOffsetMs;
        flow.entered[{start, status}] += 1;
        if (order == lastOrder) {
          flow.stageSeconds[lastStatus].push_back(std::max<double>(static_cast<double>((at - lastAt) / 1000), 1.0));
        }
      }
      lastOrder = order;
      lastAt = at;
      lastStatus = status;
    }
    return flow;
  }
};

TEST_F(DashboardFiguresTest, ThroughputAndLeadTimesAgreeWithTheHistoryTheySummarise) {
  seed(3000);
  const std::int64_t now = reader()->nowMs();
  // The last moment of yesterday (UTC): "today" at that moment is a whole day in hours,
  // which holds moves at any time of day the test runs (just after midnight, today does not).
  const std::int64_t endOfYesterday = now - now % (24 * kHourMs) - 1;
  // Thirty local days in days (an offset of two hours), a day in hours, 400 days.
  for (const DashboardWindow& window : {dashboardWindowOfDays(30, now, 2 * kHourMs),
                                        dashboardWindowOfDays(1, endOfYesterday, 0),
                                        dashboardWindowOfDays(400, now, 0)}) {
    SCOPED_TRACE(window.bucketMs);
    DashboardFigures read = figures(window);
    DashboardWindow whole = read.window;
    ASSERT_EQ(whole.sinceMs % kHourMs, 0);
    ASSERT_EQ(whole.untilMs % kHourMs, 0);
    NaiveFlow naive = naiveFlow(whole);

    std::int64_t naiveTotal = 0;
    for (const auto& [key, count] : naive.entered) {
      naiveTotal += count;
    }
    ASSERT_GT(naiveTotal, 0) << "the window must hold moves to compare";
    std::int64_t total = 0;
    for (std::size_t i = 0; i < read.throughput.size(); ++i) {
      const ThroughputBucket& bucket = read.throughput[i];
      if (i > 0) {
        EXPECT_EQ(bucket.startMs - read.throughput[i - 1].startMs, window.bucketMs);
      }
      for (std::size_t status = 0; status < kOrderStatusCount; ++status) {
        auto found = naive.entered.find({bucket.startMs, static_cast<int>(status)});
        EXPECT_EQ(bucket.entered[status], found == naive.entered.end() ? 0 : found->second)
            << "bucket " << bucket.startMs << ", status " << status;
        total += bucket.entered[status];
      }
    }
    EXPECT_EQ(total, naiveTotal);

    ASSERT_EQ(read.leadTimes.size(), naive.stageSeconds.size());
    for (const StageLeadTime& stage : read.leadTimes) {
      const std::vector<double>& seconds = naive.stageSeconds[domain::positionOf(stage.stage)];
      EXPECT_EQ(stage.orders, static_cast<std::int64_t>(seconds.size())) << domain::toString(stage.stage);
      // A bucket is 19 % wide: the interpolated figure lies within it of the exact one.
      EXPECT_NEAR(stage.medianSeconds, exactQuantile(seconds, 0.5), 0.19 * exactQuantile(seconds, 0.5))
          << domain::toString(stage.stage);
      EXPECT_NEAR(stage.p90Seconds, exactQuantile(seconds, 0.9), 0.19 * exactQuantile(seconds, 0.9))
          << domain::toString(stage.stage);
      EXPECT_LE(stage.medianSeconds, stage.p90Seconds);
    }
  }
}

TEST_F(DashboardFiguresTest, TheSeederLeavesTheTriggerThatCountsLaterMoves) {
  seed(50); // fills its rollups in bulk with the trigger dropped, then makes it again
  const std::int64_t now = reader()->nowMs();
  const DashboardWindow today = dashboardWindowOfDays(1, now, 0);
  auto enteredToday = [&] {
    std::int64_t total = 0;
    for (const ThroughputBucket& bucket : figures(today).throughput) {
      total += bucket.entered[domain::positionOf(domain::OrderStatus::Cancelled)];
    }
    return total;
  };
  const std::int64_t before = enteredToday();
  {
    auto db = store::Database::open({dbPath(), false, false, store::Durability::Normal, 5000});
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE((*db)->exec(fmt::format("INSERT INTO order_history (order_id, at, status) VALUES (1, {}, {})", now,
                                        domain::positionOf(domain::OrderStatus::Cancelled))));
  }
  EXPECT_EQ(enteredToday(), before + 1);
}

TEST_F(DashboardFiguresTest, WorkInProgressIsEveryUnfinishedStatusNow) {
  seed(500);
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> naive;
  auto db = reader();
  auto statement = db->prepare("SELECT status, count(*), count(hold_reason) FROM orders GROUP BY status");
  ASSERT_TRUE(statement);
  while (*(*statement)->step()) {
    naive[(*statement)->text(0)] = {(*statement)->int64(1), (*statement)->int64(2)};
  }
  DashboardFigures read = figures(dashboardWindowOfDays(7, db->nowMs(), 0));
  ASSERT_EQ(read.workInProgress.size(), 9u); // every status but CLOSED and CANCELLED
  EXPECT_EQ(read.workInProgress.front().status, domain::OrderStatus::Initiated);
  EXPECT_EQ(read.workInProgress.back().status, domain::OrderStatus::Shipped);
  for (const StatusNow& now : read.workInProgress) {
    EXPECT_EQ(now.orders, naive[domain::toString(now.status)].first) << domain::toString(now.status);
    EXPECT_EQ(now.held, naive[domain::toString(now.status)].second) << domain::toString(now.status);
  }
}

TEST_F(DashboardFiguresTest, TheMigrationFillsTheRollupsFromAnOlderDatabase) {
  seed(800);
  const DashboardWindow window = dashboardWindowOfDays(400, reader()->nowMs(), 0);
  DashboardFigures before = figures(window);
  store.reset();
  {
    // The database as the build before the rollups left it: schema 11, no rollups (nor
    // migration 13's index).
    auto db = store::Database::open({dbPath(), false, false, store::Durability::Normal, 5000});
    ASSERT_TRUE(db) << db.error().describe();
    ASSERT_TRUE((*db)->exec("DROP TRIGGER order_history_rollup; DROP TRIGGER runs_ended_rollup; "
                            "DROP TRIGGER runs_inserted_ended_rollup; DROP TABLE order_flow_hours; "
                            "DROP TABLE order_stage_hours; DROP TABLE order_stage_days; DROP TABLE run_hours; "
                            "DROP TABLE run_days; DROP INDEX outbox_by_correlation; PRAGMA user_version = 11"));
  }
  auto reopened = store::LocalStore::open({dbPath(), true, store::Durability::Normal, {}});
  ASSERT_TRUE(reopened) << reopened.error().describe();
  store = std::move(reopened).value();
  DashboardFigures after = figures(window);
  ASSERT_EQ(after.throughput.size(), before.throughput.size());
  for (std::size_t i = 0; i < after.throughput.size(); ++i) {
    EXPECT_EQ(after.throughput[i].entered, before.throughput[i].entered) << i;
  }
  ASSERT_EQ(after.leadTimes.size(), before.leadTimes.size());
  for (std::size_t i = 0; i < after.leadTimes.size(); ++i) {
    EXPECT_EQ(after.leadTimes[i].orders, before.leadTimes[i].orders);
    EXPECT_DOUBLE_EQ(after.leadTimes[i].medianSeconds, before.leadTimes[i].medianSeconds);
    EXPECT_DOUBLE_EQ(after.leadTimes[i].p90Seconds, before.leadTimes[i].p90Seconds);
  }
}

class DashboardRunsTest : public store::test::JournalFixture {};

TEST_F(DashboardRunsTest, RedPerOperationCountsEachRunOnceWhenItEnds) {
  startEngine({store::test::worked(), parked(), refuse()});
  const engine::RunContext ada{.user = "ada", .role = "operator"};
  for (int ms : {20, 40, 60, 80, 100, 120, 140, 160, 180, 3000}) {
    ASSERT_TRUE(m_engine->start({"test.worked", std::nullopt, {{"ms", ms}}, ada}));
  }
  ASSERT_TRUE(m_engine->start({"test.worked", std::nullopt, {{"ms", 10}, {"fail", true}}, ada}));
  ASSERT_TRUE(m_engine->start({"test.refuse", std::nullopt, Json::object(), ada}));
  ASSERT_TRUE(m_engine->start({"test.parked", std::nullopt, Json::object(), ada})); // waits: not ended
  ASSERT_TRUE(m_runs->flush());

  DashboardWindow window{.sinceMs = clockMs() - kHourMs, .untilMs = clockMs() + kHourMs};
  auto read = readDashboard(*store, window);
  ASSERT_TRUE(read) << read.error().describe();
  ASSERT_EQ(read->operations.size(), 2u);
  const OperationRed& refused = read->operations[0];
  EXPECT_EQ(refused.operation, "test.refuse");
  EXPECT_EQ(refused.runs, 1);
  EXPECT_EQ(refused.errorShare, 1.0);
  const OperationRed& worked = read->operations[1];
  EXPECT_EQ(worked.operation, "test.worked");
  EXPECT_EQ(worked.runs, 11);
  EXPECT_EQ(worked.failed, 1);
  EXPECT_DOUBLE_EQ(worked.errorShare, 1.0 / 11.0);
  const double hours = static_cast<double>(read->window.untilMs - read->window.sinceMs) / kHourMs;
  EXPECT_DOUBLE_EQ(worked.runsPerHour, 11.0 / hours);
  // The 95th of 11 runs is the 3-second one: its bucket is [2^11.5, 2^11.75) ms.
  EXPECT_GE(worked.p95Seconds, std::exp2(11.5) / 1000.0);
  EXPECT_LT(worked.p95Seconds, std::exp2(11.75) / 1000.0);

  // Four days around them read the runs' whole days from the daily rollup: the same figures.
  auto days = readDashboard(*store, {.sinceMs = clockMs() - 2 * kDayMs, .untilMs = clockMs() + 2 * kDayMs});
  ASSERT_TRUE(days) << days.error().describe();
  ASSERT_EQ(days->operations.size(), 2u);
  EXPECT_EQ(days->operations[1].runs, 11);
  EXPECT_EQ(days->operations[1].failed, 1);
  EXPECT_DOUBLE_EQ(days->operations[1].p95Seconds, worked.p95Seconds);

  // A window before the runs holds none of them.
  auto earlier = readDashboard(*store, {.sinceMs = clockMs() - 30 * kDayMs, .untilMs = clockMs() - 2 * kHourMs});
  ASSERT_TRUE(earlier) << earlier.error().describe();
  EXPECT_TRUE(earlier->operations.empty());
}

TEST(DashboardQuantileTest, InterpolatesInsideTheBucketOfTheRank) {
  EXPECT_EQ(bucketQuantile({}, 0.5), 0.0);
  // All in bucket 8 ([4, 4.76)): the median is halfway through it, geometrically.
  EXPECT_DOUBLE_EQ(bucketQuantile({{8, 10}}, 0.5), std::exp2(2.125));
  EXPECT_DOUBLE_EQ(bucketQuantile({{8, 10}}, 1.0), std::exp2(2.25));
  // Nine fast, one slow: p90 is the top of the fast bucket, p95 inside the slow one.
  EXPECT_DOUBLE_EQ(bucketQuantile({{0, 9}, {40, 1}}, 0.9), std::exp2(0.25));
  EXPECT_DOUBLE_EQ(bucketQuantile({{0, 9}, {40, 1}}, 0.95), std::exp2(10.125));
}

TEST(DashboardWindowTest, BadWindowsAreRefusedWithTheReason) {
  auto refused = [](const DashboardWindow& window) {
    Status checked = checkDashboardWindow(window);
    EXPECT_FALSE(checked);
    return checked ? std::string() : checked.error().message;
  };
  EXPECT_THAT(refused({.sinceMs = 10, .untilMs = 10}), testing::HasSubstr("must end after it starts"));
  EXPECT_THAT(refused({.sinceMs = 0, .untilMs = 401 * kDayMs}), testing::HasSubstr("over the limit of 400"));
  EXPECT_THAT(refused({.sinceMs = 0, .untilMs = kDayMs, .bucketMs = 90 * 60'000}),
              testing::HasSubstr("whole hours up to a day"));
  EXPECT_THAT(refused({.sinceMs = 0, .untilMs = kDayMs, .bucketMs = kHourMs, .utcOffsetMs = 15 * kHourMs}),
              testing::HasSubstr("at most 14 hours"));
  EXPECT_TRUE(checkDashboardWindow(dashboardWindowOfDays(30, 1'800'000'000'000, 3600'000)));
}

TEST(DashboardWindowTest, DaysStartAtLocalMidnight) {
  // At UTC+2 a local day begins at 22:00 UTC.
  const std::int64_t now = 1'799'595'000'000;
  DashboardWindow today = dashboardWindowOfDays(1, now, 2 * kHourMs);
  EXPECT_EQ(today.bucketMs, kHourMs);
  EXPECT_EQ((today.sinceMs + 2 * kHourMs) % kDayMs, 0);
  EXPECT_LE(today.sinceMs, now);
  EXPECT_GT(today.sinceMs, now - kDayMs);
  EXPECT_EQ(today.untilMs, now);
  DashboardWindow week = dashboardWindowOfDays(7, now, 2 * kHourMs);
  EXPECT_EQ(week.bucketMs, kDayMs);
  EXPECT_EQ(week.sinceMs, today.sinceMs - 6 * kDayMs);
}

TEST(DashboardCsvTest, EachChartsDataIsCsvWithAHeaderRow) {
  ThroughputBucket bucket{.startMs = 1'800'000'000'000};
  bucket.entered[domain::positionOf(domain::OrderStatus::Shipped)] = 4;
  EXPECT_EQ(throughputCsv({bucket}),
            "bucket_start_utc,INITIATED,FILE_UPLOADED,SUBMITTED,PRICE_CALCULATED,MANUFACTURING_APPROVED,"
            "MANUFACTURING_STARTED,MANUFACTURING_COMPLETED,PACKAGING,SHIPPED,CLOSED,CANCELLED\r\n"
            "2027-01-15T08:00:00.000Z,0,0,0,0,0,0,0,0,4,0,0\r\n");
  EXPECT_EQ(workInProgressCsv({{domain::OrderStatus::Packaging, 12, 3}}), "status,orders,held\r\nPACKAGING,12,3\r\n");
  EXPECT_EQ(leadTimesCsv({{domain::OrderStatus::Submitted, 5, 90.5, 3600}}),
            "stage,orders,median_seconds,p90_seconds\r\nSUBMITTED,5,90.5,3600\r\n");
  OperationRed red{.operation = "odd, \"quoted\" name", .runs = 8, .failed = 2, .cancelled = 1,
                   .runsPerHour = 0.5, .errorShare = 0.25, .p95Seconds = 1.25};
  EXPECT_EQ(operationRedCsv({red}), "operation,runs,failed,cancelled,runs_per_hour,error_share,p95_seconds\r\n"
                                    "\"odd, \"\"quoted\"\" name\",8,2,1,0.5,0.25,1.25\r\n");
  EXPECT_EQ(eventRateCsv({{1'800'000'000'500, 9876.5}}),
            "time_utc,events_per_second\r\n2027-01-15T08:00:00.500Z,9876.5\r\n");
}

} // namespace
} // namespace opflow::observe
