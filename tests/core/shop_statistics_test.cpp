// An operation's node statistics over the whole shop: the runs that ended at every
// workstation, read from the shared database, measured as one workstation's are; runs
// still going are not in them; offline and never joined say so.
#include "SyncTestSupport.h"
#include "TestSupport.h"

#include "opflow/engine/Engine.h"
#include "opflow/store/NodeStatistics.h"
#include "opflow/store/SqliteRunStore.h"
#include "opflow/sync/ShopStatistics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace opflow::sync::test {
namespace {

using namespace std::chrono_literals;
using engine::test::var;
using ::testing::ElementsAre;
using ::testing::Key;

constexpr const char* kWorked = "test.worked";

// test.worked: "work" takes `ms` on the engine's clock and leaves by "failed" when asked
// to (then "mend" and "work" again), or fails the run with an error; then "done".
model::OperationDefinition worked() {
  model::ActionNode work;
  work.handler = "test.work";
  work.with = Json{{"ms", var("ms")},
                   {"fail", Json{{"<", {Json{{"var", {"failures", 0}}}, var("fail_times")}}}},
                   {"crash", var("crash")}};
  work.goTo = "done";
  work.exits = {{"failed", "mend"}};
  return model::OperationBuilder(kWorked, 1)
      .input("ms", model::InputType::Integer, {.required = true})
      .input("fail_times", model::InputType::Integer, {.defaultValue = 0})
      .input("crash", model::InputType::Boolean, {.defaultValue = false})
      .startsWith("work")
      .action("work", work)
      .action("mend", {.set = {{"failures", Json{{"+", {Json{{"var", {"failures", 0}}}, 1}}}}}, .goTo = "work"})
      .result("done")
      .build();
}

// test.parked: waits for "go" after its first step, so a run goes on and has no summary.
model::OperationDefinition parked() {
  model::ActionNode work;
  work.handler = "test.work";
  work.with = Json{{"ms", 1}, {"fail", false}, {"crash", false}};
  work.goTo = "hold";
  work.exits = {{"failed", "done"}};
  return model::OperationBuilder(kWorked, 2)
      .startsWith("work")
      .action("work", work)
      .wait("hold", {.signal = "go", .goTo = "done"})
      .result("done")
      .build();
}

// One workstation's engine, journaling into its database.
class Desk {
public:
  explicit Desk(Workstation& ws) : m_runs(std::make_unique<store::SqliteRunStore>(*ws.store)) {
    EXPECT_TRUE(m_handlers.add(engine::test::timedWork(m_clock)));
    Status added = m_catalog.addAll({worked(), parked()});
    EXPECT_TRUE(added) << added.error().describe();
    m_engine = std::make_unique<engine::Engine>(m_catalog, *m_runs, engine::EngineOptions{.clock = &m_clock});
  }
  ~Desk() {
    m_engine.reset();
    EXPECT_TRUE(m_runs->flush());
  }
  Desk(const Desk&) = delete;
  Desk& operator=(const Desk&) = delete;

  void run(Json inputs, std::int64_t version = 1) {
    auto started = m_engine->start({kWorked, version, std::move(inputs), {.user = "olga", .role = "operator"}});
    EXPECT_TRUE(started) << started.error().describe();
  }
  // Commits what the engine journaled.
  void flush() { EXPECT_TRUE(m_runs->flush()); }

private:
  engine::HandlerRegistry m_handlers;
  engine::OperationCatalog m_catalog{m_handlers};
  engine::ManualClock m_clock;
  std::unique_ptr<store::SqliteRunStore> m_runs;
  std::unique_ptr<engine::Engine> m_engine;
};

class ShopStatisticsTest : public SyncFixture, public ::testing::WithParamInterface<SharedBackend> {
protected:
  ShopStatisticsTest() : SyncFixture(GetParam()) {}

  static store::OperationStatistics local(Workstation& ws, const store::StatisticsQuery& query) {
    auto stats = store::nodeStatistics(*ws.store, query);
    EXPECT_TRUE(stats) << stats.error().describe();
    return stats ? *stats : store::OperationStatistics{};
  }
  static store::OperationStatistics shop(Workstation& ws, const store::StatisticsQuery& query) {
    auto stats = shopNodeStatistics(*ws.store, query, 2s);
    EXPECT_TRUE(stats) << stats.error().describe();
    return stats ? *stats : store::OperationStatistics{};
  }
};

void expectSame(const store::OperationStatistics& shop, const store::OperationStatistics& local) {
  EXPECT_EQ(shop.runsExamined, local.runsExamined);
  ASSERT_EQ(shop.nodes.size(), local.nodes.size());
  for (const auto& [name, node] : local.nodes) {
    const store::NodeStatistics& other = shop.nodes.at(name);
    EXPECT_EQ(other.runs, node.runs) << name;
    EXPECT_EQ(other.steps, node.steps) << name;
    EXPECT_EQ(other.medianUs, node.medianUs) << name;
    EXPECT_EQ(other.p95Us, node.p95Us) << name;
    EXPECT_EQ(other.totalUs, node.totalUs) << name;
    EXPECT_EQ(other.errors, node.errors) << name;
  }
}

TEST_P(ShopStatisticsTest, AnotherWorkstationsEndedRunsMeasureAsTheyDoThere) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  {
    Desk desk(one);
    for (int ms = 1; ms <= 10; ++ms) {
      desk.run({{"ms", ms}});
    }
    desk.run({{"ms", 4}, {"fail_times", 2}});
    desk.run({{"ms", 9}, {"crash", true}});
  }
  sync(one);
  const store::OperationStatistics atOne = local(one, {kWorked, 1});
  EXPECT_EQ(atOne.runsExamined, 12);
  EXPECT_EQ(atOne.nodes.at("work").errors, 3) << "two failed exits and one error";
  expectSame(shop(two, {kWorked, 1}), atOne);
  EXPECT_EQ(local(two, {kWorked, 1}).runsExamined, 0) << "ws-2 ran nothing itself";

  // ws-2's runs join ws-1's in the shop; the window takes the latest.
  {
    Desk desk(two);
    desk.run({{"ms", 100}});
  }
  sync(two);
  const store::OperationStatistics both = shop(one, {kWorked, 1});
  EXPECT_EQ(both.runsExamined, 13);
  EXPECT_EQ(both.nodes.at("done").runs, 12);
  EXPECT_EQ(both.nodes.at("work").p95Us, 100'000);
  const store::OperationStatistics latest = shop(one, {kWorked, 1, 1});
  EXPECT_EQ(latest.runsExamined, 1);
  EXPECT_EQ(latest.nodes.at("work").totalUs, 100'000) << "ws-2's run went up last";
}

TEST_P(ShopStatisticsTest, RunsStillGoingAreNotInTheShopsStatistics) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  {
    Desk desk(one);
    desk.run({{"ms", 5}});
    desk.run(Json::object(), 2);
  }
  sync(one);
  EXPECT_EQ(local(one, {kWorked}).runsExamined, 2);
  const store::OperationStatistics everyVersion = shop(two, {kWorked});
  EXPECT_EQ(everyVersion.runsExamined, 1) << "the parked run has not ended";
  EXPECT_THAT(everyVersion.nodes, ElementsAre(Key("done"), Key("work")));
  EXPECT_EQ(shop(two, {kWorked, 2}).runsExamined, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopStatisticsTest,
                         ::testing::Values(SharedBackend::SqliteFile, SharedBackend::Postgres), backendName);

class ShopStatisticsReachTest : public SyncFixture {};

TEST_F(ShopStatisticsReachTest, OfflineAndNeverJoinedSaySo) {
  Workstation one = workstation("ws-1");
  std::filesystem::rename(sharedTarget(), sharedTarget() + ".away");
  auto offline = shopNodeStatistics(*one.store, {kWorked}, 1s);
  ASSERT_FALSE(offline);
  EXPECT_EQ(offline.error().code, ErrorCode::Unavailable);
  EXPECT_THAT(offline.error().message, ::testing::HasSubstr("the shop's database cannot be reached"));

  auto alone = store::LocalStore::open({m_dir.file("alone.db"), true, store::Durability::Normal, {}, {}});
  ASSERT_TRUE(alone);
  auto never = shopNodeStatistics(**alone, {kWorked}, 1s);
  ASSERT_FALSE(never);
  EXPECT_EQ(never.error().code, ErrorCode::NotFound);
  EXPECT_EQ(shopNodeStatistics(*one.store, {kWorked, std::nullopt, 0}, 1s).error().code, ErrorCode::InvalidArgument);
}

} // namespace
} // namespace opflow::sync::test
