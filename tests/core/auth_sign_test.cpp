// The shipped sub-operation auth.sign end to end on the real engine over a real SQLite
// store, with real users and argon2id: a parent operation calls it, the run waits for a
// signature, a refused one (another run's, another meaning, a role that does not count)
// sends it back to waiting with the refusal audited, a good one completes it with the
// signature in its outputs, and a day without one fails it (no_signature). Each node's
// branches also run in isolation through the node harness.
#include "TestSupport.h"
#include "UserTestSupport.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/engine/RunFeeder.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/store/SignatureStore.h"
#include "opflow/store/SqliteRunStore.h"
#include "opflow/store/UtcTime.h"
#include "opflow/testing/NodeHarness.h"

#include <gmock/gmock.h>

namespace opflow::engine::test {
namespace {

using domain::Role;
using ::testing::HasSubstr;

constexpr const char* kMeaning = "approved for manufacturing";

// A parent that needs a supervisor's signature, the way the lifecycle operations do.
constexpr const char* kApprove = R"({
  "operation": "test.approve", "version": 1,
  "inputs": {"order": {"type": "string", "required": true}},
  "starts_with": "sign",
  "nodes": {
    "sign": {"kind": "call", "operation": "auth.sign",
             "inputs": {"meaning": "approved for manufacturing", "order": {"var": "order"}},
             "save_as": "approval", "on_success": "done", "on_failure": "unsigned"},
    "done": {"kind": "result", "outputs": {"signature": {"var": "approval.signature"}}},
    "unsigned": {"kind": "fail", "reason": {"cat": ["not signed: ", {"var": "approval.error.message"}]}}
  }
})";

class AuthSignTest : public store::test::UserFixture {
protected:
  void SetUp() override {
    UserFixture::SetUp();
    signatures = std::make_unique<store::SignatureStore>(*store, *users);
    ASSERT_TRUE(builtin::registerHandlers(handlers, {nullptr, signatures.get()}));
    ASSERT_TRUE(builtin::loadDefinitions(catalog));
    auto approve = model::definitionFromText(kApprove);
    ASSERT_TRUE(approve) << approve.error().describe();
    ASSERT_TRUE(catalog.add(std::move(*approve)));
    runs = std::make_unique<store::SqliteRunStore>(*store);
    engine = std::make_unique<Engine>(catalog, *runs, EngineOptions{.clock = &clock});
    addUser("sam", Role::Supervisor);
    addUser("ana", Role::Operator);
  }

  void TearDown() override {
    engine.reset();
    EXPECT_TRUE(runs->flush());
  }

  // Starts test.approve as ana; the parent waits on the auth.sign sub-run, which waits.
  RunId startApproval() {
    auto started = engine->start({"test.approve", std::nullopt, Json{{"order", "ORD-000042"}},
                                  RunContext{"ana", "operator", "ws-1", "corr-9", {}, {}}});
    EXPECT_TRUE(started) << started.error().describe();
    return started ? *started : RunId();
  }

  RunRecord runOf(const RunId& id) const { return runs->loadRun(id).value_or(RunRecord{}); }

  // The auth.sign run the parent waits for.
  RunRecord signingRun(const RunId& parent) const {
    RunRecord leaf = waitingLeaf(*runs, runOf(parent));
    EXPECT_EQ(leaf.operation, "auth.sign");
    return leaf;
  }

  std::string sign(const std::string& user, const std::string& subjectId, const std::string& meaning = kMeaning) {
    auto signature = signatures->sign({user, user + "-password", meaning, "run", subjectId, "ws-1", "", ""});
    EXPECT_TRUE(signature) << signature.error().describe();
    return signature ? signature->id : std::string();
  }

  Status offer(const RunId& parent, const std::string& signatureId) {
    return engine->signal(parent, "signature", Json{{"signature_id", signatureId}}, Actor{"sam", "supervisor", "ws-1"});
  }

  std::vector<std::string> path(const RunId& id) const {
    std::vector<std::string> result;
    for (const StepRecord& step : runs->loadSteps(id)) {
      result.push_back(step.node + ":" + step.exit);
    }
    return result;
  }

  HandlerRegistry handlers;
  OperationCatalog catalog{handlers};
  ManualClock clock;
  std::unique_ptr<store::SignatureStore> signatures;
  std::unique_ptr<store::SqliteRunStore> runs;
  std::unique_ptr<Engine> engine;
};

TEST_F(AuthSignTest, ASupervisorsSignatureCompletesTheRunWithTheSignatureInItsOutputs) {
  RunId parent = startApproval();
  RunRecord waiting = signingRun(parent);
  EXPECT_EQ(waiting.state, RunState::Waiting);
  EXPECT_EQ(waiting.awaitedSignal, "signature");
  EXPECT_EQ(waiting.inputs["meaning"], kMeaning);
  EXPECT_EQ(waiting.inputs["roles"], Json::array({"supervisor"})) << "the default";

  std::string id = sign("sam", waiting.id.str());
  ASSERT_TRUE(offer(parent, id));
  RunRecord done = runOf(parent);
  ASSERT_EQ(done.state, RunState::Completed) << (done.error ? done.error->describe() : "");
  auto signature = signatures->get(id);
  ASSERT_TRUE(signature);
  EXPECT_EQ(done.outputs["signature"], (Json{{"id", id}, {"signer", "sam"}, {"role", "supervisor"},
                                             {"meaning", kMeaning}, {"at", store::formatUtcMs(signature->atMs)}}));
  EXPECT_EQ(path(waiting.id),
            (std::vector<std::string>{"await_signature:signal", "check_signature:", "signed:completed"}));
  EXPECT_EQ(runOf(waiting.id).data["offered"], (Json{{"signature_id", id}})) << "only the id enters the run";
}

TEST_F(AuthSignTest, RefusedSignaturesSendTheRunBackToWaitingWithTheReasonAudited) {
  RunId parent = startApproval();
  RunId other = startApproval();
  std::string signing = signingRun(parent).id.str();

  ASSERT_TRUE(offer(parent, sign("sam", signingRun(other).id.str())));
  RunRecord afterOtherRun = runOf(parent);
  EXPECT_EQ(afterOtherRun.state, RunState::Waiting);
  EXPECT_THAT(runOf(RunId(signing)).data["signature_refusal"].get<std::string>(),
              HasSubstr("not on this run " + signing));

  ASSERT_TRUE(offer(parent, sign("sam", signing, "order closed")));
  EXPECT_THAT(runOf(RunId(signing)).data["signature_refusal"].get<std::string>(),
              HasSubstr("means \"order closed\", not \"approved for manufacturing\""));

  ASSERT_TRUE(offer(parent, sign("ana", signing)));
  EXPECT_THAT(runOf(RunId(signing)).data["signature_refusal"].get<std::string>(),
              HasSubstr("ana signed as an operator; this needs the signature of: supervisor"));

  ASSERT_TRUE(offer(parent, "made-up"));
  EXPECT_EQ(runOf(parent).state, RunState::Waiting);

  ASSERT_TRUE(offer(parent, sign("sam", signing)));
  EXPECT_EQ(runOf(parent).state, RunState::Completed);
  EXPECT_EQ(path(RunId(signing)),
            (std::vector<std::string>{"await_signature:signal", "check_signature:refused", "await_signature:signal",
                                      "check_signature:refused", "await_signature:signal", "check_signature:refused",
                                      "await_signature:signal", "check_signature:refused", "await_signature:signal",
                                      "check_signature:", "signed:completed"}));

  auto rejected = audited("signature.rejected");
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].user, "ana") << "who ran the flowchart that checked it";
  EXPECT_EQ(rejected[0].subjectId, signing);
  EXPECT_EQ(rejected[0].orderNumber, "ORD-000042");
  EXPECT_EQ(rejected[0].correlationId, "corr-9");
}

TEST_F(AuthSignTest, ADisabledSignersSignatureNoLongerCounts) {
  RunId parent = startApproval();
  std::string signing = signingRun(parent).id.str();
  std::string id = sign("sam", signing);
  ASSERT_TRUE(users->disable("sam", asAdmin()));
  ASSERT_TRUE(offer(parent, id));
  EXPECT_EQ(runOf(parent).state, RunState::Waiting);
  EXPECT_THAT(runOf(RunId(signing)).data["signature_refusal"].get<std::string>(), HasSubstr("disabled"));
}

TEST_F(AuthSignTest, ADayWithoutASignatureFailsTheRun) {
  RunId parent = startApproval();
  clock.advance(std::chrono::hours(23));
  engine->fireDueTimers();
  EXPECT_EQ(runOf(parent).state, RunState::Waiting);
  clock.advance(std::chrono::hours(1) + std::chrono::seconds(1));
  engine->fireDueTimers();
  RunRecord failed = runOf(parent);
  ASSERT_EQ(failed.state, RunState::Failed);
  EXPECT_EQ(failed.error->message, "not signed: no_signature");
}

TEST_F(AuthSignTest, EachNodeBranchesAsDrawn) {
  opflow::testing::NodeHarness harness(catalog);
  RunContext context{"ana", "operator", "ws-1", "corr-9", RunId("run-h"), {}};
  Json inputs{{"meaning", kMeaning}, {"roles", Json::array({"supervisor"})}};

  auto offered = harness.run("auth.sign", "await_signature", inputs,
                             opflow::testing::Completion::signal(Json{{"signature_id", "sig-1"}}), context);
  ASSERT_TRUE(offered) << offered.error().describe();
  EXPECT_EQ(offered->next, "check_signature");
  EXPECT_EQ(offered->written, (Json{{"offered", {{"signature_id", "sig-1"}}}}));
  auto late = harness.run("auth.sign", "await_signature", inputs, opflow::testing::Completion::timeout(), context);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->next, "no_signature");

  Json data = inputs;
  data["offered"] = Json{{"signature_id", sign("sam", "run-h")}};
  auto accepted = harness.run("auth.sign", "check_signature", data, {}, context);
  ASSERT_TRUE(accepted) << accepted.error().describe();
  EXPECT_EQ(accepted->next, "signed");
  EXPECT_EQ(accepted->written["signature"]["signer"], "sam");
  data["offered"] = Json{{"signature_id", sign("ana", "run-h")}};
  auto refused = harness.run("auth.sign", "check_signature", data, {}, context);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->exit, "refused");
  EXPECT_EQ(refused->next, "await_signature");
  EXPECT_THAT(refused->written["signature_refusal"].get<std::string>(), HasSubstr("ana signed as an operator"));

  auto failed = harness.run("auth.sign", "no_signature", inputs, {}, context);
  ASSERT_TRUE(failed);
  ASSERT_TRUE(failed->error);
  EXPECT_EQ(failed->error->message, "no_signature");
}

TEST(AuthSignWithoutDatabaseTest, TheHandlerSaysItNeedsAWorkstationDatabase) {
  HandlerRegistry handlers;
  ASSERT_TRUE(builtin::registerHandlers(handlers));
  OperationCatalog catalog{handlers};
  ASSERT_TRUE(builtin::loadDefinitions(catalog)) << "auth.sign validates without a database";
  InMemoryRunStore store;
  Engine engine(catalog, store);
  auto started = engine.start(
      {"auth.sign", std::nullopt, Json{{"meaning", kMeaning}}, RunContext{"ana", "operator", "ws-1", "", {}, {}}});
  ASSERT_TRUE(started) << started.error().describe();
  ASSERT_TRUE(engine.signal(*started, "signature", Json{{"signature_id", "x"}}));
  RunRecord failed = *store.loadRun(*started);
  ASSERT_EQ(failed.state, RunState::Failed);
  EXPECT_THAT(failed.error->message, HasSubstr("signature.verify needs a workstation database"));
}

} // namespace
} // namespace opflow::engine::test
