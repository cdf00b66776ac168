// RunListener: typed events about runs, as they happen. The Qt bridge re-emits them as
// queued signals; the CLI prints them; tests record them.
// Thread-safety: callbacks arrive on engine worker threads (the caller's thread in
// synchronous mode), concurrently for different runs; implementations must be
// thread-safe and quick.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/engine/RunRecord.h"

#include <optional>
#include <string>

namespace opflow::engine {

struct RunStartedEvent {
  RunId runId;
  std::string operation;
  std::int64_t version = 0;
  RunContext context;
  Json inputs;
};

struct RunRejectedEvent {
  std::string operation;
  RunContext context;
  Error error;
};

struct StepEnteredEvent {
  RunId runId;
  std::string node;
  model::NodeKind kind = model::NodeKind::Action;
  std::int64_t index = 0;
};

struct StepFinishedEvent {
  StepRecord step;
};

struct ProgressEvent {
  RunId runId;
  double fraction = 0.0; // of the whole run when structural, of the node otherwise
  std::string message;
  bool structural = true;
  // A handler's report: the time it has left, in milliseconds, estimated from the typical
  // duration of the node's earlier steps and this step's pace so far; none while nothing
  // is known (no history and no progress yet) and on structural progress.
  std::optional<std::int64_t> etaMs;
};

struct WaitingEvent {
  RunId runId;
  std::string node;
  std::string signal;              // empty for a timer or a sub-operation
  RunId child;                     // set while waiting for a sub-operation
  std::optional<TimePoint> wakeAt; // timer or timeout
};

struct CompletedEvent {
  RunId runId;
  Json outputs;
};

struct FailedEvent {
  RunId runId;
  RunError error;
};

struct CancelledEvent {
  RunId runId;
};

class RunListener {
public:
  virtual ~RunListener() = default;
  virtual void onRunStarted(const RunStartedEvent&) {}
  virtual void onRunRejected(const RunRejectedEvent&) {}
  virtual void onStepEntered(const StepEnteredEvent&) {}
  virtual void onStepFinished(const StepFinishedEvent&) {}
  virtual void onProgress(const ProgressEvent&) {}
  virtual void onWaiting(const WaitingEvent&) {}
  virtual void onCompleted(const CompletedEvent&) {}
  virtual void onFailed(const FailedEvent&) {}
  virtual void onCancelled(const CancelledEvent&) {}
};

} // namespace opflow::engine
