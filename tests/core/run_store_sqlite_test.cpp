// The durable run store under the engine: records round-trip, runs keep their pinned
// version, restarts recover from SQLite (retries journaled, non-idempotent handlers
// interrupted until a supervisor decides, timers kept and fired when overdue), and every
// change writes its audit entries in the same transaction.
#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/DefinitionStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

namespace opflow::engine::test {
namespace {

using model::OperationBuilder;
using ::testing::ElementsAre;

class SqliteRunStoreTest : public store::test::StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    runs = std::make_unique<store::SqliteRunStore>(*store);
  }
  void addOperation(model::OperationDefinition definition) {
    Status added = catalog.add(std::move(definition));
    ASSERT_TRUE(added.ok()) << added.error().describe();
  }
  Engine& engine() {
    if (!m_engine) {
      m_engine = std::make_unique<Engine>(catalog, *runs, EngineOptions{.clock = &clock});
    }
    return *m_engine;
  }
  // A new process: a new engine (and store object) over the same database.
  Engine& restart() {
    m_engine.reset();
    EXPECT_TRUE(runs->flush().ok());
    runs = std::make_unique<store::SqliteRunStore>(*store);
    Engine& restarted = engine();
    Status recovered = restarted.recover();
    EXPECT_TRUE(recovered.ok()) << recovered.error().describe();
    return restarted;
  }
  RunId startRun(const std::string& operation, Json inputs = Json::object()) {
    RunContext context{"ada", "operator", "ws-1", "corr-1", {}, {}};
    auto started = engine().start({operation, std::nullopt, std::move(inputs), context});
    EXPECT_TRUE(started.ok()) << started.error().describe();
    return started.ok() ? started.value() : RunId();
  }
  RunRecord runOf(const RunId& id) const { return runs->loadRun(id).value_or(RunRecord{}); }
  std::vector<std::string> path(const RunId& id) const {
    std::vector<std::string> result;
    for (const StepRecord& step : runs->loadSteps(id)) {
      result.push_back(step.node + ":" + step.exit + (step.retry ? " (retry)" : ""));
    }
    return result;
  }
  std::vector<std::string> actions(const RunId& id) {
    EXPECT_TRUE(runs->flush().ok());
    auto db = reader();
    auto query = db->prepare("SELECT action, user FROM audit WHERE subject_id = ? ORDER BY seq");
    EXPECT_TRUE(query.ok());
    (*query)->bind(1, id.str());
    std::vector<std::string> result;
    while (true) {
      auto row = (*query)->step();
      if (!row.ok() || !*row) {
        break;
      }
      result.push_back((*query)->text(0) + ":" + (*query)->text(1));
    }
    return result;
  }

  HandlerRegistry handlers;
  OperationCatalog catalog{handlers};
  ManualClock clock{TimePoint{} + std::chrono::hours(24 * 365 * 56)};
  std::unique_ptr<store::SqliteRunStore> runs;
  std::unique_ptr<Engine> m_engine;
};

TEST_F(SqliteRunStoreTest, RunRecordAndStepsRoundTripExactly) {
  RunRecord run;
  run.id = RunId::generate();
  run.operation = "op";
  run.version = 3;
  run.contentHash = "abc";
  run.state = RunState::Waiting;
  run.currentNode = "wait";
  run.inputs = Json{{"order", "A-1"}, {"n", 2}};
  run.data = Json{{"order", "A-1"}, {"n", 2}, {"x", {{"y", true}}}};
  run.context = RunContext{"ada", "operator", "ws-1", "corr", run.id, {}};
  run.createdAt = store::fromMs(1'700'000'000'123);
  run.updatedAt = store::fromMs(1'700'000'000'456);
  ASSERT_TRUE(runs->runCreated(run).ok());
  run.wakeAt = store::fromMs(1'700'000'060'000);
  run.awaitedSignal = "go";
  run.stepCount = 1;
  run.error = RunError{"code", "message", {"a/b"}};
  run.outputs = Json{{"o", 1}};
  StepRecord step{run.id, 0, "start", model::NodeKind::Action, "next", store::fromMs(1'700'000'000'200), 17, "", true};
  ASSERT_TRUE(runs->stepFinished(run, step).ok());

  RunRecord loaded = runOf(run.id);
  EXPECT_EQ(loaded.id, run.id);
  EXPECT_EQ(loaded.operation, "op");
  EXPECT_EQ(loaded.version, 3);
  EXPECT_EQ(loaded.contentHash, "abc");
  EXPECT_EQ(loaded.state, RunState::Waiting);
  EXPECT_EQ(loaded.currentNode, "wait");
  EXPECT_EQ(loaded.inputs, run.inputs);
  EXPECT_EQ(loaded.data, run.data);
  EXPECT_EQ(loaded.outputs, run.outputs);
  EXPECT_EQ(loaded.context.toJson(), run.context.toJson());
  EXPECT_EQ(loaded.createdAt, run.createdAt);
  EXPECT_EQ(loaded.updatedAt, run.updatedAt);
  EXPECT_EQ(loaded.wakeAt, run.wakeAt);
  EXPECT_EQ(loaded.awaitedSignal, "go");
  ASSERT_TRUE(loaded.error.has_value());
  EXPECT_EQ(loaded.error->toJson(), run.error->toJson());
  EXPECT_EQ(loaded.stepCount, 1);
  std::vector<StepRecord> steps = runs->loadSteps(run.id);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].node, "start");
  EXPECT_EQ(steps[0].exit, "next");
  EXPECT_EQ(steps[0].startedAt, step.startedAt);
  EXPECT_EQ(steps[0].durationUs, 17);
  EXPECT_TRUE(steps[0].retry);
  EXPECT_EQ(runs->loadUnfinished().size(), 1u);
}

TEST_F(SqliteRunStoreTest, RunPinnedToV1KeepsRunningV1AfterV2IsLoaded) {
  auto v = [](std::int64_t version, const char* label) {
    return OperationBuilder("approve", version)
        .startsWith("approval")
        .wait("approval", {.signal = "approved", .goTo = "done"})
        .result("done", {.expressions = {{"version", label}}})
        .build();
  };
  store::DefinitionStore definitions(*store);
  ASSERT_TRUE(definitions.store({v(1, "one")}, {}).ok());
  addOperation(v(1, "one"));
  RunId id = startRun("approve");
  ASSERT_TRUE(definitions.store({v(2, "two")}, {}).ok());
  auto refused = definitions.store({v(2, "changed")}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().problems.at(0).message, ::testing::HasSubstr("\"approve\" v2 is stored already"));
  auto again = definitions.store({v(2, "two")}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->at(0).added);

  // The next process builds its catalog from what is stored.
  m_engine.reset();
  auto stored = definitions.loadAll();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  addOperation(stored->at(1).definition);
  Engine& restarted = restart();
  ASSERT_TRUE(restarted.signal(id, "approved").ok());
  EXPECT_EQ(runOf(id).outputs, Json({{"version", "one"}}));
  EXPECT_EQ(runOf(startRun("approve")).version, 2);
}

TEST_F(SqliteRunStoreTest, EveryChangeIsAuditedWithWhoDidIt) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .saveAs = "by", .goTo = "done"})
                   .result("done", {.fields = {"by"}})
                   .build());
  RunId id = startRun("approve", Json::object());
  ASSERT_TRUE(engine().signal(id, "approved", "bob", Actor{"bob", "supervisor", "ws-2"}).ok());
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_THAT(actions(id), ElementsAre("run.started:ada", "run.waiting:ada", "run.signal:bob", "run.step:ada",
                                       "run.step:ada", "run.completed:ada"));
  RunId cancelled = startRun("approve");
  ASSERT_TRUE(engine().cancel(cancelled, Actor{"carl", "supervisor", "ws-3"}).ok());
  EXPECT_THAT(actions(cancelled), ElementsAre("run.started:ada", "run.waiting:ada", "run.cancelled:carl"));
  EXPECT_FALSE(engine().start({"missing", std::nullopt, Json::object(), {"ada", "operator", "ws-1", "c", {}, {}}}).ok());
  EXPECT_THAT(actions(RunId("missing")), ElementsAre("run.refused:ada"));
  auto db = reader();
  auto summaries = db->prepare("SELECT count(*) FROM outbox WHERE kind = 'run.summary'");
  ASSERT_TRUE(summaries.ok());
  ASSERT_TRUE((*summaries)->step().ok());
  EXPECT_EQ((*summaries)->int64(0), 2);
}

class SqliteRecoveryTest : public SqliteRunStoreTest {
protected:
  // "checkout": prepare, charge (non-idempotent when asked), done. The first engine is
  // stopped inside charge, as a crash would leave it.
  RunId crashInsideCharge(bool idempotent) {
    HandlerSpec spec{.name = "card.charge", .idempotent = idempotent,
                     .fn = [this](const HandlerInput&, HandlerEffects& effects) -> HandlerResult {
                       ++charges;
                       effects.set("charged", true);
                       return std::string();
                     }};
    EXPECT_TRUE(handlers.add(std::move(spec)).ok());
    addOperation(OperationBuilder("checkout", 1)
                     .startsWith("prepare")
                     .decision("prepare", {.condition = Json(true), .ifTrue = "charge", .ifFalse = "manual"})
                     .action("charge", {.handler = "card.charge", .goTo = "done"})
                     .action("manual", {.set = {{"manual", true}}, .goTo = "done"})
                     .result("done", {.expressions = {{"amount", 5}}})
                     .build());
    RunId id = startRun("checkout");
    // What the database holds after a crash in the middle of charge.
    RunRecord crashed = runOf(id);
    crashed.state = RunState::Running;
    crashed.currentNode = "charge";
    crashed.outputs = nullptr;
    crashed.stepCount = 1;
    EXPECT_TRUE(runs->runUpdated(crashed).ok());
    forgetStepsFrom(id, 1);
    charges = 0;
    return id;
  }
  // The steps a crash would not have committed.
  void forgetStepsFrom(const RunId& id, std::int64_t index) {
    Status forgotten = store->writer().execute([&](store::Database& db) -> Status {
      auto statement = db.prepare("DELETE FROM steps WHERE run_id = ? AND idx >= ?");
      if (!statement) {
        return statement.error();
      }
      (*statement)->bind(1, id.str()).bind(2, index);
      return (*statement)->run();
    });
    EXPECT_TRUE(forgotten.ok());
  }
  std::atomic<int> charges = 0;
};

TEST_F(SqliteRecoveryTest, IdempotentActionReRunsAndTheJournalMarksTheRetry) {
  RunId id = crashInsideCharge(true);
  restart();
  EXPECT_EQ(charges, 1);
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  std::vector<std::string> steps = path(id);
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps.back(), "done:completed");
  EXPECT_EQ(steps[steps.size() - 2], "charge: (retry)");
}

TEST_F(SqliteRecoveryTest, NonIdempotentActionInterruptsThenRetryRunsItAgain) {
  RunId id = crashInsideCharge(false);
  Engine& restarted = restart();
  EXPECT_EQ(charges, 0);
  EXPECT_EQ(runOf(id).state, RunState::Interrupted);
  EXPECT_EQ(restarted.decide(id, {DecisionKind::Retry, ""}, {"ada", "operator", ""}).error().code,
            ErrorCode::PermissionDenied);
  ASSERT_TRUE(restarted.decide(id, {DecisionKind::Retry, ""}, {"sue", "supervisor", "ws-9"}).ok());
  EXPECT_EQ(charges, 1);
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_EQ(path(id).at(path(id).size() - 2), "charge: (retry)");
  std::vector<std::string> audit = actions(id);
  EXPECT_NE(std::find(audit.begin(), audit.end(), "run.interrupted:ada"), audit.end());
  EXPECT_NE(std::find(audit.begin(), audit.end(), "run.decision:sue"), audit.end());
}

TEST_F(SqliteRecoveryTest, InterruptedRunSkipsToANamedNodeOrFails) {
  RunId id = crashInsideCharge(false);
  Engine& restarted = restart();
  Status bad = restarted.decide(id, {DecisionKind::Skip, "nowhere"}, {"sue", "supervisor", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "\"checkout\" v1 has no node \"nowhere\"; its nodes: prepare, charge, manual, done");
  ASSERT_TRUE(restarted.decide(id, {DecisionKind::Skip, "manual"}, {"sue", "supervisor", ""}).ok());
  EXPECT_EQ(charges, 0);
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_THAT(path(id), ElementsAre("prepare:true", "charge:skipped", "manual:", "done:completed"));

  RunId second = startRun("checkout");
  RunRecord crashed = runOf(second);
  crashed.state = RunState::Running;
  crashed.currentNode = "charge";
  crashed.stepCount = 1;
  crashed.outputs = nullptr;
  ASSERT_TRUE(runs->runUpdated(crashed).ok());
  forgetStepsFrom(second, 1);
  Engine& again = restart();
  ASSERT_TRUE(again.decide(second, {DecisionKind::Fail, ""}, {"sue", "supervisor", ""}).ok());
  RunRecord failed = runOf(second);
  EXPECT_EQ(failed.state, RunState::Failed);
  ASSERT_TRUE(failed.error.has_value());
  EXPECT_EQ(failed.error->code, "interrupted");
}

TEST_F(SqliteRecoveryTest, WaitsAndTimersSurviveAndOverdueTimersFire) {
  addOperation(OperationBuilder("cool_down", 1)
                   .startsWith("pause")
                   .wait("pause", {.goTo = "done", .timerS = 60})
                   .result("done", {.expressions = {{"cooled", true}}})
                   .build());
  RunId late = startRun("cool_down");
  clock.advance(std::chrono::seconds(30));
  RunId early = startRun("cool_down");
  m_engine.reset();
  clock.advance(std::chrono::seconds(45));
  Engine& restarted = restart();
  EXPECT_EQ(runOf(late).state, RunState::Completed);
  EXPECT_EQ(runOf(early).state, RunState::Waiting);
  clock.advance(std::chrono::seconds(20));
  restarted.fireDueTimers();
  EXPECT_EQ(runOf(early).state, RunState::Completed);
  EXPECT_THAT(path(early), ElementsAre("pause:timer", "done:completed"));
}

} // namespace
} // namespace opflow::engine::test
