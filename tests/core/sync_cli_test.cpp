// Two workstation databases on one machine, joined through a shared SQLite file or a
// PostgreSQL server the test starts, with the real opflow-cli: `shared init` (an
// admin's), `sync`, `sync --follow`, `sync status`, `conflicts list`, exit 4 with nothing
// lost while the shared database is away, and a PostgreSQL URL's password never kept.
#include "CliTestSupport.h"
#include "PgTestServer.h"

#include "opflow/store/Database.h"

#include <gmock/gmock.h>

#include <csignal>
#include <thread>

namespace opflow::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Whether process `pid` runs (not gone, not a zombie no one reaped yet).
bool running(int pid) {
  const std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  const auto state = stat.rfind(')');
  return state != std::string::npos && state + 2 < stat.size() && stat[state + 2] != 'Z';
}

class SyncCliTest : public CliFixture {
protected:
  void SetUp() override {
    CliFixture::SetUp();
    m_shared = (m_dir / "shared.db").string();
    for (const char* ws : {"ws-1", "ws-2"}) {
      initWithUsers(m_dir, db(ws), {{"olga", "operator"}, {"sam", "supervisor"}});
      signIn(m_dir, db(ws), "olga");
    }
  }

  std::string db(const std::string& ws) const { return (m_dir / (ws + ".db")).string(); }
  const std::string& shared() const { return m_shared; }

  CliResult at(const std::string& ws, std::vector<std::string> args, const std::string& stdinText = {}) {
    args.insert(args.begin(), {"--db", db(ws)});
    return cli(args, stdinText);
  }

  void join(const std::string& ws) {
    CliResult joined = at(ws, {"shared", "init", shared(), "--as", kTestAdmin, "--workstation", ws},
                          testPassword(kTestAdmin) + "\n");
    ASSERT_EQ(joined.exitCode, 0) << joined.err;
  }

  // ws-1 and ws-2 joined, ORD-000001 made at ws-1 and synced to both, and the supervisor
  // sam signed in at both.
  void bothKnowAnOrderAndSamSignsInAtBoth() {
    join("ws-1");
    join("ws-2");
    CliResult created = at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    syncJson("ws-1");
    syncJson("ws-2");
    signIn(m_dir, db("ws-1"), "sam");
    signIn(m_dir, db("ws-2"), "sam");
  }

  // Starts `sync --follow --json` at `ws` in the background, its output (both streams)
  // in follow.out; its process id.
  int startFollowing(const std::string& ws) {
    const std::filesystem::path pidFile = m_dir / "follow.pid";
    const std::string follow = shellQuoted(OPFLOW_CLI_PATH) + " --db " + shellQuoted(db(ws)) +
                               " sync --follow --json > " + shellQuoted((m_dir / "follow.out").string()) +
                               " 2>&1 & echo $! > " + shellQuoted(pidFile.string());
    EXPECT_EQ(std::system(follow.c_str()), 0);
    return std::stoi(readFile(pidFile));
  }

  // Ends a `sync --follow` with SIGTERM, as a service manager does; what it printed.
  std::string stopFollowing(int pid) {
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100 && running(pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_FALSE(running(pid)) << "SIGTERM ends --follow";
    return readFile(m_dir / "follow.out");
  }

  // The open conflicts at `ws` of one kind of change.
  Json openConflicts(const std::string& ws, const std::string& kind) {
    CliResult listed = at(ws, {"conflicts", "list", "--json"});
    EXPECT_EQ(listed.exitCode, 0) << listed.err;
    Json ofKind = Json::array();
    for (const Json& conflict : Json::parse(listed.out, nullptr, false).value("conflicts", Json::array())) {
      if (conflict["kind"] == kind) {
        ofKind.push_back(conflict);
      }
    }
    return ofKind;
  }

  Json syncJson(const std::string& ws, int expectedExit = 0) {
    CliResult synced = at(ws, {"sync", "--json"});
    EXPECT_EQ(synced.exitCode, expectedExit) << synced.err;
    return Json::parse(synced.out, nullptr, false);
  }

  std::string m_shared; // the shared database's file or connection string
};

// The same workstations joined through a PostgreSQL server.
class SyncCliPostgresTest : public SyncCliTest {
protected:
  void SetUp() override {
    SyncCliTest::SetUp();
    m_shared = opflow::testing::processPgServer().database();
  }
};

TEST_F(SyncCliTest, AnOrderCreatedAtOneWorkstationIsListedAtTheOther) {
  join("ws-1");
  join("ws-2");
  CliResult created = at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA", "--json"});
  ASSERT_EQ(created.exitCode, 0) << created.err;

  Json pushed = syncJson("ws-1");
  EXPECT_EQ(pushed["state"], "online");
  EXPECT_GT(pushed["pushed"].get<int>(), 0);
  Json pulled = syncJson("ws-2");
  EXPECT_EQ(pulled["pulled"], 4) << "the order, and the shop's three users: ws-1's, which added them first";
  EXPECT_EQ(auditEntries(db("ws-2"), "user.pulled").size(), 3u);

  CliResult listed = at("ws-2", {"orders", "list", "--json"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("\"Acme\""));

  CliResult status = at("ws-2", {"sync", "status", "--json"});
  ASSERT_EQ(status.exitCode, 0) << status.err;
  Json shown = Json::parse(status.out, nullptr, false);
  EXPECT_EQ(shown["workstation"], "ws-2");
  EXPECT_EQ(shown["shared"], shared());
  EXPECT_EQ(shown["state"], "online");
  EXPECT_EQ(shown["outbox_pending"], 0);
  EXPECT_EQ(shown["pulled"], 4);
  EXPECT_EQ(shown["conflicts_open"], 3) << "ws-2 added the same three users itself: the shop's stay, each listed";
  EXPECT_TRUE(shown["last_contact"].is_string());
  EXPECT_EQ(auditEntries(db("ws-2"), "sync.joined").size(), 1u);
  signIn(m_dir, db("ws-2"), "sam");
  CliResult verified = at("ws-2", {"audit", "verify"});
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
}

TEST_F(SyncCliTest, WithTheSharedFileAwaySyncExitsFourAndLosesNothing) {
  join("ws-1");
  std::filesystem::rename(shared(), m_dir / "away.db");
  CliResult created = at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"});
  ASSERT_EQ(created.exitCode, 0) << created.err;
  Json offline = syncJson("ws-1", 4);
  EXPECT_EQ(offline["state"], "offline");
  EXPECT_FALSE(std::filesystem::exists(shared())) << "sync never creates a shared database";
  Json status = Json::parse(at("ws-1", {"sync", "status", "--json"}).out, nullptr, false);
  EXPECT_EQ(status["state"], "offline");
  EXPECT_GT(status["outbox_pending"].get<int>(), 0);

  std::filesystem::rename(m_dir / "away.db", shared());
  Json back = syncJson("ws-1");
  EXPECT_EQ(back["state"], "online");
  EXPECT_GT(back["pushed"].get<int>(), 0);
  EXPECT_EQ(Json::parse(at("ws-1", {"sync", "status", "--json"}).out, nullptr, false)["outbox_pending"], 0);
}

// With the shared file away, `sync --follow` keeps what waits and tries again on its own
// timer: once the file is back the outbox drains, with no new write here to wake it.
TEST_F(SyncCliTest, FollowTriesAgainOnItsOwnOnceTheSharedDatabaseIsBack) {
  join("ws-1");
  std::filesystem::rename(shared(), m_dir / "away.db");
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  const int pid = startFollowing("ws-1");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  std::filesystem::rename(m_dir / "away.db", shared());
  bool drained = false;
  for (int i = 0; i < 200 && !drained; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    drained = Json::parse(at("ws-1", {"sync", "status", "--json"}).out, nullptr, false)["outbox_pending"] == 0;
  }
  const std::string said = stopFollowing(pid);
  EXPECT_TRUE(drained) << said;
  EXPECT_THAT(said, HasSubstr("offline")) << "it said it was offline before it tried again";
}

TEST_F(SyncCliTest, JoiningIsAnAdminsAndAConflictIsListedForASupervisor) {
  CliResult notAdmin = at("ws-1", {"shared", "init", shared(), "--as", "olga"}, testPassword("olga") + "\n");
  EXPECT_EQ(notAdmin.exitCode, 3);
  EXPECT_THAT(notAdmin.err, HasSubstr("only an admin may"));
  EXPECT_EQ(auditEntries(db("ws-1"), "user.refused").size(), 1u);
  CliResult notJoined = at("ws-1", {"sync"});
  EXPECT_EQ(notJoined.exitCode, 2);
  EXPECT_THAT(notJoined.err, HasSubstr("has not joined a shared database"));

  bothKnowAnOrderAndSamSignsInAtBoth();
  // The supervisor holds the order at both while apart, each on version 1.
  ASSERT_EQ(at("ws-1", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=PAYMENT"}).exitCode, 0);
  ASSERT_EQ(at("ws-2", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=QUALITY_CHECK"})
                .exitCode,
            0);
  syncJson("ws-1");
  Json second = syncJson("ws-2");
  EXPECT_EQ(second["conflicts"], 1);

  Json conflicts = openConflicts("ws-2", "order.changed");
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0]["order"], "ORD-000001");
  EXPECT_EQ(conflicts[0]["subject"], "ORD-000001");
  EXPECT_EQ(conflicts[0]["local_version"], 1);
  EXPECT_EQ(conflicts[0]["shared_version"], 2);
  EXPECT_EQ(conflicts[0]["by"], "sam");
  EXPECT_EQ(conflicts[0]["action"], "order.held");
  const std::string heldRun = conflicts[0]["run_id"].get<std::string>();
  EXPECT_THAT(at("ws-2", {"runs", "list"}).out, HasSubstr(heldRun + "  completed")) << "the run that lost";
  EXPECT_THAT(at("ws-2", {"runs", "list"}).out, HasSubstr("(conflicted: the shop did not take its change; see conflicts list)"));

  CliResult redoRefused = at("ws-2", {"conflicts", "resolve", conflicts[0]["id"].dump(), "--keep", "mine"});
  EXPECT_EQ(redoRefused.exitCode, 3) << "the shared state is on hold already: the hold cannot be made again";
  EXPECT_THAT(redoRefused.err, HasSubstr("stays open"));
  EXPECT_EQ(openConflicts("ws-2", "order.changed").size(), 1u);

  signIn(m_dir, db("ws-2"), "olga");
  CliResult operatorResolves = at("ws-2", {"conflicts", "resolve", conflicts[0]["id"].dump(), "--keep", "shared"});
  EXPECT_EQ(operatorResolves.exitCode, 2) << "a supervisor's";
  signIn(m_dir, db("ws-2"), "sam");
  CliResult resolved = at("ws-2", {"conflicts", "resolve", conflicts[0]["id"].dump(), "--keep", "shared", "--json"});
  ASSERT_EQ(resolved.exitCode, 0) << resolved.err;
  EXPECT_EQ(Json::parse(resolved.out, nullptr, false)["resolved_by"], "sam");
  EXPECT_EQ(openConflicts("ws-2", "order.changed").size(), 0u);
  EXPECT_EQ(auditEntries(db("ws-2"), "sync.conflict_resolved").size(), 1u);
  CliResult verified = at("ws-2", {"audit", "verify"});
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
}

TEST_F(SyncCliTest, ASupervisorRedoesALostChangeOnTheSharedState) {
  bothKnowAnOrderAndSamSignsInAtBoth();
  // Apart: ws-1 holds the order and releases it; ws-2 holds it for a quality check.
  ASSERT_EQ(at("ws-1", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=PAYMENT"}).exitCode, 0);
  ASSERT_EQ(at("ws-1", {"run", "order.release", "--input", "order=ORD-000001"}).exitCode, 0);
  ASSERT_EQ(at("ws-2", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=QUALITY_CHECK"})
                .exitCode,
            0);
  syncJson("ws-1");
  EXPECT_EQ(syncJson("ws-2")["conflicts"], 1);
  Json conflicts = openConflicts("ws-2", "order.changed");
  ASSERT_EQ(conflicts.size(), 1u);

  CliResult redone = at("ws-2", {"conflicts", "resolve", conflicts[0]["id"].dump(), "--keep", "mine", "--json"});
  ASSERT_EQ(redone.exitCode, 0) << redone.err;
  Json resolved = Json::parse(redone.out, nullptr, false);
  EXPECT_EQ(resolved["resolution"], "mine");
  EXPECT_EQ(resolved["resolved_by"], "sam");
  ASSERT_TRUE(resolved["run_started"].is_string());
  EXPECT_NE(resolved["run_started"], conflicts[0]["run_id"]) << "a new run, on the shared state";
  EXPECT_EQ(openConflicts("ws-2", "order.changed").size(), 0u);
  ASSERT_EQ(auditEntries(db("ws-2"), "sync.conflict_resolved").size(), 1u);
  const Json resolution = auditEntries(db("ws-2"), "sync.conflict_resolved")[0];
  EXPECT_EQ(resolution["after"]["kept"], "mine");
  // One reference finds the run that made the change again and the resolution.
  const Json starts = auditEntries(db("ws-2"), "run.started");
  const auto redoStart = std::find_if(starts.begin(), starts.end(), [&resolved](const Json& entry) {
    return entry["subject_id"] == resolved["run_started"];
  });
  ASSERT_NE(redoStart, starts.end());
  EXPECT_EQ((*redoStart)["correlation_id"], resolution["correlation_id"]);

  EXPECT_EQ(syncJson("ws-2")["conflicts"], 0) << "the hold made again is applied on the shared state";
  syncJson("ws-1");
  CliResult shown = at("ws-1", {"orders", "show", "ORD-000001", "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_EQ(Json::parse(shown.out, nullptr, false)["hold_reason"], "QUALITY_CHECK");
  EXPECT_EQ(at("ws-2", {"audit", "verify"}).exitCode, 0);
}

TEST_F(SyncCliTest, AnOperationOnlineWorksOnTheShopsStateOfItsOrder) {
  bothKnowAnOrderAndSamSignsInAtBoth();
  ASSERT_EQ(at("ws-1", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=PAYMENT"}).exitCode, 0);
  syncJson("ws-1");

  // ws-2 has not pulled the hold: the release reads the shop's state first, so it works.
  CliResult released = at("ws-2", {"run", "order.release", "--input", "order=ORD-000001"});
  ASSERT_EQ(released.exitCode, 0) << released.err;
  EXPECT_EQ(auditEntries(db("ws-2"), "order.pulled").size(), 2u) << "the order at joining, then its held state";
  EXPECT_EQ(syncJson("ws-2")["conflicts"], 0);

  // Offline the operation works on this workstation's state, and says so.
  std::filesystem::rename(shared(), m_dir / "away.db");
  CliResult offline = at("ws-2", {"run", "order.hold", "--input", "order=ORD-000001", "--input", "reason=PAYMENT"});
  EXPECT_EQ(offline.exitCode, 0) << offline.err;
  EXPECT_THAT(offline.err, HasSubstr("working on this workstation's state of ORD-000001"));
  std::filesystem::rename(m_dir / "away.db", shared());
  EXPECT_EQ(syncJson("ws-2")["conflicts"], 0);
}

// A definition taken from the shop that this build cannot compile (a newer build's, with
// a handler this one lacks) is left out, named, and everything else works.
TEST_F(SyncCliTest, ADefinitionThisBuildCannotCompileIsLeftOutNotFatal) {
  join("ws-1");
  {
    auto file = store::Database::open({db("ws-1"), false, false, store::Durability::Normal, 5000, {}});
    ASSERT_TRUE(file) << file.error().describe();
    ASSERT_TRUE((*file)->exec(
        R"(INSERT INTO definitions (name, version, content_hash, body, loaded_at) VALUES ('newer.op', 1, 'newer', )"
        R"('{"operation": "newer.op", "version": 1, "starts_with": "go", "nodes": {"go": {"kind": "action", )"
        R"("handler": "newer.handler", "go_to": "done"}, "done": {"kind": "result"}}}', 1))"));
  }
  CliResult created = at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"});
  EXPECT_EQ(created.exitCode, 0) << created.err;
  EXPECT_THAT(created.err, HasSubstr("stored definition newer.op v1"));
  EXPECT_THAT(created.err, HasSubstr("is left out: update opflow to run it"));
  CliResult newer = at("ws-1", {"run", "newer.op"});
  EXPECT_EQ(newer.exitCode, 2);
  EXPECT_THAT(newer.err, HasSubstr("no operation or file \"newer.op\""));
}

TEST_F(SyncCliTest, ANewWorkstationIsMadeFromTheShop) {
  join("ws-1");
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  syncJson("ws-1");

  CliResult wrong = at("ws-3", {"init", "--shared", shared(), "--as", kTestAdmin, "--workstation", "ws-3"},
                       "not-the-password\n");
  EXPECT_EQ(wrong.exitCode, 3);
  EXPECT_THAT(wrong.err, HasSubstr("is not an enabled admin of the shop"));
  EXPECT_FALSE(std::filesystem::exists(db("ws-3"))) << "nothing left behind";
  CliResult away = at("ws-3", {"init", "--shared", (m_dir / "nowhere.db").string(), "--as", kTestAdmin},
                      testPassword(kTestAdmin) + "\n");
  EXPECT_EQ(away.exitCode, 4) << away.err;
  EXPECT_FALSE(std::filesystem::exists(db("ws-3")));

  CliResult made = at("ws-3", {"init", "--shared", shared(), "--as", kTestAdmin, "--workstation", "ws-3"},
                      testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(made.exitCode, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("workstation \"ws-3\""));
  signIn(m_dir, db("ws-3"), "olga");
  EXPECT_THAT(at("ws-3", {"orders", "list", "--json"}).out, HasSubstr("\"Acme\""));
  ASSERT_EQ(at("ws-3", {"run", "order.create", "--input", "customer=Bolt", "--input", "material=PLA"}).exitCode, 0);
  syncJson("ws-3");
  syncJson("ws-1");
  EXPECT_THAT(at("ws-1", {"orders", "list", "--json"}).out, HasSubstr("\"Bolt\""));
  CliResult again = at("ws-3", {"init", "--shared", shared(), "--as", kTestAdmin}, testPassword(kTestAdmin) + "\n");
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_THAT(again.err, HasSubstr("exists already"));
}

TEST_F(SyncCliPostgresTest, ANewWorkstationIsMadeFromAShopOnAServer) {
  join("ws-1");
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  syncJson("ws-1");
  CliResult made = at("ws-3", {"init", "--shared", shared(), "--as", kTestAdmin, "--workstation", "ws-3"},
                      testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(made.exitCode, 0) << made.err;
  signIn(m_dir, db("ws-3"), "olga");
  EXPECT_THAT(at("ws-3", {"orders", "list", "--json"}).out, HasSubstr("\"Acme\""));
}

TEST_F(SyncCliTest, EveryWorkstationsChainIsVerifiedInTheSharedDatabase) {
  join("ws-1");
  join("ws-2");
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  syncJson("ws-1");
  syncJson("ws-2");
  CliResult operatorTries = at("ws-2", {"audit", "verify", "--shared"});
  EXPECT_EQ(operatorTries.exitCode, 2) << "a reviewer's";
  signIn(m_dir, db("ws-2"), "sam");
  CliResult intact = at("ws-2", {"audit", "verify", "--shared"});
  EXPECT_EQ(intact.exitCode, 0) << intact.out << intact.err;
  EXPECT_THAT(intact.out, HasSubstr("workstation ws-1: audit chain intact"));
  EXPECT_THAT(intact.out, HasSubstr("workstation ws-2: audit chain intact"));

  // Someone with the file turns its guard off and edits an entry of ws-1's.
  {
    auto file = store::Database::open({shared(), false, false, store::Durability::Normal, 5000, {}});
    ASSERT_TRUE(file);
    ASSERT_TRUE((*file)->exec("DROP TRIGGER events_no_update; UPDATE events SET payload = json_set(payload, "
                              "'$.reason', 'nothing happened') WHERE workstation = 'ws-1' AND kind = 'audit.entry' "
                              "AND json_extract(payload, '$.seq') = 3"));
  }
  CliResult broken = at("ws-2", {"audit", "verify", "--shared"});
  EXPECT_EQ(broken.exitCode, 1);
  EXPECT_THAT(broken.out, HasSubstr("workstation ws-1: audit chain broken at entry 3"));
  EXPECT_THAT(broken.out, HasSubstr("does not hash to the hash it carries"));
  EXPECT_THAT(broken.out, HasSubstr("workstation ws-2: audit chain intact"));
}

TEST_F(SyncCliTest, AWorkstationNameThatIsNoNameCreatesNothing) {
  CliResult refused = at("ws-1", {"shared", "init", shared(), "--as", kTestAdmin, "--workstation", "ws\x1b[2J"},
                         testPassword(kTestAdmin) + "\n");
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_THAT(refused.err, HasSubstr("is not a name"));
  EXPECT_FALSE(std::filesystem::exists(shared())) << "nothing half-made";
}

TEST_F(SyncCliTest, APostgresPasswordIsNeverKeptNorPrinted) {
  for (const std::string url : {"postgresql://shop:s3cret@localhost/opflow", "host=localhost password=s3cret"}) {
    CliResult refused = at("ws-1", {"shared", "init", url, "--as", kTestAdmin}, testPassword(kTestAdmin) + "\n");
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_THAT(refused.err, HasSubstr("holds a password, which would be kept in this database: give it through "
                                       "libpq instead (PGPASSWORD, ~/.pgpass"));
    EXPECT_THAT(refused.err + refused.out, Not(HasSubstr("s3cret")));
  }
  EXPECT_THAT(auditEntries(db("ws-1"), "").dump(), Not(HasSubstr("s3cret")));
  EXPECT_EQ(Json::parse(at("ws-1", {"sync", "status", "--json"}).out, nullptr, false)["state"], "not joined");
}

TEST_F(SyncCliPostgresTest, AnOrderGoesAcrossAndAServerAwayIsOfflineWithNothingLost) {
  join("ws-1");
  join("ws-2");
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  EXPECT_EQ(syncJson("ws-1")["state"], "online");
  EXPECT_EQ(syncJson("ws-2")["pulled"], 4) << "the order and the shop's three users";

  opflow::testing::processPgServer().stop(true);
  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Bolt", "--input", "material=PLA"}).exitCode, 0);
  Json offline = syncJson("ws-1", 4);
  EXPECT_EQ(offline["state"], "offline");
  Json status = Json::parse(at("ws-1", {"sync", "status", "--json"}).out, nullptr, false);
  EXPECT_EQ(status["state"], "offline");
  EXPECT_EQ(status["shared"], shared());
  EXPECT_GT(status["outbox_pending"].get<int>(), 0);

  opflow::testing::processPgServer().start();
  EXPECT_GT(syncJson("ws-1")["pushed"].get<int>(), 0);
  EXPECT_EQ(syncJson("ws-2")["pulled"], 1);
  CliResult listed = at("ws-2", {"orders", "list", "--json"});
  EXPECT_THAT(listed.out, HasSubstr("\"Bolt\""));
}

TEST_F(SyncCliPostgresTest, FollowBringsAnotherWorkstationsChangeOverAtOnce) {
  join("ws-1");
  join("ws-2");
  syncJson("ws-2");
  const int pid = startFollowing("ws-2");

  ASSERT_EQ(at("ws-1", {"run", "order.create", "--input", "customer=Acme", "--input", "material=PLA"}).exitCode, 0);
  syncJson("ws-1");
  bool arrived = false;
  for (int i = 0; i < 100 && !arrived; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    arrived = at("ws-2", {"orders", "list", "--json"}).out.find("\"Acme\"") != std::string::npos;
  }
  EXPECT_TRUE(arrived) << readFile(m_dir / "follow.out");
  EXPECT_THAT(stopFollowing(pid), HasSubstr("\"pulled\":1"));
}

} // namespace
} // namespace opflow::test
