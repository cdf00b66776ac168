// The flowchart scene over real Graphviz layouts of the shipped operations: one item per
// node and edge, a click selects a node, and the overlays (heat, run path, version
// changes) restyle the items and reach the SVG marks.
#include "UiTestSupport.h"

#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/ui/flowchart/FlowchartCanvas.h"
#include "opflow/ui/flowchart/FlowchartNodeText.h"
#include "opflow/ui/flowchart/FlowchartScene.h"

#include <QSignalSpy>
#include <QTest>

using opflow::flowchart::NodeChange;
using opflow::ui::FlowchartCanvas;
using opflow::ui::FlowchartScene;

namespace {

QString qt(const std::string& text) { return QString::fromStdString(text); }

// The shipped operation `name` laid out; null (with a test failure) when that fails.
opflow::flowchart::GeometryPtr layoutOf(const opflow::engine::OperationCatalog& catalog, const std::string& name) {
  opflow::engine::OperationPtr operation = catalog.latest(name);
  if (!operation) {
    QTest::qFail(qPrintable(QStringLiteral("no operation %1").arg(qt(name))), __FILE__, __LINE__);
    return nullptr;
  }
  opflow::flowchart::FlowchartLayout layout;
  auto geometry = layout.layout(operation->definition());
  if (!geometry) {
    QTest::qFail(geometry.error().describe().c_str(), __FILE__, __LINE__);
    return nullptr;
  }
  return *geometry;
}

// A chart on a canvas shown on screen (offscreen), for clicks and keys.
struct ShownChart {
  FlowchartScene scene;
  FlowchartCanvas canvas{&scene};

  [[nodiscard]] bool show(opflow::flowchart::GeometryPtr geometry, QSize size) {
    scene.setChart(std::move(geometry));
    canvas.resize(size);
    canvas.show();
    return QTest::qWaitForWindowExposed(&canvas);
  }
};

} // namespace

class FlowchartSceneTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase() { QVERIFY2(m_builtin.load(), m_builtin.error.c_str()); }

  void everyShippedOperationHasOneItemPerNodeAndEdge() {
    const auto operations = m_builtin.catalog.latestVersions();
    QVERIFY(operations.size() >= 10);
    for (const opflow::engine::OperationPtr& operation : operations) {
      const opflow::model::OperationDefinition& definition = operation->definition();
      auto geometry = layoutOf(m_builtin.catalog, definition.name);
      QVERIFY(geometry);
      FlowchartScene scene;
      scene.setChart(geometry);
      std::size_t edges = 1; // the start edge
      for (const opflow::model::Node& node : definition.nodes) {
        QVERIFY2(scene.hasNode(node.name), qPrintable(qt(definition.name + ": " + node.name)));
        edges += opflow::model::edgesOf(node).size();
      }
      QCOMPARE(scene.nodeItemCount(), static_cast<int>(definition.nodes.size() + 1)); // and the start dot
      QCOMPARE(scene.edgeItemCount(), static_cast<int>(edges));
      QVERIFY(scene.sceneRect().contains(scene.nodeCenter(definition.startsWith)));
    }
  }

  void clickingANodeSelectsIt() {
    auto geometry = layoutOf(m_builtin.catalog, "demo.every_kind");
    QVERIFY(geometry);
    ShownChart chart;
    QVERIFY(chart.show(geometry, {900, 700}));
    auto& [scene, canvas] = chart;
    QSignalSpy selected(&scene, &FlowchartScene::nodeSelected);

    for (const char* name : {"quote", "size?", "review", "done"}) {
      QTest::mouseClick(canvas.viewport(), Qt::LeftButton, {}, canvas.mapFromScene(scene.nodeCenter(name)));
      QCOMPARE(scene.selectedNode(), std::string(name));
      QCOMPARE(selected.last().at(0).toString(), QString::fromUtf8(name));
    }
  }

  void zoomKeysAndFitChangeTheScale() {
    auto geometry = layoutOf(m_builtin.catalog, "order.calculate_price");
    QVERIFY(geometry);
    ShownChart chart;
    QVERIFY(chart.show(geometry, {600, 400}));
    FlowchartCanvas& canvas = chart.canvas;
    QVERIFY(canvas.isFitting());
    const double fitted = canvas.zoom();
    QTest::keyClick(&canvas, Qt::Key_Plus);
    QVERIFY(canvas.zoom() > fitted);
    QVERIFY(!canvas.isFitting());
    QTest::keyClick(&canvas, Qt::Key_Minus);
    QTest::keyClick(&canvas, Qt::Key_Minus);
    QVERIFY(canvas.zoom() < fitted);
    QTest::keyClick(&canvas, Qt::Key_F);
    QVERIFY(canvas.isFitting());
    QCOMPARE(canvas.zoom(), fitted);
    QTest::keyClick(&canvas, Qt::Key_0);
    QCOMPARE(canvas.zoom(), 1.0);
  }

  void aWideChartOpensAtItsStartOrWholeWhenStillLegible() {
    auto geometry = layoutOf(m_builtin.catalog, "order.calculate_price");
    QVERIFY(geometry);
    ShownChart chart;
    QVERIFY(chart.show(geometry, {300, 200}));
    auto& [scene, canvas] = chart;
    const QRectF rect = scene.sceneRect();
    QVERIFY2(rect.width() * 0.45 > 300, "the chart is wide enough not to fit legibly");

    // Too large to fit legibly: readable, from the top, with the start marker in sight.
    canvas.fitReadable();
    QVERIFY(canvas.zoom() > 0.45);
    QVERIFY(scene.startCenter());
    const QPoint start = canvas.mapFromScene(*scene.startCenter());
    QVERIFY2(canvas.viewport()->rect().contains(start),
             qPrintable(QStringLiteral("start at %1,%2").arg(start.x()).arg(start.y())));

    // Fitted at 0.6: whole.
    canvas.resize((rect.size() * 0.6).toSize() + QSize(canvas.frameWidth() * 2, canvas.frameWidth() * 2));
    canvas.fitReadable();
    QVERIFY2(canvas.zoom() >= 0.45 && canvas.zoom() < 0.7, qPrintable(QString::number(canvas.zoom())));
  }

  void operationTextKeepsPercentSignsOfNames() {
    opflow::model::OperationDefinition definition;
    definition.name = "odd.%2name";
    definition.version = 3;
    definition.startsWith = "s%2";
    const QString text = opflow::ui::flowchartOperationText(definition, {});
    QVERIFY2(text.contains(QStringLiteral("Operation: odd.%2name v3")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Starts with: s%2; 0 nodes.")), qPrintable(text));
  }

  void heatShadesTheNodesItNames() {
    auto geometry = layoutOf(m_builtin.catalog, "demo.every_kind");
    QVERIFY(geometry);
    FlowchartScene scene;
    scene.setChart(geometry);
    const QColor plainQuote = scene.nodeFill("quote");
    const QColor plainReview = scene.nodeFill("review");

    scene.setHeat({{"quote", 1.0}, {"small", 0.0}});
    QVERIFY(scene.nodeFill("quote") != plainQuote);
    QVERIFY(scene.nodeFill("small") != scene.nodeFill("quote"));
    QCOMPARE(scene.nodeFill("review"), plainReview); // not named: its kind's colour
    QVERIFY(scene.svgMarks().nodes.contains("quote"));
    QCOMPARE(qt(scene.svgMarks().nodes.at("quote").fill), scene.nodeFill("quote").name());

    scene.setHeat({});
    QCOMPARE(scene.nodeFill("quote"), plainQuote);
    QVERIFY(scene.svgMarks().nodes.empty());
  }

  void aRunPathNumbersItsStepsAndBoldsTheEdgesTaken() {
    auto geometry = layoutOf(m_builtin.catalog, "demo.every_kind");
    QVERIFY(geometry);
    FlowchartScene scene;
    scene.setChart(geometry);
    scene.setRunPath({{"size?", "otherwise", 40},
                      {"small", "", 30},
                      {"quote", "", 2'000},
                      {"notify", "success", 15'000},
                      {"settle", "", 52'000},
                      {"done", "", 10}});
    QCOMPARE(scene.nodeBadge("size?"), QStringLiteral("1 · 40 µs"));
    QCOMPARE(scene.nodeBadge("quote"), QStringLiteral("3 · 2 ms"));
    QCOMPARE(scene.nodeBadge("done"), QStringLiteral("6 · 10 µs"));
    QVERIFY(scene.nodeBadge("review").isEmpty());
    for (std::size_t i = 0; i < geometry->edges.size(); ++i) {
      const auto& edge = geometry->edges[i];
      const bool taken = (edge.from.empty() && edge.to == "size?") || (edge.from == "size?" && edge.to == "small") ||
                         (edge.from == "small" && edge.to == "quote") || (edge.from == "quote" && edge.to == "notify") ||
                         (edge.from == "notify" && edge.to == "settle") || (edge.from == "settle" && edge.to == "done");
      QVERIFY2(scene.edgeVisited(i) == taken, qPrintable(qt(edge.from + " -> " + edge.to)));
    }
    QCOMPARE(scene.svgMarks().nodes.at("quote").badge, std::string("3 · 2 ms"));

    // A node passed twice shows both step numbers and their summed time.
    scene.setRunPath({{"size?", "", 1'000}, {"small", "", 1'000}, {"size?", "", 2'000}});
    QCOMPARE(scene.nodeBadge("size?"), QStringLiteral("1,3 · 3 ms"));

    scene.setLiveNode("review");
    QVERIFY(scene.nodeStroke("review") != scene.nodeStroke("notify"));
    QCOMPARE(scene.liveNode(), std::string("review"));
    scene.setLiveNode({});
    QVERIFY(scene.liveNode().empty());
  }

  void versionChangesAreMarkedGreenRedAndAmber() {
    auto geometry = layoutOf(m_builtin.catalog, "demo.every_kind");
    QVERIFY(geometry);
    FlowchartScene scene;
    scene.setChart(geometry);
    scene.setChanges({{"small", NodeChange::Added}, {"medium", NodeChange::Removed}, {"quote", NodeChange::Changed},
                      {"done", NodeChange::Same}});
    const QColor added = scene.nodeFill("small");
    const QColor removed = scene.nodeFill("medium");
    const QColor changed = scene.nodeFill("quote");
    QVERIFY(added.green() > added.red());
    QVERIFY(removed.red() > removed.green());
    QVERIFY(changed != added && changed != removed);
    QVERIFY(scene.nodeDashed("medium"));
    QVERIFY(!scene.nodeDashed("small"));
    QVERIFY(!scene.svgMarks().nodes.contains("done"));
    QCOMPARE(qt(scene.svgMarks().nodes.at("medium").stroke), scene.nodeStroke("medium").name());
  }

private:
  opflow::uitest::BuiltinCatalog m_builtin;
};

OPFLOW_UI_TEST(FlowchartSceneTest)

#include "flowchart_scene_test.moc"
