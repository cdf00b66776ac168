#include "opflow/pricing/PricingService.h"

#include "opflow/pricing/PricingJob.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace opflow::pricing {

namespace {

using SteadyClock = std::chrono::steady_clock;
using engine::SteadyTimePoint;

// Within a phase, progress is reported every tenth of it, in wall-clock time no more often
// than every 100 ms (a fast demo) and no less often than every second (a real job).
constexpr auto kMinReportGap = std::chrono::milliseconds(100);
constexpr auto kMaxReportGap = std::chrono::seconds(1);


} // namespace

PricingService::PricingService(PricingOptions options, const engine::Clock& clock)
    : m_options(options), m_clock(clock) {
  if (!std::isfinite(m_options.speedFactor) || m_options.speedFactor <= 0.0) {
    m_options.speedFactor = 1.0;
  }
  m_options.failureRate = std::isfinite(m_options.failureRate) ? std::clamp(m_options.failureRate, 0.0, 1.0) : 0.0;
}

bool PricingService::nextCalculationFails() {
  auto n = static_cast<double>(m_calculations.fetch_add(1) + 1);
  return std::floor(n * m_options.failureRate) > std::floor((n - 1.0) * m_options.failureRate);
}

Result<PricingOutcome> PricingService::calculate(const PriceRequest& request,
                                                 std::optional<std::chrono::milliseconds> timeout,
                                                 std::stop_token stop, const PricingProgressFn& progress) {
  auto quote = quotePrice(request);
  if (!quote) {
    return quote.error();
  }
  const JobPlan plan = planJob(request);
  const bool fails = nextCalculationFails();
  const SteadyTimePoint start = m_clock.steadyNow();
  // Wall-clock time `simulated` into the job.
  auto at = [&](std::chrono::duration<double, std::milli> simulated) {
    return start + std::chrono::duration_cast<SteadyClock::duration>(simulated / m_options.speedFactor);
  };
  const SteadyTimePoint deadline = timeout ? at(*timeout) : SteadyTimePoint::max();
  auto report = [&](double fraction, const std::string& message) {
    if (progress) {
      progress(fraction, message);
    }
  };
  auto millisSince = [&](SteadyTimePoint from) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.steadyNow() - from);
  };
  auto ended = [&](PricingStatus status, std::string error) {
    return PricingOutcome{status, {}, std::move(error), millisSince(start)};
  };

  std::chrono::milliseconds phaseStart{0};
  for (const JobPhase& phase : plan.phases) {
    const SteadyTimePoint from = at(phaseStart);
    const SteadyTimePoint to = at(phaseStart + phase.duration);
    const SteadyTimePoint failAt =
        fails && phase.name == "slicing" ? at(phaseStart + phase.duration / 2) : SteadyTimePoint::max();
    const SteadyClock::duration reportGap = std::clamp<SteadyClock::duration>((to - from) / 10, kMinReportGap, kMaxReportGap);
    report(phase.startFraction, phase.label);
    SteadyTimePoint now = from;
    while (true) {
      SteadyTimePoint next = std::min({now + reportGap, to, failAt});
      if (deadline < next) {
        if (!m_clock.sleepUntil(deadline, stop)) {
          return ended(PricingStatus::Cancelled, {});
        }
        return ended(PricingStatus::TimedOut,
                     fmt::format("the price calculation ran past its {} s timeout ({})",
                                 std::chrono::duration_cast<std::chrono::seconds>(*timeout).count(), phase.label));
      }
      if (!m_clock.sleepUntil(next, stop)) {
        return ended(PricingStatus::Cancelled, {});
      }
      if (next == failAt) {
        return ended(PricingStatus::Failed,
                     fmt::format("the pricing worker failed during \"{}\" (transient: try again)", phase.label));
      }
      if (next == to) {
        break;
      }
      now = next;
      double within = std::chrono::duration<double>(now - from) / std::chrono::duration<double>(to - from);
      report(phase.startFraction + (phase.endFraction - phase.startFraction) * within, phase.label);
    }
    phaseStart += phase.duration;
  }
  report(1.0, fmt::format("Quote ready: {} {:.2f}", quote->currency, static_cast<double>(quote->cents) / 100.0));
  return PricingOutcome{PricingStatus::Priced, std::move(quote).value(), {}, millisSince(start)};
}

} // namespace opflow::pricing
