// ConsoleFlow: the console's life from sign-in to quit. It signs someone in (the login
// dialog, or in demo mode the demo shop's supervisor), opens the main window for them,
// and on sign-out (asked for, after the idle limit, or a session ended elsewhere) closes
// it and asks again. With a screenshot request it renders the
// asked view once its data is shown and quits with the outcome. Nothing here waits:
// every step follows a signal.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/ui/views/MainWindow.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>

namespace opflow::ui {
class ConsoleSession;
class LoginDialog;
} // namespace opflow::ui

namespace opflow::console {

struct FlowOptions {
  bool demo = false;                 // sign in the demo supervisor instead of asking
  ui::ConsoleView view = ui::ConsoleView::Orders;
  QString screenshotPath;            // render `view` there and quit
  bool reportFirstPaint = false;     // print "first-paint-ms N" at the list's first paint and quit
  QString operation;                 // the operation the Flowcharts view shows ("" its first)
};

class ConsoleFlow : public QObject {
  Q_OBJECT

public:
  ConsoleFlow(ui::ConsoleSession& session, FlowOptions options);
  ~ConsoleFlow() override;

  // Begins: signs in, then shows the window.
  void start();

private:
  void askToSignIn();
  void openWindow();
  void signOut();
  void closeWindow();
  void fail(const QString& message);

  ui::ConsoleSession& m_session;
  FlowOptions m_options;
  QPointer<ui::LoginDialog> m_login;
  std::unique_ptr<ui::MainWindow> m_window;
};

} // namespace opflow::console
