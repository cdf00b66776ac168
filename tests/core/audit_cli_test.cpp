// `opflow-cli audit list|verify|export` as scripts use them: the real binary in a child
// process over a database made by `init` and filled through the C++ API, read by a
// supervisor signed in at this workstation (the audit log is theirs to review).
#include "AuditTestSupport.h"

#include "opflow/host/WorkstationHost.h"
#include "opflow/store/UserStore.h"

#include <sys/wait.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace opflow::store::test {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exitCode = -1;
  std::string out;
  std::string err;
};

std::string shellQuoted(const std::string& arg) {
  std::string text = "'";
  for (char c : arg) {
    text += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return text + "'";
}

std::string readFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

constexpr std::int64_t kBaseMs = 1795428000000; // 2026-11-23T10:00:00Z

class AuditCliTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(cli({"--db", m_db, "init"}).exitCode, 0);
    auto opened = LocalStore::open({m_db, false, Durability::Normal, {}});
    ASSERT_TRUE(opened) << opened.error().describe();
    Status done = (*opened)->writer().execute([](Database& db) -> Status {
      for (int i = 0; i < 10; ++i) {
        AuditEntry entry;
        entry.atMs = kBaseMs + i * 3600 * 1000; // one an hour from 10:00
        entry.user = i % 2 ? "ben" : "ana";
        entry.role = "operator";
        entry.workstation = "ws-1";
        entry.correlationId = "corr-" + std::to_string(i / 5);
        entry.action = i % 3 ? "run.step" : "order.status_changed";
        entry.subjectType = "order";
        entry.subjectId = "ORD-00000" + std::to_string(i % 2);
        entry.orderNumber = entry.subjectId;
        entry.after = Json{{"note", "a, \"b\"\nc"}};
        if (Status added = appendAudit(db, entry); !added) {
          return added;
        }
      }
      return {};
    });
    ASSERT_TRUE(done) << done.error().describe();
    // After the entries above, so they keep seq 1 to 10 and their times.
    UserStore users(**opened);
    const Requester here{std::nullopt, host::workstationName(), ""};
    ASSERT_TRUE(users.markAsDemo(here));
    ASSERT_TRUE(users.setPasswordCost(auth::PasswordCost::Minimum, here));
    ASSERT_TRUE(users.add({"root", domain::Role::Admin, "root-password"}, here));
    ASSERT_TRUE(users.add({"sam", domain::Role::Supervisor, "sam-password"},
                          {Credentials{"root", "root-password"}, host::workstationName(), ""}));
    ASSERT_TRUE(users.login({"sam", "sam-password"}, host::workstationName()));
  }

  CliRun cli(const std::vector<std::string>& args) {
    std::string command = shellQuoted(OPFLOW_CLI_PATH);
    for (const std::string& arg : args) {
      command += " " + shellQuoted(arg);
    }
    const fs::path out = m_dir.path() / "stdout";
    const fs::path err = m_dir.path() / "stderr";
    command += " >" + shellQuoted(out.string()) + " 2>" + shellQuoted(err.string()) + " </dev/null";
    int status = std::system(command.c_str());
    return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(out), readFile(err)};
  }

  CliRun audit(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", m_db, "audit"});
    return cli(args);
  }

  std::vector<std::int64_t> listedSeqs(std::vector<std::string> args) {
    args.insert(args.begin(), {"list", "--json"});
    CliRun run = audit(args);
    EXPECT_EQ(run.exitCode, 0) << run.err;
    std::vector<std::int64_t> seqs;
    Json json = Json::parse(run.out, nullptr, false);
    if (json.is_discarded()) {
      ADD_FAILURE() << run.out;
      return seqs;
    }
    for (const Json& entry : json["entries"]) {
      seqs.push_back(entry["seq"].get<std::int64_t>());
    }
    return seqs;
  }

  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(m_db.c_str(), &db), SQLITE_OK);
    std::string script = "DROP TRIGGER audit_refuse_update; DROP TRIGGER audit_refuse_delete; " + sql;
    ASSERT_EQ(sqlite3_exec(db, script.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }

  TempDir m_dir;
  std::string m_db = m_dir.file("opflow.db");
};

TEST_F(AuditCliTest, ListJsonHasTheEntriesShape) {
  CliRun run = audit({"list", "--json", "--until", "2026-11-24"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  Json json = Json::parse(run.out);
  ASSERT_TRUE(json.is_object());
  ASSERT_TRUE(json["entries"].is_array());
  ASSERT_EQ(json["entries"].size(), 10u);
  const Json& first = json["entries"][0];
  for (const char* key : {"seq", "id", "at_ms", "at", "user", "role", "workstation", "correlation_id", "action",
                          "subject_type", "subject_id", "order_number", "before", "after", "reason", "prev_hash",
                          "hash"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_EQ(first["seq"], 1);
  EXPECT_EQ(first["at"], "2026-11-23T10:00:00.000Z");
  EXPECT_EQ(first["at_ms"], kBaseMs);
  EXPECT_EQ(first["after"]["note"], "a, \"b\"\nc");
  EXPECT_TRUE(first["before"].is_null());
}

TEST_F(AuditCliTest, ListFiltersByEveryOption) {
  EXPECT_EQ(listedSeqs({"--user", "ben"}), (std::vector<std::int64_t>{2, 4, 6, 8, 10}));
  EXPECT_EQ(listedSeqs({"--action", "order.status_changed"}), (std::vector<std::int64_t>{1, 4, 7, 10}));
  EXPECT_EQ(listedSeqs({"--order", "ORD-000000"}), (std::vector<std::int64_t>{1, 3, 5, 7, 9}));
  EXPECT_EQ(listedSeqs({"--correlation", "corr-1"}), (std::vector<std::int64_t>{6, 7, 8, 9, 10}));
  EXPECT_EQ(listedSeqs({"--since", "2026-11-23T12:00:00Z", "--until", "2026-11-23T14:00:00Z"}),
            (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(listedSeqs({"--since", std::to_string(kBaseMs + 8 * 3600 * 1000), "--until", "2026-11-24"}),
            (std::vector<std::int64_t>{9, 10}));
  EXPECT_EQ(listedSeqs({"--until", "2026-11-23"}), (std::vector<std::int64_t>{}));
  EXPECT_EQ(listedSeqs({"--user", "ana", "--action", "run.step", "--limit", "2"}),
            (std::vector<std::int64_t>{3, 5}));
  EXPECT_EQ(listedSeqs({"--limit", "3", "--after", "4"}), (std::vector<std::int64_t>{5, 6, 7}));
}

TEST_F(AuditCliTest, ListPrintsAReadableTable) {
  CliRun run = audit({"list", "--user", "ana"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("SEQ"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2026-11-23T10:00:00.000Z"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("order.status_changed"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("5 entries"), std::string::npos) << run.out;
}

TEST_F(AuditCliTest, VerifyExitsZeroWhenIntactAndOneNamingTheBrokenEntry) {
  CliRun intact = audit({"verify"});
  EXPECT_EQ(intact.exitCode, 0) << intact.err;
  EXPECT_NE(intact.out.find("audit chain intact: 15 entries"), std::string::npos) << intact.out;
  EXPECT_NE(intact.out.find("database consistent with the chain"), std::string::npos) << intact.out;

  tamper("UPDATE audit SET reason = 'nothing happened' WHERE seq = 6");
  CliRun broken = audit({"verify"});
  EXPECT_EQ(broken.exitCode, 1);
  EXPECT_NE(broken.out.find("broken at entry 6 "), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("the entry was edited"), std::string::npos) << broken.out;
}

TEST_F(AuditCliTest, VerifyNamesADeletedEntry) {
  tamper("DELETE FROM audit WHERE seq = 3");
  CliRun broken = audit({"verify"});
  EXPECT_EQ(broken.exitCode, 1);
  EXPECT_NE(broken.out.find("broken at entry 4 "), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("seq jumps from 2 to 4"), std::string::npos) << broken.out;
}

TEST_F(AuditCliTest, ExportWritesCsvToAFileAndJsonLinesToStdout) {
  const std::string file = m_dir.file("audit.csv");
  CliRun csv = audit({"export", "--format", "csv", "--out", file, "--user", "ana"});
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  EXPECT_EQ(csv.out, "");
  std::string text = readFile(file);
  EXPECT_EQ(text.rfind("seq,id,at_ms,at,user,", 0), 0u) << text;
  EXPECT_NE(text.find("\"{\"\"note\"\":\"\"a, \\\"\"b\\\"\"\\nc\"\"}\""), std::string::npos) << text;
  for (const auto& entry : fs::directory_iterator(m_dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }

  CliRun jsonl = audit({"export", "--format", "jsonl", "--since", "2026-11-23T17:00:00Z", "--until", "2026-11-24"});
  ASSERT_EQ(jsonl.exitCode, 0) << jsonl.err;
  std::istringstream lines(jsonl.out);
  std::string line;
  std::vector<std::int64_t> seqs;
  while (std::getline(lines, line)) {
    seqs.push_back(Json::parse(line)["seq"].get<std::int64_t>());
  }
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{8, 9, 10}));
}

TEST_F(AuditCliTest, ExportReplacesAnExistingFileWhole) {
  const std::string file = m_dir.file("audit.jsonl");
  std::ofstream(file) << "old contents that are much longer than nothing\n";
  CliRun run = audit({"export", "--format", "jsonl", "--out", file, "--user", "nobody"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(readFile(file), "");
}

TEST_F(AuditCliTest, BadInputExitsTwoAndWritesNothing) {
  const std::string missing = m_dir.file("missing.db");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list"}, {"verify"}, {"export", "--format", "csv"}}) {
    std::vector<std::string> full{"--db", missing, "audit"};
    full.insert(full.end(), args.begin(), args.end());
    CliRun run = cli(full);
    EXPECT_EQ(run.exitCode, 2) << args[0];
    EXPECT_NE(run.err.find("no database"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(fs::exists(missing));

  CliRun badTime = audit({"list", "--since", "last tuesday"});
  EXPECT_EQ(badTime.exitCode, 2);
  EXPECT_NE(badTime.err.find("--since"), std::string::npos) << badTime.err;
  EXPECT_NE(badTime.err.find("is not a time"), std::string::npos) << badTime.err;
  EXPECT_EQ(audit({"export", "--format", "csv", "--until", "2026-11-23T10:00:00"}).exitCode, 2);
  EXPECT_EQ(audit({"export", "--format", "xml"}).exitCode, 2);
  EXPECT_EQ(audit({"export"}).exitCode, 2);
  EXPECT_EQ(audit({"list", "--limit", "many"}).exitCode, 2);

  // An output that cannot be written leaves no file behind, whole or partial.
  const std::string nowhere = m_dir.file("no-such-dir/audit.csv");
  CliRun unwritable = audit({"export", "--format", "csv", "--out", nowhere});
  EXPECT_EQ(unwritable.exitCode, 2) << "a folder that is not there is a wrong path";
  EXPECT_NE(unwritable.err.find("cannot write"), std::string::npos) << unwritable.err;
  EXPECT_FALSE(fs::exists(m_dir.path() / "no-such-dir"));
  fs::create_directory(m_dir.path() / "a-directory");
  CliRun ontoDirectory = audit({"export", "--format", "csv", "--out", m_dir.file("a-directory")});
  EXPECT_EQ(ontoDirectory.exitCode, 2);
  for (const auto& entry : fs::directory_iterator(m_dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

} // namespace
} // namespace opflow::store::test
