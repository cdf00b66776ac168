// FlowchartLayout's cache: equal content gives the very same geometry, changed content a
// new one, the least recently used layout leaves first, and errors are not cached.
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/testing/GeneratedOperation.h"

#include <gtest/gtest.h>

#include <thread>

namespace {

using namespace opflow;
using namespace opflow::flowchart;

GeometryPtr laidOut(FlowchartLayout& layout, const model::OperationDefinition& definition) {
  auto geometry = layout.layout(definition);
  EXPECT_TRUE(geometry.ok()) << geometry.error().describe();
  return geometry.ok() ? geometry.value() : nullptr;
}

TEST(FlowchartCacheTest, EqualContentGivesTheSameGeometry) {
  FlowchartLayout layout;
  const auto definition = opflow::testing::generatedOperation(30);
  const GeometryPtr first = laidOut(layout, definition);
  ASSERT_NE(first, nullptr);
  const auto copy = definition; // another object with equal content
  EXPECT_EQ(laidOut(layout, copy), first);
}

TEST(FlowchartCacheTest, ChangedContentIsLaidOutAgain) {
  FlowchartLayout layout;
  auto definition = opflow::testing::generatedOperation(30);
  const GeometryPtr first = laidOut(layout, definition);
  definition.nodes[3].title = "Renamed";
  const GeometryPtr second = laidOut(layout, definition);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_EQ(second->findNode(definition.nodes[3].name)->lines.front(), "Renamed");
  EXPECT_NE(second->contentHash, first->contentHash);
}

TEST(FlowchartCacheTest, LeastRecentlyUsedLeavesFirst) {
  FlowchartLayout layout({}, 2);
  const auto a = opflow::testing::generatedOperation(5, 1);
  const auto b = opflow::testing::generatedOperation(5, 2);
  const auto c = opflow::testing::generatedOperation(5, 3);
  const GeometryPtr firstA = laidOut(layout, a);
  const GeometryPtr firstB = laidOut(layout, b);
  EXPECT_EQ(laidOut(layout, a), firstA); // a is now the most recently used
  const GeometryPtr firstC = laidOut(layout, c); // evicts b
  EXPECT_EQ(laidOut(layout, a), firstA);
  EXPECT_EQ(laidOut(layout, c), firstC);
  EXPECT_NE(laidOut(layout, b), firstB); // laid out again, evicting a
  EXPECT_NE(laidOut(layout, a), firstA);
}

TEST(FlowchartCacheTest, ErrorsAreReturnedAndNotCached) {
  FlowchartLayout layout(LayoutLimits{.maxNodes = 10});
  const auto big = opflow::testing::generatedOperation(11);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto geometry = layout.layout(big);
    ASSERT_FALSE(geometry.ok());
    EXPECT_EQ(geometry.error().code, ErrorCode::InvalidArgument);
  }
  EXPECT_EQ(layout.limits().maxNodes, 10U);
}

TEST(FlowchartCacheTest, ThreadsShareOneGeometry) {
  FlowchartLayout layout;
  const auto definition = opflow::testing::generatedOperation(40);
  std::vector<GeometryPtr> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      auto geometry = layout.layout(definition);
      results[i] = geometry.ok() ? geometry.value() : nullptr;
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  const GeometryPtr cached = laidOut(layout, definition);
  ASSERT_NE(cached, nullptr);
  for (const GeometryPtr& result : results) {
    ASSERT_NE(result, nullptr);
    EXPECT_EQ(result->nodes.size(), cached->nodes.size());
    EXPECT_EQ(result->bounds, cached->bounds);
  }
}

} // namespace
