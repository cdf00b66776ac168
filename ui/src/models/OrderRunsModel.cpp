#include "opflow/ui/models/OrderRunsModel.h"

#include "text/QtText.h"

#include "opflow/ui/text/OrderDetailText.h"

#include <algorithm>
#include <map>

namespace opflow::ui {

OrderRunsModel::OrderRunsModel(QObject* parent) : QAbstractItemModel(parent) {}

QModelIndex OrderRunsModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) {
    return {};
  }
  const std::vector<int>& siblings =
      parent.isValid() ? m_items[static_cast<std::size_t>(parent.internalId())].children : m_roots;
  return createIndex(row, column, static_cast<quintptr>(siblings[static_cast<std::size_t>(row)]));
}

QModelIndex OrderRunsModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) {
    return {};
  }
  const int parentItem = m_items[static_cast<std::size_t>(child.internalId())].parent;
  if (parentItem < 0) {
    return {};
  }
  return createIndex(m_items[static_cast<std::size_t>(parentItem)].row, 0, static_cast<quintptr>(parentItem));
}

int OrderRunsModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) {
    return static_cast<int>(m_roots.size());
  }
  if (parent.column() != 0) {
    return 0;
  }
  return static_cast<int>(m_items[static_cast<std::size_t>(parent.internalId())].children.size());
}

int OrderRunsModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant OrderRunsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
    return {};
  }
  const Item& item = m_items[static_cast<std::size_t>(index.internalId())];
  const Run& run = m_runs[item.run];
  if (role == RunIdRole) {
    return qt(run.summary.id);
  }
  return item.isRun ? runData(run, index.column(), role) : stepData(run.steps[item.step], index.column(), role);
}

QVariant OrderRunsModel::runData(const Run& run, int column, int role) const {
  const store::RunSummary& summary = run.summary;
  const std::int64_t durationUs = (summary.updatedAtMs - summary.createdAtMs) * 1'000;
  if (role == Qt::DisplayRole) {
    switch (column) {
    case NameColumn: return tr("%1 v%2").arg(qt(summary.operation)).arg(summary.version);
    case OutcomeColumn:
      return summary.conflictedAtMs ? tr("%1, conflicted").arg(QString::fromUtf8(engine::toString(summary.state)))
                                    : QString::fromUtf8(engine::toString(summary.state));
    case StartedColumn: return localTimeText(summary.createdAtMs);
    case DurationColumn: return durationText(durationUs);
    case DetailColumn:
      return engine::isTerminal(summary.state) ? tr("ended at %1").arg(qt(summary.node))
                                               : tr("at %1").arg(qt(summary.node));
    default: return {};
    }
  }
  if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
    const QString told = tr("Run %1 of %2: %3 at %4, %5 step(s)")
                             .arg(qt(summary.id), qt(summary.operation),
                                  QString::fromUtf8(engine::toString(summary.state)), qt(summary.node))
                             .arg(run.steps.size());
    return summary.conflictedAtMs
               ? tr("%1. Conflicted: the shared database did not take this run's change of the order (see the "
                    "conflicts list).")
                     .arg(told)
               : told;
  }
  return {};
}

QVariant OrderRunsModel::stepData(const engine::StepRecord& step, int column, int role) const {
  const QString exit = step.exit.empty() ? tr("done") : qt(step.exit);
  if (role == Qt::DisplayRole) {
    switch (column) {
    case NameColumn: return qt(step.node);
    case OutcomeColumn: return step.error.empty() ? exit : tr("error");
    case StartedColumn: return localTimeText(store::toMs(step.startedAt));
    case DurationColumn: return durationText(step.durationUs);
    case DetailColumn: return step.retry ? tr("retry %1").arg(qt(step.error)).trimmed() : qt(step.error);
    default: return {};
    }
  }
  if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole) {
    return tr("Step %1: %2 (%3), %4, took %5%6")
        .arg(step.index + 1)
        .arg(qt(step.node), QString::fromUtf8(model::toString(step.kind)), exit, durationText(step.durationUs),
             step.error.empty() ? QString() : QStringLiteral(": ") + qt(step.error));
  }
  return {};
}

QVariant OrderRunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractItemModel::headerData(section, orientation, role);
  }
  switch (section) {
  case NameColumn: return tr("Run / step");
  case OutcomeColumn: return tr("Outcome");
  case StartedColumn: return tr("Started");
  case DurationColumn: return tr("Duration");
  case DetailColumn: return tr("Detail");
  default: return {};
  }
}

int OrderRunsModel::addItem(Item item) {
  m_items.push_back(std::move(item));
  const int added = static_cast<int>(m_items.size()) - 1;
  if (m_items[static_cast<std::size_t>(added)].parent < 0) {
    m_roots.push_back(added);
  } else {
    m_items[static_cast<std::size_t>(m_items[static_cast<std::size_t>(added)].parent)].children.push_back(added);
  }
  return added;
}

void OrderRunsModel::addRunItems(std::size_t run, int parent, int row) {
  const int runItem = addItem({true, run, 0, parent, row, {}});
  int childRow = 0;
  for (std::size_t step = 0; step < m_runs[run].steps.size(); ++step) {
    addItem({false, run, step, runItem, childRow++, {}});
  }
  // Sub-runs, oldest first (ids are time-ordered).
  for (std::size_t child = m_runs.size(); child-- > 0;) {
    if (m_runs[child].summary.parentId == m_runs[run].summary.id) {
      addRunItems(child, runItem, childRow++);
    }
  }
}

void OrderRunsModel::setRuns(std::vector<Run> runs) {
  beginResetModel();
  m_runs = std::move(runs);
  std::sort(m_runs.begin(), m_runs.end(), [](const Run& a, const Run& b) { return a.summary.id > b.summary.id; });
  m_items.clear();
  m_roots.clear();
  std::map<std::string, std::size_t> byId;
  for (std::size_t i = 0; i < m_runs.size(); ++i) {
    byId[m_runs[i].summary.id] = i;
  }
  int row = 0;
  for (std::size_t i = 0; i < m_runs.size(); ++i) {
    if (!byId.contains(m_runs[i].summary.parentId)) {
      addRunItems(i, -1, row++);
    }
  }
  endResetModel();
}

QModelIndex OrderRunsModel::indexOfRun(const QString& runId) const {
  for (std::size_t i = 0; i < m_items.size(); ++i) {
    const Item& item = m_items[i];
    if (item.isRun && qt(m_runs[item.run].summary.id) == runId) {
      return createIndex(item.row, 0, static_cast<quintptr>(i));
    }
  }
  return {};
}

} // namespace opflow::ui
