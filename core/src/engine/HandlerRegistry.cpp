#include "opflow/engine/HandlerRegistry.h"

#include <fmt/format.h>

namespace opflow::engine {

Status HandlerRegistry::add(HandlerSpec spec) {
  if (spec.name.empty()) {
    return makeError(ErrorCode::InvalidArgument, "a handler needs a name");
  }
  if (!spec.fn) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("handler \"{}\" has no function", spec.name));
  }
  if (m_handlers.contains(spec.name)) {
    return makeError(ErrorCode::Conflict, fmt::format("handler \"{}\" is registered already", spec.name));
  }
  std::string name = spec.name;
  m_handlers.emplace(std::move(name), std::make_shared<const HandlerSpec>(std::move(spec)));
  return {};
}

const HandlerSpec* HandlerRegistry::find(const std::string& name) const {
  auto found = m_handlers.find(name);
  return found == m_handlers.end() ? nullptr : found->second.get();
}

std::vector<std::string> HandlerRegistry::names() const {
  std::vector<std::string> result;
  result.reserve(m_handlers.size());
  for (const auto& [name, spec] : m_handlers) {
    result.push_back(name);
  }
  return result;
}

} // namespace opflow::engine
