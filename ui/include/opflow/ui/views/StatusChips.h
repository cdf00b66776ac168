// StatusChips: the order list's status filter, a row of checkable chips: "All" and one per
// order status, each with its live count ("Priced 12,345"). Several statuses may be
// checked at once; checking "All" (or unchecking the last status) clears them.
// The counts come from the trigger-kept counts table (OrderStore::count, no scan), read
// on a background thread every two seconds and whenever the order list refreshes (a run
// completed here, the sync pulled a change: OrdersView coalesces them); a read asked while
// one is on its way is made once that one answers.
// Thread-safety: GUI thread only. The session must outlive it.
#pragma once

#include "opflow/store/Order.h"

#include <QWidget>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

class QAbstractButton;
class QTimer;

namespace opflow::ui {

class ConsoleSession;

class StatusChips : public QWidget {
  Q_OBJECT

public:
  static constexpr int kRefreshIntervalMs = 2000;

  explicit StatusChips(ConsoleSession& session, QWidget* parent = nullptr);

  // The checked statuses, in lifecycle order; empty: all.
  [[nodiscard]] std::vector<domain::OrderStatus> selectedStatuses() const;
  // Checks exactly `statuses` (empty: all) and says selectionChanged().
  void setSelectedStatuses(const std::vector<domain::OrderStatus>& statuses);

  // The chip of `status`, or "All" for nullopt (in tab order: All first).
  [[nodiscard]] QAbstractButton* chip(std::optional<domain::OrderStatus> status) const;
  [[nodiscard]] const std::vector<QAbstractButton*>& chips() const { return m_chips; }
  // The last counts read (empty until the first answer).
  [[nodiscard]] const std::optional<store::OrderCounts>& counts() const { return m_counts; }

public slots:
  void refreshCounts();

signals:
  void selectionChanged(const std::vector<domain::OrderStatus>& statuses);
  void countsUpdated();

private:
  void chipToggled(QAbstractButton* chip, bool checked);
  void showCounts();

  ConsoleSession& m_session;
  QAbstractButton* m_all = nullptr;
  std::map<domain::OrderStatus, QAbstractButton*> m_statusChips;
  std::vector<QAbstractButton*> m_chips; // All, then each status in lifecycle order
  QTimer* m_timer = nullptr;
  std::optional<store::OrderCounts> m_counts;
  bool m_reading = false;
  bool m_readAgain = false;
};

} // namespace opflow::ui
