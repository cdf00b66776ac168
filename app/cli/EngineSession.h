// EngineSession: what the database-backed run commands share: a WorkstationHost over the
// workstation database (the engine lock; the catalog of shipped and stored definitions;
// the durable run store) with a synchronous engine. recover() resumes what earlier
// processes left: runs that were mid-flight, parked runs, overdue timers.
// The engine lock: another command that holds it is waited for up to --lock-wait (saying
// whom the command waits for); a console that holds it is not waited for at all, since
// it holds it while it is open: the command fails at once naming it (exit 2).
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"
#include "Definitions.h"
#include "opflow/host/WorkstationHost.h"
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
  // Null (with the reason on `err`) when the database is missing, newer or unusable, or
  // another process runs its operations. `command` names this one to whoever waits for it.
  [[nodiscard]] static std::unique_ptr<EngineSession> open(const CliContext& context, const std::string& command,
                                                           std::ostream& err);
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
  // Sleeps through the timer waits of `runs` (a retry's backoff) until each has ended or
  // waits for something a timer does not bring: a signal (whatever its timeout), or a
  // sub-run. Timers of other runs that fall due meanwhile fire too; nobody else's wait
  // keeps this process. The journal's first failure ends it (see journal()).
  [[nodiscard]] Status sleepThroughTimers(std::vector<engine::RunId> runs);
  // The first failure to journal a change in this session (disk full, a file that cannot
  // be written), after waiting for what was journaled to commit; it stays the answer.
  [[nodiscard]] Status journal();

  [[nodiscard]] engine::Engine& engine() { return m_host->engine(); }
  [[nodiscard]] store::SqliteRunStore& runs() { return m_host->runs(); }
  [[nodiscard]] Definitions& definitions() { return *m_definitions; }
  [[nodiscard]] store::LocalStore& store() { return m_host->store(); }
  [[nodiscard]] store::OrderStore& orders() { return m_host->workstation().orders(); }
  [[nodiscard]] store::UserStore& users() { return m_host->workstation().users(); }
  [[nodiscard]] store::SignatureStore& signatures() { return m_host->workstation().signatures(); }

private:
  EngineSession() = default;

  std::unique_ptr<host::WorkstationHost> m_host;
  std::unique_ptr<Definitions> m_definitions;
  std::optional<Error> m_journalFailure;
};


// The JSON `run`, `signal` and `decide` print for a run, and its text form.
[[nodiscard]] Json runResultJson(const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps);
void printRunText(std::ostream& out, const engine::RunRecord& run, const std::vector<engine::StepRecord>& steps);

} // namespace opflow::cli
