// The order lifecycle operations node by node (the node harness), on a real workstation
// database: every decision's branches, every handler's exits, the calls that ask for a
// signature and the waits of the price calculation's retries and escalation.
#include "StoreTestSupport.h"
#include "UserTestSupport.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/store/OrderStore.h"
#include "opflow/testing/NodeHarness.h"

#include <gmock/gmock.h>

#include <fstream>

namespace opflow::store::test {
namespace {

using domain::HoldReason;
using domain::OrderStatus;
using testing::Completion;
using testing::NodeHarness;
using testing::NodeRun;
using ::testing::HasSubstr;

const std::filesystem::path kModels = std::filesystem::path(OPFLOW_FIXTURES_DIR) / "models";

engine::RunContext as(const std::string& user, const std::string& role) {
  engine::RunContext context;
  context.user = user;
  context.role = role;
  context.workstation = "ws-7";
  return context;
}

const engine::RunContext kOperator = as("ada", "operator");
const engine::RunContext kSupervisor = as("grace", "supervisor");

// A signature grace gave for `meaning` (recorded as the signature store would have).
Json signature(LocalStore& store, const std::string& meaning) {
  const std::string id = "sig-" + meaning;
  recordSignatureRow(store, id, "grace", "supervisor", meaning, 1795428000000);
  return Json{{"id", id}, {"signer", "grace"}, {"role", "supervisor"}, {"meaning", meaning},
              {"at", "2026-11-23T10:00:00.000Z"}};
}

class OrderOperationsTest : public StoreFixture {
protected:
  void SetUp() override {
    StoreFixture::SetUp();
    orders = std::make_unique<OrderStore>(*store);
    ASSERT_TRUE(builtin::registerHandlers(handlers, {orders.get()}));
    auto loaded = builtin::loadDefinitions(catalog);
    ASSERT_TRUE(loaded) << loaded.error().describe();
  }

  // A new order moved along the status model up to `status`.
  std::string orderAt(OrderStatus status, std::optional<std::int64_t> priceCents = std::nullopt) {
    NewOrder order{"", "Acme Fabrication", 1, priceCents, "PETG", "", ""};
    auto created = orders->create(order, {"setup", "supervisor", "ws-0", "", ""});
    EXPECT_TRUE(created);
    for (OrderStatus next : domain::allOrderStatuses()) {
      if (domain::positionOf(next) > 0 && domain::positionOf(next) <= domain::positionOf(status)) {
        EXPECT_TRUE(orders->transition(created->number, next, {"setup", "supervisor", "ws-0", "", ""}));
      }
    }
    return created->number;
  }

  // The order as order.load writes it into a run's data.
  Json loaded(const std::string& number) {
    NodeRun load = node("order.review_audit", "load", {{"order", number}}, kSupervisor);
    return load.data["order"];
  }

  NodeRun node(const std::string& operation, const std::string& name, Json data,
               const engine::RunContext& context = kOperator, const Completion& completion = {}) {
    auto run = NodeHarness(catalog).run(operation, name, std::move(data), completion, context);
    EXPECT_TRUE(run) << operation << "/" << name << ": " << run.error().describe();
    return run ? *run : NodeRun{};
  }

  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
  std::unique_ptr<OrderStore> orders;
};

TEST_F(OrderOperationsTest, EveryLifecycleOperationIsDeclaredForTheRightRoles) {
  const std::map<std::string, std::vector<std::string>> roles{
      {"order.create", {"operator", "supervisor"}},
      {"order.upload_file", {"operator", "supervisor"}},
      {"order.submit", {"operator", "supervisor"}},
      {"order.calculate_price", {"operator", "supervisor"}},
      {"order.approve_manufacturing", {"operator", "supervisor"}},
      {"order.start_manufacturing", {"operator", "supervisor"}},
      {"order.complete_manufacturing", {"operator", "supervisor"}},
      {"order.start_packaging", {"operator", "supervisor"}},
      {"order.ship", {"operator", "supervisor"}},
      {"order.review_audit", {"supervisor"}},
      {"order.close", {"supervisor"}},
      {"order.hold", {"supervisor"}},
      {"order.release", {"supervisor"}},
      {"order.cancel", {"supervisor"}},
  };
  for (const auto& [name, expected] : roles) {
    engine::OperationPtr op = catalog.latest(name);
    ASSERT_TRUE(op) << name;
    EXPECT_EQ(op->definition().roles, expected) << name;
    EXPECT_FALSE(op->definition().title.empty()) << name;
    EXPECT_GT(op->definition().description.size(), 40u) << name << ": a manager reads what it does";
  }
  EXPECT_THAT(catalog.latest("order.approve_manufacturing")->definition().description,
              HasSubstr("load a new version of this definition"));
}

TEST_F(OrderOperationsTest, CreateMakesRushOrdersUrgent) {
  EXPECT_EQ(node("order.create", "rush?", {{"rush", true}}).next, "urgent");
  EXPECT_EQ(node("order.create", "rush?", {{"rush", false}}).next, "create");
  EXPECT_EQ(node("order.create", "urgent", {{"priority", 1}}).written, Json({{"priority", 3}}));

  Json inputs{{"customer", "Globex"}, {"material", "NYLON"}, {"quantity", 4}, {"rush", true}, {"priority", 3},
              {"notes", "gift wrap"}};
  NodeRun created = node("order.create", "create", inputs);
  EXPECT_EQ(created.next, "created");
  auto order = orders->get(created.data["order"]["number"].get<std::string>());
  ASSERT_TRUE(order);
  EXPECT_EQ(order->customer, "Globex");
  EXPECT_EQ(order->material, "NYLON");
  EXPECT_EQ(order->priority, 3);
  EXPECT_EQ(order->details, (Json{{"quantity", 4}, {"rush", true}, {"notes", "gift wrap"}}));

  NodeRun refused = node("order.create", "create", inputs, as("mona", "manager"));
  EXPECT_EQ(refused.exit, "refused");
  EXPECT_THAT(refused.data["order_refusal"].get<std::string>(), HasSubstr("may read orders but not change them"));
}

TEST_F(OrderOperationsTest, UploadChecksTheFileInTheFlowchart) {
  std::string number = orderAt(OrderStatus::Initiated);
  NodeRun check = node("order.upload_file", "check", {{"order", number}});
  EXPECT_EQ(check.next, "inspect");
  EXPECT_EQ(check.data["order"]["status"], "INITIATED");
  NodeRun late = node("order.upload_file", "check", {{"order", orderAt(OrderStatus::Submitted)}});
  EXPECT_EQ(late.next, "refused");
  NodeRun missing = node("order.upload_file", "check", {{"order", "ORD-404"}});
  EXPECT_EQ(missing.exit, "not_found");

  NodeRun inspect = node("order.upload_file", "inspect", {{"path", (kModels / "cube_10mm_binary.stl").string()}});
  EXPECT_EQ(inspect.next, "format?");
  EXPECT_EQ(inspect.written["file"]["volume_cm3"], 1.0);
  NodeRun unreadable = node("order.upload_file", "inspect", {{"path", (dir.path() / "gone.stl").string()}});
  EXPECT_EQ(unreadable.next, "unreadable");
  EXPECT_THAT(unreadable.written["file_error"].get<std::string>(), HasSubstr("no such file"));

  auto file = [](const std::string& extension, std::int64_t size) {
    return Json{{"file", {{"name", "part." + extension}, {"extension", extension}, {"size_bytes", size}}}};
  };
  EXPECT_EQ(node("order.upload_file", "format?", file("stl", 10)).next, "empty?");
  EXPECT_EQ(node("order.upload_file", "format?", file("3mf", 10)).next, "empty?");
  EXPECT_EQ(node("order.upload_file", "format?", file("dwg", 10)).next, "wrong_format");
  EXPECT_EQ(node("order.upload_file", "empty?", file("stl", 0)).next, "empty");
  EXPECT_EQ(node("order.upload_file", "empty?", file("stl", 10)).next, "too_large?");
  EXPECT_EQ(node("order.upload_file", "too_large?", file("stl", 104857601)).next, "too_large");
  EXPECT_EQ(node("order.upload_file", "too_large?", file("stl", 104857600)).next, "record");

  NodeRun wrong = node("order.upload_file", "wrong_format", file("dwg", 10));
  EXPECT_EQ(wrong.error->message, "only STL, OBJ, 3MF or STEP files are accepted, not \"part.dwg\"");
  EXPECT_EQ(node("order.upload_file", "too_large", file("stl", 200000000)).error->message,
            "the file \"part.stl\" has 200000000 bytes: the limit is 100 MiB");

  Json inspected = inspect.data;
  inspected["order"] = check.data["order"];
  NodeRun record = node("order.upload_file", "record", inspected);
  EXPECT_EQ(record.written["record.file_name"], "cube_10mm_binary.stl");
  NodeRun move = node("order.upload_file", "move", record.data);
  EXPECT_EQ(move.next, "uploaded");
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::FileUploaded);
  EXPECT_EQ(order->fileName, "cube_10mm_binary.stl");
  EXPECT_EQ(order->details["file"]["sha256"], "29500121ea1d41df27eb2473958203c934bfa9c1b620740eb0f31ce950dea0a3");
}

TEST_F(OrderOperationsTest, SubmitNeedsAMaterial) {
  EXPECT_EQ(node("order.submit", "material?", {{"order", {{"material", "PLA"}}}}).next, "move");
  NodeRun none = node("order.submit", "material?", {{"order", {{"material", ""}, {"number", "ORD-1"}}}});
  EXPECT_EQ(none.next, "no_material");
  EXPECT_EQ(node("order.submit", "no_material", none.data).error->message,
            "order ORD-1 has no material: choose one before submitting");
}

TEST_F(OrderOperationsTest, PriceFailuresRetryWithGrowingBackoffThenGiveUp) {
  EXPECT_EQ(node("order.calculate_price", "retry?", {{"attempts", 1}}).next, "backoff_10s");
  EXPECT_EQ(node("order.calculate_price", "retry?", {{"attempts", 2}}).next, "backoff_30s");
  EXPECT_EQ(node("order.calculate_price", "retry?", {{"attempts", 3}}).next, "backoff_90s");
  EXPECT_EQ(node("order.calculate_price", "retry?", {{"attempts", 4}}).next, "pricing_failed");

  for (const char* wait : {"backoff_10s", "backoff_30s", "backoff_90s"}) {
    NodeRun pending = node("order.calculate_price", wait, Json::object());
    EXPECT_EQ(pending.waitsFor, "") << "a timer";
    NodeRun elapsed = node("order.calculate_price", wait, Json::object(), kOperator, Completion::timer());
    EXPECT_EQ(elapsed.next, "calculate") << wait;
  }
  NodeRun failed = node("order.calculate_price", "pricing_failed", {{"attempts", 4}, {"pricing_error", "rate service down"}});
  EXPECT_EQ(failed.error->message, "the price calculation failed 4 times: rate service down");
}

TEST_F(OrderOperationsTest, APriceTimeoutEscalatesToASupervisorsSignedDecision) {
  NodeRun waiting = node("order.calculate_price", "escalate", Json::object());
  EXPECT_EQ(waiting.waitsFor, "escalation");
  NodeRun decided = node("order.calculate_price", "escalate", Json::object(), kOperator,
                         Completion::signal({{"decision", "retry"}}));
  EXPECT_EQ(decided.next, "confirm");
  EXPECT_EQ(node("order.calculate_price", "escalate", Json::object(), kOperator, Completion::timeout()).next,
            "no_decision");

  Json data{{"order", {{"number", "ORD-7"}}}, {"escalation", {{"decision", "stop"}}}};
  NodeRun confirm = node("order.calculate_price", "confirm", data);
  ASSERT_TRUE(confirm.call);
  EXPECT_EQ(confirm.call->first, "auth.sign");
  EXPECT_EQ(confirm.call->second, (Json{{"meaning", "price calculation escalated: stop"},
                                        {"roles", {"supervisor"}},
                                        {"order", "ORD-7"}}));
  NodeRun signedOff = node("order.calculate_price", "confirm", data, kOperator,
                           Completion::callSucceeds({{"signature", signature(*store, "price calculation escalated: stop")}}));
  EXPECT_EQ(signedOff.next, "decision?");
  NodeRun unsigned_ = node("order.calculate_price", "confirm", data, kOperator,
                           Completion::callFails("business_failure", "no_signature"));
  EXPECT_EQ(unsigned_.next, "not_signed");
  EXPECT_EQ(node("order.calculate_price", "not_signed", unsigned_.data).error->message,
            "the escalation decision was not signed: no_signature");

  EXPECT_EQ(node("order.calculate_price", "decision?", {{"escalation", {{"decision", "retry"}}}}).next, "retry_again");
  EXPECT_EQ(node("order.calculate_price", "decision?", {{"escalation", {{"decision", "stop"}}}}).next, "stopped");
  EXPECT_EQ(node("order.calculate_price", "decision?", {{"escalation", {{"decision", "maybe"}}}}).next, "escalate");
  EXPECT_EQ(node("order.calculate_price", "retry_again", {{"attempts", 3}}).written, Json({{"attempts", 0}}));
  EXPECT_EQ(node("order.calculate_price", "stopped", signedOff.data).error->message,
            "the price calculation was stopped by grace");
}

TEST_F(OrderOperationsTest, ThePriceIsRecordedWithTheMove) {
  std::string number = orderAt(OrderStatus::Submitted);
  NodeRun check = node("order.calculate_price", "check", {{"order", number}});
  EXPECT_EQ(check.next, "volume?");
  EXPECT_EQ(check.written["attempts"], 0);
  NodeRun unmeasured = node("order.calculate_price", "volume?", check.data);
  EXPECT_EQ(unmeasured.next, "no_volume");
  EXPECT_EQ(node("order.calculate_price", "no_volume", check.data).error->message,
            "order " + number + " has no measured model file: upload it again before pricing");
  Json measured = check.data;
  measured["order"]["details"]["file"]["volume_cm3"] = 2.5;
  EXPECT_EQ(node("order.calculate_price", "volume?", measured).next, "calculate");
  Json data = check.data;
  data["price"] = Json{{"cents", 48250}, {"currency", "EUR"}, {"breakdown", Json::array()}, {"duration_ms", 10}};
  NodeRun record = node("order.calculate_price", "record", data);
  NodeRun move = node("order.calculate_price", "move", record.data);
  EXPECT_EQ(move.next, "priced");
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::PriceCalculated);
  EXPECT_EQ(order->priceCents, 48250);
  EXPECT_EQ(order->details["price"]["currency"], "EUR");
}

TEST_F(OrderOperationsTest, ApprovalOverTheThresholdNeedsASignature) {
  EXPECT_EQ(node("order.approve_manufacturing", "priced?", {{"order", {{"price_cents", nullptr}}}}).next, "no_price");
  EXPECT_EQ(node("order.approve_manufacturing", "priced?", {{"order", {{"price_cents", 100}}}}).next,
            "over_threshold?");
  EXPECT_EQ(node("order.approve_manufacturing", "over_threshold?", {{"order", {{"price_cents", 50000}}}}).next, "move");
  EXPECT_EQ(node("order.approve_manufacturing", "over_threshold?", {{"order", {{"price_cents", 50001}}}}).next, "sign");

  NodeRun sign = node("order.approve_manufacturing", "sign", {{"order", {{"number", "ORD-3"}}}}, kSupervisor);
  EXPECT_EQ(sign.call->second, (Json{{"meaning", "approved for manufacturing"}, {"roles", {"supervisor"}},
                                     {"order", "ORD-3"}}));
  EXPECT_EQ(node("order.approve_manufacturing", "sign", {{"order", {{"number", "ORD-3"}}}}, kSupervisor,
                 Completion::callFails("business_failure", "wrong password"))
                .next,
            "not_signed");

  std::string number = orderAt(OrderStatus::PriceCalculated, 90000);
  NodeRun check = node("order.approve_manufacturing", "check", {{"order", number}}, kSupervisor);
  Json data = check.data;
  data["signing"] = Json{{"signature", signature(*store, "approved for manufacturing")}};
  NodeRun move = node("order.approve_manufacturing", "move", data, kSupervisor);
  EXPECT_EQ(move.next, "approved");
  EXPECT_EQ(orders->get(number)->status, OrderStatus::ManufacturingApproved);

  std::string cheap = orderAt(OrderStatus::PriceCalculated, 1000);
  EXPECT_EQ(node("order.approve_manufacturing", "move", {{"order", loaded(cheap)}}, kSupervisor).next, "approved")
      << "below the threshold the move carries no signature";
}

TEST_F(OrderOperationsTest, StartingManufacturingIsRefusedOnHoldAndAssignsTheOperator) {
  std::string number = orderAt(OrderStatus::ManufacturingApproved);
  ASSERT_TRUE(orders->hold(number, HoldReason::MachineDown, {"grace", "supervisor", "ws-2", "", ""}));
  NodeRun held = node("order.start_manufacturing", "check", {{"order", number}});
  EXPECT_EQ(held.next, "refused");
  EXPECT_THAT(held.data["order_refusal"].get<std::string>(), HasSubstr("on hold (MACHINE_DOWN)"));
  ASSERT_TRUE(orders->release(number, {"grace", "supervisor", "ws-2", "", ""}));

  NodeRun check = node("order.start_manufacturing", "check", {{"order", number}});
  EXPECT_EQ(check.next, "assign");
  NodeRun assign = node("order.start_manufacturing", "assign", check.data);
  EXPECT_EQ(assign.written, (Json{{"record.assigned_operator", "ada"}, {"record.workstation", "ws-7"}}));
  EXPECT_EQ(node("order.start_manufacturing", "move", assign.data).next, "started");
  auto order = orders->get(number);
  EXPECT_EQ(order->assignedOperator, "ada");
  EXPECT_EQ(order->details["workstation"], "ws-7");
}

TEST_F(OrderOperationsTest, AFailedQualityCheckHoldsTheOrder) {
  std::string number = orderAt(OrderStatus::ManufacturingStarted);
  Json data{{"order", loaded(number)}, {"quality_passed", false}, {"quality_notes", "warped base"}};
  EXPECT_EQ(node("order.complete_manufacturing", "quality?", data).next, "hold");
  NodeRun hold = node("order.complete_manufacturing", "hold", data);
  EXPECT_EQ(hold.next, "quality_failed");
  auto order = orders->get(number);
  EXPECT_EQ(order->hold, HoldReason::QualityCheck);
  EXPECT_EQ(order->status, OrderStatus::ManufacturingStarted);
  EXPECT_EQ(node("order.complete_manufacturing", "quality_failed", hold.data).error->message,
            "the quality check failed (warped base): order " + number + " is on hold (QUALITY_CHECK)");
  EXPECT_EQ(node("order.complete_manufacturing", "hold", data).next, "refused") << "already held";

  data["quality_passed"] = true;
  EXPECT_EQ(node("order.complete_manufacturing", "quality?", data).next, "record");
  NodeRun record = node("order.complete_manufacturing", "record", data);
  EXPECT_EQ(record.written["record.quality_check.inspector"], "ada");
}

TEST_F(OrderOperationsTest, PackagingRecordsThePackerAndThePackaging) {
  std::string number = orderAt(OrderStatus::ManufacturingCompleted);
  NodeRun check = node("order.start_packaging", "check", {{"order", number}, {"packaging", "crate"}});
  NodeRun record = node("order.start_packaging", "record", check.data);
  EXPECT_EQ(node("order.start_packaging", "move", record.data).next, "packing");
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::Packaging);
  EXPECT_EQ(order->details["packaging"], "crate");
  EXPECT_EQ(order->details["packed_by"], "ada");
}

TEST_F(OrderOperationsTest, ShippingValidatesTheTrackingNumber) {
  NodeRun bad = node("order.ship", "tracking", {{"carrier", "UPS"}, {"tracking_number", "1Z999AA10123456785"}});
  EXPECT_EQ(bad.next, "bad_tracking");
  EXPECT_EQ(node("order.ship", "bad_tracking", bad.data).error->message,
            "UPS 1Z number 1Z999AA10123456785 fails its check digit (has 5, expected 4): is a digit mistyped?");

  std::string number = orderAt(OrderStatus::Packaging);
  NodeRun check = node("order.ship", "check", {{"order", number}, {"carrier", "DHL"}, {"tracking_number", "3318 8100 25"}});
  NodeRun tracking = node("order.ship", "tracking", check.data);
  EXPECT_EQ(tracking.next, "move");
  EXPECT_EQ(tracking.written["record.tracking_number"], "3318810025");
  EXPECT_EQ(node("order.ship", "move", tracking.data).next, "shipped");
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::Shipped);
  EXPECT_EQ(order->details["carrier"], "DHL");
}

TEST_F(OrderOperationsTest, TheAuditReviewIsSignedAndOnlyForShippedOrders) {
  std::string early = orderAt(OrderStatus::Packaging);
  NodeRun load = node("order.review_audit", "load", {{"order", early}}, kSupervisor);
  EXPECT_EQ(node("order.review_audit", "shipped?", load.data, kSupervisor).next, "not_shipped");
  EXPECT_EQ(node("order.review_audit", "load", {{"order", "ORD-404"}}, kSupervisor).next, "refused");

  std::string number = orderAt(OrderStatus::Shipped);
  Json data{{"order", loaded(number)}};
  EXPECT_EQ(node("order.review_audit", "shipped?", data, kSupervisor).next, "sign");
  NodeRun sign = node("order.review_audit", "sign", data, kSupervisor);
  EXPECT_EQ(sign.call->second["meaning"], "reviewed the audit trail");
  data["signing"] = Json{{"signature", signature(*store, "reviewed the audit trail")}};
  NodeRun record = node("order.review_audit", "record", data, kSupervisor);
  EXPECT_EQ(record.next, "reviewed");
  EXPECT_EQ(record.written["review"]["reviewer"], "grace");
  EXPECT_EQ(record.written["review"]["signature"]["meaning"], "reviewed the audit trail");
  EXPECT_EQ(orders->get(number)->details["reviewed_by"], "grace");

  NodeRun manager = node("order.review_audit", "record", data, as("mona", "manager"));
  EXPECT_EQ(manager.next, "refused");
}

TEST_F(OrderOperationsTest, ClosingRequiresAReviewAndRecordsTheReviewer) {
  std::string number = orderAt(OrderStatus::Shipped);
  NodeRun check = node("order.close", "check", {{"order", number}}, kSupervisor);
  EXPECT_EQ(check.next, "reviewed?");
  NodeRun unreviewed = node("order.close", "reviewed?", check.data, kSupervisor);
  EXPECT_EQ(unreviewed.next, "not_reviewed");
  EXPECT_EQ(node("order.close", "not_reviewed", unreviewed.data, kSupervisor).error->message,
            "no supervisor has reviewed the audit trail of order " + number + " since it was shipped");

  ASSERT_TRUE(orders->recordReview(number, {"rita", "supervisor", "ws-2", "", ""}));
  NodeRun reviewed = node("order.close", "reviewed?", check.data, kSupervisor);
  EXPECT_EQ(reviewed.next, "sign");
  EXPECT_EQ(reviewed.written["record.closed_after_review_by"], "rita");
  Json data = reviewed.data;
  data["signing"] = Json{{"signature", signature(*store, "order closed")}};
  EXPECT_EQ(node("order.close", "move", data, kSupervisor).next, "closed");
  auto order = orders->get(number);
  EXPECT_EQ(order->status, OrderStatus::Closed);
  EXPECT_EQ(order->details["closed_after_review_by"], "rita");
}

TEST_F(OrderOperationsTest, HoldReleaseAndCancel) {
  std::string number = orderAt(OrderStatus::Submitted);
  NodeRun hold = node("order.hold", "hold", {{"order", number}, {"reason", "PAYMENT"}, {"note", "card declined"}},
                      kSupervisor);
  EXPECT_EQ(hold.next, "held");
  EXPECT_EQ(hold.data["order"]["hold"], "PAYMENT");
  EXPECT_EQ(node("order.hold", "hold", {{"order", number}, {"reason", "PAYMENT"}, {"note", ""}}, kSupervisor).next,
            "refused");

  NodeRun cancelHeld = node("order.cancel", "check", {{"order", number}, {"reason", "customer left"}}, kSupervisor);
  EXPECT_EQ(cancelHeld.next, "refused");
  EXPECT_THAT(cancelHeld.data["order_refusal"].get<std::string>(), HasSubstr("release it before"));

  EXPECT_EQ(node("order.release", "release", {{"order", number}, {"note", "paid"}}, kSupervisor).next, "released");
  EXPECT_EQ(node("order.release", "release", {{"order", number}, {"note", ""}}, kSupervisor).next, "refused");

  NodeRun check = node("order.cancel", "check", {{"order", number}, {"reason", ""}}, kSupervisor);
  EXPECT_EQ(node("order.cancel", "reason?", check.data, kSupervisor).next, "no_reason");
  check = node("order.cancel", "check", {{"order", number}, {"reason", "customer left"}}, kSupervisor);
  EXPECT_EQ(node("order.cancel", "reason?", check.data, kSupervisor).next, "move");
  EXPECT_EQ(node("order.cancel", "move", check.data, kSupervisor).next, "cancelled");
  EXPECT_EQ(orders->get(number)->status, OrderStatus::Cancelled);

  NodeRun tooLate = node("order.cancel", "check", {{"order", orderAt(OrderStatus::ManufacturingStarted)}}, kSupervisor);
  EXPECT_EQ(tooLate.next, "refused");
  EXPECT_THAT(tooLate.data["order_refusal"].get<std::string>(),
              HasSubstr("cannot move from MANUFACTURING_STARTED to CANCELLED"));
}

} // namespace
} // namespace opflow::store::test
