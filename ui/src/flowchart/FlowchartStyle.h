// FlowchartStyle: the colours and fonts of the console's flowchart. The chart's own colours
// come from core's flowchart::styleOf and constants, which the SVG writer uses too, so the
// screen and an export are the same picture; the overlays' colours are the console's.
// Thread-safety: pure functions.
#pragma once

#include "opflow/flowchart/FlowchartStyle.h"
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

// flowchart::kDrawingFontFamily (Liberation Sans, metric-compatible with the Helvetica the
// layout measured; else whatever Helvetica-like face there is) at `pixels`.
[[nodiscard]] QFont font(double pixels);

[[nodiscard]] QColor fillOf(flowchart::BoxKind kind);
[[nodiscard]] QColor strokeOf(flowchart::BoxKind kind);
[[nodiscard]] QColor textOf(flowchart::BoxKind kind);
[[nodiscard]] QColor changeFill(flowchart::NodeChange change);
[[nodiscard]] QColor changeStroke(flowchart::NodeChange change);

[[nodiscard]] inline QColor backgroundColor() { return QColor(QLatin1String(flowchart::kBackgroundColour)); }
[[nodiscard]] inline QColor titleColor() { return QColor(QLatin1String(flowchart::kTitleColour)); }
[[nodiscard]] inline QColor edgeColor() { return QColor(QLatin1String(flowchart::kEdgeColour)); }
[[nodiscard]] inline QColor edgeLabelColor() { return QColor(QLatin1String(flowchart::kEdgeLabelColour)); }
[[nodiscard]] inline QColor badgeFillColor() { return QColor(QLatin1String(flowchart::kBadgeFill)); }
[[nodiscard]] inline QColor badgeTextColor() { return QColor(QLatin1String(flowchart::kBadgeText)); }
[[nodiscard]] inline QColor pathColor() { return QColor(0x29, 0x62, 0xff); }
[[nodiscard]] inline QColor liveColor() { return QColor(0xd8, 0x1b, 0x60); }
[[nodiscard]] inline QColor heatColdColor() { return QColor(0xff, 0xf3, 0xe0); }
[[nodiscard]] inline QColor heatHotColor() { return QColor(0xf4, 0x51, 0x1e); }

} // namespace opflow::ui::flowchartstyle
