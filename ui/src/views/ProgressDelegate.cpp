#include "opflow/ui/views/ProgressDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

#include <algorithm>

namespace opflow::ui {

ProgressDelegate::ProgressDelegate(int fractionRole, QObject* parent)
    : QStyledItemDelegate(parent), m_fractionRole(fractionRole) {}

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
  const QVariant fraction = index.data(m_fractionRole);
  if (!fraction.isValid()) {
    QStyledItemDelegate::paint(painter, option, index);
    return;
  }
  // The selection background first, so a selected row stays visibly selected.
  QStyleOptionViewItem background = option;
  initStyleOption(&background, index);
  background.text.clear();
  const QWidget* widget = option.widget;
  QStyle* style = widget ? widget->style() : QApplication::style();
  style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

  QStyleOptionProgressBar bar;
  if (widget) {
    bar.initFrom(widget);
  }
  bar.state = option.state | QStyle::State_Horizontal;
  bar.direction = option.direction;
  bar.rect = option.rect.adjusted(2, 3, -2, -3);
  bar.fontMetrics = option.fontMetrics;
  bar.palette = option.palette;
  bar.minimum = 0;
  bar.maximum = 1000;
  bar.progress = static_cast<int>(std::clamp(fraction.toDouble(), 0.0, 1.0) * 1000);
  bar.text = index.data(Qt::DisplayRole).toString();
  bar.textVisible = true;
  bar.textAlignment = Qt::AlignCenter;
  style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

} // namespace opflow::ui
