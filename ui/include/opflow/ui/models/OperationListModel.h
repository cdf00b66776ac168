// OperationListModel: a table of the operations a catalog holds, the latest version of
// each, sorted by name (columns Name, Version, Title; the tooltip is the description).
// It keeps a snapshot of the catalog; refresh() takes a new one.
// Thread-safety: GUI thread only, like every Qt item model. The catalog it reads is
// itself thread-safe and must outlive the model.
#pragma once

#include "opflow/engine/OperationCatalog.h"

#include <QAbstractTableModel>

#include <vector>

namespace opflow::ui {

class OperationListModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { NameColumn, VersionColumn, TitleColumn, ColumnCount };
  enum Role { OperationNameRole = Qt::UserRole + 1 };

  explicit OperationListModel(const engine::OperationCatalog& catalog, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // The operation shown on `row`, or null when the row does not exist.
  [[nodiscard]] engine::OperationPtr operationAt(int row) const;
  // The row of the operation called `name`, or -1.
  [[nodiscard]] int rowOf(const QString& name) const;

  // Re-reads the catalog (a model reset).
  void refresh();

private:
  [[nodiscard]] std::vector<engine::OperationPtr> readCatalog() const;

  const engine::OperationCatalog& m_catalog;
  std::vector<engine::OperationPtr> m_operations;
};

} // namespace opflow::ui
