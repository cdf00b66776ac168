// RunsView: the live runs of the workstation (RunsModel, with a progress bar per run) and,
// for supervisors, the interrupted runs with their decisions: retry the node, skip to a
// node of the run's own definition version, or fail the run.
//
// Offered only to roles that may use them (hidden, not disabled): cancelling to roles
// that may act, the interrupted runs to supervisors. Core checks the role again and the
// view shows its refusal. Cancel and fail ask first (a window-modal box; no nested event
// loop); every engine call runs off the GUI thread and its answer is shown in the view,
// a refusal with the run's correlation id to copy.
// Shortcuts: F5 refresh, Ctrl+Shift+X or Delete cancel, Ctrl+Shift+R retry,
// Ctrl+Shift+K skip, Ctrl+Shift+F fail.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/engine/Engine.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QTableView;

namespace opflow::ui {

class ConsoleAction;
class ConsoleSession;
class InterruptedRunsModel;
class RunsModel;

class RunsView : public QWidget {
  Q_OBJECT

public:
  explicit RunsView(ConsoleSession& session, QWidget* parent = nullptr);

  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  [[nodiscard]] RunsModel* model() const { return m_model; }
  // Null for roles that may not decide about interrupted runs.
  [[nodiscard]] InterruptedRunsModel* interruptedModel() const { return m_interrupted; }
  [[nodiscard]] QTableView* table() const { return m_table; }
  [[nodiscard]] QTableView* interruptedTable() const { return m_interruptedTable; }

public slots:
  void refresh();
  // Asks to confirm, then cancels the selected live run.
  void cancelSelected();
  // Decisions about the selected interrupted run (fail asks to confirm first).
  void retrySelected();
  void skipSelected();
  void failSelected();

signals:
  void loaded();

protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

private:
  void buildInterruptedSection(QWidget* section);
  void updateActions();
  void updateSkipTargets();
  void cancel(const ConsoleAction& action);
  void decide(const engine::RunRecord& run, engine::Decision decision, const QString& what);
  void confirm(const QString& objectName, const QString& question, const QString& yesText,
               std::function<void()> onYes);
  void checkLoaded();
  [[nodiscard]] QString selectedRunId() const;
  [[nodiscard]] const engine::RunRecord* selectedInterruptedRun() const;

  ConsoleSession& m_session;
  RunsModel* m_model = nullptr;
  InterruptedRunsModel* m_interrupted = nullptr;
  QTableView* m_table = nullptr;
  QPushButton* m_cancel = nullptr;
  QLabel* m_runsMessage = nullptr;
  QTableView* m_interruptedTable = nullptr;
  QPushButton* m_retry = nullptr;
  QComboBox* m_skipTarget = nullptr;
  QPushButton* m_skip = nullptr;
  QPushButton* m_fail = nullptr;
  QLabel* m_decisionMessage = nullptr;
  QString m_selectedBeforeReset;
  bool m_loaded = false;
};

} // namespace opflow::ui
