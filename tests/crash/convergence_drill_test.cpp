// The convergence drill, like the crash drill but for a shop: four workstation databases
// joined to one PostgreSQL server work orders through the real operations (created,
// held and released, the same orders at several workstations while apart), while their
// syncs and their work are killed with SIGKILL at random moments and the server is
// stopped as a crash would stop it and started again. In the end, after the workstations sync once more, every
// workstation's orders equal the shared ones, every event is in the shared database
// exactly once, every chain verifies here and there, and every conflict is listed.
#include "../core/CliTestSupport.h"
#include "PgTestServer.h"

#include "opflow/store/Database.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace opflow::test {
namespace {

constexpr int kWorkstations = 4;
constexpr int kRounds = 150;
constexpr int kFirstOrders = 12;

class ConvergenceDrillTest : public CliFixture {
protected:
  std::string db(int ws) const { return (m_dir / ("ws-" + std::to_string(ws) + ".db")).string(); }

  CliResult at(int ws, std::vector<std::string> args, const std::string& stdinText = {}, const CliCall& call = {}) {
    args.insert(args.begin(), {"--db", db(ws)});
    return cli(args, stdinText, call);
  }

  // The local database's answer to `sql`, one "a|b|c" line per row.
  std::vector<std::string> local(int ws, const std::string& sql) {
    auto opened = store::Database::open({db(ws), true, false, store::Durability::Normal, 5000, {}});
    EXPECT_TRUE(opened) << opened.error().describe();
    std::vector<std::string> lines;
    auto statement = (*opened)->prepareUncached(sql);
    EXPECT_TRUE(statement);
    while (true) {
      auto row = (*statement)->step();
      if (!row || !*row) {
        break;
      }
      std::string line;
      for (int column = 0; column < (*statement)->columnCount(); ++column) {
        line += (column == 0 ? "" : "|") + (*statement)->text(column);
      }
      lines.push_back(line);
    }
    return lines;
  }

  std::vector<std::string> shared(const std::string& sql) {
    std::vector<std::string> lines;
    std::istringstream text(m_server.psql(sql, m_database));
    for (std::string line; std::getline(text, line);) {
      if (!line.empty()) {
        lines.push_back(line);
      }
    }
    return lines;
  }

  opflow::testing::PgTestServer m_server;
  std::string m_shop;
  std::string m_database;
};

TEST_F(ConvergenceDrillTest, FourWorkstationsConvergeThroughKilledSyncsAndServerRestarts) {
  m_shop = m_server.database();
  m_database = m_shop.substr(m_shop.rfind('=') + 1);
  const std::string adminPassword = testPassword(kTestAdmin) + "\n";

  // ws-1 founds the shop; the others are made from it.
  initWithUsers(m_dir, db(1), {{"sam", "supervisor"}});
  ASSERT_EQ(at(1, {"shared", "init", m_shop, "--as", kTestAdmin, "--workstation", "ws-1"}, adminPassword).exitCode, 0);
  signIn(m_dir, db(1), "sam");
  for (int i = 0; i < kFirstOrders; ++i) {
    ASSERT_EQ(at(1, {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  }
  ASSERT_EQ(at(1, {"sync"}).exitCode, 0);
  for (int ws = 2; ws <= kWorkstations; ++ws) {
    CliResult made = at(ws, {"init", "--shared", m_shop, "--as", kTestAdmin, "--workstation",
                             "ws-" + std::to_string(ws)},
                        adminPassword);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    signIn(m_dir, db(ws), "sam");
  }

  const unsigned seed = std::random_device{}();
  std::cout << "drill: seed " << seed << "\n";
  std::mt19937 random(seed);
  const auto pick = [&random](int from, int to) { return std::uniform_int_distribution<int>(from, to)(random); };
  const auto anOrder = [&] {
    char number[16];
    std::snprintf(number, sizeof number, "ORD-%06d", pick(1, kFirstOrders));
    return std::string(number);
  };
  int killed = 0;
  int restarts = 0;
  for (int round = 0; round < kRounds; ++round) {
    const int ws = pick(1, kWorkstations);
    // Now and then the workstation itself is killed in the middle of its work.
    const CliCall work = pick(0, 4) == 0 ? CliCall{{"timeout", "-s", "KILL", "0.0" + std::to_string(pick(10, 99))}, ""}
                                         : CliCall{};
    switch (pick(0, 2)) {
    case 0:
      at(ws, {"run", "order.create", "--input", "customer=Drill", "--input", "material=PLA"}, {}, work);
      break;
    case 1:
      at(ws, {"run", "order.hold", "--input", "order=" + anOrder(), "--input", "reason=PAYMENT"}, {}, work);
      break;
    default:
      at(ws, {"run", "order.release", "--input", "order=" + anOrder()}, {}, work);
    }
    if (pick(0, 1) == 0) {
      // A sync killed at a random moment (or not, when it finishes first).
      const std::string after = "0.0" + std::to_string(pick(10, 99)); // 10 to 99 ms
      CliResult cut = at(pick(1, kWorkstations), {"sync"}, {}, {{"timeout", "-s", "KILL", after}, ""});
      ASSERT_NE(cut.exitCode, 125) << "timeout did not run it: " << cut.err;
      killed += cut.exitCode == 137 ? 1 : 0;
    }
    if (pick(0, 11) == 0) {
      m_server.stop(true);
      EXPECT_EQ(at(pick(1, kWorkstations), {"sync"}).exitCode, 4) << "offline while the server is down";
      m_server.start();
      ++restarts;
    }
  }
  std::cout << "drill: " << kRounds << " rounds, " << killed << " syncs killed, " << restarts
            << " server restarts\n";
  EXPECT_GT(killed, 0) << "the drill killed no sync: its kills come too late";

  // Everyone syncs until nothing moves: what one pulled goes up, and the others take it.
  for (int pass = 0; pass < 3; ++pass) {
    for (int ws = 1; ws <= kWorkstations; ++ws) {
      CliResult synced = at(ws, {"sync"});
      ASSERT_EQ(synced.exitCode, 0) << "ws-" << ws << ": " << synced.err;
    }
  }

  std::vector<std::string> shop = shared(
      "SELECT number, record::json->>'status', version FROM opflow.orders ORDER BY number");
  ASSERT_GE(shop.size(), static_cast<std::size_t>(kFirstOrders));
  for (int ws = 1; ws <= kWorkstations; ++ws) {
    EXPECT_EQ(local(ws, "SELECT number, status, version FROM orders ORDER BY number"), shop)
        << "ws-" << ws << "'s orders are the shop's";
    EXPECT_EQ(local(ws, "SELECT count(*) FROM outbox WHERE pushed_at IS NULL"), std::vector<std::string>{"0"});
    const std::string name = "ws-" + std::to_string(ws);
    EXPECT_EQ(local(ws, "SELECT count(*) FROM outbox"),
              shared("SELECT count(*) FROM opflow.events WHERE workstation = '" + name + "'"))
        << name << ": every event up, once";
    const std::vector<std::string> conflicts =
        shared("SELECT count(*) FROM opflow.events WHERE workstation = '" + name +
               "' AND kind = 'order.changed' AND outcome <> 'applied'");
    CliResult listed = at(ws, {"conflicts", "list", "--all", "--json"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_EQ(std::to_string(Json::parse(listed.out, nullptr, false)["conflicts"].size()), conflicts.at(0))
        << name << ": every conflict listed";
    CliResult verified = at(ws, {"audit", "verify"});
    EXPECT_EQ(verified.exitCode, 0) << name << ": " << verified.out << verified.err;
  }
  EXPECT_EQ(shared("SELECT count(*) - count(DISTINCT id) FROM opflow.events"), std::vector<std::string>{"0"});
  std::cout << "drill: " << shop.size() << " orders, "
            << shared("SELECT count(*) FROM opflow.events WHERE outcome = 'conflict'").at(0) << " conflicts listed\n";
  CliResult shopChains = at(1, {"audit", "verify", "--shared"});
  EXPECT_EQ(shopChains.exitCode, 0) << shopChains.out << shopChains.err;
}

} // namespace
} // namespace opflow::test
