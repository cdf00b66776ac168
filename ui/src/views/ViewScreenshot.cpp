#include "opflow/ui/views/ViewScreenshot.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/views/ConsoleStatusBar.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/Screenshot.h"

#include <QTimer>

namespace opflow::ui {

ViewScreenshot::ViewScreenshot(ConsoleSession& session, MainWindow& window, ConsoleView view, QString path,
                               QObject* parent)
    : QObject(parent), m_session(session), m_window(window), m_view(view), m_path(std::move(path)) {}

void ViewScreenshot::start(int timeoutMs) {
  if (!m_window.showView(m_view)) {
    finish(false, tr("the signed-in role has no such view"));
    return;
  }
  m_timeout = new QTimer(this);
  m_timeout->setSingleShot(true);
  connect(m_timeout, &QTimer::timeout, this,
          [this, timeoutMs] { finish(false, tr("the view showed no data within %1 s").arg(timeoutMs / 1000)); });
  m_timeout->start(timeoutMs);
  connect(&m_window, &MainWindow::viewLoaded, this, &ViewScreenshot::advance);
  connect(&m_session, &ConsoleSession::engineReady, this, &ViewScreenshot::advance);
  connect(m_window.consoleStatusBar(), &ConsoleStatusBar::outboxRead, this, &ViewScreenshot::advance);
  connect(&m_session, &ConsoleSession::engineFailed, this,
          [this](const ConsoleProblem& problem) { finish(false, problem.fullText()); });
  advance();
}

void ViewScreenshot::advance() {
  if (m_done || m_rendering || !m_session.isEngineReady()) {
    return;
  }
  if (m_view == ConsoleView::Order && !m_orderRequested) {
    if (!m_window.isViewLoaded(ConsoleView::Orders)) {
      return;
    }
    const QString number = m_window.ordersView()->model()->orderNumberAt(0);
    if (number.isEmpty()) {
      finish(false, tr("the order list is empty: there is no order to show"));
      return;
    }
    m_orderRequested = true;
    m_window.orderView()->showOrder(number);
    return;
  }
  if (!m_window.isViewLoaded(m_view) || !m_window.consoleStatusBar()->pendingOutbox()) {
    return;
  }
  m_rendering = true;
  // One more turn of the event loop lets the arriving rows lay out and paint.
  QTimer::singleShot(0, this, [this] {
    const bool saved = renderToPng(m_window, m_path);
    finish(saved, saved ? QString() : tr("could not save the screenshot to %1").arg(m_path));
  });
}

void ViewScreenshot::finish(bool ok, const QString& message) {
  if (m_done) {
    return;
  }
  m_done = true;
  if (m_timeout) {
    m_timeout->stop();
  }
  emit finished(ok, message);
}

} // namespace opflow::ui
