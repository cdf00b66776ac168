// FlowchartStyle: the colours and fonts of the console's flowchart, one place for the
// scene's items, the overlays and the legend (the SVG writer in core uses the same kind
// colours).
// Thread-safety: pure functions.
#pragma once

#include "opflow/flowchart/Geometry.h"
#include "opflow/flowchart/VersionComparison.h"

#include <QColor>
#include <QFont>

namespace opflow::ui::flowchartstyle {

// Scene units are points: labels are drawn at the sizes the layout measured them for.
inline constexpr double kNodePixels = flowchart::kNodeFontSize;
inline constexpr double kEdgeLabelPixels = flowchart::kEdgeFontSize;
inline constexpr double kTitlePixels = flowchart::kTitleFontSize;
inline constexpr double kBadgePixels = 9;

// flowchart::kFontFamily (Helvetica, or the face metric-compatible with it) at `pixels`.
[[nodiscard]] QFont font(double pixels);

[[nodiscard]] QColor fillOf(flowchart::BoxKind kind);
[[nodiscard]] QColor strokeOf(flowchart::BoxKind kind);
[[nodiscard]] QColor changeFill(flowchart::NodeChange change);
[[nodiscard]] QColor changeStroke(flowchart::NodeChange change);

[[nodiscard]] inline QColor backgroundColor() { return QColor(0xff, 0xff, 0xff); }
[[nodiscard]] inline QColor titleColor() { return QColor(0x26, 0x32, 0x38); }
[[nodiscard]] inline QColor edgeColor() { return QColor(0x55, 0x5b, 0x66); }
[[nodiscard]] inline QColor edgeLabelColor() { return QColor(0x33, 0x38, 0x40); }
[[nodiscard]] inline QColor pathColor() { return QColor(0x15, 0x65, 0xc0); }
[[nodiscard]] inline QColor liveColor() { return QColor(0xd8, 0x1b, 0x60); }
[[nodiscard]] inline QColor heatColdColor() { return QColor(0xff, 0xf3, 0xe0); }
[[nodiscard]] inline QColor heatHotColor() { return QColor(0xf4, 0x51, 0x1e); }

} // namespace opflow::ui::flowchartstyle
