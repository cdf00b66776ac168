#include "opflow/ui/views/OrderTimeline.h"

#include "opflow/ui/text/OrderDetailText.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace opflow::ui {

namespace {

using domain::OrderStatus;

constexpr int kStopWidth = 104;
constexpr int kHeight = 96;
constexpr qreal kDot = 14.0;
constexpr qreal kLineY = 20.0;

QString statusLabel(OrderStatus status) {
  QString label = QString::fromUtf8(domain::toString(status)).toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
  label[0] = label[0].toUpper();
  return label;
}

} // namespace

OrderTimeline::OrderTimeline(QWidget* parent) : QWidget(parent) {
  setAccessibleName(tr("Status timeline"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void OrderTimeline::setTimeline(OrderStatus current, bool held, const std::vector<store::OrderStatusEntry>& history) {
  m_stops.clear();
  m_held = held;
  auto reached = [&history](OrderStatus status) {
    return std::find_if(history.begin(), history.end(),
                        [status](const store::OrderStatusEntry& entry) { return entry.status == status; });
  };
  for (OrderStatus status : domain::allOrderStatuses()) {
    auto entry = reached(status);
    const bool wasReached = entry != history.end() || status == current;
    if (current == OrderStatus::Cancelled ? !wasReached : status == OrderStatus::Cancelled) {
      continue;
    }
    Stop stop;
    stop.status = status;
    stop.mark = status == current ? Mark::Current : wasReached ? Mark::Reached : Mark::Ahead;
    if (entry != history.end()) {
      stop.atMs = entry->atMs;
      if (!entry->user.empty()) {
        stop.who = QStringLiteral("%1 (%2)").arg(QString::fromStdString(entry->user), QString::fromStdString(entry->role));
      }
    }
    m_stops.push_back(stop);
  }
  QStringList summary;
  for (const Stop& stop : m_stops) {
    summary << describe(stop);
  }
  setAccessibleDescription(summary.join(QStringLiteral("; ")));
  updateGeometry();
  update();
}

QString OrderTimeline::describe(const Stop& stop) const {
  const QString name = QString::fromUtf8(domain::toString(stop.status));
  switch (stop.mark) {
  case Mark::Ahead: return tr("%1: ahead").arg(name);
  case Mark::Current:
  case Mark::Reached: {
    QString text = stop.mark == Mark::Current ? (m_held ? tr("%1: current, on hold").arg(name) : tr("%1: current").arg(name))
                                              : tr("%1: reached").arg(name);
    if (stop.atMs != 0) {
      text += tr(" %1").arg(localTimeText(stop.atMs));
    }
    if (!stop.who.isEmpty()) {
      text += tr(" by %1").arg(stop.who);
    }
    return text;
  }
  }
  return name;
}

QSize OrderTimeline::sizeHint() const {
  return {std::max<int>(1, static_cast<int>(m_stops.size())) * kStopWidth, kHeight};
}

QSize OrderTimeline::minimumSizeHint() const { return {6 * kStopWidth, kHeight}; }

QRectF OrderTimeline::stopArea(std::size_t stop) const {
  const qreal width = static_cast<qreal>(this->width()) / static_cast<qreal>(std::max<std::size_t>(1, m_stops.size()));
  return {width * static_cast<qreal>(stop), 0.0, width, static_cast<qreal>(height())};
}

void OrderTimeline::paintEvent(QPaintEvent*) {
  if (m_stops.empty()) {
    return;
  }
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  const QPalette& colors = palette();
  const QColor done = colors.color(QPalette::Highlight);
  const QColor ahead = colors.color(QPalette::Disabled, QPalette::WindowText);
  const QColor heldColor(0xd9, 0x82, 0x1e);

  // The line between the stops: solid up to the current one.
  for (std::size_t i = 0; i + 1 < m_stops.size(); ++i) {
    const QPointF from(stopArea(i).center().x(), kLineY);
    const QPointF to(stopArea(i + 1).center().x(), kLineY);
    painter.setPen(QPen(m_stops[i + 1].mark == Mark::Ahead ? ahead : done, 2.0));
    painter.drawLine(from, to);
  }
  QFont small = font();
  small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
  for (std::size_t i = 0; i < m_stops.size(); ++i) {
    const Stop& stop = m_stops[i];
    const QRectF area = stopArea(i);
    const QPointF centre(area.center().x(), kLineY);
    const QColor colour = stop.mark == Mark::Ahead ? ahead : (stop.mark == Mark::Current && m_held ? heldColor : done);
    if (stop.mark == Mark::Current) {
      painter.setPen(QPen(colour, 3.0));
      painter.setBrush(colors.color(QPalette::Base));
      painter.drawEllipse(centre, kDot, kDot);
      painter.setBrush(colour);
      painter.drawEllipse(centre, kDot / 2.0, kDot / 2.0);
    } else {
      painter.setPen(QPen(colour, 2.0));
      painter.setBrush(stop.mark == Mark::Reached ? QBrush(colour) : colors.brush(QPalette::Base));
      painter.drawEllipse(centre, kDot / 2.0, kDot / 2.0);
    }
    QFont labelFont = small;
    labelFont.setBold(stop.mark == Mark::Current);
    painter.setFont(labelFont);
    painter.setPen(stop.mark == Mark::Ahead ? ahead : colors.color(QPalette::WindowText));
    QString label = statusLabel(stop.status);
    if (stop.mark == Mark::Current && m_held) {
      label += tr(" (on hold)");
    }
    const QRectF labelArea(area.left() + 2.0, kLineY + kDot + 2.0, area.width() - 4.0, 34.0);
    painter.drawText(labelArea, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, label);
    if (stop.atMs != 0) {
      painter.setFont(small);
      painter.setPen(ahead);
      const QString when = QDateTime::fromMSecsSinceEpoch(stop.atMs).toLocalTime().toString(QStringLiteral("MM-dd HH:mm"));
      painter.drawText(QRectF(area.left(), labelArea.bottom(), area.width(), 18.0), Qt::AlignHCenter | Qt::AlignTop,
                       when);
    }
  }
}

bool OrderTimeline::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    for (std::size_t i = 0; i < m_stops.size(); ++i) {
      if (stopArea(i).contains(help->pos())) {
        QToolTip::showText(help->globalPos(), describe(m_stops[i]), this);
        return true;
      }
    }
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  return QWidget::event(event);
}

} // namespace opflow::ui
