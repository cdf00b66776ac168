#include "opflow/engine/RunFeeder.h"

#include <fmt/format.h>

namespace opflow::engine {

RunRecord waitingLeaf(const RunStore& store, RunRecord run) {
  while (!run.awaitedChild.empty()) {
    auto child = store.loadRun(run.awaitedChild);
    if (!child) {
      break;
    }
    run = std::move(*child);
  }
  return run;
}

Status feedRun(Engine& engine, const RunStore& store, const RunId& runId, std::deque<PendingSignal>& signals,
               const std::function<void(TimePoint)>& passTime) {
  while (true) {
    auto run = store.loadRun(runId);
    if (!run) {
      return makeError(ErrorCode::NotFound, fmt::format("run {} is not in the store", runId.str()));
    }
    if (run->state != RunState::Waiting) {
      return {};
    }
    RunRecord leaf = waitingLeaf(store, std::move(*run));
    if (!leaf.awaitedSignal.empty()) {
      if (signals.empty()) {
        return {};
      }
      PendingSignal next = std::move(signals.front());
      signals.pop_front();
      if (Status delivered = engine.signal(runId, next.name, std::move(next.payload)); !delivered) {
        return makeError(delivered.error().code,
                         fmt::format("signal \"{}\" not delivered: {}", next.name, delivered.error().message));
      }
      continue;
    }
    auto due = engine.nextTimerDue();
    if (!due) {
      return {};
    }
    passTime(*due);
    engine.fireDueTimers();
  }
}

} // namespace opflow::engine
