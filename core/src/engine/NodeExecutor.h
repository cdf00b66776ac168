// NodeExecutor: what one node does, apart from any engine. execute() runs a node against
// the run's data and says what happens next (go to a node, call a sub-operation, park,
// finish, fail); resume() does the second half of a call or wait once it is woken.
// The engine drives runs with it, and the test harness runs single nodes with it, so a
// node behaves the same in both.
// Thread-safety: stateless; each call works on the data it is given.
#pragma once

#include "opflow/engine/CompiledOperation.h"
#include "opflow/engine/RunRecord.h"
#include "opflow/engine/RunStore.h"

#include <optional>
#include <stop_token>
#include <string>
#include <variant>

namespace opflow::engine::detail {

struct GoTo {
  std::size_t target = kNoNode;
  std::string exit;
};

struct CallRequest {
  std::string operation;
  Json inputs;
};

struct ParkRequest {
  std::string signal;             // empty: a timer
  std::optional<double> afterS;   // timer, or timeout of the signal
  std::string deadlineAs;         // the field that keeps the deadline across entries (WaitNode)
};

struct Finish {
  Json outputs;
};

struct Failure {
  RunError error;
};

using StepOutcome = std::variant<GoTo, CallRequest, ParkRequest, Finish, Failure>;

enum class WakeKind { Signal, Timer, Timeout, ChildCompleted, ChildFailed };

struct WakeReason {
  WakeKind kind = WakeKind::Signal;
  Json payload;   // the signal's payload or the sub-run's outputs
  RunError error; // the sub-run's failure
  std::string signal; // Signal: its name (for the journal's audit)
  Actor actor;        // Signal: who sent it (empty: the run's own context)
};

class ProgressSink {
public:
  virtual ~ProgressSink() = default;
  virtual void report(double fraction, const std::string& message) = 0;
};

struct NodeScope {
  const CompiledOperation& operation;
  Json& data;
  const RunContext& context;
  std::stop_token stopToken;
  ProgressSink* progress = nullptr; // may be null
  Json* written = nullptr;          // when set, receives every field written: {path: value}
};

[[nodiscard]] StepOutcome executeNode(const CompiledNode& node, NodeScope& scope);
[[nodiscard]] StepOutcome resumeNode(const CompiledNode& node, NodeScope& scope, const WakeReason& wake);

// The name a step of `node` is journaled under in failure paths: "operation/node".
[[nodiscard]] std::string nodePath(const CompiledOperation& operation, const CompiledNode& node);

// Writes `value` at a dot path ("a.b.c"), creating objects on the way.
void writeField(Json& data, const std::string& path, Json value);

} // namespace opflow::engine::detail
