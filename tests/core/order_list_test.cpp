// Order lists: keyset pages cover every row exactly once, in the naive query's order, for
// every status filter and sort; searches by number and customer prefix; malformed
// cursors; the list queries read covering indexes only.
#include "StoreTestSupport.h"

#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::OrderStatus;
using ::testing::HasSubstr;

class OrderListTest : public StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    orders = std::make_unique<OrderStore>(*store);
    auto seeded = seedOrders(*store, {1500, 11, 400, "ws-test"});
    ASSERT_TRUE(seeded) << seeded.error().describe();
    // Ties on created_at, so the id must break them.
    ASSERT_TRUE(store->writer().execute([](Database& db) {
      return db.exec("UPDATE orders SET created_at = (SELECT created_at FROM orders WHERE id = 100) "
                     "WHERE id BETWEEN 100 AND 130");
    }));
  }

  // The numbers a naive full query gives, in order.
  std::vector<std::string> naive(const std::string& where, const std::string& orderBy) {
    auto db = reader();
    auto select = db->prepareUncached(
        fmt::format("SELECT number FROM orders NOT INDEXED WHERE {} ORDER BY {}", where, orderBy));
    EXPECT_TRUE(select) << select.error().describe();
    std::vector<std::string> numbers;
    while (*(*select)->step()) {
      numbers.push_back((*select)->text(0));
    }
    return numbers;
  }

  // Every page of a query, following the cursors.
  std::vector<std::string> paged(OrderQuery query) {
    std::vector<std::string> numbers;
    for (int pages = 0; pages < 10000; ++pages) {
      auto page = orders->list(query);
      EXPECT_TRUE(page) << page.error().describe();
      if (!page) {
        break;
      }
      EXPECT_LE(page->orders.size(), query.limit);
      for (const OrderSummary& row : page->orders) {
        numbers.push_back(row.number);
      }
      if (page->nextCursor.empty()) {
        break;
      }
      query.after = page->nextCursor;
    }
    return numbers;
  }

  static std::string inList(const std::vector<OrderStatus>& statuses) {
    if (statuses.empty()) {
      return "1";
    }
    std::string list;
    for (OrderStatus status : statuses) {
      list += fmt::format("{}'{}'", list.empty() ? "" : ", ", domain::toString(status));
    }
    return "status IN (" + list + ")";
  }

  std::unique_ptr<OrderStore> orders;
};

TEST_F(OrderListTest, KeysetPagesCoverEveryRowOnceInOrderForEveryFilterAndSort) {
  std::vector<std::vector<OrderStatus>> filters = {
      {},
      {OrderStatus::Initiated},
      {OrderStatus::Closed},
      {OrderStatus::Shipped, OrderStatus::Packaging},
      {OrderStatus::Cancelled, OrderStatus::Submitted, OrderStatus::ManufacturingStarted},
  };
  for (const auto& statuses : filters) {
    for (OrderSort sort : {OrderSort::Newest, OrderSort::Priority}) {
      for (std::size_t limit : {7u, 50u, 1000u}) {
        OrderQuery query;
        query.statuses = statuses;
        query.sort = sort;
        query.limit = limit;
        std::string orderBy = sort == OrderSort::Newest ? "created_at DESC, id DESC"
                                                         : "priority DESC, created_at DESC, id DESC";
        std::vector<std::string> expected = naive(inList(statuses), orderBy);
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(paged(query), expected) << inList(statuses) << " " << orderBy << " limit " << limit;
      }
    }
  }
}

TEST_F(OrderListTest, AnEmptyFilterGivesAnEmptyPageWithoutCursor) {
  ASSERT_TRUE(store->writer().execute([](Database& db) { return db.exec("DELETE FROM orders WHERE status = 'CLOSED'"); }));
  auto page = orders->list({{OrderStatus::Closed}, "", OrderSort::Newest, 50, ""});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->orders.empty());
  EXPECT_TRUE(page->nextCursor.empty());
}

TEST_F(OrderListTest, SearchFindsNumberPrefixesThenCustomerPrefixesCaseInsensitively) {
  OrderQuery byNumber;
  byNumber.search = "ord-0001";
  byNumber.limit = 13;
  EXPECT_EQ(paged(byNumber), naive("number LIKE 'ORD-0001%'", "number"));

  OrderQuery byCustomer;
  byCustomer.search = "ba";
  byCustomer.limit = 9;
  std::vector<std::string> expected = naive("lower(customer) LIKE 'ba%'", "customer COLLATE NOCASE, id");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(paged(byCustomer), expected);

  OrderQuery withStatus = byCustomer;
  withStatus.search = "HOL";
  withStatus.statuses = {OrderStatus::Initiated, OrderStatus::Shipped};
  EXPECT_EQ(paged(withStatus), naive("lower(customer) LIKE 'hol%' AND status IN ('INITIATED', 'SHIPPED')",
                                     "customer COLLATE NOCASE, id"));

  // A customer whose name starts like an order number comes after the number matches.
  ASSERT_TRUE(orders->create({"", "Ordway Fabrication", 1, std::nullopt, "", "", ""}, {"t", "operator", "ws", "", ""}));
  OrderQuery both;
  both.search = "ord";
  both.limit = 1000;
  auto page = orders->list(both);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->orders.size(), 1000u);
  EXPECT_EQ(page->orders.front().number, "ORD-000001");
  std::vector<std::string> all = paged(both);
  EXPECT_EQ(all.size(), 1501u);
  EXPECT_EQ(all.back(), "ORD-001501") << "the customer match comes last";

  OrderQuery none;
  none.search = "zzz-nobody";
  auto empty = orders->list(none);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->orders.empty());
  EXPECT_TRUE(empty->nextCursor.empty());
}

TEST_F(OrderListTest, AMalformedOrForeignCursorIsAnInvalidArgumentThatSaysSo) {
  for (const char* cursor : {"garbage", "N.12", "N.x.1", "P.1.2", "S.2.00.1", "S.0.zz.1", "N.1.2.3", ""}) {
    if (std::string(cursor).empty()) {
      continue;
    }
    auto page = orders->list({{}, "", OrderSort::Newest, 50, cursor});
    ASSERT_FALSE(page) << cursor;
    EXPECT_EQ(page.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(page.error().message, HasSubstr("cursor")) << cursor;
  }
  auto first = orders->list({{}, "", OrderSort::Newest, 5, ""});
  ASSERT_TRUE(first);
  auto foreign = orders->list({{}, "", OrderSort::Priority, 5, first->nextCursor});
  ASSERT_FALSE(foreign);
  EXPECT_THAT(foreign.error().message, HasSubstr("another list"));
  EXPECT_EQ(orders->list({{}, "", OrderSort::Newest, 0, ""}).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(orders->list({{}, "", OrderSort::Newest, 1001, ""}).error().code, ErrorCode::InvalidArgument);
}

TEST_F(OrderListTest, ListQueriesReadCoveringIndexesOnly) {
  auto db = reader();
  const char* queries[] = {
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE (created_at, id) < (1, 2) ORDER BY created_at DESC, id DESC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE status = 'CLOSED' AND (created_at, id) < (1, 2) ORDER BY created_at DESC, id DESC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE (priority, created_at, id) < (3, 1, 2) ORDER BY priority DESC, created_at DESC, id DESC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE status = 'CLOSED' AND (priority, created_at, id) < (3, 1, 2) "
      "ORDER BY priority DESC, created_at DESC, id DESC LIMIT 51",
  };
  for (const char* sql : queries) {
    auto plan = db->prepareUncached(std::string("EXPLAIN QUERY PLAN ") + sql);
    ASSERT_TRUE(plan);
    std::string details;
    while (*(*plan)->step()) {
      details += (*plan)->text(3) + "; ";
    }
    EXPECT_THAT(details, HasSubstr("USING COVERING INDEX")) << sql;
    EXPECT_THAT(details, ::testing::Not(HasSubstr("TEMP B-TREE"))) << sql;
  }
}

TEST_F(OrderListTest, TheSeederCoversEveryStatusWithHoldsAndTimelines) {
  auto counts = orders->count();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->total, 1500);
  for (OrderStatus status : domain::allOrderStatuses()) {
    EXPECT_GT(counts->byStatus[status], 0) << domain::toString(status);
  }
  EXPECT_GT(counts->byStatus[OrderStatus::Initiated], counts->byStatus[OrderStatus::Closed]);
  EXPECT_GT(counts->held, 0);
  auto db = reader();
  auto scalar = [&](const char* sql) {
    auto select = db->prepareUncached(sql);
    EXPECT_TRUE(select) << sql;
    EXPECT_TRUE(*(*select)->step()) << sql;
    return (*select)->int64(0);
  };
  EXPECT_EQ(scalar("SELECT count(DISTINCT order_id) FROM order_history"), 1500);
  EXPECT_EQ(scalar("SELECT count(*) FROM orders o WHERE (SELECT status FROM order_history h WHERE h.order_id = o.id "
                   "ORDER BY at DESC LIMIT 1) IS NOT (SELECT position FROM order_statuses WHERE name = o.status)"),
            0)
      << "each order's timeline ends in its status";
  EXPECT_EQ(scalar("SELECT count(*) FROM order_history h JOIN orders o ON o.id = h.order_id "
                   "WHERE h.at < o.created_at OR h.at > o.updated_at"),
            0)
      << "timelines lie between creation and the last update";
  EXPECT_EQ(scalar("SELECT count(*) FROM audit"), 1) << "one audit entry for the seed itself";
  EXPECT_EQ(scalar("SELECT json_extract(after, '$.orders') FROM audit WHERE action = 'orders.seeded'"), 1500);
  auto closed = orders->list({{OrderStatus::Closed}, "", OrderSort::Newest, 1, ""});
  ASSERT_TRUE(closed && !closed->orders.empty());
  EXPECT_EQ(closed->orders[0].version, 10) << "nine moves after creation";
  EXPECT_EQ(scalar(fmt::format("SELECT count(*) FROM order_history WHERE order_id = {}", closed->orders[0].id).c_str()),
            10);
}

} // namespace
} // namespace opflow::store::test
