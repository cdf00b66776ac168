// Users, sign-ins and signatures through the real opflow-cli: `users add|list|disable`
// (the bootstrap admin, then only an admin with their password), `login`, `sign`, and
// commands that act as a user of the database (`run --user`, `signal`, `decide`) whose
// role comes from the users table. Passwords go in on stdin, never as arguments.
#include "CliTestSupport.h"
#include "opflow/Json.h"

#include <gmock/gmock.h>

namespace {

using opflow::Json;
using opflow::test::CliResult;
using opflow::test::initWithUsers;
using opflow::test::kTestAdmin;
using opflow::test::testPassword;
using ::testing::HasSubstr;

// A flowchart that needs a supervisor's signature, the way the lifecycle operations do.
constexpr const char* kApprove = R"({
  "operation": "test.approve", "version": 1,
  "inputs": {"order": {"type": "string", "required": true}},
  "starts_with": "sign",
  "nodes": {
    "sign": {"kind": "call", "operation": "auth.sign",
             "inputs": {"meaning": "approved for manufacturing", "order": {"var": "order"}},
             "save_as": "approval", "on_success": "done"},
    "done": {"kind": "result", "outputs": {"signature": {"var": "approval.signature"}}}
  }
})";

class AuthCliTest : public opflow::test::CliFixture {
protected:
  void SetUp() override {
    CliFixture::SetUp();
    m_db = (m_dir / "opflow.db").string();
  }

  void withUsers() {
    initWithUsers(m_dir, m_db, {{"ana", "operator"}, {"sam", "supervisor"}, {"max", "manager"}});
  }

  CliResult db(std::vector<std::string> args, const std::string& stdinText = {}) {
    args.insert(args.begin(), {"--db", m_db});
    return cli(args, stdinText);
  }

  // The audit entries of `action`.
  Json audited(const std::string& action) { return opflow::test::auditEntries(m_db, action); }

  // Has the admin load test.approve, then starts it as `user` (signed in); `password`
  // (when given) goes to stdin.
  CliResult startApproval(const std::string& user, const std::string& password = {}) {
    std::string file = write("approve.json", kApprove).string();
    opflow::test::signIn(m_dir, m_db, kTestAdmin);
    CliResult loaded = db({"ops", "load", file});
    EXPECT_EQ(loaded.exitCode, 0) << loaded.err;
    opflow::test::signIn(m_dir, m_db, user);
    return db({"run", "test.approve", "--user", user, "--input", "order=ORD-000042", "--json"},
              password.empty() ? std::string() : password + "\n");
  }

  std::string m_db;
};

TEST_F(AuthCliTest, TheFirstUserIsAnAdminAndAfterThatOnlyAnAdminAddsUsers) {
  ASSERT_EQ(db({"init"}).exitCode, 0);
  CliResult empty = db({"users", "list", "--json"});
  ASSERT_EQ(empty.exitCode, 0) << empty.err;
  EXPECT_EQ(Json::parse(empty.out)["users"], Json::array());
  CliResult notAdmin = db({"users", "add", "ana", "--role", "operator"}, "pw\n");
  EXPECT_EQ(notAdmin.exitCode, 2);
  EXPECT_THAT(notAdmin.err, HasSubstr("the first one must be an admin"));
  CliResult noPassword = db({"users", "add", "root", "--role", "admin"});
  EXPECT_EQ(noPassword.exitCode, 2);
  EXPECT_THAT(noPassword.err, HasSubstr("no password for root on stdin"));
  CliResult badRole = db({"users", "add", "root", "--role", "boss"}, "pw\n");
  EXPECT_EQ(badRole.exitCode, 2);
  EXPECT_THAT(badRole.err, HasSubstr("unknown role \"boss\" (valid: operator, supervisor, manager, admin)"));

  CliResult root = db({"users", "add", "root", "--role", "admin", "--json"}, "root-password\n");
  ASSERT_EQ(root.exitCode, 0) << root.err;
  EXPECT_EQ(Json::parse(root.out)["role"], "admin");
  CliResult anonymous = db({"users", "add", "ana", "--role", "operator"}, "ana-password\n");
  EXPECT_EQ(anonymous.exitCode, 3);
  EXPECT_THAT(anonymous.err, HasSubstr("only an admin may"));
  CliResult wrong = db({"users", "add", "ana", "--role", "operator", "--as", "root"}, "guess\nana-password\n");
  EXPECT_EQ(wrong.exitCode, 3);
  EXPECT_THAT(wrong.err, HasSubstr("unknown user or wrong password"));
  CliResult added = db({"users", "add", "ana", "--role", "operator", "--as", "root"}, "root-password\nana-password\n");
  ASSERT_EQ(added.exitCode, 0) << added.err;
  EXPECT_EQ(added.out, "user ana added (operator)\n");
  CliResult byOperator = db({"users", "add", "bo", "--role", "admin", "--as", "ana"}, "ana-password\nbo-password\n");
  EXPECT_EQ(byOperator.exitCode, 3);
  EXPECT_THAT(byOperator.err, HasSubstr("\"ana\" is an operator: only an admin may"));
  CliResult duplicate = db({"users", "add", "ANA", "--role", "operator", "--as", "root"}, "root-password\nlong-enough\n");
  EXPECT_EQ(duplicate.exitCode, 2);
  EXPECT_THAT(duplicate.err, HasSubstr("user \"ana\" exists already"));

  CliResult disabled = db({"users", "disable", "ana", "--as", "root"}, "root-password\n");
  ASSERT_EQ(disabled.exitCode, 0) << disabled.err;
  CliResult notSignedIn = db({"users", "list", "--json"});
  EXPECT_EQ(notSignedIn.exitCode, 2) << "with users, only one of them signed in here reads the list";
  EXPECT_THAT(notSignedIn.err, HasSubstr("nobody is signed in"));
  ASSERT_EQ(db({"login", "root"}, "root-password\n").exitCode, 0);
  CliResult listed = db({"users", "list", "--json"});
  ASSERT_EQ(listed.exitCode, 0);
  Json users = Json::parse(listed.out)["users"];
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["name"], "ana");
  EXPECT_EQ(users[0]["disabled"], true);
  EXPECT_EQ(users[1]["name"], "root");
  for (const char* key : {"name", "role", "disabled", "created_at", "updated_at"}) {
    EXPECT_TRUE(users[1].contains(key)) << key;
  }
  CliResult text = db({"users", "list"});
  EXPECT_THAT(text.out, HasSubstr("disabled"));

  EXPECT_EQ(audited("user.added").size(), 2u);
  EXPECT_EQ(audited("user.disabled").size(), 1u);
  EXPECT_EQ(audited("user.refused").size(), 4u);
}

TEST_F(AuthCliTest, ThePasswordCostIsSetByInitOrAnAdmin) {
  withUsers();
  CliResult shown = db({"users", "password-cost", "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_EQ(Json::parse(shown.out)["password_cost"], "minimum");
  CliResult lateInit = db({"init", "--password-cost", "interactive"});
  EXPECT_EQ(lateInit.exitCode, 2);
  EXPECT_THAT(lateInit.err, HasSubstr("only an admin may"));
  CliResult byOperator = db({"users", "password-cost", "interactive", "--as", "ana"}, "ana-password\n");
  EXPECT_EQ(byOperator.exitCode, 3);
  CliResult set = db({"users", "password-cost", "interactive", "--as", kTestAdmin, "--json"},
                     testPassword(kTestAdmin) + "\n");
  ASSERT_EQ(set.exitCode, 0) << set.err;
  EXPECT_EQ(Json::parse(set.out)["password_cost"], "interactive");
  Json changes = audited("settings.changed");
  ASSERT_EQ(changes.size(), 3u) << "the throw-away mark, the minimum cost, then the admin's change";
  EXPECT_EQ(changes[2]["user"], kTestAdmin);
  EXPECT_EQ(changes[2]["after"], "interactive");
}

TEST_F(AuthCliTest, LoginPrintsTheSessionAndFailedLoginsAreAudited) {
  withUsers();
  CliResult first = db({"login", "ana", "--json"}, "ana-password\n");
  ASSERT_EQ(first.exitCode, 0) << first.err;
  Json session = Json::parse(first.out);
  EXPECT_EQ(session["user"], "ana");
  EXPECT_EQ(session["role"], "operator");
  EXPECT_EQ(session["ended_at"], nullptr);
  EXPECT_EQ(session["session_id"].get<std::string>().size(), 36u);

  CliResult wrong = db({"login", "ana"}, "guess\n");
  CliResult unknown = db({"login", "nobody"}, "guess\n");
  EXPECT_EQ(wrong.exitCode, 3);
  EXPECT_EQ(unknown.exitCode, 3);
  EXPECT_THAT(wrong.err, HasSubstr("unknown user or wrong password"));
  EXPECT_EQ(wrong.err, unknown.err) << "the caller cannot tell them apart";
  Json failures = audited("user.login_failed");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0]["reason"], "wrong password");
  EXPECT_EQ(failures[1]["reason"], "unknown user");

  CliResult shiftChange = db({"login", "sam", "--json"}, "sam-password\n");
  ASSERT_EQ(shiftChange.exitCode, 0) << shiftChange.err;
  Json logins = audited("user.login");
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[1]["after"]["ended_sessions"], Json::array({session["session_id"]}));
  CliResult out = db({"logout", "--json"});
  ASSERT_EQ(out.exitCode, 0) << out.err;
  EXPECT_EQ(Json::parse(out.out)["user"], "sam");
  EXPECT_EQ(db({"logout"}).exitCode, 2) << "nobody is signed in any more";
}

TEST_F(AuthCliTest, RunCommandsActAsAUserOfTheDatabaseWithTheirRole) {
  withUsers();
  CliResult notSignedIn = db({"run", "demo.every_kind", "--user", "ana", "--input", "customer=Acme"});
  EXPECT_EQ(notSignedIn.exitCode, 2);
  EXPECT_THAT(notSignedIn.err, HasSubstr("ana is not signed in at"));
  opflow::test::signIn(m_dir, m_db, "ana");
  CliResult started = db({"run", "demo.every_kind", "--input", "customer=Acme", "--input", "amount=2000", "--json"});
  ASSERT_EQ(started.exitCode, 0) << started.err;
  std::string id = Json::parse(started.out)["run_id"];
  CliResult shown = db({"runs", "show", id, "--json"});
  EXPECT_EQ(Json::parse(shown.out)["context"]["role"], "operator");

  CliResult unknown = db({"run", "demo.every_kind", "--user", "nobody", "--input", "customer=Acme"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown user \"nobody\""));
  CliResult role = db({"run", "demo.every_kind", "--user", "ana", "--role", "supervisor", "--input", "customer=Acme"});
  EXPECT_EQ(role.exitCode, 2);
  EXPECT_THAT(role.err, HasSubstr("ana acts as an operator, as the users table says: a role given with run is refused"));
  opflow::test::signIn(m_dir, m_db, "max");
  CliResult manager = db({"signal", id, "review", "--payload", R"({"approved": true})", "--user", "max"});
  EXPECT_EQ(manager.exitCode, 2);
  EXPECT_THAT(manager.err, HasSubstr("max may not run operations or change anything: max is a manager"));
  CliResult impostor = db({"decide", id, "fail", "--user", "sam"});
  EXPECT_EQ(impostor.exitCode, 2) << "max is signed in here, not sam";
  EXPECT_THAT(impostor.err, HasSubstr("sam is not signed in at"));
  opflow::test::signIn(m_dir, m_db, "ana");
  CliResult operatorDecides = db({"decide", id, "fail", "--user", "ana"});
  EXPECT_EQ(operatorDecides.exitCode, 2) << "the run is not interrupted, but ana is refused first";
  EXPECT_THAT(operatorDecides.err, HasSubstr("ana may not supervise"));

  ASSERT_EQ(db({"users", "disable", "ana", "--as", kTestAdmin}, testPassword(kTestAdmin) + "\n").exitCode, 0);
  CliResult disabled = db({"cancel", id, "--user", "ana"});
  EXPECT_EQ(disabled.exitCode, 2);
  EXPECT_THAT(disabled.err, HasSubstr("user \"ana\" is disabled"));
  opflow::test::signIn(m_dir, m_db, "sam");
  CliResult signalled = db({"signal", id, "review", "--payload", R"({"approved": true})", "--json"});
  ASSERT_EQ(signalled.exitCode, 0) << signalled.err;

  Json refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 7u);
  EXPECT_EQ(refusals[0]["reason"], "not signed in at this workstation");
  EXPECT_EQ(refusals[1]["user"], "(unknown name, 6 characters)") << "a name nobody has is never recorded as typed";
  EXPECT_EQ(refusals[1]["after"]["command"], "run");
  EXPECT_EQ(refusals[2]["user"], "ana") << "a role claimed with --role is refused and audited too";
  EXPECT_THAT(refusals[2]["reason"].get<std::string>(), HasSubstr("a role was given (supervisor)"));
  EXPECT_EQ(refusals[4]["user"], "sam");
  EXPECT_EQ(refusals[6]["reason"], "disabled");
  EXPECT_EQ(refusals[6]["after"]["command"], "cancel");
}

TEST_F(AuthCliTest, SignGivesTheSignatureARunWaitsForAndCarriesItOn) {
  withUsers();
  CliResult started = startApproval("ana");
  ASSERT_EQ(started.exitCode, 0) << started.err;
  Json run = Json::parse(started.out);
  EXPECT_EQ(run["state"], "waiting");
  std::string id = run["run_id"];

  CliResult wrong = db({"sign", id, "--user", "sam"}, "guess\n");
  EXPECT_EQ(wrong.exitCode, 3);
  EXPECT_THAT(wrong.err, HasSubstr("signature refused: unknown user or wrong password"));
  CliResult byOperator = db({"sign", id, "--user", "ana", "--json"}, "ana-password\n");
  EXPECT_EQ(byOperator.exitCode, 3);
  EXPECT_THAT(byOperator.err, HasSubstr("this needs the signature of: supervisor"));
  EXPECT_EQ(Json::parse(byOperator.out)["state"], "waiting");
  CliResult noPassword = db({"sign", id, "--user", "sam"});
  EXPECT_EQ(noPassword.exitCode, 2);

  CliResult signedRun = db({"sign", id, "--user", "sam", "--json"}, "sam-password\n");
  ASSERT_EQ(signedRun.exitCode, 0) << signedRun.err;
  Json done = Json::parse(signedRun.out);
  EXPECT_EQ(done["run_id"], id);
  EXPECT_EQ(done["state"], "completed");
  Json signature = done["outputs"]["signature"];
  EXPECT_EQ(signature["signer"], "sam");
  EXPECT_EQ(signature["role"], "supervisor");
  EXPECT_EQ(signature["meaning"], "approved for manufacturing");
  EXPECT_THAT(signature["at"].get<std::string>(), HasSubstr("Z"));
  CliResult again = db({"sign", id, "--user", "sam"}, "sam-password\n");
  EXPECT_EQ(again.exitCode, 2) << "nothing waits for a signature any more";

  Json given = audited("signature.given");
  ASSERT_EQ(given.size(), 2u) << "ana may sign, but the run wants a supervisor's signature";
  EXPECT_EQ(given[0]["user"], "ana");
  EXPECT_EQ(given[1]["user"], "sam");
  EXPECT_EQ(given[1]["role"], "supervisor");
  EXPECT_EQ(given[1]["order_number"], "ORD-000042");
  EXPECT_EQ(given[1]["after"]["meaning"], "approved for manufacturing");
  EXPECT_EQ(given[1]["after"]["id"], signature["id"]);
  EXPECT_EQ(audited("signature.refused").size(), 1u);
  EXPECT_EQ(audited("signature.rejected").size(), 1u);
  opflow::test::signIn(m_dir, m_db, "sam");
  CliResult chain = db({"audit", "verify"});
  EXPECT_EQ(chain.exitCode, 0) << chain.out;
  CliResult exported = db({"audit", "export", "--format", "jsonl"});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("signature.given"));
  EXPECT_THAT(exported.out, ::testing::Not(HasSubstr("sam-password"))) << "passwords never reach the audit log";
}

TEST_F(AuthCliTest, RunSignsWithThePasswordOnStdinWhereTheOperationNeedsASignature) {
  withUsers();
  CliResult waiting = startApproval("sam");
  ASSERT_EQ(waiting.exitCode, 0) << waiting.err;
  EXPECT_EQ(Json::parse(waiting.out)["state"], "waiting") << "no password on stdin: the run waits";

  CliResult signedRun = startApproval("sam", "sam-password");
  ASSERT_EQ(signedRun.exitCode, 0) << signedRun.err;
  Json done = Json::parse(signedRun.out);
  EXPECT_EQ(done["state"], "completed");
  EXPECT_EQ(done["outputs"]["signature"]["signer"], "sam");

  CliResult refused = startApproval("sam", "guess");
  EXPECT_EQ(refused.exitCode, 3);
  EXPECT_EQ(Json::parse(refused.out)["state"], "waiting");
  EXPECT_THAT(refused.err, HasSubstr("signature refused: unknown user or wrong password"));
}

// The log of a whole flow at debug level (users added with passwords, sign-ins, a wrong
// password, a run waiting for a signature and signed) holds the flow's lines and no
// password, password hash or signature secret.
TEST_F(AuthCliTest, TheLogOfAFlowHoldsItsRunsButNoSecret) {
  withUsers();
  opflow::test::signIn(m_dir, m_db, kTestAdmin);
  ASSERT_EQ(db({"--log-level", "debug", "ops", "load", write("approve.json", kApprove).string()}).exitCode, 0);
  opflow::test::signIn(m_dir, m_db, "ana");
  CliResult started =
      db({"--log-level", "debug", "run", "test.approve", "--user", "ana", "--input", "order=ORD-000042", "--json"});
  ASSERT_EQ(started.exitCode, 0) << started.err;
  const std::string id = Json::parse(started.out)["run_id"];
  EXPECT_EQ(db({"--log-level", "debug", "sign", id, "--user", "sam"}, "guess-again\n").exitCode, 3);
  CliResult signedRun = db({"--log-level", "debug", "sign", id, "--user", "sam", "--json"}, "sam-password\n");
  ASSERT_EQ(signedRun.exitCode, 0) << signedRun.err;

  const std::string log = opflow::test::readFile(m_db + ".log");
  EXPECT_THAT(log, HasSubstr("\"msg\":\"run completed\"")) << log;
  EXPECT_THAT(log, HasSubstr("\"run_id\":\"" + id + "\""));
  EXPECT_THAT(log, HasSubstr("\"operation\":\"auth.sign\"")) << "the sub-run that took the signature";
  for (const std::string& secret : {testPassword("ana"), testPassword("sam"), testPassword("max"),
                                   testPassword(kTestAdmin), std::string("guess-again"), std::string("$argon2")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " is in the log";
  }
  Json signature = Json::parse(signedRun.out)["outputs"]["signature"];
  for (const auto& [key, value] : signature.items()) {
    if (value.is_string() && value.get<std::string>().size() >= 32) {
      EXPECT_EQ(log.find(value.get<std::string>()), std::string::npos) << "the signature's " << key << " is in the log";
    }
  }

  CliResult byRun = db({"logs", "--run", id});
  ASSERT_EQ(byRun.exitCode, 0) << byRun.err;
  const std::string correlationId = Json::parse(byRun.out.substr(0, byRun.out.find('\n')))["correlation_id"];
  CliResult byCorrelation = db({"logs", "--correlation", correlationId, "--format", "text"});
  ASSERT_EQ(byCorrelation.exitCode, 0) << byCorrelation.err;
  EXPECT_THAT(byCorrelation.out, HasSubstr("engine: sub-run started")) << "the sub-run shares its parent's id";
  EXPECT_THAT(byCorrelation.out, HasSubstr("operation=auth.sign"));
  EXPECT_EQ(byCorrelation.out.find(testPassword("sam")), std::string::npos);
}

} // namespace
