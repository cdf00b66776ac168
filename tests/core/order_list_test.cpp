// Order lists: keyset pages cover every row exactly once, in the naive query's order, for
// every status filter and sort; pages before a page and the last page, read backwards,
// show the naive query's rows at the right place with exact cursors, searches included;
// searches by number and customer prefix; malformed cursors; the list queries read
// covering indexes only.
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
    auto seeded = seedOrders(*store, {1500, 11, 400, {"ada", "admin", "ws-test", "", ""}});
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

  // Numbers of a page's rows.
  static std::vector<std::string> numbersOf(const OrderPage& page) {
    std::vector<std::string> numbers;
    for (const OrderSummary& row : page.orders) {
      numbers.push_back(row.number);
    }
    return numbers;
  }

  // Checks that `page` shows list[start, start + its size) with cursors exactly where rows
  // lie before and after it.
  static void expectSlice(const OrderPage& page, const std::vector<std::string>& list, std::size_t start,
                          const std::string& context) {
    ASSERT_LE(start + page.orders.size(), list.size()) << context;
    std::vector<std::string> expected(list.begin() + static_cast<std::ptrdiff_t>(start),
                                      list.begin() + static_cast<std::ptrdiff_t>(start + page.orders.size()));
    EXPECT_EQ(numbersOf(page), expected) << context << " at " << start;
    EXPECT_EQ(page.previousCursor.empty(), start == 0) << context << " at " << start;
    EXPECT_EQ(page.nextCursor.empty(), start + page.orders.size() == list.size()) << context << " at " << start;
  }

  // Walks `query`'s list from its last page to its first through the pages before, and
  // forward again from each page, checking every page against `list` (the naive order).
  void expectBackwardPaging(OrderQuery query, const std::vector<std::string>& list, const std::string& context) {
    ASSERT_FALSE(list.empty()) << context;
    const std::size_t limit = query.limit;
    query.last = true;
    auto page = orders->list(query);
    ASSERT_TRUE(page) << page.error().describe();
    std::size_t start = list.size() > limit ? list.size() - limit : 0;
    expectSlice(*page, list, start, context + " last");
    ASSERT_EQ(page->orders.size(), std::min(limit, list.size())) << context;
    query.last = false;
    for (int pages = 0; !page->previousCursor.empty() && pages < 10000; ++pages) {
      OrderQuery back = query;
      back.before = page->previousCursor;
      auto previous = orders->list(back);
      ASSERT_TRUE(previous) << previous.error().describe();
      // The rows before the page, or the first page when fewer than a page's worth remain.
      std::size_t previousStart = start > limit ? start - limit : 0;
      expectSlice(*previous, list, previousStart, context + " previous");
      ASSERT_EQ(previous->orders.size(), std::min(limit, list.size())) << context;
      OrderQuery forward = query;
      forward.after = previous->nextCursor;
      auto next = orders->list(forward);
      ASSERT_TRUE(next) << next.error().describe();
      expectSlice(*next, list, previousStart + limit, context + " next after previous");
      page = std::move(previous);
      start = previousStart;
    }
    EXPECT_EQ(start, 0u) << context << ": the walk back ends on the first page";
  }

  // The ORDER BY of a sort.
  static std::string naiveOrder(OrderSort sort) {
    return sort == OrderSort::Newest ? "created_at DESC, id DESC" : "priority DESC, created_at DESC, id DESC";
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
        const OrderQuery query{statuses, "", sort, limit, "", "", false};
        const std::string orderBy = naiveOrder(sort);
        std::vector<std::string> expected = naive(inList(statuses), orderBy);
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(paged(query), expected) << inList(statuses) << " " << orderBy << " limit " << limit;
      }
    }
  }
}

TEST_F(OrderListTest, PagesBeforeAndTheLastPageReadBackwardsShowTheNaiveRowsWithExactCursors) {
  std::vector<std::vector<OrderStatus>> filters = {
      {},
      {OrderStatus::Closed},
      {OrderStatus::Cancelled, OrderStatus::Submitted, OrderStatus::ManufacturingStarted},
  };
  for (const auto& statuses : filters) {
    for (OrderSort sort : {OrderSort::Newest, OrderSort::Priority}) {
      for (std::size_t limit : {7u, 100u}) {
        const OrderQuery query{statuses, "", sort, limit, "", "", false};
        const std::string orderBy = naiveOrder(sort);
        expectBackwardPaging(query, naive(inList(statuses), orderBy),
                             fmt::format("{} {} limit {}", inList(statuses), orderBy, limit));
      }
    }
  }
}

TEST_F(OrderListTest, ThePageBeforeTheSecondIsTheFirstAndAShortListIsItsOwnLastPage) {
  OrderQuery query;
  query.limit = 40;
  auto first = orders->list(query);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->previousCursor.empty());
  query.after = first->nextCursor;
  auto second = orders->list(query);
  ASSERT_TRUE(second);
  ASSERT_FALSE(second->previousCursor.empty());
  query.after.clear();
  query.before = second->previousCursor;
  auto again = orders->list(query);
  ASSERT_TRUE(again);
  EXPECT_EQ(numbersOf(*again), numbersOf(*first));
  EXPECT_EQ(again->nextCursor, first->nextCursor);
  EXPECT_TRUE(again->previousCursor.empty());

  OrderQuery closed;
  closed.statuses = {OrderStatus::Closed};
  closed.limit = 1000;
  closed.last = true;
  auto whole = orders->list(closed);
  ASSERT_TRUE(whole);
  EXPECT_EQ(numbersOf(*whole), naive("status = 'CLOSED'", "created_at DESC, id DESC"));
  EXPECT_TRUE(whole->previousCursor.empty());
  EXPECT_TRUE(whole->nextCursor.empty());
}

TEST_F(OrderListTest, SearchPagesBackwardsAcrossNumberAndCustomerMatches) {
  const OrderActor actor{"t", "operator", "ws", "", ""};
  for (const char* customer : {"Ordway Fabrication", "ORDNANCE WORKS", "Ordinal Parts", "ordo labs", "Ordway Fabrication"}) {
    ASSERT_TRUE(orders->create({"", customer, 1, std::nullopt, "", "", ""}, actor));
  }
  // Number matches (ORD-...) first, then the customers starting with "ord".
  const std::string where = "status = 'INITIATED'";
  std::vector<std::string> list = naive(where + " AND number LIKE 'ord%'", "number");
  for (const std::string& number :
       naive(where + " AND lower(customer) LIKE 'ord%' AND number NOT LIKE 'ord%'", "customer COLLATE NOCASE, id")) {
    list.push_back(number);
  }
  OrderQuery query;
  query.search = "ord";
  query.statuses = {OrderStatus::Initiated};
  for (std::size_t limit : {3u, 7u, 1000u}) {
    query.limit = limit;
    EXPECT_EQ(paged(query), list) << "forward, limit " << limit;
    expectBackwardPaging(query, list, fmt::format("search ord limit {}", limit));
  }
  OrderQuery byCustomer;
  byCustomer.search = "ORDW";
  byCustomer.limit = 1;
  byCustomer.last = true;
  auto last = orders->list(byCustomer);
  ASSERT_TRUE(last);
  ASSERT_EQ(last->orders.size(), 1u);
  EXPECT_EQ(last->orders[0].number, "ORD-001505") << "the second Ordway order, by id";
  EXPECT_TRUE(last->nextCursor.empty());
  EXPECT_FALSE(last->previousCursor.empty());
}

TEST_F(OrderListTest, OnePageIsAskedAtATimeAndABackwardCursorMustBelongToTheList) {
  auto first = orders->list({{}, "", OrderSort::Newest, 5, "", "", false});
  ASSERT_TRUE(first);
  for (const OrderQuery& query : {OrderQuery{{}, "", OrderSort::Newest, 5, first->nextCursor, first->nextCursor, false},
                                  OrderQuery{{}, "", OrderSort::Newest, 5, first->nextCursor, "", true},
                                  OrderQuery{{}, "", OrderSort::Newest, 5, "", first->nextCursor, true}}) {
    auto page = orders->list(query);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(page.error().message, HasSubstr("one page"));
  }
  auto foreign = orders->list({{}, "x", OrderSort::Newest, 5, "", first->nextCursor, false});
  ASSERT_FALSE(foreign);
  EXPECT_THAT(foreign.error().message, HasSubstr("another list"));
  auto malformed = orders->list({{}, "", OrderSort::Newest, 5, "", "N.1", false});
  ASSERT_FALSE(malformed);
  EXPECT_THAT(malformed.error().message, HasSubstr("cursor"));
}

TEST_F(OrderListTest, AnEmptyFilterGivesAnEmptyPageWithoutCursor) {
  ASSERT_TRUE(store->writer().execute([](Database& db) { return db.exec("DELETE FROM orders WHERE status = 'CLOSED'"); }));
  auto page = orders->list({{OrderStatus::Closed}, "", OrderSort::Newest, 50, ""});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->orders.empty());
  EXPECT_TRUE(page->nextCursor.empty());
  auto last = orders->list({{OrderStatus::Closed}, "", OrderSort::Newest, 50, "", "", true});
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->orders.empty());
  EXPECT_TRUE(last->previousCursor.empty());
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
  const char* backwards[] = {
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE (created_at, id) > (1, 2) ORDER BY created_at ASC, id ASC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE status = 'CLOSED' AND (created_at, id) > (1, 2) ORDER BY created_at ASC, id ASC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE (priority, created_at, id) > (3, 1, 2) ORDER BY priority ASC, created_at ASC, id ASC LIMIT 51",
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE status = 'CLOSED' AND (priority, created_at, id) > (3, 1, 2) "
      "ORDER BY priority ASC, created_at ASC, id ASC LIMIT 51",
  };
  std::vector<const char*> all(std::begin(queries), std::end(queries));
  all.insert(all.end(), std::begin(backwards), std::end(backwards));
  for (const char* sql : all) {
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
  EXPECT_EQ(scalar("SELECT count(*) FROM audit"), 4) << "one audit entry for each batch of 400 the seed committed";
  EXPECT_EQ(scalar("SELECT sum(json_extract(after, '$.orders')) FROM audit WHERE action = 'orders.seeded'"), 1500);
  EXPECT_EQ(scalar("SELECT count(*) FROM audit WHERE action = 'orders.seeded' AND user = 'ada' AND role = 'admin'"), 4)
      << "each names the admin who seeded";
  EXPECT_EQ(scalar("SELECT count(DISTINCT correlation_id) FROM audit"), 1) << "one seed, one correlation id";
  auto closed = orders->list({{OrderStatus::Closed}, "", OrderSort::Newest, 1, ""});
  ASSERT_TRUE(closed && !closed->orders.empty());
  EXPECT_EQ(closed->orders[0].version, 10) << "nine moves after creation";
  EXPECT_EQ(scalar(fmt::format("SELECT count(*) FROM order_history WHERE order_id = {}", closed->orders[0].id).c_str()),
            10);
}

} // namespace
} // namespace opflow::store::test
