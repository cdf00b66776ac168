// OrderTimeline: an order's status timeline, painted as a row of stops: the lifecycle
// statuses in order (INITIATED .. CLOSED; for a cancelled order the ones it reached, then
// CANCELLED), each marked reached, current (on hold, when held) or still ahead, with the
// time it was reached. A stop's tooltip says when and by whom; the accessible
// description reads the whole timeline.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/domain/OrderStatus.h"
#include "opflow/store/Order.h"

#include <QWidget>

#include <vector>

namespace opflow::ui {

class OrderTimeline : public QWidget {
  Q_OBJECT

public:
  enum class Mark { Reached, Current, Ahead };

  struct Stop {
    domain::OrderStatus status = domain::OrderStatus::Initiated;
    Mark mark = Mark::Ahead;
    std::int64_t atMs = 0; // 0 while ahead
    QString who;           // "sam (supervisor)", when known
  };

  explicit OrderTimeline(QWidget* parent = nullptr);

  // Shows the timeline of an order now in `current` (held or not) that entered the
  // statuses of `history` (OrderStore::history).
  void setTimeline(domain::OrderStatus current, bool held, const std::vector<store::OrderStatusEntry>& history);
  [[nodiscard]] const std::vector<Stop>& stops() const { return m_stops; }
  [[nodiscard]] bool isHeld() const { return m_held; }

  [[nodiscard]] QSize sizeHint() const override;
  [[nodiscard]] QSize minimumSizeHint() const override;

protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

private:
  [[nodiscard]] QRectF stopArea(std::size_t stop) const;
  [[nodiscard]] QString describe(const Stop& stop) const;

  std::vector<Stop> m_stops;
  bool m_held = false;
};

} // namespace opflow::ui
