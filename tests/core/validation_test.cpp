// Validating definitions as CompiledOperation::compile and OperationCatalog::add do: every
// structural and expression problem is named by its JSON pointer, all at once, and a
// refused definition is not added.
#include "opflow/engine/CompiledOperation.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/model/OperationBuilder.h"

#include <gtest/gtest.h>

namespace {

using namespace opflow;
using namespace opflow::model;
using engine::CompiledOperation;
using engine::HandlerRegistry;
using engine::HandlerSpec;
using engine::OperationCatalog;

std::string listed(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    text += "\n  " + problem.pointer + ": " + problem.message;
  }
  return text;
}

// A valid document; each row changes it with a JSON merge patch (RFC 7386). Rows name
// their own "start" node.
constexpr const char* kBase =
    R"({"operation": "test.op", "version": 1, "starts_with": "start", "nodes": {"done": {"kind": "result"}}})";

class ValidationTest : public ::testing::Test {
protected:
  void SetUp() override {
    for (HandlerSpec spec : {HandlerSpec{.name = "test.check", .exits = {"denied"}},
                             HandlerSpec{.name = "test.plain"}}) {
      spec.fn = [](const engine::HandlerInput&, engine::HandlerEffects&) { return engine::HandlerResult(std::string()); };
      ASSERT_TRUE(m_handlers.add(std::move(spec)).ok());
    }
  }

  static OperationDefinition fromPatch(const std::string& patch) {
    OrderedJson document = OrderedJson::parse(kBase);
    document.merge_patch(OrderedJson::parse(patch));
    auto parsed = definitionFromJson(document);
    EXPECT_TRUE(parsed.ok()) << parsed.error().describe();
    return parsed.ok() ? parsed.value() : OperationDefinition{};
  }

  // The problems compile() names; none when the definition compiles.
  std::vector<Problem> problemsOf(OperationDefinition definition) const {
    auto compiled = CompiledOperation::compile(std::move(definition), m_handlers,
                                               [](const std::string& name) { return name == "test.sub"; });
    return compiled.ok() ? std::vector<Problem>{} : compiled.error().problems;
  }

  HandlerRegistry m_handlers;
};

TEST_F(ValidationTest, TheBaseDefinitionCompiles) {
  EXPECT_EQ(problemsOf(fromPatch(R"({"nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})")), std::vector<Problem>{});
}

TEST_F(ValidationTest, EachProblemIsNamedByItsPointer) {
  struct Row {
    const char* patch;
    std::vector<Problem> expected;
  };
  const std::vector<Row> rows = {
      // the header and inputs
      {R"({"version": 0, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/version", "must be 1 or more, not 0"}}},
      {R"({"version": -2, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/version", "must be 1 or more, not -2"}}},
      {R"({"operation": "", "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/operation", "is required: name the operation"}}},
      {R"({"roles": ["operator", "boss"], "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/roles/1", R"(unknown role "boss" (use operator, supervisor, manager, admin))"}}},
      {R"({"inputs": {"ctx": {"type": "object"}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/ctx", R"(is a reserved name: "ctx" holds the run's context)"}}},
      {R"({"inputs": {"name": {"type": "string", "min": 1}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/name", "min and max apply to integer and number inputs, not string"}}},
      {R"({"inputs": {"flag": {"type": "boolean", "max": 1}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/flag", "min and max apply to integer and number inputs, not boolean"}}},
      {R"({"inputs": {"qty": {"type": "integer", "min": 5, "max": 1}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/qty/min", "is greater than max"}}},
      {R"({"inputs": {"qty": {"type": "integer", "default": "many"}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/qty/default", R"(must be an integer, not "many")"}}},
      {R"({"inputs": {"qty": {"type": "integer", "default": 2.5}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/qty/default", "must be an integer, not 2.5"}}},
      {R"({"inputs": {"ext": {"type": "string", "enum": ["pdf", "dwg"], "default": "doc"}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/ext/default", R"(must be one of "pdf", "dwg", not "doc")"}}},
      {R"({"inputs": {"amount": {"type": "number", "min": 0, "default": -1}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/amount/default", "must be at least 0, not -1"}}},
      {R"({"inputs": {"qty": {"type": "integer", "max": 10, "default": 11}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/qty/default", "must be at most 10, not 11"}}},
      {R"({"inputs": {"ext": {"type": "string", "enum": ["pdf", 3, "dwg"]}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/ext/enum/1", "must be a string, not 3"}}},
      {R"({"inputs": {"a/b": {"type": "integer", "default": "x"}}, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/inputs/a~1b/default", R"(must be an integer, not "x")"}}},
      // the start
      {R"({"starts_with": null, "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/starts_with", "is required: name the first node"}}},
      {R"({"starts_with": "dne", "nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})",
       {{"/starts_with", R"(no node "dne")"}}},
      {R"({"starts_with": "done", "nodes": {"done": null}})",
       {{"/nodes", "the operation has no nodes"}, {"/starts_with", R"(no node "done")"}}},
      // dangling targets
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.check", "exits": {"denied": "done"}, "go_to": "dne"}}})",
       {{"/nodes/start/go_to", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.check", "exits": {"denied": "dne"}, "go_to": "done"}}})",
       {{"/nodes/start/exits/denied", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "dne", "if_false": "done"}}})",
       {{"/nodes/start/if_true", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "dne"}}})",
       {{"/nodes/start/if_false", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "cases": [{"when": true, "go_to": "done"}, {"when": false, "go_to": "dne"}]}}})",
       {{"/nodes/start/cases/1/go_to", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "cases": [{"when": true, "go_to": "done"}], "otherwise": "dne"}}})",
       {{"/nodes/start/otherwise", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.sub", "on_success": "dne", "on_failure": "done"}}})",
       {{"/nodes/start/on_success", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.sub", "on_success": "done", "on_failure": "dne"}}})",
       {{"/nodes/start/on_failure", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "timeout_s": 5, "on_timeout": "done", "go_to": "dne"}}})",
       {{"/nodes/start/go_to", R"(no node "dne")"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "timeout_s": 5, "on_timeout": "dne", "go_to": "done"}}})",
       {{"/nodes/start/on_timeout", R"(no node "dne")"}}},
      {R"({"starts_with": "a/b~c", "nodes": {"a/b~c": {"kind": "decision", "condition": true, "if_true": "dne", "if_false": "done"}}})",
       {{"/nodes/a~1b~0c/if_true", R"(no node "dne")"}}},
      // unknown JsonLogic operators, wherever an expression is
      {R"({"nodes": {"start": {"kind": "decision", "condition": {"frob": 1}, "if_true": "done", "if_false": "done"}}})",
       {{"/nodes/start/condition/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": {"and": [true, {"!": {"frob": [1]}}]}, "if_true": "done", "if_false": "done"}}})",
       {{"/nodes/start/condition/and/1/!/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "decision", "cases": [{"when": true, "go_to": "done"}, {"when": {"frob": 1}, "go_to": "done"}]}}})",
       {{"/nodes/start/cases/1/when/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "action", "set": {"total": {"frob": 1}}, "go_to": "done"}}})",
       {{"/nodes/start/set/total/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "action", "set": {"a/b": {"frob": 1}}, "go_to": "done"}}})",
       {{"/nodes/start/set/a~1b/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.plain", "with": {"doc": {"frob": 1}}, "go_to": "done"}}})",
       {{"/nodes/start/with/doc/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.sub", "inputs": {"qty": {"frob": 1}}, "on_success": "done"}}})",
       {{"/nodes/start/inputs/qty/frob", R"(unknown operator "frob")"}}},
      {R"({"nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}, "done": {"outputs": {"price": {"frob": 1}}}}})",
       {{"/nodes/done/outputs/price/frob", R"(unknown operator "frob")"}}},
      {R"({"starts_with": "done", "nodes": {"done": {"kind": "fail", "reason": {"cat": ["no ", {"frob": 1}]}}}})",
       {{"/nodes/done/reason/cat/1/frob", R"(unknown operator "frob")"}}},
      // actions and handlers
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.nope", "go_to": "done"}}})",
       {{"/nodes/start/handler", R"(no handler "test.nope" is registered)"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.check", "exits": {"denied": "done", "maybe": "done"}, "go_to": "done"}}})",
       {{"/nodes/start/exits/maybe", R"(handler "test.check" has no exit "maybe" (it declares: denied))"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.plain", "exits": {"maybe": "done"}, "go_to": "done"}}})",
       {{"/nodes/start/exits/maybe", R"(handler "test.plain" has no exit "maybe" (it declares: none))"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.check", "go_to": "done"}}})",
       {{"/nodes/start/exits", R"(exit "denied" of handler "test.check" has no target)"}}},
      {R"({"nodes": {"start": {"kind": "action", "exits": {"denied": "done"}, "go_to": "done"}}})",
       {{"/nodes/start/exits/denied", "exits are chosen by a handler, and the action has none"}}},
      {R"({"nodes": {"start": {"kind": "action", "exits": {"a/b": "done"}, "go_to": "done"}}})",
       {{"/nodes/start/exits/a~1b", "exits are chosen by a handler, and the action has none"}}},
      {R"({"nodes": {"start": {"kind": "action", "with": {"doc": "x"}, "go_to": "done"}}})",
       {{"/nodes/start/with", "gives arguments but the action has no handler"}}},
      {R"({"nodes": {"start": {"kind": "action", "handler": "test.plain"}}})",
       {{"/nodes/start/go_to", "is required: say where the run goes next"},
        {"/nodes/done", R"(is unreachable from "start")"},
        {"/starts_with", "no result or fail node can be reached: the operation never ends"}}},
      {R"({"nodes": {"start": {"kind": "action", "set": {"ctx.user": "eve"}, "go_to": "done"}}})",
       {{"/nodes/start/set/ctx.user", R"("ctx" is the run's context and cannot be written)"}}},
      {R"({"nodes": {"start": {"kind": "action", "set": {"ctx": "x"}, "go_to": "done"}}})",
       {{"/nodes/start/set/ctx", R"("ctx" is the run's context and cannot be written)"}}},
      // decisions
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done"}}})",
       {{"/nodes/start/if_false", "is required: a decision needs both branches"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_false": "done"}}})",
       {{"/nodes/start/if_true", "is required: a decision needs both branches"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "done", "cases": [{"when": true, "go_to": "done"}]}}})",
       {{"/nodes/start", "a decision uses either condition (with if_true and if_false) or cases, not both"}}},
      {R"({"nodes": {"start": {"kind": "decision", "otherwise": "done"}}})",
       {{"/nodes/start", "a decision needs a condition (with if_true and if_false) or cases"}}},
      {R"({"nodes": {"start": {"kind": "decision", "cases": [{"when": true, "go_to": "done"}], "if_true": "done"}}})",
       {{"/nodes/start/if_true", "goes with condition; cases use go_to"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "done", "otherwise": "done"}}})",
       {{"/nodes/start/otherwise", "goes with cases; a condition uses if_false"}}},
      // calls
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.nope", "on_success": "done"}}})",
       {{"/nodes/start/operation", R"(no operation "test.nope" is known)"}}},
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.sub", "on_failure": "done"}}})",
       {{"/nodes/start/on_success", "is required: say where the run goes when the call succeeds"}}},
      {R"({"nodes": {"start": {"kind": "call", "operation": "test.sub", "save_as": "ctx", "on_success": "done"}}})",
       {{"/nodes/start/save_as", R"("ctx" is the run's context and cannot be written)"}}},
      // waits
      {R"({"nodes": {"start": {"kind": "wait", "go_to": "done"}}})", {{"/nodes/start", "a wait needs a signal or timer_s"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "timer_s": 5, "go_to": "done"}}})",
       {{"/nodes/start/timer_s", "a wait for a signal bounds it with timeout_s, not timer_s"}}},
      {R"({"nodes": {"start": {"kind": "wait", "timer_s": 0, "go_to": "done"}}})",
       {{"/nodes/start/timer_s", "must be more than 0 seconds"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "timeout_s": 5, "go_to": "done"}}})",
       {{"/nodes/start/on_timeout", "is required: say where the run goes when the timeout passes"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "timeout_s": -1, "on_timeout": "done", "go_to": "done"}}})",
       {{"/nodes/start/timeout_s", "must be more than 0 seconds"}}},
      {R"({"nodes": {"start": {"kind": "wait", "timer_s": 5, "timeout_s": 10, "on_timeout": "done", "go_to": "done"}}})",
       {{"/nodes/start/timeout_s", "bounds the wait for a signal, and this wait has none"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "on_timeout": "done", "go_to": "done"}}})",
       {{"/nodes/start/on_timeout", "needs timeout_s"}}},
      {R"({"nodes": {"start": {"kind": "wait", "timer_s": 5, "save_as": "payload", "go_to": "done"}}})",
       {{"/nodes/start/save_as", "saves a signal's payload, and this wait has no signal"}}},
      {R"({"nodes": {"start": {"kind": "wait", "signal": "s", "save_as": "ctx.payload", "go_to": "done"}}})",
       {{"/nodes/start/save_as", R"("ctx" is the run's context and cannot be written)"}}},
      // results and fails
      {R"({"nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}, "done": {"outputs": ["a", ""]}}})",
       {{"/nodes/done/outputs/1", "names no field"}}},
      {R"({"starts_with": "done", "nodes": {"done": {"kind": "fail", "reason": ""}}})",
       {{"/nodes/done/reason", "is required: say why the operation fails"}}},
      // reachability
      {R"({"nodes": {"start": {"kind": "action", "set": {"a": 1}, "go_to": "done"}, "orphan": {"kind": "fail", "reason": "never"}}})",
       {{"/nodes/orphan", R"(is unreachable from "start")"}}},
      {R"({"starts_with": "loop", "nodes": {"done": null, "loop": {"kind": "wait", "timer_s": 1, "go_to": "loop"}}})",
       {{"/starts_with", "no result or fail node can be reached: the operation never ends"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "spin"},
                     "spin": {"kind": "wait", "timer_s": 1, "go_to": "spin"}}})",
       {{"/nodes/spin", "no result or fail can be reached from here: a loop with no way out"}}},
      {R"({"nodes": {"start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "ping"},
                     "ping": {"kind": "action", "set": {"n": 1}, "go_to": "pong"},
                     "pong": {"kind": "action", "set": {"n": 2}, "go_to": "ping"}}})",
       {{"/nodes/ping", "no result or fail can be reached from here: a loop with no way out"},
        {"/nodes/pong", "no result or fail can be reached from here: a loop with no way out"}}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.patch);
    std::vector<Problem> problems = problemsOf(fromPatch(row.patch));
    EXPECT_EQ(problems, row.expected) << listed(problems);
  }
}

TEST_F(ValidationTest, ALoopWithAWayOutIsAllowed) {
  EXPECT_EQ(problemsOf(fromPatch(R"({"nodes": {
      "start": {"kind": "action", "set": {"n": {"+": [{"var": ["n", 0]}, 1]}}, "go_to": "again?"},
      "again?": {"kind": "decision", "condition": {"<": [{"var": "n"}, 3]}, "if_true": "start", "if_false": "done"}}})")),
            std::vector<Problem>{});
}

TEST_F(ValidationTest, DuplicatesOnlyABuilderCanMakeAreNamed) {
  OperationDefinition definition = OperationBuilder("test.op", 1)
                                       .input("qty", InputType::Integer)
                                       .input("qty", InputType::Number)
                                       .startsWith("done")
                                       .result("done")
                                       .result("done")
                                       .build();
  EXPECT_EQ(problemsOf(definition), (std::vector<Problem>{{"/inputs/qty", "is declared twice"},
                                                          {"/nodes/done", "is declared twice"}}));
}

TEST_F(ValidationTest, EveryProblemIsListedAtOnce) {
  const OperationDefinition definition = fromPatch(R"({
    "version": 2, "roles": ["boss"], "inputs": {"qty": {"type": "integer", "min": 3, "max": 1}},
    "nodes": {
      "start": {"kind": "action", "handler": "test.check", "exits": {"denied": "done"},
                "set": {"n": {"frob": 1}}, "go_to": "dne"},
      "orphan": {"kind": "fail", "reason": "never"}
    }})");
  auto compiled = CompiledOperation::compile(definition, m_handlers, [](const std::string&) { return false; });
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().code, ErrorCode::InvalidDefinition);
  EXPECT_EQ(compiled.error().message, R"(operation "test.op" v2 has 5 problem(s))");
  EXPECT_EQ(compiled.error().problems,
            (std::vector<Problem>{
                {"/roles/0", R"(unknown role "boss" (use operator, supervisor, manager, admin))"},
                {"/inputs/qty/min", "is greater than max"},
                {"/nodes/start/go_to", R"(no node "dne")"},
                {"/nodes/orphan", R"(is unreachable from "start")"},
                {"/nodes/start/set/n/frob", R"(unknown operator "frob")"},
            }))
      << listed(compiled.error().problems);
}

TEST_F(ValidationTest, TheCatalogRefusesAndDoesNotAddAnInvalidDefinition) {
  OperationCatalog catalog(m_handlers);
  auto added = catalog.add(fromPatch(R"({"version": 0, "nodes": {"start": {"kind": "call", "operation": "test.sub",
                                                                           "on_success": "done"}}})"));
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::InvalidDefinition);
  EXPECT_EQ(added.error().message, "2 problem(s); no definition was added");
  EXPECT_EQ(added.error().problems,
            (std::vector<Problem>{{"test.op v0: /version", "must be 1 or more, not 0"},
                                  {"test.op v0: /nodes/start/operation", R"(no operation "test.sub" is known)"}}));
  EXPECT_FALSE(catalog.contains("test.op"));
  EXPECT_EQ(catalog.latest("test.op"), nullptr);
}

TEST_F(ValidationTest, ACompiledOperationKnowsTheStepsToAnEnd) {
  auto compiled = CompiledOperation::compile(fromPatch(R"({"nodes": {
      "start": {"kind": "decision", "condition": true, "if_true": "done", "if_false": "slow"},
      "slow": {"kind": "action", "set": {"a": 1}, "go_to": "done"}}})"),
                                             m_handlers, [](const std::string&) { return false; });
  ASSERT_TRUE(compiled.ok()) << compiled.error().describe();
  const CompiledOperation& op = *compiled.value();
  EXPECT_EQ(op.start(), op.indexOf("start"));
  EXPECT_EQ(op.indexOf("nope"), engine::kNoNode);
  EXPECT_EQ(op.nodes()[op.indexOf("done")].stepsToEnd, 1U);
  EXPECT_EQ(op.nodes()[op.indexOf("slow")].stepsToEnd, 2U);
  EXPECT_EQ(op.nodes()[op.indexOf("start")].stepsToEnd, 2U);
}

} // namespace
