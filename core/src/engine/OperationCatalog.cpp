#include "opflow/engine/OperationCatalog.h"

#include <fmt/format.h>

#include <mutex>
#include <set>

namespace opflow::engine {

OperationCatalog::OperationCatalog(const HandlerRegistry& handlers) : m_handlers(handlers) {}

Status OperationCatalog::add(model::OperationDefinition definition) {
  std::vector<model::OperationDefinition> batch;
  batch.push_back(std::move(definition));
  return addAll(std::move(batch));
}

namespace {

struct BatchResult {
  std::vector<std::vector<Problem>> problems;
  std::vector<OperationPtr> compiled;
};

BatchResult compileBatch(const std::vector<model::OperationDefinition>& definitions,
                                const HandlerRegistry& handlers,
                                const std::map<std::string, std::map<std::int64_t, OperationPtr>>& existing) {
  std::set<std::string> batchNames;
  for (const auto& definition : definitions) {
    batchNames.insert(definition.name);
  }
  auto exists = [&](const std::string& name) { return batchNames.contains(name) || existing.contains(name); };

  BatchResult result;
  std::set<std::pair<std::string, std::int64_t>> seen;
  for (const auto& definition : definitions) {
    std::vector<Problem> problems;
    auto compiled = CompiledOperation::compile(definition, handlers, exists);
    if (!compiled) {
      problems = compiled.error().problems;
      result.compiled.push_back(nullptr);
    } else {
      const OperationPtr& op = compiled.value();
      if (!seen.insert({op->name(), op->version()}).second) {
        problems.push_back({"/version", fmt::format("\"{}\" v{} appears twice in this batch", op->name(), op->version())});
      }
      auto byName = existing.find(op->name());
      if (byName != existing.end()) {
        auto byVersion = byName->second.find(op->version());
        if (byVersion != byName->second.end() && byVersion->second->contentHash() != op->contentHash()) {
          problems.push_back({"/version", fmt::format("\"{}\" v{} is loaded already with other content: "
                                                      "raise the version to change it",
                                                      op->name(), op->version())});
        }
      }
      result.compiled.push_back(op);
    }
    result.problems.push_back(std::move(problems));
  }
  return result;
}

} // namespace

std::vector<std::vector<Problem>> OperationCatalog::check(const std::vector<model::OperationDefinition>& definitions) const {
  std::shared_lock lock(m_mutex);
  return compileBatch(definitions, m_handlers, m_operations).problems;
}

Status OperationCatalog::addAll(std::vector<model::OperationDefinition> definitions) {
  std::unique_lock lock(m_mutex);
  BatchResult batch = compileBatch(definitions, m_handlers, m_operations);
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < definitions.size(); ++i) {
    for (const Problem& problem : batch.problems[i]) {
      std::string prefix = fmt::format("{} v{}: ", definitions[i].name, definitions[i].version);
      problems.push_back({prefix + problem.pointer, problem.message});
    }
  }
  if (!problems.empty()) {
    // The message is formatted before the problems are moved: argument order is unspecified.
    std::string message = fmt::format("{} problem(s); no definition was added", problems.size());
    return makeError(ErrorCode::InvalidDefinition, std::move(message), std::move(problems));
  }
  for (OperationPtr& op : batch.compiled) {
    m_operations[op->name()].emplace(op->version(), std::move(op));
  }
  return {};
}

OperationPtr OperationCatalog::latest(const std::string& name) const {
  std::shared_lock lock(m_mutex);
  auto found = m_operations.find(name);
  return found == m_operations.end() || found->second.empty() ? nullptr : found->second.rbegin()->second;
}

OperationPtr OperationCatalog::find(const std::string& name, std::int64_t version) const {
  std::shared_lock lock(m_mutex);
  auto found = m_operations.find(name);
  if (found == m_operations.end()) {
    return nullptr;
  }
  auto byVersion = found->second.find(version);
  return byVersion == found->second.end() ? nullptr : byVersion->second;
}

bool OperationCatalog::contains(const std::string& name) const {
  std::shared_lock lock(m_mutex);
  return m_operations.contains(name);
}

std::vector<OperationPtr> OperationCatalog::latestVersions() const {
  std::shared_lock lock(m_mutex);
  std::vector<OperationPtr> result;
  for (const auto& [name, versions] : m_operations) {
    result.push_back(versions.rbegin()->second);
  }
  return result;
}

std::vector<OperationPtr> OperationCatalog::versionsOf(const std::string& name) const {
  std::shared_lock lock(m_mutex);
  std::vector<OperationPtr> result;
  if (auto found = m_operations.find(name); found != m_operations.end()) {
    for (const auto& [version, op] : found->second) {
      result.push_back(op);
    }
  }
  return result;
}

} // namespace opflow::engine
