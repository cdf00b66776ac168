// Starting runs: refused starts (inputs, role, unknown operation) run and store nothing
// but the refusal; accepted ones get their defaults, their context and a step limit.
#include "TestSupport.h"

#include <gmock/gmock.h>

namespace opflow::engine::test {
namespace {

using model::InputType;
using model::OperationBuilder;
using ::testing::ElementsAre;

class EngineStartTest : public EngineFixture {
protected:
  // order.create: echoes its inputs.
  void addOrderCreate() {
    addOperation(OperationBuilder("order.create", 1)
                     .roles({"operator", "supervisor"})
                     .input("name", InputType::String, {.required = true})
                     .input("qty", InputType::Integer, {.defaultValue = 1, .min = 1, .max = 100})
                     .input("kind", InputType::String, {.defaultValue = "a", .allowed = {"a", "b"}})
                     .input("weight", InputType::Number, {.max = 10})
                     .input("rush", InputType::Boolean)
                     .startsWith("done")
                     .result("done", {.fields = {"name", "qty", "kind", "weight", "rush"}})
                     .build());
  }
};

TEST_F(EngineStartTest, BadInputsAreRefusedWithEveryProblemAndNothingRuns) {
  addOrderCreate();
  Json inputs{{"qty", 0}, {"kind", "c"}, {"weight", 11.5}, {"rush", "yes"}, {"colour", "red"}};
  auto started = engine().start({"order.create", std::nullopt, inputs, as()});

  ASSERT_FALSE(started.ok());
  const Error& error = started.error();
  EXPECT_EQ(error.code, ErrorCode::InvalidInputs);
  EXPECT_EQ(error.message, "\"order.create\" refused its inputs: 6 input problem(s)");
  EXPECT_THAT(error.problems, ElementsAre(Problem{"/inputs/name", "is required (string)"},
                                          Problem{"/inputs/qty", "must be at least 1, not 0"},
                                          Problem{"/inputs/kind", "must be one of \"a\", \"b\", not \"c\""},
                                          Problem{"/inputs/weight", "must be at most 10, not 11.5"},
                                          Problem{"/inputs/rush", "must be a boolean, not \"yes\""},
                                          Problem{"/inputs/colour", "is not an input of this operation"}));

  EXPECT_TRUE(m_store.allRuns().empty());
  ASSERT_EQ(m_store.rejectedStarts().size(), 1u);
  const RejectedStart rejected = m_store.rejectedStarts().at(0);
  EXPECT_EQ(rejected.operation, "order.create");
  EXPECT_EQ(rejected.inputs, inputs);
  EXPECT_EQ(rejected.context.user, "ada");
  EXPECT_EQ(rejected.error.problems.size(), 6u);
  EXPECT_EQ(rejected.at, m_clock.now());

  EXPECT_TRUE(m_listener.started().empty());
  ASSERT_EQ(m_listener.rejected().size(), 1u);
  EXPECT_EQ(m_listener.rejected()[0].operation, "order.create");
  EXPECT_EQ(m_listener.rejected()[0].error.code, ErrorCode::InvalidInputs);
  EXPECT_EQ(m_listener.rejected()[0].error.problems, error.problems);
  EXPECT_TRUE(engine().activeRuns().empty());
}

TEST_F(EngineStartTest, InputsThatAreNotAnObjectAreRefused) {
  addOrderCreate();
  auto started = engine().start({"order.create", std::nullopt, Json::array({1}), as()});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::InvalidInputs);
  EXPECT_THAT(started.error().problems, ElementsAre(Problem{"/inputs", "must be an object, not [1]"}));
  EXPECT_TRUE(m_store.allRuns().empty());
}

TEST_F(EngineStartTest, DefaultsAreAppliedAndIntegralNumbersNormalised) {
  addOrderCreate();
  RunId id = startRun("order.create", {{"name", "bolt"}, {"weight", 2.0}, {"qty", 3.0}});
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Completed);
  EXPECT_EQ(run.inputs, Json({{"name", "bolt"}, {"qty", 3}, {"kind", "a"}, {"weight", 2.0}}));
  EXPECT_TRUE(run.inputs["qty"].is_number_integer());
  EXPECT_EQ(run.data["kind"], "a");
  EXPECT_EQ(run.outputs, Json({{"name", "bolt"}, {"qty", 3}, {"kind", "a"}, {"weight", 2.0}, {"rush", nullptr}}));
  ASSERT_EQ(m_listener.started().size(), 1u);
  EXPECT_EQ(m_listener.started()[0].inputs, run.inputs);
  EXPECT_EQ(m_listener.started()[0].operation, "order.create");
  EXPECT_EQ(m_listener.started()[0].version, 1);
}

TEST_F(EngineStartTest, RoleNotAllowedIsPermissionDenied) {
  addOrderCreate();
  auto started = engine().start({"order.create", std::nullopt, {{"name", "bolt"}}, as("max", "admin")});
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(started.error().message, "role \"admin\" may not run \"order.create\" (allowed: operator, supervisor)");
  EXPECT_TRUE(m_store.allRuns().empty());
  ASSERT_EQ(m_store.rejectedStarts().size(), 1u);
  EXPECT_EQ(m_store.rejectedStarts()[0].error.code, ErrorCode::PermissionDenied);
  ASSERT_EQ(m_listener.rejected().size(), 1u);
  EXPECT_EQ(m_listener.rejected()[0].context.role, "admin");
}

TEST_F(EngineStartTest, AManagerStartsNothingEvenWhereTheOperationNamesNoRoles) {
  addOperation(OperationBuilder("open.to.all", 1).startsWith("done").result("done").build());
  RunContext manager = as();
  manager.role = "manager";
  auto started = engine().start({"open.to.all", std::nullopt, Json::object(), manager});
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(started.error().message, "role \"manager\" may not run \"open.to.all\": it reads and changes nothing");
  EXPECT_TRUE(m_store.allRuns().empty());
  ASSERT_EQ(m_store.rejectedStarts().size(), 1u);
}

TEST_F(EngineStartTest, UnknownOperationOrVersionIsNotFound) {
  addOrderCreate();
  auto unknown = engine().start({"order.nope", std::nullopt, Json::object(), as()});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_EQ(unknown.error().message, "no operation \"order.nope\"");

  auto version = engine().start({"order.create", 9, {{"name", "bolt"}}, as()});
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().code, ErrorCode::NotFound);
  EXPECT_EQ(version.error().message, "no operation \"order.create\" v9");

  EXPECT_TRUE(m_store.allRuns().empty());
  EXPECT_EQ(m_store.rejectedStarts().size(), 2u);
  EXPECT_EQ(m_listener.rejected().size(), 2u);
}

TEST_F(EngineStartTest, ContextIsReadableByExpressions) {
  addOperation(OperationBuilder("whoami", 1)
                   .startsWith("done")
                   .result("done", {.expressions = {{"user", var("ctx.user")},
                                                    {"role", var("ctx.role")},
                                                    {"workstation", var("ctx.workstation")},
                                                    {"run", var("ctx.run_id")},
                                                    {"correlation", var("ctx.correlation_id")}}})
                   .build());

  RunId id = startRun("whoami", Json::object(), as("ada", "supervisor", "corr-42"));
  RunRecord run = runOf(id);
  EXPECT_EQ(run.outputs, Json({{"user", "ada"},
                               {"role", "supervisor"},
                               {"workstation", "ws-1"},
                               {"run", id.str()},
                               {"correlation", "corr-42"}}));
  EXPECT_EQ(run.context.correlationId, "corr-42");
  EXPECT_EQ(run.context.runId, id);
  EXPECT_TRUE(run.context.parentRunId.empty());
  EXPECT_EQ(run.data["ctx"]["parent_run_id"], nullptr);
}

TEST_F(EngineStartTest, EmptyCorrelationIdIsGenerated) {
  addOperation(OperationBuilder("whoami", 1)
                   .startsWith("done")
                   .result("done", {.expressions = {{"correlation", var("ctx.correlation_id")}}})
                   .build());

  RunRecord first = runOf(startRun("whoami"));
  RunRecord second = runOf(startRun("whoami"));
  EXPECT_EQ(first.context.correlationId.size(), 36u);
  EXPECT_EQ(first.outputs["correlation"], first.context.correlationId);
  EXPECT_NE(first.context.correlationId, second.context.correlationId);
  EXPECT_NE(first.context.correlationId, first.id.str());
}

TEST_F(EngineStartTest, StepLimitFailsARunThatNeverEnds) {
  addOperation(OperationBuilder("spin", 1)
                   .startsWith("tick")
                   .action("tick", {.set = {{"n", Json{{"+", {var("n"), 1}}}}}, .goTo = "again?"})
                   .decision("again?", {.condition = Json{{"<", {var("n"), 1000}}}, .ifTrue = "tick", .ifFalse = "done"})
                   .result("done")
                   .build());

  engine({.stepLimit = 5});
  RunId id = startRun("spin");
  RunRecord run = runOf(id);
  EXPECT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(run.error->code, "step_limit");
  EXPECT_EQ(run.error->message, "the run took 5 steps without ending (the limit)");
  EXPECT_THAT(run.error->path, ElementsAre("spin/again?"));
  EXPECT_EQ(run.stepCount, 5);
  EXPECT_EQ(run.data["n"], 3);
  EXPECT_THAT(path(id), ElementsAre("tick:", "again?:true", "tick:", "again?:true", "tick:", "again?:"));
  EXPECT_EQ(m_store.loadSteps(id).back().error, "the run took 5 steps without ending (the limit)");
  EXPECT_EQ(m_listener.events(id).back(), "failed step_limit");
}

} // namespace
} // namespace opflow::engine::test
