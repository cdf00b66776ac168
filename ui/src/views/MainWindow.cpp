#include "opflow/ui/views/MainWindow.h"

#include "opflow/ui/views/AuditView.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/charts/DashboardView.h"
#include "opflow/ui/dialogs/SyncPanel.h"
#include "opflow/ui/views/ConsoleStatusBar.h"
#include "opflow/ui/flowchart/FlowchartsView.h"
#include "opflow/ui/views/OperationsView.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/RunsView.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QTabWidget>

namespace opflow::ui {

std::optional<ConsoleView> consoleViewFromName(const QString& name) {
  static const std::pair<const char*, ConsoleView> kNames[] = {{"orders", ConsoleView::Orders},
                                                                {"order", ConsoleView::Order},
                                                                {"runs", ConsoleView::Runs},
                                                                {"audit", ConsoleView::Audit},
                                                                {"operations", ConsoleView::Operations},
                                                                {"flowcharts", ConsoleView::Flowcharts},
                                                                {"dashboard", ConsoleView::Dashboard}};
  for (const auto& [text, view] : kNames) {
    if (name == QLatin1String(text)) {
      return view;
    }
  }
  return std::nullopt;
}

MainWindow::MainWindow(ConsoleSession& session, QWidget* parent) : QMainWindow(parent), m_session(session) {
  qRegisterMetaType<ConsoleView>();
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Opflow console"));
  resize(1280, 800);

  m_tabs = new QTabWidget;
  m_tabs->setObjectName(QStringLiteral("views"));
  m_tabs->setAccessibleName(tr("Views"));
  m_tabs->setDocumentMode(true);

  m_orders = new OrdersView(session);
  m_order = new OrderDetailView(session);
  m_runs = new RunsView(session);
  m_operations = new OperationsView(session.host().catalog());
  m_tabs->addTab(m_orders, tr("Orders"));
  m_tabs->addTab(m_order, tr("Order"));
  m_tabs->addTab(m_runs, tr("Live runs"));
  const bool readsAudit = session.may(domain::Permission::ReviewAudit);
  if (readsAudit) {
    m_audit = new AuditView(session);
    m_tabs->addTab(m_audit, tr("Audit"));
    connect(m_audit, &AuditView::loaded, this, [this] { emit viewLoaded(ConsoleView::Audit); });
  }
  m_tabs->addTab(m_operations, tr("Operations"));
  m_flowcharts = new FlowchartsView(session);
  m_tabs->addTab(m_flowcharts, tr("Flowcharts"));
  connect(m_flowcharts, &FlowchartsView::loaded, this, [this] { emit viewLoaded(ConsoleView::Flowcharts); });
  if (readsAudit) { // the shop's figures are for those who oversee it
    m_dashboard = new DashboardView(session);
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    connect(m_dashboard, &DashboardView::loaded, this, [this] { emit viewLoaded(ConsoleView::Dashboard); });
  }
  setCentralWidget(m_tabs);

  m_status = new ConsoleStatusBar(session);
  setStatusBar(m_status);
  connect(m_status, &ConsoleStatusBar::syncPanelRequested, this, &MainWindow::showSyncPanel);
  // Another workstation's change, pulled by the sync: the views that show it read again.
  connect(&session.syncEvents(), &SyncBridge::ordersChanged, this, [this](const QSet<QString>& numbers, bool all) {
    m_orders->noteOrdersChanged();
    if (!m_order->orderNumber().isEmpty() && (all || numbers.contains(m_order->orderNumber()))) {
      m_order->refresh();
    }
  });

  connect(m_orders, &OrdersView::loaded, this, [this] { emit viewLoaded(ConsoleView::Orders); });
  connect(m_order, &OrderDetailView::loaded, this, [this] { emit viewLoaded(ConsoleView::Order); });
  connect(m_runs, &RunsView::loaded, this, [this] { emit viewLoaded(ConsoleView::Runs); });
  connect(m_orders, &OrdersView::orderActivated, this, [this](const QString& number) {
    m_order->showOrder(number);
    showView(ConsoleView::Order);
  });
  // Runs the engine resumes at start send no events: read them again once it has.
  connect(&session, &ConsoleSession::engineReady, m_runs, &RunsView::refresh);
  connect(&session, &ConsoleSession::engineReady, m_order, [this] {
    if (!m_order->orderNumber().isEmpty()) {
      m_order->showOrder(m_order->orderNumber());
    }
  });
  connect(m_order, &OrderDetailView::flowchartRequested, this, &MainWindow::showFlowchart);
  connect(m_order, &OrderDetailView::runStarted, this,
          [this](const QString& runId) { m_status->showMessage(tr("Run %1 started").arg(runId), 5000); });

  buildMenus();
  m_orders->setFocus(Qt::OtherFocusReason);
}

QWidget* MainWindow::widgetOf(ConsoleView view) const {
  switch (view) {
  case ConsoleView::Orders:
    return m_orders;
  case ConsoleView::Order:
    return m_order;
  case ConsoleView::Runs:
    return m_runs;
  case ConsoleView::Audit:
    return m_audit;
  case ConsoleView::Operations:
    return m_operations;
  case ConsoleView::Flowcharts:
    return m_flowcharts;
  case ConsoleView::Dashboard:
    return m_dashboard;
  }
  return nullptr;
}

bool MainWindow::hasView(ConsoleView view) const { return widgetOf(view) != nullptr; }

bool MainWindow::showView(ConsoleView view) {
  QWidget* widget = widgetOf(view);
  if (!widget) {
    return false;
  }
  m_tabs->setCurrentWidget(widget);
  widget->setFocus(Qt::ShortcutFocusReason);
  if (view == ConsoleView::Flowcharts) {
    m_flowcharts->showFirstIfNone(); // a hidden window's tab hears no show event
  }
  return true;
}

bool MainWindow::isViewLoaded(ConsoleView view) const {
  switch (view) {
  case ConsoleView::Orders:
    return m_orders->isLoaded();
  case ConsoleView::Order:
    return m_order->isLoaded();
  case ConsoleView::Runs:
    return m_runs->isLoaded();
  case ConsoleView::Audit:
    return m_audit && m_audit->isLoaded();
  case ConsoleView::Operations:
    return true;
  case ConsoleView::Flowcharts:
    return m_flowcharts->isLoaded();
  case ConsoleView::Dashboard:
    return m_dashboard && m_dashboard->isLoaded();
  }
  return false;
}

bool MainWindow::showFlowchart(const QString& operation, const QString& runId) {
  if (!m_flowcharts->showOperation(operation, std::nullopt, runId)) {
    return false;
  }
  return showView(ConsoleView::Flowcharts);
}

void MainWindow::buildMenus() {
  QMenu* console = menuBar()->addMenu(tr("&Console"));
  QAction* signOut = console->addAction(tr("Sign &out"), this, &MainWindow::signOutRequested);
  signOut->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  QAction* syncPanel = console->addAction(tr("S&ync with the shop…"), this, &MainWindow::showSyncPanel);
  syncPanel->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
  QAction* quit = console->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const std::pair<ConsoleView, QString> views[] = {{ConsoleView::Orders, tr("&Orders")},
                                                   {ConsoleView::Order, tr("Or&der")},
                                                   {ConsoleView::Runs, tr("Live &runs")},
                                                   {ConsoleView::Audit, tr("&Audit")},
                                                   {ConsoleView::Operations, tr("O&perations")},
                                                   {ConsoleView::Flowcharts, tr("F&lowcharts")},
                                                   {ConsoleView::Dashboard, tr("Das&hboard")}};
  int key = Qt::Key_1;
  for (const auto& [which, label] : views) {
    if (!hasView(which)) {
      continue;
    }
    QAction* action = view->addAction(label, this, [this, which = which] { showView(which); });
    action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(key++)));
  }
  view->addSeparator();
  QAction* refresh = view->addAction(tr("Re&fresh"), this, &MainWindow::refreshCurrent);
  refresh->setShortcut(QKeySequence::Refresh);

  QMenu* go = menuBar()->addMenu(tr("&Go"));
  QAction* search = go->addAction(tr("&Search orders"), this, [this] {
    showView(ConsoleView::Orders);
    m_orders->focusSearch();
  });
  search->setShortcut(OrdersView::searchKeys());
  QAction* scan = go->addAction(tr("S&can an order"), this, [this] {
    showView(ConsoleView::Orders);
    m_orders->focusScan();
  });
  scan->setShortcut(OrdersView::scanKeys());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* shortcuts = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
  shortcuts->setShortcut(QKeySequence::HelpContents);
}

void MainWindow::refreshCurrent() {
  QWidget* current = m_tabs->currentWidget();
  if (current == m_orders) {
    m_orders->refresh();
  } else if (current == m_order) {
    m_order->showOrder(m_order->orderNumber());
  } else if (current == m_runs) {
    m_runs->refresh();
  } else if (current == m_flowcharts) {
    m_flowcharts->refresh();
  } else if (current == m_dashboard) {
    m_dashboard->refresh();
  }
  m_status->refreshOutbox();
}

SyncPanel* MainWindow::showSyncPanel() {
  if (!m_syncPanel) {
    m_syncPanel = new SyncPanel(m_session, this);
    connect(m_syncPanel, &SyncPanel::orderRequested, this, [this](const QString& number) {
      m_order->showOrder(number);
      showView(ConsoleView::Order);
    });
  }
  m_syncPanel->show();
  m_syncPanel->raise();
  m_syncPanel->activateWindow();
  return m_syncPanel;
}

void MainWindow::showShortcuts() {
  QStringList lines;
  for (QAction* menu : menuBar()->actions()) {
    for (QAction* action : menu->menu()->actions()) {
      if (!action->shortcut().isEmpty()) {
        lines << QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                     .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                          action->text().remove(QLatin1Char('&')).toHtmlEscaped());
      }
    }
  }
  auto* box = new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"),
                              tr("<table cellspacing=6>%1</table><p>Each view's buttons show their own "
                                 "shortcuts in their tooltips.</p>")
                                  .arg(lines.join(QString())),
                              QMessageBox::Close, this);
  box->setObjectName(QStringLiteral("shortcutsHelp"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

} // namespace opflow::ui
