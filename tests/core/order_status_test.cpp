// The order status model: names, owners, the transition table, holds, and the database's
// copy of the table agreeing with the domain's.
#include "StoreTestSupport.h"

#include "opflow/domain/HoldReason.h"
#include "opflow/domain/OrderStatus.h"

#include <gmock/gmock.h>

#include <set>

namespace opflow::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(OrderStatusTest, NamesRoundTripInLifecycleOrder) {
  std::vector<std::string> names;
  for (OrderStatus status : allOrderStatuses()) {
    names.push_back(toString(status));
    auto parsed = parseOrderStatus(toString(status));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, status);
  }
  EXPECT_THAT(names, ElementsAre("INITIATED", "FILE_UPLOADED", "SUBMITTED", "PRICE_CALCULATED",
                                 "MANUFACTURING_APPROVED", "MANUFACTURING_STARTED", "MANUFACTURING_COMPLETED",
                                 "PACKAGING", "SHIPPED", "CLOSED", "CANCELLED"));
}

TEST(OrderStatusTest, ParseErrorNamesTheValueAndListsTheValidOnes) {
  auto parsed = parseOrderStatus("shipped");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(parsed.error().message, HasSubstr("\"shipped\""));
  EXPECT_THAT(parsed.error().message, HasSubstr("INITIATED, FILE_UPLOADED"));
  EXPECT_THAT(parsed.error().message, HasSubstr("CANCELLED"));
}

TEST(OrderStatusTest, EachStatusHasItsOwningSystem) {
  EXPECT_EQ(ownerOf(OrderStatus::Initiated), OrderSystem::Shop);
  EXPECT_EQ(ownerOf(OrderStatus::Submitted), OrderSystem::Shop);
  EXPECT_EQ(ownerOf(OrderStatus::PriceCalculated), OrderSystem::Mes);
  EXPECT_EQ(ownerOf(OrderStatus::ManufacturingApproved), OrderSystem::Crm);
  EXPECT_EQ(ownerOf(OrderStatus::ManufacturingStarted), OrderSystem::Mes);
  EXPECT_EQ(ownerOf(OrderStatus::Shipped), OrderSystem::Mes);
  EXPECT_EQ(ownerOf(OrderStatus::Closed), OrderSystem::Crm);
  EXPECT_EQ(ownerOf(OrderStatus::Cancelled), OrderSystem::Crm);
  EXPECT_STREQ(toString(OrderSystem::Mes), "mes");
}

TEST(OrderStatusTest, MovesAreOneStepForwardOrACancelUntilApproval) {
  EXPECT_TRUE(isAllowedTransition(OrderStatus::Initiated, OrderStatus::FileUploaded));
  EXPECT_TRUE(isAllowedTransition(OrderStatus::Shipped, OrderStatus::Closed));
  EXPECT_FALSE(isAllowedTransition(OrderStatus::Initiated, OrderStatus::Submitted)) << "two steps";
  EXPECT_FALSE(isAllowedTransition(OrderStatus::Submitted, OrderStatus::FileUploaded)) << "backwards";
  EXPECT_FALSE(isAllowedTransition(OrderStatus::Closed, OrderStatus::Cancelled));
  EXPECT_FALSE(isAllowedTransition(OrderStatus::Cancelled, OrderStatus::Closed));
  EXPECT_FALSE(isAllowedTransition(OrderStatus::Packaging, OrderStatus::Packaging));
  EXPECT_TRUE(isAllowedTransition(OrderStatus::ManufacturingApproved, OrderStatus::Cancelled));
  EXPECT_FALSE(isAllowedTransition(OrderStatus::ManufacturingStarted, OrderStatus::Cancelled));
  EXPECT_THAT(nextStatuses(OrderStatus::PriceCalculated),
              ElementsAre(OrderStatus::ManufacturingApproved, OrderStatus::Cancelled));
  EXPECT_TRUE(nextStatuses(OrderStatus::Closed).empty());
  EXPECT_EQ(allowedTransitions().size(), 9u + 5u);
}

TEST(OrderStatusTest, HoldReasonsAreAFixedList) {
  EXPECT_EQ(allHoldReasons().size(), 5u);
  auto parsed = parseHoldReason("MACHINE_DOWN");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, HoldReason::MachineDown);
  auto bad = parseHoldReason("LUNCH");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("\"LUNCH\""));
  EXPECT_THAT(bad.error().message, HasSubstr("MATERIAL_SHORTAGE"));
}

class OrderSchemaTest : public store::test::StoreFixture {};

TEST_F(OrderSchemaTest, TheDatabaseTablesMatchTheDomainModel) {
  auto db = reader();
  ASSERT_TRUE(db);
  std::set<std::pair<std::string, std::string>> stored;
  auto transitions = db->prepare("SELECT from_status, to_status FROM order_transitions");
  ASSERT_TRUE(transitions);
  while (*(*transitions)->step()) {
    stored.emplace((*transitions)->text(0), (*transitions)->text(1));
  }
  std::set<std::pair<std::string, std::string>> expected;
  for (const auto& [from, to] : allowedTransitions()) {
    expected.emplace(toString(from), toString(to));
  }
  EXPECT_EQ(stored, expected);

  auto statuses = db->prepare("SELECT name, position, owner FROM order_statuses ORDER BY position");
  ASSERT_TRUE(statuses);
  for (OrderStatus status : allOrderStatuses()) {
    ASSERT_TRUE(*(*statuses)->step());
    EXPECT_EQ((*statuses)->text(0), toString(status));
    EXPECT_EQ((*statuses)->int64(1), positionOf(status));
    EXPECT_EQ((*statuses)->text(2), toString(ownerOf(status)));
  }
}

} // namespace
} // namespace opflow::domain
