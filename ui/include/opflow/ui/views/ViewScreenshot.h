// ViewScreenshot: what `opflow --screenshot FILE --view NAME` does: brings a view of the
// main window to the front, waits (without blocking: it follows the views' loaded
// signals) until the engine has resumed, the status bar has read the outbox and the view
// shows its data (for the Order view: the first order of the list), then renders the window to a PNG and says finished().
// Thread-safety: GUI thread only. The window must outlive it.
#pragma once

#include "opflow/ui/views/MainWindow.h"

#include <QObject>
#include <QString>

class QTimer;

namespace opflow::ui {

class ConsoleSession;

class ViewScreenshot : public QObject {
  Q_OBJECT

public:
  ViewScreenshot(ConsoleSession& session, MainWindow& window, ConsoleView view, QString path,
                 QObject* parent = nullptr);

  // Starts waiting; finished() follows, with a message naming what failed, after at most
  // `timeoutMs`.
  void start(int timeoutMs);

signals:
  void finished(bool ok, const QString& message);

private:
  void advance();
  void finish(bool ok, const QString& message);

  ConsoleSession& m_session;
  MainWindow& m_window;
  ConsoleView m_view;
  QString m_path;
  QTimer* m_timeout = nullptr;
  bool m_orderRequested = false;
  bool m_rendering = false;
  bool m_done = false;
};

} // namespace opflow::ui
