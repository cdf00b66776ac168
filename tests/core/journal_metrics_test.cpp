// observe::journalMetrics on a real SQLite journal the real engine wrote (rate, errors and
// duration per operation and node, within a time window, and the gauges of now), and
// the Prometheus text and JSON renderings of metric families.
#include "JournalTestSupport.h"

#include "opflow/observe/JournalMetrics.h"

#include <gmock/gmock.h>

namespace opflow::observe {
namespace {

using store::test::parked;
using store::test::worked;

const MetricSeries* seriesOf(const std::vector<MetricFamily>& families, const std::string& name, const Labels& labels) {
  for (const MetricFamily& family : families) {
    if (family.name != name) {
      continue;
    }
    for (const MetricSeries& series : family.series) {
      if (series.labels == labels) {
        return &series;
      }
    }
  }
  return nullptr;
}

class JournalMetricsTest : public store::test::JournalFixture {
protected:
  void SetUp() override {
    JournalFixture::SetUp();
    startEngine({worked(), parked()});
  }

  void start(const std::string& operation, Json inputs) {
    auto started = m_engine->start({operation, std::nullopt, std::move(inputs), {.user = "ada", .role = "operator"}});
    EXPECT_TRUE(started) << started.error().describe();
  }

  std::vector<MetricFamily> metrics(MetricsWindow window) {
    EXPECT_TRUE(m_runs->flush());
    auto families = journalMetrics(*store, window);
    EXPECT_TRUE(families) << families.error().describe();
    return families ? *families : std::vector<MetricFamily>{};
  }

};

TEST_F(JournalMetricsTest, RateErrorsAndDurationPerOperationAndNode) {
  start("test.worked", {{"ms", 20}});
  start("test.worked", {{"ms", 300}});
  start("test.worked", {{"ms", 7}, {"fail", true}});
  start("test.parked", Json::object());
  std::vector<MetricFamily> families = metrics({.sinceMs = 0, .nowMs = clockMs()});

  const MetricSeries* completed = seriesOf(families, "opflow_runs_total", {{"operation", "test.worked"}, {"state", "completed"}});
  ASSERT_NE(completed, nullptr);
  EXPECT_EQ(completed->value, 2);
  EXPECT_EQ(seriesOf(families, "opflow_runs_total", {{"operation", "test.worked"}, {"state", "failed"}})->value, 1);
  EXPECT_EQ(seriesOf(families, "opflow_runs_total", {{"operation", "test.parked"}, {"state", "waiting"}})->value, 1);

  const MetricSeries* work = seriesOf(families, "opflow_step_duration_seconds", {{"operation", "test.worked"}, {"node", "work"}});
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->histogram.count, 3u);
  EXPECT_DOUBLE_EQ(work->histogram.sum, 0.327);
  const std::vector<double>& bounds = durationBucketsS();
  auto bucketOf = [&](double s) { return std::lower_bound(bounds.begin(), bounds.end(), s) - bounds.begin(); };
  EXPECT_EQ(work->histogram.counts[static_cast<std::size_t>(bucketOf(0.3))], 1u) << "300 ms falls in (0.25, 0.5]";
  EXPECT_EQ(seriesOf(families, "opflow_steps_total", {{"operation", "test.worked"}, {"node", "work"}})->value, 3);
  EXPECT_EQ(seriesOf(families, "opflow_step_errors_total", {{"operation", "test.worked"}, {"node", "work"}})->value, 1)
      << "the failed exit";
  EXPECT_EQ(seriesOf(families, "opflow_step_errors_total", {{"operation", "test.worked"}, {"node", "give_up"}})->value, 1)
      << "a fail node journals its reason as the step's error";
  EXPECT_EQ(seriesOf(families, "opflow_step_errors_total", {{"operation", "test.worked"}, {"node", "done"}})->value, 0);

  const MetricSeries* runDuration =
      seriesOf(families, "opflow_run_duration_seconds", {{"operation", "test.worked"}, {"state", "completed"}});
  ASSERT_NE(runDuration, nullptr);
  EXPECT_EQ(runDuration->histogram.count, 2u);
  EXPECT_EQ(seriesOf(families, "opflow_run_duration_seconds", {{"operation", "test.parked"}, {"state", "waiting"}}),
            nullptr)
      << "a run that has not ended has no duration yet";
  EXPECT_EQ(seriesOf(families, "opflow_runs_active", {{"state", "waiting"}})->value, 1);
  EXPECT_EQ(seriesOf(families, "opflow_runs_active", {{"state", "running"}})->value, 0);
  EXPECT_GT(seriesOf(families, "opflow_outbox_pending", {})->value, 0)
      << "a workstation keeps its changes for the shop it may join";
  EXPECT_EQ(seriesOf(families, "opflow_sync_lag_seconds", {}), nullptr) << "but lags nothing before it joins";
}

TEST_F(JournalMetricsTest, TheWindowCountsOnlyRunsStartedInIt) {
  start("test.worked", {{"ms", 5}});
  m_clock.advance(std::chrono::minutes(10));
  std::int64_t since = clockMs();
  start("test.worked", {{"ms", 5}});
  start("test.worked", {{"ms", 5}});
  m_clock.advance(std::chrono::minutes(10));
  std::int64_t until = clockMs();
  start("test.worked", {{"ms", 5}});

  std::vector<MetricFamily> families = metrics({.sinceMs = since, .untilMs = until, .nowMs = clockMs()});
  EXPECT_EQ(seriesOf(families, "opflow_runs_total", {{"operation", "test.worked"}, {"state", "completed"}})->value, 2);
  EXPECT_EQ(metrics({.sinceMs = 0, .nowMs = clockMs()}).front().series.front().value, 4);

  auto backwards = journalMetrics(*store, {.sinceMs = until, .untilMs = since});
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().code, ErrorCode::InvalidArgument);
}

TEST(MetricFamilyText, HistogramsAreCumulativeWithSumAndCountAndLabelsAreEscaped) {
  MetricFamily family{"test_duration_seconds", "A help text\nover two lines", MetricType::Histogram, {0.1, 1}, {}};
  MetricSeries& series = family.at({{"node", "say \"hi\"\\now"}});
  series.histogram.observe(0.05, family.bounds);
  series.histogram.observe(0.5, family.bounds);
  series.histogram.observe(5, family.bounds);
  MetricFamily gauge{"test_depth", "Depth", MetricType::Gauge, {}, {}};
  gauge.at({}).value = 3;

  EXPECT_EQ(toPrometheusText({family, gauge}),
            "# HELP test_duration_seconds A help text\\nover two lines\n"
            "# TYPE test_duration_seconds histogram\n"
            "test_duration_seconds_bucket{node=\"say \\\"hi\\\"\\\\now\",le=\"0.1\"} 1\n"
            "test_duration_seconds_bucket{node=\"say \\\"hi\\\"\\\\now\",le=\"1\"} 2\n"
            "test_duration_seconds_bucket{node=\"say \\\"hi\\\"\\\\now\",le=\"+Inf\"} 3\n"
            "test_duration_seconds_sum{node=\"say \\\"hi\\\"\\\\now\"} 5.55\n"
            "test_duration_seconds_count{node=\"say \\\"hi\\\"\\\\now\"} 3\n"
            "# HELP test_depth Depth\n"
            "# TYPE test_depth gauge\n"
            "test_depth 3\n");
  Json json = toJson({family});
  EXPECT_EQ(json["metrics"][0]["series"][0]["buckets"][2], (Json{{"le", "+Inf"}, {"count", 3}}));
  EXPECT_EQ(json["metrics"][0]["series"][0]["labels"]["node"], "say \"hi\"\\now");
}

} // namespace
} // namespace opflow::observe
