// Test support for CLI tests: runs the real opflow-cli binary in a child process, in a
// temporary directory of the test's own, and gives its exit code, stdout and stderr; and
// makes databases with users (commands that move runs act as a user of the database).
// Thread-safety: used from the test thread.
#pragma once

#include "opflow/store/AuditLog.h"
#include "opflow/store/UserStore.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace opflow::test {

struct CliResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

inline std::string shellQuoted(const std::string& arg) {
  std::string text = "'";
  for (char c : arg) {
    text += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return text + "'";
}

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// How a CLI call is made, beyond its arguments.
struct CliCall {
  std::vector<std::string> under; // a command the CLI runs under: {"timeout", "120"}, {"setpriv", ...}
  std::string stdoutTo;           // where standard output goes instead of being captured ("/dev/full")
};

// Runs opflow-cli with `args` and `stdinText` on its stdin; its files live in `dir`.
inline CliResult runCli(const std::filesystem::path& dir, const std::vector<std::string>& args,
                        const std::string& stdinText = {}, const CliCall& call = {}) {
  std::string command;
  for (const std::string& word : call.under) {
    command += shellQuoted(word) + " ";
  }
  command += shellQuoted(OPFLOW_CLI_PATH);
  for (const std::string& arg : args) {
    command += " " + shellQuoted(arg);
  }
  std::filesystem::path in = dir / "stdin";
  std::ofstream(in) << stdinText;
  std::filesystem::path out = call.stdoutTo.empty() ? dir / "stdout" : std::filesystem::path(call.stdoutTo);
  std::filesystem::path err = dir / "stderr";
  command += " >" + shellQuoted(out.string()) + " 2>" + shellQuoted(err.string()) + " <" + shellQuoted(in.string());
  int status = std::system(command.c_str());
  return CliResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, call.stdoutTo.empty() ? readFile(out) : "",
                   readFile(err)};
}

// A person of a test database; their password is NAME + "-password".
struct TestUser {
  std::string name;
  std::string role;
};

// The admin every test database made by initWithUsers has (password "admin-password").
inline constexpr const char* kTestAdmin = "admin";

inline std::string testPassword(const std::string& user) { return user + "-password"; }

// Creates database `db` through the real CLI, marks it a throw-away database (as the demo
// shop is) at the minimum password cost, then adds the admin kTestAdmin (the bootstrap)
// and `users` through the CLI.
inline void initWithUsers(const std::filesystem::path& dir, const std::string& db, const std::vector<TestUser>& users) {
  CliResult init = runCli(dir, {"--db", db, "init"});
  ASSERT_EQ(init.exitCode, 0) << init.err;
  {
    auto store = store::LocalStore::open({db, false, store::Durability::Normal, {}});
    ASSERT_TRUE(store) << store.error().describe();
    store::UserStore throwAway(**store);
    ASSERT_TRUE(throwAway.markAsDemo({std::nullopt, "test", ""}));
    ASSERT_TRUE(throwAway.setPasswordCost(auth::PasswordCost::Minimum, {std::nullopt, "test", ""}));
  }
  CliResult admin = runCli(dir, {"--db", db, "users", "add", kTestAdmin, "--role", "admin"},
                           testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(admin.exitCode, 0) << admin.err;
  for (const TestUser& user : users) {
    CliResult added = runCli(dir, {"--db", db, "users", "add", user.name, "--role", user.role, "--as", kTestAdmin},
                             testPassword(kTestAdmin) + "\n" + testPassword(user.name) + "\n");
    ASSERT_EQ(added.exitCode, 0) << user.name << ": " << added.err;
  }
}

// The audit entries of `action` in database `db`, as JSON, read by the test as the file's
// owner (not through the CLI, which reads as whoever is signed in).
inline Json auditEntries(const std::string& db, const std::string& action) {
  auto reader = store::Database::open({db, true, false, store::Durability::Normal, 5000});
  EXPECT_TRUE(reader) << reader.error().describe();
  Json entries = Json::array();
  if (!reader) {
    return entries;
  }
  store::AuditQuery query;
  query.action = action;
  query.limit = 0;
  auto found = store::queryAudit(**reader, query);
  EXPECT_TRUE(found) << found.error().describe();
  for (const store::AuditEntry& entry : found ? *found : std::vector<store::AuditEntry>{}) {
    entries.push_back(store::toJson(entry));
  }
  return entries;
}

// Signs `user` (password testPassword(user)) in at this workstation: the database commands
// that move runs act as who is signed in.
inline void signIn(const std::filesystem::path& dir, const std::string& db, const std::string& user) {
  CliResult login = runCli(dir, {"--db", db, "login", user}, testPassword(user) + "\n");
  ASSERT_EQ(login.exitCode, 0) << user << ": " << login.err;
}

// A fixture with a temporary directory and cli(args) to run opflow-cli in it.
class CliFixture : public ::testing::Test {
protected:
  void SetUp() override {
    std::random_device random;
    m_dir = std::filesystem::temp_directory_path() /
            ("opflow-cli-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  CliResult cli(const std::vector<std::string>& args, const std::string& stdinText = {}, const CliCall& call = {}) {
    return runCli(m_dir, args, stdinText, call);
  }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::filesystem::path path = m_dir / name;
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path m_dir;
};

} // namespace opflow::test
