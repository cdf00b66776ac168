#include "flowchart/FlowchartStyle.h"

namespace opflow::ui::flowchartstyle {

QFont font(double pixels) {
  QFont font(QString::fromUtf8(flowchart::kDrawingFontFamily));
  font.setStyleHint(QFont::Helvetica);
  font.setPixelSize(static_cast<int>(pixels));
  // Unhinted glyphs keep their design widths at every zoom, so a label stays the width
  // the layout measured instead of growing at small scales.
  font.setHintingPreference(QFont::PreferNoHinting);
  return font;
}

QColor fillOf(flowchart::BoxKind kind) { return QColor(QLatin1String(flowchart::styleOf(kind).fill)); }

QColor strokeOf(flowchart::BoxKind kind) { return QColor(QLatin1String(flowchart::styleOf(kind).stroke)); }

QColor textOf(flowchart::BoxKind kind) { return QColor(QLatin1String(flowchart::styleOf(kind).text)); }

QColor changeFill(flowchart::NodeChange change) {
  switch (change) {
  case flowchart::NodeChange::Added: return QColor(0xc8, 0xe6, 0xc9);
  case flowchart::NodeChange::Removed: return QColor(0xff, 0xcd, 0xd2);
  case flowchart::NodeChange::Changed: return QColor(0xff, 0xe0, 0xb2);
  case flowchart::NodeChange::Same: break;
  }
  return Qt::white;
}

QColor changeStroke(flowchart::NodeChange change) {
  switch (change) {
  case flowchart::NodeChange::Added: return QColor(0x2e, 0x7d, 0x32);
  case flowchart::NodeChange::Removed: return QColor(0xc6, 0x28, 0x28);
  case flowchart::NodeChange::Changed: return QColor(0xef, 0x6c, 0x00);
  case flowchart::NodeChange::Same: break;
  }
  return Qt::black;
}

} // namespace opflow::ui::flowchartstyle
