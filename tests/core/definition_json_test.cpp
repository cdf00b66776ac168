// Definitions as JSON: every node kind reads into its struct and equals the builder's
// model; every shape problem is named by its JSON pointer, all at once; writing then
// reading gives an equal definition and keeps the authors' order of nodes and fields.
#include "opflow/builtin/Builtin.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/model/OperationBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using namespace opflow;
using namespace opflow::model;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A document with every kind of node and every input option, and the same operation built in C++.
constexpr const char* kEveryKindText = R"({
  "operation": "test.every_kind", "version": 3, "title": "Every kind", "description": "All of it",
  "roles": ["operator", "supervisor"],
  "inputs": {
    "qty": {"type": "integer", "required": true, "enum": [1, 2, 3], "min": 1, "max": 5, "description": "how many"},
    "ratio": {"type": "number", "default": 0.5, "min": 0, "max": 1},
    "ext": {"type": "string", "default": "pdf", "enum": ["pdf", "dwg"]},
    "rush": {"type": "boolean", "default": false},
    "document": {"type": "object", "required": true},
    "tags": {"type": "array", "default": []}
  },
  "starts_with": "enough?",
  "nodes": {
    "enough?": {"kind": "decision", "title": "Enough?", "condition": {">": [{"var": "qty"}, 1]},
                "if_true": "size?", "if_false": "stop"},
    "size?": {"kind": "decision", "cases": [{"when": {"==": [{"var": "qty"}, 2]}, "go_to": "work"},
                                            {"when": {"var": "rush"}, "go_to": "sub"}],
              "otherwise": "stop"},
    "work": {"kind": "action", "title": "Work", "handler": "test.check", "with": {"doc": {"var": "document.name"}},
             "set": {"b": 1, "a": {"var": "b"}}, "go_to": "sub", "exits": {"denied": "stop"}},
    "sub": {"kind": "call", "operation": "test.sub", "inputs": {"n": {"var": "qty"}, "label": "x"},
            "save_as": "outcome", "on_success": "park", "on_failure": "stop"},
    "park": {"kind": "wait", "signal": "approve", "save_as": "approval", "go_to": "nap",
             "timeout_s": 60, "on_timeout": "stop"},
    "nap": {"kind": "wait", "timer_s": 1.5, "go_to": "done"},
    "done": {"kind": "result", "outputs": ["a", "b"]},
    "summary": {"kind": "result", "outputs": {"total": {"+": [{"var": "a"}, 1]}}},
    "stop": {"kind": "fail", "reason": "stopped"},
    "explain": {"kind": "fail", "reason": {"cat": ["no ", {"var": "ext"}]}}
  }
})";

OperationDefinition everyKindDefinition() {
  return OperationBuilder("test.every_kind", 3)
      .title("Every kind")
      .description("All of it")
      .roles({"operator", "supervisor"})
      .input("qty", InputType::Integer,
             {.required = true, .allowed = {1, 2, 3}, .min = 1, .max = 5, .description = "how many"})
      .input("ratio", InputType::Number, {.defaultValue = 0.5, .min = 0, .max = 1})
      .input("ext", InputType::String, {.defaultValue = "pdf", .allowed = {"pdf", "dwg"}})
      .input("rush", InputType::Boolean, {.defaultValue = false})
      .input("document", InputType::Object, {.required = true})
      .input("tags", InputType::Array, {.defaultValue = Json::array()})
      .startsWith("enough?")
      .decision("enough?", {.condition = Json{{">", {Json{{"var", "qty"}}, 1}}}, .ifTrue = "size?", .ifFalse = "stop"})
      .titled("Enough?")
      .decision("size?", {.cases = {{Json{{"==", {Json{{"var", "qty"}}, 2}}}, "work"}, {Json{{"var", "rush"}}, "sub"}},
                          .otherwise = "stop"})
      .action("work", {.handler = "test.check",
                       .with = Json{{"doc", {{"var", "document.name"}}}},
                       .set = {{"b", 1}, {"a", Json{{"var", "b"}}}},
                       .goTo = "sub",
                       .exits = {{"denied", "stop"}}})
      .titled("Work")
      .call("sub", {.operation = "test.sub",
                    .inputs = {{"n", Json{{"var", "qty"}}}, {"label", "x"}},
                    .saveAs = "outcome",
                    .onSuccess = "park",
                    .onFailure = "stop"})
      .wait("park", {.signal = "approve", .saveAs = "approval", .goTo = "nap", .timeoutS = 60, .onTimeout = "stop"})
      .wait("nap", {.goTo = "done", .timerS = 1.5})
      .result("done", {.fields = {"a", "b"}})
      .result("summary", {.expressions = {{"total", Json{{"+", {Json{{"var", "a"}}, 1}}}}}})
      .fail("stop", {.reason = "stopped"})
      .fail("explain", {.reason = Json{{"cat", {"no ", Json{{"var", "ext"}}}}}})
      .build();
}

std::string listed(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    text += "\n  " + problem.pointer + ": " + problem.message;
  }
  return text;
}

TEST(DefinitionJsonTest, EveryNodeKindReadsIntoItsStruct) {
  auto parsed = definitionFromText(kEveryKindText);
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  const OperationDefinition& definition = parsed.value();

  std::vector<NodeKind> kinds;
  for (const Node& node : definition.nodes) {
    kinds.push_back(node.kind());
  }
  EXPECT_EQ(kinds, (std::vector<NodeKind>{NodeKind::Decision, NodeKind::Decision, NodeKind::Action, NodeKind::Call,
                                          NodeKind::Wait, NodeKind::Wait, NodeKind::Result, NodeKind::Result,
                                          NodeKind::Fail, NodeKind::Fail}));
  const auto& work = std::get<ActionNode>(definition.findNode("work")->spec);
  EXPECT_EQ(work.set, (Assignments{{"b", 1}, {"a", Json{{"var", "b"}}}})) << "set keeps the author's order";
  const auto& nap = std::get<WaitNode>(definition.findNode("nap")->spec);
  EXPECT_EQ(nap.timerS, 1.5);
  EXPECT_FALSE(nap.timeoutS.has_value());
  EXPECT_EQ(definition, everyKindDefinition()) << "JSON and the builder give the same model";
}

TEST(DefinitionJsonTest, EdgesOfEveryKindAreDeclaredInOrder) {
  struct Row {
    const char* node;
    std::vector<std::vector<std::string>> edges; // target, label, exit name
  };
  const std::vector<Row> rows = {
      {"enough?", {{"size?", "true", "true"}, {"stop", "false", "false"}}},
      {"size?", {{"work", "qty == 2", "case 1"}, {"sub", "rush", "case 2"}, {"stop", "otherwise", "otherwise"}}},
      {"work", {{"sub", "", ""}, {"stop", "denied", "denied"}}},
      {"sub", {{"park", "success", "success"}, {"stop", "failure", "failure"}}},
      {"park", {{"nap", "approve", "signal"}, {"stop", "timeout 60s", "timeout"}}},
      {"nap", {{"done", "after 1.5s", "timer"}}},
      {"done", {}},
      {"stop", {}},
  };
  const OperationDefinition definition = everyKindDefinition();
  for (const Row& row : rows) {
    SCOPED_TRACE(row.node);
    std::vector<std::vector<std::string>> edges;
    for (const Edge& edge : edgesOf(*definition.findNode(row.node))) {
      edges.push_back({edge.target, edge.label, edge.exitName});
    }
    EXPECT_EQ(edges, row.edges);
  }
}

// A valid document; each row changes it with a JSON merge patch (RFC 7386).
constexpr const char* kBase =
    R"({"operation": "test.op", "version": 1, "starts_with": "start", "nodes": {"start": {"kind": "result"}}})";

OrderedJson patched(const std::string& patch) {
  OrderedJson document = OrderedJson::parse(kBase);
  document.merge_patch(OrderedJson::parse(patch));
  return document;
}

TEST(DefinitionJsonTest, TheBaseDocumentReads) {
  auto parsed = definitionFromJson(patched("{}"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
}

TEST(DefinitionJsonTest, EachShapeProblemIsNamedByItsPointer) {
  struct Row {
    const char* patch;
    const char* pointer;
    const char* message;
  };
  const std::vector<Row> rows = {
      // the document
      {R"({"goto": "start"})", "/goto", R"(unknown key "goto" for an operation)"},
      {R"({"operation": null})", "/operation", "is required"},
      {R"({"operation": 7})", "/operation", "must be a string, not number"},
      {R"({"version": null})", "/version", "is required (a whole number, 1 or more)"},
      {R"({"version": 1.5})", "/version", "must be a whole number, not 1.5"},
      {R"({"version": "2"})", "/version", R"(must be a whole number, not "2")"},
      {R"({"title": ["a"]})", "/title", "must be a string, not array"},
      {R"({"starts_with": true})", "/starts_with", "must be a string, not boolean"},
      {R"({"roles": "operator"})", "/roles", "must be an array of strings, not string"},
      {R"({"roles": ["operator", 1]})", "/roles/1", "must be a string"},
      {R"({"nodes": null})", "/nodes", "is required: the operation has no nodes"},
      {R"({"nodes": ["start"]})", "/nodes", "must be an object, not array"},
      // inputs
      {R"({"inputs": "qty"})", "/inputs", "must be an object, not string"},
      {R"({"inputs": {"qty": 3}})", "/inputs/qty", "an input declaration must be an object"},
      {R"({"inputs": {"qty": {"required": true}}})", "/inputs/qty/type", "is required"},
      {R"({"inputs": {"qty": {"type": "text"}}})", "/inputs/qty/type",
       R"(unknown type "text" (use string, integer, number, boolean, object or array))"},
      {R"({"inputs": {"qty": {"type": 3}}})", "/inputs/qty/type", "must be a string, not number"},
      {R"({"inputs": {"qty": {"type": "integer", "minimum": 1}}})", "/inputs/qty/minimum",
       R"(unknown key "minimum" for an input)"},
      {R"({"inputs": {"qty": {"type": "integer", "required": "yes"}}})", "/inputs/qty/required",
       "must be true or false, not string"},
      {R"({"inputs": {"qty": {"type": "integer", "enum": 1}}})", "/inputs/qty/enum", "must be an array of allowed values"},
      {R"({"inputs": {"qty": {"type": "integer", "min": "1"}}})", "/inputs/qty/min", "must be a number, not string"},
      {R"({"inputs": {"qty": {"type": "integer", "max": [5]}}})", "/inputs/qty/max", "must be a number, not array"},
      {R"({"inputs": {"qty": {"type": "integer", "description": 1}}})", "/inputs/qty/description",
       "must be a string, not number"},
      // nodes of any kind
      {R"({"nodes": {"x": 3}})", "/nodes/x", R"(a node must be an object with a "kind")"},
      {R"({"nodes": {"x": {"go_to": "start"}}})", "/nodes/x/kind", "is required"},
      {R"({"nodes": {"x": {"kind": 3}}})", "/nodes/x/kind", "must be a string, not number"},
      {R"({"nodes": {"x": {"kind": "step"}}})", "/nodes/x/kind",
       R"(unknown kind "step" (use decision, action, call, wait, result or fail))"},
      {R"({"nodes": {"x": {"kind": ""}}})", "/nodes/x/kind",
       R"(unknown kind "" (use decision, action, call, wait, result or fail))"},
      {R"({"nodes": {"x": {"kind": "result", "title": 1}}})", "/nodes/x/title", "must be a string, not number"},
      // decision
      {R"({"nodes": {"x": {"kind": "decision", "condition": true, "if_true": "start", "if_false": "start", "else": "start"}}})",
       "/nodes/x/else", R"(unknown key "else" for a decision node)"},
      {R"({"nodes": {"x": {"kind": "decision", "condition": true, "if_true": 1, "if_false": "start"}}})",
       "/nodes/x/if_true", "must be a string, not number"},
      {R"({"nodes": {"x": {"kind": "decision", "cases": {"when": true, "go_to": "start"}}}})", "/nodes/x/cases",
       R"(must be an array of {"when", "go_to"} objects)"},
      {R"({"nodes": {"x": {"kind": "decision", "cases": ["start"]}}})", "/nodes/x/cases/0",
       R"(a case must be an object with "when" and "go_to")"},
      {R"({"nodes": {"x": {"kind": "decision", "cases": [{"go_to": "start"}]}}})", "/nodes/x/cases/0/when",
       "is required"},
      {R"({"nodes": {"x": {"kind": "decision", "cases": [{"when": true}]}}})", "/nodes/x/cases/0/go_to",
       "is required"},
      {R"({"nodes": {"x": {"kind": "decision", "cases": [{"when": true, "goto": "start", "go_to": "start"}]}}})",
       "/nodes/x/cases/0/goto", R"(unknown key "goto" for a case)"},
      // action
      {R"({"nodes": {"x": {"kind": "action", "set": {"a": 1}, "goto": "start"}}})", "/nodes/x/goto",
       R"(unknown key "goto" for an action node)"},
      {R"({"nodes": {"x": {"kind": "action", "handler": {"name": "h"}, "go_to": "start"}}})", "/nodes/x/handler",
       "must be a string, not object"},
      {R"({"nodes": {"x": {"kind": "action", "handler": "h", "with": [1], "go_to": "start"}}})", "/nodes/x/with",
       "must be an object, not array"},
      {R"({"nodes": {"x": {"kind": "action", "set": "a", "go_to": "start"}}})", "/nodes/x/set",
       "must be an object, not string"},
      {R"({"nodes": {"x": {"kind": "action", "handler": "h", "exits": ["denied"]}}})", "/nodes/x/exits",
       "must be an object, not array"},
      {R"({"nodes": {"x": {"kind": "action", "handler": "h", "exits": {"denied": 1}}}})", "/nodes/x/exits/denied",
       "must name the node this exit goes to"},
      // call
      {R"({"nodes": {"x": {"kind": "call", "on_success": "start"}}})", "/nodes/x/operation", "is required"},
      {R"({"nodes": {"x": {"kind": "call", "operation": "o", "on_success": "start", "on_error": "start"}}})",
       "/nodes/x/on_error", R"(unknown key "on_error" for a call node)"},
      {R"({"nodes": {"x": {"kind": "call", "operation": "o", "inputs": [1], "on_success": "start"}}})",
       "/nodes/x/inputs", "must be an object, not array"},
      {R"({"nodes": {"x": {"kind": "call", "operation": "o", "save_as": 1, "on_success": "start"}}})",
       "/nodes/x/save_as", "must be a string, not number"},
      // wait
      {R"({"nodes": {"x": {"kind": "wait", "timer_s": "10", "go_to": "start"}}})", "/nodes/x/timer_s",
       "must be a number, not string"},
      {R"({"nodes": {"x": {"kind": "wait", "signal": "s", "timeout_s": true, "on_timeout": "start", "go_to": "start"}}})",
       "/nodes/x/timeout_s", "must be a number, not boolean"},
      {R"({"nodes": {"x": {"kind": "wait", "signal": "s", "go_to": "start", "timeout": 5}}})", "/nodes/x/timeout",
       R"(unknown key "timeout" for a wait node)"},
      // result and fail
      {R"({"nodes": {"x": {"kind": "result", "outputs": "a"}}})", "/nodes/x/outputs",
       "must be a list of fields or an object of field: expression"},
      {R"({"nodes": {"x": {"kind": "result", "outputs": ["a", 1]}}})", "/nodes/x/outputs/1", "must be a string"},
      {R"({"nodes": {"x": {"kind": "result", "output": ["a"]}}})", "/nodes/x/output",
       R"(unknown key "output" for a result node)"},
      {R"({"nodes": {"x": {"kind": "fail"}}})", "/nodes/x/reason", "is required: say why the operation fails"},
      {R"({"nodes": {"x": {"kind": "fail", "reason": "r", "go_to": "start"}}})", "/nodes/x/go_to",
       R"(unknown key "go_to" for a fail node)"},
      // names with "/" and "~" are escaped per RFC 6901
      {R"({"nodes": {"a/b~c": {"kind": "result", "goto": "start"}}})", "/nodes/a~1b~0c/goto",
       R"(unknown key "goto" for a result node)"},
      {R"({"inputs": {"x/y": {"type": "text"}}})", "/inputs/x~1y/type",
       R"(unknown type "text" (use string, integer, number, boolean, object or array))"},
      {R"({"nodes": {"x": {"kind": "action", "handler": "h", "exits": {"no/way~": 1}}}})", "/nodes/x/exits/no~1way~0",
       "must name the node this exit goes to"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.patch);
    auto parsed = definitionFromJson(patched(row.patch));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidDefinition);
    EXPECT_EQ(parsed.error().problems, (std::vector<Problem>{{row.pointer, row.message}}))
        << listed(parsed.error().problems);
  }
}

TEST(DefinitionJsonTest, EveryProblemIsReportedAtOnce) {
  auto parsed = definitionFromJson(
      patched(R"({"goto": "start", "version": "one", "nodes": {"x": {"kind": "step"}, "y": {"kind": "fail"}}})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, R"(operation "test.op" has 4 problem(s))");
  EXPECT_EQ(parsed.error().problems,
            (std::vector<Problem>{
                {"/goto", R"(unknown key "goto" for an operation)"},
                {"/version", R"(must be a whole number, not "one")"},
                {"/nodes/x/kind", R"(unknown kind "step" (use decision, action, call, wait, result or fail))"},
                {"/nodes/y/reason", "is required: say why the operation fails"},
            }))
      << listed(parsed.error().problems);
}

TEST(DefinitionJsonTest, ADocumentThatIsNotAnObjectIsRefused) {
  auto parsed = definitionFromJson(OrderedJson::array({1, 2}));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "operation has 1 problem(s)");
  EXPECT_EQ(parsed.error().problems, (std::vector<Problem>{{"", "an operation definition must be a JSON object"}}));
}

TEST(DefinitionJsonTest, TextThatIsNotJsonIsRefused) {
  auto parsed = definitionFromText(R"({"operation": "test.op", "version": 1,)");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidDefinition);
  EXPECT_EQ(parsed.error().message, "not valid JSON");
  ASSERT_EQ(parsed.error().problems.size(), 1U);
  EXPECT_EQ(parsed.error().problems[0].pointer, "");
  EXPECT_THAT(parsed.error().problems[0].message, StartsWith("not valid JSON: "));
  EXPECT_THAT(parsed.error().problems[0].message, HasSubstr("parse error"));
}

TEST(DefinitionJsonTest, ShippedDefinitionsSurviveWritingAndReading) {
  auto shipped = builtin::definitions();
  ASSERT_TRUE(shipped.ok()) << shipped.error().describe();
  ASSERT_FALSE(shipped.value().empty());
  for (const OperationDefinition& definition : shipped.value()) {
    SCOPED_TRACE(definition.name);
    auto fromJson = definitionFromJson(definitionToJson(definition));
    ASSERT_TRUE(fromJson.ok()) << fromJson.error().describe();
    EXPECT_EQ(fromJson.value(), definition);
    auto fromText = definitionFromText(definitionToJson(definition).dump(2));
    ASSERT_TRUE(fromText.ok()) << fromText.error().describe();
    EXPECT_EQ(fromText.value(), definition);
  }
}

TEST(DefinitionJsonTest, ABuiltDefinitionSurvivesWritingAndReading) {
  const OperationDefinition built = everyKindDefinition();
  auto fromJson = definitionFromJson(definitionToJson(built));
  ASSERT_TRUE(fromJson.ok()) << fromJson.error().describe();
  EXPECT_EQ(fromJson.value(), built);
  auto fromText = definitionFromText(definitionToJson(built).dump());
  ASSERT_TRUE(fromText.ok()) << fromText.error().describe();
  EXPECT_EQ(fromText.value(), built);
}

TEST(DefinitionJsonTest, WritingKeepsTheAuthorsOrder) {
  // Written in the writer's own key order, so reading and writing gives the same text.
  const std::string text = OrderedJson::parse(R"({
    "operation": "test.order", "version": 1, "title": "Order", "roles": ["supervisor", "operator"],
    "inputs": {"zeta": {"type": "string"}, "alpha": {"type": "integer", "required": true}},
    "starts_with": "zulu",
    "nodes": {
      "zulu": {"kind": "action", "set": {"y": 1, "x": {"var": "y"}}, "go_to": "alpha"},
      "alpha": {"kind": "decision", "condition": {"var": "x"}, "if_true": "mike", "if_false": "bravo"},
      "mike": {"kind": "result", "outputs": {"y": {"var": "y"}, "x": {"var": "x"}}},
      "bravo": {"kind": "result", "outputs": ["y", "x"]}
    }
  })").dump();
  auto parsed = definitionFromText(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(definitionToJson(parsed.value()).dump(), text);
}

} // namespace
