#include "opflow/pricing/PricingJob.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace opflow::pricing {

namespace {

struct PhaseShare {
  const char* name;
  const char* label;
  double share;
};

constexpr std::array kPhases{
    PhaseShare{"mesh_analysis", "Analysing the mesh", 0.15},
    PhaseShare{"support_generation", "Generating supports", 0.20},
    PhaseShare{"slicing", "Slicing", 0.35},
    PhaseShare{"machine_time", "Computing material and machine time", 0.20},
    PhaseShare{"quote", "Preparing the quote", 0.10},
};

constexpr double kFixedSeconds = 120.0;
constexpr double kSecondsPerCm3 = 0.6;
constexpr double kSecondsPerExtraCopy = 1.0;
constexpr std::int64_t kMaxTimedCopies = 120;

} // namespace

JobPlan planJob(const PriceRequest& request) {
  const MaterialRates& rates = ratesOf(request.material);
  double extraCopies = static_cast<double>(std::clamp<std::int64_t>(request.quantity - 1, 0, kMaxTimedCopies));
  double seconds = kFixedSeconds + kSecondsPerCm3 * request.volumeCm3 * rates.preparationFactor +
                   kSecondsPerExtraCopy * extraCopies;
  auto total = std::min(std::chrono::milliseconds(std::llround(seconds * 1000.0)), kMaxJobDuration);

  JobPlan plan;
  plan.duration = total;
  double start = 0.0;
  std::chrono::milliseconds planned{0};
  for (std::size_t i = 0; i < kPhases.size(); ++i) {
    const PhaseShare& phase = kPhases[i];
    bool last = i + 1 == kPhases.size();
    double end = last ? 1.0 : start + phase.share;
    auto duration = last ? total - planned
                         : std::chrono::milliseconds(std::llround(static_cast<double>(total.count()) * phase.share));
    plan.phases.push_back({phase.name, phase.label, start, end, duration});
    planned += duration;
    start = end;
  }
  return plan;
}

} // namespace opflow::pricing
