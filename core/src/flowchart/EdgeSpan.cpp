#include "flowchart/EdgeSpan.h"

#include <algorithm>

namespace opflow::flowchart {

std::size_t estimatedEdgeSpan(std::size_t nodeCount, const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                              bool labelled) {
  std::vector<std::vector<std::size_t>> out(nodeCount); // edge indices by tail
  for (std::size_t e = 0; e < edges.size(); ++e) {
    out[edges[e].first].push_back(e);
  }

  // Iterative depth-first search in node order: an edge to a node on the stack closes a
  // cycle and is reversed; the finish order, reversed, is a topological order of the rest.
  enum class Mark { New, OnStack, Done };
  std::vector<Mark> marks(nodeCount, Mark::New);
  std::vector<bool> reversed(edges.size(), false);
  std::vector<std::size_t> finished;
  finished.reserve(nodeCount);
  std::vector<std::pair<std::size_t, std::size_t>> stack; // (node, next out-edge position)
  for (std::size_t root = 0; root < nodeCount; ++root) {
    if (marks[root] != Mark::New) {
      continue;
    }
    marks[root] = Mark::OnStack;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [node, position] = stack.back();
      if (position == out[node].size()) {
        marks[node] = Mark::Done;
        finished.push_back(node);
        stack.pop_back();
        continue;
      }
      const std::size_t e = out[node][position++];
      const std::size_t head = edges[e].second;
      if (marks[head] == Mark::OnStack) {
        reversed[e] = true;
      } else if (marks[head] == Mark::New) {
        marks[head] = Mark::OnStack;
        stack.emplace_back(head, 0);
      }
    }
  }

  // Longest-path ranks over the acyclic graph, in topological order.
  std::vector<std::vector<std::size_t>> forward(nodeCount);
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const auto [tail, head] = edges[e];
    if (tail != head) {
      forward[reversed[e] ? head : tail].push_back(reversed[e] ? tail : head);
    }
  }
  std::vector<std::size_t> rank(nodeCount, 0);
  for (auto it = finished.rbegin(); it != finished.rend(); ++it) {
    for (std::size_t head : forward[*it]) {
      rank[head] = std::max(rank[head], rank[*it] + 1);
    }
  }

  const std::size_t factor = labelled ? 2 : 1;
  std::size_t span = 0;
  for (const auto& [tail, head] : edges) {
    const std::size_t length = (rank[tail] > rank[head] ? rank[tail] - rank[head] : rank[head] - rank[tail]) * factor;
    span += length > 1 ? length - 1 : 0;
  }
  return span;
}

} // namespace opflow::flowchart
