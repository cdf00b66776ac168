// EngineSession: what the database-backed run commands share. It opens the workstation
// database, takes the engine lock (one process drives the runs of a database at a time;
// others wait for it, and a killed process releases it), builds the catalog from the
// shipped definitions plus every stored version (with the shipped handlers bound to this
// database's Workstation services: orders, signatures, the pricing worker its settings
// configure), and runs a synchronous engine over the durable run store. recover() resumes what earlier
// processes left: runs that were mid-flight, parked runs, overdue timers.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"
#include "Definitions.h"
#include "opflow/builtin/Workstation.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/RunFeeder.h"
#include "opflow/store/DefinitionStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <deque>
#include <iosfwd>
#include <memory>
#include <optional>
#include <vector>

namespace opflow::cli {

class EngineSession {
public:
  // Null (with the reason on `err`) when the database is missing, newer or unusable.
  [[nodiscard]] static std::unique_ptr<EngineSession> open(const CliContext& context, std::ostream& err);
  ~EngineSession();
  EngineSession(const EngineSession&) = delete;
  EngineSession& operator=(const EngineSession&) = delete;

  // Loads definition files, checks them against the catalog and stores them in the
  // database as `by` (an admin: see DefinitionStore): what became of each, in file order.
  // Nothing, with every problem on `err`, when refused.
  [[nodiscard]] std::optional<std::vector<store::DefinitionOutcome>> loadAndStore(const std::vector<std::string>& paths,
                                                                                 const engine::Actor& by,
                                                                                 std::ostream& err);

  // Resumes what earlier processes left (see Engine::recover); false, with the reason on
  // `err`, when that fails.
  [[nodiscard]] bool recover(std::ostream& err);

  // Carries a run on to its end or its next wait: signals in `signals` are delivered to
  // the waits for them, in order; with `sleepThroughTimers` timer waits are slept out
  // (waits for a signal not given are never sat out to their timeout).
  [[nodiscard]] Status carry(const engine::RunId& runId, std::deque<engine::PendingSignal>& signals,
                             bool sleepThroughTimers);
  // Sleeps through every timer until none is left (resume --wait).
  void drainTimers();

  [[nodiscard]] engine::Engine& engine() { return *m_engine; }
  [[nodiscard]] store::SqliteRunStore& runs() { return *m_runs; }
  [[nodiscard]] Definitions& definitions() { return m_definitions; }
  [[nodiscard]] store::LocalStore& store() { return *m_store; }
  [[nodiscard]] store::OrderStore& orders() { return m_workstation->orders(); }
  [[nodiscard]] store::UserStore& users() { return m_workstation->users(); }
  [[nodiscard]] store::SignatureStore& signatures() { return m_workstation->signatures(); }

private:
  EngineSession() = default;

  int m_lockFd = -1;
  std::unique_ptr<store::LocalStore> m_store;
  std::unique_ptr<builtin::Workstation> m_workstation;
  Definitions m_definitions;
  std::unique_ptr<store::SqliteRunStore> m_runs;
  std::unique_ptr<engine::Engine> m_engine;
};


// The JSON `run`, `signal` and `decide` print for a run, and its text form.
[[nodiscard]] Json runResultJson(const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps);
void printRunText(std::ostream& out, const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps);

} // namespace opflow::cli
