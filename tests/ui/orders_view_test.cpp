// OrdersView: the chips filter the rows and show the database's counts, and follow a
// change; search and the priority sort; the page buttons and their shortcuts show core's
// pages; the scan field opens an order and names a bad or unknown scan; Enter or a
// double-click on a row opens its order; tab order and accessible names.
#include "OrderListTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/text/OrderText.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/StatusChips.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using opflow::domain::OrderStatus;
using opflow::store::OrderQuery;
using opflow::store::OrderSort;
using opflow::ui::OrderListModel;
using opflow::ui::OrdersView;
using opflow::uitest::coreNumbers;
using opflow::uitest::modelNumbers;

namespace {

constexpr std::int64_t kOrders = 250;

// A signed-in session over a fresh database and an OrdersView shown on it, loaded.
struct ShownView {
  opflow::uitest::OrdersSession orders{kOrders};
  std::unique_ptr<OrdersView> view;
  std::unique_ptr<QAbstractItemModelTester> tester;

  bool open() {
    if (!orders.open(opflow::uitest::kSupervisor)) {
      return false;
    }
    view = std::make_unique<OrdersView>(orders.session());
    tester = std::make_unique<QAbstractItemModelTester>(view->model(),
                                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
    view->resize(1400, 800);
    view->show();
    return QTest::qWaitForWindowActive(view.get()) && QTest::qWaitFor([this] { return view->isLoaded(); });
  }

  [[nodiscard]] opflow::ui::ConsoleSession& session() const { return orders.session(); }
  [[nodiscard]] QString databasePath() const { return orders.database().path(); }
  QAbstractButton* button(const char* name) const { return view->findChild<QAbstractButton*>(QString::fromLatin1(name)); }
};

} // namespace

class OrdersViewTest : public QObject {
  Q_OBJECT

private slots:
  void chipsFilterTheRowsAndShowTheDatabasesCounts() {
    ShownView shown;
    QVERIFY(shown.open());
    opflow::ui::StatusChips* chips = shown.view->statusChips();
    QAbstractButton* priced = chips->chip(OrderStatus::PriceCalculated);
    const std::int64_t pricedCount = opflow::uitest::countInDatabase(shown.databasePath(), {OrderStatus::PriceCalculated});
    QVERIFY(pricedCount > 0);
    QCOMPARE(priced->text(), QStringLiteral("Priced %1").arg(opflow::ui::countText(pricedCount)));
    QCOMPARE(chips->chip(std::nullopt)->text(), QStringLiteral("All 250"));
    QVERIFY(chips->chip(std::nullopt)->isChecked());

    OrderListModel* model = shown.view->model();
    priced->click();
    QVERIFY(!chips->chip(std::nullopt)->isChecked());
    QTRY_VERIFY(!model->isLoading() && model->statuses() == std::vector<OrderStatus>{OrderStatus::PriceCalculated});
    QCOMPARE(model->rowCount(), static_cast<int>(std::min<std::int64_t>(pricedCount, 100)));
    for (const auto& row : model->rows()) {
      QCOMPARE(row.status, OrderStatus::PriceCalculated);
    }
    QVERIFY(shown.view->positionLabel()->text().endsWith(QStringLiteral(" of %1").arg(pricedCount)));

    QAbstractButton* shipped = chips->chip(OrderStatus::Shipped);
    shipped->click();
    const std::vector<OrderStatus> both{OrderStatus::PriceCalculated, OrderStatus::Shipped};
    QTRY_VERIFY(!model->isLoading() && model->statuses() == both);
    OrderQuery query;
    query.statuses = both;
    query.limit = 100;
    QCOMPARE(modelNumbers(*model), coreNumbers(shown.session(), query));
    QCOMPARE(model->total(), std::optional<std::int64_t>(opflow::uitest::countInDatabase(shown.databasePath(), both)));

    // An order moves on: after a run completes the counts follow the database.
    auto& orders = shown.session().host().workstation().orders();
    const auto pricedOrder = std::find_if(model->rows().begin(), model->rows().end(), [](const auto& row) {
      return row.status == OrderStatus::PriceCalculated;
    });
    QVERIFY(pricedOrder != model->rows().end());
    auto current = orders.get(pricedOrder->number);
    QVERIFY(current);
    if (current->hold) {
      QVERIFY(orders.release(current->number, {"sam", "supervisor", "test-ws", "", ""}));
    }
    QVERIFY(orders.transition(current->number, OrderStatus::ManufacturingApproved, {"sam", "supervisor", "test-ws", "", ""}));
    opflow::ui::RunEvent completed;
    completed.kind = opflow::ui::RunEvent::Kind::Completed;
    completed.runId = QStringLiteral("test-run");
    shown.session().events().post(completed);
    QTRY_COMPARE(priced->text(), QStringLiteral("Priced %1").arg(opflow::ui::countText(pricedCount - 1)));
    QTRY_VERIFY(model->rowOf(QString::fromStdString(current->number)) == -1); // the page refreshed

    chips->chip(std::nullopt)->click();
    QTRY_VERIFY(!model->isLoading() && model->statuses().empty());
    QVERIFY(!priced->isChecked() && !shipped->isChecked());
    QCOMPARE(shown.view->positionLabel()->text(), QStringLiteral("1–100 of 250"));
  }

  void searchAndThePrioritySortShowCoresRows() {
    ShownView shown;
    QVERIFY(shown.open());
    OrderListModel* model = shown.view->model();
    QTest::keyClicks(shown.view->searchField(), QStringLiteral("ORD-00002"));
    QTRY_COMPARE(model->search(), QStringLiteral("ORD-00002"));
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(model->rowCount(), 10);
    QCOMPARE(shown.view->positionLabel()->text(), QStringLiteral("Matches 1–10"));
    QVERIFY(!shown.view->sortBox()->isEnabled());

    const QString customer = QString::fromStdString(model->rows().front().customer);
    shown.view->searchField()->setText(customer.left(4));
    QTest::keyClick(shown.view->searchField(), Qt::Key_Return);
    QTRY_VERIFY(model->search() == customer.left(4) && !model->isLoading());
    QVERIFY(model->rowCount() > 0);
    for (const auto& row : model->rows()) {
      QVERIFY(QString::fromStdString(row.customer).startsWith(customer.left(4), Qt::CaseInsensitive));
    }

    shown.view->searchField()->clear();
    QTest::keyClick(shown.view->searchField(), Qt::Key_Return);
    QTRY_VERIFY(model->search().isEmpty() && !model->isLoading());
    QVERIFY(shown.view->sortBox()->isEnabled());
    shown.view->sortBox()->setCurrentIndex(1);
    QTRY_VERIFY(model->sort() == OrderSort::Priority && !model->isLoading());
    OrderQuery byPriority;
    byPriority.sort = OrderSort::Priority;
    byPriority.limit = 100;
    QCOMPARE(modelNumbers(*model), coreNumbers(shown.session(), byPriority));
  }

  void pageButtonsAndTheirShortcutsShowCoresPages() {
    ShownView shown;
    QVERIFY(shown.open());
    OrderListModel* model = shown.view->model();
    OrderQuery everything;
    everything.limit = 1000;
    const QStringList all = coreNumbers(shown.session(), everything);
    QVERIFY(!shown.button("firstPage")->isEnabled());
    QVERIFY(!shown.button("previousPage")->isEnabled());
    QVERIFY(shown.button("nextPage")->toolTip().contains(QStringLiteral("Ctrl+PgDown")));

    shown.button("nextPage")->click();
    QTRY_VERIFY(!model->isLoading());
    QCOMPARE(modelNumbers(*model), all.mid(100, 100));
    QCOMPARE(shown.view->positionLabel()->text(), QStringLiteral("101–200 of 250"));

    shown.view->table()->setFocus();
    QTest::keyClick(shown.view->table(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY(!model->isLoading() && modelNumbers(*model) == all.mid(150, 100));
    QCOMPARE(shown.view->positionLabel()->text(), QStringLiteral("151–250 of 250"));
    QVERIFY(!shown.button("lastPage")->isEnabled());
    QTest::keyClick(shown.view->table(), Qt::Key_PageUp, Qt::ControlModifier);
    QTRY_VERIFY(!model->isLoading() && modelNumbers(*model) == all.mid(50, 100));
    QTest::keyClick(shown.view->table(), Qt::Key_PageDown, Qt::ControlModifier);
    QTRY_VERIFY(!model->isLoading() && modelNumbers(*model) == all.mid(150, 100));
    QTest::keyClick(shown.view->table(), Qt::Key_Home, Qt::ControlModifier);
    QTRY_VERIFY(!model->isLoading() && modelNumbers(*model) == all.mid(0, 100));
    QCOMPARE(shown.view->positionLabel()->text(), QStringLiteral("1–100 of 250"));
  }

  void theScanFieldOpensAnOrderAndNamesABadScan() {
    ShownView shown;
    QVERIFY(shown.open());
    QSignalSpy activated(shown.view.get(), &OrdersView::orderActivated);
    shown.view->focusScan();
    QVERIFY(shown.view->scanField()->hasFocus());
    QTest::keyClicks(shown.view->scanField(), QStringLiteral("000042"));
    QTest::keyClick(shown.view->scanField(), Qt::Key_Return);
    QTRY_COMPARE(activated.count(), 1);
    QCOMPARE(activated.front().front().toString(), QStringLiteral("ORD-000042"));
    QCOMPARE(shown.view->messageLabel()->text(), QStringLiteral("Opened ORD-000042"));
    QVERIFY(shown.view->scanField()->text().isEmpty());

    QTest::keyClicks(shown.view->scanField(), QStringLiteral("12x4"));
    QTest::keyClick(shown.view->scanField(), Qt::Key_Return);
    QVERIFY(shown.view->messageLabel()->text().contains(QStringLiteral("\"12x4\" is not an order number")));

    shown.view->scanField()->clear();
    QTest::keyClicks(shown.view->scanField(), QStringLiteral("ORD-777777"));
    QTest::keyClick(shown.view->scanField(), Qt::Key_Return);
    QTRY_COMPARE(shown.view->messageLabel()->text(), QStringLiteral("No order ORD-777777"));
    QCOMPARE(activated.count(), 1);
  }

  void enterOrADoubleClickOnARowOpensItsOrder() {
    ShownView shown;
    QVERIFY(shown.open());
    QSignalSpy activated(shown.view.get(), &OrdersView::orderActivated);
    QTableView* table = shown.view->table();
    OrderListModel* model = shown.view->model();
    table->setFocus();
    table->setCurrentIndex(model->index(3, OrderListModel::CustomerColumn));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.back().front().toString(), model->orderNumberAt(3));

    const QRect cell = table->visualRect(model->index(5, OrderListModel::NumberColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center()); // a double-click's first press
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated.back().front().toString(), model->orderNumberAt(5));
  }

  void keyboardFirstWithNamesAndATabOrder() {
    ShownView shown;
    QVERIFY(shown.open());
    OrdersView& view = *shown.view;
    QCOMPARE(view.table()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
    QList<QWidget*> expected{view.searchField(), view.scanField()};
    for (QAbstractButton* chip : view.statusChips()->chips()) {
      expected << chip;
    }
    expected << view.sortBox() << view.table() << shown.button("firstPage") << shown.button("previousPage")
             << shown.button("nextPage") << shown.button("lastPage");
    for (int i = 0; i + 1 < expected.size(); ++i) {
      QWidget* next = expected[i]->nextInFocusChain();
      while (next != expected[i + 1] && !(next->focusPolicy() & Qt::TabFocus) && next != expected[i]) {
        next = next->nextInFocusChain();
      }
      QCOMPARE(next, expected[i + 1]);
    }
    for (QWidget* widget : expected) {
      QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
    }
    view.focusSearch();
    QVERIFY(view.searchField()->hasFocus());
    view.focusScan();
    QVERIFY(view.scanField()->hasFocus());
  }
};

OPFLOW_UI_TEST(OrdersViewTest)
#include "orders_view_test.moc"
