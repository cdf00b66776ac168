// OperationCatalog: every operation the engine may run, by name and version.
// Adding validates and compiles; a batch is added whole or not at all, and its
// definitions may call each other. A name+version already present is accepted again only
// with the same content.
// Thread-safety: all members may be called from any thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/CompiledOperation.h"

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace opflow::engine {

class HandlerRegistry;

using OperationPtr = std::shared_ptr<const CompiledOperation>;

class OperationCatalog {
public:
  explicit OperationCatalog(const HandlerRegistry& handlers);

  [[nodiscard]] Status add(model::OperationDefinition definition);
  // Adds a batch whole or not at all; the error lists "name v<version>: pointer" problems.
  [[nodiscard]] Status addAll(std::vector<model::OperationDefinition> definitions);
  // The problems of each definition of a batch (index-aligned), as addAll would see them.
  [[nodiscard]] std::vector<std::vector<Problem>>
  check(const std::vector<model::OperationDefinition>& definitions) const;

  [[nodiscard]] OperationPtr latest(const std::string& name) const;
  [[nodiscard]] OperationPtr find(const std::string& name, std::int64_t version) const;
  [[nodiscard]] bool contains(const std::string& name) const;
  // The latest version of every operation, by name.
  [[nodiscard]] std::vector<OperationPtr> latestVersions() const;
  [[nodiscard]] std::vector<OperationPtr> versionsOf(const std::string& name) const;

  [[nodiscard]] const HandlerRegistry& handlers() const { return m_handlers; }

private:
  const HandlerRegistry& m_handlers;
  mutable std::shared_mutex m_mutex;
  std::map<std::string, std::map<std::int64_t, OperationPtr>> m_operations;
};

} // namespace opflow::engine
