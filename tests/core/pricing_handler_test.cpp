// pricing.calculate through a real Engine: the price and its breakdown in the run's data,
// progress per phase with an ETA learned from earlier runs of the node (in memory and on
// a real SQLite store), the "failed" exit retried after a backoff, the "timeout" exit,
// bad arguments, and a cancel in
// pool mode that stops the calculation mid-way. A large speed factor makes each
// calculation take milliseconds; the cancel test runs at speed factor 1, where only the
// stop token can end it in time.
#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/builtin/PricingHandlers.h"
#include "opflow/pricing/PricingService.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

namespace opflow::engine::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kFast = 100'000.0; // a 150 s calculation in 1.5 ms

constexpr double kBackoffS = 30.0;

// Prices an order; a failed calculation is retried after a backoff, twice, before the run
// fails; a timed-out one escalates.
model::OperationDefinition priceOperation() {
  model::ActionNode price;
  price.handler = "pricing.calculate";
  price.with = Json{{"order", var("order")},           {"material", var("material")},
                    {"volume_cm3", var("volume_cm3")}, {"quantity", var("quantity")},
                    {"rush", var("rush")},             {"timeout_s", var("timeout_s")}};
  price.goTo = "priced";
  price.exits = {{"failed", "count_failure"}, {"timeout", "escalate"}};
  return model::OperationBuilder("test.price", 1)
      .input("order", model::InputType::String, {.required = true})
      .input("material", model::InputType::String, {.required = true})
      .input("volume_cm3", model::InputType::Number, {.required = true})
      .input("quantity", model::InputType::Integer, {.defaultValue = 1})
      .input("rush", model::InputType::Boolean, {.defaultValue = false})
      .input("timeout_s", model::InputType::Number, {.defaultValue = builtin::kDefaultPricingTimeoutS})
      .startsWith("price")
      .action("price", price)
      .action("count_failure",
              {.set = {{"failures", Json{{"+", {Json{{"var", {"failures", 0}}}, 1}}}}}, .goTo = "retry?"})
      .decision("retry?", {.condition = Json{{"<", {var("failures"), 3}}}, .ifTrue = "backoff",
                           .ifFalse = "worker_failed"})
      .wait("backoff", {.goTo = "price", .timerS = kBackoffS})
      .result("priced", {.fields = {"price"}})
      .fail("worker_failed", {.reason = var("pricing_error")})
      .result("escalate", {.fields = {"pricing_error"}})
      .build();
}

Json order(Json extra = Json::object()) {
  Json inputs{{"order", "O-1001"}, {"material", "PLA"}, {"volume_cm3", 50.0}};
  inputs.update(extra);
  return inputs;
}

std::vector<ProgressEvent> handlerProgress(const std::vector<ProgressEvent>& events) {
  std::vector<ProgressEvent> result;
  for (const ProgressEvent& event : events) {
    if (!event.structural) {
      result.push_back(event);
    }
  }
  return result;
}

std::int64_t priceStepUs(const RunStore& store, const RunId& runId) {
  for (const StepRecord& step : store.loadSteps(runId)) {
    if (step.node == "price") {
      return step.durationUs;
    }
  }
  ADD_FAILURE() << "run " << runId.str() << " has no price step";
  return 0;
}

// Runs five calculations, then a sixth, and checks that the sixth's first report (at
// fraction 0, when only history can tell) carries the ETA the five taught: their median
// price step less the little time the sixth had spent in the node when it reported.
// `settle` makes the store's history readable (a durable store commits in groups).
void expectEtaLearnedFromHistory(Engine& engine, const RunStore& store, const RecordingListener& listener,
                                 const std::function<void()>& settle) {
  std::vector<std::int64_t> history;
  for (int i = 0; i < 5; ++i) {
    auto id = engine.start({"test.price", std::nullopt, order(), {.user = "ada", .role = "operator"}});
    ASSERT_TRUE(id) << id.error().describe();
    engine.waitUntilIdle();
    std::vector<ProgressEvent> reports = handlerProgress(listener.progress(*id));
    ASSERT_FALSE(reports.empty());
    if (i == 0) {
      EXPECT_FALSE(reports.front().etaMs.has_value()) << "no history and no progress yet: no ETA";
    }
    history.push_back(priceStepUs(store, *id));
  }
  settle();
  std::int64_t medianUs = medianDurationUs(history).value();

  auto id = engine.start({"test.price", std::nullopt, order(), {.user = "ada", .role = "operator"}});
  ASSERT_TRUE(id) << id.error().describe();
  engine.waitUntilIdle();
  std::vector<ProgressEvent> reports = handlerProgress(listener.progress(*id));
  ASSERT_GE(reports.size(), 2u);
  const ProgressEvent& first = reports.front();
  EXPECT_DOUBLE_EQ(first.fraction, 0.0);
  ASSERT_TRUE(first.etaMs.has_value());
  std::int64_t spentUs = priceStepUs(store, *id);
  EXPECT_LE(*first.etaMs * 1000, medianUs + 500);
  EXPECT_GE(*first.etaMs * 1000, medianUs - spentUs - 500);
  for (const ProgressEvent& report : reports) {
    EXPECT_TRUE(report.etaMs.has_value()) << report.message;
  }
  EXPECT_EQ(reports.back().etaMs, 0) << "at fraction 1 nothing is left";
}

class PricingHandlerTest : public EngineFixture {
protected:
  void TearDown() override { m_engine.reset(); } // the engine's workers use the service

  void useService(pricing::PricingOptions options) {
    m_service = std::make_unique<pricing::PricingService>(options);
    ASSERT_TRUE(builtin::registerPricingHandlers(m_handlers, m_service.get()));
    addOperation(priceOperation());
  }

  std::unique_ptr<pricing::PricingService> m_service;
};

TEST_F(PricingHandlerTest, APricedRunWritesThePriceWithABreakdownThatAddsUp) {
  useService({.speedFactor = kFast});
  RunId id = startRun("test.price", order({{"material", "petg"}, {"volume_cm3", 100.0}, {"quantity", 3}, {"rush", true}}));

  RunRecord run = runOf(id);
  ASSERT_EQ(run.state, RunState::Completed);
  EXPECT_THAT(path(id), ElementsAre("price:", "priced:completed"));
  const Json& price = run.outputs["price"];
  auto expected = pricing::quotePrice({pricing::Material::Petg, 100.0, 3, true});
  ASSERT_TRUE(expected);
  EXPECT_EQ(price["cents"], expected->cents);
  EXPECT_EQ(price["currency"], "EUR");
  EXPECT_GE(price["duration_ms"].get<std::int64_t>(), 0);
  std::int64_t sum = 0;
  std::vector<std::string> items;
  for (const Json& line : price["breakdown"]) {
    sum += line["cents"].get<std::int64_t>();
    items.push_back(line["item"]);
    EXPECT_FALSE(line["label"].get<std::string>().empty());
  }
  EXPECT_EQ(sum, expected->cents);
  EXPECT_THAT(items, ElementsAre("setup", "material", "machine_time", "rush"));
}

TEST_F(PricingHandlerTest, ProgressFollowsThePhasesInOrderWithAnEtaOnceThereIsPace) {
  useService({.speedFactor = kFast});
  RunId id = startRun("test.price", order());

  std::vector<ProgressEvent> reports = handlerProgress(m_listener.progress(id));
  std::vector<std::string> messages;
  double last = 0.0;
  for (const ProgressEvent& report : reports) {
    if (messages.empty() || messages.back() != report.message) {
      messages.push_back(report.message);
    }
    EXPECT_GE(report.fraction, last);
    last = report.fraction;
    EXPECT_EQ(report.etaMs.has_value(), report.fraction > 0.0) << "no history: the ETA comes from the pace";
  }
  EXPECT_THAT(messages, ElementsAre("Analysing the mesh", "Generating supports", "Slicing",
                                    "Computing material and machine time", "Preparing the quote",
                                    "Quote ready: EUR 32.58"));
  EXPECT_DOUBLE_EQ(last, 1.0);
  EXPECT_FALSE(engine().runRecord(id)->progress.has_value()) << "progress is live only while the run is in the node";
}

TEST_F(PricingHandlerTest, AFailedCalculationIsRetriedAfterTheBackoff) {
  useService({.speedFactor = kFast, .failureRate = 0.5}); // every second calculation fails
  EXPECT_EQ(runOf(startRun("test.price", order())).state, RunState::Completed);
  RunId id = startRun("test.price", order());
  EXPECT_EQ(runOf(id).state, RunState::Waiting);
  EXPECT_THAT(runOf(id).data["pricing_error"].get<std::string>(), HasSubstr("transient"));

  m_clock.advance(std::chrono::seconds(31));
  engine().fireDueTimers();
  EXPECT_THAT(path(id), ElementsAre("price:failed", "count_failure:", "retry?:true", "backoff:timer", "price:",
                                    "priced:completed"));
  EXPECT_TRUE(runOf(id).outputs["price"]["cents"].is_number_integer());
}

TEST_F(PricingHandlerTest, AWorkerThatKeepsFailingFailsTheRunWithTheReason) {
  useService({.speedFactor = kFast, .failureRate = 1.0});
  RunId id = startRun("test.price", order());
  for (int backoff = 0; backoff < 2; ++backoff) {
    m_clock.advance(std::chrono::seconds(31));
    engine().fireDueTimers();
  }

  RunRecord run = runOf(id);
  EXPECT_THAT(path(id), ElementsAre("price:failed", "count_failure:", "retry?:true", "backoff:timer", "price:failed",
                                    "count_failure:", "retry?:true", "backoff:timer", "price:failed", "count_failure:",
                                    "retry?:false", "worker_failed:failed"));
  ASSERT_EQ(run.state, RunState::Failed);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code, "business_failure");
  EXPECT_THAT(run.error->message, HasSubstr("transient"));
}

TEST_F(PricingHandlerTest, ACalculationPastItsTimeoutLeavesByTheTimeoutExit) {
  useService({.speedFactor = kFast});
  RunId id = startRun("test.price", order({{"timeout_s", 30}})); // the calculation takes 150 s

  RunRecord run = runOf(id);
  EXPECT_THAT(path(id), ElementsAre("price:timeout", "escalate:completed"));
  EXPECT_THAT(run.outputs["pricing_error"].get<std::string>(), HasSubstr("30 s timeout"));
}

TEST_F(PricingHandlerTest, BadArgumentsFailTheRunWithAHandlerError) {
  useService({.speedFactor = kFast});
  RunId wood = startRun("test.price", order({{"material", "WOOD"}}));
  RunId empty = startRun("test.price", order({{"volume_cm3", 0}}));

  for (const auto& [id, expected] : {std::pair{wood, "unknown material \"WOOD\""}, std::pair{empty, "volume"}}) {
    RunRecord run = runOf(id);
    ASSERT_EQ(run.state, RunState::Failed);
    EXPECT_EQ(run.error->code, "handler_error");
    EXPECT_THAT(run.error->message, HasSubstr(expected));
  }
}

TEST_F(PricingHandlerTest, CancelInPoolModeStopsTheCalculationMidWay) {
  useService({}); // speed factor 1: the calculation would take 150 s
  engine({.workers = 2});
  RunId id = startRun("test.price", order());
  ASSERT_TRUE(m_listener.awaitHandlerProgress(id));

  std::optional<RunRecord> live = engine().runRecord(id);
  ASSERT_TRUE(live && live->progress);
  EXPECT_EQ(live->progress->node, "price");
  EXPECT_EQ(live->progress->message, "Analysing the mesh");
  std::vector<RunRecord> active = engine().activeRuns();
  ASSERT_EQ(active.size(), 1u);
  ASSERT_TRUE(active[0].progress);
  EXPECT_EQ(active[0].progress->message, "Analysing the mesh");

  ASSERT_TRUE(engine().cancel(id, {"sam", "supervisor", "ws-2"}));
  ASSERT_TRUE(m_listener.awaitEvent(id, "cancelled"));
  engine().waitUntilIdle();
  EXPECT_EQ(runOf(id).state, RunState::Cancelled);
  EXPECT_THAT(path(id), ElementsAre("price:cancelled"));
  EXPECT_TRUE(engine().activeRuns().empty());
}

TEST_F(PricingHandlerTest, TheEtaIsLearnedFromEarlierRunsOfTheNode) {
  useService({.speedFactor = kFast});
  expectEtaLearnedFromHistory(engine(), m_store, m_listener, [] {});
}

TEST(PricingRegistrationTest, ShippedHandlersIncludePricingWithoutAService) {
  HandlerRegistry registry;
  ASSERT_TRUE(builtin::registerHandlers(registry, {}));
  const HandlerSpec* spec = registry.find("pricing.calculate");
  ASSERT_NE(spec, nullptr);
  EXPECT_THAT(spec->exits, ElementsAre("failed", "timeout"));
  EXPECT_TRUE(spec->idempotent);
}

class PricingOnSqliteTest : public store::test::StoreFixture {};

TEST_F(PricingOnSqliteTest, TheEtaIsLearnedFromEarlierRunsOfTheNode) {
  pricing::PricingService service({.speedFactor = kFast});
  store::SqliteRunStore runs(*store);
  HandlerRegistry handlers;
  ASSERT_TRUE(builtin::registerHandlers(handlers, {.pricing = &service}));
  OperationCatalog catalog(handlers);
  ASSERT_TRUE(catalog.add(priceOperation()));
  RecordingListener listener;
  Engine engine(catalog, runs);
  engine.addListener(listener);
  expectEtaLearnedFromHistory(engine, runs, listener, [&] { ASSERT_TRUE(runs.flush()); });
}

} // namespace
} // namespace opflow::engine::test
