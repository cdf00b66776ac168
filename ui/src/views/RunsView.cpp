#include "opflow/ui/views/RunsView.h"

#include "text/QtText.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/models/InterruptedRunsModel.h"
#include "opflow/ui/views/ProgressDelegate.h"
#include "opflow/ui/models/RunsModel.h"
#include "views/ViewParts.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <functional>

namespace opflow::ui {

RunsView::RunsView(ConsoleSession& session, QWidget* parent) : QWidget(parent), m_session(session) {
  setObjectName(QStringLiteral("runsView"));
  m_model = new RunsModel(session, this);

  auto* layout = new QVBoxLayout(this);
  auto* heading = new QLabel(tr("<b>Live runs</b> — every running or waiting operation"), this);
  auto* refreshButton = makeButton(this, QStringLiteral("refreshRuns"), tr("&Refresh"), tr("Reload the runs (F5)"));
  auto* top = new QHBoxLayout;
  top->addWidget(heading, 1);
  top->addWidget(refreshButton);
  layout->addLayout(top);

  m_table = makeTable(this, QStringLiteral("runsTable"), tr("Live runs"));
  m_table->setModel(m_model);
  m_table->setItemDelegateForColumn(RunsModel::ProgressColumn, new ProgressDelegate(RunsModel::ProgressRole, this));
  m_table->setColumnWidth(RunsModel::OperationColumn, 190);
  m_table->setColumnWidth(RunsModel::NodeColumn, 200);
  m_table->setColumnWidth(RunsModel::ProgressColumn, 140);
  m_table->setColumnWidth(RunsModel::MessageColumn, 260);
  layout->addWidget(m_table, 3);

  auto* actions = new QHBoxLayout;
  m_runsMessage = new QLabel(this);
  m_runsMessage->setObjectName(QStringLiteral("runsMessage"));
  m_runsMessage->setAccessibleName(tr("Runs message"));
  m_runsMessage->setWordWrap(true);
  actions->addWidget(m_runsMessage, 1);
  if (session.may(domain::Permission::Act)) {
    m_cancel = makeButton(this, QStringLiteral("cancelRun"), tr("&Cancel run…"),
                          tr("Cancel the selected run, after confirming (Ctrl+Shift+X or Delete)"));
    connect(m_cancel, &QPushButton::clicked, this, &RunsView::cancelSelected);
    addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+Shift+X")), QKeySequence(Qt::Key_Delete)},
                this, [this] { cancelSelected(); });
    actions->addWidget(m_cancel);
  }
  layout->addLayout(actions);

  connect(refreshButton, &QPushButton::clicked, this, &RunsView::refresh);
  addShortcut(this, {QKeySequence(Qt::Key_F5)}, this, [this] { refresh(); });
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsView::updateActions);
  // A run's own change (not the clock's tick of the time columns) may end it.
  connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& topLeft) {
    if (topLeft.column() == 0) {
      updateActions();
    }
  });
  connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RunsView::updateActions);
  // A reload keeps the selected run selected.
  connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_selectedBeforeReset = selectedRunId(); });
  connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
    if (int row = m_model->rowOf(m_selectedBeforeReset); row >= 0) {
      m_table->selectRow(row);
    }
    updateActions();
  });
  connect(m_model, &RunsModel::loaded, this, &RunsView::checkLoaded);

  setTabOrder(refreshButton, m_table);
  QWidget* lastInTabOrder = m_table;
  if (m_cancel) {
    setTabOrder(m_table, m_cancel);
    lastInTabOrder = m_cancel;
  }
  if (session.may(domain::Permission::Supervise)) {
    auto* section = new QGroupBox(tr("Interrupted runs — a supervisor decides how each goes on"), this);
    section->setObjectName(QStringLiteral("interruptedSection"));
    section->setAccessibleName(tr("Interrupted runs"));
    buildInterruptedSection(section);
    layout->addWidget(section, 2);
    setTabOrder(lastInTabOrder, m_interruptedTable);
    setTabOrder(m_interruptedTable, m_retry);
    setTabOrder(m_retry, m_skipTarget);
    setTabOrder(m_skipTarget, m_skip);
    setTabOrder(m_skip, m_fail);
  }
  updateActions();
  refresh();
}

void RunsView::buildInterruptedSection(QWidget* section) {
  m_interrupted = new InterruptedRunsModel(m_session, this);
  auto* layout = new QVBoxLayout(section);
  auto* explanation = new QLabel(tr("These runs stopped inside a step that is not safe to repeat when the "
                                    "workstation restarted. Check what the step did, then retry it, skip to "
                                    "another node, or fail the run."),
                                 section);
  explanation->setWordWrap(true);
  layout->addWidget(explanation);
  m_interruptedTable = makeTable(section, QStringLiteral("interruptedTable"), tr("Interrupted runs"));
  m_interruptedTable->setModel(m_interrupted);
  m_interruptedTable->setColumnWidth(InterruptedRunsModel::OperationColumn, 220);
  layout->addWidget(m_interruptedTable);

  auto* buttons = new QHBoxLayout;
  m_retry = makeButton(section, QStringLiteral("retryRun"), tr("Re&try node"),
                       tr("Run the interrupted node again (Ctrl+Shift+R)"));
  m_skipTarget = new QComboBox(section);
  m_skipTarget->setObjectName(QStringLiteral("skipTarget"));
  m_skipTarget->setAccessibleName(tr("Node to skip to"));
  m_skipTarget->setToolTip(tr("The node of the run's own definition version where the run goes on"));
  m_skipTarget->setMinimumContentsLength(16);
  m_skip = makeButton(section, QStringLiteral("skipRun"), tr("S&kip to node"),
                      tr("Go on at the chosen node without running the interrupted one (Ctrl+Shift+K)"));
  m_fail = makeButton(section, QStringLiteral("failRun"), tr("&Fail run…"),
                      tr("End the run as failed, after confirming (Ctrl+Shift+F)"));
  buttons->addWidget(m_retry);
  buttons->addWidget(m_skipTarget);
  buttons->addWidget(m_skip);
  buttons->addWidget(m_fail);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  m_decisionMessage = new QLabel(section);
  m_decisionMessage->setObjectName(QStringLiteral("decisionMessage"));
  m_decisionMessage->setAccessibleName(tr("Decision message"));
  m_decisionMessage->setWordWrap(true);
  layout->addWidget(m_decisionMessage);

  connect(m_retry, &QPushButton::clicked, this, &RunsView::retrySelected);
  connect(m_skip, &QPushButton::clicked, this, &RunsView::skipSelected);
  connect(m_fail, &QPushButton::clicked, this, &RunsView::failSelected);
  addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+Shift+R"))}, this, [this] { retrySelected(); });
  addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+Shift+K"))}, this, [this] { skipSelected(); });
  addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+Shift+F"))}, this, [this] { failSelected(); });
  connect(m_interruptedTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    updateSkipTargets();
    updateActions();
  });
  connect(m_interrupted, &QAbstractItemModel::modelReset, this, [this] {
    if (m_interrupted->rowCount() > 0) {
      m_interruptedTable->selectRow(0);
    }
    updateSkipTargets();
    updateActions();
  });
  connect(m_interrupted, &InterruptedRunsModel::loaded, this, &RunsView::checkLoaded);
}

void RunsView::refresh() {
  m_model->refresh();
  if (m_interrupted) {
    m_interrupted->refresh();
  }
}

void RunsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  m_model->setClockRunning(true);
}

void RunsView::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  m_model->setClockRunning(false);
}

void RunsView::checkLoaded() {
  if (!m_loaded && m_model->isLoaded() && (!m_interrupted || m_interrupted->isLoaded())) {
    m_loaded = true;
    emit loaded();
  }
}

QString RunsView::selectedRunId() const {
  const QModelIndexList rows = m_table->selectionModel()->selectedRows();
  return rows.isEmpty() ? QString() : m_model->runIdAt(rows.front().row());
}

const engine::RunRecord* RunsView::selectedInterruptedRun() const {
  if (!m_interruptedTable) {
    return nullptr;
  }
  const QModelIndexList rows = m_interruptedTable->selectionModel()->selectedRows();
  return rows.isEmpty() ? nullptr : m_interrupted->runAt(rows.front().row());
}

void RunsView::updateActions() {
  if (m_cancel) {
    const int row = m_model->rowOf(selectedRunId());
    const QModelIndex selected = m_model->index(row, 0);
    engine::RunContext started;
    started.user = selected.data(RunsModel::StartedByRole).toString().toStdString();
    const auto refusal = row >= 0 ? engine::cancelRefusal(started, m_session.actor()) : std::nullopt;
    m_cancel->setEnabled(row >= 0 && !selected.data(RunsModel::EndedRole).toBool() && !refusal);
    m_cancel->setToolTip(refusal ? qt(*refusal)
                                 : tr("Cancel the selected run, after confirming (Ctrl+Shift+X or Delete)"));
  }
  if (m_interruptedTable) {
    const bool chosen = selectedInterruptedRun() != nullptr;
    m_retry->setEnabled(chosen);
    m_skipTarget->setEnabled(chosen);
    m_skip->setEnabled(chosen && m_skipTarget->count() > 0);
    m_fail->setEnabled(chosen);
  }
}

void RunsView::updateSkipTargets() {
  m_skipTarget->clear();
  const engine::RunRecord* run = selectedInterruptedRun();
  if (!run) {
    return;
  }
  // The run's own version: a newer definition never changes a run in flight.
  engine::OperationPtr operation = m_session.host().catalog().find(run->operation, run->version);
  if (!operation) {
    return;
  }
  for (const model::Node& node : operation->definition().nodes) {
    if (node.name != run->currentNode) {
      m_skipTarget->addItem(node.title.empty() ? qt(node.name) : tr("%1 — %2").arg(qt(node.name), qt(node.title)),
                            qt(node.name));
    }
  }
}

void RunsView::confirm(const QString& objectName, const QString& question, const QString& yesText,
                       std::function<void()> onYes) {
  auto* box = new QMessageBox(QMessageBox::Question, tr("Please confirm"), question, QMessageBox::NoButton, this);
  box->setObjectName(objectName);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(Qt::WindowModal);
  QPushButton* yes = box->addButton(yesText, QMessageBox::YesRole);
  box->addButton(tr("Keep it"), QMessageBox::NoRole)->setObjectName(QStringLiteral("no"));
  yes->setObjectName(QStringLiteral("yes"));
  box->setDefaultButton(qobject_cast<QPushButton*>(box->buttons().last()));
  connect(box, &QMessageBox::buttonClicked, this, [yes, onYes = std::move(onYes)](QAbstractButton* clicked) {
    if (clicked == yes) {
      onYes();
    }
  });
  box->open();
}

void RunsView::cancelSelected() {
  if (!m_cancel || !m_cancel->isEnabled()) {
    return;
  }
  const QString runId = selectedRunId();
  const int row = m_model->rowOf(runId);
  const QString operation = m_model->index(row, RunsModel::OperationColumn).data().toString();
  const QString order = m_model->index(row, RunsModel::OrderColumn).data().toString();
  const QString what = order.isEmpty() ? operation : tr("%1 of order %2").arg(operation, order);
  ConsoleAction action = ConsoleAction::onRun(
      m_session, "run.cancel", runId.toStdString(),
      m_model->index(row, 0).data(RunsModel::CorrelationIdRole).toString().toStdString());
  confirm(QStringLiteral("confirmCancel"), tr("Cancel %1? Work it has done so far stays done.").arg(what),
          tr("Cancel the run"), [this, action] { cancel(action); });
}

void RunsView::cancel(const ConsoleAction& action) {
  engine::Engine& engine = m_session.host().engine();
  engine::Actor actor = m_session.actor();
  showOutcome(m_runsMessage, tr("Cancelling…"), false);
  m_session.background().run(
      this, [&engine, id = action.runId(), actor] { return engine.cancel(engine::RunId(id), actor); },
      [this, action](Status cancelled) {
        if (!cancelled) {
          showProblem(m_runsMessage,
                      action.failed(cancelled.error(), tr("Cancel refused: %1").arg(qt(cancelled.error().describe()))));
          return;
        }
        action.succeeded();
        showOutcome(m_runsMessage, tr("Cancel requested: the run stops after its current step."), false);
      });
}

void RunsView::retrySelected() {
  if (const engine::RunRecord* run = selectedInterruptedRun(); run && m_retry->isEnabled()) {
    decide(*run, {engine::DecisionKind::Retry, {}}, tr("Retry of %1").arg(qt(run->currentNode)));
  }
}

void RunsView::skipSelected() {
  const engine::RunRecord* run = selectedInterruptedRun();
  if (!run || !m_skip->isEnabled()) {
    return;
  }
  const QString node = m_skipTarget->currentData().toString();
  decide(*run, {engine::DecisionKind::Skip, node.toStdString()}, tr("Skip to %1").arg(node));
}

void RunsView::failSelected() {
  const engine::RunRecord* run = selectedInterruptedRun();
  if (!run || !m_fail->isEnabled()) {
    return;
  }
  confirm(QStringLiteral("confirmFail"),
          tr("Fail the run of %1, interrupted at %2?").arg(qt(run->operation), qt(run->currentNode)),
          tr("Fail the run"),
          [this, run = *run] { decide(run, {engine::DecisionKind::Fail, {}}, tr("Failing the run")); });
}

void RunsView::decide(const engine::RunRecord& run, engine::Decision decision, const QString& what) {
  engine::Engine& engine = m_session.host().engine();
  engine::Actor actor = m_session.actor();
  ConsoleAction action = ConsoleAction::onRun(m_session, "run.decide", run.id.str(), run.context.correlationId);
  showOutcome(m_decisionMessage, tr("%1…").arg(what), false);
  m_session.background().run(
      this,
      [&engine, id = run.id, decision = std::move(decision), actor] { return engine.decide(id, decision, actor); },
      [this, action, what](Status decided) {
        if (!decided) {
          showProblem(m_decisionMessage,
                      action.failed(decided.error(), tr("%1 refused: %2").arg(what, qt(decided.error().describe()))));
          m_interrupted->refresh(); // perhaps another supervisor decided first
          return;
        }
        action.succeeded();
        showOutcome(m_decisionMessage, tr("%1: accepted.").arg(what), false);
        m_interrupted->remove(qt(action.runId()));
      });
}

} // namespace opflow::ui
