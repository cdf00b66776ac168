// The DOT and Mermaid flowchart exports: shapes by kind, labels, edges with the labels
// model::edgesOf gives, the start marker, escaping of awkward names, determinism.
#include "opflow/export/GraphExport.h"
#include "opflow/model/OperationBuilder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace {

using opflow::Json;
using opflow::exporting::toDot;
using opflow::exporting::toMermaid;
using opflow::model::DecisionNode;
using opflow::model::OperationBuilder;
using opflow::model::OperationDefinition;

// Every node kind: a decision with a condition, one with cases, an action with a handler
// and exits, one with go_to, a call with success/failure, a wait on a signal with a
// timeout, a timer wait, a result and a fail.
OperationDefinition reviewOperation() {
  return OperationBuilder("order.review", 3)
      .title("Review an order")
      .startsWith("big?")
      .decision("big?", {.condition = Json::parse(R"({">=": [{"var": "amount"}, 1000]})"),
                         .ifTrue = "approve",
                         .ifFalse = "route"})
      .decision("route", {.cases = {{Json::parse(R"({"==": [{"var": "region"}, "eu"]})"), "eu_check"},
                                    {Json::parse(R"({"<": [{"var": "amount"}, 10]})"), "cool_down"}},
                          .otherwise = "manual"})
      .action("approve",
              {.handler = "orders.approve", .exits = {{"approved", "cool_down"}, {"rejected", "rejected"}}})
      .titled("Approve the order")
      .call("eu_check",
            {.operation = "compliance.check", .saveAs = "check", .onSuccess = "stamp", .onFailure = "rejected"})
      .wait("manual", {.signal = "supervisor.decision",
                       .saveAs = "decision",
                       .goTo = "stamp",
                       .timeoutS = 3600,
                       .onTimeout = "rejected"})
      .wait("cool_down", {.goTo = "stamp", .timerS = 2.5})
      .action("stamp", {.set = {{"status", Json("ok")}}, .goTo = "done"})
      .result("done", {.fields = {"status"}})
      .fail("rejected", {.reason = "rejected"})
      .build();
}

// A name and a title holding a quote, a backslash, a newline and Mermaid's special characters.
OperationDefinition awkwardOperation() {
  return OperationBuilder("say \"it\"", 1)
      .title("line one\nline \\two")
      .startsWith("say \"hi\"\\now")
      .action("say \"hi\"\\now", {.goTo = "a<b> & #c|d`"})
      .result("a<b> & #c|d`")
      .titled("two\nlines")
      .build();
}

Json bigAmount() { return Json::parse(R"({">=": [{"var": "amount"}, 1000]})"); }

// One decision "big?" leading to the result "done".
OperationDefinition limitOperation(DecisionNode decision) {
  return OperationBuilder("limits", 1).startsWith("big?").decision("big?", std::move(decision)).result("done").build();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// DOT quoting is valid when every quoted string closes on its own line (a backslash escapes
// the next character) and braces outside strings balance.
bool validDotQuoting(const std::string& dot) {
  bool inString = false;
  int depth = 0;
  for (std::size_t i = 0; i < dot.size(); ++i) {
    const char c = dot[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      } else if (c == '\n') {
        return false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
    }
  }
  return !inString && depth == 0;
}

// Mermaid has no escape inside quotes: every line must hold an even number of quotes.
bool validMermaidQuoting(const std::string& mermaid) {
  std::size_t quotes = 0;
  for (char c : mermaid) {
    if (c == '"') {
      ++quotes;
    } else if (c == '\n') {
      if (quotes % 2 != 0) {
        return false;
      }
      quotes = 0;
    }
  }
  return quotes == 0;
}

TEST(GraphExportTest, DotDeclaresTheGraphWithTitleAndVersion) {
  const std::string dot = toDot(reviewOperation());
  EXPECT_EQ(dot.rfind("digraph \"order.review\" {\n", 0), 0U) << dot;
  EXPECT_TRUE(contains(dot, "graph [rankdir=TB, label=\"Review an order\\norder.review v3\", labelloc=t, "
                            "fontname=\"Helvetica\"];"))
      << dot;
  EXPECT_TRUE(contains(dot, "node [fontname=\"Helvetica\""));
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
  EXPECT_FALSE(contains(dot, "ortho"));
  EXPECT_TRUE(validDotQuoting(dot)) << dot;
}

TEST(GraphExportTest, DotGraphLabelWithoutTitleIsNameAndVersion) {
  const std::string dot = toDot(OperationBuilder("x.y", 7).startsWith("done").result("done").build());
  EXPECT_TRUE(contains(dot, "label=\"x.y v7\", labelloc=t")) << dot;
}

TEST(GraphExportTest, DotShapesAndLabelsByKind) {
  const std::string dot = toDot(reviewOperation());
  EXPECT_TRUE(contains(dot, R"("big?" [label="big?\namount >= 1000", shape=diamond, style=filled, )"
                            R"(fillcolor="#fff8e1"];)"))
      << dot;
  EXPECT_TRUE(contains(dot, R"("route" [label="route", shape=diamond,)"));
  EXPECT_TRUE(contains(dot, R"("approve" [label="Approve the order\norders.approve", shape=box, style=rounded];)"));
  EXPECT_TRUE(contains(dot, R"("stamp" [label="stamp", shape=box, style=rounded];)"));
  EXPECT_TRUE(contains(dot, R"("eu_check" [label="eu_check\n→ compliance.check", shape=box, peripheries=2];)"));
  EXPECT_TRUE(contains(dot, R"("manual" [label="manual\nsupervisor.decision", shape=hexagon];)"));
  EXPECT_TRUE(contains(dot, R"("cool_down" [label="cool_down\ntimer 2.5s", shape=hexagon];)"));
  EXPECT_TRUE(contains(dot, R"("done" [label="done", shape=oval, style=filled, fillcolor="#d4edda")"));
  EXPECT_TRUE(contains(dot, R"("rejected" [label="rejected", shape=octagon, style=filled, fillcolor="#f8d7da")"));
}

TEST(GraphExportTest, DotEdgesCarryTheirLabels) {
  const std::string dot = toDot(reviewOperation());
  EXPECT_TRUE(contains(dot, R"("big?" -> "approve" [label="true"];)")) << dot;
  EXPECT_TRUE(contains(dot, R"("big?" -> "route" [label="false"];)"));
  EXPECT_TRUE(contains(dot, R"("route" -> "eu_check" [label="region == \"eu\""];)"));
  EXPECT_TRUE(contains(dot, R"("route" -> "cool_down" [label="amount < 10"];)"));
  EXPECT_TRUE(contains(dot, R"("route" -> "manual" [label="otherwise"];)"));
  EXPECT_TRUE(contains(dot, R"("approve" -> "cool_down" [label="approved"];)"));
  EXPECT_TRUE(contains(dot, R"("approve" -> "rejected" [label="rejected"];)"));
  EXPECT_TRUE(contains(dot, R"("eu_check" -> "stamp" [label="success"];)"));
  EXPECT_TRUE(contains(dot, R"("eu_check" -> "rejected" [label="failure"];)"));
  EXPECT_TRUE(contains(dot, R"("manual" -> "stamp" [label="supervisor.decision"];)"));
  EXPECT_TRUE(contains(dot, R"("manual" -> "rejected" [label="timeout 3600s"];)"));
  EXPECT_TRUE(contains(dot, R"("cool_down" -> "stamp" [label="after 2.5s"];)"));
  EXPECT_TRUE(contains(dot, "  \"stamp\" -> \"done\";\n"));
  EXPECT_FALSE(contains(dot, "label=\"\""));
}

TEST(GraphExportTest, DotConditionLabelComesFromDescribe) {
  const std::string condition = toDot(limitOperation({.condition = bigAmount(), .ifTrue = "done"}));
  EXPECT_TRUE(contains(condition, R"("big?" [label="big?\namount >= 1000", shape=diamond)")) << condition;
  EXPECT_TRUE(contains(condition, R"("big?" -> "done" [label="true"];)"));

  const std::string cases = toDot(limitOperation({.cases = {{bigAmount(), "done"}}}));
  EXPECT_TRUE(contains(cases, R"("big?" [label="big?", shape=diamond)")) << cases;
  EXPECT_TRUE(contains(cases, R"("big?" -> "done" [label="amount >= 1000"];)"));
}

TEST(GraphExportTest, DotMarksTheStartWithoutCollidingWithANodeNamedStart) {
  const std::string dot = toDot(reviewOperation());
  EXPECT_TRUE(contains(dot, R"("start" [shape=point, width=0.15];)")) << dot;
  EXPECT_TRUE(contains(dot, R"("start" -> "big?";)"));

  const std::string named = toDot(OperationBuilder("s", 1).startsWith("start").result("start").build());
  EXPECT_TRUE(contains(named, R"("_start" [shape=point, width=0.15];)")) << named;
  EXPECT_TRUE(contains(named, R"("_start" -> "start";)"));
  EXPECT_TRUE(contains(named, R"("start" [label="start", shape=oval)"));
}

TEST(GraphExportTest, DotNodesFollowDeclarationOrder) {
  const std::string dot = toDot(reviewOperation());
  std::size_t previous = 0;
  for (const char* name :
       {"big?", "route", "approve", "eu_check", "manual", "cool_down", "stamp", "done", "rejected"}) {
    const std::size_t at = dot.find(std::string("  \"") + name + "\" [label=");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(at, previous) << name;
    previous = at;
  }
}

TEST(GraphExportTest, DotEscapesQuotesBackslashesAndNewlines) {
  const std::string dot = toDot(awkwardOperation());
  EXPECT_EQ(dot.rfind(R"(digraph "say \"it\"" {)", 0), 0U) << dot;
  EXPECT_TRUE(contains(dot, R"(label="line one\nline \\two\nsay \"it\" v1")"));
  EXPECT_TRUE(contains(dot, R"("say \"hi\"\\now" [label="say \"hi\"\\now", shape=box, style=rounded];)"));
  EXPECT_TRUE(contains(dot, R"("say \"hi\"\\now" -> "a<b> & #c|d`";)"));
  EXPECT_TRUE(contains(dot, R"("a<b> & #c|d`" [label="two\nlines", shape=oval)"));
  EXPECT_TRUE(validDotQuoting(dot)) << dot;
}

TEST(GraphExportTest, DotRendersWithGraphvizWhenInstalled) {
  if (!std::filesystem::exists("/usr/bin/dot")) {
    GTEST_SKIP() << "Graphviz is not installed";
  }
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "opflow_graph_export_test.dot";
  for (const OperationDefinition& definition : {reviewOperation(), awkwardOperation()}) {
    std::ofstream(file) << toDot(definition);
    const std::string command = "/usr/bin/dot -Tsvg '" + file.string() + "' > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << toDot(definition);
  }
  std::filesystem::remove(file);
}

TEST(GraphExportTest, MermaidShapesAndLabelsByKind) {
  const std::string mermaid = toMermaid(reviewOperation());
  EXPECT_EQ(mermaid.rfind("flowchart TD\n", 0), 0U) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  n0{\"big?<br/>amount #gt;= 1000\"}\n")) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  n1{\"route\"}\n"));
  EXPECT_TRUE(contains(mermaid, "  n2[\"Approve the order<br/>orders.approve\"]\n"));
  EXPECT_TRUE(contains(mermaid, "  n3[[\"eu_check<br/>→ compliance.check\"]]\n"));
  EXPECT_TRUE(contains(mermaid, "  n4{{\"manual<br/>supervisor.decision\"}}\n"));
  EXPECT_TRUE(contains(mermaid, "  n5{{\"cool_down<br/>timer 2.5s\"}}\n"));
  EXPECT_TRUE(contains(mermaid, "  n6[\"stamp\"]\n"));
  EXPECT_TRUE(contains(mermaid, "  n7([\"done\"])\n"));
  EXPECT_TRUE(contains(mermaid, "  n8[/\"rejected\"/]\n"));
  EXPECT_TRUE(contains(mermaid, "  classDef result fill:#d4edda"));
  EXPECT_TRUE(contains(mermaid, "  class n7 result\n"));
  EXPECT_TRUE(contains(mermaid, "  class n8 fail\n"));
  EXPECT_TRUE(validMermaidQuoting(mermaid)) << mermaid;
}

TEST(GraphExportTest, MermaidEdgesCarryTheirLabels) {
  const std::string mermaid = toMermaid(reviewOperation());
  EXPECT_TRUE(contains(mermaid, "  start((\"start\"))\n")) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  start --> n0\n"));
  EXPECT_TRUE(contains(mermaid, "  n0 -->|\"true\"| n2\n"));
  EXPECT_TRUE(contains(mermaid, "  n0 -->|\"false\"| n1\n"));
  EXPECT_TRUE(contains(mermaid, "  n1 -->|\"region == #quot;eu#quot;\"| n3\n"));
  EXPECT_TRUE(contains(mermaid, "  n1 -->|\"amount #lt; 10\"| n5\n"));
  EXPECT_TRUE(contains(mermaid, "  n1 -->|\"otherwise\"| n4\n"));
  EXPECT_TRUE(contains(mermaid, "  n2 -->|\"approved\"| n5\n"));
  EXPECT_TRUE(contains(mermaid, "  n2 -->|\"rejected\"| n8\n"));
  EXPECT_TRUE(contains(mermaid, "  n3 -->|\"success\"| n6\n"));
  EXPECT_TRUE(contains(mermaid, "  n3 -->|\"failure\"| n8\n"));
  EXPECT_TRUE(contains(mermaid, "  n4 -->|\"supervisor.decision\"| n6\n"));
  EXPECT_TRUE(contains(mermaid, "  n4 -->|\"timeout 3600s\"| n8\n"));
  EXPECT_TRUE(contains(mermaid, "  n5 -->|\"after 2.5s\"| n6\n"));
  EXPECT_TRUE(contains(mermaid, "  n6 --> n7\n"));
}

TEST(GraphExportTest, MermaidConditionLabelComesFromDescribe) {
  const std::string mermaid = toMermaid(limitOperation({.condition = bigAmount(), .ifTrue = "done"}));
  EXPECT_TRUE(contains(mermaid, "  n0{\"big?<br/>amount #gt;= 1000\"}\n")) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  n0 -->|\"true\"| n1\n"));

  const std::string cases = toMermaid(limitOperation({.cases = {{bigAmount(), "done"}}}));
  EXPECT_TRUE(contains(cases, "  n0 -->|\"amount #gt;= 1000\"| n1\n")) << cases;
}

TEST(GraphExportTest, MermaidEscapesQuotesAndSpecialCharacters) {
  const std::string mermaid = toMermaid(awkwardOperation());
  EXPECT_TRUE(contains(mermaid, "  n0[\"say #quot;hi#quot;\\now\"]\n")) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  n1([\"two<br/>lines\"])\n"));
  EXPECT_TRUE(contains(mermaid, "  start --> n0\n"));
  EXPECT_TRUE(contains(mermaid, "  n0 --> n1\n"));
  EXPECT_TRUE(validMermaidQuoting(mermaid)) << mermaid;

  const std::string named = toMermaid(
      OperationBuilder("n", 1).startsWith("a<b> & #c|d`").result("a<b> & #c|d`").build());
  EXPECT_TRUE(contains(named, "  n0([\"a#lt;b#gt; #amp; #35;c#124;d#96;\"])\n")) << named;
}

TEST(GraphExportTest, MermaidGivesUndeclaredTargetsTheirOwnNodes) {
  const std::string mermaid =
      toMermaid(OperationBuilder("broken", 1).startsWith("go").action("go", {.goTo = "nowhere"}).build());
  EXPECT_TRUE(contains(mermaid, "  n1[\"nowhere\"]\n")) << mermaid;
  EXPECT_TRUE(contains(mermaid, "  n0 --> n1\n"));
  EXPECT_FALSE(contains(mermaid, "class n"));
}

TEST(GraphExportTest, OutputIsDeterministic) {
  EXPECT_EQ(toDot(reviewOperation()), toDot(reviewOperation()));
  EXPECT_EQ(toMermaid(reviewOperation()), toMermaid(reviewOperation()));
  const OperationDefinition definition = reviewOperation();
  EXPECT_EQ(toDot(definition), toDot(definition));
  EXPECT_EQ(toMermaid(definition), toMermaid(definition));
}

} // namespace
