#include "ConsoleFlow.h"

#include "FirstPaintReport.h"

#include "opflow/demo/DemoShop.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/flowchart/FlowchartsView.h"
#include "opflow/ui/dialogs/LoginDialog.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/ViewScreenshot.h"

#include <QApplication>
#include <QLabel>
#include <QTableView>

#include <cstdio>

namespace opflow::console {

namespace {

constexpr int kScreenshotTimeoutMs = 60'000;

} // namespace

ConsoleFlow::ConsoleFlow(ui::ConsoleSession& session, FlowOptions options)
    : m_session(session), m_options(std::move(options)) {
  connect(&m_session, &ui::ConsoleSession::signedIn, this, &ConsoleFlow::openWindow);
  connect(&m_session, &ui::ConsoleSession::sessionEnded, this, [this](const QString& why) {
    closeWindow();
    askToSignIn();
    m_login->messageLabel()->setText(why);
  });
}

ConsoleFlow::~ConsoleFlow() = default;

void ConsoleFlow::start() {
  if (!m_options.demo) {
    askToSignIn();
    return;
  }
  const demo::DemoUser* user = &demo::demoSupervisor();
  // Only the demo sign-in itself is fatal; a mistyped password after a sign-out is not.
  connect(
      &m_session, &ui::ConsoleSession::signInFailed, this,
      [this, user](const ui::ConsoleProblem& problem) {
        fail(tr("demo mode could not sign in %1 (is this the demo shop's database? opflow-cli init --demo makes "
                "one): %2")
                 .arg(QString::fromUtf8(user->name), problem.fullText()));
      },
      Qt::SingleShotConnection);
  connect(
      &m_session, &ui::ConsoleSession::signedIn, this,
      [this] { disconnect(&m_session, &ui::ConsoleSession::signInFailed, this, nullptr); },
      Qt::SingleShotConnection);
  m_session.signIn(QString::fromUtf8(user->name), QString::fromUtf8(user->password));
}

void ConsoleFlow::askToSignIn() {
  m_login = new ui::LoginDialog(m_session);
  m_login->setAttribute(Qt::WA_DeleteOnClose);
  connect(m_login, &QDialog::rejected, qApp, &QApplication::quit);
  m_login->open();
}

void ConsoleFlow::openWindow() {
  m_window = std::make_unique<ui::MainWindow>(m_session);
  connect(m_window.get(), &ui::MainWindow::signOutRequested, this, &ConsoleFlow::signOut);
  if (m_options.reportFirstPaint) {
    new FirstPaintReport(*m_window->ordersView()->table()->viewport(), [this] { return m_window->isViewLoaded(ui::ConsoleView::Orders); },
                         m_window.get());
  }
  if (!m_options.operation.isEmpty()) {
    m_window->flowchartsView()->showOperation(m_options.operation);
  }
  if (!m_options.screenshotPath.isEmpty()) {
    auto* screenshot =
        new ui::ViewScreenshot(m_session, *m_window, m_options.view, m_options.screenshotPath, m_window.get());
    connect(screenshot, &ui::ViewScreenshot::finished, this, [this](bool ok, const QString& message) {
      if (!ok) {
        fail(tr("no screenshot: %1").arg(message));
        return;
      }
      QApplication::quit();
    });
    screenshot->start(kScreenshotTimeoutMs);
    return;
  }
  m_window->showView(m_options.view);
  m_window->show();
}

void ConsoleFlow::signOut() {
  closeWindow();
  m_session.signOut();
  askToSignIn();
}

void ConsoleFlow::closeWindow() {
  if (!m_window) {
    return;
  }
  // The window may be mid-way through delivering the action that asked for this.
  m_window->hide();
  m_window.release()->deleteLater();
}

void ConsoleFlow::fail(const QString& message) {
  std::fprintf(stderr, "opflow: %s\n", qPrintable(message));
  QApplication::exit(1);
}

} // namespace opflow::console
