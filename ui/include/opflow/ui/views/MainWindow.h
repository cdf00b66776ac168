// MainWindow: the console's main window for the person signed in. Its views are tabs:
// Orders, Order (one order in detail), Runs (live), Audit and Dashboard (supervisors,
// managers and admins), Operations and Flowcharts; the menus carry a shortcut for every frequent
// action, and the status bar says who, where, which database and how the sync with the
// shop stands (a click opens the sync panel). Changes pulled from the shop refresh the
// order list and the order shown. Activating an order in the list opens it in the Order
// view. Everything the views show is read off the
// GUI thread (see Background).
// Thread-safety: GUI thread only. The session must outlive the window.
#pragma once

#include <QMainWindow>

#include <optional>

class QTabWidget;

namespace opflow::ui {

class AuditView;
class DashboardView;
class FlowchartsView;
class ConsoleSession;
class ConsoleStatusBar;
class OperationsView;
class OrderDetailView;
class OrdersView;
class RunsView;
class SyncPanel;

enum class ConsoleView { Orders, Order, Runs, Audit, Operations, Flowcharts, Dashboard };

// "orders", "order", "runs", "audit", "operations", "flowcharts", "dashboard"; nullopt for
// another name.
[[nodiscard]] std::optional<ConsoleView> consoleViewFromName(const QString& name);

class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(ConsoleSession& session, QWidget* parent = nullptr);

  // Brings `view` to the front; false when this role has no such view (Audit and Dashboard
  // for operators).
  bool showView(ConsoleView view);
  [[nodiscard]] bool hasView(ConsoleView view) const;
  // Whether `view` has shown its first data.
  [[nodiscard]] bool isViewLoaded(ConsoleView view) const;
  // Brings the Flowcharts view to the front with `operation` (at the version `runId` ran,
  // and that run's path, when a run is named); false when there is no such operation.
  bool showFlowchart(const QString& operation, const QString& runId = QString());

  [[nodiscard]] OrdersView* ordersView() const { return m_orders; }
  [[nodiscard]] OrderDetailView* orderView() const { return m_order; }
  [[nodiscard]] RunsView* runsView() const { return m_runs; }
  [[nodiscard]] AuditView* auditView() const { return m_audit; } // null for operators
  [[nodiscard]] OperationsView* operationsView() const { return m_operations; }
  [[nodiscard]] FlowchartsView* flowchartsView() const { return m_flowcharts; }
  [[nodiscard]] DashboardView* dashboardView() const { return m_dashboard; } // null for operators
  [[nodiscard]] ConsoleStatusBar* consoleStatusBar() const { return m_status; }
  // Opens (or brings forward) the sync panel (Console > Sync with the shop, or a click on
  // the status bar's sync state).
  SyncPanel* showSyncPanel();

signals:
  // A view has shown its first data.
  void viewLoaded(opflow::ui::ConsoleView view);
  // The person asked to sign out (Console > Sign out).
  void signOutRequested();

private:
  [[nodiscard]] QWidget* widgetOf(ConsoleView view) const;
  void buildMenus();
  void showShortcuts();
  void refreshCurrent();

  ConsoleSession& m_session;
  QTabWidget* m_tabs = nullptr;
  OrdersView* m_orders = nullptr;
  OrderDetailView* m_order = nullptr;
  RunsView* m_runs = nullptr;
  AuditView* m_audit = nullptr;
  OperationsView* m_operations = nullptr;
  FlowchartsView* m_flowcharts = nullptr;
  DashboardView* m_dashboard = nullptr;
  ConsoleStatusBar* m_status = nullptr;
  SyncPanel* m_syncPanel = nullptr;
};

} // namespace opflow::ui

Q_DECLARE_METATYPE(opflow::ui::ConsoleView)
