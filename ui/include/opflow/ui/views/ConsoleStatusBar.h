// ConsoleStatusBar: the main window's status bar: who is signed in and in which role, the
// workstation, the database, the sync with the shop (online, syncing, offline since when,
// events waiting to go up, open conflicts; the last contact in its tooltip; a click opens
// the sync panel), and whether the engine is still resuming earlier runs. A workstation
// that has not joined a shop shows its outbox count instead, read in the background every
// few seconds. Messages from the views show on the left for a while.
// Thread-safety: GUI thread only. The session must outlive the bar.
#pragma once

#include "opflow/sync/SyncLoop.h"

#include <QStatusBar>

#include <optional>

class QAbstractButton;
class QLabel;
class QTimer;
class QToolButton;

namespace opflow::ui {

class ConsoleSession;

class ConsoleStatusBar : public QStatusBar {
  Q_OBJECT

public:
  explicit ConsoleStatusBar(ConsoleSession& session, QWidget* parent = nullptr);

  // Reads the outbox count again now.
  void refreshOutbox();
  // The outbox count shown, once read (tests wait for it).
  [[nodiscard]] std::optional<qint64> pendingOutbox() const { return m_pending; }

  // The sync button (what it says is the sync's state).
  [[nodiscard]] QAbstractButton* syncButton() const;

signals:
  // The outbox count has been read (or could not be).
  void outboxRead();
  // The person clicked the sync state.
  void syncPanelRequested();

private:
  QLabel* addField(const QString& objectName, const QString& accessibleName);
  void showEngineState();
  void showSyncState(const sync::SyncStatus& status);

  ConsoleSession& m_session;
  QLabel* m_user = nullptr;
  QLabel* m_workstation = nullptr;
  QLabel* m_database = nullptr;
  QLabel* m_outbox = nullptr;
  QToolButton* m_sync = nullptr;
  QLabel* m_engine = nullptr;
  QTimer* m_timer = nullptr;
  std::optional<qint64> m_pending;
  bool m_reading = false;
  bool m_syncTrouble = false;
  bool m_syncUp = false;
};

} // namespace opflow::ui
