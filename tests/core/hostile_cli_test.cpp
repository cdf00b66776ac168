// What a hostile or careless user at a workstation could do with opflow-cli, reproduced
// with the real binary on a real database: hangs (a batch that sleeps until every timer
// of the database is due; a command that waits silently behind a console; a symlink that
// is a second engine lock) and authority (seeding by anyone, reads without a sign-in,
// cancelling someone else's run). Each test is the attack as it was found; it passes now
// because the door is closed.
#include "CliTestSupport.h"

#include "opflow/host/EngineLock.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <unistd.h>

namespace opflow::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// A guard, not a timing: a command that hangs is killed and reads as exit 124.
const CliCall kWithinTwoMinutes{{"timeout", "120"}, ""};

class HostileCliTest : public CliFixture {
protected:
  void SetUp() override {
    CliFixture::SetUp();
    initWithUsers(m_dir, db(), {{"olga", "operator"}, {"omar", "operator"}, {"sam", "supervisor"},
                                {"maya", "manager"}});
  }

  std::string db() const { return (m_dir / "shop.db").string(); }

  CliResult as(const std::string& user, std::vector<std::string> args, const CliCall& call = {}) {
    signIn(m_dir, db(), user);
    return on(std::move(args), call);
  }

  CliResult on(std::vector<std::string> args, const CliCall& call = {}) {
    args.insert(args.begin(), {"--db", db()});
    return cli(args, {}, call);
  }

  // Starts an electronic signature as `user`: it waits up to a day, as an approval over
  // 500.00 waits for a supervisor. Its run id.
  std::string waitingForASignature(const std::string& user) {
    CliResult started = as(user, {"run", "auth.sign", "--input", "meaning=approved for manufacturing", "--json"});
    EXPECT_EQ(started.exitCode, 0) << started.err;
    Json run = Json::parse(started.out, nullptr, false);
    EXPECT_EQ(run.value("state", ""), "waiting") << started.out;
    return run.value("run_id", "");
  }

  int orderCount() {
    auto reader = store::Database::open({db(), true, false, store::Durability::Normal, 5000});
    auto count = store::selectOne(**reader, "SELECT count(*) FROM orders", [](const store::Statement& row) {
      return row.int64(0);
    });
    return count && *count ? static_cast<int>(**count) : -1;
  }
};

TEST_F(HostileCliTest, BatchReturnsWhileAnotherRunWaitsADayForASignature) {
  ASSERT_EQ(as(kTestAdmin, {"seed", "--orders", "40", "--seed", "3"}).exitCode, 0);
  const std::string approval = waitingForASignature("olga");
  CliResult batch =
      as("olga", {"batch", "order.submit", "--status", "FILE_UPLOADED", "--limit", "1", "--json"}, kWithinTwoMinutes);
  ASSERT_NE(batch.exitCode, 124) << "batch slept until the approval's 24 h timeout";
  ASSERT_EQ(batch.exitCode, 0) << batch.err;
  EXPECT_EQ(Json::parse(batch.out)["started"], 1);
  CliResult approvalNow = on({"runs", "show", approval, "--json"});
  EXPECT_EQ(Json::parse(approvalNow.out)["state"], "waiting") << "the other run was left as it was";
}

TEST_F(HostileCliTest, ACommandFindingTheConsoleSaysWhoHoldsTheLockAndLeaves) {
  signIn(m_dir, db(), "olga");
  auto console = host::EngineLock::acquire(db(), {"opflow console", true, 0ms, {}});
  ASSERT_TRUE(console) << console.error().describe();
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"run", "auth.sign", "--input", "meaning=x"}, {"resume"}}) {
    CliResult refused = on(command, kWithinTwoMinutes);
    EXPECT_EQ(refused.exitCode, 2) << command[0] << " used to block on the lock, printing nothing";
    EXPECT_THAT(refused.err, HasSubstr(fmt::format("are run by opflow console (pid {}, user ", ::getpid())));
    EXPECT_THAT(refused.err, HasSubstr("since 20"));
    EXPECT_THAT(refused.err, HasSubstr("close it first, or work in the console"));
  }
}

TEST_F(HostileCliTest, ACommandWaitsForAnotherCommandWithABound) {
  signIn(m_dir, db(), "olga");
  auto batch = host::EngineLock::acquire(db(), {"opflow-cli batch", false, 0ms, {}});
  ASSERT_TRUE(batch);
  CliResult refused = on({"--lock-wait", "0.3", "run", "auth.sign", "--input", "meaning=x"}, kWithinTwoMinutes);
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_THAT(refused.err, HasSubstr("waiting up to 0.3 s for opflow-cli batch (pid"));
  EXPECT_THAT(refused.err, HasSubstr("it still held the lock after 0.3 s"));
}

TEST_F(HostileCliTest, ASymlinkToTheDatabaseDoesNotMakeASecondEngine) {
  signIn(m_dir, db(), "olga");
  const std::string link = (m_dir / "link.db").string();
  std::filesystem::create_symlink(db(), link);
  auto console = host::EngineLock::acquire(db(), {"opflow console", true, 0ms, {}});
  ASSERT_TRUE(console);
  CliResult throughLink = cli({"--db", link, "run", "auth.sign", "--input", "meaning=x"}, {}, kWithinTwoMinutes);
  EXPECT_EQ(throughLink.exitCode, 2) << "the lock used to be keyed by the path as typed";
  EXPECT_THAT(throughLink.err, HasSubstr("run by opflow console"));
}

TEST_F(HostileCliTest, SeedingIsAnAdminsAuditedAndNeedsAnExistingDatabase) {
  CliResult nobody = on({"seed", "--orders", "5"});
  EXPECT_EQ(nobody.exitCode, 2);
  EXPECT_THAT(nobody.err, HasSubstr("seed: nobody is signed in at"));
  CliResult manager = as("maya", {"seed", "--orders", "5"});
  EXPECT_EQ(manager.exitCode, 2);
  EXPECT_THAT(manager.err, HasSubstr("maya may not administer users and settings"));
  CliResult supervisor = as("sam", {"seed", "--orders", "5"});
  EXPECT_EQ(supervisor.exitCode, 2);
  EXPECT_EQ(orderCount(), 0) << "no backdated orders from anyone but an admin";
  Json refusals = auditEntries(db(), "user.refused");
  ASSERT_EQ(refusals.size(), 3u);
  for (const Json& refusal : refusals) {
    EXPECT_EQ(refusal["after"]["command"], "seed");
  }

  CliResult admin = as(kTestAdmin, {"seed", "--orders", "5"});
  ASSERT_EQ(admin.exitCode, 0) << admin.err;
  EXPECT_EQ(orderCount(), 5);
  Json seeded = auditEntries(db(), "orders.seeded");
  ASSERT_EQ(seeded.size(), 1u);
  EXPECT_EQ(seeded[0]["user"], kTestAdmin);
  EXPECT_EQ(seeded[0]["role"], "admin");
  EXPECT_EQ(seeded[0]["subject_id"], "ORD-000001..ORD-000005");

  const std::filesystem::path typo = m_dir / "tpyo" / "shop.db";
  CliResult missing = cli({"--db", typo.string(), "seed", "--orders", "5"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_THAT(missing.err, HasSubstr("no database at"));
  EXPECT_FALSE(std::filesystem::exists(typo.parent_path())) << "a mistyped path made no file and no folder";
}

TEST_F(HostileCliTest, ReadsNeedASignInAndTheConsolesRoles) {
  const std::string run = waitingForASignature("olga");
  ASSERT_EQ(on({"logout"}).exitCode, 0);
  for (const std::vector<std::string>& read :
       {std::vector<std::string>{"audit", "list"}, {"audit", "export", "--format", "csv"}, {"audit", "verify"},
        {"runs", "show", run}, {"runs", "list"}, {"orders", "list"}, {"orders", "count"}, {"users", "list"}}) {
    CliResult refused = on(read);
    EXPECT_EQ(refused.exitCode, 2) << read[0] << " " << read[1];
    EXPECT_THAT(refused.err, HasSubstr("nobody is signed in at")) << read[0] << " " << read[1];
    EXPECT_EQ(refused.out, "") << "nothing read";
  }
  EXPECT_EQ(auditEntries(db(), "user.refused").size(), 8u) << "each refusal is audited";

  EXPECT_EQ(as("olga", {"runs", "show", run, "--json"}).exitCode, 0);
  CliResult operatorsAudit = on({"audit", "list"});
  EXPECT_EQ(operatorsAudit.exitCode, 2);
  EXPECT_THAT(operatorsAudit.err, HasSubstr("olga may not review the audit log: olga is an operator"));
  EXPECT_EQ(on({"audit", "list", "--order", "ORD-000001"}).exitCode, 0) << "an order's own trail, as the order view";
  EXPECT_EQ(on({"audit", "export", "--format", "csv"}).exitCode, 2);
  EXPECT_EQ(as("maya", {"audit", "verify"}).exitCode, 0);
  EXPECT_EQ(on({"audit", "export", "--format", "csv"}).exitCode, 2) << "exporting is a supervisor's";
  CliResult exported = as("sam", {"audit", "export", "--format", "csv"});
  EXPECT_EQ(exported.exitCode, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("user.refused"));
}

TEST_F(HostileCliTest, AnOperatorCannotCancelASupervisorsRun) {
  const std::string supervisorsRun = waitingForASignature("sam");
  CliResult byOperator = as("olga", {"cancel", supervisorsRun});
  EXPECT_EQ(byOperator.exitCode, 2);
  EXPECT_THAT(byOperator.err, HasSubstr("olga may cancel only the runs they started: this one was started by sam"));
  EXPECT_EQ(Json::parse(on({"runs", "show", supervisorsRun, "--json"}).out)["state"], "waiting");
  Json refused = auditEntries(db(), "run.cancel_refused");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0]["user"], "olga");
  EXPECT_EQ(refused[0]["subject_id"], supervisorsRun);

  const std::string operatorsRun = waitingForASignature("olga");
  EXPECT_EQ(as("omar", {"cancel", operatorsRun}).exitCode, 2) << "nor another operator's";
  EXPECT_EQ(as("olga", {"cancel", operatorsRun}).exitCode, 0) << "one's own";
  EXPECT_EQ(as("sam", {"cancel", supervisorsRun}).exitCode, 0);
  const std::string another = waitingForASignature("omar");
  EXPECT_EQ(as("sam", {"cancel", another}).exitCode, 0) << "a supervisor cancels anyone's";
}

TEST_F(HostileCliTest, AnIdleSessionNoLongerVouchesForItsUser) {
  ASSERT_EQ(on({"users", "session-timeout", "5", "--as", kTestAdmin}, {}).exitCode, 2) << "the admin's password";
  CliResult set = cli({"--db", db(), "users", "session-timeout", "5", "--as", kTestAdmin, "--json"},
                      testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(set.exitCode, 0) << set.err;
  EXPECT_EQ(Json::parse(set.out)["session_idle_minutes"], 5);
  signIn(m_dir, db(), "sam");
  {
    auto store = store::LocalStore::open({db(), false, store::Durability::Normal, {}});
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->writer().execute([](store::Database& database) {
      return database.exec("UPDATE user_sessions SET last_active_at = last_active_at - 420000");
    })) << "seven minutes pass at the workstation (the limit, plus the minute activity is written in)";
  }
  CliResult later = on({"run", "auth.sign", "--input", "meaning=x"});
  EXPECT_EQ(later.exitCode, 2);
  EXPECT_THAT(later.err, HasSubstr("the session of sam at"));
  EXPECT_THAT(later.err, HasSubstr("ended after 5 minutes without activity: sign in again"));
  EXPECT_EQ(auditEntries(db(), "user.session_expired").size(), 1u);
  EXPECT_EQ(on({"orders", "list"}).exitCode, 2) << "ended for good, reads included";
}

TEST_F(HostileCliTest, ShortPasswordsAndTheMinimumCostAreRefused) {
  CliResult tooShort = cli({"--db", db(), "users", "add", "ivy", "--role", "operator", "--as", kTestAdmin},
                           testPassword(kTestAdmin) + "\nx\n");
  EXPECT_EQ(tooShort.exitCode, 2);
  EXPECT_THAT(tooShort.err, HasSubstr("the password of \"ivy\" has 1 characters: this database asks for 8 to 1024"));
  CliResult minimum = cli({"--db", (m_dir / "fresh.db").string(), "init", "--password-cost", "minimum"});
  EXPECT_EQ(minimum.exitCode, 2);
  EXPECT_THAT(minimum.err, HasSubstr("the minimum cost is for the demo shop only"));
  EXPECT_FALSE(std::filesystem::exists(m_dir / "fresh.db")) << "refused before anything was made";
  CliResult longer = cli({"--db", db(), "users", "password-length", "12", "--as", kTestAdmin},
                         testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(longer.exitCode, 0) << longer.err;
  EXPECT_THAT(longer.out, HasSubstr("new passwords have at least 12 characters"));
  EXPECT_EQ(cli({"--db", db(), "users", "add", "ivy", "--role", "operator", "--as", kTestAdmin},
                testPassword(kTestAdmin) + "\nivy-passw0\n")
                .exitCode,
            2)
      << "10 characters are too few now";
}

} // namespace
} // namespace opflow::test
