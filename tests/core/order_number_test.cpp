// Order numbers: the format, and what a barcode scan or a typed entry names.
#include "opflow/domain/OrderNumber.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace opflow::domain {
namespace {

using ::testing::HasSubstr;

TEST(OrderNumberTest, NumbersHaveSixDigitsAtLeast) {
  EXPECT_EQ(formatOrderNumber(1), "ORD-000001");
  EXPECT_EQ(formatOrderNumber(123), "ORD-000123");
  EXPECT_EQ(formatOrderNumber(1'000'000), "ORD-1000000");
}

TEST(OrderNumberTest, ScannedDigitsWithOrWithoutPrefixNameTheOrder) {
  for (const char* scan : {"000123", "123", "ORD-000123", "ord-123", " 000123\r\n", "0000000123"}) {
    auto number = parseScannedOrderNumber(scan);
    ASSERT_TRUE(number) << scan << ": " << number.error().message;
    EXPECT_EQ(*number, "ORD-000123") << scan;
  }
  auto large = parseScannedOrderNumber("1000000");
  ASSERT_TRUE(large);
  EXPECT_EQ(*large, "ORD-1000000");
}

TEST(OrderNumberTest, AMalformedScanIsRefusedNamingIt) {
  for (const char* scan : {"", "   ", "ORD-", "12a3", "ORD-12-3", "-123", "+123", "0", "000000", "ORX-000123",
                           "99999999999999999999999"}) {
    auto number = parseScannedOrderNumber(scan);
    ASSERT_FALSE(number) << scan;
    EXPECT_EQ(number.error().code, ErrorCode::InvalidArgument) << scan;
    EXPECT_THAT(number.error().message, HasSubstr(std::string("\"") + scan + "\" is not an order number")) << scan;
  }
}

} // namespace
} // namespace opflow::domain
