// The contract of a C++ action handler: a stateless function of (data view, effects).
// A handler reads the run's data and its `with` arguments, writes fields and reports
// progress only through HandlerEffects, and returns the exit it takes ("" = the node's
// go_to). It should return promptly once its stop token is triggered.
// Thread-safety: handlers run on engine worker threads, many at once; they must not
// keep state between calls.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/engine/RunRecord.h"

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace opflow::engine {

struct HandlerInput {
  const Json& data;          // the run's data, including "ctx"
  const Json& args;          // the node's `with`, evaluated
  const RunContext& context;
  std::stop_token stopToken;
};

class HandlerEffects {
public:
  virtual ~HandlerEffects() = default;
  // Writes `field` (a dot path) into the run's data once the handler returns.
  virtual void set(const std::string& field, Json value) = 0;
  // Reports progress within this node: fraction in [0, 1] and a message for the operator.
  virtual void progress(double fraction, const std::string& message) = 0;
};

// The exit a handler takes; empty means the node's go_to.
using HandlerResult = Result<std::string>;
using HandlerFn = std::function<HandlerResult(const HandlerInput&, HandlerEffects&)>;

struct HandlerSpec {
  std::string name;
  std::vector<std::string> exits; // the exits it may choose besides the default
  bool idempotent = true;         // safe to re-run after a crash
  std::string description;
  HandlerFn fn;
};

} // namespace opflow::engine
