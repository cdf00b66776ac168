// OperationsView: the console's Operations view. The catalog's operations are listed on
// the left with their count below; the selected one is shown as text on the right.
// Thread-safety: GUI thread only. The catalog must outlive the view.
#pragma once

#include "opflow/engine/OperationCatalog.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace opflow::ui {

class OperationListModel;
class OperationTextView;

class OperationsView : public QWidget {
  Q_OBJECT

public:
  explicit OperationsView(const engine::OperationCatalog& catalog, QWidget* parent = nullptr);

  [[nodiscard]] OperationListModel* operationModel() const { return m_model; }
  [[nodiscard]] QTableView* operationTable() const { return m_table; }
  [[nodiscard]] OperationTextView* operationText() const { return m_text; }

  // Selects the operation on `row` (and shows it); false when there is no such row.
  bool selectOperation(int row);

private:
  void showRow(int row);
  void rememberSelection();
  void restoreSelection();
  void updateStatus();

  OperationListModel* m_model = nullptr;
  QTableView* m_table = nullptr;
  OperationTextView* m_text = nullptr;
  QLabel* m_count = nullptr;
  QString m_selectedName;
};

} // namespace opflow::ui
