#include "opflow/ui/models/OperationListModel.h"

#include "text/QtText.h"

#include <algorithm>

namespace opflow::ui {

OperationListModel::OperationListModel(const engine::OperationCatalog& catalog, QObject* parent)
    : QAbstractTableModel(parent), m_catalog(catalog), m_operations(readCatalog()) {}

int OperationListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_operations.size());
}

int OperationListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant OperationListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const model::OperationDefinition& definition = m_operations[static_cast<std::size_t>(index.row())]->definition();
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case NameColumn:
      return qt(definition.name);
    case VersionColumn:
      return QVariant::fromValue<qlonglong>(definition.version);
    case TitleColumn:
      return qt(definition.title);
    default:
      return {};
    }
  case Qt::ToolTipRole:
    return qt(definition.description.empty() ? definition.title : definition.description);
  case Qt::AccessibleTextRole:
    return tr("%1, version %2: %3").arg(qt(definition.name)).arg(definition.version).arg(qt(definition.title));
  case Qt::TextAlignmentRole:
    return index.column() == VersionColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  case OperationNameRole:
    return qt(definition.name);
  default:
    return {};
  }
}

QVariant OperationListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole) {
    return section == VersionColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                    : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case NameColumn:
    return tr("Name");
  case VersionColumn:
    return tr("Version");
  case TitleColumn:
    return tr("Title");
  default:
    return {};
  }
}

engine::OperationPtr OperationListModel::operationAt(int row) const {
  if (row < 0 || row >= rowCount()) {
    return nullptr;
  }
  return m_operations[static_cast<std::size_t>(row)];
}

int OperationListModel::rowOf(const QString& name) const {
  const std::string wanted = name.toStdString();
  auto found = std::find_if(m_operations.begin(), m_operations.end(),
                            [&wanted](const engine::OperationPtr& operation) { return operation->name() == wanted; });
  return found == m_operations.end() ? -1 : static_cast<int>(found - m_operations.begin());
}

void OperationListModel::refresh() {
  beginResetModel();
  m_operations = readCatalog();
  endResetModel();
}

std::vector<engine::OperationPtr> OperationListModel::readCatalog() const {
  std::vector<engine::OperationPtr> operations = m_catalog.latestVersions();
  std::sort(operations.begin(), operations.end(),
            [](const engine::OperationPtr& a, const engine::OperationPtr& b) { return a->name() < b->name(); });
  return operations;
}

} // namespace opflow::ui
