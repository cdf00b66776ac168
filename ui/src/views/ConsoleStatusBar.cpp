#include "opflow/ui/views/ConsoleStatusBar.h"

#include "opflow/store/Outbox.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/text/SyncText.h"

#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QTimer>
#include <QToolButton>

namespace opflow::ui {

namespace {

constexpr int kOutboxRefreshMs = 5000;

} // namespace

ConsoleStatusBar::ConsoleStatusBar(ConsoleSession& session, QWidget* parent)
    : QStatusBar(parent), m_session(session) {
  setObjectName(QStringLiteral("consoleStatusBar"));
  m_user = addField(QStringLiteral("statusUser"), tr("Signed in as"));
  m_workstation = addField(QStringLiteral("statusWorkstation"), tr("Workstation"));
  m_database = addField(QStringLiteral("statusDatabase"), tr("Database"));
  m_outbox = addField(QStringLiteral("statusOutbox"), tr("Pending outbox events"));
  m_engine = addField(QStringLiteral("statusEngine"), tr("Engine"));
  m_sync = new QToolButton;
  m_sync->setObjectName(QStringLiteral("statusSync"));
  m_sync->setAccessibleName(tr("Sync with the shop"));
  m_sync->setAutoRaise(true);
  m_sync->setCursor(Qt::PointingHandCursor);
  insertPermanentWidget(3, m_sync);
  connect(m_sync, &QToolButton::clicked, this, &ConsoleStatusBar::syncPanelRequested);
  showSyncState(session.syncEvents().status());
  connect(&session.syncEvents(), &SyncBridge::statusChanged, this, &ConsoleStatusBar::showSyncState);

  if (const auto& user = session.user()) {
    m_user->setText(tr("%1 · %2").arg(QString::fromStdString(user->name), domain::toString(user->role)));
  }
  m_workstation->setText(tr("Workstation %1").arg(session.workstation()));
  m_database->setText(QFileInfo(session.databasePath()).fileName());
  m_database->setToolTip(session.databasePath());
  m_outbox->setText(tr("Outbox …"));
  m_outbox->setToolTip(tr("Events waiting to reach the shared database"));
  showEngineState();
  connect(&session, &ConsoleSession::engineReady, this, &ConsoleStatusBar::showEngineState);
  connect(&session, &ConsoleSession::engineFailed, this, [this](const ConsoleProblem& problem) {
    m_engine->setText(tr("Engine stopped"));
    m_engine->setToolTip(problem.fullText());
    m_engine->setStyleSheet(QStringLiteral("color: #b00020;"));
  });

  m_timer = new QTimer(this);
  m_timer->setInterval(kOutboxRefreshMs);
  connect(m_timer, &QTimer::timeout, this, &ConsoleStatusBar::refreshOutbox);
  m_timer->start();
  refreshOutbox();
}

QLabel* ConsoleStatusBar::addField(const QString& objectName, const QString& accessibleName) {
  auto* label = new QLabel;
  label->setObjectName(objectName);
  label->setAccessibleName(accessibleName);
  label->setContentsMargins(6, 0, 6, 0);
  addPermanentWidget(label);
  return label;
}

void ConsoleStatusBar::showEngineState() {
  m_engine->setText(m_session.isEngineReady() ? tr("Engine ready") : tr("Resuming runs…"));
  m_engine->setToolTip(m_session.isEngineReady() ? tr("Runs are carried on by this console")
                                                 : tr("Earlier runs are being resumed"));
}

QAbstractButton* ConsoleStatusBar::syncButton() const { return m_sync; }

void ConsoleStatusBar::showSyncState(const sync::SyncStatus& status) {
  const bool trouble = status.link == sync::SyncLink::Offline || status.link == sync::SyncLink::Stopped ||
                       status.conflictsOpen > 0;
  // Setting a style sheet polishes the button again, even the same one: only when the
  // trouble comes or goes.
  if (trouble != m_syncTrouble) {
    m_syncTrouble = trouble;
    m_sync->setStyleSheet(trouble ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
  }
  m_sync->setText(syncStateText(status));
  m_sync->setToolTip(tr("%1\nClick for the sync panel").arg(syncDetailText(status)));
  // The text changes with every round ("Syncing…", then "Online"): a button whose size
  // followed it would lay the whole window out again each time. A fixed size keeps its
  // changes to a repaint; it only grows while the link stays up (or down), and fits the
  // text again when that changes.
  const bool up = status.link == sync::SyncLink::Online || status.link == sync::SyncLink::Syncing;
  QSize size = m_sync->sizeHint();
  if (up == m_syncUp) {
    size = size.expandedTo(m_sync->minimumSize());
  }
  m_syncUp = up;
  m_sync->setFixedSize(size);
  // A workstation of a shop goes by its name there; the host's name is in the tooltip.
  if (!status.workstation.empty()) {
    m_workstation->setText(tr("Workstation %1").arg(QString::fromStdString(status.workstation)));
    m_workstation->setToolTip(tr("This workstation's name in the shop; runs here record host %1")
                                  .arg(m_session.workstation()));
  }
  // Once the sync has met its shop, its button carries what waits to go up.
  m_outbox->setVisible(status.link == sync::SyncLink::NotJoined || status.link == sync::SyncLink::Connecting);
}

void ConsoleStatusBar::refreshOutbox() {
  if (m_reading) {
    return;
  }
  m_reading = true;
  store::LocalStore& store = m_session.host().store();
  m_session.background().run(
      this,
      [&store]() -> Result<std::int64_t> {
        auto reader = store.readers().acquire();
        if (!reader) {
          return reader.error();
        }
        return store::pendingOutboxCount(**reader);
      },
      [this](const Result<std::int64_t>& count) {
        m_reading = false;
        if (!count) {
          m_outbox->setText(tr("Outbox unknown"));
          m_outbox->setToolTip(ConsoleAction(m_session, "status.outbox")
                                   .failed(count.error(), tr("The outbox could not be read: %1")
                                                              .arg(QString::fromStdString(count.error().describe())))
                                   .fullText());
          emit outboxRead();
          return;
        }
        m_pending = *count;
        m_outbox->setText(tr("Outbox %1 pending").arg(QLocale().toString(static_cast<qint64>(*count))));
        emit outboxRead();
      });
}

} // namespace opflow::ui
