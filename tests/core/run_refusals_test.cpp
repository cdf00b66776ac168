// What the engine refuses at its door, and whom it lets act on a run. The issue found an
// operator cancelling a supervisor's run that waited for the supervisor's signature, a
// payload nested 60,000 levels deep planted in the audit log, inputs with bytes that are
// not UTF-8 aborting the process on the refusal path, and a refused signature restarting
// a 24 h timeout. Each is reproduced against the engine (in memory, and over SQLite
// where what the audit keeps matters).
#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/model/DefinitionJson.h"
#include "opflow/model/DefinitionValidator.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

namespace opflow::engine::test {
namespace {

using model::OperationBuilder;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Parks for signal "go" for up to a day, as an approval waits for a signature.
model::OperationDefinition parked() {
  return OperationBuilder("test.parked", 1)
      .input("note", model::InputType::String)
      .startsWith("wait")
      .wait("wait", {.signal = "go", .saveAs = "payload", .goTo = "done", .timeoutS = 86400.0, .onTimeout = "late"})
      .result("done", {.fields = {"payload"}})
      .fail("late", {.reason = "nobody came"})
      .build();
}

std::string deeplyNested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

class RunRefusalsTest : public EngineFixture {
protected:
  void SetUp() override { addOperation(parked()); }
};

TEST_F(RunRefusalsTest, OnlyTheStarterOrASupervisorCancelsARun) {
  const RunId supervisorsRun = startRun("test.parked", Json::object(), as("sam", "supervisor"));
  Status byOperator = engine().cancel(supervisorsRun, Actor{"olga", "operator", "ws-2"});
  ASSERT_FALSE(byOperator);
  EXPECT_EQ(byOperator.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(byOperator.error().message,
            "olga may cancel only the runs they started: this one was started by sam; a supervisor may cancel it");
  EXPECT_EQ(runOf(supervisorsRun).state, RunState::Waiting) << "the refused cancel changed nothing";
  auto refused = m_store.refusedActions();
  ASSERT_EQ(refused.size(), 1u) << "the refusal reaches the store, which audits it";
  EXPECT_EQ(refused[0].action, "cancel");
  EXPECT_EQ(refused[0].actor.user, "olga");
  EXPECT_EQ(refused[0].runId, supervisorsRun);

  Status byManager = engine().cancel(supervisorsRun, Actor{"maya", "manager", "ws-1"});
  ASSERT_FALSE(byManager);
  EXPECT_THAT(byManager.error().message, HasSubstr("reads and changes nothing"));

  const RunId operatorsRun = startRun("test.parked", Json::object(), as("olga", "operator"));
  EXPECT_TRUE(engine().cancel(operatorsRun, Actor{"olga", "operator", "ws-1"})) << "one's own run";
  EXPECT_TRUE(engine().cancel(supervisorsRun, Actor{"sam", "supervisor", "ws-1"}));
  const RunId another = startRun("test.parked", Json::object(), as("olga", "operator"));
  EXPECT_TRUE(engine().cancel(another, Actor{"sam", "supervisor", "ws-1"})) << "a supervisor cancels anyone's";
  EXPECT_EQ(runOf(another).state, RunState::Cancelled);
  EXPECT_EQ(m_store.refusedActions().size(), 2u);
}

TEST_F(RunRefusalsTest, ThePermissionIsTheSameRuleTheConsoleAsks) {
  RunContext started;
  started.user = "sam";
  EXPECT_FALSE(cancelRefusal(started, {}));
  EXPECT_FALSE(cancelRefusal(started, {"sam", "operator", "ws"}));
  EXPECT_FALSE(cancelRefusal(started, {"sue", "supervisor", "ws"}));
  EXPECT_TRUE(cancelRefusal(started, {"olga", "operator", "ws"}));
  EXPECT_TRUE(cancelRefusal(started, {"ada", "admin", "ws"})) << "admins run the shop's settings, not its runs";
  EXPECT_TRUE(cancelRefusal(started, {"sam", "manager", "ws"}));
}

TEST_F(RunRefusalsTest, APayloadPastTheLimitsIsRefusedAndNeverKept) {
  const RunId run = startRun("test.parked");
  Json deep = Json::parse(deeplyNested(60));
  Status refused = engine().signal(run, "go", deep, Actor{"olga", "operator", "ws-1"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInputs);
  EXPECT_THAT(refused.error().message, HasSubstr("the payload of signal \"go\" was refused: "));
  EXPECT_THAT(refused.error().message, HasSubstr("nested deeper than 32 levels"));
  EXPECT_EQ(runOf(run).state, RunState::Waiting) << "still waiting for a payload it can keep";
  ASSERT_EQ(m_store.refusedActions().size(), 1u);
  EXPECT_EQ(m_store.refusedActions()[0].action, "signal");

  Status notUtf8 = engine().signal(run, "go", Json{{"note", "caf\xe9"}});
  ASSERT_FALSE(notUtf8);
  EXPECT_THAT(notUtf8.error().message, HasSubstr("/note: the text holds byte 0xE9, which is not UTF-8"));
  EXPECT_TRUE(engine().signal(run, "go", Json{{"ok", true}}));
  EXPECT_EQ(runOf(run).state, RunState::Completed);
}

TEST_F(RunRefusalsTest, InputsPastTheLimitsAreRefusedWithoutKeepingThem) {
  auto deep = engine().start({"test.parked", std::nullopt, Json{{"note", Json::parse(deeplyNested(40))}}, as()});
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code, ErrorCode::InvalidInputs);
  EXPECT_THAT(deep.error().message, HasSubstr("the inputs of \"test.parked\" were refused: /note/0/0"));

  auto notUtf8 = engine().start({"test.parked", std::nullopt, Json{{"note", "\xff\xfe"}}, as()});
  ASSERT_FALSE(notUtf8) << "refused, not an uncaught type_error.316 on the way to the audit log";
  EXPECT_THAT(notUtf8.error().message, HasSubstr("/note: the text holds byte 0xFF"));

  auto unknownName = engine().start({"test.\x1b[2Jparked", std::nullopt, Json::object(), as()});
  ASSERT_FALSE(unknownName);
  EXPECT_THAT(unknownName.error().message, HasSubstr("test.\\x1b[2Jparked"));

  auto longName = engine().start({std::string(10'000, 'o'), std::nullopt, Json::object(), as()});
  ASSERT_FALSE(longName);
  EXPECT_THAT(longName.error().message, HasSubstr("its name is too long"));

  const auto rejected = m_store.rejectedStarts();
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[3].operation, std::string(200, 'o') + "\u2026") << "what is kept of a name is short";
  EXPECT_TRUE(rejected[0].inputs.is_null()) << "the refusal names the limit and keeps nothing of what broke it";
  EXPECT_TRUE(rejected[1].inputs.is_null());
  EXPECT_EQ(rejected[2].operation, "test.\\x1b[2Jparked");
}

TEST_F(RunRefusalsTest, TextInputsHoldNoControlCharactersAndHaveALimit) {
  auto escape = engine().start({"test.parked", std::nullopt, Json{{"note", "ok\x1b[2J\x1b[HFAKE ROW"}}, as()});
  ASSERT_FALSE(escape);
  EXPECT_THAT(escape.error().describe(), HasSubstr("/inputs/note: holds a control character U+001B (at byte 2)"));
  auto huge = engine().start({"test.parked", std::nullopt, Json{{"note", std::string(5000, 'x')}}, as()});
  ASSERT_FALSE(huge);
  EXPECT_THAT(huge.error().describe(), HasSubstr("has 5000 characters, over the limit of 4096"));
  EXPECT_TRUE(engine().start({"test.parked", std::nullopt, Json{{"note", "two lines\n\tindented"}}, as()}));
}

// A wait that keeps its deadline when the flowchart loops back to it: a refused signature
// asks again, within the same day.
model::OperationDefinition askedAgain(bool keepDeadline) {
  model::WaitNode wait{.signal = "signature", .saveAs = "offered", .goTo = "check", .timeoutS = 86400.0,
                       .onTimeout = "late"};
  if (keepDeadline) {
    wait.deadlineAs = "signature_due";
  }
  return OperationBuilder(keepDeadline ? "test.kept" : "test.restarted", 1)
      .startsWith("ask")
      .wait("ask", wait)
      .decision("check", {.condition = Json{{"var", "offered.good"}}, .ifTrue = "done", .ifFalse = "ask"})
      .result("done", {.fields = {"offered"}})
      .fail("late", {.reason = "no signature within a day"})
      .build();
}

TEST_F(RunRefusalsTest, AWaitEnteredAgainKeepsTheDeadlineItSaved) {
  addOperation(askedAgain(true));
  addOperation(askedAgain(false));
  const RunId kept = startRun("test.kept");
  const RunId restarted = startRun("test.restarted");
  const TimePoint firstDeadline = *runOf(kept).wakeAt;
  EXPECT_EQ(runOf(kept).data["signature_due"],
            std::chrono::duration_cast<std::chrono::milliseconds>(firstDeadline.time_since_epoch()).count());

  for (int refusal = 0; refusal < 3; ++refusal) {
    m_clock.advance(std::chrono::hours(5));
    ASSERT_TRUE(engine().signal(kept, "signature", Json{{"good", false}}));
    ASSERT_TRUE(engine().signal(restarted, "signature", Json{{"good", false}}));
  }
  EXPECT_EQ(*runOf(kept).wakeAt, firstDeadline) << "three refusals later, the same day ends at the same time";
  EXPECT_EQ(*runOf(restarted).wakeAt, m_clock.now() + 24h) << "without deadline_as each entry starts a new day";

  m_clock.advance(std::chrono::hours(10));
  engine().fireDueTimers();
  EXPECT_EQ(runOf(kept).state, RunState::Failed) << "the day ran out: 15 h of refusals plus 10 h";
  EXPECT_EQ(runOf(restarted).state, RunState::Waiting);
}

// The problems of a definition read from `text`, one "pointer: message" a line.
std::string problemsOf(const std::string& text) {
  auto loaded = model::definitionFromText(text);
  EXPECT_TRUE(loaded) << loaded.error().describe();
  if (!loaded) {
    return {};
  }
  HandlerRegistry handlers;
  model::DefinitionValidator validator(handlers, [](const std::string&) { return false; });
  std::string lines;
  for (const Problem& problem : validator.validate(*loaded)) {
    lines += problem.pointer + ": " + problem.message + "\n";
  }
  return lines;
}

TEST(DeadlineDeclarationTest, DeadlineAsIsAFieldKeptForATimeoutOrTimer) {
  EXPECT_THAT(problemsOf(R"({"operation": "t", "version": 1, "starts_with": "w",
    "nodes": {"w": {"kind": "wait", "signal": "s", "go_to": "d", "deadline_as": "due"},
              "d": {"kind": "result", "outputs": []}}})"),
              HasSubstr("/nodes/w/deadline_as: keeps the deadline of timer_s or timeout_s, and this wait has neither"));
  EXPECT_THAT(problemsOf(R"({"operation": "t", "version": 1, "starts_with": "w",
    "nodes": {"w": {"kind": "wait", "timer_s": 5, "go_to": "d", "deadline_as": "a.b"},
              "d": {"kind": "result", "outputs": []}}})"),
              HasSubstr("/nodes/w/deadline_as: names a field of the run's data itself, without dots"));
  EXPECT_THAT(problemsOf(R"({"operation": "t", "version": 1, "starts_with": "w",
    "nodes": {"w": {"kind": "wait", "timer_s": 1e300, "go_to": "d"}, "d": {"kind": "result", "outputs": []}}})"),
              HasSubstr("/nodes/w/timer_s: must be at most 315360000 seconds (ten years), not 1e+300"))
      << "a clock cannot add 1e300 seconds";
  EXPECT_EQ(problemsOf(R"({"operation": "t", "version": 1, "starts_with": "w",
    "nodes": {"w": {"kind": "wait", "signal": "s", "timeout_s": 60, "on_timeout": "d", "go_to": "d",
                    "deadline_as": "due"}, "d": {"kind": "result", "outputs": []}}})"),
            "");
}

// Over SQLite: what the audit log keeps of each refusal.
class RunRefusalsAuditTest : public store::test::StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    runs = std::make_unique<store::SqliteRunStore>(*store);
    ASSERT_TRUE(catalog.add(parked()));
    engine = std::make_unique<Engine>(catalog, *runs, EngineOptions{.clock = &clock});
  }

  std::vector<store::AuditEntry> audited(const std::string& action) {
    EXPECT_TRUE(runs->flush());
    auto db = reader();
    store::AuditQuery query;
    query.action = action;
    auto entries = store::queryAudit(*db, query);
    EXPECT_TRUE(entries);
    return entries ? *entries : std::vector<store::AuditEntry>{};
  }

  HandlerRegistry handlers;
  OperationCatalog catalog{handlers};
  ManualClock clock;
  std::unique_ptr<store::SqliteRunStore> runs;
  std::unique_ptr<Engine> engine;
};

TEST_F(RunRefusalsAuditTest, EachRefusalIsAuditedWithTheLimitNotTheBytes) {
  RunContext olga{"olga", "operator", "ws-1", "", {}, {}};
  auto refusedStart = engine->start({"test.parked", std::nullopt, Json{{"note", "caf\xe9"}}, olga});
  ASSERT_FALSE(refusedStart);
  auto started = engine->start({"test.parked", std::nullopt, Json{{"note", "fine"}}, olga});
  ASSERT_TRUE(started);
  Json deep = Json::array();
  Json* inner = &deep;
  for (int level = 0; level < 60'000; ++level) {
    *inner = Json::array({Json::array()});
    inner = &(*inner)[0];
  }
  ASSERT_FALSE(engine->signal(*started, "go", std::move(deep), {"olga", "operator", "ws-1"}));
  ASSERT_FALSE(engine->cancel(*started, {"omar", "operator", "ws-2"}));

  auto runRefused = audited("run.refused");
  ASSERT_EQ(runRefused.size(), 1u);
  EXPECT_TRUE(runRefused[0].after["inputs"].is_null());
  EXPECT_THAT(runRefused[0].reason, HasSubstr("/note: the text holds byte 0xE9"));
  auto signalRefused = audited("run.signal_refused");
  ASSERT_EQ(signalRefused.size(), 1u);
  EXPECT_EQ(signalRefused[0].user, "olga");
  EXPECT_EQ(signalRefused[0].subjectId, started->str());
  EXPECT_THAT(signalRefused[0].reason, HasSubstr("nested deeper than 32 levels"));
  EXPECT_LT(store::canonicalJson(signalRefused[0]).size(), 2000u) << "the entry is small: the payload is not in it";
  auto cancelRefused = audited("run.cancel_refused");
  ASSERT_EQ(cancelRefused.size(), 1u);
  EXPECT_EQ(cancelRefused[0].user, "omar");
  EXPECT_EQ(cancelRefused[0].workstation, "ws-2");
  EXPECT_THAT(cancelRefused[0].reason, HasSubstr("omar may cancel only the runs they started"));
  auto db = reader();
  auto verified = store::verifyAudit(*db);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->chainIntact);
}

} // namespace
} // namespace opflow::engine::test
