// The flowchart as a standalone SVG document drawn from its geometry, and as a PNG
// (that same SVG rasterised by librsvg), for `opflow-cli ops show --format svg|png` and
// the console's export. Colours and shapes match the console's scene. Text is
// XML-escaped; output is deterministic.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/Result.h"
#include "opflow/flowchart/Geometry.h"

#include <map>
#include <string>

namespace opflow::flowchart {

// Optional marks drawn over the plain chart (the console's overlays in an export).
struct NodeMark {
  std::string fill;   // "#rrggbb", "" keeps the kind's colour
  std::string stroke; // "#rrggbb", "" keeps the kind's colour
  std::string badge;  // short text drawn at the box's top right ("3 · 120 ms"), "" none
};

struct SvgMarks {
  std::map<std::string, NodeMark> nodes; // by node name
};

[[nodiscard]] std::string toSvg(const FlowchartGeometry& geometry, const SvgMarks& marks = {});
// The PNG file's bytes; one pixel per point of geometry times `scale`. An SVG librsvg
// cannot read is an ErrorCode::InvalidArgument naming its complaint.
[[nodiscard]] Result<std::string> svgToPng(const std::string& svg, double scale = 1.5);

} // namespace opflow::flowchart
