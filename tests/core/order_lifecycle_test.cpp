// One order's whole life, INITIATED to CLOSED, through the engine on a real workstation
// database: every step a run of its shipped operation by a person with a role, real
// users and argon2id signatures (the signature's id given as the signal auth.sign waits
// for), the simulated pricing worker at a high speed factor, and the audit trail and
// order history it leaves. Then the refusals a shop meets: the wrong role, the wrong
// status, a bad file, a bad tracking number, a held order, a wrong password; and the price
// calculation's progress and ETA, retries, timeout escalation and cancel (timers on a
// manual clock).
#include "UserTestSupport.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/builtin/Builtin.h"
#include "opflow/engine/Engine.h"
#include "opflow/pricing/PricingService.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/SignatureStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

#include <fstream>
#include <mutex>

namespace opflow::store::test {
namespace {

using domain::HoldReason;
using domain::OrderStatus;
using engine::RunRecord;
using engine::RunState;
using ::testing::HasSubstr;

const std::filesystem::path kModels = std::filesystem::path(OPFLOW_FIXTURES_DIR) / "models";

// Pricing at 10,000 times real speed: a 2-3 minute calculation takes about 15 ms.
constexpr double kPricingSpeed = 10'000;

// The handlers' progress reports (not the structural ones) of the runs it hears of.
class ProgressLog final : public engine::RunListener {
public:
  void onProgress(const engine::ProgressEvent& event) override {
    if (!event.structural) {
      std::lock_guard lock(m_mutex);
      m_events.push_back(event);
    }
  }

  std::vector<engine::ProgressEvent> of(const engine::RunId& run) const {
    std::lock_guard lock(m_mutex);
    std::vector<engine::ProgressEvent> events;
    for (const engine::ProgressEvent& event : m_events) {
      if (event.runId == run) {
        events.push_back(event);
      }
    }
    return events;
  }

private:
  mutable std::mutex m_mutex;
  std::vector<engine::ProgressEvent> m_events;
};

class OrderLifecycleTest : public UserFixture {
protected:
  void SetUp() override {
    UserFixture::SetUp();
    addUser("ada", domain::Role::Operator);
    addUser("otto", domain::Role::Operator);
    addUser("grace", domain::Role::Supervisor);
    addUser("mona", domain::Role::Manager);
    orders = std::make_unique<OrderStore>(*store);
    signatures = std::make_unique<SignatureStore>(*store, *users);
    runs = std::make_unique<SqliteRunStore>(*store);
    open({kPricingSpeed, 0.0});
  }

  void TearDown() override {
    engine.reset();
    EXPECT_TRUE(runs->flush());
  }

  // (Re)builds the handlers, the catalog and the engine around a pricing worker.
  void open(pricing::PricingOptions options) {
    engine.reset();
    pricingService = std::make_unique<pricing::PricingService>(options);
    handlers = std::make_unique<engine::HandlerRegistry>();
    catalog = std::make_unique<engine::OperationCatalog>(*handlers);
    builtin::Services services;
    services.orders = orders.get();
    services.signatures = signatures.get();
    services.pricing = pricingService.get();
    ASSERT_TRUE(builtin::registerHandlers(*handlers, services));
    auto loaded = builtin::loadDefinitions(*catalog);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    engine = std::make_unique<engine::Engine>(*catalog, *runs, engine::EngineOptions{.clock = &clock});
  }

  static engine::RunContext as(const std::string& user, const std::string& role) {
    engine::RunContext context;
    context.user = user;
    context.role = role;
    context.workstation = "ws-7";
    return context;
  }

  // Starts `operation`; the run as it ended or parked.
  RunRecord run(const std::string& operation, Json inputs, const engine::RunContext& context) {
    auto started = engine->start({operation, std::nullopt, std::move(inputs), context});
    EXPECT_TRUE(started) << operation << ": " << started.error().describe();
    return started ? *runs->loadRun(*started) : RunRecord{};
  }

  RunRecord reload(const RunRecord& record) { return *runs->loadRun(record.id); }

  // `signer` signs, with `password`, what the auth.sign run that `waiting` waits on asks
  // for, as the console does; the signature's id, empty when the password check refused it.
  std::string offerSignature(const RunRecord& waiting, const std::string& signer, const std::string& password) {
    auto signing = auth::runAwaitingSignature(*runs, waiting.id);
    EXPECT_TRUE(signing) << waiting.operation << " waits for no signature";
    if (!signing) {
      return {};
    }
    auto given = auth::signForRun(*engine, *signatures, waiting.id, *signing, {signer, password}, "ws-7");
    return given ? given->id : std::string();
  }

  // The signature a supervisor gives when the run asks for one.
  RunRecord sign(const RunRecord& waiting, const std::string& signer) {
    EXPECT_EQ(waiting.state, RunState::Waiting) << waiting.operation;
    EXPECT_FALSE(offerSignature(waiting, signer, signer + "-password").empty());
    return reload(waiting);
  }

  // An order moved by operations to SUBMITTED.
  std::string submittedOrder() {
    RunRecord created = run("order.create", {{"customer", "Initech"}, {"material", "PLA"}}, ada);
    std::string number = created.outputs["order"].get<std::string>();
    expectCompleted(run("order.upload_file", {{"order", number}, {"path", (kModels / "cube_10mm.obj").string()}}, ada));
    expectCompleted(run("order.submit", {{"order", number}}, ada));
    return number;
  }

  // Lets `seconds` pass on the engine's clock.
  void elapse(int seconds) {
    clock.advance(std::chrono::seconds(seconds));
    engine->fireDueTimers();
  }

  static void expectCompleted(const RunRecord& record) {
    EXPECT_EQ(record.state, RunState::Completed)
        << record.operation << ": " << (record.error ? record.error->describe() : engine::toString(record.state));
  }

  std::vector<AuditEntry> audit(const std::string& number, const std::string& action = "") {
    EXPECT_TRUE(runs->flush());
    auto db = reader();
    AuditQuery query;
    query.orderNumber = number;
    query.action = action;
    query.limit = 0;
    auto entries = queryAudit(*db, query);
    EXPECT_TRUE(entries) << entries.error().describe();
    return entries ? *entries : std::vector<AuditEntry>{};
  }

  // An order created and moved by operations up to MANUFACTURING_APPROVED.
  std::string approvedOrder() {
    std::string number = submittedOrder();
    expectCompleted(run("order.calculate_price", {{"order", number}}, ada));
    RunRecord approval = run("order.approve_manufacturing", {{"order", number}}, grace);
    if (approval.state == RunState::Waiting) {
      approval = sign(approval, "grace");
    }
    expectCompleted(approval);
    return number;
  }

  const engine::RunContext ada = as("ada", "operator");
  const engine::RunContext grace = as("grace", "supervisor");
  const engine::RunContext mona = as("mona", "manager");

  engine::ManualClock clock;
  std::unique_ptr<OrderStore> orders;
  std::unique_ptr<SignatureStore> signatures;
  std::unique_ptr<SqliteRunStore> runs;
  std::unique_ptr<pricing::PricingService> pricingService;
  std::unique_ptr<engine::HandlerRegistry> handlers;
  std::unique_ptr<engine::OperationCatalog> catalog;
  std::unique_ptr<engine::Engine> engine;
};

TEST_F(OrderLifecycleTest, OneOrderFromInitiatedToClosed) {
  RunRecord created = run("order.create", {{"customer", "Acme Fabrication"}, {"material", "STEEL"}, {"quantity", 20},
                                           {"rush", true}},
                          ada);
  expectCompleted(created);
  std::string number = created.outputs["order"].get<std::string>();
  EXPECT_EQ(created.outputs["priority"], 3);

  RunRecord uploaded =
      run("order.upload_file", {{"order", number}, {"path", (kModels / "box_20x10x10mm_ascii.stl").string()}}, ada);
  expectCompleted(uploaded);
  EXPECT_EQ(uploaded.outputs["volume_cm3"], 2.0);
  EXPECT_EQ(uploaded.outputs["volume_exact"], true);

  expectCompleted(run("order.submit", {{"order", number}}, ada));

  RunRecord priced = run("order.calculate_price", {{"order", number}}, ada);
  expectCompleted(priced);
  std::int64_t cents = priced.outputs["price_cents"].get<std::int64_t>();
  EXPECT_GT(cents, 50000) << "twenty steel parts are over the approval threshold";

  RunRecord approval = run("order.approve_manufacturing", {{"order", number}}, grace);
  ASSERT_EQ(approval.state, RunState::Waiting) << "the signature is asked for";
  approval = sign(approval, "grace");
  expectCompleted(approval);
  EXPECT_EQ(approval.outputs["signed_by"], "grace");

  expectCompleted(run("order.start_manufacturing", {{"order", number}}, ada));
  expectCompleted(run("order.complete_manufacturing", {{"order", number}, {"quality_passed", true}}, ada));
  expectCompleted(run("order.start_packaging", {{"order", number}}, ada));
  RunRecord shipped =
      run("order.ship", {{"order", number}, {"carrier", "UPS"}, {"tracking_number", "1Z 999 AA1 0123456784"}}, ada);
  expectCompleted(shipped);

  RunRecord review = sign(run("order.review_audit", {{"order", number}}, grace), "grace");
  expectCompleted(review);
  RunRecord closed = sign(run("order.close", {{"order", number}}, grace), "grace");
  expectCompleted(closed);
  EXPECT_EQ(closed.outputs["reviewed_by"], "grace");

  auto order = orders->get(number);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->status, OrderStatus::Closed);
  EXPECT_EQ(order->priceCents, cents);
  EXPECT_EQ(order->fileName, "box_20x10x10mm_ascii.stl");
  EXPECT_EQ(order->assignedOperator, "ada");
  EXPECT_EQ(order->details["tracking_number"], "1Z999AA10123456784");
  EXPECT_EQ(order->details["file"]["sha256"], "6a43a614ec7670aeb43cb957810a59ecebdbf2bf1b57ad0236b5ca464e5d3fe6");
  EXPECT_EQ(order->details["reviewed_by"], "grace");

  std::vector<std::string> statuses;
  for (const AuditEntry& entry : audit(number, "order.status_changed")) {
    statuses.push_back(entry.after["status"].get<std::string>());
    EXPECT_FALSE(entry.after["run_id"].get<std::string>().empty());
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"FILE_UPLOADED", "SUBMITTED", "PRICE_CALCULATED",
                                                "MANUFACTURING_APPROVED", "MANUFACTURING_STARTED",
                                                "MANUFACTURING_COMPLETED", "PACKAGING", "SHIPPED", "CLOSED"}));
  std::vector<AuditEntry> moves = audit(number, "order.status_changed");
  EXPECT_EQ(moves[3].after["signature"]["meaning"], "approved for manufacturing");
  EXPECT_EQ(moves[3].user, "grace");
  EXPECT_EQ(moves[8].after["signature"]["meaning"], "order closed");
  EXPECT_EQ(audit(number, "order.audit_reviewed").size(), 1u);
  auto db = reader();
  auto verified = verifyAudit(*db);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->intact) << verified->reason;
}

TEST_F(OrderLifecycleTest, TheWrongRoleIsRefusedAndAudited) {
  std::string number = approvedOrder();
  auto refused = engine->start({"order.close", std::nullopt, {{"order", number}}, ada});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
  auto managerStart = engine->start({"order.start_manufacturing", std::nullopt, {{"order", number}}, mona});
  EXPECT_EQ(managerStart.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(audit(number, "run.refused").size(), 2u);
  EXPECT_EQ(orders->get(number)->status, OrderStatus::ManufacturingApproved);
}

TEST_F(OrderLifecycleTest, TheWrongStatusIsRefusedWithTheReasonAndAudited) {
  RunRecord created = run("order.create", {{"customer", "Initech"}, {"material", "PLA"}}, ada);
  std::string number = created.outputs["order"].get<std::string>();
  RunRecord ship = run("order.ship", {{"order", number}, {"carrier", "UPS"}, {"tracking_number", "1Z999AA10123456784"}},
                       ada);
  EXPECT_EQ(ship.state, RunState::Failed);
  EXPECT_EQ(ship.error->message, "order " + number + " cannot move from INITIATED to SHIPPED (allowed: FILE_UPLOADED, "
                                 "CANCELLED)");
  std::vector<AuditEntry> refusals = audit(number, "order.transition_refused");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].user, "ada");
  EXPECT_EQ(refusals[0].after["status"], "SHIPPED");
  EXPECT_EQ(audit(number, "run.failed").size(), 1u);
}

TEST_F(OrderLifecycleTest, ABadFileIsRefusedAndTheOrderWaitsForAGoodOne) {
  RunRecord created = run("order.create", {{"customer", "Initech"}, {"material", "PLA"}}, ada);
  std::string number = created.outputs["order"].get<std::string>();
  std::filesystem::path drawing = dir.path() / "plan.dwg";
  std::ofstream(drawing) << "AC1032";
  RunRecord wrong = run("order.upload_file", {{"order", number}, {"path", drawing.string()}}, ada);
  EXPECT_EQ(wrong.state, RunState::Failed);
  EXPECT_EQ(wrong.error->message, "only STL, OBJ, 3MF or STEP files are accepted, not \"plan.dwg\"");
  std::filesystem::path empty = dir.path() / "empty.stl";
  std::ofstream(empty).flush();
  RunRecord hollow = run("order.upload_file", {{"order", number}, {"path", empty.string()}}, ada);
  EXPECT_EQ(hollow.error->message, "the file \"empty.stl\" is empty");
  RunRecord missing = run("order.upload_file", {{"order", number}, {"path", (dir.path() / "gone.stl").string()}}, ada);
  EXPECT_THAT(missing.error->message, HasSubstr("no such file"));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Initiated);

  expectCompleted(run("order.upload_file", {{"order", number}, {"path", (kModels / "cube_10mm_binary.stl").string()}},
                      ada));
}

TEST_F(OrderLifecycleTest, ABadTrackingNumberKeepsTheOrderInPackaging) {
  std::string number = approvedOrder();
  expectCompleted(run("order.start_manufacturing", {{"order", number}}, ada));
  expectCompleted(run("order.complete_manufacturing", {{"order", number}, {"quality_passed", true}}, ada));
  expectCompleted(run("order.start_packaging", {{"order", number}}, ada));
  RunRecord ship = run("order.ship", {{"order", number}, {"carrier", "FEDEX"}, {"tracking_number", "996578788855"}}, ada);
  EXPECT_EQ(ship.state, RunState::Failed);
  EXPECT_THAT(ship.error->message, HasSubstr("FedEx Express number 996578788855 fails its check digit"));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Packaging);
}

TEST_F(OrderLifecycleTest, AHeldOrderIsNotStartedUntilReleased) {
  std::string number = approvedOrder();
  expectCompleted(run("order.hold", {{"order", number}, {"reason", "MATERIAL_SHORTAGE"}, {"note", "no PLA"}}, grace));
  RunRecord start = run("order.start_manufacturing", {{"order", number}}, ada);
  EXPECT_EQ(start.state, RunState::Failed);
  EXPECT_EQ(start.error->message, "order " + number + " is on hold (MATERIAL_SHORTAGE): release it before moving it "
                                  "to MANUFACTURING_STARTED");
  auto operatorRelease = engine->start({"order.release", std::nullopt, {{"order", number}}, ada});
  EXPECT_EQ(operatorRelease.error().code, ErrorCode::PermissionDenied);
  expectCompleted(run("order.release", {{"order", number}, {"note", "PLA delivered"}}, grace));
  expectCompleted(run("order.start_manufacturing", {{"order", number}}, ada));
}

TEST_F(OrderLifecycleTest, AFailedQualityCheckHoldsTheOrder) {
  std::string number = approvedOrder();
  expectCompleted(run("order.start_manufacturing", {{"order", number}}, ada));
  RunRecord check = run("order.complete_manufacturing",
                        {{"order", number}, {"quality_passed", false}, {"quality_notes", "layer shift"}}, ada);
  EXPECT_EQ(check.state, RunState::Failed);
  auto order = orders->get(number);
  EXPECT_EQ(order->hold, HoldReason::QualityCheck);
  EXPECT_EQ(order->status, OrderStatus::ManufacturingStarted);
}

TEST_F(OrderLifecycleTest, ClosingWithoutAReviewIsRefused) {
  std::string number = approvedOrder();
  expectCompleted(run("order.start_manufacturing", {{"order", number}}, ada));
  expectCompleted(run("order.complete_manufacturing", {{"order", number}, {"quality_passed", true}}, ada));
  expectCompleted(run("order.start_packaging", {{"order", number}}, ada));
  expectCompleted(run("order.ship", {{"order", number}, {"carrier", "DPD"}, {"tracking_number", "09980000020033"}}, ada));
  RunRecord close = run("order.close", {{"order", number}}, grace);
  EXPECT_EQ(close.state, RunState::Failed);
  EXPECT_THAT(close.error->message, HasSubstr("no supervisor has reviewed the audit trail"));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Shipped);
}

TEST_F(OrderLifecycleTest, CancelOnlyWhereTheStatusModelAllows) {
  std::string number = approvedOrder();
  expectCompleted(run("order.cancel", {{"order", number}, {"reason", "customer withdrew"}}, grace));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Cancelled);
  EXPECT_EQ(audit(number, "order.status_changed").back().reason, "customer withdrew");

  std::string started = approvedOrder();
  expectCompleted(run("order.start_manufacturing", {{"order", started}}, ada));
  RunRecord late = run("order.cancel", {{"order", started}, {"reason", "too late"}}, grace);
  EXPECT_EQ(late.state, RunState::Failed);
  EXPECT_THAT(late.error->message, HasSubstr("cannot move from MANUFACTURING_STARTED to CANCELLED"));
}

TEST_F(OrderLifecycleTest, AWrongPasswordOrAnOperatorsSignatureLeavesTheApprovalWaiting) {
  RunRecord created = run("order.create", {{"customer", "Umbrella"}, {"material", "STEEL"}, {"quantity", 50}}, ada);
  std::string number = created.outputs["order"].get<std::string>();
  expectCompleted(run("order.upload_file", {{"order", number}, {"path", (kModels / "cube_10mm_binary.stl").string()}},
                      ada));
  expectCompleted(run("order.submit", {{"order", number}}, ada));
  expectCompleted(run("order.calculate_price", {{"order", number}}, ada));
  RunRecord approval = run("order.approve_manufacturing", {{"order", number}}, grace);
  ASSERT_EQ(approval.state, RunState::Waiting) << "fifty steel parts are over the threshold";

  EXPECT_TRUE(offerSignature(approval, "grace", "not-my-password").empty());
  EXPECT_EQ(reload(approval).state, RunState::Waiting);
  ASSERT_FALSE(offerSignature(approval, "otto", "otto-password").empty()) << "an operator can sign, but it does not count here";
  EXPECT_EQ(reload(approval).state, RunState::Waiting);
  EXPECT_EQ(orders->get(number)->status, OrderStatus::PriceCalculated);
  ASSERT_TRUE(runs->flush());
  EXPECT_EQ(audited("signature.refused").size(), 1u);
  EXPECT_EQ(audited("signature.rejected").size(), 1u);

  RunRecord approved = sign(approval, "grace");
  expectCompleted(approved);
  EXPECT_EQ(approved.outputs["signed_by"], "grace");
  EXPECT_EQ(audit(number, "order.status_changed").back().after["signature"]["signer"], "grace");
}

TEST_F(OrderLifecycleTest, AnOperatorApprovesACheapOrderButAnExpensiveOneWaitsForASupervisor) {
  std::string cheap = submittedOrder();
  expectCompleted(run("order.calculate_price", {{"order", cheap}}, ada));
  ASSERT_LE(orders->get(cheap)->priceCents.value_or(0), 50000);
  RunRecord approved = run("order.approve_manufacturing", {{"order", cheap}}, ada);
  expectCompleted(approved);
  EXPECT_EQ(orders->get(cheap)->status, OrderStatus::ManufacturingApproved);

  RunRecord created = run("order.create", {{"customer", "Umbrella"}, {"material", "STEEL"}, {"quantity", 50}}, ada);
  std::string expensive = created.outputs["order"].get<std::string>();
  expectCompleted(run("order.upload_file",
                      {{"order", expensive}, {"path", (kModels / "cube_10mm_binary.stl").string()}}, ada));
  expectCompleted(run("order.submit", {{"order", expensive}}, ada));
  expectCompleted(run("order.calculate_price", {{"order", expensive}}, ada));
  RunRecord waiting = run("order.approve_manufacturing", {{"order", expensive}}, ada);
  ASSERT_EQ(waiting.state, RunState::Waiting) << "over the threshold a supervisor must sign";
  ASSERT_FALSE(offerSignature(waiting, "ada", "ada-password").empty());
  EXPECT_EQ(reload(waiting).state, RunState::Waiting) << "the operator's own signature does not count";
  RunRecord signedBySupervisor = sign(waiting, "grace");
  expectCompleted(signedBySupervisor);
  EXPECT_EQ(signedBySupervisor.outputs["signed_by"], "grace");
}

TEST_F(OrderLifecycleTest, AFailingPriceCalculationIsRetriedWithBackoffThenGivesUp) {
  open({kPricingSpeed, 1.0});
  std::string number = submittedOrder();
  RunRecord pricing = run("order.calculate_price", {{"order", number}}, ada);
  EXPECT_EQ(pricing.state, RunState::Waiting);
  EXPECT_EQ(pricing.currentNode, "backoff_10s");
  elapse(9);
  EXPECT_EQ(reload(pricing).currentNode, "backoff_10s") << "not before its time";
  elapse(1);
  EXPECT_EQ(reload(pricing).currentNode, "backoff_30s");
  elapse(30);
  EXPECT_EQ(reload(pricing).currentNode, "backoff_90s");
  elapse(90);
  RunRecord failed = reload(pricing);
  EXPECT_EQ(failed.state, RunState::Failed);
  EXPECT_THAT(failed.error->message, HasSubstr("the price calculation failed 4 times: "));
  int calculations = 0;
  for (const engine::StepRecord& step : runs->loadSteps(pricing.id)) {
    calculations += step.node == "calculate" ? 1 : 0;
  }
  EXPECT_EQ(calculations, 4);
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Submitted);
}

TEST_F(OrderLifecycleTest, ATimedOutPriceCalculationIsEscalatedToASupervisorsSignedDecision) {
  std::string number = submittedOrder();
  RunRecord pricing = run("order.calculate_price", {{"order", number}, {"timeout_s", 1}}, ada);
  ASSERT_EQ(pricing.state, RunState::Waiting);
  EXPECT_EQ(pricing.awaitedSignal, "escalation");

  ASSERT_TRUE(engine->signal(pricing.id, "escalation", {{"decision", "retry"}}, {"grace", "supervisor", "ws-7"}));
  RunRecord confirming = reload(pricing);
  EXPECT_EQ(confirming.currentNode, "confirm");
  EXPECT_EQ(auth::runAwaitingSignature(*runs, confirming.id)->inputs["meaning"], "price calculation escalated: retry");
  RunRecord again = sign(confirming, "grace");
  EXPECT_EQ(again.awaitedSignal, "escalation") << "the retry timed out again";

  ASSERT_TRUE(engine->signal(pricing.id, "escalation", {{"decision", "stop"}}, {"grace", "supervisor", "ws-7"}));
  RunRecord stopped = sign(reload(pricing), "grace");
  EXPECT_EQ(stopped.state, RunState::Failed);
  EXPECT_EQ(stopped.error->message, "the price calculation was stopped by grace");
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Submitted);

  RunRecord unattended = run("order.calculate_price", {{"order", number}, {"timeout_s", 1}}, ada);
  elapse(86400);
  EXPECT_EQ(reload(unattended).error->message,
            "the escalated price calculation got no supervisor decision within a day");
}

TEST_F(OrderLifecycleTest, CancellingAPriceCalculationLeavesTheOrderSubmitted) {
  open({kPricingSpeed, 1.0});
  std::string number = submittedOrder();
  RunRecord pricing = run("order.calculate_price", {{"order", number}}, ada);
  ASSERT_EQ(pricing.state, RunState::Waiting);
  ASSERT_TRUE(engine->cancel(pricing.id, {"grace", "supervisor", "ws-7"}));
  EXPECT_EQ(reload(pricing).state, RunState::Cancelled);
  elapse(600);
  EXPECT_EQ(reload(pricing).state, RunState::Cancelled);
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::Submitted);
  EXPECT_FALSE(order->priceCents);
}

TEST_F(OrderLifecycleTest, ThePriceCalculationReportsItsProgressAndAnEtaLearnedFromEarlierOnes) {
  ProgressLog progress;
  engine->addListener(progress);
  RunRecord first = run("order.calculate_price", {{"order", submittedOrder()}}, ada);
  expectCompleted(first);
  RunRecord second = run("order.calculate_price", {{"order", submittedOrder()}}, ada);
  expectCompleted(second);

  std::vector<engine::ProgressEvent> reports = progress.of(second.id);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.front().message, "Analysing the mesh");
  EXPECT_EQ(reports.back().fraction, 1.0);
  for (std::size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i].fraction, reports[i - 1].fraction);
  }
  EXPECT_TRUE(reports.front().etaMs) << "the first report already knows the earlier calculation's duration";
}

} // namespace
} // namespace opflow::store::test
