// What is known about a run and each of its steps: the rows a RunStore keeps.
// Thread-safety: value types.
#pragma once

#include "opflow/Json.h"
#include "opflow/engine/RunId.h"
#include "opflow/model/Node.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::engine {

using TimePoint = std::chrono::system_clock::time_point;

enum class RunState { Running, Waiting, Completed, Failed, Cancelled, Interrupted };

[[nodiscard]] const char* toString(RunState state);
[[nodiscard]] bool isTerminal(RunState state);

// Who started the run, where, and under which correlation id. Readable by expressions
// under the reserved data key "ctx".
struct RunContext {
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId; // generated when empty
  RunId runId;
  RunId parentRunId;

  [[nodiscard]] Json toJson() const;
};

// Why a run failed. `path` locates the failing node through nested calls, outermost
// first: {"order.ship/price", "pricing.calculate/fetch_rates"}.
struct RunError {
  std::string code; // no_decision, handler_error, handler_exception, undeclared_exit,
                    // step_limit, business_failure, invalid_call, store_error
  std::string message;
  std::vector<std::string> path;

  [[nodiscard]] std::string describe() const;
  [[nodiscard]] Json toJson() const;
};

struct StepRecord {
  RunId runId;
  std::int64_t index = 0; // 0-based position in the run's journal
  std::string node;
  model::NodeKind kind = model::NodeKind::Action;
  std::string exit; // the edge taken ("true", "case 2", "success", "signal", ...)
  TimePoint startedAt;
  std::int64_t durationUs = 0;
  std::string error; // set when the step ended the run with an error
  bool retry = false;
};

// The latest progress report of the handler a run is in, as the engine keeps it while
// the run is in that node (Engine::runRecord, Engine::activeRuns). Never stored.
struct RunProgress {
  std::string node;
  double fraction = 0.0; // of the node
  std::string message;
  std::optional<std::int64_t> etaMs; // time left in the node as of reportedAt (see ProgressEvent)
  TimePoint reportedAt;
};

struct RunRecord {
  RunId id;
  RunId parentId;
  std::string operation;
  std::int64_t version = 0;
  std::string contentHash;
  RunState state = RunState::Running;
  std::string currentNode;
  Json inputs = Json::object();
  Json data = Json::object();
  Json outputs; // set on completion
  RunContext context;
  TimePoint createdAt;
  TimePoint updatedAt;
  std::optional<TimePoint> wakeAt; // timer or timeout of the current wait
  std::string awaitedSignal;
  RunId awaitedChild;
  std::optional<RunError> error;
  std::int64_t stepCount = 0;
  std::optional<RunProgress> progress; // live runs only, filled by the engine: never stored
};

} // namespace opflow::engine
