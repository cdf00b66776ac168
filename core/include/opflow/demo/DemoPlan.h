// DemoPlan: the demo shop's past as a timetable. Each order gets the status it has
// reached by now (early and mid statuses are common, some are cancelled) and the steps
// that brought it there, spaced the way a shop works (minutes between upload and
// submit, hours to approval, a queue before manufacturing, days to closing), with the
// detours real orders take: a refused upload, a quality hold, a customer's hold, a
// mistyped tracking number. All steps of all orders are merged in time order, so the
// simulation replays the shop's history the way it happened.
// The same seed gives the same plan.
// Thread-safety: value types and a pure function.
#pragma once

#include "opflow/domain/HoldReason.h"
#include "opflow/domain/OrderStatus.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opflow::demo {

enum class DemoStep {
  Create,
  UploadWrongFile, // a file type the shop does not print: refused
  UploadFile,
  Submit,
  CalculatePrice,
  Approve,
  StartManufacturing,
  CompleteManufacturing, // with `qualityPassed`; a failure holds the order for a quality check
  Release,               // after a hold
  StartPackaging,
  ShipWithTypo, // a mistyped tracking number: refused
  Ship,
  ReviewAudit,
  Close,
  Hold,
  Cancel,
};

struct DemoOrder {
  std::string customer;
  int priority = 1;
  std::string material;
  int quantity = 1;
  bool rush = false;
  std::size_t model = 0; // index into the demo models
  std::string operatorName;
  std::string carrier;
  domain::HoldReason holdReason = domain::HoldReason::CustomerRequest;
  std::string cancelReason;
};

struct PlannedStep {
  std::int64_t atMs = 0;
  std::size_t order = 0; // index into DemoPlan::orders
  DemoStep step = DemoStep::Create;
  bool qualityPassed = true; // CompleteManufacturing
};

struct DemoPlan {
  std::vector<DemoOrder> orders;
  std::vector<PlannedStep> steps; // in time order; every atMs < nowMs
};

struct DemoPlanOptions {
  std::int64_t orders = 10'000;
  std::uint64_t seed = 2026;
  std::int64_t nowMs = 0;
  std::size_t models = 1; // how many demo models there are to choose from
  std::vector<std::string> operators;
};

[[nodiscard]] DemoPlan planDemo(const DemoPlanOptions& options);

[[nodiscard]] const char* toString(DemoStep step);

} // namespace opflow::demo
