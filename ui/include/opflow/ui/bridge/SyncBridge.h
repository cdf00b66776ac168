// SyncBridge: the door from the console's sync thread (a sync::SyncLoop) into the GUI
// thread. Each callback of the loop is copied and posted; on the GUI thread it says
// statusChanged() when the sync's state changes, roundFinished() for each round that
// moved something or failed, and ordersChanged() with the orders a pull changed here
// (everything, when a catch-up changed too many to name). It keeps the latest state and
// the recent rounds for the sync panel.
// Thread-safety: the listener callbacks come from the loop's thread; everything else on
// the GUI thread. The loop must stop before the bridge is destroyed.
#pragma once

#include "opflow/sync/SyncLoop.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <deque>

Q_DECLARE_METATYPE(opflow::sync::SyncStatus)
Q_DECLARE_METATYPE(opflow::sync::SyncRound)

namespace opflow::ui {

class SyncBridge : public QObject, public sync::SyncListener {
  Q_OBJECT

public:
  static constexpr std::size_t kRoundsKept = 100;

  explicit SyncBridge(QObject* parent = nullptr);

  void onSyncStatus(const sync::SyncStatus& status) override;
  void onSyncRound(const sync::SyncRound& round) override;

  // The state last heard (Connecting until the loop says otherwise).
  [[nodiscard]] const sync::SyncStatus& status() const { return m_status; }
  // The latest rounds that moved something or failed, newest first.
  [[nodiscard]] const std::deque<sync::SyncRound>& recentRounds() const { return m_rounds; }

signals:
  void statusChanged(const opflow::sync::SyncStatus& status);
  void roundFinished(const opflow::sync::SyncRound& round);
  // `numbers` changed here by a pull; `all` when too many changed to name them.
  void ordersChanged(const QSet<QString>& numbers, bool all);

private:
  sync::SyncStatus m_status;
  std::deque<sync::SyncRound> m_rounds;
};

} // namespace opflow::ui
