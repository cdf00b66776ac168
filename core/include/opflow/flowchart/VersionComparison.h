// Comparing two versions of an operation, for the console's "compare versions" mode: each
// node is the same, added, removed or changed (its kind, title, condition, handler, edges
// or any other field differ), and a merged definition holds every node of both (the newer
// version's nodes in order, then the removed ones with their older edges), so one layout
// shows what went and what came.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <map>
#include <string>
#include <vector>

namespace opflow::flowchart {

enum class NodeChange { Same, Added, Removed, Changed };

[[nodiscard]] const char* toString(NodeChange change);

// What changed in one node of both versions: its name and the differing parts
// ("condition", "handler pack.box → pack.crate"). Kept apart from the name so a reader
// finds a node's parts by its name, never by a prefix of the text (a node may be named
// "a: x").
struct NodeDifference {
  std::string node;
  std::string parts;

  bool operator==(const NodeDifference&) const = default;
};

struct VersionComparison {
  model::OperationDefinition merged; // named as the newer one, version = newer's
  std::map<std::string, NodeChange> changes; // every node of `merged`
  // One entry per changed node saying what changed, in the merged order. Parts go by their
  // JSON keys, comma separated; names, targets and seconds show the old and the new value,
  // an emptied one as "none". Added and removed nodes have no entry: `changes` says it.
  std::vector<NodeDifference> details;

  // The differing parts of node `name` ("" when it has no entry).
  [[nodiscard]] std::string detailOf(const std::string& name) const;
};

[[nodiscard]] VersionComparison compareVersions(const model::OperationDefinition& older,
                                                const model::OperationDefinition& newer);

} // namespace opflow::flowchart
