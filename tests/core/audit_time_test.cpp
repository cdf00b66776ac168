#include "opflow/store/UtcTime.h"

#include <gtest/gtest.h>

namespace opflow::store {
namespace {

TEST(AuditTimeTest, ParsesIsoDatesTimesAndMilliseconds) {
  EXPECT_EQ(*parseUtcTime("2026-11-23T10:00:00Z"), 1795428000000);
  EXPECT_EQ(*parseUtcTime("2026-11-23"), 1795392000000);
  EXPECT_EQ(*parseUtcTime("2026-11-23T10:00Z"), 1795428000000);
  EXPECT_EQ(*parseUtcTime("2026-11-23T10:00:00.5Z"), 1795428000500);
  EXPECT_EQ(*parseUtcTime("2026-11-23T10:00:00.123456Z"), 1795428000123);
  EXPECT_EQ(*parseUtcTime("2026-11-23T10:00:00+00:00"), 1795428000000);
  EXPECT_EQ(*parseUtcTime("1795428000000"), 1795428000000);
  EXPECT_EQ(*parseUtcTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*parseUtcTime("2024-02-29"), 1709164800000);
}

TEST(AuditTimeTest, RefusesMalformedTimesWithAReason) {
  for (const char* text : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-23T10:00:00", "2026-11-23T25:00:00Z",
                           "2026-11-23T10:00:00+01:00", "2026-11-23T10:00:00.Z", "26-11-23", "2026-11-23T10Z",
                           "99999999999999999999"}) {
    auto parsed = parseUtcTime(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(parsed.error().message.find("is not a time"), std::string::npos) << parsed.error().message;
  }
  EXPECT_NE(parseUtcTime("2026-11-23T10:00:00").error().message.find("add Z"), std::string::npos);
}

TEST(AuditTimeTest, FormatsIsoWithMilliseconds) {
  EXPECT_EQ(formatUtcMs(1795428000123), "2026-11-23T10:00:00.123Z");
  EXPECT_EQ(formatUtcMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(*parseUtcTime(formatUtcMs(1709251199999)), 1709251199999);
}

} // namespace
} // namespace opflow::store
