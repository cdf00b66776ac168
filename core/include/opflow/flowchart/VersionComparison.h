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

struct VersionComparison {
  model::OperationDefinition merged; // named as the newer one, version = newer's
  std::map<std::string, NodeChange> changes; // every node of `merged`
  // One line per changed node saying what changed ("check_stock: condition", "pack: handler
  // pack.box → pack.crate"), in the merged order. Parts go by their JSON keys, comma
  // separated; names, targets and seconds show the old and the new value, an emptied one
  // as "none". Added and removed nodes have no line: `changes` says it.
  std::vector<std::string> details;
};

[[nodiscard]] VersionComparison compareVersions(const model::OperationDefinition& older,
                                                const model::OperationDefinition& newer);

} // namespace opflow::flowchart
