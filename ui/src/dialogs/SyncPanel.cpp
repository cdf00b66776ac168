#include "opflow/ui/dialogs/SyncPanel.h"

#include "text/QtText.h"
#include "views/ViewParts.h"

#include "opflow/ui/bridge/ConflictResolver.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/text/SyncText.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace opflow::ui {

namespace {

QTableWidget* makeList(const QString& objectName, const QString& accessibleName, const QStringList& columns) {
  auto* table = new QTableWidget(0, static_cast<int>(columns.size()));
  table->setObjectName(objectName);
  table->setAccessibleName(accessibleName);
  table->setHorizontalHeaderLabels(columns);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->verticalHeader()->setVisible(false);
  table->horizontalHeader()->setStretchLastSection(true);
  table->setWordWrap(false);
  return table;
}

QTableWidgetItem* cell(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setToolTip(text);
  return item;
}

} // namespace

SyncPanel::SyncPanel(ConsoleSession& session, QWidget* parent)
    : QDialog(parent), m_session(session), m_resolver(new ConflictResolver(session, this)) {
  setObjectName(QStringLiteral("syncPanel"));
  setWindowTitle(tr("Sync with the shop"));
  resize(900, 560);

  m_state = new QLabel;
  m_state->setObjectName(QStringLiteral("syncState"));
  m_state->setStyleSheet(QStringLiteral("font-size: 14pt; font-weight: bold;"));
  m_detail = new QLabel;
  m_detail->setObjectName(QStringLiteral("syncDetail"));
  m_detail->setWordWrap(true);
  m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);

  m_rounds = makeList(QStringLiteral("syncRounds"), tr("Recent sync rounds"),
                      {tr("Started"), tr("Took"), tr("Outcome"), tr("Correlation id")});
  m_conflictList = makeList(QStringLiteral("syncConflicts"), tr("Open conflicts"),
                            {tr("#"), tr("Subject"), tr("What was lost")});
  m_message = new QLabel;
  m_message->setObjectName(QStringLiteral("syncMessage"));
  m_message->setWordWrap(true);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

  m_keepShared = new QPushButton(tr("Keep the shop's state"));
  m_keepShared->setObjectName(QStringLiteral("keepShared"));
  m_keepShared->setToolTip(tr("Resolve the selected conflict: the shop's state stays, the change made here is dropped"));
  m_keepShared->setVisible(m_resolver->mayResolve());
  m_openOrder = new QPushButton(tr("Open order"));
  m_openOrder->setObjectName(QStringLiteral("openConflictOrder"));
  m_openOrder->setToolTip(tr("Open the selected conflict's order, where its change can be made again"));

  auto* roundsBox = new QGroupBox(tr("Recent rounds"));
  (new QVBoxLayout(roundsBox))->addWidget(m_rounds);
  auto* conflictsBox = new QGroupBox(tr("Open conflicts"));
  auto* conflictButtons = new QHBoxLayout;
  conflictButtons->addWidget(m_message, 1);
  conflictButtons->addWidget(m_openOrder);
  conflictButtons->addWidget(m_keepShared);
  auto* conflictsLayout = new QVBoxLayout(conflictsBox);
  conflictsLayout->addWidget(m_conflictList);
  conflictsLayout->addLayout(conflictButtons);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  m_syncNow = buttons->addButton(tr("Sync &now"), QDialogButtonBox::ActionRole);
  m_syncNow->setObjectName(QStringLiteral("syncNow"));
  m_syncNow->setToolTip(tr("Push and pull now instead of at the next round (also after a stop)"));
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_syncNow, &QPushButton::clicked, this, [this] {
    m_session.syncNow();
    showOutcome(m_message, tr("Syncing now…"), false);
  });

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_state);
  layout->addWidget(m_detail);
  layout->addWidget(roundsBox, 1);
  layout->addWidget(conflictsBox, 1);
  layout->addWidget(buttons);

  SyncBridge& sync = session.syncEvents();
  connect(&sync, &SyncBridge::statusChanged, this, &SyncPanel::showStatus);
  connect(&sync, &SyncBridge::roundFinished, this, &SyncPanel::showRounds);
  connect(m_conflictList, &QTableWidget::itemSelectionChanged, this, &SyncPanel::updateButtons);
  connect(m_keepShared, &QPushButton::clicked, this, [this] {
    if (auto conflict = selectedConflict()) {
      m_keepShared->setEnabled(false);
      m_resolver->keepShared(conflict->id);
    }
  });
  connect(m_openOrder, &QPushButton::clicked, this, [this] {
    if (auto conflict = selectedConflict(); conflict && !conflict->orderNumber.empty()) {
      emit orderRequested(qt(conflict->orderNumber));
    }
  });
  connect(m_resolver, &ConflictResolver::resolved, this, [this](std::int64_t, const QString& message) {
    showOutcome(m_message, message, false);
    refreshConflicts();
  });
  connect(m_resolver, &ConflictResolver::failed, this, [this](std::int64_t, const ConsoleProblem& problem) {
    showProblem(m_message, problem);
    updateButtons();
  });

  showStatus(sync.status());
  showRounds();
  refreshConflicts();
}

void SyncPanel::showStatus(const sync::SyncStatus& status) {
  m_state->setText(syncStateText(status));
  m_detail->setText(syncDetailText(status));
  if (status.conflictsOpen != m_conflictsSeen) {
    refreshConflicts();
  }
}

void SyncPanel::showRounds() {
  const auto& rounds = m_session.syncEvents().recentRounds();
  m_rounds->setRowCount(static_cast<int>(rounds.size()));
  int row = 0;
  for (const sync::SyncRound& round : rounds) {
    m_rounds->setItem(row, 0, cell(clockText(round.startedAtMs)));
    m_rounds->setItem(row, 1, cell(tr("%1 ms").arg(round.durationMs)));
    QTableWidgetItem* outcome = cell(syncRoundText(round));
    if (!round.error.empty()) {
      outcome->setForeground(QColor(0xb0, 0x00, 0x20));
    }
    m_rounds->setItem(row, 2, outcome);
    m_rounds->setItem(row, 3, cell(qt(round.correlationId)));
    ++row;
  }
  m_rounds->resizeColumnsToContents();
}

void SyncPanel::refreshConflicts() {
  if (m_reading) {
    return;
  }
  m_reading = true;
  m_conflictsSeen = m_session.syncEvents().status().conflictsOpen;
  m_session.background().run(
      this, [store = &m_session.host().store()] { return sync::listConflicts(*store, true); },
      [this](Result<std::vector<sync::SyncConflict>> conflicts) {
        m_reading = false;
        if (!conflicts) {
          showProblem(m_message, ConsoleAction(m_session, "conflicts.read")
                                     .failed(conflicts.error(), tr("The conflicts could not be read: %1")
                                                                    .arg(qt(conflicts.error().message))));
          return;
        }
        m_conflicts = std::move(*conflicts);
        m_conflictList->setRowCount(static_cast<int>(m_conflicts.size()));
        int row = 0;
        for (const sync::SyncConflict& conflict : m_conflicts) {
          m_conflictList->setItem(row, 0, cell(QString::number(conflict.id)));
          m_conflictList->setItem(row, 1, cell(qt(conflict.subject)));
          m_conflictList->setItem(row, 2, cell(conflictText(conflict)));
          ++row;
        }
        m_conflictList->resizeColumnToContents(0);
        m_conflictList->resizeColumnToContents(1);
        if (!m_conflicts.empty() && m_conflictList->currentRow() < 0) {
          m_conflictList->selectRow(0);
        }
        updateButtons();
        emit conflictsShown();
      });
}

std::optional<sync::SyncConflict> SyncPanel::selectedConflict() const {
  const int row = m_conflictList->currentRow();
  if (row < 0 || row >= static_cast<int>(m_conflicts.size())) {
    return std::nullopt;
  }
  return m_conflicts[static_cast<std::size_t>(row)];
}

void SyncPanel::updateButtons() {
  const auto conflict = selectedConflict();
  m_keepShared->setEnabled(conflict.has_value());
  m_openOrder->setEnabled(conflict && !conflict->orderNumber.empty());
}

} // namespace opflow::ui
