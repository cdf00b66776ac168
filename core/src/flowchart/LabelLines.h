// Label text bounded for layout and drawing: any text (a node's label, an edge's label,
// the graph's title) becomes at most LayoutLimits::maxLines lines of at most
// LayoutLimits::maxLineChars characters (counted in Unicode code points), valid UTF-8
// without control characters, so a hostile definition cannot make a label of unbounded
// size or one that breaks an SVG document or Graphviz.
// Thread-safety: a free function over values.
#pragma once

#include "opflow/flowchart/FlowchartLayout.h"

#include <string>
#include <vector>

namespace opflow::flowchart {

// `text` split at '\n', each line wrapped at spaces (a word longer than a line is cut and
// ends in "…"), at most `limits.maxLines` lines (the last kept one ends in "…" when more
// were dropped). Invalid UTF-8 becomes U+FFFD, tabs spaces, other control characters go.
[[nodiscard]] std::vector<std::string> boundedLines(const std::string& text, const LayoutLimits& limits);

// `text` whole, cleaned as boundedLines cleans it: valid UTF-8, tabs as spaces, no control
// character but '\n'. For names, which are drawn or written as they are.
[[nodiscard]] std::string cleanText(const std::string& text);

} // namespace opflow::flowchart
