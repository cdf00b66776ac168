// The Flowcharts view on a real console database with runs driven by the real engine:
// operations and versions, a click shows the node's details and history, heat overlays,
// a finished run's path, a live run followed through a wait and on, a comparison of two
// versions, exports (SVG parsed back, PNG not blank), the main window's screenshot of the
// view, and "Show in flowchart" from an order's run.
#include "ConsoleTestSupport.h"
#include "OrderDetailTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/flowchart/FlowchartCanvas.h"
#include "opflow/ui/flowchart/FlowchartsView.h"
#include "opflow/ui/views/MainWindow.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/models/OrderRunsModel.h"
#include "opflow/ui/views/ViewScreenshot.h"

#include <QComboBox>
#include <QFile>
#include <QImageReader>
#include <QLabel>
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

// Posts an engine event about `runId` as the RunEventBridge would: StepFinished carries
// the step's journal index and a duration, StepEntered only the node.
void postRunEvent(ConsoleSession& session, opflow::ui::RunEvent::Kind kind, const QString& runId, const QString& node,
                  std::int64_t stepIndex = -1) {
  opflow::ui::RunEvent event;
  event.kind = kind;
  event.runId = runId;
  event.node = node;
  if (kind == opflow::ui::RunEvent::Kind::StepFinished) {
    event.durationUs = 10;
    event.stepIndex = stepIndex;
  }
  session.events().post(event);
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

    // View > Refresh reads the chart again and keeps the run drawn.
    view.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 2, 10'000);
    QCOMPARE(view.shownRun(), runId);
    QVERIFY2(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3 · ")), qPrintable(view.scene()->nodeBadge("quote")));
  }

  void aStepsEventIsAddedOnlyWhenTheJournalReadDidNotHoldTheStep() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session);
    QVERIFY(!runId.isEmpty());
    const auto steps = session->host().runs().loadSteps(opflow::engine::RunId(runId.toStdString()));
    QVERIFY(steps.size() > 3);
    QCOMPARE(steps[2].node, std::string("quote"));
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));

    // The engine journals a step before it reports it: the journal read may already hold
    // the step an event then reports, and events keep coming while the journal is read.
    const auto stepFinished = [&](const std::string& node, std::int64_t index) {
      postRunEvent(*session, opflow::ui::RunEvent::Kind::StepFinished, runId, qt(node), index);
    };
    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(runId);
    stepFinished("quote", 2);                                           // in the journal
    stepFinished("done", static_cast<std::int64_t>(steps.size()));      // after it
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);
    const QString twice = QStringLiteral("%1,%2").arg(steps.size()).arg(steps.size() + 1);
    QTRY_VERIFY2_WITH_TIMEOUT(view.scene()->nodeBadge("done").startsWith(twice), qPrintable(view.scene()->nodeBadge("done")),
                              10'000);
    QVERIFY2(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3 · ")), qPrintable(view.scene()->nodeBadge("quote")));

    stepFinished("quote", 2); // once the path is drawn, too
    stepFinished("small", static_cast<std::int64_t>(steps.size() + 1));
    QTRY_VERIFY_WITH_TIMEOUT(view.scene()->nodeBadge("small").contains(QLatin1Char(',')), 10'000);
    QVERIFY2(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3 · ")), qPrintable(view.scene()->nodeBadge("quote")));
  }

  void aRunStillBeingReadDoesNotDragTheViewBackFromTheOperationChosenSince() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session); // a run of demo.every_kind
    QVERIFY(!runId.isEmpty());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("order.calculate_price")));

    // The run would show its own operation; the user picks another before its journal is read.
    QSignalSpy shown(&view, &FlowchartsView::chartShown);
    view.showRun(runId);
    QVERIFY(view.showOperation(QStringLiteral("order.submit")));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() > 0 && session->background().activeThreads() == 0, 15'000);
    QCoreApplication::processEvents(); // the answers the last tasks posted
    QCOMPARE(view.shownOperation(), QStringLiteral("order.submit"));
    QVERIFY(view.shownRun().isEmpty());
  }

  void aRunPickedWhileTheChartIsReadAgainIsTheOneDrawn() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString first = finishedQuote(*session);
    const QString second = finishedQuote(*session);
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(first);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);

    // Refresh keeps the run to draw it again; the user picks another before the chart is read.
    QSignalSpy shown(&view, &FlowchartsView::chartShown);
    view.refresh();
    view.showRun(second);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() > 0 && session->background().activeThreads() == 0, 15'000);
    QCoreApplication::processEvents();
    QTRY_VERIFY_WITH_TIMEOUT(runShown.count() > 1 && session->background().activeThreads() == 0, 10'000);
    QCoreApplication::processEvents();
    QCOMPARE(view.shownRun(), second);
    QCOMPARE(view.runPicker()->currentData().toString(), second);
    QVERIFY2(view.scene()->nodeBadge("quote").startsWith(QStringLiteral("3 · ")), qPrintable(view.scene()->nodeBadge("quote")));
  }

  void aStepAfterAGapReadsTheJournalAgain() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session);
    QVERIFY(!runId.isEmpty());
    const auto steps = session->host().runs().loadSteps(opflow::engine::RunId(runId.toStdString()));
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);
    const QString smallBadge = view.scene()->nodeBadge("small");

    // Step steps.size() never came (a store error dropped it): the journal is read again,
    // not this step drawn under a number it does not have.
    postRunEvent(*session, opflow::ui::RunEvent::Kind::StepFinished, runId, QStringLiteral("small"),
                 static_cast<std::int64_t>(steps.size()) + 1);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 2, 10'000);
    QCOMPARE(view.scene()->nodeBadge("small"), smallBadge);
  }

  void aRunThatEntersAStepIsSaidToBeFollowedLive() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString runId = finishedQuote(*session);
    QVERIFY(!runId.isEmpty());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));
    QSignalSpy runShown(&view, &FlowchartsView::runShown);
    view.showRun(runId);
    QTRY_COMPARE_WITH_TIMEOUT(runShown.count(), 1, 10'000);

    // The engine says the run entered a step: it is followed live, and the legend says so.
    auto* legend = view.findChild<QLabel*>(QStringLiteral("legend"));
    QVERIFY(legend);
    QVERIFY2(!legend->text().contains(QStringLiteral("followed live")), qPrintable(legend->text()));
    postRunEvent(*session, opflow::ui::RunEvent::Kind::StepEntered, runId, QStringLiteral("notify"));
    QTRY_COMPARE_WITH_TIMEOUT(view.followedRun(), runId, 10'000);
    QVERIFY2(legend->text().contains(QStringLiteral("followed live")), qPrintable(legend->text()));
  }

  void aRunOfAVersionTheCatalogLacksIsNotDrawnOnAnother() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    opflow::engine::RunRecord run;
    run.id = opflow::engine::RunId::generate();
    run.operation = "demo.every_kind";
    run.version = 99;
    run.state = RunState::Completed;
    const auto created = session->host().runs().runCreated(run);
    QVERIFY2(created, created ? "" : created.error().describe().c_str());
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));

    view.showRun(qt(run.id.str()));
    QTRY_VERIFY_WITH_TIMEOUT(view.message().contains(QStringLiteral("v99")), 10'000);
    QVERIFY2(view.message().contains(QStringLiteral("demo.every_kind")), qPrintable(view.message()));
    QVERIFY(view.shownRun().isEmpty());
    QCOMPARE(view.shownVersion(), 1);
    QVERIFY(view.scene()->nodeBadge("size?").isEmpty());
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
    opflow::model::OperationDefinition same = edited; // version 3: as version 2
    same.version = 3;
    const auto addedSame = session->host().catalog().add(same);
    QVERIFY2(addedSame, addedSame ? "" : addedSame.error().describe().c_str());

    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind"), 2));
    QCOMPARE(view.shownVersion(), 2);
    QCOMPARE(view.comparePicker()->count(), 3); // none, v1 and v3
    QVERIFY(view.comparePicker()->minimumSizeHint().width() >
            view.comparePicker()->fontMetrics().horizontalAdvance(QStringLiteral("No comparison")));

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
    QVERIFY2(changes.contains(QStringLiteral("small: set")), qPrintable(changes));
    QVERIFY(scene->selectNode("small"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Compared with v1: changed\n  small: set")), qPrintable(view.nodeText()));

    // Refresh keeps the comparison.
    view.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 15'000);
    QVERIFY2(view.changesText().contains(QStringLiteral("small: set")), qPrintable(view.changesText()));

    // Until the chart compared with v3 is drawn, the node panel speaks of the one drawn.
    view.compareWith(3);
    QVERIFY(scene->selectNode("quote"));
    QVERIFY(scene->selectNode("small"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Compared with v1: changed")), qPrintable(view.nodeText()));
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 3, 15'000);
    QVERIFY2(view.changesText().contains(QStringLiteral("No node differs")), qPrintable(view.changesText()));

    QSignalSpy back(&view, &FlowchartsView::chartShown);
    view.compareWith(std::nullopt);
    QVERIFY(view.scene()->selectNode("quote"));
    QVERIFY2(view.nodeText().contains(QStringLiteral("Compared with v3: same")), qPrintable(view.nodeText()));
    QTRY_COMPARE_WITH_TIMEOUT(back.count(), 1, 15'000);
    QVERIFY(!view.scene()->hasNode("medium"));
    QVERIFY(view.changesText().isEmpty());
  }

  void aComparisonWithAVersionNotThereEndsAsThePickerSays() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    FlowchartsView view(*session);
    QVERIFY(showAndWait(view, QStringLiteral("demo.every_kind")));

    // Version 2 is not in the catalog (as if gone): the picker falls back to "No comparison".
    QSignalSpy shown(&view, &FlowchartsView::chartShown);
    view.compareWith(2);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 15'000);
    QCOMPARE(view.comparePicker()->currentIndex(), 0);
    QVERIFY(view.changesText().isEmpty());

    // Once there is a version 2, Refresh does not start comparing with it behind the picker's back.
    opflow::model::OperationDefinition edited = session->host().catalog().latest("demo.every_kind")->definition();
    edited.version = 2;
    edited.nodes.front().title = "Renamed in version 2";
    const auto added = session->host().catalog().add(edited);
    QVERIFY2(added, added ? "" : added.error().describe().c_str());
    view.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 15'000);
    QCOMPARE(view.comparePicker()->currentIndex(), 0);
    QVERIFY2(view.changesText().isEmpty(), qPrintable(view.changesText()));
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
    QSignalSpy exported(&view, &FlowchartsView::pngExported);
    QCOMPARE(view.exportPng(pngPath), QString());
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 10'000);
    QCOMPARE(exported.at(0).at(0).toString(), pngPath);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    const QImage image(pngPath);
    QVERIFY(image.width() >= view.scene()->sceneRect().width());
    const QString blank = opflow::uitest::whyBlank(image);
    QVERIFY2(blank.isEmpty(), qPrintable(blank));

    // A failed write says why, after the file's name.
    const QString badSvg = directory.filePath(QStringLiteral("no/such/dir/chart.svg"));
    const QString svgProblem = view.exportSvg(badSvg);
    QVERIFY2(svgProblem.contains(badSvg + QStringLiteral(": ")) && !svgProblem.endsWith(QStringLiteral(": ")),
             qPrintable(svgProblem));
    const QString badPng = directory.filePath(QStringLiteral("no/such/dir/chart.png"));
    QCOMPARE(view.exportPng(badPng), QString());
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 10'000);
    const QString pngProblem = exported.at(1).at(1).toString();
    QVERIFY2(pngProblem.contains(badPng + QStringLiteral(": ")) && !pngProblem.endsWith(QStringLiteral(": ")),
             qPrintable(pngProblem));
    QVERIFY(!QFile::exists(badPng));
  }

  void aChartTooLargeForAPngIsRefusedNamingItsSize() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    FlowchartsView view(*session);
    QTemporaryDir directory;
    const auto chartOf = [](double width) {
      auto geometry = std::make_shared<opflow::flowchart::FlowchartGeometry>();
      geometry->bounds = {0, 0, width, 50};
      if (width > 0) {
        geometry->nodes.push_back({"a", opflow::flowchart::BoxKind::Action, {"a"}, {10, 10, 80, 30}});
      }
      return geometry;
    };
    QSignalSpy exported(&view, &FlowchartsView::pngExported);

    // Wide, at twice its size (and the SVG's margins) within 32767 pixels a side: drawn.
    view.scene()->setChart(chartOf(10'000));
    const QString widePath = directory.filePath(QStringLiteral("wide.png"));
    QCOMPARE(view.exportPng(widePath), QString());
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20'000);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    QCOMPARE(QImageReader(widePath).size(), QSize(20'032, 132));

    // Twice its size is too wide: refused, naming the size.
    view.scene()->setChart(chartOf(20'000));
    const QString widerPath = directory.filePath(QStringLiteral("wider.png"));
    QCOMPARE(view.exportPng(widerPath), QString());
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 20'000);
    const QString problem = exported.at(1).at(1).toString();
    QVERIFY2(problem.contains(QStringLiteral("40032 x 132")) && problem.contains(QStringLiteral("SVG")), qPrintable(problem));
    QVERIFY(!QFile::exists(widerPath));

    // An empty chart is an empty picture, not a size refused.
    view.scene()->setChart(chartOf(0));
    const QString emptyPath = directory.filePath(QStringLiteral("empty.png"));
    QCOMPARE(view.exportPng(emptyPath), QString());
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 3, 20'000);
    QCOMPARE(exported.at(2).at(1).toString(), QString());
    QVERIFY(QFile::exists(emptyPath));
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
