// NodeHarness: runs one node of a catalogued operation in isolation (the seed's
// TestDataCarrier). Give it the data the node sees; it tells which exit the node took,
// where the run would go next, which fields it wrote, and what it asked for (a
// sub-operation call, a wait) or how it ended the run. Calls and waits can be completed
// on the spot with a stubbed result, a signal or a timeout.
// Thread-safety: one harness per test thread.
#pragma once

#include "opflow/engine/OperationCatalog.h"
#include "opflow/engine/RunRecord.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opflow::testing {

struct NodeRun {
  std::string exit;       // the exit taken ("true", "case 2", a handler's exit, "success", ...)
  std::string next;       // the node the run goes to; empty when it ends or waits
  Json written = Json::object(); // every field written: {"path": value}
  Json data;              // the data after the node
  std::optional<Json> outputs;             // a result node's outputs
  std::optional<engine::RunError> error;   // how a fail node or a failing handler ended the run
  std::optional<std::pair<std::string, Json>> call; // a call node's (operation, inputs), when not completed
  std::optional<std::string> waitsFor;     // a wait node's signal ("" for a timer), when not completed
  std::vector<std::pair<double, std::string>> progress; // handler progress reports
};

// How to complete a call or wait node within the same harness run.
struct Completion {
  enum class Kind { None, CallSucceeds, CallFails, Signal, Timer, Timeout };
  Kind kind = Kind::None;
  Json payload;            // the stubbed outputs or the signal payload
  engine::RunError error;  // for CallFails

  static Completion callSucceeds(Json outputs) { return {Kind::CallSucceeds, std::move(outputs), {}}; }
  static Completion callFails(std::string code, std::string message) {
    return {Kind::CallFails, nullptr, engine::RunError{std::move(code), std::move(message), {}}};
  }
  static Completion signal(Json payload = nullptr) { return {Kind::Signal, std::move(payload), {}}; }
  static Completion timer() { return {Kind::Timer, nullptr, {}}; }
  static Completion timeout() { return {Kind::Timeout, nullptr, {}}; }
};

class NodeHarness {
public:
  explicit NodeHarness(const engine::OperationCatalog& catalog);

  // Runs `node` of the latest version of `operation` with `data` (ctx is added from `context`).
  [[nodiscard]] Result<NodeRun> run(const std::string& operation, const std::string& node, Json data,
                                    const Completion& completion = {}, engine::RunContext context = {}) const;

private:
  const engine::OperationCatalog& m_catalog;
};

} // namespace opflow::testing
