// The compiled form of a JsonLogic rule: a tree of typed nodes. Each node carries its
// operator as an enum, its arguments as child nodes, and whatever could be worked out
// ahead of time: a literal value, or the pre-split data paths of `var` and `missing`.
#pragma once

#include "logic/Operators.h"
#include "opflow/Json.h"
#include "opflow/Result.h"

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace opflow::logic {

inline constexpr std::size_t kNotAnIndex = std::numeric_limits<std::size_t>::max();

struct PathSegment {
  std::string key;                 // object member name
  std::size_t index = kNotAnIndex; // array index, when key is a canonical decimal number
};

// A `var` path such as "order.lines.0.qty", split once at compile time.
struct Path {
  bool wholeData = false; // {"var": ""}, {"var": null}, {"var": []}
  std::vector<PathSegment> segments;
};

class ExpressionNode {
public:
  Op op = Op::Literal;
  Json literal;                        // Literal: the value; Missing/MissingSome: the keys, when constant
  std::vector<ExpressionNode> children; // the arguments, in order
  std::vector<Path> paths;              // Var: the path; Missing/MissingSome: one per key; when constant
  bool constantPaths = false;           // paths (and, for missing, literal) are filled in
};

// How json-logic-js reads a var key: String(key).split("."); "" and null mean the data.
[[nodiscard]] Path parsePath(const Json& key);

// The value at `path` in `data`, or nullptr when some step is missing.
[[nodiscard]] const Json* lookup(const Path& path, const Json& data);

// Compiles `rule`, appending a Problem (pointer based on `pointer`) for each error.
[[nodiscard]] ExpressionNode compileNode(const Json& rule, const std::string& pointer,
                                         std::vector<Problem>& problems);

// Evaluates `node`. The result refers to the node's literal, to somewhere inside `data`,
// or to `scratch`, which the node fills when it computes a new value; callers copy it
// only if they need to keep it. May throw only what nlohmann or the allocator throws.
[[nodiscard]] const Json& evaluateNode(const ExpressionNode& node, const Json& data, Json& scratch);

} // namespace opflow::logic
