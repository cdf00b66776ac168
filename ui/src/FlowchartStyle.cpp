#include "FlowchartStyle.h"

namespace opflow::ui::flowchartstyle {

QFont font(double pixels) {
  QFont font(QString::fromUtf8(flowchart::kFontFamily));
  font.setStyleHint(QFont::Helvetica);
  font.setPixelSize(static_cast<int>(pixels));
  return font;
}

QColor fillOf(flowchart::BoxKind kind) {
  switch (kind) {
  case flowchart::BoxKind::Start: return QColor(0x33, 0x33, 0x33);
  case flowchart::BoxKind::Decision: return QColor(0xff, 0xf4, 0xd6);
  case flowchart::BoxKind::Action: return QColor(0xe3, 0xf0, 0xfb);
  case flowchart::BoxKind::Call: return QColor(0xed, 0xe7, 0xf6);
  case flowchart::BoxKind::Wait: return QColor(0xe0, 0xf2, 0xf1);
  case flowchart::BoxKind::Result: return QColor(0xd4, 0xed, 0xda);
  case flowchart::BoxKind::Fail: return QColor(0xf8, 0xd7, 0xda);
  }
  return Qt::white;
}

QColor strokeOf(flowchart::BoxKind kind) {
  switch (kind) {
  case flowchart::BoxKind::Start: return QColor(0x33, 0x33, 0x33);
  case flowchart::BoxKind::Decision: return QColor(0xb7, 0x79, 0x1f);
  case flowchart::BoxKind::Action: return QColor(0x2b, 0x6c, 0xb0);
  case flowchart::BoxKind::Call: return QColor(0x5e, 0x35, 0xb1);
  case flowchart::BoxKind::Wait: return QColor(0x00, 0x79, 0x6b);
  case flowchart::BoxKind::Result: return QColor(0x2e, 0x7d, 0x32);
  case flowchart::BoxKind::Fail: return QColor(0xc6, 0x28, 0x28);
  }
  return Qt::black;
}

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
