// Every node kind, executed by the engine in synchronous mode: the exits taken, the data
// written, the outputs and the errors (codes, messages and failure paths).
#include "TestSupport.h"

#include <gmock/gmock.h>

#include <stdexcept>

namespace opflow::engine::test {
namespace {

using model::OperationBuilder;
using ::testing::ElementsAre;

class EngineNodesTest : public EngineFixture {};

TEST_F(EngineNodesTest, DecisionByConditionTakesTheTrueAndFalseExits) {
  addOperation(OperationBuilder("size.check", 1)
                   .input("n", model::InputType::Integer, {.required = true})
                   .startsWith("big?")
                   .decision("big?", {.condition = Json{{">", {var("n"), 10}}}, .ifTrue = "big", .ifFalse = "small"})
                   .result("big", {.expressions = {{"size", "big"}}})
                   .result("small", {.expressions = {{"size", "small"}}})
                   .build());

  RunId big = startRun("size.check", {{"n", 11}});
  EXPECT_EQ(runOf(big).state, RunState::Completed);
  EXPECT_EQ(runOf(big).outputs, Json({{"size", "big"}}));
  EXPECT_THAT(path(big), ElementsAre("big?:true", "big:completed"));

  RunId small = startRun("size.check", {{"n", 10}});
  EXPECT_EQ(runOf(small).outputs, Json({{"size", "small"}}));
  EXPECT_THAT(path(small), ElementsAre("big?:false", "small:completed"));
}

TEST_F(EngineNodesTest, DecisionByCasesTakesTheFirstMatchingCaseOrOtherwise) {
  addOperation(OperationBuilder("sign", 1)
                   .input("n", model::InputType::Integer, {.required = true})
                   .startsWith("which?")
                   .decision("which?", {.cases = {{Json{{"<", {var("n"), 0}}}, "negative"},
                                                  {Json{{"<", {var("n"), 10}}}, "small"}},
                                        .otherwise = "large"})
                   .result("negative", {.expressions = {{"kind", "negative"}}})
                   .result("small", {.expressions = {{"kind", "small"}}})
                   .result("large", {.expressions = {{"kind", "large"}}})
                   .build());

  RunId negative = startRun("sign", {{"n", -1}}); // matches both cases: the first wins
  EXPECT_THAT(path(negative), ElementsAre("which?:case 1", "negative:completed"));
  EXPECT_EQ(runOf(negative).outputs, Json({{"kind", "negative"}}));

  RunId small = startRun("sign", {{"n", 5}});
  EXPECT_THAT(path(small), ElementsAre("which?:case 2", "small:completed"));

  RunId large = startRun("sign", {{"n", 50}});
  EXPECT_THAT(path(large), ElementsAre("which?:otherwise", "large:completed"));
  EXPECT_EQ(runOf(large).outputs, Json({{"kind", "large"}}));
}

TEST_F(EngineNodesTest, DecisionWithNoMatchingCaseAndNoOtherwiseFailsNoDecision) {
  addOperation(OperationBuilder("pick", 1)
                   .input("n", model::InputType::Integer, {.required = true})
                   .startsWith("which?")
                   .decision("which?", {.cases = {{Json{{"==", {var("n"), 1}}}, "one"}}})
                   .result("one")
                   .build());

  RunId id = startRun("pick", {{"n", 2}});
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "no_decision");
  EXPECT_EQ(run.error->message, "no case matched and the decision has no otherwise");
  EXPECT_THAT(run.error->path, ElementsAre("pick/which?"));
  EXPECT_THAT(path(id), ElementsAre("which?:failed"));
  EXPECT_EQ(m_store.loadSteps(id).at(0).error, "no case matched and the decision has no otherwise");
  EXPECT_THAT(m_listener.events(id), ElementsAre("started", "entered which? #0", "finished which? #0 exit=failed",
                                                 "failed no_decision"));
}

TEST_F(EngineNodesTest, ActionSetWritesDotPathsInOrderCreatingObjects) {
  addOperation(OperationBuilder("order.price", 1)
                   .input("qty", model::InputType::Integer, {.required = true})
                   .startsWith("price")
                   .action("price", {.set = {{"order.price.net", Json{{"*", {var("qty"), 3}}}},
                                             {"order.note", "rush"},
                                             {"total", Json{{"+", {var("order.price.net"), 1}}}}},
                                     .goTo = "done"})
                   .result("done", {.fields = {"order", "total"}})
                   .build());

  RunId id = startRun("order.price", {{"qty", 2}});
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"order", {{"price", {{"net", 6}}}, {"note", "rush"}}}, {"total", 7}}));
  EXPECT_EQ(run.data["order"]["price"]["net"], 6);
  EXPECT_EQ(run.data["qty"], 2);
  EXPECT_THAT(path(id), ElementsAre("price:", "done:completed"));
}

TEST_F(EngineNodesTest, HandlerRunsBeforeSetAndSetSeesItsWrites) {
  addHandler({.name = "price.compute",
              .fn = [](const HandlerInput& input, HandlerEffects& effects) -> HandlerResult {
                effects.set("price.unit", 10);
                effects.set("price.total", input.args["qty"].get<int>() * 10);
                effects.set("priced_by", input.data["ctx"]["user"]);
                effects.set("workstation", input.context.workstation);
                return std::string();
              }});
  addOperation(OperationBuilder("order.price", 1)
                   .input("qty", model::InputType::Integer, {.required = true})
                   .startsWith("price")
                   .action("price", {.handler = "price.compute",
                                     .with = {{"qty", var("qty")}},
                                     .set = {{"with_fee", Json{{"+", {var("price.total"), 1}}}}},
                                     .goTo = "done"})
                   .result("done", {.fields = {"price", "with_fee", "priced_by", "workstation"}})
                   .build());

  RunId id = startRun("order.price", {{"qty", 2}});
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_EQ(runOf(id).outputs, Json({{"price", {{"unit", 10}, {"total", 20}}},
                                     {"with_fee", 21},
                                     {"priced_by", "ada"},
                                     {"workstation", "ws-1"}}));
}

TEST_F(EngineNodesTest, HandlerLeavesByTheDeclaredExitItChooses) {
  addHandler({.name = "stock.check",
              .exits = {"out_of_stock"},
              .fn = [](const HandlerInput& input, HandlerEffects&) -> HandlerResult {
                return input.data["qty"].get<int>() > 5 ? std::string("out_of_stock") : std::string();
              }});
  addOperation(OperationBuilder("order.reserve", 1)
                   .input("qty", model::InputType::Integer, {.required = true})
                   .startsWith("check")
                   .action("check", {.handler = "stock.check", .goTo = "ship", .exits = {{"out_of_stock", "backorder"}}})
                   .result("ship", {.expressions = {{"next", "ship"}}})
                   .result("backorder", {.expressions = {{"next", "backorder"}}})
                   .build());

  RunId backorder = startRun("order.reserve", {{"qty", 9}});
  EXPECT_THAT(path(backorder), ElementsAre("check:out_of_stock", "backorder:completed"));
  EXPECT_EQ(runOf(backorder).outputs, Json({{"next", "backorder"}}));

  RunId ship = startRun("order.reserve", {{"qty", 1}});
  EXPECT_THAT(path(ship), ElementsAre("check:", "ship:completed"));
}

TEST_F(EngineNodesTest, HandlerChoosingAnUndeclaredExitFailsTheRun) {
  addHandler({.name = "router",
              .exits = {"left"},
              .fn = [](const HandlerInput&, HandlerEffects&) -> HandlerResult { return std::string("sideways"); }});
  addOperation(OperationBuilder("route", 1)
                   .startsWith("go")
                   .action("go", {.handler = "router", .goTo = "done", .exits = {{"left", "done"}}})
                   .result("done")
                   .build());

  RunRecord run = runOf(startRun("route"));
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "undeclared_exit");
  EXPECT_EQ(run.error->message, "handler \"router\" chose exit \"sideways\", which it does not declare (declared: left)");
  EXPECT_THAT(run.error->path, ElementsAre("route/go"));
}

TEST_F(EngineNodesTest, HandlerErrorFailsTheRunAndItsWritesAreNotApplied) {
  addHandler({.name = "disk.write",
              .fn = [](const HandlerInput&, HandlerEffects& effects) -> HandlerResult {
                effects.set("partial", 1);
                return makeError(ErrorCode::Io, "disk full");
              }});
  addOperation(OperationBuilder("save", 1)
                   .startsWith("write")
                   .action("write", {.handler = "disk.write", .set = {{"after", 1}}, .goTo = "done"})
                   .result("done")
                   .build());

  RunId id = startRun("save");
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "handler_error");
  EXPECT_EQ(run.error->message, "handler \"disk.write\" failed: disk full");
  EXPECT_THAT(run.error->path, ElementsAre("save/write"));
  EXPECT_FALSE(run.data.contains("partial"));
  EXPECT_FALSE(run.data.contains("after"));
  ASSERT_EQ(m_listener.failed().size(), 1u);
  EXPECT_EQ(m_listener.failed()[0].error.code, "handler_error");
}

TEST_F(EngineNodesTest, HandlerThrowingFailsHandlerException) {
  addHandler({.name = "explode",
              .fn = [](const HandlerInput&, HandlerEffects& effects) -> HandlerResult {
                effects.set("partial", 1);
                throw std::runtime_error("boom");
              }});
  addOperation(OperationBuilder("blast", 1)
                   .startsWith("go")
                   .action("go", {.handler = "explode", .goTo = "done"})
                   .result("done")
                   .build());

  RunRecord run = runOf(startRun("blast"));
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "handler_exception");
  EXPECT_EQ(run.error->message, "handler \"explode\" threw: boom");
  EXPECT_THAT(run.error->path, ElementsAre("blast/go"));
  EXPECT_FALSE(run.data.contains("partial"));
}

TEST_F(EngineNodesTest, HandlerWritingTheContextFails) {
  addHandler({.name = "impostor",
              .fn = [](const HandlerInput&, HandlerEffects& effects) -> HandlerResult {
                effects.set("ctx.user", "mallory");
                return std::string();
              }});
  addOperation(OperationBuilder("spoof", 1)
                   .startsWith("go")
                   .action("go", {.handler = "impostor", .goTo = "done"})
                   .result("done")
                   .build());

  RunRecord run = runOf(startRun("spoof"));
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "handler_error");
  EXPECT_EQ(run.error->message, "handler \"impostor\" tried to write \"ctx.user\": the run's context is read-only");
  EXPECT_EQ(run.data["ctx"]["user"], "ada");
}

// tax.compute: tax = amount * 2. invoice calls it and returns what it saved.
class EngineCallTest : public EngineFixture {
protected:
  void addTaxCompute() {
    addOperation(OperationBuilder("tax.compute", 1)
                     .input("amount", model::InputType::Integer, {.required = true})
                     .startsWith("compute")
                     .action("compute", {.set = {{"tax", Json{{"*", {var("amount"), 2}}}}}, .goTo = "done"})
                     .result("done", {.fields = {"tax"}})
                     .build());
  }
};

TEST_F(EngineCallTest, ChildRunsWithParentAndCorrelationIdAndItsOutputsAreSaved) {
  addTaxCompute();
  addOperation(OperationBuilder("invoice", 1)
                   .input("amount", model::InputType::Integer, {.required = true})
                   .startsWith("tax")
                   .call("tax", {.operation = "tax.compute",
                                 .inputs = {{"amount", var("amount")}},
                                 .saveAs = "tax_result",
                                 .onSuccess = "done"})
                   .result("done", {.expressions = {{"tax", var("tax_result.tax")}}})
                   .build());

  RunId parent = startRun("invoice", {{"amount", 10}}, as("ada", "operator", "corr-1"));
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"tax", 20}}));
  EXPECT_EQ(run.data["tax_result"], Json({{"tax", 20}}));
  EXPECT_THAT(path(parent), ElementsAre("tax:success", "done:completed"));

  std::vector<RunRecord> children = childrenOf(parent);
  ASSERT_EQ(children.size(), 1u);
  const RunRecord& child = children[0];
  EXPECT_EQ(child.operation, "tax.compute");
  EXPECT_EQ(child.state, RunState::Completed);
  EXPECT_EQ(child.inputs, Json({{"amount", 10}}));
  EXPECT_EQ(child.context.parentRunId, parent);
  EXPECT_EQ(child.context.runId, child.id);
  EXPECT_EQ(child.context.correlationId, "corr-1");
  EXPECT_EQ(child.context.user, "ada");
  EXPECT_EQ(child.data["ctx"]["parent_run_id"], parent.str());
  EXPECT_THAT(path(child.id), ElementsAre("compute:", "done:completed"));
  EXPECT_THAT(m_listener.events(parent),
              ElementsAre("started", "entered tax #0", "waiting tax", "finished tax #0 exit=success",
                          "entered done #1", "finished done #1 exit=completed", "completed"));
}

TEST_F(EngineCallTest, ChildFailureTakesOnFailureWithTheErrorSaved) {
  addOperation(OperationBuilder("rates.fetch", 1)
                   .startsWith("no_rates")
                   .fail("no_rates", {.reason = "no rates today"})
                   .build());
  addOperation(OperationBuilder("quote", 1)
                   .startsWith("rates")
                   .call("rates", {.operation = "rates.fetch",
                                   .saveAs = "rates",
                                   .onSuccess = "done",
                                   .onFailure = "fallback"})
                   .result("done", {.expressions = {{"how", "fetched"}}})
                   .result("fallback", {.expressions = {{"code", var("rates.error.code")},
                                                        {"why", var("rates.error.message")},
                                                        {"where", var("rates.error.path")}}})
                   .build());

  RunId parent = startRun("quote");
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"code", "business_failure"},
                               {"why", "no rates today"},
                               {"where", Json::array({"rates.fetch/no_rates"})}}));
  EXPECT_THAT(path(parent), ElementsAre("rates:failure", "fallback:completed"));
  ASSERT_EQ(childrenOf(parent).size(), 1u);
  EXPECT_EQ(childrenOf(parent)[0].state, RunState::Failed);
}

TEST_F(EngineCallTest, ChildFailureWithoutOnFailureFailsTheParentWithTheFullPath) {
  addOperation(OperationBuilder("pricing.calculate", 1)
                   .startsWith("fetch_rates")
                   .fail("fetch_rates", {.reason = "rates service unavailable"})
                   .build());
  addOperation(OperationBuilder("order.ship", 1)
                   .startsWith("price")
                   .call("price", {.operation = "pricing.calculate", .saveAs = "price", .onSuccess = "done"})
                   .result("done")
                   .build());
  addOperation(OperationBuilder("order.close", 1)
                   .startsWith("ship")
                   .call("ship", {.operation = "order.ship", .onSuccess = "done"})
                   .result("done")
                   .build());

  RunId parent = startRun("order.ship");
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "business_failure");
  EXPECT_EQ(run.error->message, "rates service unavailable");
  EXPECT_THAT(run.error->path, ElementsAre("order.ship/price", "pricing.calculate/fetch_rates"));
  EXPECT_THAT(path(parent), ElementsAre("price:failed"));

  RunRecord outer = runOf(startRun("order.close"));
  ASSERT_TRUE(outer.error.has_value());
  EXPECT_THAT(outer.error->path,
              ElementsAre("order.close/ship", "order.ship/price", "pricing.calculate/fetch_rates"));
  EXPECT_EQ(outer.error->describe(),
            "rates service unavailable (at order.close/ship > order.ship/price > pricing.calculate/fetch_rates)");
}

TEST_F(EngineCallTest, ChildRefusingItsInputsFailsInvalidCall) {
  addTaxCompute();
  addOperation(OperationBuilder("invoice", 1)
                   .startsWith("tax")
                   .call("tax", {.operation = "tax.compute", .inputs = {{"amount", "ten"}}, .onSuccess = "done"})
                   .result("done")
                   .build());

  RunId parent = startRun("invoice");
  RunRecord run = runOf(parent);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "invalid_call");
  EXPECT_EQ(run.error->message,
            "\"tax.compute\" refused its inputs: 1 input problem(s)\n  /inputs/amount: must be an integer, not \"ten\"");
  EXPECT_THAT(run.error->path, ElementsAre("invoice/tax"));
  EXPECT_THAT(path(parent), ElementsAre("tax:failed"));
  EXPECT_TRUE(childrenOf(parent).empty());
  ASSERT_EQ(m_store.rejectedStarts().size(), 1u);
  EXPECT_EQ(m_store.rejectedStarts()[0].operation, "tax.compute");
  EXPECT_EQ(m_store.rejectedStarts()[0].context.parentRunId, parent);
  EXPECT_EQ(m_listener.rejected().size(), 1u);
}

class EngineWaitTest : public EngineFixture {};

TEST_F(EngineWaitTest, SignalResumesTheRunWithThePayloadSaved) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .saveAs = "approval", .goTo = "done"})
                   .result("done", {.fields = {"approval"}})
                   .build());

  RunId id = startRun("approve");
  RunRecord waiting = runOf(id);
  EXPECT_EQ(waiting.state, RunState::Waiting);
  EXPECT_EQ(waiting.currentNode, "approval");
  EXPECT_EQ(waiting.awaitedSignal, "approved");
  EXPECT_FALSE(waiting.wakeAt.has_value());
  ASSERT_EQ(m_listener.waiting().size(), 1u);
  EXPECT_EQ(m_listener.waiting()[0].signal, "approved");
  EXPECT_FALSE(m_listener.waiting()[0].wakeAt.has_value());
  EXPECT_FALSE(engine().nextTimerDue().has_value());

  Status signalled = engine().signal(id, "approved", Json{{"by", "bob"}});
  ASSERT_TRUE(signalled.ok()) << signalled.error().describe();
  RunRecord done = runOf(id);
  EXPECT_EQ(done.state, RunState::Completed);
  EXPECT_EQ(done.outputs, Json({{"approval", {{"by", "bob"}}}}));
  EXPECT_EQ(done.awaitedSignal, "");
  EXPECT_THAT(path(id), ElementsAre("approval:signal", "done:completed"));
}

TEST_F(EngineWaitTest, SignalThatDoesNotComeInTimeLeavesByTimeout) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .goTo = "done", .timeoutS = 60, .onTimeout = "expired"})
                   .result("done", {.expressions = {{"status", "approved"}}})
                   .result("expired", {.expressions = {{"status", "expired"}}})
                   .build());

  TimePoint startedAt = m_clock.now();
  RunId id = startRun("approve");
  EXPECT_EQ(runOf(id).wakeAt, startedAt + std::chrono::seconds(60));
  EXPECT_EQ(engine().nextTimerDue(), startedAt + std::chrono::seconds(60));

  m_clock.advance(std::chrono::seconds(59));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(id).state, RunState::Waiting);

  m_clock.advance(std::chrono::seconds(1));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_EQ(runOf(id).outputs, Json({{"status", "expired"}}));
  EXPECT_THAT(path(id), ElementsAre("approval:timeout", "expired:completed"));
  EXPECT_FALSE(engine().nextTimerDue().has_value());
}

TEST_F(EngineWaitTest, SignalBeforeTheTimeoutCancelsTheTimer) {
  addOperation(OperationBuilder("approve", 1)
                   .startsWith("approval")
                   .wait("approval", {.signal = "approved", .goTo = "done", .timeoutS = 60, .onTimeout = "expired"})
                   .result("done", {.expressions = {{"status", "approved"}}})
                   .result("expired", {.expressions = {{"status", "expired"}}})
                   .build());

  RunId id = startRun("approve");
  ASSERT_TRUE(engine().signal(id, "approved").ok());
  EXPECT_FALSE(engine().nextTimerDue().has_value());
  m_clock.advance(std::chrono::seconds(120));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(id).outputs, Json({{"status", "approved"}}));
  EXPECT_THAT(path(id), ElementsAre("approval:signal", "done:completed"));
}

TEST_F(EngineWaitTest, TimerWaitLeavesByTheTimerExit) {
  addOperation(OperationBuilder("cool_down", 1)
                   .startsWith("pause")
                   .wait("pause", {.goTo = "done", .timerS = 0.5})
                   .result("done", {.expressions = {{"cooled", true}}})
                   .build());

  RunId id = startRun("cool_down");
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  EXPECT_EQ(runOf(id).awaitedSignal, "");
  ASSERT_EQ(m_listener.waiting().size(), 1u);
  EXPECT_EQ(m_listener.waiting()[0].wakeAt, m_clock.now() + std::chrono::milliseconds(500));

  m_clock.advance(std::chrono::milliseconds(499));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  m_clock.advance(std::chrono::milliseconds(1));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(id).state, RunState::Completed);
  EXPECT_THAT(path(id), ElementsAre("pause:timer", "done:completed"));
}

class EngineEndTest : public EngineFixture {};

TEST_F(EngineEndTest, ResultListFormCopiesFieldsByDotPath) {
  addOperation(OperationBuilder("echo", 1)
                   .input("order", model::InputType::Object, {.required = true})
                   .startsWith("done")
                   .result("done", {.fields = {"order.id", "order.missing"}})
                   .build());

  RunRecord run = runOf(startRun("echo", {{"order", {{"id", 7}, {"secret", "x"}}}}));
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.outputs, Json({{"order", {{"id", 7}, {"missing", nullptr}}}}));
}

TEST_F(EngineEndTest, ResultExpressionFormEvaluatesEachOutput) {
  addOperation(OperationBuilder("greet", 1)
                   .input("name", model::InputType::String, {.required = true})
                   .startsWith("done")
                   .result("done", {.expressions = {{"greeting", Json{{"cat", {"hello ", var("name")}}}},
                                                    {"meta.length", Json{{"+", {1, 2}}}}}})
                   .build());

  RunRecord run = runOf(startRun("greet", {{"name", "ada"}}));
  EXPECT_EQ(run.outputs, Json({{"greeting", "hello ada"}, {"meta", {{"length", 3}}}}));
  EXPECT_THAT(m_listener.events(run.id), ElementsAre("started", "entered done #0",
                                                     "finished done #0 exit=completed", "completed"));
}

TEST_F(EngineEndTest, FailNodeWithTextReasonIsABusinessFailure) {
  addOperation(OperationBuilder("refuse", 1).startsWith("no").fail("no", {.reason = "out of stock"}).build());

  RunRecord run = runOf(startRun("refuse"));
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "business_failure");
  EXPECT_EQ(run.error->message, "out of stock");
  EXPECT_THAT(run.error->path, ElementsAre("refuse/no"));
  EXPECT_EQ(run.stepCount, 1);
  EXPECT_THAT(path(run.id), ElementsAre("no:failed"));
}

TEST_F(EngineEndTest, FailNodeWithExpressionReasonEvaluatesIt) {
  addOperation(OperationBuilder("refuse", 1)
                   .input("left", model::InputType::Integer, {.required = true})
                   .startsWith("no")
                   .fail("no", {.reason = Json{{"cat", {"only ", var("left"), " left"}}}})
                   .build());

  RunRecord run = runOf(startRun("refuse", {{"left", 3}}));
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "business_failure");
  EXPECT_EQ(run.error->message, "only 3 left");
  ASSERT_EQ(m_listener.failed().size(), 1u);
  EXPECT_EQ(m_listener.failed()[0].error.message, "only 3 left");
}

} // namespace
} // namespace opflow::engine::test
