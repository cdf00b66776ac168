// opflow-cli seed / orders list / orders count / orders show as scripts use them: the
// real binary, its JSON shapes, cursors, and exit code 2 for bad input. The database's
// admin, signed in at this workstation, seeds and reads.
#include "CliTestSupport.h"

#include "opflow/Json.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <regex>
#include <set>

namespace opflow::test {
namespace {

using ::testing::HasSubstr;

class OrderCliTest : public CliFixture {
protected:
  std::string db() const { return (m_dir / "orders.db").string(); }

  void seed(int count) {
    initWithUsers(m_dir, db(), {});
    signIn(m_dir, db(), kTestAdmin);
    CliResult seeded = cli({"--db", db(), "seed", "--orders", std::to_string(count), "--seed", "5"});
    ASSERT_EQ(seeded.exitCode, 0) << seeded.err;
    ASSERT_THAT(seeded.out, HasSubstr(fmt::format("seeded {} orders", count)));
  }
};

TEST_F(OrderCliTest, ListJsonHasTheScriptedShapeAndPagesByCursor) {
  seed(120);
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  do {
    std::vector<std::string> args = {"--db", db(), "orders", "list", "--limit", "50", "--json"};
    if (!cursor.empty()) {
      args.insert(args.end(), {"--after", cursor});
    }
    CliResult listed = cli(args);
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    Json out = Json::parse(listed.out);
    ASSERT_EQ(out.size(), 2u);
    ASSERT_TRUE(out["orders"].is_array());
    for (const Json& order : out["orders"]) {
      std::set<std::string> keys;
      for (const auto& [key, value] : order.items()) {
        keys.insert(key);
      }
      EXPECT_EQ(keys, (std::set<std::string>{"number", "status", "customer", "priority", "price", "created_at",
                                             "updated_at", "version"}));
      EXPECT_TRUE(order["price"].is_number() || order["price"].is_null());
      EXPECT_TRUE(std::regex_match(order["created_at"].get<std::string>(), iso)) << order["created_at"];
      EXPECT_TRUE(seen.insert(order["number"].get<std::string>()).second) << "listed twice: " << order["number"];
    }
    cursor = out["next_cursor"].is_null() ? "" : out["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 120u);
  EXPECT_EQ(pages, 3);

  CliResult text = cli({"--db", db(), "orders", "list", "--status", "INITIATED", "--sort", "priority"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("NUMBER"));
  EXPECT_THAT(text.out, HasSubstr("INITIATED"));

  CliResult search = cli({"--db", db(), "orders", "list", "--search", "ord-00001", "--json"});
  ASSERT_EQ(search.exitCode, 0) << search.err;
  EXPECT_EQ(Json::parse(search.out)["orders"].size(), 10u);
}

TEST_F(OrderCliTest, CountJsonSumsToTheTotal) {
  seed(200);
  CliResult counted = cli({"--db", db(), "orders", "count", "--json"});
  ASSERT_EQ(counted.exitCode, 0) << counted.err;
  Json out = Json::parse(counted.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out["total"], 200);
  EXPECT_EQ(out["by_status"].size(), 11u);
  std::int64_t sum = 0;
  for (const auto& [status, count] : out["by_status"].items()) {
    sum += count.get<std::int64_t>();
  }
  EXPECT_EQ(sum, 200);

  CliResult some = cli({"--db", db(), "orders", "count", "--status", "CLOSED", "--status", "SHIPPED", "--json"});
  ASSERT_EQ(some.exitCode, 0) << some.err;
  Json two = Json::parse(some.out);
  EXPECT_EQ(two["by_status"].size(), 2u);
  EXPECT_EQ(two["total"], two["by_status"]["CLOSED"].get<int>() + two["by_status"]["SHIPPED"].get<int>());

  CliResult show = cli({"--db", db(), "orders", "show", "ORD-000007", "--json"});
  ASSERT_EQ(show.exitCode, 0) << show.err;
  EXPECT_EQ(Json::parse(show.out)["number"], "ORD-000007");
  EXPECT_TRUE(Json::parse(show.out)["details"].is_object()) << "what the lifecycle operations recorded";
}

TEST_F(OrderCliTest, BadInputExitsTwoWithAClearMessageAndWritesNothing) {
  CliResult missing = cli({"--db", db(), "orders", "list"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_THAT(missing.err, HasSubstr("no database"));
  EXPECT_FALSE(std::filesystem::exists(db()));
  EXPECT_EQ(cli({"--db", db(), "orders", "count"}).exitCode, 2);
  EXPECT_FALSE(std::filesystem::exists(db()));

  seed(10);
  CliResult status = cli({"--db", db(), "orders", "list", "--status", "LOST"});
  EXPECT_EQ(status.exitCode, 2);
  EXPECT_THAT(status.err, HasSubstr("unknown order status \"LOST\""));
  EXPECT_EQ(cli({"--db", db(), "orders", "count", "--status", "LOST"}).exitCode, 2);

  CliResult cursor = cli({"--db", db(), "orders", "list", "--after", "not-a-cursor"});
  EXPECT_EQ(cursor.exitCode, 2);
  EXPECT_THAT(cursor.err, HasSubstr("malformed cursor"));

  for (const char* limit : {"0", "1001", "-3"}) {
    CliResult bad = cli({"--db", db(), "orders", "list", "--limit", limit});
    EXPECT_EQ(bad.exitCode, 2) << limit;
    EXPECT_THAT(bad.err, HasSubstr("limit")) << limit;
  }
  EXPECT_EQ(cli({"--db", db(), "orders", "list", "--limit", "ten"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db(), "orders", "list", "--sort", "oldest"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db(), "orders", "show", "ORD-424242"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db(), "seed", "--orders", "0"}).exitCode, 2);

  CliResult counted = cli({"--db", db(), "orders", "count", "--json"});
  EXPECT_EQ(Json::parse(counted.out)["total"], 10);
}

} // namespace
} // namespace opflow::test
