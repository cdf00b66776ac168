#include "opflow/ui/views/ConflictBanner.h"

#include "opflow/ui/bridge/ConflictResolver.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/text/SyncText.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opflow::ui {

ConflictBanner::ConflictBanner(ConsoleSession& session, QWidget* parent)
    : QFrame(parent), m_session(session), m_resolver(new ConflictResolver(session, this)) {
  setObjectName(QStringLiteral("conflictBanner"));
  setAccessibleName(tr("Sync conflict"));
  setFrameShape(QFrame::StyledPanel);
  setStyleSheet(QStringLiteral("#conflictBanner { background: #fdecea; border: 1px solid #b00020; border-radius: 4px; }"
                               "#conflictBanner QLabel { color: #5f0010; }"));
  m_text = new QLabel;
  m_text->setObjectName(QStringLiteral("conflictText"));
  m_text->setWordWrap(true);
  m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_keepShared = new QPushButton(tr("Keep the shop's state"));
  m_keepShared->setObjectName(QStringLiteral("keepShared"));
  m_keepShared->setToolTip(tr("Resolve: the order stays as the shop has it; the lost change is dropped"));
  m_redo = new QPushButton(tr("Redo my change"));
  m_redo->setObjectName(QStringLiteral("redoChange"));
  m_redo->setToolTip(tr("Resolve: run the lost change again, as you, on the shop's state of the order"));

  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(m_keepShared);
  buttons->addWidget(m_redo);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_text);
  layout->addLayout(buttons);
  setVisible(false);

  connect(m_keepShared, &QPushButton::clicked, this, [this] {
    if (!m_conflicts.empty()) {
      m_keepShared->setEnabled(false);
      m_resolver->keepShared(m_conflicts.front().id);
    }
  });
  connect(m_redo, &QPushButton::clicked, this, [this] {
    if (!m_conflicts.empty()) {
      m_redo->setEnabled(false);
      m_resolver->redo(m_conflicts.front());
    }
  });
  connect(m_resolver, &ConflictResolver::runStarted, this, &ConflictBanner::runStarted);
  connect(m_resolver, &ConflictResolver::resolved, this,
          [this](std::int64_t, const QString& message) { emit resolved(message); });
  connect(m_resolver, &ConflictResolver::failed, this, [this](std::int64_t, const ConsoleProblem& problem) {
    showConflicts(m_conflicts);
    emit failed(problem);
  });
}

void ConflictBanner::showConflicts(std::vector<sync::SyncConflict> conflicts) {
  m_conflicts = std::move(conflicts);
  setVisible(!m_conflicts.empty());
  if (m_conflicts.empty()) {
    m_text->clear();
    return;
  }
  const sync::SyncConflict& first = m_conflicts.front();
  QString text = tr("<b>Conflict with the shop.</b> %1").arg(conflictText(first).toHtmlEscaped());
  if (m_conflicts.size() > 1) {
    text += tr(" <i>(%1 more open conflicts on this order)</i>").arg(m_conflicts.size() - 1);
  }
  if (!m_resolver->mayResolve()) {
    text += tr("<br>A supervisor resolves it.");
  }
  m_text->setText(text);
  m_keepShared->setVisible(m_resolver->mayResolve());
  m_keepShared->setEnabled(true);
  m_redo->setVisible(m_resolver->mayResolve() && ConflictResolver::canRedo(first));
  m_redo->setEnabled(true);
}

QString ConflictBanner::text() const { return m_text->text(); }

} // namespace opflow::ui
