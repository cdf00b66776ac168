// The live runs view over a real workstation database and its engine: a run appears with
// its progress and leaves when it ends; cancel from the view cancels it; an interrupted run
// (left by a "crash" inside a handler not safe to repeat) is offered to a supervisor, whose
// retry or fail decision works, and is neither shown to an operator nor accepted from one.
#include "ConsoleTestSupport.h"
#include "ProblemTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/store/Settings.h"
#include "opflow/store/SqliteRunStore.h"
#include "opflow/ui/models/InterruptedRunsModel.h"
#include "opflow/ui/models/RunsModel.h"
#include "opflow/ui/views/RunsView.h"

#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QGuiApplication>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <fstream>

using opflow::engine::RunRecord;
using opflow::engine::RunState;
using opflow::ui::ConsoleSession;
using opflow::ui::InterruptedRunsModel;
using opflow::ui::RunsModel;
using opflow::ui::RunEvent;
using opflow::ui::RunsView;

namespace {

using Tester = QAbstractItemModelTester;

// Opens the test database's store on its own (no session holds it yet) and runs `change`
// on the writer.
bool changeStore(const opflow::uitest::ConsoleDatabase& database,
                 const std::function<opflow::Status(opflow::store::LocalStore&)>& change) {
  opflow::store::LocalStoreOptions options;
  options.path = database.path().toStdString();
  auto store = opflow::store::LocalStore::open(options);
  if (!store) {
    qWarning() << store.error().describe().c_str();
    return false;
  }
  opflow::Status changed = change(**store);
  if (!changed) {
    qWarning() << changed.error().describe().c_str();
  }
  return changed.ok();
}

// The pricing worker at `factor` times real speed (a 2-3 minute calculation in seconds).
bool setPricingSpeed(const opflow::uitest::ConsoleDatabase& database, double factor) {
  return changeStore(database, [factor](opflow::store::LocalStore& store) {
    return store.writer().execute([factor](opflow::store::Database& db) {
      return opflow::store::writeSetting(db, opflow::store::setting::kPricingSpeedFactor, factor);
    });
  });
}

// A run of order.hold left by a process that stopped inside its "hold" handler, which is
// not safe to repeat: the next engine start makes it interrupted. Returns its id.
std::string leaveRunInsideHold(const opflow::uitest::ConsoleDatabase& database) {
  opflow::uitest::BuiltinCatalog shipped;
  if (!shipped.load()) {
    qWarning() << shipped.error.c_str();
    return {};
  }
  opflow::engine::RunRecord run;
  run.id = opflow::engine::RunId::generate();
  run.operation = "order.hold";
  run.version = 1;
  run.contentHash = shipped.catalog.find("order.hold", 1)->contentHash();
  run.state = RunState::Running;
  run.currentNode = "hold";
  run.inputs = {{"order", "ORD-NOT-THERE"}, {"reason", "QUALITY_CHECK"}, {"note", ""}};
  run.data = run.inputs;
  run.context = {opflow::uitest::kSupervisor, "supervisor", "test-ws", "corr-interrupted", run.id, {}};
  run.createdAt = std::chrono::system_clock::now();
  run.updatedAt = run.createdAt;
  const bool left = changeStore(database, [&run](opflow::store::LocalStore& store) -> opflow::Status {
    opflow::store::SqliteRunStore runs(store);
    if (opflow::Status created = runs.runCreated(run); !created) {
      return created;
    }
    return runs.flush();
  });
  return left ? run.id.str() : std::string();
}

std::optional<RunRecord> recordOf(ConsoleSession& session, const QString& runId) {
  return session.host().engine().runRecord(opflow::engine::RunId(runId.toStdString()));
}

bool hasEnded(ConsoleSession& session, const QString& runId) {
  auto record = recordOf(session, runId);
  return record && opflow::engine::isTerminal(record->state);
}

QString start(ConsoleSession& session, const std::string& operation, opflow::Json inputs) {
  auto started = session.host().engine().start({operation, std::nullopt, std::move(inputs), session.runContext()});
  if (!started) {
    QTest::qFail(started.error().describe().c_str(), __FILE__, __LINE__);
    return {};
  }
  return QString::fromStdString(started->str());
}

QString cell(const RunsModel& model, const QString& runId, int column, int role = Qt::DisplayRole) {
  return model.index(model.rowOf(runId), column).data(role).toString();
}

// Clicks "yes" on the view's confirmation box called `name`.
bool confirm(QWidget& view, const QString& name) {
  QMessageBox* box = nullptr;
  if (!QTest::qWaitFor([&] { return (box = view.findChild<QMessageBox*>(name)) != nullptr; })) {
    return false;
  }
  auto* yes = box->findChild<QPushButton*>(QStringLiteral("yes"));
  if (!yes) {
    return false;
  }
  yes->click();
  return true;
}

RunEvent eventOf(RunEvent::Kind kind, const QString& runId) {
  RunEvent event;
  event.kind = kind;
  event.runId = runId;
  event.atMs = QDateTime::currentMSecsSinceEpoch();
  return event;
}

RunEvent started(const QString& runId, const QString& operation, const QString& parentRunId = {}) {
  RunEvent event = eventOf(RunEvent::Kind::Started, runId);
  event.operation = operation;
  event.parentRunId = parentRunId;
  event.user = QStringLiteral("olga");
  event.order = QStringLiteral("ORD-%1").arg(runId);
  return event;
}

constexpr const char* kCubeObj = "v 0 0 0\nv 0 0 10\nv 0 10 0\nv 0 10 10\nv 10 0 0\nv 10 0 10\nv 10 10 0\nv 10 10 10\n"
                                 "f 1 3 7 5\nf 2 6 8 4\nf 1 5 6 2\nf 3 4 8 7\nf 1 2 4 3\nf 5 7 8 6\n";

} // namespace

class RunsViewTest : public QObject {
  Q_OBJECT

private slots:
  void aWaitingRunAppearsWithItsProgressAndLeavesWhenItEnds() {
    opflow::uitest::ConsoleDatabase database(3);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    RunsView view(*session);
    Tester tester(view.model(), Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(view.isLoaded());
    QCOMPARE(view.model()->rowCount(), 0);

    // A large quote waits for a reviewer.
    const QString runId = start(*session, "demo.every_kind", {{"customer", "ACME"}, {"amount", 5000}});
    QVERIFY(!runId.isEmpty());
    RunsModel& model = *view.model();
    QTRY_VERIFY(model.rowOf(runId) >= 0);
    QTRY_COMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("waiting"));
    QCOMPARE(cell(model, runId, RunsModel::OperationColumn), QStringLiteral("demo.every_kind"));
    QCOMPARE(cell(model, runId, RunsModel::NodeColumn), QStringLiteral("review"));
    QCOMPARE(cell(model, runId, RunsModel::UserColumn), QStringLiteral("olga"));
    QVERIFY(cell(model, runId, RunsModel::MessageColumn).contains(QStringLiteral("review")));
    QCOMPARE(cell(model, runId, RunsModel::EtaColumn), QStringLiteral("—"));
    const QVariant fraction = model.index(model.rowOf(runId), 0).data(RunsModel::ProgressRole);
    QVERIFY(fraction.isValid());
    QVERIFY(fraction.toDouble() > 0.0 && fraction.toDouble() < 1.0);

    // A reload (another view opening, F5) finds the same run where it is.
    view.refresh();
    QTRY_VERIFY(model.rowOf(runId) >= 0);
    QCOMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("waiting"));

    QVERIFY(session->host().engine().signal(opflow::engine::RunId(runId.toStdString()), "review",
                                            {{"approved", true}}, session->actor()));
    QTRY_COMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("completed"));
    QCOMPARE(model.index(model.rowOf(runId), 0).data(RunsModel::ProgressRole).toDouble(), 1.0);
    QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(runId) < 0, RunsModel::kEndedLingerMs + 5000);
  }

  void eachEventChangesOnlyItsRowAndSubRunsFoldIntoTheirRun() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    RunsModel model(*session);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.refresh();
    QTRY_VERIFY(model.isLoaded());
    opflow::ui::RunEventBridge& bridge = session->events();
    for (int i = 0; i < 200; ++i) {
      emit bridge.runEvent(started(QStringLiteral("run-%1").arg(i), QStringLiteral("demo.op")));
    }
    QCOMPARE(model.rowCount(), 200);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    RunEvent progress = eventOf(RunEvent::Kind::Progress, QStringLiteral("run-100"));
    progress.structural = false;
    progress.fraction = 0.5;
    progress.message = QStringLiteral("half way");
    progress.etaMs = 90'000;
    emit bridge.runEvent(progress);
    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.front().at(0).value<QModelIndex>();
    const auto bottomRight = changed.front().at(1).value<QModelIndex>();
    QCOMPARE(topLeft.row(), model.rowOf(QStringLiteral("run-100")));
    QCOMPARE(bottomRight.row(), topLeft.row());
    QCOMPARE(cell(model, QStringLiteral("run-100"), RunsModel::ProgressColumn), QStringLiteral("50%"));
    QCOMPARE(cell(model, QStringLiteral("run-100"), RunsModel::MessageColumn), QStringLiteral("half way"));
    QVERIFY(cell(model, QStringLiteral("run-100"), RunsModel::EtaColumn).startsWith(QStringLiteral("≈ 1:")));

    // A sub-run shows on the run it works for, and leaves it when it ends.
    RunEvent call = eventOf(RunEvent::Kind::StepEntered, QStringLiteral("run-5"));
    call.node = QStringLiteral("confirm");
    emit bridge.runEvent(call);
    emit bridge.runEvent(started(QStringLiteral("sub-5"), QStringLiteral("auth.sign"), QStringLiteral("run-5")));
    RunEvent inner = eventOf(RunEvent::Kind::StepEntered, QStringLiteral("sub-5"));
    inner.node = QStringLiteral("wait");
    emit bridge.runEvent(inner);
    RunEvent waiting = eventOf(RunEvent::Kind::Waiting, QStringLiteral("sub-5"));
    waiting.node = QStringLiteral("wait");
    waiting.signal = QStringLiteral("signature");
    emit bridge.runEvent(waiting);
    QCOMPARE(model.rowCount(), 200);
    QCOMPARE(cell(model, QStringLiteral("run-5"), RunsModel::NodeColumn),
             QStringLiteral("confirm › auth.sign: wait"));
    QCOMPARE(cell(model, QStringLiteral("run-5"), RunsModel::MessageColumn),
             QStringLiteral("auth.sign waits for “signature”"));
    emit bridge.runEvent(eventOf(RunEvent::Kind::Completed, QStringLiteral("sub-5")));
    QCOMPARE(cell(model, QStringLiteral("run-5"), RunsModel::NodeColumn), QStringLiteral("confirm"));

    // Ended runs show their end, then leave together; the rest keep their rows right.
    RunEvent failed = eventOf(RunEvent::Kind::Failed, QStringLiteral("run-7"));
    failed.error = QStringLiteral("no_decision: nothing matched");
    emit bridge.runEvent(failed);
    emit bridge.runEvent(eventOf(RunEvent::Kind::Cancelled, QStringLiteral("run-8")));
    QCOMPARE(cell(model, QStringLiteral("run-7"), RunsModel::StateColumn), QStringLiteral("failed"));
    QCOMPARE(cell(model, QStringLiteral("run-7"), RunsModel::MessageColumn), failed.error);
    QVERIFY(model.index(model.rowOf(QStringLiteral("run-8")), 0).data(RunsModel::EndedRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() == 198, RunsModel::kEndedLingerMs + 5000);
    QCOMPARE(model.rowOf(QStringLiteral("run-7")), -1);
    for (int row = 0; row < model.rowCount(); ++row) {
      QCOMPARE(model.rowOf(model.runIdAt(row)), row);
    }

    // Events that come while a reload is under way are kept and replayed over it.
    model.refresh();
    emit bridge.runEvent(started(QStringLiteral("run-during-load"), QStringLiteral("demo.op")));
    QTRY_COMPARE(model.rowCount(), 1); // the engine runs none of the made-up runs
    QCOMPARE(model.runIdAt(0), QStringLiteral("run-during-load"));
  }

  void aRunHeardOfFirstByALaterEventIsLookedUpAndShown() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    // A run the model has not loaded and whose Started it did not hear (as after a
    // supervisor's decision lets an interrupted run go on).
    const QString runId = start(*session, "demo.every_kind", {{"customer", "ACME"}, {"amount", 5000}});
    QTRY_COMPARE(recordOf(*session, runId)->state, RunState::Waiting);
    RunsModel model(*session);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    RunEvent waiting = eventOf(RunEvent::Kind::Waiting, runId);
    waiting.node = QStringLiteral("review");
    waiting.signal = QStringLiteral("review");
    emit session->events().runEvent(waiting);
    QTRY_VERIFY(model.rowOf(runId) >= 0);
    QCOMPARE(cell(model, runId, RunsModel::OperationColumn), QStringLiteral("demo.every_kind"));
    QCOMPARE(cell(model, runId, RunsModel::UserColumn), QStringLiteral("olga"));
    QCOMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("waiting"));

  }

  void aLongCalculationShowsItsProgressAndCancelFromTheViewCancelsIt() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    QVERIFY(setPricingSpeed(database, 30)); // 2-3 minutes in 4-6 s
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    QTemporaryDir files;
    const std::string model3d = files.filePath(QStringLiteral("cube.obj")).toStdString();
    std::ofstream(model3d) << kCubeObj;

    const QString created = start(*session, "order.create", {{"customer", "Initech"}, {"material", "PLA"}});
    QTRY_VERIFY(hasEnded(*session, created));
    const std::string order = recordOf(*session, created)->outputs.value("order", "");
    QVERIFY(!order.empty());
    const QString uploaded = start(*session, "order.upload_file", {{"order", order}, {"path", model3d}});
    QTRY_VERIFY(hasEnded(*session, uploaded));
    const QString submitted = start(*session, "order.submit", {{"order", order}});
    QTRY_VERIFY(hasEnded(*session, submitted));
    QCOMPARE(recordOf(*session, submitted)->state, RunState::Completed);

    RunsView view(*session);
    view.show();
    Tester tester(view.model(), Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(view.isLoaded());
    RunsModel& model = *view.model();
    const QString runId = start(*session, "order.calculate_price", {{"order", order}});
    QTRY_VERIFY(model.rowOf(runId) >= 0);
    QCOMPARE(cell(model, runId, RunsModel::OrderColumn), QString::fromStdString(order));
    // The handler reports its progress with a message while the calculation runs.
    QTRY_VERIFY_WITH_TIMEOUT(!cell(model, runId, RunsModel::MessageColumn).isEmpty(), 10'000);
    QCOMPARE(cell(model, runId, RunsModel::NodeColumn), QStringLiteral("calculate"));
    QCOMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("running"));
    const double fraction = model.index(model.rowOf(runId), 0).data(RunsModel::ProgressRole).toDouble();
    QVERIFY(fraction >= 0.0 && fraction < 1.0);
    QVERIFY(cell(model, runId, RunsModel::ProgressColumn).endsWith(u'%'));

    auto* cancel = view.findChild<QPushButton*>(QStringLiteral("cancelRun"));
    QVERIFY(cancel);
    QVERIFY(cancel->isVisible());
    view.table()->selectRow(model.rowOf(runId));
    QVERIFY(cancel->isEnabled());
    cancel->click();
    QVERIFY(confirm(view, QStringLiteral("confirmCancel")));
    QTRY_VERIFY(hasEnded(*session, runId));
    QCOMPARE(recordOf(*session, runId)->state, RunState::Cancelled);
    QTRY_COMPARE(cell(model, runId, RunsModel::StateColumn), QStringLiteral("cancelled"));
    QVERIFY(!view.findChild<QLabel*>(QStringLiteral("runsMessage"))->property("warning").toBool());
    QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(runId) < 0, RunsModel::kEndedLingerMs + 5000);
  }

  void aSupervisorRetriesOrFailsAnInterruptedRun() {
    opflow::uitest::ConsoleDatabase database(3);
    QVERIFY2(database.error().empty(), database.error().c_str());
    const QString retried = QString::fromStdString(leaveRunInsideHold(database));
    const QString failed = QString::fromStdString(leaveRunInsideHold(database));
    QVERIFY(!retried.isEmpty() && !failed.isEmpty());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    QCOMPARE(recordOf(*session, retried)->state, RunState::Interrupted);

    RunsView view(*session);
    view.show();
    QVERIFY(view.interruptedModel());
    Tester tester(view.interruptedModel(), Tester::FailureReportingMode::QtTest);
    Tester liveTester(view.model(), Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(view.isLoaded());
    InterruptedRunsModel& interrupted = *view.interruptedModel();
    QCOMPARE(interrupted.rowCount(), 2);
    QCOMPARE(view.model()->rowOf(retried), -1); // not a live run
    QVERIFY(view.findChild<QGroupBox*>(QStringLiteral("interruptedSection"))->isVisible());
    const int row = interrupted.rowOf(retried);
    QCOMPARE(interrupted.index(row, InterruptedRunsModel::NodeColumn).data().toString(), QStringLiteral("hold"));
    QCOMPARE(interrupted.index(row, InterruptedRunsModel::OrderColumn).data().toString(),
             QStringLiteral("ORD-NOT-THERE"));

    // Skip offers the other nodes of the run's own version.
    view.interruptedTable()->selectRow(row);
    auto* targets = view.findChild<QComboBox*>(QStringLiteral("skipTarget"));
    QVERIFY(targets->findData(QStringLiteral("held")) >= 0);
    QVERIFY(targets->findData(QStringLiteral("refused")) >= 0);
    QCOMPARE(targets->findData(QStringLiteral("hold")), -1);

    view.retrySelected();
    QTRY_VERIFY(hasEnded(*session, retried)); // the hold runs again and refuses the unknown order
    QCOMPARE(recordOf(*session, retried)->state, RunState::Failed);
    QTRY_COMPARE(interrupted.rowCount(), 1);
    auto* message = view.findChild<QLabel*>(QStringLiteral("decisionMessage"));
    QVERIFY(message->text().contains(QStringLiteral("accepted")));
    QVERIFY(!message->property("warning").toBool());

    view.interruptedTable()->selectRow(interrupted.rowOf(failed));
    view.failSelected();
    QVERIFY(confirm(view, QStringLiteral("confirmFail")));
    QTRY_VERIFY(hasEnded(*session, failed));
    auto record = recordOf(*session, failed);
    QCOMPARE(record->state, RunState::Failed);
    QVERIFY(record->error);
    QCOMPARE(record->error->code, std::string("interrupted"));
    QTRY_COMPARE(interrupted.rowCount(), 0);
  }

  // A refusal names the run's correlation id: the console's log line of the refused
  // action carries it, with the run and who asked, and "Copy reference" copies it.
  void aRefusedDecisionShowsTheRunsReferenceToCopy() {
    opflow::uitest::ConsoleDatabase database(3);
    QVERIFY2(database.error().empty(), database.error().c_str());
    const QString runId = QString::fromStdString(leaveRunInsideHold(database));
    QVERIFY(!runId.isEmpty());
    opflow::uitest::LogCapture log(database.path());
    QVERIFY(log.started());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    RunsView view(*session);
    view.show();
    QTRY_VERIFY(view.isLoaded());
    QTRY_COMPARE(view.interruptedModel()->rowCount(), 1);
    view.interruptedTable()->selectRow(0);
    // Another supervisor decides first; the view has not heard of it yet.
    QVERIFY(session->host().engine().decide(opflow::engine::RunId(runId.toStdString()),
                                            {opflow::engine::DecisionKind::Fail, {}}, session->actor()));

    view.retrySelected();
    auto* message = view.findChild<QLabel*>(QStringLiteral("decisionMessage"));
    QTRY_VERIFY(message->property("warning").toBool());
    const QString shown = opflow::uitest::plainTextOf(message);
    QVERIFY2(shown.contains(QStringLiteral("refused")), qPrintable(shown));
    QCOMPARE(opflow::uitest::referenceShownBy(message), QStringLiteral("corr-interrupted"));
    emit message->linkActivated(QStringLiteral("copy-reference"));
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("corr-interrupted"));

    const std::vector<opflow::Json> lines = log.linesUnder("corr-interrupted");
    const auto refused = std::find_if(lines.begin(), lines.end(), [](const opflow::Json& line) {
      return line.value("msg", "") == "console action failed";
    });
    QVERIFY(refused != lines.end());
    QCOMPARE(refused->value("action", ""), std::string("run.decide"));
    QCOMPARE(refused->value("run_id", ""), runId.toStdString());
    QCOMPARE(refused->value("user", ""), std::string(opflow::uitest::kSupervisor));
    QCOMPARE(refused->value("role", ""), std::string("supervisor"));
    QVERIFY(!refused->value("error", "").empty());
  }

  void anOperatorIsNotOfferedInterruptedRunsAndCoreRefusesTheirDecision() {
    opflow::uitest::ConsoleDatabase database(3);
    QVERIFY2(database.error().empty(), database.error().c_str());
    const QString runId = QString::fromStdString(leaveRunInsideHold(database));
    QVERIFY(!runId.isEmpty());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);

    RunsView view(*session);
    view.show();
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(!view.interruptedModel());
    QVERIFY(!view.interruptedTable());
    QVERIFY(!view.findChild<QGroupBox*>(QStringLiteral("interruptedSection")));
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("retryRun")));
    QVERIFY(view.findChild<QPushButton*>(QStringLiteral("cancelRun"))); // operators act

    const opflow::Status forced = session->host().engine().decide(
        opflow::engine::RunId(runId.toStdString()), {opflow::engine::DecisionKind::Retry, {}}, session->actor());
    QVERIFY(!forced);
    QCOMPARE(forced.error().code, opflow::ErrorCode::PermissionDenied);
    QCOMPARE(recordOf(*session, runId)->state, RunState::Interrupted);
  }

  // Core refuses an operator's cancel of someone else's run; the view does not offer it.
  void anOperatorIsOfferedTheCancelOfTheirOwnRunsOnly() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    opflow::engine::RunContext sams = session->runContext();
    sams.user = "sam";
    sams.role = "supervisor";
    auto supervisors = session->host().engine().start(
        {"demo.every_kind", std::nullopt, {{"customer", "ACME"}, {"amount", 5000}}, sams});
    QVERIFY(supervisors);
    const QString theirs = QString::fromStdString(supervisors->str());
    const QString own = start(*session, "demo.every_kind", {{"customer", "ACME"}, {"amount", 5000}});

    RunsView view(*session);
    view.show();
    QTRY_VERIFY(view.isLoaded());
    RunsModel& model = *view.model();
    QTRY_VERIFY(model.rowOf(theirs) >= 0 && model.rowOf(own) >= 0);
    auto* cancel = view.findChild<QPushButton*>(QStringLiteral("cancelRun"));
    QVERIFY(cancel);
    view.table()->selectRow(model.rowOf(theirs));
    QVERIFY(!cancel->isEnabled());
    QCOMPARE(cancel->toolTip(), QStringLiteral("olga may cancel only the runs they started: this one was started by "
                                               "sam; a supervisor may cancel it"));
    view.table()->selectRow(model.rowOf(own));
    QVERIFY(cancel->isEnabled());
  }

  void aManagerReadsRunsButIsOfferedNoCancel() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    RunsView view(*session);
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("cancelRun")));
    QVERIFY(!view.findChild<QGroupBox*>(QStringLiteral("interruptedSection")));
  }
};

OPFLOW_UI_TEST(RunsViewTest)
#include "runs_view_test.moc"
