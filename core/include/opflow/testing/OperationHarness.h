// OperationHarness: runs a whole operation in synchronous mode with chosen
// sub-operations replaced by stubs that return known results, and records the inputs
// each stub was called with, so a test can assert what a parent passes to its calls.
// Stubs keep the real operation's input declaration, so a call that passes bad inputs
// is still refused as it would be for real.
// Thread-safety: one harness per test thread.
#pragma once

#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/engine/OperationCatalog.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace opflow::testing {

struct RunOutcome {
  engine::RunRecord run;
  std::vector<engine::StepRecord> steps;
};

class OperationHarness {
public:
  // Uses the latest version of each operation of `source`, and its handlers.
  explicit OperationHarness(const engine::OperationCatalog& source);

  // `operation` returns `outputs` (an object) whenever it is called.
  void stub(const std::string& operation, Json outputs);
  // `operation` fails with a business failure giving `reason`.
  void stubFailure(const std::string& operation, std::string reason);

  // Runs `operation` to its end, or to a wait for a signal not given: `signals` are
  // delivered to its waits in order, and timers elapse at once on a manual clock.
  [[nodiscard]] Result<RunOutcome> run(const std::string& operation, Json inputs,
                                       std::vector<std::pair<std::string, Json>> signals = {},
                                       engine::RunContext context = {});

  // The inputs each call of a stubbed operation received, in call order.
  [[nodiscard]] std::vector<Json> callsTo(const std::string& operation) const;

private:
  struct Stub {
    Json outputs;
    std::string failure;
  };
  struct CallLog {
    mutable std::mutex mutex;
    std::map<std::string, std::vector<Json>> calls;
  };

  [[nodiscard]] Result<model::OperationDefinition> stubDefinition(const std::string& operation, const Stub& stub,
                                                                  engine::HandlerRegistry& handlers) const;

  const engine::OperationCatalog& m_source;
  std::map<std::string, Stub> m_stubs;
  std::shared_ptr<CallLog> m_log = std::make_shared<CallLog>();
};

} // namespace opflow::testing
