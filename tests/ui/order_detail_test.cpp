// The order detail: an order's fields, status timeline, audit trail and runs; the
// operations its status allows for the signed-in role as buttons; an operation started
// from the console that runs to its end with its progress shown; and a role that may not
// act, which sees no button and whose forced start core refuses.
#include "ConsoleTestSupport.h"
#include "OrderDetailTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/dialogs/InputForm.h"
#include "opflow/ui/dialogs/InputFormDialog.h"
#include "opflow/ui/models/OrderAuditModel.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/models/OrderRunsModel.h"
#include "opflow/ui/views/OrderTimeline.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using opflow::domain::OrderStatus;
using opflow::engine::RunState;
using opflow::ui::InputFormDialog;
using opflow::ui::OrderDetailView;
using opflow::ui::OrderTimeline;

namespace {

QString qt(const std::string& text) { return QString::fromStdString(text); }

QStringList buttonNames(const OrderDetailView& view) {
  QStringList names;
  for (QPushButton* button : view.operationButtons()) {
    names << button->objectName();
  }
  return names;
}

QString fieldText(const OrderDetailView& view, const char* field) {
  auto* label = view.findChild<QLabel*>(QStringLiteral("field_%1").arg(QLatin1String(field)));
  return label ? label->text() : QStringLiteral("(no such field)");
}

} // namespace

class OrderDetailTest : public QObject {
  Q_OBJECT

private slots:
  void showsTheOrdersFieldsTimelineAuditAndRuns() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const std::string number = opflow::uitest::orderAt(*session, OrderStatus::FileUploaded);
    auto submitted = session->host().engine().start(
        {"order.submit", std::nullopt, {{"order", number}}, session->runContext()});
    QVERIFY2(submitted, submitted ? "" : submitted.error().describe().c_str());
    QTRY_COMPARE(session->host().engine().runRecord(*submitted)->state, RunState::Completed);

    OrderDetailView view(*session);
    QAbstractItemModelTester auditTester(view.auditModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester runsTester(view.runsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&view, &OrderDetailView::loaded);
    QVERIFY(!view.isLoaded());
    view.showOrder(qt(number).toLower());
    QTRY_VERIFY(view.isLoaded());
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(view.orderNumber(), qt(number));

    QCOMPARE(fieldText(view, "customer"), QStringLiteral("ACME Tooling"));
    QCOMPARE(fieldText(view, "status"), QStringLiteral("SUBMITTED"));
    QCOMPARE(fieldText(view, "hold"), QStringLiteral("no"));
    QCOMPARE(fieldText(view, "price"), QStringLiteral("not priced"));
    QCOMPARE(fieldText(view, "material"), QStringLiteral("PETG"));
    QCOMPARE(fieldText(view, "file"), QStringLiteral("bracket.stl"));
    const QString details = view.findChild<QPlainTextEdit*>(QStringLiteral("details"))->toPlainText();
    QVERIFY2(details.contains(QStringLiteral("file › volume_cm3: 30")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("quantity: 2")), qPrintable(details));
    QVERIFY2(!details.contains(QLatin1Char('{')), qPrintable(details));

    const std::vector<OrderTimeline::Stop>& stops = view.timeline()->stops();
    QCOMPARE(stops.size(), std::size_t{10});
    QCOMPARE(stops.front().status, OrderStatus::Initiated);
    QCOMPARE(stops.back().status, OrderStatus::Closed);
    QCOMPARE(stops[0].mark, OrderTimeline::Mark::Reached);
    QCOMPARE(stops[1].mark, OrderTimeline::Mark::Reached);
    QCOMPARE(stops[2].status, OrderStatus::Submitted);
    QCOMPARE(stops[2].mark, OrderTimeline::Mark::Current);
    QCOMPARE(stops[2].who, QStringLiteral("sam (supervisor)"));
    QVERIFY(stops[2].atMs >= stops[1].atMs && stops[1].atMs > 0);
    QCOMPARE(stops[3].mark, OrderTimeline::Mark::Ahead);
    QCOMPARE(stops[3].atMs, std::int64_t{0});
    QVERIFY(view.timeline()->accessibleDescription().contains(QStringLiteral("SUBMITTED: current")));

    QStringList actions;
    for (const opflow::store::AuditEntry& entry : view.auditModel()->entries()) {
      actions << qt(entry.action);
      QCOMPARE(entry.user, std::string("sam"));
    }
    QCOMPARE(actions.front(), QStringLiteral("order.created"));
    QVERIFY(actions.contains(QStringLiteral("run.started")));
    QVERIFY(actions.contains(QStringLiteral("run.completed")));
    QCOMPARE(actions.count(QStringLiteral("order.status_changed")), 2);
    const QModelIndex firstAudit = view.auditModel()->index(0, opflow::ui::OrderAuditModel::ActionColumn);
    QCOMPARE(firstAudit.data().toString(), QStringLiteral("order.created"));

    QCOMPARE(view.runsModel()->rowCount(), 1);
    const QModelIndex run = view.runsModel()->index(0, opflow::ui::OrderRunsModel::NameColumn);
    QCOMPARE(run.data().toString(), QStringLiteral("order.submit v1"));
    QCOMPARE(run.siblingAtColumn(opflow::ui::OrderRunsModel::OutcomeColumn).data().toString(), QStringLiteral("completed"));
    QCOMPARE(view.runsModel()->rowCount(run), 4);
    QCOMPARE(view.runsModel()->index(0, 0, run).data().toString(), QStringLiteral("check"));
    QCOMPARE(view.runsModel()->index(3, 0, run).data().toString(), QStringLiteral("submitted"));
    QCOMPARE(view.runsModel()->index(0, 0, run).data(opflow::ui::OrderRunsModel::RunIdRole).toString(),
             qt(submitted->str()));

    QCOMPARE(buttonNames(view), (QStringList{"operation_order.calculate_price", "operation_order.hold",
                                             "operation_order.cancel"}));
    for (QPushButton* button : view.operationButtons()) {
      QVERIFY2(button->text().contains(QLatin1Char('&')), qPrintable(button->text()));
      QVERIFY2(button->toolTip().contains(QStringLiteral("(Alt+")), qPrintable(button->toolTip()));
      QVERIFY(!button->accessibleName().isEmpty());
    }
    QVERIFY(view.signButton()->isHidden());

    // As the sync marks a run whose change the shared database did not take.
    const opflow::Status marked = session->host().store().writer().execute([&](opflow::store::Database& db) {
      return db.exec("UPDATE runs SET conflicted_at = 1 WHERE id = '" + submitted->str() + "'");
    });
    QVERIFY2(marked, marked ? "" : marked.error().describe().c_str());
    QSignalSpy shown(&view, &OrderDetailView::orderShown);
    view.refresh();
    QTRY_COMPARE(shown.count(), 1);
    const QModelIndex outcome = view.runsModel()->index(0, opflow::ui::OrderRunsModel::OutcomeColumn);
    QCOMPARE(outcome.data().toString(), QStringLiteral("completed, conflicted"));
    QVERIFY2(outcome.data(Qt::ToolTipRole).toString().contains(
                 QStringLiteral("the shared database did not take this run's change")),
             qPrintable(outcome.data(Qt::ToolTipRole).toString()));
  }

  void aMissingOrderIsSaidAndNothingOfTheOneBeforeStays() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    const std::string number = opflow::uitest::orderAt(*session, OrderStatus::Submitted);
    OrderDetailView view(*session);
    view.show();
    QSignalSpy shown(&view, &OrderDetailView::orderShown);
    view.showOrder(qt(number));
    QTRY_COMPARE(shown.count(), 1);
    QVERIFY(!view.operationButtons().isEmpty());
    view.showOrder(QStringLiteral("ORD-404404"));
    QTRY_COMPARE(shown.count(), 2);
    QVERIFY(!view.order());
    QVERIFY2(view.message().contains(QStringLiteral("no order \"ORD-404404\"")), qPrintable(view.message()));
    QVERIFY(view.operationButtons().isEmpty());
    QVERIFY(fieldText(view, "customer").isEmpty());
    QVERIFY(view.timeline()->isHidden());
    QCOMPARE(view.auditModel()->rowCount(), 0);
    QCOMPARE(view.runsModel()->rowCount(), 0);
  }

  void anOperationStartedFromTheConsoleCompletesAndItsProgressIsSeen() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    QVERIFY(opflow::uitest::setFastPricing(database.path(), 300.0));
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    const std::string number = opflow::uitest::orderAt(*session, OrderStatus::Submitted);
    OrderDetailView view(*session);
    QAbstractItemModelTester auditTester(view.auditModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester runsTester(view.runsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(opflow::uitest::showAndWait(view, number));
    QCOMPARE(buttonNames(view), QStringList{"operation_order.calculate_price"});

    // What the live panel shows after each run event (connected after the view, so the
    // view has taken the event in first).
    QStringList shown;
    int mostProgress = 0;
    QObject::connect(&session->events(), &opflow::ui::RunEventBridge::runEvent, &view, [&] {
      if (!view.progressText().isEmpty() && !view.progressBar()->isHidden()) {
        shown << view.progressText();
        mostProgress = std::max(mostProgress, view.progressBar()->value());
      }
    });
    QSignalSpy started(&view, &OrderDetailView::runStarted);
    QTest::mouseClick(view.operationButtons().front(), Qt::LeftButton);
    InputFormDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = view.findChild<InputFormDialog*>()) != nullptr);
    auto* order = qobject_cast<QLineEdit*>(dialog->form()->editorOf("order"));
    QVERIFY(order && order->isReadOnly());
    QCOMPARE(order->text(), qt(number));
    QVERIFY(dialog->startButton()->isEnabled());
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_COMPARE(started.count(), 1);

    QTRY_VERIFY_WITH_TIMEOUT(view.order() && view.order()->status == OrderStatus::PriceCalculated, 30'000);
    QVERIFY2(view.message().contains(QStringLiteral("completed")), qPrintable(view.message()));
    QVERIFY(view.order()->priceCents.has_value());
    QVERIFY(fieldText(view, "price") != QStringLiteral("not priced"));
    QVERIFY2(std::any_of(shown.begin(), shown.end(),
                         [](const QString& text) { return text.startsWith(QStringLiteral("order.calculate_price › calculate: ")); }),
             qPrintable(shown.join(QLatin1Char('\n'))));
    QVERIFY(mostProgress > 0);
    QTRY_VERIFY(view.progressText().isEmpty());
    QCOMPARE(view.runsModel()->index(0, opflow::ui::OrderRunsModel::OutcomeColumn).data().toString(),
             QStringLiteral("completed"));
    QCOMPARE(view.runsModel()->index(0, 0).data(opflow::ui::OrderRunsModel::RunIdRole).toString(),
             started.front().front().toString());
    QCOMPARE(buttonNames(view), QStringList{"operation_order.approve_manufacturing"});
  }

  void aMoveTheOrderNoLongerAllowsFailsWithCoresReason() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    const std::string number = opflow::uitest::orderAt(*session, OrderStatus::Submitted);
    OrderDetailView view(*session);
    QVERIFY(opflow::uitest::showAndWait(view, number));
    QCOMPARE(buttonNames(view), QStringList{"operation_order.calculate_price"});
    // Meanwhile a supervisor elsewhere puts the order on hold.
    auto held = session->host().workstation().orders().hold(number, opflow::domain::HoldReason::Payment,
                                                            {"sam", "supervisor", "office", "", ""});
    QVERIFY(held);

    QTest::mouseClick(view.operationButtons().front(), Qt::LeftButton);
    InputFormDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = view.findChild<InputFormDialog*>()) != nullptr);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY(view.message().contains(QStringLiteral("failed")));
    QVERIFY2(view.message().contains(QStringLiteral("is on hold (PAYMENT)")), qPrintable(view.message()));
    // The failure names its correlation id: the one the run's audit entries carry.
    const QString message = view.message();
    const qsizetype at = message.indexOf(QStringLiteral("Reference "));
    QVERIFY2(at >= 0, qPrintable(message));
    const QString reference = message.mid(at + 10, 36);
    QVERIFY(session->host().runs().flush());
    auto runs = session->host().runs().listRuns({.operation = "order.calculate_price"});
    QVERIFY(runs && !runs->empty());
    auto record = session->host().runs().loadRun(opflow::engine::RunId(runs->front().id));
    QVERIFY(record);
    QCOMPARE(QString::fromStdString(record->context.correlationId), reference);
    QTRY_VERIFY(view.order() && view.order()->hold.has_value());
    QVERIFY(view.timeline()->isHeld());
    QVERIFY(view.timeline()->accessibleDescription().contains(QStringLiteral("SUBMITTED: current, on hold")));
    QVERIFY(view.operationButtons().isEmpty()); // an operator may not release it
  }

  void aNewOrderIsMadeThroughItsOperationAndThenShown() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    OrderDetailView view(*session);
    view.show();
    QCOMPARE(view.newOrderButtons().size(), 1);
    QPushButton* create = view.newOrderButtons().front();
    QCOMPARE(create->objectName(), QStringLiteral("new_order.create"));
    QCOMPARE(create->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_N));
    QTest::mouseClick(create, Qt::LeftButton);
    InputFormDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = view.findChild<InputFormDialog*>()) != nullptr);
    QVERIFY(!dialog->startButton()->isEnabled());
    QVERIFY(dialog->form()->problemOf("customer").contains(QStringLiteral("is required")));
    qobject_cast<QLineEdit*>(dialog->form()->editorOf("customer"))->setText(QStringLiteral("Umbrella Labs"));
    auto* material = qobject_cast<QComboBox*>(dialog->form()->editorOf("material"));
    QVERIFY(material);
    material->setCurrentIndex(material->findText(QStringLiteral("NYLON")));
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);

    QTRY_VERIFY(view.isLoaded());
    QTRY_VERIFY(view.order() && view.order()->customer == "Umbrella Labs");
    QCOMPARE(view.order()->status, OrderStatus::Initiated);
    QCOMPARE(view.order()->material, std::string("NYLON"));
    QVERIFY2(view.message().startsWith(QStringLiteral("Created order ")), qPrintable(view.message()));
    QTRY_COMPARE(buttonNames(view), QStringList{"operation_order.upload_file"});
  }

  void aRoleThatMayNotActSeesNoButtonAndCoreRefusesAForcedStart() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    std::string number;
    {
      auto manager = database.open(opflow::uitest::kManager);
      QVERIFY(manager);
      number = opflow::uitest::orderAt(*manager, OrderStatus::Submitted);
      OrderDetailView view(*manager);
      QVERIFY(opflow::uitest::showAndWait(view, number));
      QVERIFY(view.operationButtons().isEmpty());
      QVERIFY(view.newOrderButtons().isEmpty());
      QVERIFY(view.findChild<QWidget*>(QStringLiteral("operations"))->isHidden());
      QVERIFY(view.signButton()->isHidden());
      auto forced = manager->host().engine().start(
          {"order.calculate_price", std::nullopt, {{"order", number}}, manager->runContext()});
      QVERIFY(!forced);
      QCOMPARE(forced.error().code, opflow::ErrorCode::PermissionDenied);
    }
    auto operatorSession = database.open(opflow::uitest::kOperator);
    QVERIFY(operatorSession);
    OrderDetailView view(*operatorSession);
    QVERIFY(opflow::uitest::showAndWait(view, number));
    // Holds and cancels are a supervisor's.
    QCOMPARE(buttonNames(view), QStringList{"operation_order.calculate_price"});

    // Forced through the console all the same: core refuses, and the dialog says why.
    view.startOperation(QStringLiteral("order.hold"));
    InputFormDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = view.findChild<InputFormDialog*>()) != nullptr);
    auto* reason = qobject_cast<QComboBox*>(dialog->form()->editorOf("reason"));
    QVERIFY(reason);
    reason->setCurrentIndex(reason->findText(QStringLiteral("PAYMENT")));
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY(!dialog->refusal().isEmpty());
    QVERIFY2(dialog->refusal().contains(QStringLiteral("role \"operator\" may not run \"order.hold\"")),
             qPrintable(dialog->refusal()));
    QVERIFY(dialog->isVisible());
    dialog->reject();
    QTRY_VERIFY(!view.findChild<InputFormDialog*>());
  }
};

OPFLOW_UI_TEST(OrderDetailTest)
#include "order_detail_test.moc"
