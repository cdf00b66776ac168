// WorkstationHost: one process's hold on a workstation database for running operations.
// It owns the open store, the engine lock (EngineLock: one process drives the runs of a
// database at a time; a killed process releases it), the Workstation services, a catalog of the
// shipped definitions plus every version stored in the database (the shipped handlers
// bound to this database's services), the durable run store and the engine, whose runs
// it logs (observe::RunLog) and measures (observe::RunMetrics).
// The CLI opens one with a synchronous engine; the console with worker threads.
// open() does not resume earlier runs: add listeners first, then call recover().
// Thread-safety: the members give objects that are each thread-safe; open and destroy
// on one thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/builtin/Workstation.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/host/EngineLock.h"
#include "opflow/observe/RunLog.h"
#include "opflow/observe/RunMetrics.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <memory>
#include <string>
#include <vector>

namespace opflow::host {

struct HostOptions {
  engine::EngineOptions engine; // workers 0: synchronous (the CLI); more: a worker pool
  EngineLockOptions lock;       // who this process is, and how long it waits for another
};

class WorkstationHost {
public:
  // Takes over `store`. Fails when the lock cannot be had or the settings are unusable. A
  // stored definition this build cannot compile (a newer build's, taken from the shop, or
  // one that calls such a one) is left out and named in leftOutDefinitions(): runs of it
  // neither start nor resume here until opflow is updated, and everything else works.
  [[nodiscard]] static Result<std::unique_ptr<WorkstationHost>> open(std::unique_ptr<store::LocalStore> store,
                                                                     const HostOptions& options = {});
  // Stops the engine, commits what the run store was given, then releases the lock.
  ~WorkstationHost();
  WorkstationHost(const WorkstationHost&) = delete;
  WorkstationHost& operator=(const WorkstationHost&) = delete;

  // Resumes what earlier processes left (Engine::recover).
  [[nodiscard]] Status recover() { return m_engine->recover(); }

  [[nodiscard]] store::LocalStore& store() { return *m_store; }
  [[nodiscard]] builtin::Workstation& workstation() { return *m_workstation; }
  [[nodiscard]] engine::OperationCatalog& catalog() { return m_catalog; }
  [[nodiscard]] store::SqliteRunStore& runs() { return *m_runs; }
  [[nodiscard]] engine::Engine& engine() { return *m_engine; }
  // The engine's live RED metrics (for /metrics).
  [[nodiscard]] const observe::RunMetrics& runMetrics() const { return m_runMetrics; }
  // The stored definitions left out of the catalog: "name vN: why", each.
  [[nodiscard]] const std::vector<std::string>& leftOutDefinitions() const { return m_leftOut; }

private:
  // Adds to `catalog` the definitions of `batch` that compile with this build; the others,
  // named with their first problem.
  [[nodiscard]] static Result<std::vector<std::string>> addWhatCompiles(engine::OperationCatalog& catalog,
                                                                        std::vector<model::OperationDefinition> batch);

  WorkstationHost() : m_catalog(m_handlers) {}

  std::unique_ptr<EngineLock> m_lock;
  std::unique_ptr<store::LocalStore> m_store;
  std::unique_ptr<builtin::Workstation> m_workstation;
  engine::HandlerRegistry m_handlers;
  engine::OperationCatalog m_catalog;
  std::unique_ptr<store::SqliteRunStore> m_runs;
  observe::RunLog m_runLog;         // both outlive the engine, which calls them
  observe::RunMetrics m_runMetrics;
  std::unique_ptr<engine::Engine> m_engine;
  std::vector<std::string> m_leftOut;
};

// The workstation database when none is named: $OPFLOW_DB, else
// $XDG_DATA_HOME/opflow/opflow.db, else ~/.local/share/opflow/opflow.db.
[[nodiscard]] std::string defaultDatabasePath();
// This machine's name, as sessions, audit entries and runs record the workstation.
[[nodiscard]] std::string workstationName();

} // namespace opflow::host
