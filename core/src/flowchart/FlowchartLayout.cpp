// FlowchartLayout's cache: geometry by the definition's content hash, least recently used
// first out. The lock guards only the cache; the layout itself runs outside it (Graphviz
// has its own process-wide lock), so a hit never waits for another caller's layout. Two
// callers missing on the same content at once both lay it out; the first stored wins.
#include "opflow/flowchart/FlowchartLayout.h"

#include "opflow/engine/CompiledOperation.h"

#include <algorithm>

namespace opflow::flowchart {

FlowchartLayout::FlowchartLayout(LayoutLimits limits, std::size_t cacheCapacity)
    : m_limits(limits), m_capacity(std::max<std::size_t>(cacheCapacity, 1)) {}

Result<GeometryPtr> FlowchartLayout::layout(const model::OperationDefinition& definition) {
  const std::string hash = engine::contentHashOf(definition);
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(hash); it != m_cache.end()) {
      m_recent.splice(m_recent.begin(), m_recent, it->second.second);
      return it->second.first;
    }
  }

  auto laidOut = layoutFlowchart(definition, m_limits);
  if (!laidOut) {
    return laidOut.error();
  }
  auto geometry = std::make_shared<const FlowchartGeometry>(std::move(laidOut).value());

  std::lock_guard lock(m_mutex);
  if (auto it = m_cache.find(hash); it != m_cache.end()) {
    m_recent.splice(m_recent.begin(), m_recent, it->second.second);
    return it->second.first;
  }
  m_recent.push_front(hash);
  m_cache.emplace(hash, std::make_pair(geometry, m_recent.begin()));
  while (m_cache.size() > m_capacity) {
    m_cache.erase(m_recent.back());
    m_recent.pop_back();
  }
  return GeometryPtr(geometry);
}

} // namespace opflow::flowchart
