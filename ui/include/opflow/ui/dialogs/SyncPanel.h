// SyncPanel: the sync with the shop in full, opened from the status bar. The state and
// where it stands (workstation, shared database, last contact, what waits to go up, the
// last error with its correlation id, selectable to copy); the recent rounds that moved
// something or failed, each with its correlation id; the open conflicts, which a
// supervisor resolves by keeping the shop's state (or opens the order, to redo the change
// there); and "Sync now". It follows the sync live while open; every read is off the GUI
// thread.
// Thread-safety: GUI thread only. The session must outlive it.
#pragma once

#include "opflow/sync/SyncConflicts.h"
#include "opflow/sync/SyncLoop.h"

#include <QDialog>

#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace opflow::ui {

class ConflictResolver;
class ConsoleSession;

class SyncPanel : public QDialog {
  Q_OBJECT

public:
  explicit SyncPanel(ConsoleSession& session, QWidget* parent = nullptr);

  [[nodiscard]] QLabel* stateLabel() const { return m_state; }
  [[nodiscard]] QLabel* detailLabel() const { return m_detail; }
  [[nodiscard]] QTableWidget* roundsTable() const { return m_rounds; }
  [[nodiscard]] QTableWidget* conflictsTable() const { return m_conflictList; }
  [[nodiscard]] QPushButton* syncNowButton() const { return m_syncNow; }
  [[nodiscard]] QPushButton* keepSharedButton() const { return m_keepShared; }
  [[nodiscard]] const std::vector<sync::SyncConflict>& conflicts() const { return m_conflicts; }

public slots:
  // Reads the open conflicts again.
  void refreshConflicts();

signals:
  // "Open order" on an order's conflict.
  void orderRequested(const QString& number);
  // The open conflicts have been read (tests wait for it).
  void conflictsShown();

private:
  void showStatus(const sync::SyncStatus& status);
  void showRounds();
  [[nodiscard]] std::optional<sync::SyncConflict> selectedConflict() const;
  void updateButtons();

  ConsoleSession& m_session;
  ConflictResolver* m_resolver = nullptr;
  QLabel* m_state = nullptr;
  QLabel* m_detail = nullptr;
  QTableWidget* m_rounds = nullptr;
  QTableWidget* m_conflictList = nullptr;
  QLabel* m_message = nullptr;
  QPushButton* m_syncNow = nullptr;
  QPushButton* m_keepShared = nullptr;
  QPushButton* m_openOrder = nullptr;
  std::vector<sync::SyncConflict> m_conflicts;
  std::int64_t m_conflictsSeen = -1; // the open count the list was read for
  bool m_reading = false;
};

} // namespace opflow::ui
