#include "opflow/ui/views/OperationsView.h"

#include "opflow/ui/models/OperationListModel.h"
#include "opflow/ui/views/OperationTextView.h"

#include "views/ViewParts.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace opflow::ui {

namespace {

constexpr int kNameColumnWidth = 230;
constexpr int kVersionColumnWidth = 70;
constexpr int kListWidth = 520;
constexpr int kTextWidth = 680;

} // namespace

OperationsView::OperationsView(const engine::OperationCatalog& catalog, QWidget* parent)
    : QWidget(parent), m_model(new OperationListModel(catalog, this)) {
  setObjectName(QStringLiteral("operationsView"));

  m_table = makeTable(this, QStringLiteral("operationTable"), tr("Operations"));
  m_table->setAccessibleDescription(tr("Every operation, latest version; select one to read it"));
  m_table->setModel(m_model);
  QHeaderView* header = m_table->horizontalHeader();
  header->setHighlightSections(false);
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  header->setStretchLastSection(true);
  header->resizeSection(OperationListModel::NameColumn, kNameColumnWidth);
  header->resizeSection(OperationListModel::VersionColumn, kVersionColumnWidth);

  m_text = new OperationTextView;

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(m_table);
  splitter->addWidget(m_text);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({kListWidth, kTextWidth});

  m_count = new QLabel;
  m_count->setObjectName(QStringLiteral("operationCount"));
  m_count->setAccessibleName(tr("Operation count"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter, 1);
  layout->addWidget(m_count);

  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { showRow(current.isValid() ? current.row() : -1); });
  connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &OperationsView::rememberSelection);
  connect(m_model, &QAbstractItemModel::modelReset, this, &OperationsView::restoreSelection);

  setTabOrder(m_table, m_text);
  m_table->setFocus(Qt::OtherFocusReason);
  selectOperation(0);
  updateStatus();
}

bool OperationsView::selectOperation(int row) {
  if (row < 0 || row >= m_model->rowCount()) {
    return false;
  }
  m_table->selectionModel()->setCurrentIndex(m_model->index(row, OperationListModel::NameColumn),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  return true;
}

void OperationsView::showRow(int row) { m_text->showOperation(m_model->operationAt(row)); }

void OperationsView::rememberSelection() {
  const engine::OperationPtr& shown = m_text->operation();
  m_selectedName = shown ? QString::fromStdString(shown->name()) : QString();
}

void OperationsView::restoreSelection() {
  const int row = m_model->rowOf(m_selectedName);
  if (!selectOperation(row >= 0 ? row : 0)) {
    showRow(-1);
  }
  updateStatus();
}

void OperationsView::updateStatus() {
  const int count = m_model->rowCount();
  m_count->setText(count == 1 ? tr("1 operation") : tr("%1 operations").arg(count));
}

} // namespace opflow::ui
