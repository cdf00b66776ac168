// OrderAuditModel: one order's audit trail as a table (Time, User, Role, Action, Reason),
// in chain order; the tooltip of a row shows what changed (before and after) and where.
// The entries are read off the GUI thread by whoever owns the model and handed to it.
// Thread-safety: GUI thread only, like every Qt item model.
#pragma once

#include "opflow/store/AuditLog.h"

#include <QAbstractTableModel>

#include <vector>

namespace opflow::ui {

class OrderAuditModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { TimeColumn, UserColumn, RoleColumn, ActionColumn, ReasonColumn, ColumnCount };
  explicit OrderAuditModel(QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // Shows `entries` instead of what was shown (a model reset).
  void setEntries(std::vector<store::AuditEntry> entries);
  [[nodiscard]] const std::vector<store::AuditEntry>& entries() const { return m_entries; }

private:
  std::vector<store::AuditEntry> m_entries;
};

} // namespace opflow::ui
