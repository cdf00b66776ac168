// What a status move records (details, columns, a signature, a reason) in its one
// transaction; the move check at the start of an operation; a manager's attempts, refused
// and audited; and the review of an order's audit trail that closing requires.
#include "StoreTestSupport.h"
#include "UserTestSupport.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderStore.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::HoldReason;
using domain::OrderStatus;
using ::testing::HasSubstr;

OrderActor ada() { return {"ada", "operator", "ws-1", "corr-1", ""}; }
OrderActor grace() { return {"grace", "supervisor", "ws-2", "corr-2", ""}; }
OrderActor mona() { return {"mona", "manager", "ws-3", "corr-3", ""}; }

// A signature grace gave (recorded as the signature store would have).
OrderSignature graceSigns(LocalStore& store, const std::string& meaning) {
  OrderSignature signature{"sig-1", "grace", "supervisor", meaning, 1795428000000};
  recordSignatureRow(store, signature.id, signature.signer, signature.role, meaning, signature.atMs);
  return signature;
}

class OrderRecordTest : public StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    orders = std::make_unique<OrderStore>(*store);
    NewOrder order{"", "Acme Fabrication", 1, std::nullopt, "PETG", "", ""};
    order.details = Json{{"quantity", 3}, {"rush", true}};
    auto created = orders->create(order, ada());
    ASSERT_TRUE(created) << created.error().describe();
    number = created->number;
  }

  std::vector<AuditEntry> audit(const std::string& action) {
    auto db = reader();
    AuditQuery query;
    query.orderNumber = number;
    query.action = action;
    auto entries = queryAudit(*db, query);
    EXPECT_TRUE(entries) << entries.error().describe();
    return entries ? *entries : std::vector<AuditEntry>{};
  }

  void walkTo(OrderStatus target) {
    for (OrderStatus status : domain::allOrderStatuses()) {
      if (domain::positionOf(status) == 0) {
        continue;
      }
      if (domain::positionOf(status) > domain::positionOf(target)) {
        return;
      }
      ASSERT_TRUE(orders->transition(number, status, ada())) << domain::toString(status);
    }
  }

  std::unique_ptr<OrderStore> orders;
  std::string number;
};

TEST_F(OrderRecordTest, AnOrderStartsWithItsDetails) {
  auto order = orders->get(number);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->details, (Json{{"quantity", 3}, {"rush", true}}));
  EXPECT_EQ(audit("order.created").front().after["details"], order->details);
}

TEST_F(OrderRecordTest, OnlyTheRunThatMadeAMoveMayMakeItAgain) {
  walkTo(OrderStatus::Submitted);
  OrderActor first = ada();
  first.runId = "run-1";
  TransitionRecord priced;
  priced.record = Json{{"price_cents", 48250}};
  ASSERT_TRUE(orders->transition(number, OrderStatus::PriceCalculated, first, priced));
  auto again = orders->transition(number, OrderStatus::PriceCalculated, first, priced);
  ASSERT_TRUE(again) << "a re-run after a crash changes nothing: " << again.error().describe();

  OrderActor second = ada();
  second.runId = "run-2";
  TransitionRecord other;
  other.record = Json{{"price_cents", 99900}};
  auto late = orders->transition(number, OrderStatus::PriceCalculated, second, other);
  ASSERT_FALSE(late) << "run-2's price would be lost";
  EXPECT_EQ(late.error().code, ErrorCode::Conflict);
  EXPECT_THAT(late.error().message, HasSubstr("another run moved it"));
  EXPECT_EQ(orders->get(number)->priceCents, 48250);
  EXPECT_EQ(audit("order.transition_refused").back().after["run_id"], "run-2");
}

TEST_F(OrderRecordTest, AMoveRecordsOnlyASignatureTheSignatureStoreGave) {
  walkTo(OrderStatus::Submitted);
  TransitionRecord forged;
  forged.signature = OrderSignature{"sig-made-up", "grace", "supervisor", "price confirmed", 1795428000000};
  auto refused = orders->transition(number, OrderStatus::PriceCalculated, ada(), forged);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("was not given through the signature store"));

  TransitionRecord claimed;
  claimed.signature = graceSigns(*store, "price confirmed");
  claimed.signature->meaning = "approved for manufacturing";
  auto mismatch = orders->transition(number, OrderStatus::PriceCalculated, ada(), claimed);
  ASSERT_FALSE(mismatch);
  EXPECT_THAT(mismatch.error().message, HasSubstr("\"price confirmed\", not grace's"));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Submitted) << "nothing moved";
}

TEST_F(OrderRecordTest, AMoveRecordsDetailsColumnsSignatureAndReasonTogether) {
  walkTo(OrderStatus::Submitted);
  TransitionRecord record;
  record.record = Json{{"price_cents", 48250},
                       {"price", {{"cents", 48250}, {"currency", "EUR"}}},
                       {"assigned_operator", "ada"},
                       {"rush", false}};
  record.signature = graceSigns(*store, "price confirmed");
  record.reason = "priced by the shop";
  auto moved = orders->transition(number, OrderStatus::PriceCalculated, grace(), record);
  ASSERT_TRUE(moved) << moved.error().describe();
  EXPECT_EQ(moved->priceCents, 48250);
  EXPECT_EQ(moved->assignedOperator, "ada");
  EXPECT_EQ(moved->details,
            (Json{{"quantity", 3}, {"rush", false}, {"price", {{"cents", 48250}, {"currency", "EUR"}}}}));
  EXPECT_FALSE(moved->details.contains("price_cents")) << "a column key sets the column, not the details";

  std::vector<AuditEntry> entries = audit("order.status_changed");
  const AuditEntry& entry = entries.back();
  EXPECT_EQ(entry.after["status"], "PRICE_CALCULATED");
  EXPECT_EQ(entry.after["record"], record.record);
  EXPECT_EQ(entry.after["signature"], (Json{{"id", "sig-1"},
                                            {"signer", "grace"},
                                            {"role", "supervisor"},
                                            {"meaning", "price confirmed"},
                                            {"at", "2026-11-23T10:00:00.000Z"}}));
  EXPECT_EQ(entry.reason, "priced by the shop");
  EXPECT_EQ(entry.user, "grace");
}

TEST_F(OrderRecordTest, ABadRecordChangesNothing) {
  TransitionRecord record;
  record.record = Json{{"price_cents", "a lot"}};
  auto refused = orders->transition(number, OrderStatus::FileUploaded, ada(), record);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(refused.error().message, HasSubstr("price_cents"));
  record.record = Json{{"material", 7}};
  EXPECT_EQ(orders->transition(number, OrderStatus::FileUploaded, ada(), record).error().code,
            ErrorCode::InvalidArgument);
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Initiated);
  EXPECT_TRUE(audit("order.status_changed").empty());
}

TEST_F(OrderRecordTest, ARefusedMoveRecordsNothing) {
  TransitionRecord record;
  record.record = Json{{"file_name", "part.stl"}};
  ASSERT_FALSE(orders->transition(number, OrderStatus::Shipped, ada(), record));
  auto order = orders->get(number);
  EXPECT_EQ(order->fileName, "");
  EXPECT_EQ(order->version, 1);
}

TEST_F(OrderRecordTest, CheckingAMoveRefusesAndAuditsWhatTheMoveWouldRefuse) {
  auto allowed = orders->checkTransition(number, OrderStatus::FileUploaded, ada());
  ASSERT_TRUE(allowed) << allowed.error().describe();
  EXPECT_EQ(allowed->number, number);
  EXPECT_TRUE(audit("order.transition_refused").empty());

  auto skipping = orders->checkTransition(number, OrderStatus::Submitted, ada());
  ASSERT_FALSE(skipping);
  EXPECT_EQ(skipping.error().code, ErrorCode::Conflict);
  EXPECT_THAT(skipping.error().message, HasSubstr("cannot move from INITIATED to SUBMITTED"));

  auto already = orders->checkTransition(number, OrderStatus::Initiated, ada());
  EXPECT_THAT(already.error().message, HasSubstr("is already INITIATED"));

  ASSERT_TRUE(orders->hold(number, HoldReason::Payment, grace()));
  auto held = orders->checkTransition(number, OrderStatus::FileUploaded, ada());
  EXPECT_THAT(held.error().message, HasSubstr("on hold (PAYMENT)"));
  EXPECT_EQ(audit("order.transition_refused").size(), 3u);
  EXPECT_EQ(orders->checkTransition("ORD-404", OrderStatus::FileUploaded, ada()).error().code, ErrorCode::NotFound);
}

TEST_F(OrderRecordTest, AManagerChangesNothingAndEveryAttemptIsAudited) {
  auto created = orders->create({"", "Globex", 1, std::nullopt, "PLA", "", ""}, mona());
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(created.error().message, HasSubstr("\"manager\", which may read orders but not change them"));

  EXPECT_EQ(orders->transition(number, OrderStatus::FileUploaded, mona()).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(orders->checkTransition(number, OrderStatus::FileUploaded, mona()).error().code,
            ErrorCode::PermissionDenied);
  EXPECT_EQ(orders->hold(number, HoldReason::Payment, mona()).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(orders->release(number, mona()).error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(orders->recordReview(number, mona()).error().code, ErrorCode::PermissionDenied);

  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::Initiated);
  EXPECT_EQ(order->version, 1);
  std::vector<AuditEntry> refusals = audit("order.change_refused");
  ASSERT_EQ(refusals.size(), 5u);
  EXPECT_EQ(refusals[0].user, "mona");
  EXPECT_EQ(refusals[0].role, "manager");
  EXPECT_EQ(refusals[0].after["change"], "move to FILE_UPLOADED");
  EXPECT_EQ(refusals[2].after["change"], "hold");

  auto db = reader();
  AuditQuery query;
  query.action = "order.change_refused";
  query.user = "mona";
  EXPECT_EQ(queryAudit(*db, query)->size(), 6u) << "the refused creation too";
}

TEST_F(OrderRecordTest, AReviewIsRecordedOnceTheOrderIsShipped) {
  auto early = orders->recordReview(number, grace());
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::Conflict);
  EXPECT_THAT(early.error().message, HasSubstr("once it is SHIPPED"));

  walkTo(OrderStatus::Shipped);
  EXPECT_FALSE(*orders->findReview(number));
  std::int64_t lastSeq = audit("").back().seq;
  auto tooFar = orders->recordReview(number, grace(), std::nullopt, lastSeq + 5);
  EXPECT_EQ(tooFar.error().code, ErrorCode::InvalidArgument);

  auto review = orders->recordReview(number, grace(), graceSigns(*store, "reviewed the audit trail"));
  ASSERT_TRUE(review) << review.error().describe();
  EXPECT_EQ(review->reviewer, "grace");
  EXPECT_EQ(review->throughSeq, lastSeq);
  EXPECT_GT(review->auditSeq, lastSeq);

  auto order = orders->get(number);
  EXPECT_EQ(order->details["reviewed_by"], "grace");
  EXPECT_EQ(order->details["reviewed_through_seq"], lastSeq);
  std::vector<AuditEntry> entries = audit("order.audit_reviewed");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].after["reviewer"], "grace");
  EXPECT_EQ(entries[0].after["through_seq"], lastSeq);
  EXPECT_EQ(entries[0].after["signature"]["meaning"], "reviewed the audit trail");

  auto found = orders->findReview(number);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->reviewer, "grace");
  EXPECT_EQ((*found)->auditSeq, review->auditSeq);
  ASSERT_TRUE((*found)->signature);
  EXPECT_EQ((*found)->signature->signer, "grace");
  EXPECT_EQ((*found)->signature->atMs, 1795428000000);
}

TEST_F(OrderRecordTest, AReviewMayCoverPartOfTheTrailAndOutlivesClosing) {
  walkTo(OrderStatus::Shipped);
  std::int64_t firstSeq = audit("").front().seq;
  ASSERT_TRUE(orders->recordReview(number, grace(), std::nullopt, firstSeq));
  auto found = orders->findReview(number);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->throughSeq, firstSeq);
  ASSERT_TRUE(orders->transition(number, OrderStatus::Closed, grace()));
  EXPECT_TRUE(*orders->findReview(number)) << "closing does not undo the review";
  EXPECT_EQ(orders->findReview("ORD-404").error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace opflow::store::test
