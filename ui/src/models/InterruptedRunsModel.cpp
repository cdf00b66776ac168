#include "opflow/ui/models/InterruptedRunsModel.h"

#include "text/QtText.h"

#include "opflow/store/SqliteRunStore.h"
#include "opflow/store/UtcTime.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace opflow::ui {

InterruptedRunsModel::InterruptedRunsModel(ConsoleSession& session, QObject* parent)
    : QAbstractTableModel(parent), m_session(session) {}

int InterruptedRunsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int InterruptedRunsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant InterruptedRunsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const engine::RunRecord& run = m_runs[static_cast<std::size_t>(index.row())];
  const qint64 sinceMs = store::toMs(run.updatedAt);
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case OperationColumn:
      return tr("%1 v%2").arg(qt(run.operation)).arg(run.version);
    case OrderColumn: {
      auto order = run.inputs.find("order");
      return order != run.inputs.end() && order->is_string() ? qt(order->get<std::string>()) : QString();
    }
    case NodeColumn:
      return qt(run.currentNode);
    case UserColumn:
      return qt(run.context.user);
    case SinceColumn:
      return QLocale().toString(QDateTime::fromMSecsSinceEpoch(sinceMs), QLocale::ShortFormat);
    default:
      return {};
    }
  case Qt::ToolTipRole:
    return index.column() == SinceColumn ? qt(store::formatUtcMs(sinceMs)) : tr("Run %1").arg(qt(run.id.str()));
  case RunIdRole:
    return qt(run.id.str());
  default:
    return {};
  }
}

QVariant InterruptedRunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case OperationColumn:
    return tr("Operation");
  case OrderColumn:
    return tr("Order");
  case NodeColumn:
    return tr("Interrupted at");
  case UserColumn:
    return tr("User");
  case SinceColumn:
    return tr("Since");
  default:
    return {};
  }
}

void InterruptedRunsModel::refresh() {
  const quint64 generation = ++m_generation;
  engine::Engine& engine = m_session.host().engine();
  m_session.background().run(
      this,
      [&engine] {
        std::vector<engine::RunRecord> runs = engine.activeRuns();
        std::erase_if(runs, [](const engine::RunRecord& run) { return run.state != engine::RunState::Interrupted; });
        return runs;
      },
      [this, generation](std::vector<engine::RunRecord> runs) {
        if (generation != m_generation) {
          return;
        }
        beginResetModel();
        m_runs = std::move(runs);
        endResetModel();
        if (!m_loaded) {
          m_loaded = true;
          emit loaded();
        }
      });
}

const engine::RunRecord* InterruptedRunsModel::runAt(int row) const {
  return row >= 0 && row < rowCount() ? &m_runs[static_cast<std::size_t>(row)] : nullptr;
}

int InterruptedRunsModel::rowOf(const QString& runId) const {
  auto found = std::find_if(m_runs.begin(), m_runs.end(),
                            [id = runId.toStdString()](const engine::RunRecord& run) { return run.id.str() == id; });
  return found == m_runs.end() ? -1 : static_cast<int>(found - m_runs.begin());
}

void InterruptedRunsModel::remove(const QString& runId) {
  const int row = rowOf(runId);
  if (row < 0) {
    return;
  }
  beginRemoveRows({}, row, row);
  m_runs.erase(m_runs.begin() + row);
  endRemoveRows();
}

} // namespace opflow::ui
