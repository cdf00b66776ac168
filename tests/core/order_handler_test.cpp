// order.transition through a real Engine: a tiny operation moves an order, the run's
// context becomes the audit entry's who and where, the new status lands in the run's
// data, and a refused move leaves by the "refused" exit.
#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/builtin/OrderHandlers.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderStore.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::OrderStatus;
using engine::test::var;

model::OperationDefinition moveOrder() {
  model::ActionNode move;
  move.handler = "order.transition";
  move.with = Json{{"order", var("order")}, {"to", var("to")}};
  move.goTo = "moved";
  move.exits = {{"refused", "not_moved"}};
  return model::OperationBuilder("order.move", 1)
      .input("order", model::InputType::String, {.required = true})
      .input("to", model::InputType::String, {.required = true})
      .startsWith("move")
      .action("move", move)
      .result("moved", {.fields = {"order_status"}})
      .fail("not_moved", {.reason = Json{{"var", "order_refusal"}}})
      .build();
}

class OrderHandlerTest : public StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    orders = std::make_unique<OrderStore>(*store);
    ASSERT_TRUE(builtin::registerOrderHandlers(handlers, orders.get()));
    ASSERT_TRUE(catalog.add(moveOrder()));
    engine = std::make_unique<engine::Engine>(catalog, runs);
    auto created = orders->create({"", "Acme Fabrication", 2, std::nullopt, "PLA", "clip_v1.stl", ""},
                                  {"setup", "admin", "ws-0", "", ""});
    ASSERT_TRUE(created);
    number = created->number;
  }

  engine::RunRecord run(const std::string& to) {
    engine::RunContext context;
    context.user = "ada";
    context.role = "operator";
    context.workstation = "ws-7";
    context.correlationId = "corr-run";
    auto started = engine->start({"order.move", std::nullopt, Json{{"order", number}, {"to", to}}, context});
    EXPECT_TRUE(started) << started.error().describe();
    return runs.loadRun(*started).value_or(engine::RunRecord{});
  }

  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
  engine::InMemoryRunStore runs;
  std::unique_ptr<OrderStore> orders;
  std::unique_ptr<engine::Engine> engine;
  std::string number;
};

TEST_F(OrderHandlerTest, AnOperationMovesTheOrderAndAuditsItUnderTheRunsContext) {
  engine::RunRecord record = run("FILE_UPLOADED");
  ASSERT_EQ(record.state, engine::RunState::Completed) << (record.error ? record.error->describe() : "");
  EXPECT_EQ(record.outputs["order_status"], (Json{{"number", number}, {"status", "FILE_UPLOADED"}, {"version", 2}}));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::FileUploaded);

  auto db = reader();
  AuditQuery query;
  query.action = "order.status_changed";
  auto found = queryAudit(*db, query);
  ASSERT_TRUE(found) << found.error().describe();
  const std::vector<AuditEntry>& entries = *found;
  ASSERT_EQ(entries.size(), 1u);
  const AuditEntry& entry = entries.front();
  EXPECT_EQ(entry.user, "ada");
  EXPECT_EQ(entry.role, "operator");
  EXPECT_EQ(entry.workstation, "ws-7");
  EXPECT_EQ(entry.correlationId, "corr-run");
  EXPECT_EQ(entry.after["run_id"], record.id.str());

  // Another run asking for the same move finds it made and is refused (a re-run of the
  // same run after a crash succeeds without a new change: order_record_test).
  engine::RunRecord again = run("FILE_UPLOADED");
  EXPECT_EQ(again.state, engine::RunState::Failed);
  ASSERT_TRUE(again.error);
  EXPECT_THAT(again.error->message, ::testing::HasSubstr("another run moved it"));
  EXPECT_EQ(orders->get(number)->version, 2);
}

TEST_F(OrderHandlerTest, ARefusedMoveLeavesByTheRefusedExit) {
  engine::RunRecord record = run("SHIPPED");
  ASSERT_EQ(record.state, engine::RunState::Failed);
  ASSERT_TRUE(record.error);
  EXPECT_EQ(record.error->code, "business_failure");
  EXPECT_THAT(record.error->message, ::testing::HasSubstr("cannot move from INITIATED to SHIPPED"));
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Initiated);
}

TEST_F(OrderHandlerTest, AnUnknownStatusOrOrderIsAHandlerError) {
  engine::RunRecord record = run("NOWHERE");
  ASSERT_EQ(record.state, engine::RunState::Failed);
  EXPECT_EQ(record.error->code, "handler_error");
  EXPECT_THAT(record.error->message, ::testing::HasSubstr("unknown order status \"NOWHERE\""));
}

} // namespace
} // namespace opflow::store::test
