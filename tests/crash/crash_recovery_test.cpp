// Crash recovery, proven with real processes: opflow-cli works through a batch of order
// runs (actions that move orders, timers, sub-operations, a handler not safe to repeat)
// and is killed with SIGKILL at random moments, round after round, then restarted. In the
// end every run must have ended in exactly one terminal state, no order may have been
// worked twice, the journal must be gapless, the audit chain must verify, and the status
// counts kept by triggers must equal a recount of the orders.
#include "../core/CliTestSupport.h"

#include "opflow/Json.h"
#include "opflow/store/Database.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using opflow::Json;
using opflow::store::Database;

constexpr int kKills = 20;     // rounds that end in SIGKILL mid-work
constexpr int kMaxRounds = 60; // a round that finishes before its kill starts another
constexpr int kOrders = 15000;

struct Outcome {
  int exitCode = -1; // -1 when killed
  std::string out;
  std::string err;
};

class CrashRecoveryTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::random_device random;
    m_dir = fs::temp_directory_path() / ("opflow-crash-" + std::to_string(random()) + std::to_string(random()));
    fs::create_directories(m_dir);
    m_db = (m_dir / "opflow.db").string();
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_dir);
    } else {
      std::cerr << "kept the database for inspection: " << m_db << "\n";
    }
  }

  // Starts opflow-cli --db DB ARGS...; when killAfter is set, SIGKILLs it then.
  Outcome cli(const std::vector<std::string>& args, std::optional<std::chrono::milliseconds> killAfter = {}) {
    std::vector<std::string> argv = {OPFLOW_CLI_PATH, "--db", m_db};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> pointers;
    for (std::string& arg : argv) {
      pointers.push_back(arg.data());
    }
    pointers.push_back(nullptr);
    std::string outPath = (m_dir / "stdout").string();
    std::string errPath = (m_dir / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, pointers[0], &actions, nullptr, pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0) << "cannot start " << OPFLOW_CLI_PATH;
    if (spawned != 0) {
      return {};
    }
    if (killAfter) {
      std::this_thread::sleep_for(*killAfter);
      kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(outPath), read(errPath)};
  }

  Json cliJson(const std::vector<std::string>& args) {
    Outcome outcome = cli(args);
    EXPECT_EQ(outcome.exitCode, 0) << outcome.err;
    Json json = Json::parse(outcome.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << outcome.out;
    return json;
  }

  static std::string read(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  std::unique_ptr<Database> open() {
    auto db = Database::open({m_db, true, false, opflow::store::Durability::Normal, 5000});
    EXPECT_TRUE(db) << db.error().describe();
    return std::move(db).value();
  }

  // Rows of a query as strings, one vector per row.
  std::vector<std::vector<std::string>> rows(Database& db, const std::string& sql) {
    std::vector<std::vector<std::string>> result;
    auto statement = db.prepareUncached(sql);
    EXPECT_TRUE(statement) << statement.error().describe();
    while (true) {
      auto row = (*statement)->step();
      EXPECT_TRUE(row) << row.error().describe();
      if (!row || !*row) {
        break;
      }
      std::vector<std::string> values;
      for (int column = 0; column < (*statement)->columnCount(); ++column) {
        values.push_back((*statement)->text(column));
      }
      result.push_back(std::move(values));
    }
    return result;
  }

  fs::path m_dir;
  std::string m_db;
};

TEST_F(CrashRecoveryTest, EveryRunEndsExactlyOnceThroughRepeatedKills) {
  opflow::test::initWithUsers(m_dir, m_db, {{"olga", "operator"}, {"sam", "supervisor"}});
  ASSERT_FALSE(HasFatalFailure());
  opflow::test::signIn(m_dir, m_db, opflow::test::kTestAdmin);
  Outcome loaded = cli({"ops", "load", OPFLOW_SOAK_OPERATIONS_DIR});
  ASSERT_EQ(loaded.exitCode, 0) << loaded.err;
  Outcome seeded = cli({"seed", "--orders", std::to_string(kOrders), "--seed", "7"});
  ASSERT_EQ(seeded.exitCode, 0) << seeded.err;

  std::set<std::string> initiated;
  {
    auto db = open();
    for (const auto& row : rows(*db, "SELECT number FROM orders WHERE status = 'INITIATED'")) {
      initiated.insert(row[0]);
    }
  }
  ASSERT_GE(initiated.size(), 20u) << "the seed gives too few INITIATED orders to drill with";

  const std::vector<std::string> batch = {"batch", "soak.process_order", "--status", "INITIATED", "--user", "olga"};
  std::mt19937 random(20261123);
  std::uniform_int_distribution<int> delayMs(10, 450);
  int killed = 0;
  opflow::test::signIn(m_dir, m_db, "olga");
  for (int round = 0; round < kMaxRounds && killed < kKills; ++round) {
    Outcome outcome = cli(batch, std::chrono::milliseconds(delayMs(random)));
    killed += outcome.exitCode == -1 ? 1 : 0;
    // Between some rounds a supervisor settles the interrupted runs, as one would.
    if (round % 4 == 3) {
      opflow::test::signIn(m_dir, m_db, "sam");
      Json interrupted = cliJson({"runs", "list", "--state", "interrupted", "--json"});
      for (const Json& run : interrupted["runs"]) {
        Outcome decided =
            cli({"decide", run["id"].get<std::string>(), round % 8 == 3 ? "retry" : "fail", "--user", "sam"});
        EXPECT_EQ(decided.exitCode, 0) << decided.err;
      }
      opflow::test::signIn(m_dir, m_db, "olga");
    }
  }
  EXPECT_EQ(killed, kKills) << "the batch kept finishing before its kill: give it more work";

  // The last round runs undisturbed; interrupted runs are retried until none is left.
  for (int attempt = 0; attempt < 10; ++attempt) {
    Outcome finished = cli(batch);
    ASSERT_EQ(finished.exitCode, 0) << finished.err;
    Json interrupted = cliJson({"runs", "list", "--state", "interrupted", "--json"});
    if (interrupted["runs"].empty()) {
      break;
    }
    opflow::test::signIn(m_dir, m_db, "sam");
    for (const Json& run : interrupted["runs"]) {
      EXPECT_EQ(cli({"decide", run["id"].get<std::string>(), "retry", "--user", "sam"}).exitCode, 0);
    }
    opflow::test::signIn(m_dir, m_db, "olga");
  }
  Outcome resumed = cli({"resume", "--wait"});
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;

  auto db = open();
  // Every run ended, and ended once: one terminal state, one terminal audit entry.
  EXPECT_TRUE(rows(*db, "SELECT id, state FROM runs WHERE state NOT IN ('completed', 'failed', 'cancelled')").empty());
  EXPECT_TRUE(rows(*db, "SELECT subject_id, count(*) FROM audit WHERE action IN ('run.completed', 'run.failed', "
                        "'run.cancelled') GROUP BY subject_id HAVING count(*) <> 1")
                  .empty());
  EXPECT_EQ(rows(*db, "SELECT count(*) FROM runs")[0][0],
            rows(*db, "SELECT count(DISTINCT subject_id) FROM audit WHERE action IN ('run.completed', 'run.failed', "
                      "'run.cancelled')")[0][0]);
  // Every drilled order was worked by exactly one top-level run.
  auto perOrder = rows(*db, "SELECT order_number, count(*) FROM runs WHERE operation = 'soak.process_order' "
                            "GROUP BY order_number");
  EXPECT_EQ(perOrder.size(), initiated.size());
  for (const auto& row : perOrder) {
    EXPECT_TRUE(initiated.contains(row[0])) << row[0];
    EXPECT_EQ(row[1], "1") << "order " << row[0] << " was worked by " << row[1] << " runs";
  }
  // A completed run moved its order to SUBMITTED; one that failed met a held order.
  EXPECT_TRUE(rows(*db, "SELECT r.id FROM runs r JOIN orders o ON o.number = r.order_number WHERE r.operation = "
                        "'soak.process_order' AND r.state = 'completed' AND o.status <> 'SUBMITTED'")
                  .empty());
  // The journal has no gaps and no duplicates: steps 0..n-1 for a run of n steps.
  EXPECT_TRUE(rows(*db, "SELECT r.id FROM runs r LEFT JOIN (SELECT run_id, count(*) AS n, max(idx) AS top FROM steps "
                        "GROUP BY run_id) s ON s.run_id = r.id WHERE coalesce(s.n, 0) <> r.step_count OR "
                        "coalesce(s.top, -1) <> r.step_count - 1")
                  .empty());
  // Status counts kept by the triggers equal a recount.
  std::map<std::string, std::string> counted;
  for (const auto& row : rows(*db, "SELECT status, count(*) FROM orders GROUP BY status")) {
    counted[row[0]] = row[1];
  }
  Json counts = cliJson({"orders", "count", "--json"});
  for (const auto& [status, count] : counted) {
    EXPECT_EQ(std::to_string(counts["by_status"].value(status, -1)), count) << status;
  }
  EXPECT_EQ(counts["total"].get<int>(), kOrders);

  // What the kills exercised, for the log (they land at random, so no count is asserted).
  std::cout << "drill: " << killed << " rounds killed; "
            << rows(*db, "SELECT count(*) FROM audit WHERE action = 'run.interrupted'")[0][0] << " runs interrupted, "
            << rows(*db, "SELECT count(*) FROM steps WHERE retry = 1")[0][0] << " steps retried, "
            << rows(*db, "SELECT count(*) FROM runs")[0][0] << " runs in all\n";

  opflow::test::signIn(m_dir, m_db, "sam");
  Outcome verified = cli({"audit", "verify"});
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
}

} // namespace
