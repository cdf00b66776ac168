// ProgressDelegate: paints a cell as a progress bar (QStyleOptionProgressBar, the
// platform's own look) from a fraction 0..1 the model gives under `fractionRole`, with the
// cell's text on it; a cell without a fraction is painted as plain text.
// Thread-safety: GUI thread only.
#pragma once

#include <QStyledItemDelegate>

namespace opflow::ui {

class ProgressDelegate : public QStyledItemDelegate {
  Q_OBJECT

public:
  explicit ProgressDelegate(int fractionRole, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
  int m_fractionRole;
};

} // namespace opflow::ui
