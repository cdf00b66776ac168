// OrderStore writes: creation, moves allowed and refused (audited, nothing else changed),
// idempotent re-moves, stale versions, holds, the database's own refusal, and counts kept
// by triggers equal to a recount after random operations.
#include "StoreTestSupport.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/Outbox.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <map>
#include <random>

namespace opflow::store::test {
namespace {

using domain::HoldReason;
using domain::OrderStatus;
using ::testing::HasSubstr;

std::int64_t scalar(Database& db, const std::string& sql) {
  auto statement = db.prepareUncached(sql);
  EXPECT_TRUE(statement) << sql;
  auto row = (*statement)->step();
  EXPECT_TRUE(row && *row) << sql;
  return (*statement)->int64(0);
}

OrderActor ada() { return {"ada", "operator", "ws-1", "corr-42", ""}; }

class OrderStoreTest : public StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    orders = std::make_unique<OrderStore>(*store);
  }

  Order create(std::string customer = "Acme Fabrication", int priority = 1) {
    auto created = orders->create({"", std::move(customer), priority, 12345, "PETG", "bracket_v3.stl", ""}, ada());
    EXPECT_TRUE(created) << created.error().describe();
    return created ? *created : Order{};
  }

  std::vector<AuditEntry> auditOf(const std::string& number) {
    auto db = reader();
    AuditQuery query;
    query.orderNumber = number;
    auto entries = queryAudit(*db, query);
    EXPECT_TRUE(entries) << entries.error().describe();
    return entries ? *entries : std::vector<AuditEntry>{};
  }

  std::int64_t outboxCount() {
    auto db = reader();
    return scalar(*db, "SELECT count(*) FROM outbox WHERE kind = 'order.changed'");
  }

  std::unique_ptr<OrderStore> orders;
};

TEST_F(OrderStoreTest, CreateGivesANumberAndRecordsAuditAndOutbox) {
  Order first = create();
  Order second = create("Lumen Optics", 3);
  EXPECT_EQ(first.number, "ORD-000001");
  EXPECT_EQ(second.number, "ORD-000002");
  EXPECT_EQ(first.status, OrderStatus::Initiated);
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.priceCents, 12345);
  EXPECT_GT(first.createdAtMs, 0);

  auto entries = auditOf(first.number);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action, "order.created");
  EXPECT_EQ(entries[0].user, "ada");
  EXPECT_EQ(entries[0].correlationId, "corr-42");
  EXPECT_EQ(entries[0].after["status"], "INITIATED");

  auto db = reader();
  EXPECT_EQ(scalar(*db, "SELECT base_version FROM outbox WHERE kind = 'order.changed' AND subject_id = 'ORD-000001'"),
            0);
  auto fetched = orders->get("ord-000002");
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->customer, "Lumen Optics");
  EXPECT_EQ(orders->get("ORD-999999").error().code, ErrorCode::NotFound);

  auto invalid = orders->create({"", "Acme", 7, std::nullopt, "", "", ""}, ada());
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::InvalidArgument);
  auto duplicate = orders->create({"ORD-000001", "Acme", 1, std::nullopt, "", "", ""}, ada());
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
}

TEST_F(OrderStoreTest, AnAllowedMoveChangesStatusAndVersionWithItsAuditAndOutboxEvent) {
  Order order = create();
  auto moved = orders->transition(order.number, OrderStatus::FileUploaded, ada());
  ASSERT_TRUE(moved) << moved.error().describe();
  EXPECT_EQ(moved->status, OrderStatus::FileUploaded);
  EXPECT_EQ(moved->version, 2);
  EXPECT_GE(moved->updatedAtMs, order.updatedAtMs);

  auto entries = auditOf(order.number);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].action, "order.status_changed");
  EXPECT_EQ(entries[1].before["status"], "INITIATED");
  EXPECT_EQ(entries[1].before["version"], 1);
  EXPECT_EQ(entries[1].after["status"], "FILE_UPLOADED");
  EXPECT_EQ(entries[1].after["version"], 2);

  auto db = reader();
  EXPECT_EQ(scalar(*db, "SELECT base_version FROM outbox WHERE kind = 'order.changed' ORDER BY seq DESC LIMIT 1"), 1);
  EXPECT_EQ(scalar(*db, "SELECT count FROM order_status_counts WHERE status = 'FILE_UPLOADED'"), 1);
  EXPECT_EQ(scalar(*db, "SELECT count FROM order_status_counts WHERE status = 'INITIATED'"), 0);
}

TEST_F(OrderStoreTest, TheHistoryGainsARowForCreationAndEachMoveButNotForRefusalsOrHolds) {
  Order order = create();
  ASSERT_TRUE(orders->transition(order.number, OrderStatus::FileUploaded, ada()));
  ASSERT_FALSE(orders->transition(order.number, OrderStatus::Closed, ada()));
  ASSERT_TRUE(orders->hold(order.number, HoldReason::Payment, ada()));
  ASSERT_TRUE(orders->release(order.number, ada()));
  auto moved = orders->transition(order.number, OrderStatus::Cancelled, ada());
  ASSERT_TRUE(moved);

  auto db = reader();
  auto select = db->prepareUncached("SELECT at, status FROM order_history WHERE order_id = ? ORDER BY at");
  ASSERT_TRUE(select);
  (*select)->bind(1, order.id);
  std::vector<std::pair<std::int64_t, std::int64_t>> rows;
  while (*(*select)->step()) {
    rows.emplace_back((*select)->int64(0), (*select)->int64(1));
  }
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], std::make_pair(order.createdAtMs, std::int64_t{0}));
  EXPECT_EQ(rows[1].second, 1);
  EXPECT_EQ(rows[2], std::make_pair(moved->updatedAtMs, std::int64_t{10}));

  ASSERT_TRUE(store->writer().execute([&](Database& w) { return w.exec("DELETE FROM orders WHERE id = " + std::to_string(order.id)); }));
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM order_history"), 0) << "the history goes with its order";
}

TEST_F(OrderStoreTest, ARefusedMoveIsAuditedAndChangesNothingElse) {
  Order order = create();
  std::int64_t outboxBefore = outboxCount();
  auto refused = orders->transition(order.number, OrderStatus::Submitted, ada());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_THAT(refused.error().message, HasSubstr("cannot move from INITIATED to SUBMITTED"));
  EXPECT_THAT(refused.error().message, HasSubstr("allowed: FILE_UPLOADED, CANCELLED"));

  auto after = orders->get(order.number);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, OrderStatus::Initiated);
  EXPECT_EQ(after->version, 1);
  EXPECT_EQ(after->updatedAtMs, order.updatedAtMs);
  EXPECT_EQ(outboxCount(), outboxBefore);
  auto entries = auditOf(order.number);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].action, "order.transition_refused");
  EXPECT_EQ(entries[1].after["status"], "SUBMITTED");
  EXPECT_THAT(entries[1].reason, HasSubstr("cannot move"));

  EXPECT_EQ(orders->transition("ORD-404404", OrderStatus::Submitted, ada()).error().code, ErrorCode::NotFound);
}

TEST_F(OrderStoreTest, MovingToTheCurrentStatusIsAnIdempotentSuccess) {
  Order order = create();
  ASSERT_TRUE(orders->transition(order.number, OrderStatus::FileUploaded, ada()));
  std::int64_t outboxBefore = outboxCount();
  auto again = orders->transition(order.number, OrderStatus::FileUploaded, ada(), 1);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(outboxCount(), outboxBefore);
  EXPECT_EQ(auditOf(order.number).size(), 2u);
}

TEST_F(OrderStoreTest, AStaleExpectedVersionIsRefused) {
  Order order = create();
  auto stale = orders->transition(order.number, OrderStatus::FileUploaded, ada(), 5);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::Conflict);
  EXPECT_THAT(stale.error().message, HasSubstr("version 1, not the expected 5"));
  auto fresh = orders->transition(order.number, OrderStatus::FileUploaded, ada(), 1);
  ASSERT_TRUE(fresh) << fresh.error().describe();
}

TEST_F(OrderStoreTest, AHoldBlocksMovesUntilReleasedAndKeepsTheStatus) {
  Order order = create();
  auto held = orders->hold(order.number, HoldReason::MaterialShortage, ada(), "PETG out of stock");
  ASSERT_TRUE(held) << held.error().describe();
  EXPECT_EQ(held->hold, HoldReason::MaterialShortage);
  EXPECT_EQ(held->status, OrderStatus::Initiated);
  EXPECT_EQ(held->version, 2);
  EXPECT_EQ(orders->hold(order.number, HoldReason::Payment, ada()).error().code, ErrorCode::Conflict);
  auto counts = orders->count();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->held, 1);

  auto blocked = orders->transition(order.number, OrderStatus::FileUploaded, ada());
  ASSERT_FALSE(blocked);
  EXPECT_THAT(blocked.error().message, HasSubstr("on hold (MATERIAL_SHORTAGE)"));

  auto released = orders->release(order.number, ada());
  ASSERT_TRUE(released) << released.error().describe();
  EXPECT_FALSE(released->hold.has_value());
  EXPECT_EQ(orders->release(order.number, ada()).error().code, ErrorCode::Conflict);
  ASSERT_TRUE(orders->transition(order.number, OrderStatus::FileUploaded, ada()));

  std::vector<std::string> actions;
  for (const AuditEntry& entry : auditOf(order.number)) {
    actions.push_back(entry.action);
  }
  EXPECT_THAT(actions, ::testing::ElementsAre("order.created", "order.held", "order.transition_refused",
                                              "order.released", "order.status_changed"));
  counts = orders->count();
  EXPECT_EQ(counts->held, 0);
}

TEST_F(OrderStoreTest, TheDatabaseItselfRefusesAMoveOutsideTheTransitionTable) {
  Order order = create();
  Status skipped = store->writer().execute(
      [&](Database& db) { return db.exec("UPDATE orders SET status = 'SHIPPED' WHERE number = 'ORD-000001'"); });
  ASSERT_FALSE(skipped);
  EXPECT_THAT(skipped.error().message, HasSubstr("not in order_transitions"));
  ASSERT_TRUE(orders->hold(order.number, HoldReason::QualityCheck, ada()));
  Status onHold = store->writer().execute(
      [&](Database& db) { return db.exec("UPDATE orders SET status = 'FILE_UPLOADED' WHERE number = 'ORD-000001'"); });
  ASSERT_FALSE(onHold);
  EXPECT_THAT(onHold.error().message, HasSubstr("on hold"));
  EXPECT_EQ(orders->get(order.number)->status, OrderStatus::Initiated);
}

TEST_F(OrderStoreTest, TriggerCountsEqualARecountAfterRandomOperations) {
  std::mt19937 random(7);
  std::vector<std::string> numbers;
  for (int i = 0; i < 40; ++i) {
    numbers.push_back(create("Customer " + std::to_string(i % 5)).number);
  }
  auto statuses = domain::allOrderStatuses();
  for (int i = 0; i < 400; ++i) {
    const std::string& number = numbers[random() % numbers.size()];
    switch (random() % 5) {
    case 0:
    case 1: // an allowed or refused move, at random
      static_cast<void>(orders->transition(number, statuses[random() % statuses.size()], ada()));
      break;
    case 2: {
      auto current = orders->get(number);
      ASSERT_TRUE(current);
      auto next = domain::nextStatuses(current->status);
      if (!next.empty()) {
        static_cast<void>(orders->transition(number, next[random() % next.size()], ada()));
      }
      break;
    }
    case 3:
      static_cast<void>(orders->hold(number, domain::allHoldReasons()[random() % 5], ada()));
      break;
    default:
      static_cast<void>(orders->release(number, ada()));
    }
  }
  // Deletes (not an API operation, but the trigger must keep up with them too).
  ASSERT_TRUE(store->writer().execute([](Database& db) { return db.exec("DELETE FROM orders WHERE id % 7 = 0"); }));

  auto counts = orders->count();
  ASSERT_TRUE(counts);
  auto db = reader();
  EXPECT_EQ(counts->total, scalar(*db, "SELECT count(*) FROM orders"));
  EXPECT_EQ(counts->held, scalar(*db, "SELECT count(*) FROM orders WHERE hold_reason IS NOT NULL"));
  for (OrderStatus status : statuses) {
    EXPECT_EQ(counts->byStatus[status],
              scalar(*db, fmt::format("SELECT count(*) FROM orders WHERE status = '{}'", domain::toString(status))))
        << domain::toString(status);
  }
  auto some = orders->count({OrderStatus::Initiated, OrderStatus::Closed});
  ASSERT_TRUE(some);
  EXPECT_EQ(some->byStatus.size(), 2u);
  EXPECT_EQ(some->total, counts->byStatus[OrderStatus::Initiated] + counts->byStatus[OrderStatus::Closed]);
}

} // namespace
} // namespace opflow::store::test
