#include "opflow/ui/views/OrderDetailView.h"

#include "text/QtText.h"
#include "views/ViewParts.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/store/AuditReader.h"
#include "opflow/sync/SyncConflicts.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/dialogs/InputFormDialog.h"
#include "opflow/ui/models/OrderAuditModel.h"
#include "opflow/ui/text/OrderDetailText.h"
#include "opflow/ui/models/OrderRunsModel.h"
#include "opflow/ui/views/ConflictBanner.h"
#include "opflow/ui/views/OrderTimeline.h"
#include "opflow/ui/dialogs/SignatureDialog.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace opflow::ui {

// Everything the view shows of one order, read in one go on a worker thread.
struct OrderSnapshot {
  std::optional<store::Order> order;
  std::optional<Error> problem; // what could not be read, every part of it
  std::vector<store::OrderStatusEntry> history;
  std::vector<OrderRunsModel::Run> runs;
  std::vector<store::AuditEntry> audit;
  std::vector<builtin::OrderOperation> operations;
  std::vector<engine::RunRecord> active; // the order's runs in flight, with their live progress
  QString awaitingSignature;            // a top-level run of the order that waits for a signature
  std::vector<sync::SyncConflict> conflicts; // the order's open sync conflicts
};

namespace {


constexpr std::size_t kAuditRows = 1000;
// How many ended runs the view remembers (see m_recentlyEnded): far more than end while
// one snapshot is read.
constexpr std::size_t kRememberedEndings = 1024;

const char* priorityName(int priority) {
  switch (priority) {
  case 0: return "low";
  case 1: return "normal";
  case 2: return "high";
  case 3: return "urgent";
  default: return "?";
  }
}

// The order's runs in flight: those naming it and their sub-runs.
std::vector<engine::RunRecord> activeRunsOf(const engine::Engine& engine, const std::string& number) {
  std::vector<engine::RunRecord> all = engine.activeRuns();
  std::set<std::string> ofOrder;
  for (const engine::RunRecord& run : all) {
    const Json order = run.inputs.is_object() ? run.inputs.value("order", Json()) : Json();
    if (order.is_string() && QString::compare(qt(order.get<std::string>()), qt(number), Qt::CaseInsensitive) == 0) {
      ofOrder.insert(run.id.str());
    }
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const engine::RunRecord& run : all) {
      if (!run.parentId.empty() && ofOrder.contains(run.parentId.str()) && ofOrder.insert(run.id.str()).second) {
        grew = true;
      }
    }
  }
  std::vector<engine::RunRecord> active;
  for (engine::RunRecord& run : all) {
    if (ofOrder.contains(run.id.str())) {
      active.push_back(std::move(run));
    }
  }
  return active;
}

void noteProblem(OrderSnapshot& snapshot, const Error& error) {
  if (!snapshot.problem) {
    snapshot.problem = error;
  } else {
    snapshot.problem->message += "; " + error.message;
  }
}

OrderSnapshot loadSnapshot(host::WorkstationHost& host, const std::string& number, std::optional<domain::Role> role,
                           const store::AuditReaderIdentity& reader) {
  OrderSnapshot snapshot;
  store::OrderStore& orders = host.workstation().orders();
  auto order = orders.get(number);
  if (!order) {
    noteProblem(snapshot, order.error());
    return snapshot;
  }
  snapshot.order = *order;
  if (auto history = orders.history(order->number)) {
    snapshot.history = std::move(*history);
  } else {
    noteProblem(snapshot, history.error());
  }
  store::RunQuery query;
  query.order = order->number;
  if (auto runs = host.runs().listRuns(query)) {
    for (store::RunSummary& summary : *runs) {
      std::vector<engine::StepRecord> steps = host.runs().loadSteps(engine::RunId(summary.id));
      if (summary.parentId.empty() && summary.state == engine::RunState::Waiting && snapshot.awaitingSignature.isEmpty() &&
          auth::runAwaitingSignature(host.runs(), engine::RunId(summary.id))) {
        snapshot.awaitingSignature = qt(summary.id);
      }
      snapshot.runs.push_back({std::move(summary), std::move(steps)});
    }
  } else {
    noteProblem(snapshot, runs.error());
  }
  store::AuditQuery audit;
  audit.orderNumber = order->number;
  audit.limit = kAuditRows;
  audit.newestFirst = true; // the latest entries, shown in chain order
  if (auto entries = store::AuditReader(host.store(), host.workstation().users()).list(reader, audit)) {
    snapshot.audit = std::move(*entries);
    std::reverse(snapshot.audit.begin(), snapshot.audit.end());
  } else {
    noteProblem(snapshot, entries.error());
  }
  if (role) {
    snapshot.operations = builtin::applicableOperations(host.catalog(), *order, *role);
  }
  snapshot.active = activeRunsOf(host.engine(), order->number);
  if (auto conflicts = sync::listConflicts(host.store(), true)) {
    std::erase_if(*conflicts, [&order](const sync::SyncConflict& c) { return c.orderNumber != order->number; });
    snapshot.conflicts = std::move(*conflicts);
  } else {
    noteProblem(snapshot, conflicts.error());
  }
  return snapshot;
}

} // namespace

OrderDetailView::OrderDetailView(ConsoleSession& session, QWidget* parent) : QWidget(parent), m_session(session) {
  setObjectName(QStringLiteral("orderDetailView"));
  setAccessibleName(tr("Order detail"));

  m_title = new QLabel(tr("No order shown"), this);
  m_title->setObjectName(QStringLiteral("orderTitle"));
  QFont titleFont = m_title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
  titleFont.setBold(true);
  m_title->setFont(titleFont);
  m_title->setAccessibleName(tr("Order number"));
  m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("orderStatus"));
  m_status->setAccessibleName(tr("Order status"));
  m_refresh = new QPushButton(tr("Refresh"), this);
  m_refresh->setObjectName(QStringLiteral("refresh"));
  m_refresh->setAccessibleName(tr("Refresh the order"));
  m_refresh->setToolTip(tr("Load the order again (F5)"));
  connect(m_refresh, &QPushButton::clicked, this, &OrderDetailView::refresh);
  auto* refreshKey = new QShortcut(QKeySequence(Qt::Key_F5), this, this, &OrderDetailView::refresh);
  refreshKey->setContext(Qt::WidgetWithChildrenShortcut);
  auto* header = new QHBoxLayout;
  header->addWidget(m_title);
  header->addWidget(m_status, 1);
  if (m_session.user() && m_session.may(domain::Permission::Act)) {
    for (const engine::OperationPtr& maker : builtin::newOrderOperations(m_session.host().catalog(), m_session.user()->role)) {
      const QString name = qt(maker->name());
      const QString title = qt(maker->definition().title.empty() ? maker->name() : maker->definition().title);
      auto* button = new QPushButton(tr("%1…").arg(title), this);
      button->setObjectName(QStringLiteral("new_%1").arg(name));
      button->setAccessibleName(title);
      button->setToolTip(m_newOrderButtons.isEmpty() ? tr("%1 (Ctrl+N)").arg(title) : title);
      if (m_newOrderButtons.isEmpty()) {
        button->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
      }
      connect(button, &QPushButton::clicked, this, [this, name] { startNewOrder(name); });
      header->addWidget(button);
      m_newOrderButtons << button;
      m_newOrderOperations.insert(name);
    }
  }
  header->addWidget(m_refresh);

  m_timeline = new OrderTimeline(this);
  m_timeline->setObjectName(QStringLiteral("timeline"));

  m_operations = new QWidget(this);
  m_operations->setObjectName(QStringLiteral("operations"));
  m_operations->setAccessibleName(tr("Operations you may start"));
  auto* operationsRow = new QHBoxLayout(m_operations);
  operationsRow->setContentsMargins(0, 0, 0, 0);
  operationsRow->addStretch(1);
  m_sign = new QPushButton(tr("Sign…"), this);
  m_sign->setObjectName(QStringLiteral("sign"));
  m_sign->setAccessibleName(tr("Sign the run that waits for a signature"));
  m_sign->setVisible(false);
  connect(m_sign, &QPushButton::clicked, this, &OrderDetailView::signWaitingRun);
  auto* actions = new QHBoxLayout;
  actions->addWidget(m_operations, 1);
  actions->addWidget(m_sign);

  m_livePanel = new QWidget(this);
  m_livePanel->setObjectName(QStringLiteral("livePanel"));
  m_liveText = new QLabel(m_livePanel);
  m_liveText->setObjectName(QStringLiteral("liveText"));
  m_liveText->setAccessibleName(tr("Running operation"));
  m_progress = new QProgressBar(m_livePanel);
  m_progress->setObjectName(QStringLiteral("progress"));
  m_progress->setAccessibleName(tr("Progress of the running operation"));
  m_progress->setRange(0, 100);
  auto* live = new QHBoxLayout(m_livePanel);
  live->setContentsMargins(0, 0, 0, 0);
  live->addWidget(m_liveText, 1);
  live->addWidget(m_progress, 1);
  m_livePanel->setVisible(false);

  m_conflicts = new ConflictBanner(m_session, this);
  connect(m_conflicts, &ConflictBanner::runStarted, this, [this](const QString& runId) {
    m_startedHere.insert(runId);
    setMessage(tr("Making the lost change again (run %1).").arg(runId));
    emit runStarted(runId);
  });
  connect(m_conflicts, &ConflictBanner::resolved, this, [this](const QString& message) {
    setMessage(message);
    refresh();
  });
  connect(m_conflicts, &ConflictBanner::failed, this, &OrderDetailView::setProblem);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("message"));
  m_message->setAccessibleName(tr("Last outcome"));
  m_message->setWordWrap(true);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->setVisible(false);

  auto* fieldsBox = new QGroupBox(tr("Order"), this);
  auto* fields = new QFormLayout(fieldsBox);
  const std::pair<const char*, QString> rows[] = {
      {"customer", tr("Customer")},     {"status", tr("Status")},     {"hold", tr("Hold")},
      {"priority", tr("Priority")},     {"price", tr("Price")},       {"material", tr("Material")},
      {"file", tr("File")},             {"operator", tr("Operator")}, {"created", tr("Created")},
      {"updated", tr("Updated")},       {"version", tr("Version")}};
  for (const auto& [key, label] : rows) {
    auto* value = new QLabel(fieldsBox);
    value->setObjectName(QStringLiteral("field_%1").arg(QLatin1String(key)));
    value->setAccessibleName(label);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fields->addRow(label + QLatin1Char(':'), value);
    m_fields[QLatin1String(key)] = value;
  }
  m_details = new QPlainTextEdit(fieldsBox);
  m_details->setObjectName(QStringLiteral("details"));
  m_details->setAccessibleName(tr("Order details"));
  m_details->setReadOnly(true);
  m_details->setTabChangesFocus(true);
  fields->addRow(tr("Details:"), m_details);

  m_auditModel = new OrderAuditModel(this);
  m_auditTable = new QTableView(this);
  m_auditTable->setObjectName(QStringLiteral("auditTable"));
  m_auditTable->setAccessibleName(tr("Audit trail of the order"));
  m_auditTable->setModel(m_auditModel);
  m_auditTable->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_auditTable->verticalHeader()->setVisible(false);
  m_auditTable->verticalHeader()->setDefaultSectionSize(m_auditTable->fontMetrics().height() + 8);
  m_auditTable->horizontalHeader()->setStretchLastSection(true);
  m_auditTable->setColumnWidth(OrderAuditModel::TimeColumn, 150);
  m_auditTable->setColumnWidth(OrderAuditModel::ActionColumn, 190);

  m_runsModel = new OrderRunsModel(this);
  m_runsTree = new QTreeView(this);
  m_runsTree->setObjectName(QStringLiteral("runsTree"));
  m_runsTree->setAccessibleName(tr("Runs of the order and their steps"));
  m_runsTree->setModel(m_runsModel);
  m_runsTree->setUniformRowHeights(true);
  m_runsTree->header()->setStretchLastSection(true);
  m_runsTree->setColumnWidth(OrderRunsModel::NameColumn, 260);
  m_runsTree->setColumnWidth(OrderRunsModel::StartedColumn, 150);

  m_showFlowchart = new QPushButton(tr("Show in flowchart"), this);
  m_showFlowchart->setObjectName(QStringLiteral("showFlowchart"));
  m_showFlowchart->setAccessibleName(tr("Show the selected run in its flowchart"));
  m_showFlowchart->setToolTip(tr("Draw the selected run's path on its operation's flowchart (Flowcharts view)"));
  m_showFlowchart->setEnabled(false);
  connect(m_showFlowchart, &QPushButton::clicked, this, &OrderDetailView::showSelectedRunInFlowchart);
  connect(m_runsTree->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this] { m_showFlowchart->setEnabled(!selectedRunId().isEmpty()); });
  connect(m_runsModel, &QAbstractItemModel::modelReset, this,
          [this] { m_showFlowchart->setEnabled(!selectedRunId().isEmpty()); });
  auto* runsPage = new QWidget(this);
  auto* runsLayout = new QVBoxLayout(runsPage);
  runsLayout->setContentsMargins(0, 0, 0, 0);
  runsLayout->addWidget(m_runsTree, 1);
  auto* runsActions = new QHBoxLayout;
  runsActions->addStretch(1);
  runsActions->addWidget(m_showFlowchart);
  runsLayout->addLayout(runsActions);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName(QStringLiteral("tabs"));
  m_tabs->setAccessibleName(tr("Audit trail and runs"));
  m_tabs->addTab(m_auditTable, tr("Audit trail"));
  m_tabs->addTab(runsPage, tr("Runs"));

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(fieldsBox);
  split->addWidget(m_tabs);
  split->setStretchFactor(1, 2);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(header);
  layout->addWidget(m_conflicts);
  layout->addWidget(m_timeline);
  layout->addLayout(actions);
  layout->addWidget(m_livePanel);
  layout->addWidget(m_message);
  layout->addWidget(split, 1);

  connect(&m_session.events(), &RunEventBridge::runEvent, this, &OrderDetailView::onRunEvent);
  updateTabOrder();
}

OrderDetailView::~OrderDetailView() = default;

void OrderDetailView::showOrder(const QString& number) {
  if (number.compare(m_number, Qt::CaseInsensitive) != 0) {
    m_live.clear();
    m_liveFocus.clear();
    m_startedHere.clear();
    m_message->setVisible(false);
    updateLivePanel();
  }
  m_number = number.trimmed();
  refresh();
}

void OrderDetailView::refresh() {
  if (m_number.isEmpty()) {
    return;
  }
  const std::uint64_t generation = ++m_generation;
  const ConsoleAction reading(m_session, "order.read");
  host::WorkstationHost* host = &m_session.host();
  std::optional<domain::Role> role;
  if (m_session.user()) {
    role = m_session.user()->role;
  }
  m_session.background().run(
      this,
      [host, number = m_number.toStdString(), role, reader = m_session.auditReader(reading)] {
        return loadSnapshot(*host, number, role, reader);
      },
      [this, generation, reading](OrderSnapshot snapshot) {
        if (generation == m_generation) {
          apply(std::move(snapshot), reading);
        }
      });
}

void OrderDetailView::apply(OrderSnapshot snapshot, const ConsoleAction& reading) {
  m_order = snapshot.order;
  m_conflicts->showConflicts(std::move(snapshot.conflicts));
  m_timeline->setVisible(m_order.has_value());
  if (!m_order) {
    m_title->setText(m_number);
    m_status->setText(tr("not found"));
    for (const auto& [key, field] : m_fields) {
      field->clear();
    }
    m_details->clear();
    if (snapshot.problem) {
      setProblem(reading.failed(*snapshot.problem, qt(snapshot.problem->message)));
    }
    rebuildOperationButtons({});
    m_auditModel->setEntries({});
    m_runsModel->setRuns({});
  } else {
    m_number = qt(m_order->number);
    m_title->setText(m_number);
    m_status->setText(m_order->hold ? tr("%1 — on hold (%2)")
                                          .arg(QString::fromUtf8(domain::toString(m_order->status)),
                                               QString::fromUtf8(domain::toString(*m_order->hold)))
                                    : QString::fromUtf8(domain::toString(m_order->status)));
    showFields(*m_order);
    m_timeline->setTimeline(m_order->status, m_order->hold.has_value(), snapshot.history);
    m_auditModel->setEntries(std::move(snapshot.audit));
    m_runOperations.clear();
    for (const OrderRunsModel::Run& run : snapshot.runs) {
      m_runOperations[qt(run.summary.id)] = qt(run.summary.operation);
    }
    m_runsModel->setRuns(std::move(snapshot.runs));
    if (m_runsModel->rowCount() > 0) {
      m_runsTree->expand(m_runsModel->index(0, 0));
    }
    rebuildOperationButtons(snapshot.operations);
    if (snapshot.problem) {
      setProblem(reading.failed(*snapshot.problem, tr("Part of the order could not be read: %1. Refresh (F5) to try "
                                                      "again.")
                                                       .arg(qt(snapshot.problem->message))));
    }
  }
  for (const engine::RunRecord& run : snapshot.active) {
    const QString id = qt(run.id.str());
    if (m_live.contains(id) ||
        std::find(m_recentlyEnded.begin(), m_recentlyEnded.end(), id) != m_recentlyEnded.end()) {
      continue;
    }
    LiveRun live;
    live.operation = qt(run.operation);
    live.parentId = qt(run.parentId.str());
    live.correlationId = qt(run.context.correlationId);
    live.node = qt(run.currentNode);
    live.waitingFor = run.state == engine::RunState::Waiting ? qt(run.awaitedSignal) : QString();
    if (run.progress) {
      live.fraction = run.progress->fraction;
      live.message = qt(run.progress->message);
      live.etaMs = run.progress->etaMs;
    }
    m_live[id] = live;
  }
  m_awaitingSignature = snapshot.awaitingSignature;
  m_sign->setVisible(!m_awaitingSignature.isEmpty() && m_session.may(domain::Permission::Sign));
  updateLivePanel();
  updateTabOrder();
  const bool first = !m_loaded;
  m_loaded = true;
  if (first) {
    emit loaded();
  }
  emit orderShown();
}

void OrderDetailView::showFields(const store::Order& order) {
  m_fields[QStringLiteral("customer")]->setText(qt(order.customer));
  m_fields[QStringLiteral("status")]->setText(QString::fromUtf8(domain::toString(order.status)));
  m_fields[QStringLiteral("hold")]->setText(order.hold ? QString::fromUtf8(domain::toString(*order.hold)) : tr("no"));
  m_fields[QStringLiteral("priority")]->setText(
      tr("%1 (%2)").arg(order.priority).arg(QString::fromUtf8(priorityName(order.priority))));
  m_fields[QStringLiteral("price")]->setText(priceText(order.priceCents));
  m_fields[QStringLiteral("material")]->setText(order.material.empty() ? tr("none") : qt(order.material));
  m_fields[QStringLiteral("file")]->setText(order.fileName.empty() ? tr("none") : qt(order.fileName));
  m_fields[QStringLiteral("operator")]->setText(order.assignedOperator.empty() ? tr("none")
                                                                                : qt(order.assignedOperator));
  m_fields[QStringLiteral("created")]->setText(localTimeText(order.createdAtMs));
  m_fields[QStringLiteral("updated")]->setText(localTimeText(order.updatedAtMs));
  m_fields[QStringLiteral("version")]->setText(QString::number(order.version));
  m_details->setPlainText(order.details.empty() ? tr("(none)") : jsonLines(order.details));
}

void OrderDetailView::rebuildOperationButtons(const std::vector<builtin::OrderOperation>& operations) {
  for (QPushButton* button : m_operationButtons) {
    button->deleteLater();
  }
  m_operationButtons.clear();
  QString taken;
  if (m_session.may(domain::Permission::Act)) {
    auto* row = static_cast<QHBoxLayout*>(m_operations->layout());
    for (const builtin::OrderOperation& operation : operations) {
      const model::OperationDefinition& definition = operation.operation->definition();
      const QString title = qt(definition.title.empty() ? definition.name : definition.title);
      auto* button = new QPushButton(withMnemonic(title, taken), m_operations);
      button->setObjectName(QStringLiteral("operation_%1").arg(qt(definition.name)));
      button->setAccessibleName(title);
      const QString key = mnemonicShortcut(button->text());
      button->setToolTip(QStringLiteral("%1%2").arg(qt(definition.description.empty() ? definition.name
                                                                                         : definition.description),
                                                    key.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(key)));
      connect(button, &QPushButton::clicked, this,
              [this, name = qt(definition.name)] { startOperation(name); });
      row->insertWidget(static_cast<int>(m_operationButtons.size()), button);
      m_operationButtons.push_back(button);
    }
  }
  m_operations->setVisible(!m_operationButtons.isEmpty());
  m_sign->setText(withMnemonic(tr("Sign…"), taken));
  m_sign->setToolTip(tr("Give the signature a run of this order waits for (%1)").arg(mnemonicShortcut(m_sign->text())));
}

void OrderDetailView::updateTabOrder() {
  QList<QWidget*> chain;
  for (QPushButton* button : m_newOrderButtons) {
    chain << button;
  }
  chain << m_refresh;
  for (QPushButton* button : m_operationButtons) {
    chain << button;
  }
  chain << m_sign << m_tabs << m_auditTable << m_runsTree << m_showFlowchart << m_details;
  for (qsizetype i = 0; i + 1 < chain.size(); ++i) {
    setTabOrder(chain[i], chain[i + 1]);
  }
}

QString OrderDetailView::selectedRunId() const {
  const QModelIndex current = m_runsTree->currentIndex();
  return current.isValid() ? current.data(OrderRunsModel::RunIdRole).toString() : QString();
}

void OrderDetailView::showSelectedRunInFlowchart() {
  const QString runId = selectedRunId();
  auto operation = m_runOperations.find(runId);
  if (operation != m_runOperations.end()) {
    emit flowchartRequested(operation->second, runId);
  }
}

void OrderDetailView::startOperation(const QString& operation) {
  engine::OperationPtr found = m_session.host().catalog().latest(operation.toStdString());
  if (!found || !m_order) {
    showMissingOperation(operation);
    return;
  }
  auto* dialog = new InputFormDialog(m_session, found, Json{{"order", m_order->number}}, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &InputFormDialog::started, this, [this, title = qt(found->definition().title)](const QString& runId) {
    m_startedHere.insert(runId);
    setMessage(tr("Started “%1” (run %2).").arg(title, runId));
    emit runStarted(runId);
    // A run that reached its signature before this answer came.
    for (const auto& [id, live] : m_live) {
      if (live.waitingFor == QStringLiteral("signature") && topRunOf(id) == runId) {
        openSignatureDialog(runId);
        break;
      }
    }
  });
  dialog->open();
}

void OrderDetailView::showMissingOperation(const QString& operation) {
  const QString text =
      tr("There is no operation \"%1\" to start: this workstation's catalog changed. Refresh (F5) and try again.")
          .arg(operation);
  setProblem(ConsoleAction(m_session, "operation.start")
                 .failed(makeError(ErrorCode::NotFound, "no operation \"" + operation.toStdString() + "\""), text));
}

void OrderDetailView::startNewOrder(const QString& operation) {
  engine::OperationPtr found = m_session.host().catalog().latest(operation.toStdString());
  if (!found) {
    showMissingOperation(operation);
    return;
  }
  auto* dialog = new InputFormDialog(m_session, found, Json::object(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &InputFormDialog::started, this, [this, title = qt(found->definition().title)](const QString& runId) {
    setMessage(tr("Started “%1” (run %2).").arg(title, runId));
    emit runStarted(runId);
  });
  dialog->open();
}

void OrderDetailView::signWaitingRun() {
  if (!m_awaitingSignature.isEmpty()) {
    openSignatureDialog(m_awaitingSignature);
  }
}

void OrderDetailView::openSignatureDialog(const QString& runId) {
  if (m_signatureDialog) {
    m_signatureDialog->raise();
    m_signatureDialog->activateWindow();
    return;
  }
  const engine::RunStore* runs = &m_session.host().runs();
  m_session.background().run(
      this, [runs, id = engine::RunId(runId.toStdString())] { return auth::runAwaitingSignature(*runs, id); },
      [this, runId](const std::optional<engine::RunRecord>& signing) {
        if (!signing || m_signatureDialog) {
          return;
        }
        auto* dialog = new SignatureDialog(m_session, engine::RunId(runId.toStdString()), *signing, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &SignatureDialog::signatureAccepted, this,
                [this](const QString& signer) { setMessage(tr("Signed by %1.").arg(signer)); });
        connect(dialog, &QDialog::rejected, this, [this, runId] {
          setMessage(tr("Not signed: run %1 keeps waiting for a signature (Sign… gives it later).").arg(runId));
        });
        m_signatureDialog = dialog;
        dialog->open();
      });
}

bool OrderDetailView::isThisOrder(const QString& number) const {
  return !number.isEmpty() && number.compare(m_number, Qt::CaseInsensitive) == 0;
}

QString OrderDetailView::topRunOf(const QString& runId) const {
  QString top = runId;
  for (auto found = m_live.find(top); found != m_live.end() && !found->second.parentId.isEmpty();
       found = m_live.find(top)) {
    top = found->second.parentId;
  }
  return top;
}

void OrderDetailView::onRunEvent(const RunEvent& event) {
  if (event.kind == RunEvent::Kind::Completed || event.kind == RunEvent::Kind::Failed ||
      event.kind == RunEvent::Kind::Cancelled) {
    m_recentlyEnded.push_back(event.runId);
    if (m_recentlyEnded.size() > kRememberedEndings) {
      m_recentlyEnded.pop_front();
    }
  }
  if (event.kind == RunEvent::Kind::Started && event.parentRunId.isEmpty() &&
      m_newOrderOperations.contains(event.operation) && m_session.user() &&
      event.user == qt(m_session.user()->name)) {
    m_creatingRuns.emplace(event.runId, event.correlationId);
    return;
  }
  if (m_creatingRuns.contains(event.runId)) {
    onNewOrderEnded(event);
    return;
  }
  if (event.kind == RunEvent::Kind::Started) {
    const bool ofOrder = event.parentRunId.isEmpty() ? isThisOrder(event.order) : m_live.contains(event.parentRunId);
    if (!ofOrder) {
      return;
    }
    m_live[event.runId] = LiveRun{event.operation, event.parentRunId, event.correlationId, {}, 0.0, {}, std::nullopt, {}};
    m_liveFocus = event.runId;
    if (event.parentRunId.isEmpty()) {
      refresh();
    }
    updateLivePanel();
    return;
  }
  auto found = m_live.find(event.runId);
  if (found == m_live.end()) {
    return;
  }
  LiveRun& live = found->second;
  switch (event.kind) {
  case RunEvent::Kind::StepEntered:
    live.node = event.node;
    live.message.clear();
    live.etaMs.reset();
    live.waitingFor.clear();
    break;
  case RunEvent::Kind::Progress:
    live.fraction = event.fraction;
    if (!event.structural) {
      live.message = event.message;
      live.etaMs = event.etaMs;
    }
    break;
  case RunEvent::Kind::Waiting:
    live.node = event.node;
    live.waitingFor = event.signal;
    refresh(); // the runs tab shows who waits, for what
    if (event.signal == QStringLiteral("signature")) {
      const QString top = topRunOf(event.runId);
      m_awaitingSignature = top;
      m_sign->setVisible(m_session.may(domain::Permission::Sign));
      if (m_startedHere.contains(top)) {
        openSignatureDialog(top);
      }
    }
    break;
  case RunEvent::Kind::Completed:
  case RunEvent::Kind::Failed:
  case RunEvent::Kind::Cancelled:
    onRunEnded(event);
    return;
  default: break;
  }
  m_liveFocus = event.runId;
  updateLivePanel();
}

void OrderDetailView::onRunEnded(const RunEvent& event) {
  const LiveRun ended = m_live[event.runId];
  m_live.erase(event.runId);
  if (!ended.parentId.isEmpty()) {
    m_liveFocus = ended.parentId;
    updateLivePanel();
    return;
  }
  // Sub-runs end before their parent; drop any left of this tree all the same.
  for (auto it = m_live.begin(); it != m_live.end();) {
    it = topRunOf(it->first) == event.runId || it->second.parentId == event.runId ? m_live.erase(it) : std::next(it);
  }
  switch (event.kind) {
  case RunEvent::Kind::Completed: setMessage(tr("“%1” completed.").arg(ended.operation)); break;
  case RunEvent::Kind::Failed:
    setProblem({tr("“%1” failed: %2").arg(ended.operation, event.error), ended.correlationId});
    break;
  default: setMessage(tr("“%1” was cancelled.").arg(ended.operation), true); break;
  }
  updateLivePanel();
  refresh();
}

void OrderDetailView::onNewOrderEnded(const RunEvent& event) {
  if (event.kind == RunEvent::Kind::Failed || event.kind == RunEvent::Kind::Cancelled) {
    const QString correlationId = m_creatingRuns[event.runId];
    m_creatingRuns.erase(event.runId);
    if (event.kind == RunEvent::Kind::Failed) {
      setProblem({tr("No order made: %1").arg(event.error), correlationId});
    } else {
      setMessage(tr("No order made: the run was cancelled."), true);
    }
    return;
  }
  if (event.kind != RunEvent::Kind::Completed) {
    return;
  }
  const ConsoleAction showing = ConsoleAction::onRun(m_session, "order.show_new", event.runId.toStdString(),
                                                     m_creatingRuns[event.runId].toStdString());
  m_creatingRuns.erase(event.runId);
  const engine::RunStore* runs = &m_session.host().runs();
  m_session.background().run(
      this, [runs, id = engine::RunId(event.runId.toStdString())] { return runs->loadRun(id); },
      [this, showing](const std::optional<engine::RunRecord>& run) {
        const Json made = run && run->outputs.is_object() ? run->outputs.value("order", Json()) : Json();
        if (!made.is_string()) {
          const QString text = tr("The new order's run completed without naming the order; look for it in the order "
                                  "list.");
          setProblem(showing.failed(makeError(ErrorCode::Internal, text.toStdString()), text));
          return;
        }
        showOrder(qt(made.get<std::string>()));
        setMessage(tr("Created order %1.").arg(qt(made.get<std::string>())));
      });
}

void OrderDetailView::updateLivePanel() {
  if (m_live.empty()) {
    m_livePanel->setVisible(false);
    m_liveText->clear();
    return;
  }
  auto focus = m_live.find(m_liveFocus);
  if (focus == m_live.end()) {
    focus = std::prev(m_live.end());
  }
  const LiveRun& live = focus->second;
  QString text = live.node.isEmpty() ? live.operation : tr("%1 › %2").arg(live.operation, live.node);
  if (!live.waitingFor.isEmpty()) {
    text += live.waitingFor == QStringLiteral("signature") ? tr(": waiting for a signature")
                                                           : tr(": waiting for “%1”").arg(live.waitingFor);
  } else if (!live.message.isEmpty()) {
    text += QStringLiteral(": ") + live.message;
  }
  if (live.etaMs) {
    text += tr(" (about %1 left)").arg(durationText(*live.etaMs * 1'000));
  }
  m_liveText->setText(text);
  m_progress->setValue(static_cast<int>(std::lround(std::clamp(live.fraction, 0.0, 1.0) * 100.0)));
  m_livePanel->setVisible(true);
}

void OrderDetailView::setMessage(const QString& text, bool warning) {
  showOutcome(m_message, text, warning);
  m_message->setVisible(!text.isEmpty());
}

void OrderDetailView::setProblem(const ConsoleProblem& problem) {
  showProblem(m_message, problem);
  m_message->setVisible(true);
}

QString OrderDetailView::progressText() const { return m_liveText->text(); }

QString OrderDetailView::message() const { return shownText(m_message); }

} // namespace opflow::ui
