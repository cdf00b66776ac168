// The console across workstations: two consoles on two workstation databases joined to
// one shared database (a shared SQLite file, and a database on a PostgreSQL server the
// tests start) show each other's work live, put a conflict in front of a supervisor and
// resolve it, and say when the shop cannot be reached.
#include "ShopTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/sync/ShopStatistics.h"
#include "opflow/sync/SyncConflicts.h"
#include "opflow/ui/flowchart/FlowchartsView.h"
#include "opflow/ui/dialogs/SyncPanel.h"
#include "opflow/ui/models/AuditModel.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/text/OrderText.h"
#include "opflow/ui/views/AuditView.h"
#include "opflow/ui/views/ConflictBanner.h"
#include "opflow/ui/views/ConsoleStatusBar.h"
#include "opflow/ui/views/MainWindow.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/views/OrdersView.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QSet>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <algorithm>
#include <filesystem>

using opflow::domain::OrderStatus;
using opflow::uitest::ShopBackend;
using opflow::uitest::TwoWorkstationShop;

Q_DECLARE_METATYPE(opflow::uitest::ShopBackend)

namespace {

QString qt(const std::string& text) { return QString::fromStdString(text); }

void addBackends() {
  QTest::addColumn<ShopBackend>("backend");
  QTest::newRow("shared SQLite file") << ShopBackend::SqliteFile;
  QTest::newRow("PostgreSQL") << ShopBackend::Postgres;
}

// The status shown for order `number` in `view`'s list ("" when it is not on the page).
QString listedStatus(const opflow::ui::OrdersView& view, const std::string& number) {
  const int row = view.model()->rowOf(qt(number));
  return row < 0 ? QString() : view.model()->index(row, opflow::ui::OrderListModel::StatusColumn).data().toString();
}

// Saves `widget` as docs/screenshots/NAME.png's candidate when OPFLOW_SHOP_SCREENSHOTS
// names a folder (how the README's pictures of the shop are made), shown at 1280x800.
void saveShot(QWidget& widget, const QString& name) {
  const QString folder = qEnvironmentVariable("OPFLOW_SHOP_SCREENSHOTS");
  if (folder.isEmpty()) {
    return;
  }
  widget.resize(widget.inherits("QDialog") ? QSize(900, 560) : QSize(1280, 800));
  widget.show();
  QTest::qWait(300);
  QVERIFY(widget.grab().save(QDir(folder).filePath(name + QStringLiteral(".png"))));
}

std::vector<opflow::sync::SyncConflict> openConflicts(opflow::ui::ConsoleSession& session) {
  auto conflicts = opflow::sync::listConflicts(session.host().store(), true);
  return conflicts ? *conflicts : std::vector<opflow::sync::SyncConflict>{};
}

} // namespace

class ShopSyncTest : public QObject {
  Q_OBJECT

private slots:
  void aMoveAtOneWorkstationAppearsAtTheOther_data() { addBackends(); }
  void aMoveAtOneWorkstationAppearsAtTheOther() {
    QFETCH(ShopBackend, backend);
    TwoWorkstationShop shop(backend);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kOperator);
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor);
    QVERIFY(a && b);
    opflow::ui::MainWindow window(*b);
    opflow::ui::OrdersView* orders = window.ordersView();
    QTRY_VERIFY(orders->isLoaded());
    QTRY_VERIFY(TwoWorkstationShop::caughtUp(*b));

    // The operator at ws-b works on an order; ws-a makes a new one and moves another.
    const std::string worked = shop.uploaded().front();
    QTableView* table = orders->table();
    const int row = orders->model()->rowOf(qt(worked));
    QVERIFY(row >= 0);
    table->selectionModel()->setCurrentIndex(orders->model()->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    window.orderView()->showOrder(qt(worked));
    QTRY_VERIFY(window.orderView()->isLoaded());

    auto made = a->host().workstation().orders().create({"", "Made at A", 2, std::nullopt, "PLA", "", "", opflow::Json::object()},
                                                         {opflow::uitest::kOperator, "operator", "ws-a", "", ""});
    QVERIFY2(made, made ? "" : made.error().describe().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(listedStatus(*orders, made->number), opflow::ui::orderStatusName(OrderStatus::Initiated),
                              5000);
    QCOMPARE(orders->model()->orderNumberAt(table->currentIndex().row()), qt(worked));

    QSignalSpy reset(orders->model(), &QAbstractItemModel::modelReset);
    auto moved = TwoWorkstationShop::move(*a, worked, OrderStatus::Submitted);
    QVERIFY2(moved, moved ? "" : moved.error().describe().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(listedStatus(*orders, worked), opflow::ui::orderStatusName(OrderStatus::Submitted), 5000);
    // In place: the same row stays current, without a reset of the page.
    QCOMPARE(reset.count(), 0);
    QCOMPARE(orders->model()->orderNumberAt(table->currentIndex().row()), qt(worked));
    // The order open at ws-b shows it too.
    QTRY_COMPARE(window.orderView()->order()->status, OrderStatus::Submitted);
  }

  void aLostChangeShowsItsBannerAndIsRedone_data() { addBackends(); }
  void aLostChangeShowsItsBannerAndIsRedone() {
    QFETCH(ShopBackend, backend);
    TwoWorkstationShop shop(backend);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    const std::string number = shop.uploaded().front();
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kSupervisor);
    // ws-b works offline: its sync starts once its change is made.
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor, false);
    QVERIFY(a && b);

    // ws-a holds and releases the order (still uploaded, two versions on)...
    const opflow::store::OrderActor supervisorA{opflow::uitest::kSupervisor, "supervisor", "ws-a", "", ""};
    opflow::store::OrderStore& ordersA = a->host().workstation().orders();
    QVERIFY(ordersA.hold(number, opflow::domain::HoldReason::CustomerRequest, supervisorA));
    QVERIFY(ordersA.release(number, supervisorA));
    QTRY_VERIFY_WITH_TIMEOUT(TwoWorkstationShop::caughtUp(*a), 5000);
    // ... while ws-b submits it, through the operation, on the version it had.
    auto submitted =
        b->host().engine().start({"order.submit", std::nullopt, {{"order", number}}, b->runContext()});
    QVERIFY2(submitted, submitted ? "" : submitted.error().describe().c_str());
    QTRY_COMPARE(b->host().engine().runRecord(*submitted)->state, opflow::engine::RunState::Completed);

    opflow::ui::MainWindow window(*b);
    opflow::ui::OrderDetailView* view = window.orderView();
    view->showOrder(qt(number));
    QTRY_VERIFY(view->isLoaded());
    opflow::ui::ConflictBanner* banner = view->conflictBanner();
    QVERIFY(banner->isHidden());

    b->startSync();
    // The shop took ws-a's versions: ws-b's submit is lost, and said so on the order.
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 15'000); // a sync round, under CI's load
    QVERIFY2(banner->text().contains(QStringLiteral("was not taken by the shop")), qPrintable(banner->text()));
    QVERIFY2(banner->text().contains(QStringLiteral("ws-a")), qPrintable(banner->text()));
    QCOMPARE(view->order()->status, OrderStatus::FileUploaded);
    QTRY_COMPARE(window.consoleStatusBar()->syncButton()->text().contains(QStringLiteral("· 1 conflict")), true);
    if (backend == ShopBackend::SqliteFile) {
      window.showView(opflow::ui::ConsoleView::Order);
      saveShot(window, QStringLiteral("conflict-banner"));
    }
    QVERIFY(!banner->redoButton()->isHidden());

    // Redone on the shop's state: the run completes, the conflict is resolved, and the
    // submit goes up and reaches ws-a.
    QTest::mouseClick(banner->redoButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isHidden(), 10'000);
    QVERIFY2(view->message().contains(QStringLiteral("made the change")), qPrintable(view->message()));
    QVERIFY(openConflicts(*b).empty());
    QTRY_COMPARE_WITH_TIMEOUT(ordersA.get(number)->status, OrderStatus::Submitted, 5000);
  }

  void aSupervisorKeepsTheShopsStateFromTheSyncPanel() {
    TwoWorkstationShop shop(ShopBackend::SqliteFile);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    const std::string number = shop.uploaded().back();
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kOperator);
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor, false);
    QVERIFY(a && b);
    QVERIFY(TwoWorkstationShop::move(*a, number, OrderStatus::Submitted));
    QTRY_VERIFY_WITH_TIMEOUT(TwoWorkstationShop::caughtUp(*a), 5000);
    QVERIFY(TwoWorkstationShop::move(*b, number, OrderStatus::Cancelled));

    opflow::ui::MainWindow window(*b);
    opflow::ui::SyncPanel* panel = window.showSyncPanel();
    b->startSync();
    QTRY_COMPARE_WITH_TIMEOUT(panel->conflictsTable()->rowCount(), 1, 5000);
    QCOMPARE(panel->conflicts().front().subject, number);
    const QString lost = panel->conflictsTable()->item(0, 2)->text();
    QVERIFY2(lost.contains(QStringLiteral("olga's change")) && lost.contains(QStringLiteral("was not taken by the shop")),
             qPrintable(lost));
    QVERIFY(panel->roundsTable()->rowCount() >= 1);
    QVERIFY(panel->keepSharedButton()->isEnabled());
    saveShot(*panel, QStringLiteral("sync-panel"));

    QTest::mouseClick(panel->keepSharedButton(), Qt::LeftButton);
    QTRY_COMPARE(panel->conflictsTable()->rowCount(), 0);
    QVERIFY(openConflicts(*b).empty());
    QCOMPARE(b->host().workstation().orders().get(number)->status, OrderStatus::Submitted);
  }

  void anOperatorSeesTheBannerButCannotResolve() {
    TwoWorkstationShop shop(ShopBackend::SqliteFile);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    const std::string number = shop.uploaded().back();
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kOperator);
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kOperator, false);
    QVERIFY(a && b);
    QVERIFY(TwoWorkstationShop::move(*a, number, OrderStatus::Submitted));
    QTRY_VERIFY_WITH_TIMEOUT(TwoWorkstationShop::caughtUp(*a), 5000);
    QVERIFY(TwoWorkstationShop::move(*b, number, OrderStatus::Submitted));
    opflow::ui::MainWindow window(*b);
    window.orderView()->showOrder(qt(number));
    QTRY_VERIFY(window.orderView()->isLoaded());
    b->startSync();
    opflow::ui::ConflictBanner* banner = window.orderView()->conflictBanner();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), 15'000); // a sync round, under CI's load
    QVERIFY(banner->text().contains(QStringLiteral("A supervisor resolves it")));
    QVERIFY(banner->keepSharedButton()->isHidden());
    QVERIFY(banner->redoButton()->isHidden());
  }

  void theShopScopeAuditListsEveryWorkstationsEntries_data() { addBackends(); }
  void theShopScopeAuditListsEveryWorkstationsEntries() {
    QFETCH(ShopBackend, backend);
    TwoWorkstationShop shop(backend);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    const std::string number = shop.uploaded().front();
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kOperator);
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor);
    QVERIFY(a && b);
    QVERIFY(TwoWorkstationShop::move(*b, number, OrderStatus::Submitted));
    QTRY_VERIFY_WITH_TIMEOUT(TwoWorkstationShop::caughtUp(*b), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(TwoWorkstationShop::caughtUp(*a), 5000);

    opflow::ui::AuditView view(*b);
    QTRY_VERIFY(view.isLoaded());
    view.showOrder(qt(number));
    QTRY_VERIFY(!view.model()->isFetching());
    // This workstation's log: ws-b's own entries of the order only.
    const int localRows = view.model()->rowCount();
    view.scopeBox()->setCurrentIndex(1);
    QTRY_VERIFY(!view.model()->isFetching() && view.model()->rowCount() > localRows);
    QSet<QString> chains;
    for (int row = 0; row < view.model()->rowCount(); ++row) {
      chains.insert(view.model()->chainAt(row));
      QCOMPARE(view.model()->index(row, opflow::ui::AuditModel::OrderColumn).data().toString(), qt(number));
    }
    QCOMPARE(chains, (QSet<QString>{QStringLiteral("ws-a"), QStringLiteral("ws-b")}));
    QCOMPARE(view.model()->index(0, opflow::ui::AuditModel::WorkstationColumn).data().toString(),
             view.model()->chainAt(0));
    if (backend == ShopBackend::SqliteFile) {
      saveShot(view, QStringLiteral("shop-audit"));
    }

    // The export writes what the shop scope shows, each entry with its chain.
    QTemporaryDir exports;
    const QString csv = exports.filePath(QStringLiteral("shop.csv"));
    QSignalSpy exported(&view, &opflow::ui::AuditView::exportFinished);
    QVERIFY(view.exportCsv(csv));
    QTRY_COMPARE(exported.count(), 1);
    QVERIFY2(exported.front().at(0).toBool(), qPrintable(exported.front().at(1).toString()));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QVERIFY(lines.front().startsWith(QStringLiteral("chain,position,seq,id,")));
    QCOMPARE(lines.size() - 1, view.model()->rowCount());
    QVERIFY(std::any_of(lines.begin(), lines.end(), [](const QString& line) { return line.startsWith("ws-a,"); }));
    QVERIFY(std::any_of(lines.begin(), lines.end(), [](const QString& line) { return line.startsWith("ws-b,"); }));

    QSignalSpy verified(&view, &opflow::ui::AuditView::verified);
    view.verifyChain();
    QTRY_COMPARE(verified.count(), 1);
    QVERIFY(verified.front().at(0).toBool());
    QVERIFY2(view.resultText().contains(QStringLiteral("ws-a: ")) && view.resultText().contains(QStringLiteral("ws-b: ")),
             qPrintable(view.resultText()));
  }

  void theShopScopeSaysWhenTheShopIsOutOfReach() {
    TwoWorkstationShop shop(ShopBackend::SqliteFile);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor, false);
    QVERIFY(b);
    std::filesystem::rename(shop.target(), shop.target() + ".away");
    opflow::ui::AuditView view(*b);
    QTRY_VERIFY(view.isLoaded());
    QSignalSpy failed(view.model(), &opflow::ui::AuditModel::loadFailed);
    view.scopeBox()->setCurrentIndex(1);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(view.resultText().contains(QStringLiteral("the shop view is unavailable")), qPrintable(view.resultText()));
    QCOMPARE(view.model()->rowCount(), 0);
  }

  void theFlowchartsMeasureTheWholeShopsRuns_data() { addBackends(); }
  void theFlowchartsMeasureTheWholeShopsRuns() {
    QFETCH(ShopBackend, backend);
    TwoWorkstationShop shop(backend);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    auto a = TwoWorkstationShop::console(shop.pathA(), opflow::uitest::kSupervisor);
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor, false);
    QVERIFY(a && b);
    // A supervisor at ws-a holds an order: one ended run of order.hold, gone up to the shop.
    auto held = a->host().engine().start(
        {"order.hold", std::nullopt,
         {{"order", shop.uploaded().front()}, {"reason", "PAYMENT"}, {"note", "card declined"}}, a->runContext()});
    QVERIFY2(held, held ? "" : held.error().describe().c_str());
    const opflow::store::StatisticsQuery hold{"order.hold"};
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          auto up = opflow::sync::shopNodeStatistics(b->host().store(), hold, std::chrono::seconds(2));
          return up && up->runsExamined == 1;
        }(),
        15'000);

    opflow::ui::FlowchartsView view(*b);
    QSignalSpy shown(&view, &opflow::ui::FlowchartsView::chartShown);
    QVERIFY(view.showOperation(QStringLiteral("order.hold")));
    QTRY_COMPARE(shown.count(), 1);
    QCOMPARE(view.statistics().runsExamined, 0); // ws-b ran nothing itself

    view.historyScopePicker()->setCurrentIndex(1);
    QCOMPARE(view.historyScope(), opflow::ui::FlowchartsView::HistoryScope::Shop);
    QTRY_COMPARE(shown.count(), 2);
    QCOMPARE(view.statistics().runsExamined, 1);
    QVERIFY(view.statistics().nodes.contains("hold"));
    QCOMPARE(view.statistics().nodes.at("hold").runs, 1);
    view.setOverlay(opflow::ui::FlowchartsView::Overlay::Time);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QVERIFY(view.findChild<QLabel*>(QStringLiteral("legend"))->text().contains(
        QStringLiteral("the shop's latest 1 ended runs")));
  }

  void theShopsHistorySaysWhenTheShopIsOutOfReach() {
    TwoWorkstationShop shop(ShopBackend::SqliteFile);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor, false);
    QVERIFY(b);
    std::filesystem::rename(shop.target(), shop.target() + ".away");
    opflow::ui::FlowchartsView view(*b);
    QSignalSpy shown(&view, &opflow::ui::FlowchartsView::chartShown);
    view.setHistoryScope(opflow::ui::FlowchartsView::HistoryScope::Shop);
    QVERIFY(view.showOperation(QStringLiteral("order.hold")));
    QTRY_COMPARE(shown.count(), 1);
    QVERIFY2(view.message().contains(QStringLiteral("The shop's history is unavailable: the shop's database cannot "
                                                    "be reached")),
             qPrintable(view.message()));
    QCOMPARE(view.historyScopePicker()->currentIndex(), 1);
  }

  void offlineAndBackShowsInTheStatusBar_data() { addBackends(); }
  void offlineAndBackShowsInTheStatusBar() {
    QFETCH(ShopBackend, backend);
    TwoWorkstationShop shop(backend);
    QVERIFY2(shop.error().empty(), shop.error().c_str());
    const std::filesystem::path sharedFile = shop.target();
    const std::filesystem::path away = sharedFile.string() + ".away";
    // The shop goes away: the shared file is moved, or the server stops.
    if (backend == ShopBackend::SqliteFile) {
      std::filesystem::rename(sharedFile, away);
    } else {
      opflow::testing::processPgServer().stop();
    }
    auto b = TwoWorkstationShop::console(shop.pathB(), opflow::uitest::kSupervisor);
    QVERIFY(b);
    opflow::ui::MainWindow window(*b);
    QAbstractButton* sync = window.consoleStatusBar()->syncButton();
    QTRY_VERIFY_WITH_TIMEOUT(sync->text().startsWith(QStringLiteral("Offline since")), 15'000);
    QVERIFY2(sync->toolTip().contains(QStringLiteral("correlation id")), qPrintable(sync->toolTip()));
    // Work goes on here and waits to go up.
    QVERIFY(TwoWorkstationShop::move(*b, shop.uploaded().front(), OrderStatus::Submitted));
    QTRY_VERIFY_WITH_TIMEOUT(!sync->text().contains(QStringLiteral(" 0 waiting")), 5000);

    if (backend == ShopBackend::SqliteFile) {
      std::filesystem::rename(away, sharedFile);
    } else {
      opflow::testing::processPgServer().start();
    }
    opflow::ui::SyncPanel* panel = window.showSyncPanel();
    QTest::mouseClick(panel->syncNowButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(sync->text().startsWith(QStringLiteral("Online · 0 waiting")), 15'000);
    QVERIFY(panel->stateLabel()->text().startsWith(QStringLiteral("Online")));
    QVERIFY(panel->detailLabel()->text().contains(QStringLiteral("Last contact")));
  }
};

OPFLOW_UI_TEST(ShopSyncTest)
#include "shop_sync_test.moc"
