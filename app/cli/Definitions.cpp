#include "Definitions.h"

#include "opflow/builtin/Builtin.h"
#include "opflow/model/DefinitionFiles.h"

#include <filesystem>
#include <ostream>

namespace opflow::cli {

Definitions::Definitions()
    : m_handlers(std::make_unique<engine::HandlerRegistry>()),
      m_ownCatalog(std::make_unique<engine::OperationCatalog>(*m_handlers)), m_catalog(m_ownCatalog.get()) {}

bool Definitions::loadBuiltins(std::ostream& err, const builtin::Services& services) {
  if (Status registered = builtin::registerHandlers(*m_handlers, services); !registered) {
    err << "opflow-cli: shipped handlers: " << registered.error().describe() << "\n";
    return false;
  }
  if (Status loaded = builtin::loadDefinitions(*m_catalog); !loaded) {
    err << "opflow-cli: shipped operations: " << loaded.error().describe() << "\n";
    return false;
  }
  return true;
}

std::optional<std::vector<std::string>> Definitions::load(const std::vector<std::string>& paths, std::ostream& err,
                                                          std::vector<model::OperationDefinition>* definitions) {
  std::vector<model::DefinitionFile> files = model::readDefinitionFiles(paths);
  std::vector<model::OperationDefinition> batch;
  std::vector<std::string> batchPaths;
  bool ok = true;
  for (model::DefinitionFile& file : files) {
    if (!file.definition) {
      ok = false;
      const Error& error = file.definition.error();
      if (error.problems.empty()) {
        err << file.path << ": /: " << error.message << "\n";
      }
      for (const Problem& problem : error.problems) {
        err << file.path << ": " << (problem.pointer.empty() ? "/" : problem.pointer) << ": " << problem.message << "\n";
      }
      continue;
    }
    batch.push_back(std::move(file.definition).value());
    batchPaths.push_back(file.path);
  }
  std::vector<std::vector<Problem>> problems = m_catalog->check(batch);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    for (const Problem& problem : problems[i]) {
      ok = false;
      err << batchPaths[i] << ": " << (problem.pointer.empty() ? "/" : problem.pointer) << ": " << problem.message << "\n";
    }
  }
  if (!ok) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& definition : batch) {
    names.push_back(definition.name);
  }
  if (definitions) {
    *definitions = batch;
  }
  if (Status added = m_catalog->addAll(std::move(batch)); !added) {
    err << "opflow-cli: " << added.error().describe() << "\n";
    return std::nullopt;
  }
  m_loaded.insert(names.begin(), names.end());
  return names;
}

std::string Definitions::resolve(const std::string& nameOrFile, std::ostream& err) {
  std::error_code error;
  if (std::filesystem::is_regular_file(nameOrFile, error)) {
    auto names = load({nameOrFile}, err);
    return names ? names->front() : std::string();
  }
  if (!m_catalog->contains(nameOrFile)) {
    err << "opflow-cli: no operation or file \"" << nameOrFile << "\" (see: opflow-cli ops list)\n";
    return {};
  }
  return nameOrFile;
}

} // namespace opflow::cli
