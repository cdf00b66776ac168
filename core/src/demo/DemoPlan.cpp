#include "opflow/demo/DemoPlan.h"

#include "opflow/store/OrderSeeder.h"

#include <algorithm>
#include <array>
#include <random>

namespace opflow::demo {

namespace {

using domain::OrderStatus;

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// Where the demo's orders are by now, in lifecycle order then CANCELLED: a shop with
// work in every status, a good share finished.
constexpr std::array kStatusWeights{5.0, 5.0, 7.0, 8.0, 9.0, 10.0, 9.0, 7.0, 8.0, 25.0, 7.0};
constexpr std::array kPriorityWeights{20.0, 55.0, 18.0, 7.0};
constexpr std::array kMaterials{"PLA", "PETG", "ABS", "NYLON", "RESIN", "STEEL"};
constexpr std::array kMaterialWeights{30.0, 20.0, 15.0, 12.0, 15.0, 8.0};
constexpr std::array kCarriers{"DHL", "UPS", "FEDEX", "USPS", "DPD"};
constexpr std::array kCancelReasons{"customer changed the design", "duplicate order", "customer found a cheaper quote",
                                    "payment not received", "part no longer needed"};

struct Gap {
  std::int64_t minMs;
  std::int64_t maxMs;
};

// How long after the step before it a step usually comes.
Gap gapBefore(DemoStep step) {
  switch (step) {
  case DemoStep::Create: return {0, 0};
  case DemoStep::UploadWrongFile: return {2 * kMinuteMs, 40 * kMinuteMs};
  case DemoStep::UploadFile: return {2 * kMinuteMs, 40 * kMinuteMs};
  case DemoStep::Submit: return {kMinuteMs, 30 * kMinuteMs};
  case DemoStep::CalculatePrice: return {kMinuteMs, 15 * kMinuteMs};
  case DemoStep::Approve: return {20 * kMinuteMs, 10 * kHourMs};
  case DemoStep::StartManufacturing: return {kHourMs, 2 * kDayMs};
  case DemoStep::CompleteManufacturing: return {2 * kHourMs, 20 * kHourMs};
  case DemoStep::Release: return {2 * kHourMs, kDayMs};
  case DemoStep::StartPackaging: return {30 * kMinuteMs, 6 * kHourMs};
  case DemoStep::ShipWithTypo: return {kHourMs, 8 * kHourMs};
  case DemoStep::Ship: return {kHourMs, 8 * kHourMs};
  case DemoStep::ReviewAudit: return {4 * kHourMs, 3 * kDayMs};
  case DemoStep::Close: return {5 * kMinuteMs, 4 * kHourMs};
  case DemoStep::Hold: return {kHourMs, 20 * kHourMs};
  case DemoStep::Cancel: return {kHourMs, 3 * kDayMs};
  }
  return {kHourMs, kHourMs};
}

class Planner {
public:
  explicit Planner(const DemoPlanOptions& options)
      : m_options(options), m_random(options.seed), m_statuses(kStatusWeights.begin(), kStatusWeights.end()),
        m_priorities(kPriorityWeights.begin(), kPriorityWeights.end()),
        m_materials(kMaterialWeights.begin(), kMaterialWeights.end()) {}

  DemoPlan plan() {
    DemoPlan plan;
    plan.orders.reserve(static_cast<std::size_t>(m_options.orders));
    for (std::int64_t i = 0; i < m_options.orders; ++i) {
      plan.orders.push_back(order());
      std::vector<PlannedStep> steps = stepsOf(plan.orders.size() - 1);
      plan.steps.insert(plan.steps.end(), steps.begin(), steps.end());
    }
    std::stable_sort(plan.steps.begin(), plan.steps.end(),
                     [](const PlannedStep& a, const PlannedStep& b) { return a.atMs < b.atMs; });
    return plan;
  }

private:
  bool chance(double share) { return m_unit(m_random) < share; }
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_random() % n); }
  std::int64_t between(Gap gap) {
    return gap.minMs + static_cast<std::int64_t>(m_unit(m_random) * static_cast<double>(gap.maxMs - gap.minMs));
  }

  DemoOrder order() {
    std::span<const char* const> customers = store::seedCustomers();
    DemoOrder order;
    order.customer = customers[pick(customers.size())];
    order.priority = m_priorities(m_random);
    order.material = kMaterials[static_cast<std::size_t>(m_materials(m_random))];
    order.quantity = chance(0.7) ? 1 : 2 + static_cast<int>(pick(24));
    order.rush = order.priority >= 2 && chance(0.5);
    order.model = pick(std::max<std::size_t>(m_options.models, 1));
    order.operatorName = m_options.operators.empty() ? std::string() : m_options.operators[pick(m_options.operators.size())];
    order.carrier = kCarriers[pick(kCarriers.size())];
    std::span<const domain::HoldReason> reasons = domain::allHoldReasons();
    order.holdReason = reasons[pick(reasons.size())];
    order.cancelReason = kCancelReasons[pick(kCancelReasons.size())];
    return order;
  }

  // The steps an order took to reach its status, timed back from now.
  std::vector<PlannedStep> stepsOf(std::size_t index) {
    auto target = static_cast<OrderStatus>(m_statuses(m_random));
    bool cancelled = target == OrderStatus::Cancelled;
    int reach = cancelled ? static_cast<int>(pick(5)) : domain::positionOf(target);

    std::vector<PlannedStep> steps;
    auto add = [&](DemoStep step, bool qualityPassed = true) { steps.push_back({0, index, step, qualityPassed}); };
    add(DemoStep::Create);
    if (reach >= 1) {
      if (chance(0.04)) {
        add(DemoStep::UploadWrongFile);
      }
      add(DemoStep::UploadFile);
    }
    const std::array forward{DemoStep::Submit, DemoStep::CalculatePrice, DemoStep::Approve,
                             DemoStep::StartManufacturing};
    for (int position = 2; position <= std::min(reach, 5); ++position) {
      add(forward[static_cast<std::size_t>(position - 2)]);
    }
    if (reach >= 6) {
      if (chance(0.03)) {
        add(DemoStep::CompleteManufacturing, false);
        add(DemoStep::Release);
      }
      add(DemoStep::CompleteManufacturing);
    }
    if (reach >= 7) {
      add(DemoStep::StartPackaging);
    }
    if (reach >= 8) {
      if (chance(0.03)) {
        add(DemoStep::ShipWithTypo);
      }
      add(DemoStep::Ship);
    }
    if (reach >= 9 || (reach == 8 && chance(0.3))) {
      add(DemoStep::ReviewAudit);
    }
    if (reach >= 9) {
      add(DemoStep::Close);
    }
    if (cancelled) {
      add(DemoStep::Cancel);
    } else if (reach >= 1 && reach < 9 && chance(0.04)) {
      add(DemoStep::Hold);
    }

    // Time runs back from now: the order has sat in its status for a while (less than
    // the usual wait for its next step), and each step came its usual gap after the last.
    bool finished = cancelled || reach == 9;
    std::int64_t at = m_options.nowMs - (finished ? between({kHourMs, 21 * kDayMs}) : between({kMinuteMs, 2 * kDayMs}));
    for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
      step->atMs = at;
      at -= std::max<std::int64_t>(between(gapBefore(step->step)), kMinuteMs);
    }
    return steps;
  }

  const DemoPlanOptions& m_options;
  std::mt19937_64 m_random;
  std::discrete_distribution<int> m_statuses;
  std::discrete_distribution<int> m_priorities;
  std::discrete_distribution<int> m_materials;
  std::uniform_real_distribution<double> m_unit{0.0, 1.0};
};

} // namespace

DemoPlan planDemo(const DemoPlanOptions& options) { return Planner(options).plan(); }

const char* toString(DemoStep step) {
  switch (step) {
  case DemoStep::Create: return "create";
  case DemoStep::UploadWrongFile: return "upload a wrong file";
  case DemoStep::UploadFile: return "upload the file";
  case DemoStep::Submit: return "submit";
  case DemoStep::CalculatePrice: return "calculate the price";
  case DemoStep::Approve: return "approve manufacturing";
  case DemoStep::StartManufacturing: return "start manufacturing";
  case DemoStep::CompleteManufacturing: return "complete manufacturing";
  case DemoStep::Release: return "release the hold";
  case DemoStep::StartPackaging: return "start packaging";
  case DemoStep::ShipWithTypo: return "ship with a mistyped tracking number";
  case DemoStep::Ship: return "ship";
  case DemoStep::ReviewAudit: return "review the audit trail";
  case DemoStep::Close: return "close";
  case DemoStep::Hold: return "hold";
  case DemoStep::Cancel: return "cancel";
  }
  return "?";
}

} // namespace opflow::demo
