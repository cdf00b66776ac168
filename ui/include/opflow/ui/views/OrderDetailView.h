// OrderDetailView: one order, where an operator starts operations on it. It shows the
// order's fields and details, its status timeline, its audit trail and its runs with
// their steps, and the operations the signed-in role may start in the order's status as
// buttons (builtin::applicableOperations: derived from the definitions; none, and no
// buttons, for a role that may not act), and "New order" (the operations that create
// orders, Ctrl+N; the order made is shown once its run completes). A button opens the
// operation's InputFormDialog;
// a run started from here that waits for a signature opens the SignatureDialog, and any
// run of the order that waits for one can be signed with "Sign…".
//
// "Show in flowchart" under the runs asks for the selected run's path on its operation's
// flowchart (flowchartRequested; the main window opens the Flowcharts view).
//
// A change of the order made here that the shop did not take shows as a ConflictBanner
// over the timeline, with its resolution for a supervisor.
//
// Everything is read on a worker thread (Background) in one snapshot per load; an answer
// for an order no longer shown is dropped (a generation counter). Run events of the
// order's runs (and their sub-runs) arrive through the session's bridge: the view shows
// the latest one's node, progress and message, and loads the order again when one of
// its runs starts, parks in a wait or ends.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/builtin/OrderOperations.h"
#include "opflow/store/Order.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QPointer>
#include <QWidget>

#include <deque>
#include <map>
#include <optional>
#include <set>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTreeView;
class QWidget;

namespace opflow::ui {

class ConflictBanner;
class ConsoleAction;
class ConsoleSession;
struct ConsoleProblem;
class OrderAuditModel;
class OrderRunsModel;
class OrderTimeline;
class SignatureDialog;
struct OrderSnapshot;

class OrderDetailView : public QWidget {
  Q_OBJECT

public:
  explicit OrderDetailView(ConsoleSession& session, QWidget* parent = nullptr);
  ~OrderDetailView() override;

  // True once the first order asked for has been shown (or found missing).
  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  [[nodiscard]] QString orderNumber() const { return m_number; }
  // The order as last loaded (none before, or when it was not found).
  [[nodiscard]] const std::optional<store::Order>& order() const { return m_order; }

  [[nodiscard]] OrderTimeline* timeline() const { return m_timeline; }
  // The band that shows the order's open sync conflicts (hidden when there is none).
  [[nodiscard]] ConflictBanner* conflictBanner() const { return m_conflicts; }
  [[nodiscard]] OrderAuditModel* auditModel() const { return m_auditModel; }
  [[nodiscard]] OrderRunsModel* runsModel() const { return m_runsModel; }
  [[nodiscard]] QTreeView* runsTree() const { return m_runsTree; }
  [[nodiscard]] QPushButton* showFlowchartButton() const { return m_showFlowchart; }
  // The buttons of the operations offered now, in order.
  [[nodiscard]] QList<QPushButton*> operationButtons() const { return m_operationButtons; }
  [[nodiscard]] QPushButton* signButton() const { return m_sign; }
  // The buttons that start a new order (none for a role that may not act).
  [[nodiscard]] QList<QPushButton*> newOrderButtons() const { return m_newOrderButtons; }
  [[nodiscard]] QProgressBar* progressBar() const { return m_progress; }
  // The live run's line: operation, node, progress message ("" when none runs).
  [[nodiscard]] QString progressText() const;
  // The last outcome, refusal or problem the view reported.
  [[nodiscard]] QString message() const;

public slots:
  // Shows order `number` (loaded off the GUI thread; loaded()/orderShown() follow).
  void showOrder(const QString& number);
  // Loads the shown order again.
  void refresh();
  // Opens the start dialog of `operation` for this order (what its button does).
  void startOperation(const QString& operation);
  // Opens the start dialog of `operation`, an operation that makes a new order.
  void startNewOrder(const QString& operation);
  // Opens the signature dialog for the run of this order that waits for a signature.
  void signWaitingRun();
  // Asks for the selected run (or the run of the selected step) in its flowchart.
  void showSelectedRunInFlowchart();

signals:
  void loaded();
  // The order's data was shown (after every load).
  void orderShown();
  // A run was started from this view.
  void runStarted(const QString& runId);
  // "Show in flowchart" on a run of the order.
  void flowchartRequested(const QString& operation, const QString& runId);

private:
  struct LiveRun {
    QString operation;
    QString parentId;
    QString correlationId;
    QString node;
    double fraction = 0.0;
    QString message;
    std::optional<qint64> etaMs;
    QString waitingFor;
  };

  void apply(OrderSnapshot snapshot, const ConsoleAction& reading);
  void showFields(const store::Order& order);
  void rebuildOperationButtons(const std::vector<builtin::OrderOperation>& operations);
  void updateTabOrder();
  void onRunEvent(const RunEvent& event);
  void onRunEnded(const RunEvent& event);
  // A run of a new-order operation that this user started ended: show the order it made.
  void onNewOrderEnded(const RunEvent& event);
  void updateLivePanel();
  void setMessage(const QString& text, bool warning = false);
  // A failure, with its reference to copy.
  void setProblem(const ConsoleProblem& problem);
  // The operation a button named is not in the catalog (any more).
  void showMissingOperation(const QString& operation);
  // The top-level run of `runId` among the tracked runs.
  [[nodiscard]] QString topRunOf(const QString& runId) const;
  // The run of the runs tree's current row ("" when none).
  [[nodiscard]] QString selectedRunId() const;
  [[nodiscard]] bool isThisOrder(const QString& number) const;
  // Opens the signature dialog for the tree of `runId`, when a run of it waits for one.
  void openSignatureDialog(const QString& runId);

  ConsoleSession& m_session;
  QString m_number;
  std::optional<store::Order> m_order;
  std::uint64_t m_generation = 0;
  bool m_loaded = false;
  std::map<QString, LiveRun> m_live;
  // The latest runs that ended (any order), so that a snapshot read just before one ended
  // does not bring it back to the live panel.
  std::deque<QString> m_recentlyEnded;
  QString m_liveFocus;
  std::set<QString> m_startedHere;
  std::set<QString> m_newOrderOperations; // the operations behind the new-order buttons
  std::map<QString, QString> m_creatingRuns; // their runs in flight: run id, correlation id
  QString m_awaitingSignature; // the top-level run of the order that waits for a signature
  QPointer<SignatureDialog> m_signatureDialog;

  QLabel* m_title = nullptr;
  QLabel* m_status = nullptr;
  QPushButton* m_refresh = nullptr;
  QList<QPushButton*> m_newOrderButtons;
  OrderTimeline* m_timeline = nullptr;
  ConflictBanner* m_conflicts = nullptr;
  QWidget* m_operations = nullptr;
  QList<QPushButton*> m_operationButtons;
  QPushButton* m_sign = nullptr;
  QWidget* m_livePanel = nullptr;
  QLabel* m_liveText = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_message = nullptr;
  std::map<QString, QLabel*> m_fields;
  QPlainTextEdit* m_details = nullptr;
  QTabWidget* m_tabs = nullptr;
  OrderAuditModel* m_auditModel = nullptr;
  QTableView* m_auditTable = nullptr;
  OrderRunsModel* m_runsModel = nullptr;
  QTreeView* m_runsTree = nullptr;
  QPushButton* m_showFlowchart = nullptr;
  std::map<QString, QString> m_runOperations; // the operation of each run shown, by run id
};

} // namespace opflow::ui
