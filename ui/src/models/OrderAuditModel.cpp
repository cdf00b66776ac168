#include "opflow/ui/models/OrderAuditModel.h"

#include "text/QtText.h"

#include "opflow/ui/text/OrderDetailText.h"

namespace opflow::ui {

namespace {


QString changeText(const store::AuditEntry& entry) {
  QStringList parts;
  parts << QStringLiteral("%1 %2 (#%3)").arg(qt(entry.subjectType), qt(entry.subjectId)).arg(entry.seq);
  parts << OrderAuditModel::tr("at %1, correlation %2").arg(qt(entry.workstation), qt(entry.correlationId));
  if (!entry.before.is_null()) {
    parts << OrderAuditModel::tr("before:") << jsonLines(entry.before);
  }
  if (!entry.after.is_null()) {
    parts << OrderAuditModel::tr("after:") << jsonLines(entry.after);
  }
  return parts.join(QLatin1Char('\n'));
}

} // namespace

OrderAuditModel::OrderAuditModel(QObject* parent) : QAbstractTableModel(parent) {}

int OrderAuditModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int OrderAuditModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OrderAuditModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::AuditEntry& entry = m_entries[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case TimeColumn: return localTimeText(entry.atMs);
    case UserColumn: return qt(entry.user);
    case RoleColumn: return qt(entry.role);
    case ActionColumn: return qt(entry.action);
    case ReasonColumn: return qt(entry.reason);
    default: return {};
    }
  case Qt::ToolTipRole: return changeText(entry);
  case Qt::AccessibleTextRole:
    return tr("%1 by %2 (%3) at %4%5")
        .arg(qt(entry.action), qt(entry.user), qt(entry.role), localTimeText(entry.atMs),
             entry.reason.empty() ? QString() : QStringLiteral(": ") + qt(entry.reason));
  default: return {};
  }
}

QVariant OrderAuditModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case TimeColumn: return tr("Time");
  case UserColumn: return tr("User");
  case RoleColumn: return tr("Role");
  case ActionColumn: return tr("Action");
  case ReasonColumn: return tr("Reason");
  default: return {};
  }
}

void OrderAuditModel::setEntries(std::vector<store::AuditEntry> entries) {
  beginResetModel();
  m_entries = std::move(entries);
  endResetModel();
}

} // namespace opflow::ui
