// RunLog: the engine's runs in the log, each line carrying the run's correlation id, run
// id, operation, user, role and workstation (and the node where there is one). A run
// starting and completing, and each step, is debug (the audit log records every run
// already, and the engine may not slow by more than a few per cent at the default level);
// a wait or a cancel is info, a rejected start or a failure warn (error when the failure
// is the store's or a handler's crash).
// Never the run's inputs or outputs: they may hold what must not be logged. Runs resumed
// by recovery, started before this listener, are logged with their run id alone.
// Thread-safety: thread-safe (the engine's workers call it).
#pragma once

#include "opflow/engine/RunListener.h"
#include "opflow/observe/Log.h"

#include <mutex>
#include <unordered_map>

namespace opflow::observe {

class RunLog final : public engine::RunListener {
public:
  void onRunStarted(const engine::RunStartedEvent& event) override;
  void onRunRejected(const engine::RunRejectedEvent& event) override;
  void onStepFinished(const engine::StepFinishedEvent& event) override;
  void onWaiting(const engine::WaitingEvent& event) override;
  void onCompleted(const engine::CompletedEvent& event) override;
  void onFailed(const engine::FailedEvent& event) override;
  void onCancelled(const engine::CancelledEvent& event) override;

private:
  [[nodiscard]] LogFields fieldsOf(const engine::RunId& runId) const;
  [[nodiscard]] LogFields forget(const engine::RunId& runId);

  mutable std::mutex m_mutex;
  std::unordered_map<engine::RunId, LogFields> m_runs; // runs started and not yet ended
};

} // namespace opflow::observe
