// opflow-cli as scripts use it: the real binary in a child process, its exit codes,
// its "FILE: /pointer: message" lines and its JSON shapes.
#include "CliTestSupport.h"
#include "opflow/Json.h"

namespace {

namespace fs = std::filesystem;
using opflow::Json;
using opflow::test::CliResult;
using opflow::test::initWithUsers;
using opflow::test::readFile;

class CliTest : public opflow::test::CliFixture {};

const char* kGreeting = R"({
  "operation": "test.greet", "version": 1,
  "inputs": {"name": {"type": "string", "required": true}, "loud": {"type": "boolean", "default": false}},
  "starts_with": "loud?",
  "nodes": {
    "loud?": {"kind": "decision", "condition": {"var": "loud"}, "if_true": "shout", "if_false": "say"},
    "shout": {"kind": "action", "set": {"greeting": {"cat": ["HELLO ", {"var": "name"}, "!"]}}, "go_to": "done"},
    "say": {"kind": "action", "set": {"greeting": {"cat": ["hello ", {"var": "name"}]}}, "go_to": "done"},
    "done": {"kind": "result", "outputs": ["greeting"]}
  }
})";

TEST_F(CliTest, ValidateAcceptsTheShippedDefinitions) {
  CliResult result = cli({"ops", "validate", std::string(OPFLOW_RESOURCES_DIR) + "/operations"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("definition(s) valid"), std::string::npos);
}

TEST_F(CliTest, ValidateNamesEveryProblemWithFileAndPointer) {
  fs::path bad = write("bad.json", R"({
    "operation": "test.bad", "version": 1, "starts_with": "a",
    "nodes": {
      "a": {"kind": "decision", "condition": {"frobnicate": [1]}, "if_true": "dne", "if_false": "b"},
      "b": {"kind": "result"},
      "c": {"kind": "result"}
    }
  })");
  fs::path good = write("good.json", kGreeting);
  CliResult result = cli({"ops", "validate", good.string(), bad.string()});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find(bad.string() + ": /nodes/a/if_true: no node \"dne\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(bad.string() + ": /nodes/a/condition/frobnicate: unknown operator \"frobnicate\""),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(bad.string() + ": /nodes/c: is unreachable"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(good.string()), std::string::npos) << "a valid file is not reported";
}

TEST_F(CliTest, ValidateReportsJsonSyntaxErrors) {
  fs::path broken = write("broken.json", "{\"operation\": ");
  CliResult result = cli({"ops", "validate", broken.string()});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find(broken.string() + ": /: not valid JSON"), std::string::npos) << result.err;
}

TEST_F(CliTest, ValidateReadsDirectories) {
  fs::create_directories(m_dir / "defs");
  write("defs/greet.json", kGreeting);
  write("defs/notes.txt", "not a definition");
  CliResult result = cli({"ops", "validate", (m_dir / "defs").string()});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("1 definition(s) valid"), std::string::npos) << result.out;
}

TEST_F(CliTest, ListShowsBuiltinAndLoadedOperations) {
  fs::path greet = write("greet.json", kGreeting);
  CliResult result = cli({"ops", "list", "--json", "--load", greet.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  Json list = Json::parse(result.out);
  std::map<std::string, std::string> sources;
  for (const Json& item : list) {
    sources[item["operation"].get<std::string>()] = item["source"].get<std::string>();
  }
  EXPECT_EQ(sources["document.prepare_download"], "builtin");
  EXPECT_EQ(sources["demo.notify"], "builtin");
  EXPECT_EQ(sources["test.greet"], "loaded");
}

TEST_F(CliTest, ShowPrintsJsonDotAndMermaid) {
  CliResult json = cli({"ops", "show", "demo.every_kind"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_EQ(Json::parse(json.out)["operation"], "demo.every_kind");

  CliResult dot = cli({"ops", "show", "demo.every_kind", "--format", "dot"});
  ASSERT_EQ(dot.exitCode, 0) << dot.err;
  EXPECT_EQ(dot.out.rfind("digraph", 0), 0u) << dot.out;

  CliResult mermaid = cli({"ops", "show", "demo.every_kind", "--format", "mermaid"});
  ASSERT_EQ(mermaid.exitCode, 0) << mermaid.err;
  EXPECT_EQ(mermaid.out.rfind("flowchart", 0), 0u) << mermaid.out;

  CliResult unknown = cli({"ops", "show", "no.such.operation"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("no operation or file \"no.such.operation\""), std::string::npos);
}

TEST_F(CliTest, RunFromFilePrintsTheRunAsJson) {
  fs::path greet = write("greet.json", kGreeting);
  CliResult result = cli({"run", greet.string(), "--input", "name=Ada", "--input", "loud=true", "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  Json run = Json::parse(result.out);
  EXPECT_EQ(run["operation"], "test.greet");
  EXPECT_EQ(run["version"], 1);
  EXPECT_EQ(run["state"], "completed");
  EXPECT_EQ(run["outputs"], Json({{"greeting", "HELLO Ada!"}}));
  EXPECT_TRUE(run["error"].is_null());
  EXPECT_EQ(run["run_id"].get<std::string>().size(), 36u);
  ASSERT_EQ(run["steps"].size(), 3u);
  EXPECT_EQ(run["steps"][0]["node"], "loud?");
  EXPECT_EQ(run["steps"][0]["kind"], "decision");
  EXPECT_EQ(run["steps"][0]["exit"], "true");
  EXPECT_TRUE(run["steps"][0]["duration_us"].is_number_integer());
  EXPECT_EQ(run["steps"][2]["exit"], "completed");
}

TEST_F(CliTest, InputValuesAreJsonWhenTheyParseAndTextOtherwise) {
  fs::path greet = write("greet.json", kGreeting);
  CliResult result = cli({"run", greet.string(), "--input", "name=42", "--json"});
  EXPECT_EQ(result.exitCode, 3) << "42 parses as a number, and name is a string";
  EXPECT_NE(result.err.find("/inputs/name: must be a string, not 42"), std::string::npos) << result.err;

  CliResult text = cli({"run", greet.string(), "--inputs-json", R"({"name": "Bo"})", "--json"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_EQ(Json::parse(text.out)["outputs"]["greeting"], "hello Bo");
}

TEST_F(CliTest, RefusedStartListsEveryProblemAndExitsThree) {
  CliResult result = cli({"run", "demo.every_kind", "--input", "amount=-5", "--input", "channel=fax", "--json"});
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_NE(result.err.find("/inputs/customer: is required"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("/inputs/amount: must be at least 0"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("/inputs/channel: must be one of"), std::string::npos) << result.err;
}

TEST_F(CliTest, RoleIsChecked) {
  CliResult result = cli({"run", "demo.every_kind", "--role", "manager", "--input", "customer=Acme",
                          "--input", "amount=5"});
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_NE(result.err.find("role \"manager\" may not run \"demo.every_kind\""), std::string::npos) << result.err;
}

TEST_F(CliTest, SignalsAreDeliveredToWaitsInOrder) {
  CliResult result = cli({"run", "demo.every_kind", "--input", "customer=Acme", "--input", "amount=2000",
                          "--signal", R"(review={"approved": true})", "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  Json run = Json::parse(result.out);
  EXPECT_EQ(run["state"], "completed");
  EXPECT_EQ(run["outputs"]["tier"], "large");
  EXPECT_EQ(run["outputs"]["price"], 1800);
  EXPECT_EQ(run["outputs"]["notified"], true);
  std::vector<std::string> nodes;
  for (const Json& step : run["steps"]) {
    nodes.push_back(step["node"].get<std::string>() + ":" + step["exit"].get<std::string>());
  }
  EXPECT_EQ(nodes, (std::vector<std::string>{"size?:case 1", "large:", "quote:needs_review", "review:signal",
                                             "approved?:true", "notify:success", "settle:timer", "done:completed"}));
}

TEST_F(CliTest, BusinessFailureExitsThreeWithTheReason) {
  CliResult result = cli({"run", "demo.every_kind", "--input", "customer=Acme", "--input", "amount=2000",
                          "--signal", R"(review={"approved": false, "reason": "too cheap"})", "--json"});
  EXPECT_EQ(result.exitCode, 3);
  Json run = Json::parse(result.out);
  EXPECT_EQ(run["state"], "failed");
  EXPECT_EQ(run["error"]["code"], "business_failure");
  EXPECT_EQ(run["error"]["message"], "rejected by the reviewer: too cheap");
  EXPECT_NE(result.err.find("rejected by the reviewer: too cheap"), std::string::npos);
}

TEST_F(CliTest, AWaitWithoutItsSignalLeavesTheRunWaiting) {
  CliResult result = cli({"run", "demo.every_kind", "--input", "customer=Acme", "--input", "amount=2000", "--json"});
  EXPECT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(Json::parse(result.out)["state"], "waiting");
}

TEST_F(CliTest, AWrongSignalIsRefused) {
  CliResult result = cli({"run", "demo.every_kind", "--input", "customer=Acme", "--input", "amount=2000",
                          "--signal", "approve"});
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_NE(result.err.find("waits for signal \"review\", not \"approve\""), std::string::npos) << result.err;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(cli({"run"}).exitCode, 2);
  EXPECT_EQ(cli({"frobnicate"}).exitCode, 2);
  EXPECT_EQ(cli({"ops", "show", "demo.notify", "--format", "gif"}).exitCode, 2);
  EXPECT_EQ(cli({"run", "demo.notify", "--input", "novalue"}).exitCode, 2);
}

TEST_F(CliTest, SubOperationsComeFromLoadedFiles) {
  write("child.json", R"({"operation": "test.child", "version": 1,
    "inputs": {"x": {"type": "integer", "required": true}}, "starts_with": "double",
    "nodes": {"double": {"kind": "action", "set": {"y": {"*": [{"var": "x"}, 2]}}, "go_to": "done"},
              "done": {"kind": "result", "outputs": ["y"]}}})");
  fs::path parent = write("parent.json", R"({"operation": "test.parent", "version": 1, "starts_with": "call",
    "nodes": {"call": {"kind": "call", "operation": "test.child", "inputs": {"x": 21}, "save_as": "child",
                       "on_success": "done"},
              "done": {"kind": "result", "outputs": {"answer": {"var": "child.y"}}}}})");
  CliResult missing = cli({"run", parent.string(), "--json"});
  EXPECT_EQ(missing.exitCode, 2) << "test.child is not loaded";
  EXPECT_NE(missing.err.find("/nodes/call/operation: no operation \"test.child\" is known"), std::string::npos)
      << missing.err;

  CliResult result = cli({"run", parent.string(), "--load", (m_dir / "child.json").string(), "--json"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(Json::parse(result.out)["outputs"]["answer"], 42);
}

// The database-backed run commands: a run parks, a signal carries it to its end, and
// `runs list` / `runs show` give the shapes scripts rely on.
TEST_F(CliTest, RunWaitsThenSignalCompletesItInTheDatabase) {
  std::string db = (m_dir / "opflow.db").string();
  initWithUsers(m_dir, db, {{"ana", "operator"}, {"bob", "operator"}});
  opflow::test::signIn(m_dir, db, "ana");
  CliResult started = cli({"--db", db, "run", "demo.every_kind", "--user", "ana", "--input", "customer=Acme", "--input",
                           "amount=2000", "--json"});
  ASSERT_EQ(started.exitCode, 0) << started.err;
  Json run = Json::parse(started.out);
  EXPECT_EQ(run["state"], "waiting");
  EXPECT_EQ(run["waiting_for"]["signal"], "review");
  std::string id = run["run_id"];

  opflow::test::signIn(m_dir, db, "bob");
  CliResult signalled = cli({"--db", db, "signal", id, "review", "--payload", R"({"approved": true})", "--user", "bob",
                             "--wait", "--json"});
  ASSERT_EQ(signalled.exitCode, 0) << signalled.err;
  Json after = Json::parse(signalled.out);
  EXPECT_EQ(after["run_id"], id);
  EXPECT_EQ(after["state"], "completed");

  CliResult listed = cli({"--db", db, "runs", "list", "--operation", "demo.every_kind", "--json"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  Json runs = Json::parse(listed.out)["runs"];
  ASSERT_EQ(runs.size(), 1u);
  for (const char* key : {"id", "operation", "version", "state", "node", "created_at", "updated_at"}) {
    EXPECT_TRUE(runs[0].contains(key)) << key;
  }
  EXPECT_EQ(runs[0]["state"], "completed");
  CliResult shown = cli({"--db", db, "runs", "show", id, "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  Json detail = Json::parse(shown.out);
  EXPECT_EQ(detail["id"], id);
  EXPECT_GE(detail["steps"].size(), 4u);
  EXPECT_EQ(cli({"--db", db, "resume", "--json"}).exitCode, 0);
}

TEST_F(CliTest, DatabaseRunCommandsRefuseBadInputWithExitTwo) {
  std::string db = (m_dir / "opflow.db").string();
  EXPECT_EQ(cli({"--db", db, "runs", "list"}).exitCode, 2); // no database yet
  opflow::test::initWithUsers(m_dir, db, {});
  opflow::test::signIn(m_dir, db, opflow::test::kTestAdmin);
  EXPECT_EQ(cli({"--db", db, "runs", "list", "--state", "sleeping"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db, "runs", "show", "nope"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db, "signal", "nope", "go"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db, "signal", "nope", "go", "--payload", "{bad"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db, "cancel", "nope"}).exitCode, 2);
  EXPECT_EQ(cli({"--db", db, "decide", "nope", "perhaps"}).exitCode, 2);
  CliResult listed = cli({"--db", db, "runs", "list", "--json"});
  EXPECT_EQ(Json::parse(listed.out)["runs"].size(), 0u);
}

} // namespace
