// JsonBounds and Text: what core accepts as JSON and as text from outside. Each hostile
// shape the issue found is here: a payload nested 60,000 levels deep, a number past any
// double (1e400), bytes that are not UTF-8, a document past its size, and control
// characters that repaint a terminal.
#include "opflow/JsonBounds.h"
#include "opflow/Text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace opflow {
namespace {

using ::testing::HasSubstr;

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonBoundsTest, ADocumentNestedDeeperThanTheLimitIsRefusedBeforeParsing) {
  auto hostile = parseJson(nested(60'000), kInputLimits);
  ASSERT_FALSE(hostile) << "the issue's payload: 120 KB nested 60,000 levels";
  EXPECT_EQ(hostile.error().code, ErrorCode::InvalidInputs);
  EXPECT_EQ(hostile.error().message, "120000 bytes, over the limit of 65536");
  auto deep = parseJson(nested(40), kInputLimits);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code, ErrorCode::InvalidInputs);
  EXPECT_EQ(deep.error().message, "nested deeper than 32 levels (at byte 32)");
  auto deepDefinition = parseOrderedJson(nested(50'000), kDefinitionLimits);
  ASSERT_FALSE(deepDefinition) << "a definition nested 50,000 levels: refused, not a SIGSEGV later";
  EXPECT_EQ(deepDefinition.error().message, "nested deeper than 64 levels (at byte 64)");

  EXPECT_TRUE(parseJson(nested(32), kInputLimits)) << "the limit itself is allowed";
  EXPECT_FALSE(parseJson(nested(33), kInputLimits));
  EXPECT_TRUE(parseOrderedJson(nested(64), kDefinitionLimits));
  EXPECT_FALSE(parseOrderedJson(nested(65), kDefinitionLimits));
}

TEST(JsonBoundsTest, BracketsInsideStringsDoNotCountAsNesting) {
  const std::string text = R"({"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \" {{{{"})";
  auto parsed = parseJson(text, kInputLimits);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ((*parsed)["note"].get<std::string>().substr(0, 3), "[[[");
}

TEST(JsonBoundsTest, ATextOverTheSizeLimitIsRefusedWithItsSize) {
  const std::string large = "\"" + std::string(70'000, 'a') + "\"";
  auto parsed = parseJson(large, kInputLimits);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "70002 bytes, over the limit of 65536");
}

TEST(JsonBoundsTest, BytesThatAreNotUtf8AreRefusedWhereTheyAre) {
  auto parsed = parseJson("{\"name\": \"ab\xff\"}", kInputLimits);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInputs);
  EXPECT_EQ(parsed.error().message, "byte 0xFF is not UTF-8 (at byte 12)");
}

TEST(JsonBoundsTest, ANumberNoDoubleCanHoldIsOutOfRangeNotACrash) {
  auto parsed = parseJson(R"({"version": 1e400})", kDefinitionLimits);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInputs);
  EXPECT_THAT(parsed.error().message, HasSubstr("number overflow parsing '1e400'"));
  EXPECT_THAT(parsed.error().message, ::testing::Not(HasSubstr("json.exception")));
}

TEST(JsonBoundsTest, MalformedJsonIsASyntaxErrorNamedAsSuch) {
  auto parsed = parseJson("{bad", kInputLimits);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(parsed.error().message, HasSubstr("not valid JSON: parse error"));
}

TEST(JsonBoundsTest, AValueBuiltInMemoryIsWalkedWithoutRecursion) {
  Json deep = Json::array();
  Json* inner = &deep;
  for (int i = 0; i < 100'000; ++i) {
    *inner = Json::array({Json::array()});
    inner = &(*inner)[0];
  }
  auto violation = checkJson(deep, kInputLimits);
  ASSERT_TRUE(violation);
  EXPECT_EQ(violation->what, "nested deeper than 32 levels");
  std::string deepest;
  for (int level = 0; level < 32; ++level) {
    deepest += "/0";
  }
  EXPECT_EQ(violation->pointer, deepest) << "the array that would open level 33";
}

TEST(JsonBoundsTest, ABuiltValueNamesTheFirstBadPart) {
  EXPECT_FALSE(checkJson(Json{{"order", "ORD-000001"}, {"amount", 12.5}}, kInputLimits));

  auto badKey = checkJson(Json{{"ok", 1}, {"na\xc3me", 2}}, kInputLimits);
  ASSERT_TRUE(badKey);
  EXPECT_EQ(badKey->describe(), "/: a key holds byte 0xC3, which is not UTF-8");

  auto badText = checkJson(Json{{"lines", Json::array({"fine", "\xe2\x82"})}}, kInputLimits);
  ASSERT_TRUE(badText);
  EXPECT_EQ(badText->describe(), "/lines/1: the text holds byte 0xE2, which is not UTF-8");

  auto infinite = checkJson(Json{{"x", std::numeric_limits<double>::infinity()}}, kInputLimits);
  ASSERT_TRUE(infinite);
  EXPECT_EQ(infinite->describe(), "/x: is not a finite number");

  Json wide = Json::array();
  for (int i = 0; i < 5000; ++i) {
    wide.push_back(std::string(20, 'x'));
  }
  auto large = checkJson(wide, kInputLimits);
  ASSERT_TRUE(large);
  EXPECT_THAT(large->what, HasSubstr("bytes, over the limit of 65536"));
}

TEST(TextTest, Utf8IsCheckedByTheStandardsRules) {
  EXPECT_FALSE(invalidUtf8At("plain ascii"));
  EXPECT_FALSE(invalidUtf8At("Grüße, 東京, 🙂"));
  EXPECT_EQ(invalidUtf8At("ab\xff"), 2u);
  EXPECT_EQ(invalidUtf8At("\xc0\xaf"), 0u) << "an overlong form of '/'";
  EXPECT_EQ(invalidUtf8At("x\xed\xa0\x80"), 1u) << "a surrogate";
  EXPECT_EQ(invalidUtf8At("\xf4\x90\x80\x80"), 0u) << "past U+10FFFF";
  EXPECT_EQ(invalidUtf8At("\xe2\x82"), 0u) << "cut short";
  EXPECT_EQ(codePointCount("Grüße"), 5u);
  EXPECT_EQ(decodeUtf8("a\xff"), (std::u32string{U'a', 0xFFFD}));
}

TEST(TextTest, ANameMayHoldNoControlCharacterFreeTextMayBreakLines) {
  EXPECT_FALSE(textFault("Acme Fabrication"));
  auto escape = textFault("Acme\x1b[2J");
  ASSERT_TRUE(escape);
  EXPECT_EQ(escape->offset, 4u);
  EXPECT_EQ(escape->what, "control character U+001B");
  EXPECT_TRUE(textFault("two\nlines"));
  EXPECT_FALSE(textFault("two\nlines\tand a tab", true));
  EXPECT_TRUE(textFault("a carriage\rreturn", true)) << "a CR rewrites the line it is on";
  EXPECT_TRUE(textFault("c1 \xc2\x9b control", true)) << "U+009B is a terminal's CSI";
  EXPECT_EQ(textFault("bad \xfe byte")->what, "byte 0xFE is not UTF-8");
}

TEST(TextTest, ADirectionOverrideCannotMakeANameReadAsAnother) {
  auto override = textFault("Acme \u202eSTELCYC");
  ASSERT_TRUE(override);
  EXPECT_EQ(override->what, "direction override U+202E");
  EXPECT_FALSE(textFault("\u202bright-to-left\u202c note", true)) << "free text pasted from elsewhere holds them";
  EXPECT_EQ(shownBriefly("\x1b\x1b\x1b", 2), "\\x1b\\x1b\u2026") << "no escape is cut in half";
  EXPECT_EQ(terminalSafe("a\u2066b"), "a\\u2066b");
  EXPECT_EQ(shownBriefly(std::string(300, 'x'), 5), "xxxxx\u2026");
  EXPECT_EQ(shownBriefly("\x1b[2J", 200), "\\x1b[2J");
  EXPECT_FALSE(invalidUtf8At("\xef\xbf\xbf")) << "U+FFFF is valid UTF-8, though no character";
}

TEST(TextTest, TerminalSafeTextMovesNoCursorAndStartsNoRow) {
  EXPECT_EQ(terminalSafe("Acme"), "Acme");
  EXPECT_EQ(terminalSafe("\x1b[2JACME\rORD-1\n"), "\\x1b[2JACME\\x0dORD-1\\n");
  EXPECT_EQ(terminalSafe("tab\there"), "tab\\there");
  EXPECT_EQ(terminalSafe("csi \xc2\x9b"), "csi \\u009b");
  EXPECT_EQ(terminalSafe("bad \xff"), "bad \xEF\xBF\xBD");
  EXPECT_EQ(terminalSafe("東京"), "東京");
}

} // namespace
} // namespace opflow
