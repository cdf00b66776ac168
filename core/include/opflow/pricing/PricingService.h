// PricingService: the pricing worker. calculate() runs the simulated pricing job of a
// request (see PricingJob.h): it works through the job's phases in real time, the
// durations divided by the speed factor, reporting progress at the start of each phase
// and every tenth of a phase within it (in wall-clock time at most every 100 ms and at
// least every second), and returns the quote (see PriceModel.h).
//
// It takes its time from an engine::Clock: the system clock sleeps for real and stops
// within moments once its stop token is triggered; a manual clock (the demo shop's
// simulation) moves on instead of sleeping. It gives up when the job runs past its
// timeout (scaled by the speed factor like the job), and fails transiently at a
// deterministic rate: with failure rate r, the n-th calculation of this service fails
// when floor(n r) > floor((n - 1) r), so 0.25 fails the 4th, 8th, 12th..., 0.5 every
// second one, 1 every one and 0 (the default) none: a rare failure does not hit the
// first calculation of every process. A failing calculation fails halfway through slicing.
// Thread-safety: calculate() may be called from many threads at once.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/Clock.h"
#include "opflow/pricing/PriceModel.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

namespace opflow::pricing {

struct PricingOptions {
  double speedFactor = 1.0; // divides every duration and timeout: 60 makes a 3-minute job 3 s
  double failureRate = 0.0; // share of calculations that fail transiently, in [0, 1]
};

enum class PricingStatus { Priced, Failed, TimedOut, Cancelled };

struct PricingOutcome {
  PricingStatus status = PricingStatus::Priced;
  PriceQuote quote;                      // Priced: the price
  std::string error;                     // Failed, TimedOut: what happened, for the operator
  std::chrono::milliseconds elapsed{0};  // wall-clock time the calculation took
};

// Progress within the job: fraction in [0, 1] and the phase the operator reads.
using PricingProgressFn = std::function<void(double fraction, const std::string& message)>;

class PricingService {
public:
  // A speed factor that is not a positive number counts as 1; the failure rate is clamped to [0, 1].
  explicit PricingService(PricingOptions options = {}, const engine::Clock& clock = engine::systemClock());

  [[nodiscard]] const PricingOptions& options() const { return m_options; }

  // Prices `request`, taking as long as its job at this service's speed factor. `timeout`
  // is at speed factor 1 (none: no limit). An invalid request is an error, before any work.
  [[nodiscard]] Result<PricingOutcome> calculate(const PriceRequest& request,
                                                 std::optional<std::chrono::milliseconds> timeout,
                                                 std::stop_token stop, const PricingProgressFn& progress);

private:
  [[nodiscard]] bool nextCalculationFails();

  PricingOptions m_options;
  const engine::Clock& m_clock;
  std::atomic<std::uint64_t> m_calculations{0};
};

} // namespace opflow::pricing
