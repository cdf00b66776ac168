// `opflow-cli init --demo`: a new database with the demo users and orders, refused over
// an existing one.
#include "CliTestSupport.h"

#include <gtest/gtest.h>

#include "opflow/Json.h"

namespace opflow::test {
namespace {

class DemoCliTest : public CliFixture {};

TEST_F(DemoCliTest, InitDemoCreatesTheShopAndNamesItsUsers) {
  const std::string db = (m_dir / "demo.db").string();
  CliResult created = cli({"--db", db, "init", "--demo", "--orders", "40", "--seed", "3"});
  ASSERT_EQ(created.exitCode, 0) << created.err;
  EXPECT_NE(created.out.find("40 orders"), std::string::npos) << created.out;
  EXPECT_NE(created.out.find("sam    supervisor  sam-demo"), std::string::npos) << created.out;
  // Not a terminal: the progress comes a line at a time, up to its end.
  EXPECT_NE(created.err.find("replaying the demo shop's history: 0 % ("), std::string::npos) << created.err;
  EXPECT_NE(created.err.find("replaying the demo shop's history: 100 % ("), std::string::npos) << created.err;
  EXPECT_EQ(created.err.find('\r'), std::string::npos) << created.err;

  CliResult signedIn = cli({"--db", db, "login", "sam"}, "sam-demo\n");
  ASSERT_EQ(signedIn.exitCode, 0) << signedIn.err;
  CliResult count = cli({"--db", db, "orders", "count", "--json"});
  ASSERT_EQ(count.exitCode, 0) << count.err;
  EXPECT_EQ(Json::parse(count.out)["total"], 40);

  CliResult users = cli({"--db", db, "users", "list", "--json"});
  ASSERT_EQ(users.exitCode, 0) << users.err;
  EXPECT_NE(users.out.find("\"maya\""), std::string::npos);

  CliResult verified = cli({"--db", db, "audit", "verify"});
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;

  CliResult again = cli({"--db", db, "init", "--demo", "--orders", "5"});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_NE(again.err.find("new database"), std::string::npos) << again.err;
}

} // namespace
} // namespace opflow::test
