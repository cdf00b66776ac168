#include "opflow/ui/bridge/SyncBridge.h"

namespace opflow::ui {

SyncBridge::SyncBridge(QObject* parent) : QObject(parent) {
  qRegisterMetaType<sync::SyncStatus>();
  qRegisterMetaType<sync::SyncRound>();
}

void SyncBridge::onSyncStatus(const sync::SyncStatus& status) {
  QMetaObject::invokeMethod(
      this,
      [this, status] {
        m_status = status;
        emit statusChanged(m_status);
      },
      Qt::QueuedConnection);
}

void SyncBridge::onSyncRound(const sync::SyncRound& round) {
  QMetaObject::invokeMethod(
      this,
      [this, round] {
        m_rounds.push_front(round);
        if (m_rounds.size() > kRoundsKept) {
          m_rounds.pop_back();
        }
        if (!round.report.ordersChanged.empty() || round.report.manyOrdersChanged) {
          QSet<QString> numbers;
          numbers.reserve(static_cast<qsizetype>(round.report.ordersChanged.size()));
          for (const std::string& number : round.report.ordersChanged) {
            numbers.insert(QString::fromStdString(number));
          }
          emit ordersChanged(numbers, round.report.manyOrdersChanged);
        }
        emit roundFinished(round);
      },
      Qt::QueuedConnection);
}

} // namespace opflow::ui
