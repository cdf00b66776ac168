// The test harness itself: single nodes of the shipped operations in isolation, and whole
// runs with stubbed sub-operations whose inputs are asserted.
#include "opflow/builtin/Builtin.h"
#include "opflow/testing/NodeHarness.h"
#include "opflow/testing/OperationHarness.h"

#include <gtest/gtest.h>

namespace {

using opflow::Json;
using opflow::testing::Completion;
using opflow::testing::NodeHarness;
using opflow::testing::OperationHarness;

class HarnessTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(opflow::builtin::registerHandlers(m_handlers).ok());
    ASSERT_TRUE(opflow::builtin::loadDefinitions(m_catalog).ok());
  }

  static opflow::engine::RunContext operatorContext() {
    opflow::engine::RunContext context;
    context.user = "ada";
    context.role = "operator";
    return context;
  }

  opflow::engine::HandlerRegistry m_handlers;
  opflow::engine::OperationCatalog m_catalog{m_handlers};
};

TEST_F(HarnessTest, DecisionShowsItsExitAndNextNode) {
  NodeHarness harness(m_catalog);
  auto run = harness.run("document.prepare_download", "autocad?", Json{{"document", {{"type", "dwg"}}}});
  ASSERT_TRUE(run.ok()) << run.error().describe();
  EXPECT_EQ(run->exit, "true");
  EXPECT_EQ(run->next, "autocad_viewer");
  EXPECT_EQ(run->written, Json::object());

  auto other = harness.run("document.prepare_download", "autocad?", Json{{"document", {{"type", "pdf"}}}});
  EXPECT_EQ(other->exit, "false");
  EXPECT_EQ(other->next, "pdf?");
}

TEST_F(HarnessTest, HandlerExitAndWrittenFields) {
  NodeHarness harness(m_catalog);
  Json data{{"document", {{"name", "plan.dwg"}, {"restricted", true}}}};
  auto denied = harness.run("document.prepare_download", "authorise", data, {}, operatorContext());
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(denied->exit, "denied");
  EXPECT_EQ(denied->next, "refused");
  EXPECT_EQ(denied->written, Json({{"authorised_by", "operator"}}));

  auto supervisor = operatorContext();
  supervisor.role = "supervisor";
  auto allowed = harness.run("document.prepare_download", "authorise", data, {}, supervisor);
  EXPECT_EQ(allowed->exit, "");
  EXPECT_EQ(allowed->next, "autocad?");
}

TEST_F(HarnessTest, HandlerProgressIsRecorded) {
  NodeHarness harness(m_catalog);
  auto run = harness.run("document.prepare_download", "generate_pdf", Json{{"merged_name", "plan-ada"}});
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->written, Json({{"filename", "plan-ada.pdf"}}));
  ASSERT_EQ(run->progress.size(), 2u);
  EXPECT_DOUBLE_EQ(run->progress[0].first, 0.5);
  EXPECT_EQ(run->progress[0].second, "rendering pages");
  EXPECT_DOUBLE_EQ(run->progress[1].first, 1.0);
}

TEST_F(HarnessTest, CallShowsTheInputsItWouldPassAndCanBeCompleted) {
  NodeHarness harness(m_catalog);
  Json data{{"filename", "a.pdf"}};
  auto pending = harness.run("document.prepare_download", "record_activity", data, {}, operatorContext());
  ASSERT_TRUE(pending.ok());
  ASSERT_TRUE(pending->call.has_value());
  EXPECT_EQ(pending->call->first, "document.record_activity");
  EXPECT_EQ(pending->call->second, Json({{"activity", "document_viewed"}, {"filename", "a.pdf"}, {"user", "ada"}}));
  EXPECT_EQ(pending->next, "");

  auto done = harness.run("document.prepare_download", "autocad_viewer", Json{{"document", {{"name", "p.dwg"}}}},
                          Completion::callSucceeds({{"url", "/v/p"}}));
  EXPECT_EQ(done->exit, "success");
  EXPECT_EQ(done->next, "viewer_result");
  EXPECT_EQ(done->written, Json({{"viewer", {{"url", "/v/p"}}}}));
}

TEST_F(HarnessTest, FailedCallTakesTheFailureBranch) {
  NodeHarness harness(m_catalog);
  auto run = harness.run("demo.every_kind", "notify", Json{{"customer", "Acme"}, {"channel", "sms"}, {"price", 5}},
                         Completion::callFails("business_failure", "no phone"));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit, "failure");
  EXPECT_EQ(run->next, "notify_failed");
  EXPECT_EQ(run->data["notification"]["error"]["message"], "no phone");
}

TEST_F(HarnessTest, WaitCompletesBySignalOrTimeout) {
  NodeHarness harness(m_catalog);
  auto pending = harness.run("demo.every_kind", "review", Json::object());
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->waitsFor, "review");

  auto signalled = harness.run("demo.every_kind", "review", Json::object(), Completion::signal({{"approved", true}}));
  EXPECT_EQ(signalled->exit, "signal");
  EXPECT_EQ(signalled->next, "approved?");
  EXPECT_EQ(signalled->written, Json({{"review", {{"approved", true}}}}));

  auto timedOut = harness.run("demo.every_kind", "review", Json::object(), Completion::timeout());
  EXPECT_EQ(timedOut->exit, "timeout");
  EXPECT_EQ(timedOut->next, "no_review");
}

TEST_F(HarnessTest, ResultAndFailEndTheRun) {
  NodeHarness harness(m_catalog);
  auto result = harness.run("demo.every_kind", "done",
                            Json{{"price", 9.5}, {"tier", "small"}, {"notification", {{"delivered", true}}}});
  EXPECT_EQ(result->exit, "completed");
  EXPECT_EQ(*result->outputs, Json({{"price", 9.5}, {"tier", "small"}, {"notified", true}}));

  auto failed = harness.run("demo.every_kind", "rejected", Json{{"review", {{"reason", "late"}}}});
  EXPECT_EQ(failed->exit, "failed");
  ASSERT_TRUE(failed->error.has_value());
  EXPECT_EQ(failed->error->code, "business_failure");
  EXPECT_EQ(failed->error->message, "rejected by the reviewer: late");
  EXPECT_EQ(failed->error->path, std::vector<std::string>{"demo.every_kind/rejected"});
}

TEST_F(HarnessTest, MistakesInTheHarnessCallAreErrors) {
  NodeHarness harness(m_catalog);
  EXPECT_EQ(harness.run("demo.every_kind", "nope", Json::object()).error().code, opflow::ErrorCode::NotFound);
  EXPECT_EQ(harness.run("no.such", "x", Json::object()).error().code, opflow::ErrorCode::NotFound);
  EXPECT_EQ(harness.run("demo.every_kind", "size?", Json{{"amount", 1}}, Completion::timer()).error().code,
            opflow::ErrorCode::InvalidArgument);
}

TEST_F(HarnessTest, StubbedSubOperationRecordsItsInputs) {
  OperationHarness harness(m_catalog);
  harness.stub("demo.notify", {{"delivered", false}, {"channel", "email"}});
  auto outcome = harness.run("demo.every_kind", {{"customer", "Acme"}, {"amount", 50}}, {}, operatorContext());
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  EXPECT_EQ(outcome->run.state, opflow::engine::RunState::Completed);
  EXPECT_EQ(outcome->run.outputs["notified"], false);
  auto calls = harness.callsTo("demo.notify");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], Json({{"customer", "Acme"}, {"channel", "email"}, {"message", "Your quote: 50"}}));
}

TEST_F(HarnessTest, StubbedFailureTakesTheParentsFailureBranch) {
  OperationHarness harness(m_catalog);
  harness.stubFailure("demo.notify", "mail server down");
  auto outcome = harness.run("demo.every_kind", {{"customer", "Acme"}, {"amount", 50}}, {}, operatorContext());
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->run.state, opflow::engine::RunState::Failed);
  EXPECT_EQ(outcome->run.error->message, "could not notify the customer: mail server down");
  EXPECT_EQ(outcome->steps.back().node, "notify_failed");
}

TEST_F(HarnessTest, SignalsReachTheRunsWaits) {
  OperationHarness harness(m_catalog);
  harness.stub("demo.notify", {{"delivered", true}});
  auto outcome = harness.run("demo.every_kind", {{"customer", "Acme"}, {"amount", 5000}},
                             {{"review", Json{{"approved", false}, {"reason", "credit"}}}}, operatorContext());
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->run.error->message, "rejected by the reviewer: credit");
  EXPECT_TRUE(harness.callsTo("demo.notify").empty());
}

TEST_F(HarnessTest, StubbingAnUnknownOperationIsAnError) {
  OperationHarness harness(m_catalog);
  harness.stub("no.such", Json::object());
  EXPECT_EQ(harness.run("demo.notify", Json::object()).error().code, opflow::ErrorCode::NotFound);
}

} // namespace
