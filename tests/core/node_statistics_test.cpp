// store::nodeStatistics on a real SQLite file, over runs the real engine drove: a node
// that loops and retries after a "failed" exit, a handler that errors, a call whose
// sub-run fails and a wait that times out, each journaled by SqliteRunStore. Step
// durations are exact: the handler moves the engine's manual clock by its "ms" input.
#include "JournalTestSupport.h"

#include "opflow/store/NodeStatistics.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

namespace opflow::store {
namespace {

using engine::test::var;
using test::escalated;
using test::parked;
using test::refuse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Key;

constexpr const char* kWorked = "test.worked";

// test.worked: "work" (the handler) leaves by "failed" while fewer than fail_times
// failures were noted, going round through note_failure to try again; then count and
// again? loop back to work until `loops` laps are done. Version 2 stamps each lap.
model::OperationDefinition worked(std::int64_t version) {
  model::ActionNode work;
  work.handler = "test.work";
  work.with = Json{{"ms", var("ms")},
                   {"fail", Json{{"<", {Json{{"var", {"failures", 0}}}, var("fail_times")}}}},
                   {"crash", var("crash")}};
  work.goTo = version == 1 ? "count" : "stamp";
  work.exits = {{"failed", "note_failure"}};
  model::OperationBuilder builder(kWorked, version);
  builder.input("ms", model::InputType::Integer, {.required = true})
      .input("loops", model::InputType::Integer, {.defaultValue = 1})
      .input("fail_times", model::InputType::Integer, {.defaultValue = 0})
      .input("crash", model::InputType::Boolean, {.defaultValue = false})
      .startsWith("work")
      .action("work", work)
      .action("note_failure", {.set = {{"failures", Json{{"+", {Json{{"var", {"failures", 0}}}, 1}}}}}, .goTo = "work"});
  if (version != 1) {
    builder.action("stamp", {.set = {{"stamped", true}}, .goTo = "count"});
  }
  return builder.action("count", {.set = {{"laps", Json{{"+", {Json{{"var", {"laps", 0}}}, 1}}}}}, .goTo = "again?"})
      .decision("again?", {.condition = Json{{"<", {var("laps"), var("loops")}}}, .ifTrue = "work", .ifFalse = "done"})
      .result("done", {.fields = {"laps"}})
      .build();
}

class NodeStatisticsTest : public test::StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    m_runs = std::make_unique<SqliteRunStore>(*store);
    ASSERT_TRUE(m_handlers.add(engine::test::timedWork(m_clock)));
    ASSERT_TRUE(m_catalog.addAll({worked(1), worked(2), refuse(), escalated(), parked()}));
    m_engine = std::make_unique<engine::Engine>(m_catalog, *m_runs, engine::EngineOptions{.clock = &m_clock});
  }

  void TearDown() override { close(); }

  // Stops the engine and commits what it journaled.
  void close() {
    m_engine.reset();
    if (m_runs) {
      EXPECT_TRUE(m_runs->flush());
      m_runs.reset();
    }
  }

  // Runs test.worked (synchronously: it has ended when this returns).
  engine::RunId work(Json inputs, std::int64_t version = 1) {
    return start(kWorked, std::move(inputs), version);
  }

  engine::RunId start(const std::string& operation, Json inputs = Json::object(),
                      std::optional<std::int64_t> version = std::nullopt) {
    auto started = m_engine->start({operation, version, std::move(inputs), {.user = "ada", .role = "operator"}});
    EXPECT_TRUE(started) << started.error().describe();
    return started ? *started : engine::RunId();
  }

  // The statistics once every journaled step is committed.
  OperationStatistics statistics(StatisticsQuery query) {
    EXPECT_TRUE(m_runs->flush());
    auto stats = nodeStatistics(*store, query);
    EXPECT_TRUE(stats) << stats.error().describe();
    return stats ? *stats : OperationStatistics{};
  }

  engine::HandlerRegistry m_handlers;
  engine::OperationCatalog m_catalog{m_handlers};
  engine::ManualClock m_clock;
  std::unique_ptr<SqliteRunStore> m_runs;
  std::unique_ptr<engine::Engine> m_engine;
};

TEST_F(NodeStatisticsTest, DurationsGiveTheMedianTheNearestRank95thPercentileAndTheTotal) {
  for (int ms = 1; ms <= 20; ++ms) {
    work({{"ms", ms}});
  }
  OperationStatistics stats = statistics({kWorked});
  EXPECT_EQ(stats.runsExamined, 20);
  EXPECT_THAT(stats.nodes, ElementsAre(Key("again?"), Key("count"), Key("done"), Key("work")))
      << "note_failure, which no step reached, is absent";
  const NodeStatistics& node = stats.nodes.at("work");
  EXPECT_EQ(node.runs, 20);
  EXPECT_EQ(node.steps, 20);
  EXPECT_EQ(node.medianUs, 10'500) << "the mean of the 10th and 11th";
  EXPECT_EQ(node.p95Us, 19'000) << "rank ceil(0.95 * 20) = 19";
  EXPECT_EQ(node.totalUs, 210'000);
  EXPECT_EQ(node.errors, 0);
  EXPECT_EQ(node.errorRate(), 0.0);
  EXPECT_EQ(stats.nodes.at("done").runs, 20);
  EXPECT_EQ(stats.nodes.at("done").totalUs, 0) << "the clock stood still outside the handler";
}

TEST_F(NodeStatisticsTest, LoopsAndRetriesCountEveryStepButEachRunOnce) {
  work({{"ms", 5}, {"loops", 3}, {"fail_times", 2}});
  work({{"ms", 7}});
  OperationStatistics stats = statistics({kWorked});
  EXPECT_EQ(stats.runsExamined, 2);
  const NodeStatistics& node = stats.nodes.at("work");
  EXPECT_EQ(node.runs, 2);
  EXPECT_EQ(node.steps, 6) << "2 failed tries and 3 laps, then 1 step of the second run";
  EXPECT_EQ(node.errors, 2) << "the two \"failed\" exits";
  EXPECT_DOUBLE_EQ(node.errorRate(), 2.0 / 6.0);
  EXPECT_EQ(node.totalUs, 5 * 5'000 + 7'000);
  EXPECT_EQ(node.medianUs, 5'000);
  EXPECT_EQ(node.p95Us, 7'000) << "rank ceil(0.95 * 6) = 6: the longest";
  EXPECT_EQ(stats.nodes.at("note_failure").runs, 1);
  EXPECT_EQ(stats.nodes.at("note_failure").steps, 2);
  EXPECT_EQ(stats.nodes.at("count").steps, 4);
  EXPECT_EQ(stats.nodes.at("again?").steps, 4);
  EXPECT_EQ(stats.nodes.at("done").steps, 2);
}

TEST_F(NodeStatisticsTest, AHandlerErrorCountsOnceAndEndsTheRunThere) {
  engine::RunId crashed = work({{"ms", 3}, {"crash", true}});
  ASSERT_EQ(m_runs->loadRun(crashed)->state, engine::RunState::Failed);
  std::vector<engine::StepRecord> steps = m_runs->loadSteps(crashed);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_THAT(steps[0].error, HasSubstr("the work crashed"));
  EXPECT_EQ(steps[0].exit, "failed") << "an error and a failed exit at once: still one error";
  work({{"ms", 1}});

  OperationStatistics stats = statistics({kWorked});
  EXPECT_EQ(stats.nodes.at("work").steps, 2);
  EXPECT_EQ(stats.nodes.at("work").errors, 1);
  EXPECT_DOUBLE_EQ(stats.nodes.at("work").errorRate(), 0.5);
  EXPECT_EQ(stats.nodes.at("done").runs, 1);
}

TEST_F(NodeStatisticsTest, AFailedCallAndATimedOutWaitAreErrorsASignalIsNot) {
  engine::RunId late = start("test.escalated");
  m_clock.advance(std::chrono::seconds(11));
  m_engine->fireDueTimers();
  engine::RunId onTime = start("test.escalated");
  ASSERT_TRUE(m_engine->signal(onTime, "go"));
  m_engine->waitUntilIdle();
  EXPECT_EQ(m_runs->loadRun(late)->currentNode, "late");
  EXPECT_EQ(m_runs->loadRun(onTime)->currentNode, "done");

  OperationStatistics stats = statistics({"test.escalated"});
  EXPECT_EQ(stats.runsExamined, 2) << "the sub-runs are runs of test.refuse";
  EXPECT_EQ(stats.nodes.at("ask").steps, 2);
  EXPECT_EQ(stats.nodes.at("ask").errors, 2) << "both left by \"failure\"";
  EXPECT_EQ(stats.nodes.at("wait_go").steps, 2);
  EXPECT_EQ(stats.nodes.at("wait_go").errors, 1) << "one \"timeout\", one \"signal\"";
  EXPECT_EQ(stats.nodes.at("wait_go").p95Us, 11'000'000) << "the one that waited until the clock passed its timeout";
  EXPECT_FALSE(stats.nodes.contains("no"));

  OperationStatistics refused = statistics({"test.refuse"});
  EXPECT_EQ(refused.runsExamined, 2);
  EXPECT_EQ(refused.nodes.at("no").errors, 2) << "a fail node journals its reason as the step's error";
}

TEST_F(NodeStatisticsTest, AVersionFilterKeepsThatVersionsRunsOnly) {
  work({{"ms", 1}}, 1);
  work({{"ms", 2}}, 1);
  work({{"ms", 30}}, 2);

  OperationStatistics first = statistics({kWorked, 1});
  EXPECT_EQ(first.runsExamined, 2);
  EXPECT_FALSE(first.nodes.contains("stamp"));
  EXPECT_EQ(first.nodes.at("work").totalUs, 3'000);

  OperationStatistics second = statistics({kWorked, 2});
  EXPECT_EQ(second.runsExamined, 1);
  EXPECT_EQ(second.nodes.at("stamp").runs, 1);
  EXPECT_EQ(second.nodes.at("work").totalUs, 30'000);

  OperationStatistics every = statistics({kWorked});
  EXPECT_EQ(every.runsExamined, 3);
  EXPECT_EQ(every.nodes.at("work").runs, 3);
  EXPECT_EQ(every.nodes.at("stamp").runs, 1);

  EXPECT_EQ(statistics({kWorked, 3}).runsExamined, 0) << "a version never run";
}

TEST_F(NodeStatisticsTest, TheWindowHoldsTheLatestRunsOnly) {
  for (int ms = 1; ms <= 10; ++ms) {
    work({{"ms", ms}});
  }
  OperationStatistics stats = statistics({.operation = kWorked, .runWindow = 3});
  EXPECT_EQ(stats.runsExamined, 3);
  EXPECT_EQ(stats.nodes.at("work").runs, 3);
  EXPECT_EQ(stats.nodes.at("work").totalUs, (8 + 9 + 10) * 1'000);
  EXPECT_EQ(stats.nodes.at("work").medianUs, 9'000);

  work({{"ms", 100}}, 2);
  OperationStatistics firstVersion = statistics({.operation = kWorked, .version = 1, .runWindow = 3});
  EXPECT_EQ(firstVersion.nodes.at("work").totalUs, (8 + 9 + 10) * 1'000) << "the window counts that version's runs";
}

TEST_F(NodeStatisticsTest, ARunWithoutStepsYetIsExaminedButAddsNoNode) {
  engine::RunId waiting = start("test.parked");
  ASSERT_EQ(m_runs->loadRun(waiting)->state, engine::RunState::Waiting);
  OperationStatistics stats = statistics({"test.parked"});
  EXPECT_EQ(stats.runsExamined, 1);
  EXPECT_TRUE(stats.nodes.empty());

  ASSERT_TRUE(m_engine->signal(waiting, "go"));
  m_engine->waitUntilIdle();
  EXPECT_THAT(statistics({"test.parked"}).nodes, ElementsAre(Key("done"), Key("hold")));
}

TEST_F(NodeStatisticsTest, AnUnknownOperationHasEmptyStatistics) {
  work({{"ms", 1}});
  OperationStatistics stats = statistics({"no.such.operation"});
  EXPECT_EQ(stats.runsExamined, 0);
  EXPECT_TRUE(stats.nodes.empty());
}

TEST_F(NodeStatisticsTest, AWindowOfNoRunsIsRefusedByName) {
  auto stats = nodeStatistics(*store, {.operation = kWorked, .runWindow = 0});
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(stats.error().message, HasSubstr("at least one run, not 0"));
}

TEST_F(NodeStatisticsTest, TheStatisticsReadTheFileAfterTheStoreIsReopened) {
  work({{"ms", 4}, {"loops", 2}});
  close();
  store.reset();
  auto reopened = LocalStore::open({dbPath(), false, Durability::Normal, {}});
  ASSERT_TRUE(reopened) << reopened.error().describe();
  auto stats = nodeStatistics(**reopened, {kWorked});
  ASSERT_TRUE(stats) << stats.error().describe();
  EXPECT_EQ(stats->nodes.at("work").steps, 2);
  EXPECT_EQ(stats->nodes.at("work").medianUs, 4'000);
}

} // namespace
} // namespace opflow::store
