// Closing an order at a workstation in a shop: the latest review, made at any workstation,
// must have seen every entry the shop recorded about the order since it shipped, this
// workstation's entries that have not gone up included; offline the close waits.
#include "SyncTestSupport.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/sync/ShopOrderTrail.h"
#include "opflow/testing/NodeHarness.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace opflow::sync::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using domain::OrderStatus;
using opflow::testing::NodeHarness;
using opflow::testing::NodeRun;

// rita's run at `workstation`, under `correlationId`.
engine::RunContext rita(const std::string& workstation, const std::string& correlationId) {
  engine::RunContext context;
  context.user = "rita";
  context.role = "supervisor";
  context.workstation = workstation;
  context.correlationId = correlationId;
  return context;
}

// What a run of rita's under that correlation id writes besides its steps.
store::OrderActor ritasRun(const std::string& workstation, const std::string& correlationId) {
  return {"rita", "supervisor", workstation, correlationId, ""};
}

// One workstation's handlers and operations, with its trail across the shop.
struct Desk {
  explicit Desk(Workstation& ws) : shop(*ws.store) {
    builtin::Services services;
    services.orders = ws.orders.get();
    services.shop = &shop;
    EXPECT_TRUE(builtin::registerHandlers(handlers, services));
    EXPECT_TRUE(builtin::loadDefinitions(catalog));
  }

  NodeRun node(const std::string& operation, const std::string& name, const Json& data,
               const engine::RunContext& context) const {
    auto run = NodeHarness(catalog).run(operation, name, data, {}, context);
    EXPECT_TRUE(run) << run.error().describe();
    return run ? *run : NodeRun{};
  }
  // rita reviews the order's audit trail here.
  NodeRun review(const std::string& number, const std::string& workstation) const {
    return node("order.review_audit", "record", Json{{"order", {{"number", number}}}},
                rita(workstation, "review-at-" + workstation));
  }
  // What closing the order here finds of its review.
  NodeRun closeCheck(const std::string& number, const std::string& workstation) const {
    return node("order.close", "reviewed?", Json{{"order", {{"number", number}}}},
                rita(workstation, "close-at-" + workstation));
  }

  ShopOrderTrail shop;
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
};

class ShopReviewTest : public SyncFixture, public ::testing::WithParamInterface<SharedBackend> {
protected:
  ShopReviewTest() : SyncFixture(GetParam()) {}

  void SetUp() override {
    SyncFixture::SetUp();
    addShopUser("rita", "supervisor", 4);
  }

  // An order made at `one`, moved to SHIPPED there, known at `two`.
  std::string shippedOrder(Workstation& one, Workstation& two) {
    const store::Order order = orderBothKnow(one, two);
    for (OrderStatus next : domain::allOrderStatuses()) {
      if (domain::positionOf(next) > 0 && domain::positionOf(next) <= domain::positionOf(OrderStatus::Shipped)) {
        EXPECT_TRUE(one.orders->transition(order.number, next, one.actor()));
      }
    }
    sync(one);
    sync(two);
    return order.number;
  }

  // sam holds the order at `ws` and releases it: two entries about it there.
  static void holdAndRelease(Workstation& ws, const std::string& number) {
    ASSERT_TRUE(ws.orders->hold(number, domain::HoldReason::QualityCheck, ws.actor("sam")));
    ASSERT_TRUE(ws.orders->release(number, ws.actor("sam")));
  }
};

TEST_P(ShopReviewTest, AReviewThatDidNotSeeAnotherWorkstationsEntriesDoesNotCloseTheOrder) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const std::string number = shippedOrder(one, two);
  holdAndRelease(two, number); // not gone up yet when rita reviews at ws-1
  Desk atOne(one);
  NodeRun reviewed = atOne.review(number, "ws-1");
  ASSERT_EQ(reviewed.next, "reviewed");
  EXPECT_TRUE(reviewed.data["review"]["shop_position"].is_number_integer());
  sync(two);
  sync(one);

  NodeRun refused = atOne.closeCheck(number, "ws-1");
  EXPECT_EQ(refused.next, "not_reviewed");
  const std::string reason = refused.data["order_refusal"].get<std::string>();
  EXPECT_THAT(reason, HasSubstr("by rita at ws-1 did not see 2 audit entries"));
  EXPECT_THAT(reason, HasSubstr("ws-2 #"));
  EXPECT_THAT(reason, HasSubstr("order.held by sam"));
  EXPECT_THAT(reason, HasSubstr("order.released by sam"));

  ASSERT_EQ(atOne.review(number, "ws-1").next, "reviewed");
  NodeRun allowed = atOne.closeCheck(number, "ws-1");
  EXPECT_EQ(allowed.next, "sign") << allowed.data.dump();
  EXPECT_EQ(allowed.written["record.closed_after_review_by"], "rita");
}

TEST_P(ShopReviewTest, AReviewAtOneWorkstationClosesTheOrderAtAnother) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const std::string number = shippedOrder(one, two);
  holdAndRelease(two, number);
  sync(two);
  sync(one);
  Desk atTwo(two);
  NodeRun unreviewed = atTwo.closeCheck(number, "ws-2");
  EXPECT_EQ(unreviewed.next, "not_reviewed");
  EXPECT_THAT(unreviewed.data["order_refusal"].get<std::string>(), HasSubstr("at any workstation of the shop"));

  Desk atOne(one);
  ASSERT_EQ(atOne.review(number, "ws-1").next, "reviewed");
  // Not gone up yet: ws-2 does not know of the review.
  EXPECT_EQ(atTwo.closeCheck(number, "ws-2").next, "not_reviewed");
  sync(one);
  NodeRun allowed = atTwo.closeCheck(number, "ws-2");
  EXPECT_EQ(allowed.next, "sign") << allowed.data.dump();
  EXPECT_EQ(allowed.data["review"]["workstation"], "ws-1");
  EXPECT_EQ(allowed.data["review"]["reviewer"], "rita");

  // What ws-2 does after the review, before it goes up, is not reviewed either.
  holdAndRelease(two, number);
  NodeRun stale = atTwo.closeCheck(number, "ws-2");
  EXPECT_EQ(stale.next, "not_reviewed");
  EXPECT_THAT(stale.data["order_refusal"].get<std::string>(), HasSubstr("did not see 2 audit entries"));
}

TEST_P(ShopReviewTest, ReceiptsAndTheRunsOwnStepsAreNotTheTrailUnderReview) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const std::string number = shippedOrder(one, two);
  Desk atOne(one);
  ASSERT_EQ(atOne.review(number, "ws-1").next, "reviewed");
  // ws-2 takes the review (an order.pulled receipt in its chain), and both sync again.
  sync(one);
  sync(two);
  sync(one);
  // What the review's run and the closing run wrote about the order (under their
  // correlation ids) is not the trail under review either.
  ASSERT_TRUE(one.orders->hold(number, domain::HoldReason::QualityCheck, ritasRun("ws-1", "review-at-ws-1")));
  ASSERT_TRUE(one.orders->release(number, ritasRun("ws-1", "close-at-ws-1")));
  sync(one);
  sync(two);
  EXPECT_EQ(atOne.closeCheck(number, "ws-1").next, "sign");
  NodeRun atTwo = Desk(two).closeCheck(number, "ws-2");
  EXPECT_EQ(atTwo.next, "not_reviewed") << "ws-2's run is another: ws-1's release is not its own";
  EXPECT_THAT(atTwo.data["order_refusal"].get<std::string>(), HasSubstr("did not see 1 audit entry"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopReviewTest,
                         ::testing::Values(SharedBackend::SqliteFile, SharedBackend::Postgres), backendName);

class ShopReviewOfflineTest : public SyncFixture {};

TEST_F(ShopReviewOfflineTest, OfflineTheReviewCoversThisWorkstationAndTheCloseWaits) {
  addShopUser("rita", "supervisor", 4);
  Workstation one = workstation("ws-1");
  auto created = one.create();
  ASSERT_TRUE(created);
  for (OrderStatus next : domain::allOrderStatuses()) {
    if (domain::positionOf(next) > 0 && domain::positionOf(next) <= domain::positionOf(OrderStatus::Shipped)) {
      ASSERT_TRUE(one.orders->transition(created->number, next, one.actor()));
    }
  }
  std::filesystem::rename(sharedTarget(), sharedTarget() + ".away");
  Desk atOne(one);
  NodeRun reviewed = atOne.review(created->number, "ws-1");
  ASSERT_EQ(reviewed.next, "reviewed");
  EXPECT_TRUE(reviewed.data["review"]["shop_position"].is_null());

  NodeRun offline = atOne.closeCheck(created->number, "ws-1");
  EXPECT_EQ(offline.next, "not_reviewed");
  EXPECT_THAT(offline.data["order_refusal"].get<std::string>(),
              HasSubstr("closes once the audit trail of every workstation of the shop is reviewed, and the shop's "
                        "database cannot be reached"));

  std::filesystem::rename(sharedTarget() + ".away", sharedTarget());
  // Back online, with nothing from elsewhere: the review saw this workstation's whole trail.
  EXPECT_EQ(atOne.closeCheck(created->number, "ws-1").next, "sign");
  EXPECT_THAT(atOne.closeCheck(created->number, "ws-1").data.dump(), Not(HasSubstr("order_refusal")));
}

} // namespace
} // namespace opflow::sync::test
