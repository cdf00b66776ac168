#include "ConsoleTestSupport.h"
#include "ProblemTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/views/ConsoleStatusBar.h"
#include "opflow/ui/dialogs/LoginDialog.h"
#include "opflow/ui/views/MainWindow.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/ViewScreenshot.h"

#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using opflow::ui::ConsoleView;
using opflow::ui::MainWindow;

namespace {

QString fieldText(const MainWindow& window, const char* objectName) {
  const auto* label = window.consoleStatusBar()->findChild<QLabel*>(QString::fromLatin1(objectName));
  return label ? label->text() : QString();
}

QStringList tabTitles(const MainWindow& window) {
  const auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("views"));
  QStringList titles;
  for (int i = 0; tabs && i < tabs->count(); ++i) {
    titles << tabs->tabText(i);
  }
  return titles;
}

} // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

private slots:
  void viewNamesAreTheCommandLineOnes() {
    QCOMPARE(opflow::ui::consoleViewFromName(QStringLiteral("audit")), ConsoleView::Audit);
    QCOMPARE(opflow::ui::consoleViewFromName(QStringLiteral("order")), ConsoleView::Order);
    QVERIFY(!opflow::ui::consoleViewFromName(QStringLiteral("Orders")));
  }

  void theStatusBarSaysWhoWhereWhichDatabaseAndTheOutbox() {
    opflow::uitest::ConsoleDatabase database(20);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    MainWindow window(*session);

    QCOMPARE(fieldText(window, "statusUser"), QStringLiteral("sam · supervisor"));
    QVERIFY(fieldText(window, "statusWorkstation").contains(session->workstation()));
    QCOMPARE(fieldText(window, "statusDatabase"), QStringLiteral("console.db"));
    QTRY_VERIFY(window.consoleStatusBar()->pendingOutbox().has_value());
    QVERIFY(*window.consoleStatusBar()->pendingOutbox() > 0); // the users and the seed were audited
    QVERIFY(fieldText(window, "statusOutbox").contains(QStringLiteral("pending")));
    QCOMPARE(fieldText(window, "statusEngine"), QStringLiteral("Engine ready"));
  }

  void anOperatorHasNoAuditViewASupervisorHasOne() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    {
      auto session = database.open(opflow::uitest::kOperator);
      QVERIFY(session);
      MainWindow window(*session);
      QVERIFY(!window.hasView(ConsoleView::Audit));
      QVERIFY(!window.showView(ConsoleView::Audit));
      QVERIFY(!tabTitles(window).contains(QStringLiteral("Audit")));
    }
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    MainWindow window(*session);
    QVERIFY(window.hasView(ConsoleView::Audit));
    QVERIFY(tabTitles(window).contains(QStringLiteral("Audit")));
  }

  void activatingAnOrderOpensItInTheOrderView() {
    opflow::uitest::ConsoleDatabase database(30);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    MainWindow window(*session);
    window.show();
    QTRY_VERIFY(window.isViewLoaded(ConsoleView::Orders));
    const QString number = window.ordersView()->model()->orderNumberAt(0);
    QVERIFY(!number.isEmpty());

    emit window.ordersView()->orderActivated(number);

    const auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("views"));
    QCOMPARE(tabs->currentWidget(), window.orderView());
    QTRY_VERIFY(window.isViewLoaded(ConsoleView::Order));
    QCOMPARE(window.orderView()->orderNumber(), number);
  }

  void everyFrequentActionHasAShortcut() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    MainWindow window(*session);
    QStringList shortcuts;
    for (QAction* menu : window.menuBar()->actions()) {
      for (QAction* action : menu->menu()->actions()) {
        if (!action->isSeparator()) {
          QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
          shortcuts << action->shortcut().toString();
        }
      }
    }
    QCOMPARE(QSet<QString>(shortcuts.begin(), shortcuts.end()).size(), shortcuts.size());
  }

  void searchAndScanKeysReachTheOrderListFromAnyView() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    MainWindow window(*session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("views"));

    QVERIFY(window.showView(ConsoleView::Runs));
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(tabs->currentWidget(), window.ordersView());
    QTRY_VERIFY(window.ordersView()->searchField()->hasFocus());

    QVERIFY(window.showView(ConsoleView::Operations));
    QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(tabs->currentWidget(), window.ordersView());
    QTRY_VERIFY(window.ordersView()->scanField()->hasFocus());
  }

  void eachViewRendersToANonBlankScreenshotOnceItsDataIsShown_data() {
    QTest::addColumn<ConsoleView>("view");
    QTest::newRow("orders") << ConsoleView::Orders;
    QTest::newRow("order") << ConsoleView::Order;
    QTest::newRow("runs") << ConsoleView::Runs;
    QTest::newRow("audit") << ConsoleView::Audit;
  }

  void eachViewRendersToANonBlankScreenshotOnceItsDataIsShown() {
    QFETCH(ConsoleView, view);
    opflow::uitest::ConsoleDatabase database(50);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    MainWindow window(*session);
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("view.png"));
    opflow::ui::ViewScreenshot screenshot(*session, window, view, path);
    QSignalSpy finished(&screenshot, &opflow::ui::ViewScreenshot::finished);

    screenshot.start(20'000);

    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 25'000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(window.isViewLoaded(view));
    const QString blank = opflow::uitest::whyBlank(QImage(path));
    QVERIFY2(blank.isEmpty(), qPrintable(blank));
  }

  void theLoginDialogRefusesAWrongPasswordAndAcceptsTheRightOne() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = opflow::ui::ConsoleSession::open({database.path()});
    QVERIFY(session);
    opflow::ui::LoginDialog dialog(**session);
    dialog.show();
    QVERIFY(!dialog.userField()->accessibleName().isEmpty());
    QVERIFY(!dialog.passwordField()->accessibleName().isEmpty());

    QTest::keyClicks(dialog.userField(), QStringLiteral("olga"));
    QTest::keyClicks(dialog.passwordField(), QStringLiteral("wrong"));
    QTest::keyClick(dialog.passwordField(), Qt::Key_Return);
    QTRY_VERIFY(dialog.messageLabel()->isVisible() && dialog.passwordField()->isEnabled());
    const QString shown = opflow::uitest::plainTextOf(dialog.messageLabel());
    QVERIFY2(shown.startsWith(QStringLiteral("unknown user or wrong password\nReference ")), qPrintable(shown));
    // The reference finds the failed sign-in in the audit log.
    const auto failed = opflow::uitest::auditedUnder(
        (*session)->host().store(), opflow::uitest::referenceShownBy(dialog.messageLabel()).toStdString());
    QCOMPARE(failed.size(), std::size_t{1});
    QCOMPARE(failed.front().action, std::string("user.login_failed"));
    QVERIFY(dialog.passwordField()->text().isEmpty());
    QVERIFY(!(*session)->user());

    QTest::keyClicks(dialog.passwordField(), QString::fromStdString(opflow::uitest::testPassword("olga")));
    QTest::keyClick(dialog.passwordField(), Qt::Key_Return);
    QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
    QVERIFY((*session)->user());
    QCOMPARE(QString::fromStdString((*session)->user()->name), QStringLiteral("olga"));
  }
};

OPFLOW_UI_TEST(MainWindowTest)
#include "main_window_test.moc"
