// OrderListModel: one page of the core list at a time, under QAbstractItemModelTester
// while pages change; first, next, previous and last pages show core's rows with the
// right position; status filters, search and the priority sort; stale answers dropped.
#include "OrderListTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/models/OrderListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using opflow::domain::OrderStatus;
using opflow::store::OrderQuery;
using opflow::store::OrderSort;
using opflow::ui::OrderListModel;
using opflow::uitest::coreNumbers;
using opflow::uitest::modelNumbers;

namespace {

constexpr std::int64_t kOrders = 250;

QStringList slice(const QStringList& all, int from, int to) { return all.mid(from, to - from); }

} // namespace

class OrderListModelTest : public QObject {
  Q_OBJECT

private slots:
  void pagesFollowTheCoreListWithTheirPositionUnderTheModelTester() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kOperator));
    OrderListModel model(orders.session());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QTRY_VERIFY(model.hasPage() && !model.isLoading());

    OrderQuery everything;
    everything.limit = 1000;
    const QStringList all = coreNumbers(orders.session(), everything);
    QCOMPARE(all.size(), kOrders);
    QCOMPARE(model.rowCount(), OrderListModel::kDefaultPageSize);
    QCOMPARE(model.columnCount(), static_cast<int>(OrderListModel::ColumnCount));
    QCOMPARE(modelNumbers(model), slice(all, 0, 100));
    QCOMPARE(model.positionText(), QStringLiteral("1–100 of 250"));
    QVERIFY(!model.hasPreviousPage());
    QVERIFY(model.hasNextPage());

    struct Step {
      void (OrderListModel::*move)();
      int from;
      int to;
      const char* position;
    };
    const Step steps[] = {
        {&OrderListModel::nextPage, 100, 200, "101–200 of 250"},
        {&OrderListModel::nextPage, 200, 250, "201–250 of 250"},
        {&OrderListModel::lastPage, 150, 250, "151–250 of 250"},
        {&OrderListModel::previousPage, 50, 150, "51–150 of 250"},
        {&OrderListModel::previousPage, 0, 100, "1–100 of 250"},
        {&OrderListModel::lastPage, 150, 250, "151–250 of 250"},
        {&OrderListModel::firstPage, 0, 100, "1–100 of 250"},
    };
    for (const Step& step : steps) {
      (model.*step.move)();
      QVERIFY(model.isLoading());
      QTRY_VERIFY(!model.isLoading());
      QCOMPARE(modelNumbers(model), slice(all, step.from, step.to));
      QCOMPARE(model.positionText(), QString::fromUtf8(step.position));
      QCOMPARE(model.hasPreviousPage(), step.from > 0);
      QCOMPARE(model.hasNextPage(), step.to < kOrders);
    }
    model.previousPage(); // nothing before the first page: nothing asked
    QVERIFY(!model.isLoading());
  }

  void rowsShowReadableValuesAndTheNumberRole() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kOperator));
    OrderListModel model(orders.session());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setStatuses({OrderStatus::PriceCalculated});
    QTRY_VERIFY(model.hasPage() && !model.isLoading());
    QVERIFY(model.rowCount() > 0);
    const auto& order = model.rows().front();
    auto cell = [&model](int column, int role = Qt::DisplayRole) { return model.index(0, column).data(role); };
    QCOMPARE(cell(OrderListModel::NumberColumn).toString(), QString::fromStdString(order.number));
    QCOMPARE(cell(OrderListModel::StatusColumn).toString(), QStringLiteral("Priced"));
    QCOMPARE(cell(OrderListModel::CustomerColumn).toString(), QString::fromStdString(order.customer));
    QVERIFY(!cell(OrderListModel::PriorityColumn).toString().isEmpty());
    QCOMPARE(cell(OrderListModel::CustomerColumn, OrderListModel::OrderNumberRole).toString(),
             QString::fromStdString(order.number));
    QVERIFY(cell(OrderListModel::PriceColumn, Qt::TextAlignmentRole).toInt() & Qt::AlignRight);
    QVERIFY(cell(OrderListModel::StatusColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("PRICE_CALCULATED")));
    QCOMPARE(model.headerData(OrderListModel::CreatedColumn, Qt::Horizontal).toString(), QStringLiteral("Created"));
    QCOMPARE(model.rowOf(QString::fromStdString(order.number)), 0);
    QCOMPARE(model.orderNumberAt(model.rowCount()), QString());
  }

  void statusFiltersPageByKeysetAndCountFromTheDatabase() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kOperator));
    OrderListModel model(orders.session());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPageSize(7);
    const std::vector<OrderStatus> statuses{OrderStatus::Initiated, OrderStatus::Shipped};
    model.setStatuses(statuses);
    QTRY_VERIFY(model.hasPage() && !model.isLoading());
    const std::int64_t total = opflow::uitest::countInDatabase(orders.database().path(), statuses);
    QVERIFY(total > 14);
    QCOMPARE(model.total(), std::optional<std::int64_t>(total));
    QCOMPARE(model.positionText(), QStringLiteral("1–7 of %1").arg(total));

    OrderQuery query;
    query.statuses = statuses;
    query.limit = 1000;
    const QStringList all = coreNumbers(orders.session(), query);
    QCOMPARE(all.size(), total);
    QCOMPARE(modelNumbers(model), slice(all, 0, 7));
    model.nextPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(modelNumbers(model), slice(all, 7, 14));
    model.lastPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(modelNumbers(model), slice(all, static_cast<int>(total) - 7, static_cast<int>(total)));
    QCOMPARE(model.positionText(), QStringLiteral("%1–%2 of %2").arg(total - 6).arg(total));
    model.previousPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(modelNumbers(model), slice(all, static_cast<int>(total) - 14, static_cast<int>(total) - 7));
    for (const auto& row : model.rows()) {
      QVERIFY(row.status == OrderStatus::Initiated || row.status == OrderStatus::Shipped);
    }
  }

  void searchHasNoTotalAndThePrioritySortFollowsCore() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kOperator));
    OrderListModel model(orders.session());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setSearch(QStringLiteral("  ord-0001 "));
    QTRY_VERIFY(model.hasPage() && !model.isLoading());
    QCOMPARE(model.search(), QStringLiteral("ord-0001"));
    QCOMPARE(model.rowCount(), 100); // ORD-000100 .. ORD-000199
    QCOMPARE(model.orderNumberAt(0), QStringLiteral("ORD-000100"));
    QCOMPARE(model.positionText(), QStringLiteral("Matches 1–100"));
    QVERIFY(!model.total());

    model.setSearch(QStringLiteral("ord-000"));
    QTRY_VERIFY(!model.isLoading());
    model.lastPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.orderNumberAt(model.rowCount() - 1), QStringLiteral("ORD-000250"));
    QCOMPARE(model.positionText(), QStringLiteral("Last 100 matches"));
    model.previousPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.orderNumberAt(0), QStringLiteral("ORD-000051"));
    model.previousPage();
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.positionText(), QStringLiteral("Matches 1–100"));

    model.setSearch({});
    model.setSort(OrderSort::Priority);
    QTRY_VERIFY(!model.isLoading());
    OrderQuery byPriority;
    byPriority.sort = OrderSort::Priority;
    byPriority.limit = 100;
    QCOMPARE(modelNumbers(model), coreNumbers(orders.session(), byPriority));
    QCOMPARE(model.rows().front().priority, 3);
  }

  void aRefreshedPageWhoseRowsLeftTheFilterGivesWayToTheLastPage() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kSupervisor));
    OrderListModel model(orders.session());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setPageSize(5);
    model.setStatuses({OrderStatus::Shipped});
    QTRY_VERIFY(model.hasPage() && !model.isLoading());
    const QStringList firstPage = modelNumbers(model);
    model.nextPage();
    QTRY_VERIFY(!model.isLoading());
    QVERIFY(model.positionText().startsWith(QStringLiteral("6–")));

    // Every shipped order after the first page closes.
    const opflow::store::OrderActor actor{"sam", "supervisor", "test-ws", "", ""};
    auto& store = orders.session().host().workstation().orders();
    OrderQuery shipped;
    shipped.statuses = {OrderStatus::Shipped};
    shipped.limit = 1000;
    for (const QString& number : coreNumbers(orders.session(), shipped).mid(5)) {
      auto order = store.get(number.toStdString());
      QVERIFY(order);
      if (order->hold) {
        QVERIFY(store.release(order->number, actor));
      }
      QVERIFY(store.transition(order->number, OrderStatus::Closed, actor));
    }
    model.refresh();
    QTRY_VERIFY(!model.isLoading() && model.rowCount() > 0);
    QCOMPARE(modelNumbers(model), firstPage);
    QCOMPARE(model.positionText(), QStringLiteral("1–5 of 5"));
  }

  void onlyTheLastAskedPageIsShown() {
    opflow::uitest::OrdersSession orders(kOrders);
    QVERIFY(orders.open(opflow::uitest::kOperator));
    OrderListModel model(orders.session());
    QTRY_VERIFY(model.hasPage() && !model.isLoading());
    const QStringList first = modelNumbers(model);
    QSignalSpy loaded(&model, &OrderListModel::pageLoaded);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.lastPage();
    model.setStatuses({OrderStatus::Closed});
    model.setStatuses({});
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(loaded.count(), 1);
    // The page that came back holds the orders shown, unchanged: neither reset nor changed.
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(modelNumbers(model), first);
    // One order of the page changes: that row is said to change, in place.
    const opflow::store::OrderActor supervisor{opflow::uitest::kSupervisor, "supervisor", "test-ws", "", ""};
    QVERIFY(orders.session().host().workstation().orders().hold(
        first[2].toStdString(), opflow::domain::HoldReason::CustomerRequest, supervisor));
    model.refresh();
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.front().at(0).value<QModelIndex>().row(), 2);
    QCOMPARE(changed.front().at(1).value<QModelIndex>().row(), 2);
    model.setStatuses({OrderStatus::Closed});
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(reset.count(), 1);
  }
};

OPFLOW_UI_TEST(OrderListModelTest)
#include "order_list_model_test.moc"
