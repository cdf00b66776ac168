#include "opflow/host/WorkstationHost.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/store/DefinitionStore.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>

namespace opflow::host {

Result<std::unique_ptr<WorkstationHost>> WorkstationHost::open(std::unique_ptr<store::LocalStore> store,
                                                               const HostOptions& options) {
  std::unique_ptr<WorkstationHost> host(new WorkstationHost());
  host->m_store = std::move(store);
  auto lock = EngineLock::acquire(host->m_store->path(), options.lock);
  if (!lock) {
    return lock.error();
  }
  host->m_lock = std::move(lock).value();
  engine::EngineOptions engineOptions = options.engine;
  auto workstation = builtin::Workstation::open(*host->m_store, engineOptions.clock ? *engineOptions.clock
                                                                                    : engine::systemClock());
  if (!workstation) {
    return workstation.error();
  }
  host->m_workstation = std::move(workstation).value();
  if (Status registered = builtin::registerHandlers(host->m_handlers, host->m_workstation->services()); !registered) {
    return makeError(registered.error().code, "shipped handlers: " + registered.error().describe());
  }
  if (Status loaded = builtin::loadDefinitions(host->m_catalog); !loaded) {
    return makeError(loaded.error().code, "shipped operations: " + loaded.error().describe());
  }
  store::DefinitionStore definitions(*host->m_store);
  auto stored = definitions.loadAll();
  if (!stored) {
    return stored.error();
  }
  std::vector<model::OperationDefinition> batch;
  for (store::StoredDefinition& definition : *stored) {
    batch.push_back(std::move(definition.definition));
  }
  auto left = addWhatCompiles(host->m_catalog, std::move(batch));
  if (!left) {
    return makeError(left.error().code, "the stored definitions do not load: " + left.error().describe());
  }
  host->m_leftOut = std::move(left).value();
  host->m_runs = std::make_unique<store::SqliteRunStore>(*host->m_store);
  host->m_engine = std::make_unique<engine::Engine>(host->m_catalog, *host->m_runs, engineOptions);
  host->m_engine->addListener(host->m_runLog);
  host->m_engine->addListener(host->m_runMetrics);
  for (const std::string& leftOut : host->m_leftOut) {
    observe::log(observe::LogLevel::Warn, "host", "a stored definition is left out: this build cannot run it",
                 {.workstation = workstationName(), .extra = {{"definition", leftOut}}});
  }
  return host;
}

Result<std::vector<std::string>> WorkstationHost::addWhatCompiles(engine::OperationCatalog& catalog,
                                                                  std::vector<model::OperationDefinition> batch) {
  std::vector<std::string> leftOut;
  // Leaving one out may leave out what calls it: look again until all that is left compiles.
  while (!batch.empty()) {
    const std::vector<std::vector<Problem>> problems = catalog.check(batch);
    std::vector<model::OperationDefinition> compiling;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (problems[i].empty()) {
        compiling.push_back(std::move(batch[i]));
      } else {
        leftOut.push_back(fmt::format("{} v{}: {}", batch[i].name, batch[i].version, problems[i].front().message));
      }
    }
    const bool allCompile = compiling.size() == batch.size();
    batch = std::move(compiling);
    if (allCompile) {
      if (Status added = catalog.addAll(std::move(batch)); !added) {
        return added.error();
      }
      break;
    }
  }
  return leftOut;
}

WorkstationHost::~WorkstationHost() {
  m_engine.reset();
  if (m_runs) {
    static_cast<void>(m_runs->flush());
  }
  m_runs.reset();
  m_workstation.reset();
  m_store.reset();
  m_lock.reset();
}

std::string defaultDatabasePath() {
  if (const char* explicitPath = std::getenv("OPFLOW_DB"); explicitPath && *explicitPath) {
    return explicitPath;
  }
  if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) {
    return fmt::format("{}/opflow/opflow.db", data);
  }
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.local/share/opflow/opflow.db", home && *home ? home : ".");
}

std::string workstationName() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("workstation");
}

} // namespace opflow::host
