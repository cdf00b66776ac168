// flowchart_layout_bench: what laying out an operation's flowchart costs (Graphviz dot
// through layoutFlowchart), what a cache hit costs (FlowchartLayout: the content hash plus
// a lookup), and what drawing the geometry as SVG and PNG costs.
//
// The operations come from opflow::testing::generatedOperation(n): decisions, actions,
// calls, waits, fail exits, skips and loops, titles of varied length, about 1.3 edges a
// node, the same for the same n on every machine.
//
// Benchmarks:
//   layout/cold/nodes:{50,200,500}     layoutFlowchart with no cache (every iteration runs
//                                      dot). Counters: nodes, edges.
//   layout/cold/nodes:1000             the same at LayoutLimits' default node limit: the
//                                      worst a definition the console accepts costs.
//   layout/cache_hit/nodes:{50,200,500} FlowchartLayout::layout of a definition already
//                                      cached: hashing the definition and a map lookup.
//   svg/nodes:200                      toSvg of the 200-node geometry.
//   png/nodes:50                       svgToPng (librsvg + cairo, scale 1.5) of the
//                                      50-node SVG.
//
// Before timing, each size is laid out once and checked (every node and edge present,
// every edge with a spline); the exit status is 1 when a check fails.
//
// Run (Release build):
//   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build flowchart_layout_bench
//   ./build/bench/flowchart_layout_bench                            # everything, ~10 s
//   ./build/bench/flowchart_layout_bench --benchmark_filter=cold    # the cold layouts only
//   ./build/bench/flowchart_layout_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   ./build/bench/flowchart_layout_bench --benchmark_min_time=0.01  # smoke run (ctest -L bench)
// "Library was built as DEBUG" refers to Debian's libbenchmark, not to this program.
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/flowchart/FlowchartSvg.h"
#include "opflow/testing/GeneratedOperation.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

namespace {

using namespace opflow;
using namespace opflow::flowchart;

constexpr std::size_t kSizes[] = {50, 200, 500};

std::size_t edgeCount(const model::OperationDefinition& definition) {
  std::size_t edges = 1; // the start edge
  for (const model::Node& node : definition.nodes) {
    edges += model::edgesOf(node).size();
  }
  return edges;
}

// The check run: one layout of each size, whole.
bool checkLayouts() {
  bool ok = true;
  for (std::size_t size : kSizes) {
    const auto definition = opflow::testing::generatedOperation(size);
    auto geometry = layoutFlowchart(definition);
    if (!geometry) {
      std::cerr << fmt::format("check: {} nodes: {}\n", size, geometry.error().describe());
      ok = false;
      continue;
    }
    bool whole = geometry->nodes.size() == size + 1 && geometry->edges.size() == edgeCount(definition);
    for (const EdgeRoute& edge : geometry->edges) {
      whole = whole && edge.points.size() >= 4;
    }
    if (!whole) {
      std::cerr << fmt::format("check: {} nodes: the layout misses nodes, edges or splines\n", size);
      ok = false;
    }
  }
  return ok;
}

void coldLayout(benchmark::State& state) {
  const auto definition = opflow::testing::generatedOperation(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto geometry = layoutFlowchart(definition);
    benchmark::DoNotOptimize(geometry);
  }
  state.counters["nodes"] = static_cast<double>(definition.nodes.size());
  state.counters["edges"] = static_cast<double>(edgeCount(definition));
}

void cacheHit(benchmark::State& state) {
  const auto definition = opflow::testing::generatedOperation(static_cast<std::size_t>(state.range(0)));
  FlowchartLayout layout;
  auto first = layout.layout(definition);
  if (!first) {
    state.SkipWithError(first.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto geometry = layout.layout(definition);
    benchmark::DoNotOptimize(geometry);
  }
  state.counters["nodes"] = static_cast<double>(definition.nodes.size());
}

void svg(benchmark::State& state) {
  auto geometry = layoutFlowchart(opflow::testing::generatedOperation(static_cast<std::size_t>(state.range(0))));
  if (!geometry) {
    state.SkipWithError(geometry.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(toSvg(*geometry));
  }
}

void png(benchmark::State& state) {
  auto geometry = layoutFlowchart(opflow::testing::generatedOperation(static_cast<std::size_t>(state.range(0))));
  if (!geometry) {
    state.SkipWithError(geometry.error().message.c_str());
    return;
  }
  const std::string text = toSvg(*geometry);
  for (auto _ : state) {
    auto bytes = svgToPng(text);
    benchmark::DoNotOptimize(bytes);
  }
}

void registerBenchmarks() {
  for (std::size_t size : kSizes) {
    const auto n = static_cast<std::int64_t>(size);
    benchmark::RegisterBenchmark("layout/cold", coldLayout)->ArgName("nodes")->Arg(n)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("layout/cache_hit", cacheHit)->ArgName("nodes")->Arg(n)->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("layout/cold", coldLayout)->ArgName("nodes")->Arg(1000)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("svg", svg)->ArgName("nodes")->Arg(200)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("png", png)->ArgName("nodes")->Arg(50)->Unit(benchmark::kMillisecond);
}

} // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return EXIT_FAILURE;
  }
  if (!checkLayouts()) {
    return EXIT_FAILURE;
  }
  registerBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return EXIT_SUCCESS;
}
