#include "opflow/ui/views/StatusChips.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/text/OrderText.h"

#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace opflow::ui {

namespace {

using domain::OrderStatus;

QToolButton* makeChip(const QString& objectName) {
  auto* chip = new QToolButton;
  chip->setObjectName(objectName);
  chip->setCheckable(true);
  chip->setFocusPolicy(Qt::StrongFocus);
  chip->setToolButtonStyle(Qt::ToolButtonTextOnly);
  return chip;
}

} // namespace

StatusChips::StatusChips(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_timer(new QTimer(this)) {
  setObjectName(QStringLiteral("statusChips"));
  setAccessibleName(tr("Status filter"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);

  m_all = makeChip(QStringLiteral("chipAll"));
  m_all->setChecked(true);
  m_chips.push_back(m_all);
  for (OrderStatus status : domain::allOrderStatuses()) {
    QToolButton* chip = makeChip(QStringLiteral("chip_%1").arg(QString::fromLatin1(domain::toString(status))));
    m_statusChips[status] = chip;
    m_chips.push_back(chip);
  }
  for (QAbstractButton* chip : m_chips) {
    layout->addWidget(chip);
    connect(chip, &QAbstractButton::toggled, this, [this, chip](bool checked) { chipToggled(chip, checked); });
  }
  layout->addStretch(1);
  showCounts();

  m_timer->setInterval(kRefreshIntervalMs);
  connect(m_timer, &QTimer::timeout, this, &StatusChips::refreshCounts);
  m_timer->start();
  refreshCounts();
}

std::vector<OrderStatus> StatusChips::selectedStatuses() const {
  std::vector<OrderStatus> statuses;
  for (const auto& [status, chip] : m_statusChips) {
    if (chip->isChecked()) {
      statuses.push_back(status);
    }
  }
  return statuses;
}

void StatusChips::setSelectedStatuses(const std::vector<OrderStatus>& statuses) {
  for (const auto& [status, chip] : m_statusChips) {
    const QSignalBlocker quiet(chip);
    chip->setChecked(std::find(statuses.begin(), statuses.end(), status) != statuses.end());
  }
  const QSignalBlocker quiet(m_all);
  m_all->setChecked(statuses.empty());
  emit selectionChanged(selectedStatuses());
}

QAbstractButton* StatusChips::chip(std::optional<OrderStatus> status) const {
  return status ? m_statusChips.at(*status) : m_all;
}

void StatusChips::chipToggled(QAbstractButton* chip, bool checked) {
  if (chip == m_all) {
    if (!checked) {
      const QSignalBlocker quiet(m_all);
      m_all->setChecked(true); // "All" is left by checking a status, not by unchecking it
      return;
    }
    setSelectedStatuses({});
    return;
  }
  std::vector<OrderStatus> statuses = selectedStatuses();
  const QSignalBlocker quiet(m_all);
  m_all->setChecked(statuses.empty());
  emit selectionChanged(statuses);
}

void StatusChips::refreshCounts() {
  if (m_reading) {
    m_readAgain = true;
    return;
  }
  m_reading = true;
  store::OrderStore& orders = m_session.host().workstation().orders();
  m_session.background().run(
      this, [&orders] { return orders.count(); },
      [this](Result<store::OrderCounts> counts) {
        m_reading = false;
        if (counts) {
          m_counts = std::move(*counts);
          showCounts();
          emit countsUpdated();
        }
        if (m_readAgain) {
          m_readAgain = false;
          refreshCounts();
        }
      });
}

void StatusChips::showCounts() {
  if (!m_counts) {
    m_all->setText(tr("All"));
  } else {
    m_all->setText(tr("All %1").arg(countText(m_counts->total)));
  }
  m_all->setAccessibleName(m_all->text());
  m_all->setToolTip(m_counts ? tr("Every status: %1 orders, %2 of them on hold")
                                   .arg(countText(m_counts->total), countText(m_counts->held))
                             : tr("Every status"));
  for (const auto& [status, chip] : m_statusChips) {
    const QString name = orderStatusName(status);
    if (m_counts) {
      const std::int64_t count = m_counts->byStatus.count(status) ? m_counts->byStatus.at(status) : 0;
      chip->setText(tr("%1 %2").arg(name, countText(count)));
    } else {
      chip->setText(name);
    }
    chip->setAccessibleName(tr("Status %1").arg(chip->text()));
    chip->setToolTip(tr("Orders in %1; check several statuses to list them together")
                         .arg(QString::fromLatin1(domain::toString(status))));
  }
}

} // namespace opflow::ui
