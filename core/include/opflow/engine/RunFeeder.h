// feedRun: carries a run of a synchronous-mode engine to its end, or to a wait that
// nothing given can end. Signals are delivered to the run's waits in order (a parent
// waiting on a call passes them to the sub-run that waits); timer waits elapse through
// `passTime`, which the CLI makes a real sleep and the test harness a manual clock.
// A wait for a signal that was not given is left waiting, not sat out to its timeout.
// Thread-safety: use from the thread that drives the synchronous engine.
#pragma once

#include "opflow/engine/Engine.h"

#include <deque>
#include <functional>
#include <string>

namespace opflow::engine {

struct PendingSignal {
  std::string name;
  Json payload;
};

// Signals not needed are left in `signals`. Fails when a signal is refused (for
// example because the run waits for another one); the run stays as it was.
[[nodiscard]] Status feedRun(Engine& engine, const RunStore& store, const RunId& runId,
                             std::deque<PendingSignal>& signals, const std::function<void(TimePoint)>& passTime);

// The run whose wait holds a run tree up: follows the chain of awaited sub-runs.
[[nodiscard]] RunRecord waitingLeaf(const RunStore& store, RunRecord run);

} // namespace opflow::engine
