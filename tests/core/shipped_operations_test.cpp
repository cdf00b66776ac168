// The shipped operations end to end on the real engine: each branch of the seed's
// download flow and of the every-kind demo.
#include "opflow/builtin/Builtin.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/InMemoryRunStore.h"

#include <gtest/gtest.h>

namespace {

using opflow::Json;
using namespace opflow::engine;

class ShippedOperationsTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(opflow::builtin::registerHandlers(m_handlers).ok());
    ASSERT_TRUE(opflow::builtin::loadDefinitions(m_catalog).ok());
  }

  RunRecord run(const std::string& operation, Json inputs, const std::string& role = "operator") {
    RunContext context;
    context.user = "ada";
    context.role = role;
    auto started = m_engine.start({operation, std::nullopt, std::move(inputs), context});
    EXPECT_TRUE(started.ok()) << started.error().describe();
    m_lastRun = started.ok() ? started.value() : RunId();
    return started.ok() ? *m_store.loadRun(started.value()) : RunRecord{};
  }

  std::vector<std::string> path(const RunId& id) const {
    std::vector<std::string> nodes;
    for (const StepRecord& step : m_store.loadSteps(id)) {
      nodes.push_back(step.node);
    }
    return nodes;
  }

  HandlerRegistry m_handlers;
  OperationCatalog m_catalog{m_handlers};
  InMemoryRunStore m_store;
  ManualClock m_clock;
  Engine m_engine{m_catalog, m_store, EngineOptions{.clock = &m_clock}};
  RunId m_lastRun;
};

TEST_F(ShippedOperationsTest, EveryShippedOperationIsCatalogued) {
  for (const char* name : {"document.prepare_download", "document.send_to_viewer", "document.record_activity",
                           "demo.every_kind", "demo.notify"}) {
    EXPECT_TRUE(m_catalog.contains(name)) << name;
  }
}

TEST_F(ShippedOperationsTest, AutocadDrawingsGoThroughTheViewer) {
  RunRecord record = run("document.prepare_download", {{"document", {{"name", "plan.dwg"}, {"type", "dwg"}}}});
  EXPECT_EQ(record.state, RunState::Completed);
  EXPECT_EQ(record.outputs, Json({{"url", "/viewer/autocad/plan.dwg"}, {"filename", "plan.dwg"}}));
  EXPECT_EQ(path(record.id), (std::vector<std::string>{"authorise", "autocad?", "autocad_viewer", "viewer_result"}));
}

TEST_F(ShippedOperationsTest, PdfsAreServedAsTheyAre) {
  RunRecord record = run("document.prepare_download",
                         {{"document", {{"name", "spec.pdf"}, {"type", "pdf"}}}, {"use_inline_viewer", true}});
  EXPECT_EQ(record.outputs, Json({{"url", "/viewer/spec.pdf"}, {"filename", "spec.pdf"}}));
  EXPECT_EQ(path(record.id), (std::vector<std::string>{"authorise", "autocad?", "pdf?", "use_original",
                                                       "record_activity", "inline?", "inline_url"}));
}

TEST_F(ShippedOperationsTest, DynamicDocumentsAreMergedAndRendered) {
  Json document{{"name", "offer.docx"}, {"type", "docx"}, {"dynamic", true}};
  RunRecord rendered = run("document.prepare_download", {{"document", document}, {"use_dynamic_document_generator", true}});
  EXPECT_EQ(rendered.outputs["filename"], "offer.docx-ada.pdf");
  EXPECT_EQ(path(rendered.id)[6], "generate_pdf");

  document["cached"] = true;
  RunRecord cached = run("document.prepare_download", {{"document", document}, {"use_dynamic_document_generator", true}});
  EXPECT_EQ(cached.outputs["filename"], "offer.docx-ada.pdf");
  EXPECT_EQ(path(cached.id)[6], "use_cached_pdf");

  RunRecord direct = run("document.prepare_download", {{"document", document}});
  EXPECT_EQ(direct.outputs, Json({{"url", "/download/offer.docx"}, {"filename", "offer.docx"}}));
}

TEST_F(ShippedOperationsTest, RestrictedDocumentsAreRefusedToOperators) {
  Json inputs{{"document", {{"name", "secret.pdf"}, {"type", "pdf"}, {"restricted", true}}}};
  RunRecord refused = run("document.prepare_download", inputs);
  EXPECT_EQ(refused.state, RunState::Failed);
  EXPECT_EQ(refused.error->code, "business_failure");
  EXPECT_EQ(refused.error->message, "download of secret.pdf refused for ada");

  RunRecord allowed = run("document.prepare_download", inputs, "supervisor");
  EXPECT_EQ(allowed.state, RunState::Completed);
}

TEST_F(ShippedOperationsTest, SmallOrdersAreQuotedAndNotifiedWithoutReview) {
  RunRecord record = run("demo.every_kind", {{"customer", "Acme"}, {"amount", 40}, {"rush", true}});
  EXPECT_EQ(record.state, RunState::Waiting) << "the settle timer holds it";
  EXPECT_EQ(record.currentNode, "settle");
  m_clock.advance(std::chrono::milliseconds(50));
  m_engine.fireDueTimers();
  RunRecord done = *m_store.loadRun(record.id);
  EXPECT_EQ(done.state, RunState::Completed);
  EXPECT_EQ(done.outputs, Json({{"price", 60.0}, {"tier", "small"}, {"notified", true}}));
}

TEST_F(ShippedOperationsTest, UnreachableCustomersFailTheNotification) {
  RunRecord record = run("demo.every_kind", {{"customer", "Acme"}, {"amount", 150}, {"channel", "none"}});
  EXPECT_EQ(record.state, RunState::Failed);
  EXPECT_EQ(record.error->message, "could not notify the customer: the customer has no channel to be reached on");
}

TEST_F(ShippedOperationsTest, LargeOrdersWaitForAReviewAndTimeOut) {
  RunRecord record = run("demo.every_kind", {{"customer", "Acme"}, {"amount", 5000}});
  EXPECT_EQ(record.state, RunState::Waiting);
  EXPECT_EQ(record.awaitedSignal, "review");
  m_clock.advance(std::chrono::minutes(59));
  m_engine.fireDueTimers();
  EXPECT_EQ(m_store.loadRun(record.id)->state, RunState::Waiting);
  m_clock.advance(std::chrono::minutes(2));
  m_engine.fireDueTimers();
  RunRecord timedOut = *m_store.loadRun(record.id);
  EXPECT_EQ(timedOut.state, RunState::Failed);
  EXPECT_EQ(timedOut.error->message, "no review within an hour");
}

} // namespace
