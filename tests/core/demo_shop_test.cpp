// The demo shop: a new database whose users, orders and histories come from replaying the
// demo plan through the shipped operations, with price calculations left running that a
// later engine resumes.
#include "StoreTestSupport.h"

#include "opflow/builtin/Workstation.h"
#include "opflow/demo/DemoShop.h"
#include "opflow/engine/Engine.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/SqliteRunStore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using opflow::demo::createDemoShop;
using opflow::demo::DemoReport;
using opflow::store::test::TempDir;
namespace store = opflow::store;
namespace engine = opflow::engine;

class DemoShopTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir();
    auto report = createDemoShop({s_dir->file("demo.db"), 120, 5, 2, 60.0, "test-floor", {}});
    ASSERT_TRUE(report) << report.error().describe();
    s_report = new DemoReport(std::move(report).value());
  }
  static void TearDownTestSuite() {
    delete s_report;
    delete s_dir;
  }

  static std::unique_ptr<store::LocalStore> open() {
    auto opened = store::LocalStore::open({s_dir->file("demo.db"), false, store::Durability::Normal, {}, {}});
    EXPECT_TRUE(opened) << opened.error().describe();
    return opened ? std::move(opened).value() : nullptr;
  }

  static TempDir* s_dir;
  static DemoReport* s_report;
};

TempDir* DemoShopTest::s_dir = nullptr;
DemoReport* DemoShopTest::s_report = nullptr;

TEST_F(DemoShopTest, EveryPlannedStepEndedAsPlanned) {
  for (const std::string& problem : s_report->unexpected) {
    ADD_FAILURE() << problem;
  }
  EXPECT_EQ(s_report->orders, 120);
  EXPECT_GT(s_report->runs, 500u);
  EXPECT_GT(s_report->signatures, 20u);
}

TEST_F(DemoShopTest, OrdersAreSpreadOverTheStatuses) {
  int statusesWithOrders = 0;
  for (const auto& [status, count] : s_report->byStatus) {
    statusesWithOrders += count > 0 ? 1 : 0;
  }
  EXPECT_GE(statusesWithOrders, 8);
  EXPECT_GT(s_report->byStatus.at("CLOSED"), 0);
}

TEST_F(DemoShopTest, TheHistoryIsAnIntactAuditChainOnTheSimulatedClock) {
  auto demo = open();
  ASSERT_TRUE(demo);
  auto reader = demo->readers().acquire();
  ASSERT_TRUE(reader);
  auto verified = store::verifyAudit(**reader);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(verified->intact) << verified->reason;
  auto entries = store::queryAudit(**reader, {.action = "order.status_changed", .limit = 0});
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  // Weeks of shop work, not the seconds the replay took.
  EXPECT_GT(entries->back().atMs - entries->front().atMs, 7LL * 24 * 3600 * 1000);
}

TEST_F(DemoShopTest, DemoUsersSignInWithTheirPublishedPasswords) {
  auto demo = open();
  ASSERT_TRUE(demo);
  store::UserStore users(*demo);
  for (const opflow::demo::DemoUser& user : opflow::demo::demoUsers()) {
    auto checked = users.authenticate({user.name, user.password});
    ASSERT_TRUE(checked) << checked.error().describe();
    EXPECT_TRUE(checked->ok()) << user.name;
  }
  auto cost = users.policy();
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->passwordCost, opflow::auth::PasswordCost::Interactive) << "users added later get the interactive cost";
}

TEST_F(DemoShopTest, LeftRunningCalculationsResumeOnTheNextEngine) {
  ASSERT_EQ(s_report->runningRuns.size(), 2u);
  auto demo = open();
  ASSERT_TRUE(demo);
  store::SqliteRunStore runs(*demo);
  for (const std::string& id : s_report->runningRuns) {
    auto run = runs.loadRun(engine::RunId(id));
    ASSERT_TRUE(run) << id;
    EXPECT_EQ(run->state, engine::RunState::Running);
    EXPECT_EQ(run->operation, "order.calculate_price");
    EXPECT_EQ(run->currentNode, "calculate");
  }
  auto workstation = opflow::builtin::Workstation::open(*demo);
  ASSERT_TRUE(workstation) << workstation.error().describe();
  EXPECT_DOUBLE_EQ((*workstation)->pricing().options().speedFactor, 60.0);
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog(handlers);
  ASSERT_TRUE(opflow::builtin::registerHandlers(handlers, (*workstation)->services()));
  ASSERT_TRUE(opflow::builtin::loadDefinitions(catalog));
  engine::Engine resumed(catalog, runs, {2, 10'000, nullptr});
  ASSERT_TRUE(resumed.recover());
  for (const std::string& id : s_report->runningRuns) {
    auto live = resumed.runRecord(engine::RunId(id));
    ASSERT_TRUE(live);
    EXPECT_FALSE(engine::isTerminal(live->state)) << "resumed, working on its price";
  }
}

// The shop is built beside its place and moved there whole: what a crashed try left is
// cleared, and neither a failure nor a success leaves a half-built file behind.
TEST(DemoShopRefusalTest, TheShopIsMovedIntoPlaceOnlyWhenWhole) {
  TempDir dir;
  const std::string path = dir.file("shop.db");
  for (const char* suffix : {".building", ".building-wal"}) {
    std::ofstream(path + suffix) << "left by a crashed try";
  }
  std::vector<std::pair<std::size_t, std::size_t>> reports;
  opflow::demo::DemoOptions options{path, 5, 1, 0, 60.0, "test-floor", {}};
  options.progress = [&](std::size_t done, std::size_t total) {
    reports.emplace_back(done, total);
    EXPECT_FALSE(std::filesystem::exists(path)) << "not in place while it is being built";
    EXPECT_TRUE(std::filesystem::exists(path + ".building"));
  };
  auto made = createDemoShop(options);
  ASSERT_TRUE(made) << made.error().describe();
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports.front().first, 0u);
  EXPECT_EQ(reports.back().first, reports.back().second) << "the last report is the end";
  for (const char* suffix : {".building", ".building-wal", ".building-shm"}) {
    EXPECT_FALSE(std::filesystem::exists(path + suffix)) << suffix;
  }
  auto store = store::LocalStore::open({path, false, store::Durability::Normal, {}, {}});
  ASSERT_TRUE(store) << store.error().describe();
  auto orders = opflow::builtin::Workstation::open(**store);
  ASSERT_TRUE(orders) << orders.error().describe();
  auto counts = (*orders)->orders().count();
  ASSERT_TRUE(counts) << counts.error().describe();
  EXPECT_EQ(counts->total, 5);

  options.path = dir.file("refused.db");
  options.orders = 0;
  options.progress = {};
  ASSERT_FALSE(createDemoShop(options));
  for (const char* suffix : {"", ".building", ".building-wal", ".building-shm"}) {
    EXPECT_FALSE(std::filesystem::exists(options.path + suffix)) << suffix;
  }
}

TEST(DemoShopRefusalTest, AnExistingDatabaseIsNeverOverwritten) {
  TempDir dir;
  auto first = createDemoShop({dir.file("shop.db"), 5, 1, 0, 60.0, "test-floor", {}});
  ASSERT_TRUE(first) << first.error().describe();
  auto second = createDemoShop({dir.file("shop.db"), 5, 1, 0, 60.0, "test-floor", {}});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, opflow::ErrorCode::Conflict);
  EXPECT_NE(second.error().message.find("new database"), std::string::npos);
}

} // namespace
