// layoutFlowchart() on real Graphviz: every shipped operation lays out with every node and
// edge, boxes that do not overlap and labels; layouts are deterministic; hostile
// definitions are refused or bounded; unvalidated ones do not crash.
#include "opflow/builtin/Builtin.h"
#include "opflow/engine/CompiledOperation.h"
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/model/OperationBuilder.h"
#include "opflow/testing/GeneratedOperation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace opflow;
using namespace opflow::flowchart;

std::vector<model::OperationDefinition> shipped() {
  auto definitions = builtin::definitions();
  EXPECT_TRUE(definitions.ok()) << definitions.error().describe();
  return definitions.ok() ? definitions.value() : std::vector<model::OperationDefinition>{};
}

bool inside(const Rect& inner, const Rect& outer) {
  constexpr double kSlack = 0.5;
  return inner.x >= outer.x - kSlack && inner.y >= outer.y - kSlack &&
         inner.x + inner.width <= outer.x + outer.width + kSlack &&
         inner.y + inner.height <= outer.y + outer.height + kSlack;
}

// Checks the geometry against its definition: every node once, every edge with a spline
// of at least 4 points inside the drawing, labels present, no two boxes overlapping.
void expectComplete(const model::OperationDefinition& definition, const FlowchartGeometry& geometry) {
  SCOPED_TRACE(definition.name);
  EXPECT_EQ(geometry.operation, definition.name);
  EXPECT_EQ(geometry.version, definition.version);
  EXPECT_EQ(geometry.contentHash, engine::contentHashOf(definition));
  EXPECT_FALSE(geometry.title.empty());
  EXPECT_GT(geometry.bounds.width, 0);
  EXPECT_GT(geometry.bounds.height, 0);
  EXPECT_TRUE(inside(geometry.titleBounds, geometry.bounds));

  ASSERT_EQ(geometry.nodes.size(), definition.nodes.size() + 1);
  EXPECT_EQ(geometry.nodes.front().kind, BoxKind::Start);
  for (std::size_t i = 0; i < definition.nodes.size(); ++i) {
    const model::Node& node = definition.nodes[i];
    const NodeBox& box = geometry.nodes[i + 1];
    EXPECT_EQ(box.name, node.name);
    EXPECT_EQ(box.kind, boxKindOf(node.kind()));
    ASSERT_FALSE(box.lines.empty()) << node.name;
    const std::string& text = node.title.empty() ? node.name : node.title;
    EXPECT_EQ(text.rfind(box.lines.front(), 0), 0U) << box.lines.front(); // its first line, maybe wrapped
    EXPECT_GT(box.bounds.width, 0);
    EXPECT_GT(box.bounds.height, 0);
    EXPECT_TRUE(inside(box.bounds, geometry.bounds)) << node.name;
    EXPECT_EQ(geometry.findNode(node.name), &box);
  }
  for (std::size_t a = 0; a < geometry.nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < geometry.nodes.size(); ++b) {
      EXPECT_FALSE(geometry.nodes[a].bounds.intersects(geometry.nodes[b].bounds))
          << geometry.nodes[a].name << " overlaps " << geometry.nodes[b].name;
    }
  }

  std::vector<std::tuple<std::string, std::string, std::string>> expected{{"", definition.startsWith, ""}};
  for (const model::Node& node : definition.nodes) {
    for (const model::Edge& edge : model::edgesOf(node)) {
      expected.emplace_back(node.name, edge.target, edge.exitName);
    }
  }
  ASSERT_EQ(geometry.edges.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const EdgeRoute& route = geometry.edges[i];
    EXPECT_EQ(std::tie(route.from, route.to, route.exitName), expected[i]);
    EXPECT_GE(route.points.size(), 4U) << route.from << " -> " << route.to;
    EXPECT_EQ((route.points.size() - 1) % 3, 0U);
    ASSERT_TRUE(route.arrowTip.has_value()) << route.from << " -> " << route.to;
    for (const Point& p : route.points) {
      EXPECT_TRUE(inside(Rect{p.x, p.y, 0, 0}, geometry.bounds)) << route.from << " -> " << route.to;
    }
    EXPECT_EQ(route.labelBounds.has_value(), !route.label.empty()) << route.from << " -> " << route.to;
  }
}

TEST(FlowchartLayoutTest, EveryShippedOperationLaysOutWhole) {
  const auto definitions = shipped();
  ASSERT_FALSE(definitions.empty());
  for (const model::OperationDefinition& definition : definitions) {
    auto geometry = layoutFlowchart(definition);
    ASSERT_TRUE(geometry.ok()) << definition.name << ": " << geometry.error().describe();
    expectComplete(definition, *geometry);
  }
}

TEST(FlowchartLayoutTest, EdgeLabelsAreTheModelsLabels) {
  const auto definition = model::OperationBuilder("labels", 1)
                              .startsWith("ok?")
                              .decision("ok?", {.condition = Json{{"var", "ok"}}, .ifTrue = "done", .ifFalse = "no"})
                              .result("done")
                              .fail("no", {.reason = "not ok"})
                              .build();
  auto geometry = layoutFlowchart(definition);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  ASSERT_EQ(geometry->edges.size(), 3U);
  EXPECT_EQ(geometry->edges[1].label, "true");
  EXPECT_EQ(geometry->edges[2].label, "false");
  EXPECT_EQ(geometry->title, (std::vector<std::string>{"labels v1"}));
  // Top to bottom: the decision is above both of its ends.
  EXPECT_LT(geometry->findNode("ok?")->bounds.y, geometry->findNode("done")->bounds.y);
  EXPECT_LT(geometry->findNode("")->bounds.y, geometry->findNode("ok?")->bounds.y);
}

TEST(FlowchartLayoutTest, GeneratedOperationsLayOutWhole) {
  for (std::size_t count : {2U, 50U, 200U}) {
    const auto definition = opflow::testing::generatedOperation(count);
    ASSERT_EQ(definition.nodes.size(), count);
    auto geometry = layoutFlowchart(definition);
    ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
    expectComplete(definition, *geometry);
  }
}

TEST(FlowchartLayoutTest, LayoutIsDeterministic) {
  const auto definition = opflow::testing::generatedOperation(120, 7);
  auto first = layoutFlowchart(definition);
  auto second = layoutFlowchart(definition);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->nodes.size(), second->nodes.size());
  for (std::size_t i = 0; i < first->nodes.size(); ++i) {
    EXPECT_EQ(first->nodes[i].bounds, second->nodes[i].bounds);
    EXPECT_EQ(first->nodes[i].lines, second->nodes[i].lines);
  }
  ASSERT_EQ(first->edges.size(), second->edges.size());
  for (std::size_t i = 0; i < first->edges.size(); ++i) {
    EXPECT_EQ(first->edges[i].points, second->edges[i].points);
    EXPECT_EQ(first->edges[i].arrowTip, second->edges[i].arrowTip);
    EXPECT_EQ(first->edges[i].labelBounds, second->edges[i].labelBounds);
  }
  EXPECT_EQ(first->bounds, second->bounds);
}

TEST(FlowchartLayoutTest, TooManyNodesAreRefusedNamingCountAndLimit) {
  const auto definition = opflow::testing::generatedOperation(5000);
  auto geometry = layoutFlowchart(definition);
  ASSERT_FALSE(geometry.ok());
  EXPECT_EQ(geometry.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(geometry.error().message.find("5000 nodes"), std::string::npos) << geometry.error().message;
  EXPECT_NE(geometry.error().message.find("at most 1000"), std::string::npos) << geometry.error().message;
}

TEST(FlowchartLayoutTest, TooManyEdgesAreRefusedNamingCountAndLimit) {
  const auto definition = opflow::testing::generatedOperation(60);
  auto geometry = layoutFlowchart(definition, LayoutLimits{.maxEdges = 10});
  ASSERT_FALSE(geometry.ok());
  EXPECT_EQ(geometry.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(geometry.error().message.find("edges; a flowchart is laid out for at most 10"), std::string::npos)
      << geometry.error().message;
}

// A 1000-node chain whose labels are 10 KB of unicode, quotes, angle brackets and
// backslashes lays out, with every label cut to the limits.
TEST(FlowchartLayoutTest, HostileChainLaysOutBounded) {
  std::string huge;
  while (huge.size() < 10'000) {
    huge += "«ünïcødé» \"quoted\" <b>&amp;</b> \\N \\G back\\slash ✓ 漢字 ";
  }
  model::OperationDefinition definition;
  definition.name = "hostile \"chain\" <x>";
  definition.title = huge;
  definition.startsWith = "n0";
  constexpr std::size_t kCount = 1000;
  for (std::size_t i = 0; i < kCount; ++i) {
    model::Node node;
    node.name = "n" + std::to_string(i);
    node.title = i % 2 == 0 ? huge : std::string(10'000, 'w') + "\n\t\x01tail";
    if (i + 1 < kCount) {
      node.spec = model::ActionNode{"", Json::object(), {}, "n" + std::to_string(i + 1), {}};
    } else {
      node.spec = model::ResultNode{};
    }
    definition.nodes.push_back(std::move(node));
  }
  const LayoutLimits limits;
  auto geometry = layoutFlowchart(definition, limits);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  ASSERT_EQ(geometry->nodes.size(), kCount + 1);
  for (const NodeBox& box : geometry->nodes) {
    EXPECT_LE(box.lines.size(), limits.maxLines);
    for (const std::string& line : box.lines) {
      EXPECT_LE(line.size(), limits.maxLineChars * 4); // code points of at most 4 bytes
      EXPECT_EQ(line.find('\x01'), std::string::npos);
    }
    EXPECT_LT(box.bounds.width, 600) << box.name; // an oval around 4 lines of 40 wide glyphs
  }
  EXPECT_EQ(geometry->nodes[1].lines.back().substr(geometry->nodes[1].lines.back().size() - 3), "…");
  EXPECT_EQ(geometry->nodes[2].lines.front(), std::string(limits.maxLineChars - 1, 'w') + "…");
  EXPECT_EQ(geometry->nodes[2].lines.back(), "tail");
  EXPECT_LE(geometry->title.size(), limits.maxLines);
}

TEST(FlowchartLayoutTest, UndeclaredTargetGetsAPlainBox) {
  model::OperationDefinition definition;
  definition.name = "dangling";
  definition.startsWith = "a";
  definition.nodes.push_back(model::Node{"a", "", model::ActionNode{"", Json::object(), {}, "nowhere", {}}});
  auto geometry = layoutFlowchart(definition);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  ASSERT_EQ(geometry->nodes.size(), 3U);
  EXPECT_EQ(geometry->nodes[2].name, "nowhere");
  EXPECT_EQ(geometry->nodes[2].kind, BoxKind::Action);
  ASSERT_EQ(geometry->edges.size(), 2U);
  EXPECT_EQ(geometry->edges[1].to, "nowhere");
  EXPECT_GE(geometry->edges[1].points.size(), 4U);
}

// One node fanning out to thousands of targets that no node declares: every target is a
// box, so the node limit counts them, before Graphviz is asked for a 3,000-wide rank.
TEST(FlowchartLayoutTest, UndeclaredTargetsCountAgainstTheNodeLimit) {
  model::DecisionNode fan;
  for (int i = 0; i < 3000; ++i) {
    fan.cases.push_back(model::DecisionCase{Json{{"==", Json::array({Json{{"var", "x"}}, i})}}, fmt::format("t{}", i)});
  }
  model::OperationDefinition definition;
  definition.name = "fan";
  definition.startsWith = "pick";
  definition.nodes.push_back(model::Node{"pick", "", fan});
  auto geometry = layoutFlowchart(definition);
  ASSERT_FALSE(geometry.ok());
  EXPECT_EQ(geometry.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(geometry.error().message.find("3001 nodes, 3000 of them only named as edge targets"), std::string::npos)
      << geometry.error().message;
}

TEST(FlowchartLayoutTest, StartNamingAnUndeclaredNodeStillDraws) {
  model::OperationDefinition definition;
  definition.name = "no start";
  definition.startsWith = "missing";
  auto geometry = layoutFlowchart(definition);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  ASSERT_EQ(geometry->nodes.size(), 2U);
  EXPECT_EQ(geometry->nodes[1].name, "missing");
  ASSERT_EQ(geometry->edges.size(), 1U);
}

TEST(FlowchartLayoutTest, EmptyDefinitionHasOnlyItsTitle) {
  model::OperationDefinition definition;
  auto geometry = layoutFlowchart(definition);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  EXPECT_TRUE(geometry->nodes.empty());
  EXPECT_TRUE(geometry->edges.empty());
  EXPECT_EQ(geometry->title, (std::vector<std::string>{"v1"}));
}

TEST(FlowchartLayoutTest, SelfLoopAndParallelEdgesAreSeparateRoutes) {
  const auto definition =
      model::OperationBuilder("loops", 1)
          .startsWith("again?")
          .decision("again?", {.cases = {{Json{{"var", "a"}}, "again?"}, {Json{{"var", "b"}}, "done"}}, .otherwise = "done"})
          .result("done")
          .build();
  auto geometry = layoutFlowchart(definition);
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  ASSERT_EQ(geometry->edges.size(), 4U);
  for (const EdgeRoute& route : geometry->edges) {
    EXPECT_GE(route.points.size(), 4U);
  }
  EXPECT_NE(geometry->edges[2].points, geometry->edges[3].points);
}

// 300 decisions whose cases jump to random nodes: few nodes and edges, but edges that
// cross hundreds of ranks, which dot would take minutes to route. Refused before layout.
model::OperationDefinition tangled(std::size_t count) {
  model::OperationDefinition definition;
  definition.name = "tangled";
  definition.startsWith = "n0";
  std::uint32_t state = 12345;
  const auto next = [&state, count] {
    state = state * 1103515245U + 12345U;
    return "n" + std::to_string((state >> 8) % count);
  };
  for (std::size_t i = 0; i + 1 < count; ++i) {
    model::DecisionNode decision;
    for (int c = 0; c < 3; ++c) {
      decision.cases.push_back({Json{{"==", Json::array({Json{{"var", "a"}}, c})}}, next()});
    }
    decision.otherwise = "n" + std::to_string(i + 1);
    definition.nodes.push_back(model::Node{"n" + std::to_string(i), "", decision});
  }
  definition.nodes.push_back(model::Node{"n" + std::to_string(count - 1), "", model::ResultNode{}});
  return definition;
}

TEST(FlowchartLayoutTest, TangledDefinitionIsRefusedNamingTheSpan) {
  auto geometry = layoutFlowchart(tangled(300));
  ASSERT_FALSE(geometry.ok());
  EXPECT_EQ(geometry.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(geometry.error().message.find("too tangled to lay out"), std::string::npos) << geometry.error().message;
  EXPECT_NE(geometry.error().message.find("at most 40000"), std::string::npos) << geometry.error().message;
}

TEST(FlowchartLayoutTest, SomewhatTangledDefinitionGetsStraightEdges) {
  const auto definition = tangled(40);
  auto geometry = layoutFlowchart(definition, LayoutLimits{.maxSplineSpan = 0});
  ASSERT_TRUE(geometry.ok()) << geometry.error().describe();
  expectComplete(definition, *geometry);
  for (const EdgeRoute& route : geometry->edges) {
    // Straight segments (one, or two through its label), not a spline routed around boxes.
    EXPECT_LE(route.points.size(), 7U) << route.from << " -> " << route.to;
  }
}

} // namespace
