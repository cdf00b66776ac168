// What the console's order detail reads, on a real workstation database: an order's
// status timeline with who moved it, the runs of an order with their sub-runs, and which
// operations apply to an order in its status for a role (derived from the definitions).
#include "UserTestSupport.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/builtin/Builtin.h"
#include "opflow/builtin/OrderOperations.h"
#include "opflow/engine/Engine.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/SignatureStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using builtin::OrderEffect;
using domain::HoldReason;
using domain::OrderStatus;
using domain::Role;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

engine::RunContext as(const std::string& user, const std::string& role) {
  engine::RunContext context;
  context.user = user;
  context.role = role;
  context.workstation = "ws-3";
  return context;
}

const OrderActor kSetup{"setup", "supervisor", "ws-0", "", ""};

class OrderDetailReadsTest : public UserFixture {
protected:
  void SetUp() override {
    UserFixture::SetUp();
    addUser("ada", Role::Operator);
    addUser("grace", Role::Supervisor);
    orders = std::make_unique<OrderStore>(*store);
    signatures = std::make_unique<SignatureStore>(*store, *users);
    runs = std::make_unique<SqliteRunStore>(*store);
    builtin::Services services;
    services.orders = orders.get();
    services.signatures = signatures.get();
    ASSERT_TRUE(builtin::registerHandlers(handlers, services));
    auto loaded = builtin::loadDefinitions(catalog);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    engine = std::make_unique<engine::Engine>(catalog, *runs);
  }

  void TearDown() override {
    engine.reset();
    EXPECT_TRUE(runs->flush());
  }

  // A new order (material PETG) moved directly up to `status`.
  Order orderAt(OrderStatus status, std::optional<std::int64_t> priceCents = std::nullopt) {
    auto created = orders->create({"", "Acme Fabrication", 1, priceCents, "PETG", "part.stl", ""}, kSetup);
    EXPECT_TRUE(created) << created.error().describe();
    Order order = *created;
    for (OrderStatus next : domain::allOrderStatuses()) {
      if (domain::positionOf(next) > 0 && domain::positionOf(next) <= domain::positionOf(status)) {
        auto moved = orders->transition(order.number, next, kSetup);
        EXPECT_TRUE(moved) << moved.error().describe();
        order = *moved;
      }
    }
    return order;
  }

  engine::RunId start(const std::string& operation, Json inputs, const engine::RunContext& context) {
    auto started = engine->start({operation, std::nullopt, std::move(inputs), context});
    EXPECT_TRUE(started) << started.error().describe();
    return started ? *started : engine::RunId();
  }

  // The names of the operations `role` is offered on `order`.
  std::vector<std::string> offered(const Order& order, Role role) {
    std::vector<std::string> names;
    for (const builtin::OrderOperation& operation : builtin::applicableOperations(catalog, order, role)) {
      names.push_back(operation.operation->name());
    }
    return names;
  }

  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
  std::unique_ptr<OrderStore> orders;
  std::unique_ptr<SignatureStore> signatures;
  std::unique_ptr<SqliteRunStore> runs;
  std::unique_ptr<engine::Engine> engine;
};

TEST_F(OrderDetailReadsTest, HistoryListsEveryStatusEnteredWithWhoMovedItAndTheRun) {
  auto created = orders->create({"", "Initech", 1, std::nullopt, "PLA", "", ""}, {"ada", "operator", "ws-3", "", ""});
  ASSERT_TRUE(created) << created.error().describe();
  ASSERT_TRUE(orders->transition(created->number, OrderStatus::FileUploaded, {"grace", "supervisor", "ws-3", "", ""}));
  engine::RunId submit = start("order.submit", {{"order", created->number}}, as("ada", "operator"));
  ASSERT_EQ(engine->runRecord(submit)->state, engine::RunState::Completed);

  auto history = orders->history(created->number);
  ASSERT_TRUE(history) << history.error().describe();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].status, OrderStatus::Initiated);
  EXPECT_EQ((*history)[0].user, "ada");
  EXPECT_EQ((*history)[0].role, "operator");
  EXPECT_EQ((*history)[0].atMs, created->createdAtMs);
  EXPECT_EQ((*history)[1].status, OrderStatus::FileUploaded);
  EXPECT_EQ((*history)[1].user, "grace");
  EXPECT_EQ((*history)[1].runId, "");
  EXPECT_EQ((*history)[2].status, OrderStatus::Submitted);
  EXPECT_EQ((*history)[2].user, "ada");
  EXPECT_EQ((*history)[2].runId, submit.str());
  EXPECT_LE((*history)[0].atMs, (*history)[1].atMs);
  EXPECT_LE((*history)[1].atMs, (*history)[2].atMs);
  EXPECT_EQ((*history)[2].atMs, orders->get(created->number)->updatedAtMs);
}

TEST_F(OrderDetailReadsTest, HistoryOfASeededOrderHasItsMadeUpPastWithoutPeople) {
  SeedOptions seed;
  seed.count = 20;
  seed.seed = 3;
  seed.by = {"ada", "admin", "ws-test", "", ""};
  auto seeded = seedOrders(*store, seed);
  ASSERT_TRUE(seeded) << seeded.error().describe();
  auto order = orders->get(seeded->lastNumber);
  ASSERT_TRUE(order);
  auto history = orders->history(seeded->lastNumber);
  ASSERT_TRUE(history) << history.error().describe();
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().status, OrderStatus::Initiated);
  EXPECT_EQ(history->back().status, order->status);
  for (std::size_t i = 0; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].user, "") << "a made-up past names no one";
    if (i > 0) {
      EXPECT_LE((*history)[i - 1].atMs, (*history)[i].atMs);
      EXPECT_TRUE(domain::isAllowedTransition((*history)[i - 1].status, (*history)[i].status));
    }
  }
}

TEST_F(OrderDetailReadsTest, HistoryOfAMissingOrderIsNotFound) {
  auto history = orders->history("ORD-404404");
  ASSERT_FALSE(history);
  EXPECT_EQ(history.error().code, ErrorCode::NotFound);
  EXPECT_THAT(history.error().message, ::testing::HasSubstr("ORD-404404"));
}

TEST_F(OrderDetailReadsTest, RunsOfAnOrderAreItsRunsAndTheirSubRunsNewestFirst) {
  const Order priced = orderAt(OrderStatus::PriceCalculated, 60'000);
  const Order other = orderAt(OrderStatus::FileUploaded);
  engine::RunId approve = start("order.approve_manufacturing", {{"order", priced.number}}, as("ada", "operator"));
  engine::RunId elsewhere = start("order.submit", {{"order", other.number}}, as("ada", "operator"));
  auto signing = auth::runAwaitingSignature(*runs, approve);
  ASSERT_TRUE(signing) << "over 500.00 an operator's approval waits for a signature";

  RunQuery query;
  query.order = priced.number;
  auto listed = runs->listRuns(query);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, signing->id.str());
  EXPECT_EQ((*listed)[0].parentId, approve.str());
  EXPECT_EQ((*listed)[0].operation, "auth.sign");
  EXPECT_EQ((*listed)[0].state, engine::RunState::Waiting);
  EXPECT_EQ((*listed)[1].id, approve.str());
  EXPECT_EQ((*listed)[1].parentId, "");

  query.state = engine::RunState::Waiting;
  query.operation = "order.approve_manufacturing";
  auto filtered = runs->listRuns(query);
  ASSERT_TRUE(filtered) << filtered.error().describe();
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ((*filtered)[0].id, approve.str());

  RunQuery everything;
  auto all = runs->listRuns(everything);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  EXPECT_EQ(all->front().id, elsewhere.str());
}

TEST_F(OrderDetailReadsTest, RunsOfAnOrderIncludeSubRunsThatDoNotNameTheOrder) {
  auto definitions = std::vector<model::OperationDefinition>{};
  for (const char* text : {
           R"({"operation": "test.note", "version": 1, "title": "Note a text",
               "inputs": {"text": {"type": "string"}},
               "starts_with": "done", "nodes": {"done": {"kind": "result", "outputs": ["text"]}}})",
           R"({"operation": "test.noted_order", "version": 1, "title": "Note an order",
               "inputs": {"order": {"type": "string", "required": true}},
               "starts_with": "note",
               "nodes": {"note": {"kind": "call", "operation": "test.note", "inputs": {"text": {"var": "order"}},
                                  "save_as": "noted", "on_success": "done"},
                         "done": {"kind": "result", "outputs": ["noted"]}}})"}) {
    auto definition = model::definitionFromText(text);
    ASSERT_TRUE(definition) << definition.error().describe();
    definitions.push_back(*definition);
  }
  ASSERT_TRUE(catalog.addAll(definitions));
  const Order order = orderAt(OrderStatus::Initiated);
  engine::RunId parent = start("test.noted_order", {{"order", order.number}}, as("ada", "operator"));

  RunQuery query;
  query.order = order.number;
  auto listed = runs->listRuns(query);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].operation, "test.note");
  EXPECT_EQ((*listed)[0].parentId, parent.str());
  EXPECT_EQ((*listed)[1].id, parent.str());
  EXPECT_EQ(runs->loadSteps(engine::RunId((*listed)[0].id)).size(), 1u);
}

TEST_F(OrderDetailReadsTest, EachLifecycleOperationSaysWhatItDoesToAnOrder) {
  const std::map<std::string, std::pair<OrderEffect, std::optional<OrderStatus>>> expected{
      {"order.upload_file", {OrderEffect::Move, OrderStatus::FileUploaded}},
      {"order.submit", {OrderEffect::Move, OrderStatus::Submitted}},
      {"order.calculate_price", {OrderEffect::Move, OrderStatus::PriceCalculated}},
      {"order.approve_manufacturing", {OrderEffect::Move, OrderStatus::ManufacturingApproved}},
      {"order.start_manufacturing", {OrderEffect::Move, OrderStatus::ManufacturingStarted}},
      {"order.complete_manufacturing", {OrderEffect::Move, OrderStatus::ManufacturingCompleted}},
      {"order.start_packaging", {OrderEffect::Move, OrderStatus::Packaging}},
      {"order.ship", {OrderEffect::Move, OrderStatus::Shipped}},
      {"order.close", {OrderEffect::Move, OrderStatus::Closed}},
      {"order.cancel", {OrderEffect::Move, OrderStatus::Cancelled}},
      {"order.hold", {OrderEffect::Hold, std::nullopt}},
      {"order.release", {OrderEffect::Release, std::nullopt}},
      {"order.review_audit", {OrderEffect::Review, std::nullopt}},
  };
  for (const engine::OperationPtr& operation : catalog.latestVersions()) {
    auto effect = builtin::orderOperationOf(operation);
    auto found = expected.find(operation->name());
    if (found == expected.end()) {
      EXPECT_FALSE(effect) << operation->name() << " does not work on an existing order";
      continue;
    }
    ASSERT_TRUE(effect) << operation->name();
    EXPECT_EQ(effect->effect, found->second.first) << operation->name();
    EXPECT_EQ(effect->to, found->second.second) << operation->name();
  }
}

TEST_F(OrderDetailReadsTest, AnOrderIsOfferedTheOperationsItsStatusAllowsForTheRole) {
  const Order submitted = orderAt(OrderStatus::Submitted);
  EXPECT_THAT(offered(submitted, Role::Operator), ElementsAre("order.calculate_price"));
  EXPECT_THAT(offered(submitted, Role::Supervisor), ElementsAre("order.calculate_price", "order.hold", "order.cancel"));
  EXPECT_THAT(offered(submitted, Role::Manager), IsEmpty());
  EXPECT_THAT(offered(submitted, Role::Admin), IsEmpty()) << "the lifecycle operations name their roles";

  const Order shipped = orderAt(OrderStatus::Shipped);
  EXPECT_THAT(offered(shipped, Role::Operator), IsEmpty());
  EXPECT_THAT(offered(shipped, Role::Supervisor), ElementsAre("order.review_audit", "order.close", "order.hold"));

  const Order packaging = orderAt(OrderStatus::Packaging);
  EXPECT_THAT(offered(packaging, Role::Operator), ElementsAre("order.ship"));
  EXPECT_THAT(offered(packaging, Role::Supervisor), ElementsAre("order.ship", "order.hold"));

  EXPECT_THAT(offered(orderAt(OrderStatus::Closed), Role::Supervisor), IsEmpty());
  Order cancelled = orderAt(OrderStatus::Initiated);
  ASSERT_TRUE(orders->transition(cancelled.number, OrderStatus::Cancelled, kSetup));
  EXPECT_THAT(offered(*orders->get(cancelled.number), Role::Supervisor), IsEmpty());
}

TEST_F(OrderDetailReadsTest, AHeldOrderIsOfferedOnlyItsRelease) {
  const Order order = orderAt(OrderStatus::PriceCalculated, 1'000);
  auto held = orders->hold(order.number, HoldReason::Payment, kSetup);
  ASSERT_TRUE(held) << held.error().describe();
  EXPECT_THAT(offered(*held, Role::Supervisor), ElementsAre("order.release"));
  EXPECT_THAT(offered(*held, Role::Operator), IsEmpty());
}

TEST_F(OrderDetailReadsTest, WhatIsOfferedIsWhatTheEngineAndTheStoreAccept) {
  const Order priced = orderAt(OrderStatus::PriceCalculated, 1'000);
  auto operations = builtin::applicableOperations(catalog, priced, Role::Operator);
  ASSERT_EQ(operations.size(), 1u);
  EXPECT_EQ(operations[0].operation->name(), "order.approve_manufacturing");
  engine::RunId approved = start("order.approve_manufacturing", {{"order", priced.number}}, as("ada", "operator"));
  EXPECT_EQ(engine->runRecord(approved)->state, engine::RunState::Completed);

  // What is not offered is refused by core anyway.
  auto asManager = engine->start({"order.start_manufacturing", std::nullopt, {{"order", priced.number}}, as("mona", "manager")});
  ASSERT_FALSE(asManager);
  EXPECT_EQ(asManager.error().code, ErrorCode::PermissionDenied);
  auto holdAsOperator = engine->start({"order.hold", std::nullopt, {{"order", priced.number}, {"reason", "PAYMENT"}},
                                       as("ada", "operator")});
  ASSERT_FALSE(holdAsOperator);
  EXPECT_EQ(holdAsOperator.error().code, ErrorCode::PermissionDenied);
  engine::RunId skipped = start("order.ship", {{"order", priced.number}, {"carrier", "DHL"}, {"tracking_number", "1"}},
                                as("ada", "operator"));
  EXPECT_EQ(engine->runRecord(skipped)->state, engine::RunState::Failed) << "the status does not allow shipping";
}

TEST_F(OrderDetailReadsTest, NewOrdersAreMadeByTheOperationsThatCreateThem) {
  auto names = [&](Role role) {
    std::vector<std::string> found;
    for (const engine::OperationPtr& operation : builtin::newOrderOperations(catalog, role)) {
      found.push_back(operation->name());
    }
    return found;
  };
  EXPECT_THAT(names(Role::Operator), ElementsAre("order.create"));
  EXPECT_THAT(names(Role::Supervisor), ElementsAre("order.create"));
  EXPECT_THAT(names(Role::Manager), IsEmpty());
}

} // namespace
} // namespace opflow::store::test
