// A run's life after its start: cancellation (parked, running, with sub-runs), signals
// (refusals and delivery through a parent), listener events and progress, the journal,
// and version pinning.
#include "TestSupport.h"

#include <gmock/gmock.h>

#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace opflow::engine::test {
namespace {

using model::OperationBuilder;
using ::testing::ElementsAre;

// approve: waits for "approved", returns the payload.
model::OperationDefinition approve() {
  return OperationBuilder("approve", 1)
      .startsWith("approval")
      .wait("approval", {.signal = "approved", .saveAs = "approval", .goTo = "done"})
      .result("done", {.fields = {"approval"}})
      .build();
}

// order.release: calls approve and returns what it gave.
model::OperationDefinition release() {
  return OperationBuilder("order.release", 1)
      .startsWith("ask")
      .call("ask", {.operation = "approve", .saveAs = "answer", .onSuccess = "done"})
      .result("done", {.fields = {"answer"}})
      .build();
}

class EngineCancelTest : public EngineFixture {};

TEST_F(EngineCancelTest, WaitingRunIsCancelledAtOnce) {
  addOperation(approve());
  RunId id = startRun("approve");
  ASSERT_EQ(runOf(id).state, RunState::Waiting);

  Status cancelled = engine().cancel(id);
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().describe();
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Cancelled);
  EXPECT_EQ(run.awaitedSignal, "");
  EXPECT_FALSE(run.error.has_value());
  EXPECT_THAT(m_listener.events(id), ElementsAre("started", "entered approval #0", "waiting approval", "cancelled"));
  EXPECT_TRUE(engine().activeRuns().empty());

  EXPECT_EQ(engine().cancel(id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(engine().signal(id, "approved").error().code, ErrorCode::NotFound);
}

TEST_F(EngineCancelTest, AManagerMayNotCancel) {
  addOperation(approve());
  RunId id = startRun("approve");
  Status refused = engine().cancel(id, Actor{"maya", "manager", "ws-1"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  EXPECT_TRUE(engine().cancel(id, Actor{"sam", "supervisor", "ws-1"}).ok());
  EXPECT_EQ(runOf(id).state, RunState::Cancelled);
}

TEST_F(EngineCancelTest, WaitingRunWithATimeoutIsCancelledAndItsTimerDropped) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .goTo = "done", .timeoutS = 30, .onTimeout = "done"})
                   .result("done")
                   .build());
  RunId id = startRun("approve");
  ASSERT_TRUE(engine().nextTimerDue().has_value());
  ASSERT_TRUE(engine().cancel(id).ok());
  EXPECT_EQ(runOf(id).state, RunState::Cancelled);
  EXPECT_FALSE(runOf(id).wakeAt.has_value());
  EXPECT_FALSE(engine().nextTimerDue().has_value());
}

// A handler that waits until its stop token is triggered, then gives up with an error:
// what a long calculation does when the operator cancels it.
TEST_F(EngineCancelTest, RunningHandlerSeesItsStopTokenAndTheRunEndsCancelled) {
  addHandler({.name = "price.slow",
              .fn = [](const HandlerInput& input, HandlerEffects& effects) -> HandlerResult {
                effects.progress(0.1, "calculating");
                std::mutex mutex;
                std::condition_variable_any stopped;
                std::unique_lock lock(mutex);
                stopped.wait(lock, input.stopToken, [] { return false; });
                return makeError(ErrorCode::Internal, "stopped before the price was known");
              }});
  addOperation(OperationBuilder("price", 1)
                   .startsWith("calculate")
                   .action("calculate", {.handler = "price.slow", .goTo = "done"})
                   .result("done")
                   .build());
  engine({.workers = 2});

  RunId id = startRun("price");
  ASSERT_TRUE(m_listener.awaitEvent(id, "entered calculate #0"));
  ASSERT_TRUE(engine().cancel(id).ok());
  ASSERT_TRUE(m_listener.awaitEnded(1));
  engine().waitUntilIdle();

  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Cancelled);
  EXPECT_FALSE(run.error.has_value());
  EXPECT_EQ(m_listener.events(id).back(), "cancelled");
  EXPECT_TRUE(m_listener.failed().empty());
  ASSERT_EQ(m_store.loadSteps(id).size(), 1u);
  EXPECT_EQ(m_store.loadSteps(id)[0].node, "calculate");
  EXPECT_EQ(m_store.loadSteps(id)[0].exit, "cancelled");
  EXPECT_EQ(m_store.loadSteps(id)[0].error, "handler \"price.slow\" failed: stopped before the price was known");
  EXPECT_TRUE(engine().activeRuns().empty());
}

TEST_F(EngineCancelTest, CancellingAParentWaitingOnAChildCancelsBoth) {
  addOperation(approve());
  addOperation(release());
  RunId parent = startRun("order.release");
  std::vector<RunRecord> children = childrenOf(parent);
  ASSERT_EQ(children.size(), 1u);
  RunId child = children[0].id;
  ASSERT_EQ(runOf(parent).awaitedChild, child);
  ASSERT_EQ(runOf(child).state, RunState::Waiting);

  ASSERT_TRUE(engine().cancel(parent).ok());
  EXPECT_EQ(runOf(parent).state, RunState::Cancelled);
  EXPECT_EQ(runOf(child).state, RunState::Cancelled);
  EXPECT_EQ(m_listener.events(parent).back(), "cancelled");
  EXPECT_EQ(m_listener.events(child).back(), "cancelled");
  EXPECT_TRUE(engine().activeRuns().empty());
}

TEST_F(EngineCancelTest, CancellingAChildFailsAParentWithoutOnFailure) {
  addOperation(approve());
  addOperation(release());
  RunId parent = startRun("order.release");
  RunId child = childrenOf(parent).at(0).id;

  ASSERT_TRUE(engine().cancel(child).ok());
  EXPECT_EQ(runOf(child).state, RunState::Cancelled);
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "cancelled");
  EXPECT_EQ(run.error->message, "sub-operation \"approve\" was cancelled");
  EXPECT_THAT(run.error->path, ElementsAre("order.release/ask"));
}

// A cancel that arrives while a call node is starting its child (here: from the
// listener, as the parent parks) reaches the child too.
TEST_F(EngineCancelTest, CancelArrivingWhileACallStartsItsChildCancelsTheChild) {
  addOperation(approve());
  addOperation(release());
  m_listener.whenWaiting = [this](const WaitingEvent& event) {
    if (!event.child.empty()) {
      EXPECT_TRUE(m_engine->cancel(event.runId).ok());
    }
  };

  RunId parent = startRun("order.release");
  std::vector<RunRecord> children = childrenOf(parent);
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(runOf(parent).state, RunState::Cancelled);
  EXPECT_EQ(runOf(children[0].id).state, RunState::Cancelled);
  EXPECT_TRUE(engine().activeRuns().empty());
}

class EngineSignalTest : public EngineFixture {};

TEST_F(EngineSignalTest, WrongSignalIsRefusedNamingTheAwaitedOne) {
  addOperation(approve());
  RunId id = startRun("approve");

  Status wrong = engine().signal(id, "rejected");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::Conflict);
  EXPECT_EQ(wrong.error().message, "run " + id.str() + " waits for signal \"approved\", not \"rejected\"");
  EXPECT_EQ(runOf(id).state, RunState::Waiting);

  ASSERT_TRUE(engine().signal(id, "approved").ok());
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_EQ(engine().signal(id, "approved").error().code, ErrorCode::NotFound);
}

TEST_F(EngineSignalTest, RunWaitingOnATimerRefusesSignals) {
  addOperation(OperationBuilder("cool_down", 1)
                   .startsWith("pause")
                   .wait("pause", {.goTo = "done", .timerS = 5})
                   .result("done")
                   .build());
  RunId id = startRun("cool_down");
  Status refused = engine().signal(id, "go");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_EQ(refused.error().message, "run " + id.str() + " is not waiting for a signal");
}

TEST_F(EngineSignalTest, SignalToAParentWaitingOnAChildReachesTheChildsWait) {
  addOperation(approve());
  addOperation(release());
  RunId parent = startRun("order.release");

  Status wrong = engine().signal(parent, "rejected");
  ASSERT_FALSE(wrong.ok());
  RunId child = childrenOf(parent).at(0).id;
  EXPECT_EQ(wrong.error().message, "run " + child.str() + " waits for signal \"approved\", not \"rejected\"");

  ASSERT_TRUE(engine().signal(parent, "approved", Json{{"by", "bob"}}).ok());
  EXPECT_EQ(runOf(child).state, RunState::Completed);
  EXPECT_EQ(runOf(parent).state, RunState::Completed);
  EXPECT_EQ(runOf(parent).outputs, Json({{"answer", {{"approval", {{"by", "bob"}}}}}}));
}

class EngineEventsTest : public EngineFixture {};

// a (set) -> b? (decision) -> done (result)
model::OperationDefinition threeSteps() {
  return OperationBuilder("three", 1)
      .startsWith("a")
      .action("a", {.set = {{"x", 1}}, .goTo = "b?"})
      .decision("b?", {.condition = var("x"), .ifTrue = "done", .ifFalse = "a"})
      .result("done", {.fields = {"x"}})
      .build();
}

TEST_F(EngineEventsTest, SimpleRunEventsComeInOrder) {
  addOperation(threeSteps());
  RunId id = startRun("three");
  EXPECT_THAT(m_listener.events(id), ElementsAre("started", "entered a #0", "finished a #0 exit=", "entered b? #1",
                                                 "finished b? #1 exit=true", "entered done #2",
                                                 "finished done #2 exit=completed", "completed"));
  ASSERT_EQ(m_listener.started().size(), 1u);
  EXPECT_EQ(m_listener.started()[0].runId, id);
  EXPECT_EQ(m_listener.started()[0].context.runId, id);
}

TEST_F(EngineEventsTest, StructuralProgressFollowsStepsAndEndsAtOne) {
  addOperation(threeSteps());
  RunId id = startRun("three");
  std::vector<ProgressEvent> progress = m_listener.progress(id);
  ASSERT_EQ(progress.size(), 3u);
  EXPECT_DOUBLE_EQ(progress[0].fraction, 1.0 / 3.0); // 1 step done, 2 to go
  EXPECT_DOUBLE_EQ(progress[1].fraction, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(progress[2].fraction, 1.0);
  for (const ProgressEvent& event : progress) {
    EXPECT_TRUE(event.structural);
    EXPECT_EQ(event.message, "");
  }
}

TEST_F(EngineEventsTest, HandlerProgressIsReportedWithinItsNode) {
  addHandler({.name = "render",
              .fn = [](const HandlerInput&, HandlerEffects& effects) -> HandlerResult {
                effects.progress(0.25, "page 1 of 4");
                effects.progress(1.5, "done rendering");
                return std::string();
              }});
  addOperation(OperationBuilder("print", 1)
                   .startsWith("render")
                   .action("render", {.handler = "render", .goTo = "done"})
                   .result("done")
                   .build());

  RunId id = startRun("print");
  std::vector<ProgressEvent> progress = m_listener.progress(id);
  ASSERT_EQ(progress.size(), 4u);
  EXPECT_FALSE(progress[0].structural);
  EXPECT_DOUBLE_EQ(progress[0].fraction, 0.25);
  EXPECT_EQ(progress[0].message, "page 1 of 4");
  EXPECT_FALSE(progress[1].structural);
  EXPECT_DOUBLE_EQ(progress[1].fraction, 1.0); // clamped
  EXPECT_EQ(progress[1].message, "done rendering");
  EXPECT_TRUE(progress[2].structural);
  EXPECT_DOUBLE_EQ(progress[2].fraction, 0.5);
  EXPECT_TRUE(progress[3].structural);
  EXPECT_DOUBLE_EQ(progress[3].fraction, 1.0);
}

TEST_F(EngineEventsTest, JournalListsEveryStepInOrder) {
  addOperation(OperationBuilder("journal", 1)
                   .startsWith("a")
                   .action("a", {.set = {{"x", 1}}, .goTo = "b?"})
                   .decision("b?", {.condition = var("x"), .ifTrue = "pause", .ifFalse = "a"})
                   .wait("pause", {.goTo = "done", .timerS = 10})
                   .result("done", {.fields = {"x"}})
                   .build());

  TimePoint startedAt = m_clock.now();
  RunId id = startRun("journal");
  m_clock.advance(std::chrono::seconds(10));
  engine().fireDueTimers();

  std::vector<StepRecord> steps = m_store.loadSteps(id);
  ASSERT_EQ(steps.size(), 4u);
  const std::vector<std::string> nodes = {"a", "b?", "pause", "done"};
  const std::vector<model::NodeKind> kinds = {model::NodeKind::Action, model::NodeKind::Decision,
                                              model::NodeKind::Wait, model::NodeKind::Result};
  const std::vector<std::string> exits = {"", "true", "timer", "completed"};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].runId, id);
    EXPECT_EQ(steps[i].index, static_cast<std::int64_t>(i));
    EXPECT_EQ(steps[i].node, nodes[i]);
    EXPECT_EQ(steps[i].kind, kinds[i]);
    EXPECT_EQ(steps[i].exit, exits[i]);
    EXPECT_GE(steps[i].durationUs, 0);
    EXPECT_EQ(steps[i].error, "");
    EXPECT_FALSE(steps[i].retry);
  }
  EXPECT_EQ(steps[0].startedAt, startedAt);
  EXPECT_EQ(steps[2].startedAt, startedAt); // entered before the clock moved
  EXPECT_EQ(steps[3].startedAt, startedAt + std::chrono::seconds(10));
  EXPECT_EQ(runOf(id).stepCount, 4);
}

class EnginePinningTest : public EngineFixture {};

TEST_F(EnginePinningTest, RunInFlightKeepsItsVersionAndNewRunsUseTheLatest) {
  addOperation(OperationBuilder("terms", 1)
                   .startsWith("accept")
                   .wait("accept", {.signal = "go", .goTo = "v1_end"})
                   .result("v1_end", {.expressions = {{"version", 1}}})
                   .build());
  RunId old = startRun("terms");
  std::string v1Hash = m_catalog.find("terms", 1)->contentHash();
  EXPECT_EQ(runOf(old).contentHash, v1Hash);

  addOperation(OperationBuilder("terms", 2)
                   .startsWith("accept")
                   .wait("accept", {.signal = "go", .goTo = "surcharge"})
                   .action("surcharge", {.set = {{"fee", 5}}, .goTo = "v2_end"})
                   .result("v2_end", {.expressions = {{"version", 2}, {"fee", var("fee")}}})
                   .build());

  ASSERT_TRUE(engine().signal(old, "go").ok());
  RunRecord oldRun = runOf(old);
  EXPECT_EQ(oldRun.state, RunState::Completed);
  EXPECT_EQ(oldRun.version, 1);
  EXPECT_EQ(oldRun.contentHash, v1Hash);
  EXPECT_EQ(oldRun.outputs, Json({{"version", 1}}));
  EXPECT_THAT(path(old), ElementsAre("accept:signal", "v1_end:completed"));

  RunId fresh = startRun("terms");
  ASSERT_TRUE(engine().signal(fresh, "go").ok());
  RunRecord freshRun = runOf(fresh);
  EXPECT_EQ(freshRun.version, 2);
  EXPECT_NE(freshRun.contentHash, v1Hash);
  EXPECT_EQ(freshRun.outputs, Json({{"version", 2}, {"fee", 5}}));
  EXPECT_THAT(path(fresh), ElementsAre("accept:signal", "surcharge:", "v2_end:completed"));

  auto pinned = engine().start({"terms", 1, Json::object(), as()});
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(runOf(pinned.value()).version, 1);
}

} // namespace
} // namespace opflow::engine::test
