// Restarts and load: a second engine over the same store resumes what the first left
// (waits, overdue timers, running runs, interrupted non-idempotent handlers); the pool
// carries many runs at once; the catalog refuses definitions the engine could not run.
#include "TestSupport.h"

#include <gmock/gmock.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace opflow::engine::test {
namespace {

using model::OperationBuilder;
using ::testing::ElementsAre;

class EngineRecoverTest : public EngineFixture {
protected:
  // The engine after a restart: the first one is gone, a new one shares the store.
  Engine& restart(EngineOptions options = {}) {
    m_engine.reset();
    if (!options.clock) {
      options.clock = &m_clock;
    }
    m_restarted = std::make_unique<Engine>(m_catalog, m_store, options);
    m_restarted->addListener(m_listener);
    Status recovered = m_restarted->recover();
    EXPECT_TRUE(recovered.ok()) << recovered.error().describe();
    return *m_restarted;
  }

  // "order.release" calls "approve", which waits for the signal "approved".
  void addReleaseWithApproval() {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .saveAs = "approval", .goTo = "done"})
                   .result("done", {.fields = {"approval"}})
                   .build());
  addOperation(OperationBuilder("order.release", 1)
                   .startsWith("ask")
                   .call("ask", {.operation = "approve", .saveAs = "answer", .onSuccess = "done"})
                   .result("done", {.fields = {"answer"}})
                   .build());
  }

  std::unique_ptr<Engine> m_restarted;
};

TEST_F(EngineRecoverTest, WaitingRunResumesAndTheNewEngineDeliversItsSignal) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("note")
                   .action("note", {.set = {{"noted", true}}, .goTo = "approval"})
                   .wait("approval", {.signal = "approved", .saveAs = "approval", .goTo = "done"})
                   .result("done", {.fields = {"noted", "approval"}})
                   .build());
  RunId id = startRun("approve");
  ASSERT_EQ(runOf(id).state, RunState::Waiting);

  Engine& restarted = restart();
  std::vector<RunRecord> active = restarted.activeRuns();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, id);
  EXPECT_EQ(active[0].state, RunState::Waiting);
  EXPECT_EQ(restarted.signal(id, "nope").error().code, ErrorCode::Conflict);

  ASSERT_TRUE(restarted.signal(id, "approved", "yes").ok());
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"noted", true}, {"approval", "yes"}}));
  EXPECT_THAT(path(id), ElementsAre("note:", "approval:signal", "done:completed"));
  EXPECT_TRUE(restarted.activeRuns().empty());
}

TEST_F(EngineRecoverTest, ParentWaitingOnAChildResumesWithIt) {
  addReleaseWithApproval();
  RunId parent = startRun("order.release");
  RunId child = childrenOf(parent).at(0).id;

  Engine& restarted = restart();
  EXPECT_EQ(restarted.activeRuns().size(), 2u);
  ASSERT_TRUE(restarted.signal(parent, "approved", "yes").ok());
  EXPECT_EQ(runOf(child).state, RunState::Completed);
  EXPECT_EQ(runOf(parent).state, RunState::Completed);
  EXPECT_EQ(runOf(parent).outputs, Json({{"answer", {{"approval", "yes"}}}}));
}

TEST_F(EngineRecoverTest, ParentWhoseChildEndedBeforeTheCrashResumesWithItsOutcome) {
  addReleaseWithApproval();
  RunId parent = startRun("order.release");
  RunRecord savedParent = runOf(parent);
  ASSERT_TRUE(m_engine->signal(parent, "approved", "yes").ok());
  ASSERT_EQ(runOf(parent).state, RunState::Completed);
  // The crash: the child's end was stored, the parent's wake was not.
  ASSERT_TRUE(m_store.runUpdated(savedParent).ok());

  restart();
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"answer", {{"approval", "yes"}}}}));
}

TEST_F(EngineRecoverTest, OverdueTimerFiresOnRecover) {
  addOperation(OperationBuilder("cool_down", 1)
                   .startsWith("pause")
                   .wait("pause", {.goTo = "done", .timerS = 60})
                   .result("done", {.expressions = {{"cooled", true}}})
                   .build());
  RunId id = startRun("cool_down");
  ASSERT_EQ(runOf(id).state, RunState::Waiting);

  m_engine.reset();
  m_clock.advance(std::chrono::minutes(5));
  restart();
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"cooled", true}}));
  EXPECT_THAT(path(id), ElementsAre("pause:timer", "done:completed"));
}

TEST_F(EngineRecoverTest, TimerNotYetDueIsKeptAcrossTheRestart) {
  addOperation(OperationBuilder("cool_down", 1)
                   .startsWith("pause")
                   .wait("pause", {.goTo = "done", .timerS = 60})
                   .result("done")
                   .build());
  TimePoint due = m_clock.now() + std::chrono::seconds(60);
  RunId id = startRun("cool_down");

  Engine& restarted = restart();
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  EXPECT_EQ(restarted.nextTimerDue(), due);
  m_clock.advance(std::chrono::seconds(60));
  restarted.fireDueTimers();
  EXPECT_EQ(runOf(id).state, RunState::Completed);
}

// A run that was running at a non-idempotent handler when the engine stopped: the record
// is what a crash in the middle of "charge" leaves behind.
TEST_F(EngineRecoverTest, RunAtANonIdempotentHandlerBecomesInterrupted) {
  std::atomic<int> charges = 0;
  addHandler({.name = "card.charge",
              .idempotent = false,
              .fn = [&charges](const HandlerInput&, HandlerEffects&) -> HandlerResult {
                ++charges;
                return std::string();
              }});
  addOperation(OperationBuilder("checkout", 1)
                   .startsWith("confirm")
                   .wait("confirm", {.signal = "confirmed", .goTo = "charge"})
                   .action("charge", {.handler = "card.charge", .goTo = "done"})
                   .result("done")
                   .build());
  RunId id = startRun("checkout");
  RunRecord crashed = runOf(id);
  crashed.state = RunState::Running;
  crashed.currentNode = "charge";
  crashed.awaitedSignal.clear();
  crashed.stepCount = 1;
  ASSERT_TRUE(m_store.runUpdated(crashed).ok());

  Engine& restarted = restart();
  EXPECT_EQ(charges, 0);
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Interrupted);
  EXPECT_EQ(run.currentNode, "charge");
  std::vector<RunRecord> active = restarted.activeRuns();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].state, RunState::Interrupted);
  EXPECT_EQ(restarted.signal(id, "confirmed").error().code, ErrorCode::Conflict);

  ASSERT_TRUE(restarted.cancel(id).ok());
  EXPECT_EQ(runOf(id).state, RunState::Cancelled);
  EXPECT_EQ(charges, 0);
}

// The first engine stops while "fetch" (idempotent) runs; the second runs it again with
// the data the run had, and journals that step as a retry.
TEST_F(EngineRecoverTest, RunAtAnIdempotentHandlerReRunsItAsARetry) {
  std::atomic<int> calls = 0;
  std::mutex mutex;
  std::condition_variable entered;
  addHandler({.name = "rates.fetch",
              .fn = [&](const HandlerInput& input, HandlerEffects& effects) -> HandlerResult {
                if (++calls == 1) {
                  {
                    std::lock_guard lock(mutex);
                    entered.notify_all();
                  }
                  std::mutex blocked;
                  std::condition_variable_any stopped;
                  std::unique_lock lock(blocked);
                  stopped.wait(lock, input.stopToken, [] { return false; });
                  return makeError(ErrorCode::Internal, "stopped");
                }
                effects.set("rate", input.data.value("base", 0) + 1);
                return std::string();
              }});
  addOperation(OperationBuilder("quote", 1)
                   .startsWith("prepare")
                   .action("prepare", {.set = {{"base", 41}}, .goTo = "fetch"})
                   .action("fetch", {.handler = "rates.fetch", .goTo = "done"})
                   .result("done", {.fields = {"rate"}})
                   .build());

  engine({.workers = 1});
  RunId id = startRun("quote");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(entered.wait_for(lock, std::chrono::seconds(10), [&] { return calls >= 1; }));
  }
  restart();
  EXPECT_EQ(calls, 2);
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"rate", 42}}));
  std::vector<StepRecord> steps = m_store.loadSteps(id);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].node, "prepare");
  EXPECT_FALSE(steps[0].retry);
  EXPECT_EQ(steps[1].node, "fetch");
  EXPECT_EQ(steps[1].index, 1);
  EXPECT_TRUE(steps[1].retry);
  EXPECT_EQ(steps[2].node, "done");
  EXPECT_FALSE(steps[2].retry);
}

// The first engine stops while "fetch" runs, and the handler finishes its work anyway: the
// step is journaled and the second engine goes on from the next node, with the data.
TEST_F(EngineRecoverTest, RunStoppedAfterItsHandlerFinishedGoesOnFromTheNextNode) {
  std::atomic<int> calls = 0;
  std::mutex mutex;
  std::condition_variable entered;
  addHandler({.name = "rates.fetch",
              .fn = [&](const HandlerInput& input, HandlerEffects& effects) -> HandlerResult {
                if (++calls == 1) {
                  {
                    std::lock_guard lock(mutex);
                    entered.notify_all();
                  }
                  std::mutex blocked;
                  std::condition_variable_any stopped;
                  std::unique_lock lock(blocked);
                  stopped.wait(lock, input.stopToken, [] { return false; });
                }
                effects.set("rate", input.data.value("base", 0) + 1);
                return std::string();
              }});
  addOperation(OperationBuilder("quote", 1)
                   .startsWith("prepare")
                   .action("prepare", {.set = {{"base", 41}}, .goTo = "fetch"})
                   .action("fetch", {.handler = "rates.fetch", .goTo = "confirm"})
                   .wait("confirm", {.signal = "confirmed", .goTo = "done"})
                   .result("done", {.fields = {"base", "rate"}})
                   .build());

  engine({.workers = 1});
  RunId id = startRun("quote");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(entered.wait_for(lock, std::chrono::seconds(10), [&] { return calls >= 1; }));
  }
  Engine& restarted = restart();
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  ASSERT_TRUE(restarted.signal(id, "confirmed").ok());
  EXPECT_EQ(calls, 1);
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"base", 41}, {"rate", 42}}));
  EXPECT_THAT(path(id), ElementsAre("prepare:", "fetch:", "confirm:signal", "done:completed"));
}

TEST_F(EngineRecoverTest, RunOfAVersionNoLongerInTheCatalogFailsDefinitionMissing) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .goTo = "done"})
                   .result("done")
                   .build());
  RunId id = startRun("approve");
  RunRecord moved = runOf(id);
  moved.currentNode = "renamed";
  ASSERT_TRUE(m_store.runUpdated(moved).ok());

  Engine& restarted = restart();
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "definition_missing");
  EXPECT_EQ(run.error->message,
            "\"approve\" v1 (node \"renamed\") is not in the catalog, so the run cannot resume");
  EXPECT_TRUE(restarted.activeRuns().empty());
}

class EnginePoolTest : public EngineFixture {};

TEST_F(EnginePoolTest, ManyRunsOnFourWorkersAllComplete) {
  addHandler({.name = "square",
              .fn = [](const HandlerInput& input, HandlerEffects& effects) -> HandlerResult {
                int n = input.data["n"].get<int>();
                effects.set("square", n * n);
                return std::string();
              }});
  addOperation(OperationBuilder("square", 1)
                   .input("n", model::InputType::Integer, {.required = true})
                   .startsWith("odd?")
                   .decision("odd?", {.condition = Json{{"%", {var("n"), 2}}}, .ifTrue = "odd", .ifFalse = "even"})
                   .action("odd", {.handler = "square", .set = {{"parity", "odd"}}, .goTo = "done"})
                   .action("even", {.handler = "square", .set = {{"parity", "even"}}, .goTo = "done"})
                   .result("done", {.fields = {"square", "parity"}})
                   .build());
  engine({.workers = 4});

  constexpr int kRuns = 200;
  std::vector<RunId> ids;
  for (int n = 0; n < kRuns; ++n) {
    ids.push_back(startRun("square", {{"n", n}}));
  }
  engine().waitUntilIdle();
  ASSERT_TRUE(m_listener.awaitEnded(kRuns));

  for (int n = 0; n < kRuns; ++n) {
    RunRecord run = runOf(ids[static_cast<std::size_t>(n)]);
    ASSERT_EQ(run.state, RunState::Completed) << "run " << n;
    EXPECT_EQ(run.outputs, Json({{"square", n * n}, {"parity", n % 2 ? "odd" : "even"}}));
    EXPECT_EQ(m_listener.events(run.id).back(), "completed");
  }
  EXPECT_EQ(m_store.allRuns().size(), static_cast<std::size_t>(kRuns));
  EXPECT_TRUE(engine().activeRuns().empty());
}

TEST_F(EnginePoolTest, SignalsAndSubRunsWorkAcrossWorkers) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .saveAs = "approval", .goTo = "done"})
                   .result("done", {.fields = {"approval"}})
                   .build());
  addOperation(OperationBuilder("order.release", 1)
                   .input("n", model::InputType::Integer, {.required = true})
                   .startsWith("ask")
                   .call("ask", {.operation = "approve", .saveAs = "answer", .onSuccess = "done"})
                   .result("done", {.expressions = {{"n", var("n")}, {"by", var("answer.approval")}}})
                   .build());
  engine({.workers = 4});

  constexpr int kRuns = 20;
  std::vector<RunId> ids;
  for (int n = 0; n < kRuns; ++n) {
    ids.push_back(startRun("order.release", {{"n", n}}));
  }
  engine().waitUntilIdle();
  for (const RunId& id : ids) {
    Status signalled = engine().signal(id, "approved", "bob");
    EXPECT_TRUE(signalled.ok()) << signalled.error().describe();
  }
  ASSERT_TRUE(m_listener.awaitEnded(2 * kRuns));
  engine().waitUntilIdle();
  for (int n = 0; n < kRuns; ++n) {
    RunRecord run = runOf(ids[static_cast<std::size_t>(n)]);
    EXPECT_EQ(run.state, RunState::Completed);
    EXPECT_EQ(run.outputs, Json({{"n", n}, {"by", "bob"}}));
  }
}

class EngineValidationTest : public EngineFixture {};

TEST_F(EngineValidationTest, DanglingTargetIsRefusedByPointer) {
  Status added = m_catalog.add(OperationBuilder("broken", 1)
                                   .startsWith("big?")
                                   .decision("big?", {.condition = var("big"), .ifTrue = "done", .ifFalse = "dne"})
                                   .result("done")
                                   .build());
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::InvalidDefinition);
  EXPECT_THAT(added.error().problems, ElementsAre(Problem{"broken v1: /nodes/big?/if_false", "no node \"dne\""}));
  EXPECT_FALSE(m_catalog.contains("broken"));
}

TEST_F(EngineValidationTest, UnknownOperatorIsRefusedByPointer) {
  Status added = m_catalog.add(OperationBuilder("broken", 1)
                                   .startsWith("big?")
                                   .decision("big?", {.condition = Json{{"frobnicate", {var("n"), 1}}},
                                                      .ifTrue = "done",
                                                      .ifFalse = "done"})
                                   .result("done")
                                   .build());
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::InvalidDefinition);
  EXPECT_THAT(added.error().problems,
              ElementsAre(Problem{"broken v1: /nodes/big?/condition/frobnicate", "unknown operator \"frobnicate\""}));
}

TEST_F(EngineValidationTest, UnregisteredHandlerIsRefusedByPointer) {
  Status added = m_catalog.add(OperationBuilder("broken", 1)
                                   .startsWith("work")
                                   .action("work", {.handler = "nope", .goTo = "done"})
                                   .result("done")
                                   .build());
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::InvalidDefinition);
  EXPECT_THAT(added.error().problems,
              ElementsAre(Problem{"broken v1: /nodes/work/handler", "no handler \"nope\" is registered"}));
  EXPECT_EQ(engine().start({"broken", std::nullopt, Json::object(), as()}).error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace opflow::engine::test
