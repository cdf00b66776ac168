// ConsoleStatusBar: the main window's status bar: who is signed in and in which role, the
// workstation, the database, how many outbox events wait for the shared database, and
// whether the engine is still resuming earlier runs. The outbox count is read in the
// background every few seconds; messages from the views show on the left for a while.
// Thread-safety: GUI thread only. The session must outlive the bar.
#pragma once

#include <QStatusBar>

#include <optional>

class QLabel;
class QTimer;

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

signals:
  // The outbox count has been read (or could not be).
  void outboxRead();

private:
  QLabel* addField(const QString& objectName, const QString& accessibleName);
  void showEngineState();

  ConsoleSession& m_session;
  QLabel* m_user = nullptr;
  QLabel* m_workstation = nullptr;
  QLabel* m_database = nullptr;
  QLabel* m_outbox = nullptr;
  QLabel* m_engine = nullptr;
  QTimer* m_timer = nullptr;
  std::optional<qint64> m_pending;
  bool m_reading = false;
};

} // namespace opflow::ui
