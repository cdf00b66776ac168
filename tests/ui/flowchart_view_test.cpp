// The Flowcharts view on a real console database with runs driven by the real engine:
// operations and versions, a click shows the node's details and history, heat overlays,
// a finished run's path, a live run followed through a wait and on, a comparison of two
// versions, exports (SVG parsed back, PNG not blank), the main window's screenshot of the
// view, and "Show in flowchart" from an order's run.
#include "ConsoleTestSupport.h"
#include "OrderDetailTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/FlowchartCanvas.h"
#include "opflow/ui/FlowchartsView.h"
#include "opflow/ui/MainWindow.h"
#include "opflow/ui/OrderDetailView.h"
#include "opflow/ui/OrderRunsModel.h"
#include "opflow/ui/ViewScreenshot.h"

#include <QComboBox>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>
#include <QXmlStreamReader>

using opflow::engine::RunState;
using opflow::flowchart::NodeChange;
using opflow::ui::ConsoleSession;
using opflow::ui::ConsoleView;
using opflow::ui::FlowchartsView;
using opflow::ui::MainWindow;

namespace {

QString qt(const std::string& text) { return QString::fromStdString(text); }

QString start(ConsoleSession& session, const std::string& operation, opflow::Json inputs) {
  auto started = session.host().engine().start({operation, std::nullopt, std::move(inputs), session.runContext()});
  if (!started) {
    QTest::qFail(started.error().describe().c_str(), __FILE__, __LINE__);
    return {};
  }
  return qt(started->str());
}

std::optional<RunState> stateOf(ConsoleSession& session, const QString& runId) {
  auto record = session.host().engine().runRecord(opflow::engine::RunId(runId.toStdString()));
  if (record) {
    return record->state;
  }
  if (auto stored = session.host().runs().loadRun(opflow::engine::RunId(runId.toStdString()))) {
    return stored->state;
  }
  return std::nullopt;
}

// A small quote that runs to its end without a review.
QString finishedQuote(ConsoleSession& session) {
  const QString runId = start(session, "demo.every_kind", {{"customer", "Initech"}, {"amount", 50}});
  if (!runId.isEmpty() && !QTest::qWaitFor([&] { return stateOf(session, runId) == RunState::Completed; }, 10'000)) {
    QTest::qFail("the quote did not complete", __FILE__, __LINE__);
  }
  return runId;
}

// Shows `operation` in `view` and waits for its chart.
bool showAndWait(FlowchartsView& view, const QString& operation, std::optional<std::int64_t> version = std::nullopt) {
  QSignalSpy shown(&view, &FlowchartsView::chartShown);
  if (!view.showOperation(operation, version)) {
    return false;
  }
  return QTest::qWaitFor([&] { return shown.count() > 0; }, 15'000) && view.scene()->chart();
}

} // namespace

class FlowchartViewTest : public QObject {
  Q_OBJECT

private slots:
  void listsOperationsWithVersionsAndDrawsTheChosenOne() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    FlowchartsView view(*session);
    QCOMPARE(view.operationTree()->topLevelItemCount(),
             static_cast<int>(session->host().catalog().latestVersions().size()));
    QSignalSpy loaded(&view, &FlowchartsView::loaded);
    view.resize(1280, 800);
    view.show(); // the first operation, when none was asked for
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 15'000);
    QVERIFY(view.isLoaded());
    QVERIFY(view.scene()->nodeItemCount() > 1);

    QVERIFY(showAndWait(view, QStringLiteral("order.calculate_price")));
    QCOMPARE(view.shownOperation(), QStringLiteral("order.calculate_price"));
    const auto definition = session->host().catalog().latest("order.calculate_price")->definition();
    QCOMPARE(view.scene()->nodeItemCount(), static_cast<int>(definition.nodes.size() + 1));
    QCOMPARE(view.operationTree()->currentItem()->parent()->text(0), QStringLiteral("order.calculate_price"));

    QVERIFY(!view.showOperation(QStringLiteral("no.such_operation")));
    QVERIFY(view.message().contains(QStringLiteral("no.such_operation")));
    QCOMPARE(view.shownOperation(), QStringLiteral("order.calculate_price"));
  }

  void clickingANodeShowsWhatItDoesAndItsHistory() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    for (int i = 0; i < 3; ++i) {
      QVERIFY(!finishedQuote(*session).isEmpty());
    }
    FlowchartsView view(*session);
    view.resize(1280, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QTRY_VERIFY(view.canvas()->isVisible());

    QTest::mouseClick(view.canvas()->viewport(), Qt::LeftButton, {},
                      view.canvas()->mapFromScene(view.scene()->nodeCenter("quote")));
    QCOMPARE(view.scene()->selectedNode(), std::string("quote"));
    const QString text = view.nodeText();
    QVERIFY2(text.contains(QStringLiteral("Kind: action")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Handler: demo.quote")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("needs_review → review")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Runs through it: 3 (3 steps)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Errors: 0 of 3 steps")), qPrintable(text));

    QVERIFY(view.scene()->selectNode("size?"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Case 1: amount >= 1000 → large")), qPrintable(view.nodeText()));
    QVERIFY(view.scene()->selectNode("review"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Waits for the signal: review")), qPrintable(view.nodeText()));
    QVERIFY2(view.nodeText().contains(QStringLiteral("no step in this node")), qPrintable(view.nodeText()));
  }

  void heatOverlaysShadeByTimeAndByErrors() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    QVERIFY(!finishedQuote(*session).isEmpty());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    const QColor plainSettle = view.scene()->nodeFill("settle");
    const QColor plainReview = view.scene()->nodeFill("review");

    view.overlayPicker()->setCurrentIndex(static_cast<int>(FlowchartsView::Overlay::Time));
    QVERIFY(view.scene()->nodeFill("settle") != plainSettle); // the timer's 50 ms: the hottest
    QCOMPARE(view.scene()->nodeFill("review"), plainReview);   // never reached

    const QColor hottest = view.scene()->nodeFill("settle");

    view.setOverlay(FlowchartsView::Overlay::Errors);
    const QColor noErrors = view.scene()->nodeFill("settle");
    QVERIFY(noErrors != plainSettle);
    QVERIFY(noErrors != hottest);
    QCOMPARE(view.overlayPicker()->currentIndex(), static_cast<int>(FlowchartsView::Overlay::Errors));

    view.setOverlay(FlowchartsView::Overlay::None);
    QCOMPARE(view.scene()->nodeFill("settle"), plainSettle);
  }

  void aFinishedRunShowsItsNumberedPath() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session);
    QVERIFY(!runId.isEmpty());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QVERIFY(view.runPicker()->findData(runId) > 0);

    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);
    QVERIFY(view.followedRun().isEmpty());
    QVERIFY2(view.scene()->nodeBadge("size?").startsWith(QStringLiteral("1 · ")), qPrintable(view.scene()->nodeBadge("size?")));
    QVERIFY2(view.scene()->nodeBadge("small").startsWith(QStringLiteral("2 · ")), qPrintable(view.scene()->nodeBadge("small")));
    QVERIFY2(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3 · ")), qPrintable(view.scene()->nodeBadge("quote")));
    QVERIFY(!view.scene()->nodeBadge("done").isEmpty());
    QVERIFY(view.scene()->nodeBadge("medium").isEmpty());
    QVERIFY(view.scene()->edgeVisited(0)); // the start edge
    QVERIFY(view.scene()->liveNode().empty());
  }

  void aLiveRunIsFollowedThroughItsWaitAndOn() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));

    const QString runId = start(*session, "demo.every_kind", {{"customer", "Initech"}, {"amount", 1500}});
    QVERIFY(!runId.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(*session, runId), std::optional(RunState::Waiting), 10'000);
    QTRY_VERIFY(view.runPicker()->findData(runId) > 0); // heard of it starting
    view.showRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(view.scene()->liveNode(), std::string("review"), 10'000);
    QCOMPARE(view.followedRun(), runId);
    QVERIFY(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3")));
    QVERIFY(view.scene()->nodeBadge("approved?").isEmpty());

    QVERIFY(session->host().engine().signal(opflow::engine::RunId(runId.toStdString()), "review", {{"approved", true}},
                                            session->actor()));
    // The engine's events move the live node on and add the finished steps to the path.
    QTRY_VERIFY_WITH_TIMEOUT(!view.scene()->nodeBadge("approved?").isEmpty(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(view.followedRun().isEmpty(), 10'000); // completed
    QVERIFY(view.scene()->liveNode().empty());
    QVERIFY(!view.scene()->nodeBadge("review").isEmpty());
    QVERIFY(!view.scene()->nodeBadge("done").isEmpty());
    QCOMPARE(stateOf(*session, runId), std::optional(RunState::Completed));
  }

  void comparingVersionsMarksAddedRemovedAndChangedNodes() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    // Version 2: "medium" goes (its case leads to "small"), "small" gives a discount,
    // "large" passes through a new "vip" node.
    opflow::model::OperationDefinition edited = session->host().catalog().latest("demo.every_kind")->definition();
    edited.version = 2;
    auto& nodes = edited.nodes;
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [](const auto& node) { return node.name == "medium"; }),
                nodes.end());
    for (auto& node : nodes) {
      if (node.name == "size?") {
        std::get<opflow::model::DecisionNode>(node.spec).cases[1].goTo = "small";
      } else if (node.name == "small") {
        std::get<opflow::model::ActionNode>(node.spec).set = {{"tier", "small"}, {"discount", 0.01}};
      } else if (node.name == "large") {
        std::get<opflow::model::ActionNode>(node.spec).goTo = "vip";
      }
    }
    opflow::model::ActionNode vip;
    vip.set = {{"vip", true}};
    vip.goTo = "quote";
    nodes.push_back({"vip", "A customer who buys large", vip});
    const auto added = session->host().catalog().add(edited);
    QVERIFY2(added, added ? "" : added.error().describe().c_str());

    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QCOMPARE(view.shownVersion(), 2);
    QCOMPARE(view.comparePicker()->count(), 2); // none, and v1

    QSignalSpy shown(&view, &FlowchartsView::chartShown);
    view.compareWith(1);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 15'000);
    auto* scene = view.scene();
    QVERIFY(scene->hasNode("medium")); // drawn though removed
    QVERIFY(scene->nodeDashed("medium"));
    QVERIFY(scene->nodeFill("vip").green() > scene->nodeFill("vip").red());
    QVERIFY(scene->nodeFill("medium").red() > scene->nodeFill("medium").green());
    QVERIFY(scene->nodeFill("small") != scene->nodeFill("quote"));
    QVERIFY(!scene->nodeDashed("quote"));
    const QString changes = view.changesText();
    QVERIFY2(changes.contains(QStringLiteral("small")), qPrintable(changes));
    QVERIFY(scene->selectNode("small"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Compared with v1: changed")), qPrintable(view.nodeText()));

    QSignalSpy back(&view, &FlowchartsView::chartShown);
    view.compareWith(std::nullopt);
    QTRY_COMPARE_WITH_TIMEOUT(back.count(), 1, 15'000);
    QVERIFY(!view.scene()->hasNode("medium"));
    QVERIFY(view.changesText().isEmpty());
  }

  void exportsKeepTheOverlays() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session);
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);
    view.setOverlay(FlowchartsView::Overlay::Time);

    QTemporaryDir directory;
    const QString svgPath = directory.filePath(QStringLiteral("chart.svg"));
    QCOMPARE(view.exportSvg(svgPath), QString());
    QFile svg(svgPath);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray document = svg.readAll();
    QXmlStreamReader xml(document);
    int elements = 0;
    while (!xml.atEnd()) {
      if (xml.readNext() == QXmlStreamReader::StartElement) {
        ++elements;
      }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(elements > 20);
    for (const char* name : {"size?", "quote", "notify", "done"}) {
      QVERIFY2(document.contains(name), name);
    }
    QVERIFY(document.contains(view.scene()->nodeBadge("quote").toUtf8())); // the run path's badge
    QVERIFY(document.contains(view.scene()->nodeFill("settle").name().toUtf8())); // the heat

    const QString pngPath = directory.filePath(QStringLiteral("chart.png"));
    QCOMPARE(view.exportPng(pngPath), QString());
    const QImage image(pngPath);
    QVERIFY(image.width() >= view.scene()->sceneRect().width());
    const QString blank = opflow::uitest::whyBlank(image);
    QVERIFY2(blank.isEmpty(), qPrintable(blank));

    QVERIFY(!view.exportSvg(directory.filePath(QStringLiteral("no/such/dir/chart.svg"))).isEmpty());
  }

  void theMainWindowScreenshotsTheViewOnceItsChartIsDrawn() {
    opflow::uitest::ConsoleDatabase database(20);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    QCOMPARE(opflow::ui::consoleViewFromName(QStringLiteral("flowcharts")), ConsoleView::Flowcharts);
    MainWindow window(*session);
    QVERIFY(!window.isViewLoaded(ConsoleView::Flowcharts));
    QVERIFY(window.flowchartsView()->showOperation(QStringLiteral("order.calculate_price")));
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("flowcharts.png"));
    opflow::ui::ViewScreenshot screenshot(*session, window, ConsoleView::Flowcharts, path);
    QSignalSpy finished(&screenshot, &opflow::ui::ViewScreenshot::finished);
    screenshot.start(20'000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 25'000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(window.flowchartsView()->shownOperation(), QStringLiteral("order.calculate_price"));
    const QString blank = opflow::uitest::whyBlank(QImage(path));
    QVERIFY2(blank.isEmpty(), qPrintable(blank));
  }

  void aHiddenWindowsFlowchartsViewLoadsItsFirstOperationWhenBroughtToTheFront() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    MainWindow window(*session);
    QSignalSpy loaded(&window, &MainWindow::viewLoaded);
    QVERIFY(window.showView(ConsoleView::Flowcharts));
    QTRY_VERIFY_WITH_TIMEOUT(window.isViewLoaded(ConsoleView::Flowcharts), 15'000);
    QVERIFY(!window.flowchartsView()->shownOperation().isEmpty());
    QVERIFY(loaded.contains(QVariantList{QVariant::fromValue(ConsoleView::Flowcharts)}));
  }

  void anOrdersRunOpensInItsFlowchart() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const std::string number = opflow::uitest::orderAt(*session, opflow::domain::OrderStatus::FileUploaded);
    auto submitted = session->host().engine().start(
        {"order.submit", std::nullopt, {{"order", number}}, session->runContext()});
    QVERIFY2(submitted, submitted ? "" : submitted.error().describe().c_str());
    QTRY_COMPARE(stateOf(*session, qt(submitted->str())), std::optional(RunState::Completed));

    MainWindow window(*session);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy orderShown(window.orderView(), &opflow::ui::OrderDetailView::orderShown);
    window.orderView()->showOrder(qt(number));
    QTRY_VERIFY_WITH_TIMEOUT(orderShown.count() > 0, 10'000);
    auto* runs = window.orderView()->runsModel();
    QTRY_VERIFY(runs->rowCount() > 0);
    QVERIFY(!window.orderView()->showFlowchartButton()->isEnabled());
    window.orderView()->runsTree()->setCurrentIndex(runs->index(0, 0));
    QVERIFY(window.orderView()->showFlowchartButton()->isEnabled());
    const QString runId = runs->index(0, 0).data(opflow::ui::OrderRunsModel::RunIdRole).toString();

    QSignalSpy runShown(window.flowchartsView(), &FlowchartsView::runShown);
    QTest::mouseClick(window.orderView()->showFlowchartButton(), Qt::LeftButton);
    QCOMPARE(window.findChild<QTabWidget*>(QStringLiteral("views"))->currentWidget(), window.flowchartsView());
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 15'000);
    QCOMPARE(window.flowchartsView()->shownRun(), runId);
    QCOMPARE(window.flowchartsView()->shownOperation(), QStringLiteral("order.submit"));
    QVERIFY(!window.flowchartsView()->scene()->nodeBadge(
                 session->host().catalog().latest("order.submit")->definition().startsWith)
                 .isEmpty());
  }
};

OPFLOW_UI_TEST(FlowchartViewTest)

#include "flowchart_view_test.moc"
