// The colours of a flowchart's boxes and lines, shared by the SVG writer and the console's
// scene so both draw the same picture. Colours are "#rrggbb".
// Thread-safety: constants and a pure function.
#pragma once

#include "opflow/flowchart/Geometry.h"

namespace opflow::flowchart {

struct BoxStyle {
  const char* fill;
  const char* stroke;
  const char* text;
};

[[nodiscard]] BoxStyle styleOf(BoxKind kind);

inline constexpr const char* kEdgeColour = "#546e7a";      // edge lines and arrowheads
inline constexpr const char* kEdgeLabelColour = "#37474f";
inline constexpr const char* kTitleColour = "#263238";
inline constexpr const char* kBackgroundColour = "#ffffff";
inline constexpr const char* kBadgeFill = "#263238";       // a mark's badge: light text on dark
inline constexpr const char* kBadgeText = "#ffffff";
inline constexpr double kCallInset = 4;                     // the inner frame of a call's double box
inline constexpr double kActionCornerRadius = 6;

} // namespace opflow::flowchart
