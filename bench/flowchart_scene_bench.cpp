// flowchart_scene_bench: the console's flowchart scene built from a laid-out geometry
// (the Qt items of every node box, label line, edge spline, arrowhead and edge label) for
// generated operations of 50, 200 and 500 nodes, and the restyle that each overlay change
// and each live run event costs (heat over every node, then a run path through half of
// them). The Graphviz layout is done once before timing: it runs on a worker thread in
// the console and flowchart_layout_bench measures it. The target: a 200-node scene
// builds in 50 ms or less on the GUI thread. A timing program, not a test: it fails only
// when a layout fails or a scene lacks items.
//
// Flags: Google Benchmark's (--benchmark_filter, --benchmark_min_time, ...). Runs
// offscreen unless QT_QPA_PLATFORM says otherwise.
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/testing/GeneratedOperation.h"
#include "opflow/ui/flowchart/FlowchartScene.h"

#include <QApplication>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace {

// The layout of generated.<nodes>, made once per size.
const opflow::flowchart::GeometryPtr& geometryOf(std::size_t nodes) {
  static std::map<std::size_t, opflow::flowchart::GeometryPtr> laidOut;
  auto& geometry = laidOut[nodes];
  if (!geometry) {
    opflow::flowchart::FlowchartLayout layout;
    auto result = layout.layout(opflow::testing::generatedOperation(nodes));
    if (!result) {
      std::fprintf(stderr, "flowchart_scene_bench: %s\n", result.error().describe().c_str());
      std::exit(1);
    }
    geometry = *result;
  }
  return geometry;
}

void BM_SceneBuild(benchmark::State& state) {
  const auto& geometry = geometryOf(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    opflow::ui::FlowchartScene scene;
    scene.setChart(geometry);
    if (scene.nodeItemCount() != static_cast<int>(geometry->nodes.size())) {
      state.SkipWithError("the scene lacks node items");
      break;
    }
    benchmark::DoNotOptimize(scene.itemsBoundingRect());
  }
  state.counters["nodes"] = static_cast<double>(geometry->nodes.size());
  state.counters["edges"] = static_cast<double>(geometry->edges.size());
}
BENCHMARK(BM_SceneBuild)->Arg(50)->Arg(200)->Arg(500)->Unit(benchmark::kMillisecond);

void BM_OverlayRestyle(benchmark::State& state) {
  const auto& geometry = geometryOf(static_cast<std::size_t>(state.range(0)));
  opflow::ui::FlowchartScene scene;
  scene.setChart(geometry);
  std::map<std::string, double> heat;
  std::vector<opflow::ui::RunPathStep> path;
  for (std::size_t i = 1; i < geometry->nodes.size(); ++i) {
    heat[geometry->nodes[i].name] = static_cast<double>(i % 10) / 10.0;
    if (i % 2 == 0) {
      path.push_back({geometry->nodes[i].name, "", 1'000 * static_cast<std::int64_t>(i)});
    }
  }
  for (auto _ : state) {
    scene.setHeat(heat);
    scene.setRunPath(path);
    scene.setLiveNode(path.back().node);
  }
}
BENCHMARK(BM_OverlayRestyle)->Arg(50)->Arg(200)->Arg(500)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
