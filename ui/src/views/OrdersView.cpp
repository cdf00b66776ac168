#include "opflow/ui/views/OrdersView.h"

#include "views/ViewParts.h"

#include "opflow/domain/OrderNumber.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/views/StatusChips.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace opflow::ui {

namespace {

constexpr int kCellPadding = 18;
constexpr int kSearchWidth = 320;
constexpr int kScanWidth = 260;

QString withKeys(const QString& help, const QKeySequence& keys) {
  return QStringLiteral("%1 (%2)").arg(help, keys.toString(QKeySequence::NativeText));
}

} // namespace

QKeySequence OrdersView::searchKeys() { return QKeySequence(Qt::CTRL | Qt::Key_F); }

QKeySequence OrdersView::scanKeys() { return QKeySequence(Qt::CTRL | Qt::Key_L); }

OrdersView::OrdersView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_model(new OrderListModel(session, this)),
      m_searchDelay(new QTimer(this)), m_liveRefresh(new QTimer(this)) {
  setObjectName(QStringLiteral("ordersView"));
  setAccessibleName(tr("Orders"));

  m_search = new QLineEdit;
  m_search->setObjectName(QStringLiteral("orderSearch"));
  m_search->setAccessibleName(tr("Search orders"));
  m_search->setPlaceholderText(tr("Search number or customer"));
  m_search->setToolTip(withKeys(tr("Orders whose number or customer starts with this"), searchKeys()));
  m_search->setClearButtonEnabled(true);
  m_search->setMaximumWidth(kSearchWidth);

  m_scan = new QLineEdit;
  m_scan->setObjectName(QStringLiteral("orderScan"));
  m_scan->setAccessibleName(tr("Scan order number"));
  m_scan->setPlaceholderText(tr("Scan or type an order number"));
  m_scan->setToolTip(withKeys(tr("Scan a barcode, or type an order's digits and press Enter"), scanKeys()));
  m_scan->setFixedWidth(kScanWidth);

  m_chips = new StatusChips(session);

  m_sort = new QComboBox;
  m_sort->setObjectName(QStringLiteral("orderSort"));
  m_sort->setAccessibleName(tr("Sort orders"));
  m_sort->addItem(tr("Newest first"), QVariant::fromValue(static_cast<int>(store::OrderSort::Newest)));
  m_sort->addItem(tr("Priority"), QVariant::fromValue(static_cast<int>(store::OrderSort::Priority)));

  buildTable();

  m_first = addPageButton(QStringLiteral("firstPage"), tr("First"), tr("First page"),
                          QKeySequence(Qt::CTRL | Qt::Key_Home), &OrderListModel::firstPage);
  m_previous = addPageButton(QStringLiteral("previousPage"), tr("Previous"), tr("Previous page"),
                             QKeySequence(Qt::CTRL | Qt::Key_PageUp), &OrderListModel::previousPage);
  m_next = addPageButton(QStringLiteral("nextPage"), tr("Next"), tr("Next page"),
                         QKeySequence(Qt::CTRL | Qt::Key_PageDown), &OrderListModel::nextPage);
  m_last = addPageButton(QStringLiteral("lastPage"), tr("Last"), tr("Last page"), QKeySequence(Qt::CTRL | Qt::Key_End),
                         &OrderListModel::lastPage);

  m_position = new QLabel;
  m_position->setObjectName(QStringLiteral("orderPosition"));
  m_position->setAccessibleName(tr("List position"));
  m_message = new QLabel;
  m_message->setObjectName(QStringLiteral("orderMessage"));
  m_message->setAccessibleName(tr("Message"));
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

  layOut();

  connectControls();
  showPaging();
}

void OrdersView::layOut() {
  auto* top = new QHBoxLayout;
  top->addWidget(m_search, 1);
  top->addWidget(m_scan);
  top->addWidget(m_message, 1);
  auto* filters = new QHBoxLayout;
  filters->addWidget(m_chips, 1);
  filters->addWidget(m_sort);
  auto* paging = new QHBoxLayout;
  for (QAbstractButton* button : {m_first, m_previous, m_next, m_last}) {
    paging->addWidget(button);
  }
  paging->addWidget(m_position, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addLayout(filters);
  layout->addWidget(m_table, 1);
  layout->addLayout(paging);

  QWidget* previous = m_search;
  auto chain = [&previous](QWidget* next) {
    setTabOrder(previous, next);
    previous = next;
  };
  chain(m_scan);
  for (QAbstractButton* chip : m_chips->chips()) {
    chain(chip);
  }
  chain(m_sort);
  chain(m_table);
  for (QAbstractButton* button : {m_first, m_previous, m_next, m_last}) {
    chain(button);
  }
}

void OrdersView::connectControls() {
  m_searchDelay->setSingleShot(true);
  m_searchDelay->setInterval(kSearchDelayMs);
  connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
  connect(m_searchDelay, &QTimer::timeout, this, [this] { m_model->setSearch(m_search->text()); });
  connect(m_search, &QLineEdit::returnPressed, this, [this] {
    m_searchDelay->stop();
    m_model->setSearch(m_search->text());
  });
  connect(m_scan, &QLineEdit::returnPressed, this, &OrdersView::lookUpScan);
  connect(m_chips, &StatusChips::selectionChanged, m_model, &OrderListModel::setStatuses);
  connect(m_chips, &StatusChips::countsUpdated, this, &OrdersView::checkLoaded);
  connect(m_sort, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    m_model->setSort(static_cast<store::OrderSort>(m_sort->currentData().toInt()));
  });

  connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &OrdersView::rememberCurrentRow);
  connect(m_model, &QAbstractItemModel::modelReset, this, &OrdersView::restoreCurrentRow);
  connect(m_model, &OrderListModel::pageLoaded, this, [this] {
    showPaging();
    checkLoaded();
  });
  connect(m_model, &OrderListModel::loadFailed, this, [this](const ConsoleProblem& problem) {
    showProblem(m_message, problem);
    showPaging();
  });

  // Orders move when runs complete here: read the shown page again (noteOrdersChanged).
  m_liveRefresh->setSingleShot(true);
  connect(m_liveRefresh, &QTimer::timeout, this, &OrdersView::refresh);
  connect(&m_session.events(), &RunEventBridge::runEvent, this, [this](const RunEvent& event) {
    if (event.kind == RunEvent::Kind::Completed) {
      noteOrdersChanged();
    }
  });
}

void OrdersView::noteOrdersChanged() {
  if (m_liveRefresh->isActive()) {
    return; // a refresh is due already and will read this change too
  }
  const qint64 since = m_sinceRefresh.isValid() ? m_sinceRefresh.elapsed() : kLiveRefreshEveryMs;
  if (since >= kLiveRefreshEveryMs) {
    refresh();
    return;
  }
  m_liveRefresh->start(static_cast<int>(kLiveRefreshEveryMs - since));
}

void OrdersView::focusSearch() {
  m_search->setFocus(Qt::ShortcutFocusReason);
  m_search->selectAll();
}

void OrdersView::focusScan() {
  m_scan->setFocus(Qt::ShortcutFocusReason);
  m_scan->selectAll();
}

void OrdersView::refresh() {
  m_sinceRefresh.start();
  m_model->refresh();
  m_chips->refreshCounts();
}

void OrdersView::buildTable() {
  m_table = makeTable(this, QStringLiteral("orderTable"), tr("Orders"));
  m_table->setAccessibleDescription(tr("One page of orders; Enter opens the current one"));
  m_table->setModel(m_model);
  m_table->setCornerButtonEnabled(false);
  QHeaderView* columns = m_table->horizontalHeader();
  columns->setHighlightSections(false);
  columns->setSectionsClickable(false);
  columns->setSectionResizeMode(QHeaderView::Interactive);
  columns->setStretchLastSection(false);
  // Widths from the longest value each column shows; the customer column takes the rest.
  const std::pair<int, QString> widest[] = {
      {OrderListModel::NumberColumn, QStringLiteral("ORD-0000000")},
      {OrderListModel::StatusColumn, tr("In production")},
      {OrderListModel::PriorityColumn, tr("Priority")},
      {OrderListModel::PriceColumn, QStringLiteral("000,000.00")},
      {OrderListModel::CreatedColumn, QStringLiteral("0000-00-00 00:00")},
      {OrderListModel::UpdatedColumn, QStringLiteral("0000-00-00 00:00")},
  };
  for (const auto& [column, text] : widest) {
    columns->resizeSection(column, m_table->fontMetrics().horizontalAdvance(text) + kCellPadding);
  }
  columns->setSectionResizeMode(OrderListModel::CustomerColumn, QHeaderView::Stretch);
  connect(m_table, &QAbstractItemView::activated, this, &OrdersView::activateRow);
}

QAbstractButton* OrdersView::addPageButton(const QString& objectName, const QString& text, const QString& help,
                                           const QKeySequence& keys, void (OrderListModel::*turnPage)()) {
  auto* button = new QToolButton;
  button->setObjectName(objectName);
  button->setText(text);
  button->setAccessibleName(help);
  button->setToolTip(withKeys(help, keys));
  button->setFocusPolicy(Qt::StrongFocus);
  connect(button, &QAbstractButton::clicked, m_model, turnPage);
  connect(new QShortcut(keys, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut), &QShortcut::activated,
          button, &QAbstractButton::click);
  return button;
}

void OrdersView::lookUpScan() {
  const QString scanned = m_scan->text();
  if (scanned.trimmed().isEmpty()) {
    return;
  }
  auto number = domain::parseScannedOrderNumber(scanned.toStdString());
  if (!number) {
    showMessage(QString::fromStdString(number.error().message));
    m_scan->selectAll();
    return;
  }
  m_scan->clear();
  const std::uint64_t generation = ++m_scanGeneration;
  const QString wanted = QString::fromStdString(*number);
  const ConsoleAction lookingUp(m_session, "orders.look_up");
  showMessage(tr("Looking up %1…").arg(wanted));
  store::OrderStore& orders = m_session.host().workstation().orders();
  m_session.background().run(
      this, [&orders, key = *number] { return orders.get(key); },
      [this, generation, wanted, lookingUp](Result<store::Order> order) {
        if (generation != m_scanGeneration) {
          return; // a newer scan came meanwhile
        }
        if (!order && order.error().code == ErrorCode::NotFound) {
          showMessage(tr("No order %1").arg(wanted));
          return;
        }
        if (!order) {
          showProblem(m_message,
                      lookingUp.failed(order.error(), tr("%1 could not be read: %2. Scan it again.")
                                                          .arg(wanted, QString::fromStdString(order.error().message))));
          return;
        }
        const QString found = QString::fromStdString(order->number);
        showMessage(tr("Opened %1").arg(found));
        emit orderActivated(found);
      });
}

void OrdersView::activateRow(const QModelIndex& index) {
  const QString number = m_model->orderNumberAt(index.row());
  if (!number.isEmpty()) {
    emit orderActivated(number);
  }
}

void OrdersView::rememberCurrentRow() { m_currentNumber = m_model->orderNumberAt(m_table->currentIndex().row()); }

void OrdersView::restoreCurrentRow() {
  if (m_model->rowCount() == 0) {
    return;
  }
  const int row = std::max(0, m_model->rowOf(m_currentNumber));
  m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  m_table->scrollTo(m_model->index(row, 0));
}

void OrdersView::showPaging() {
  m_first->setEnabled(m_model->hasPreviousPage());
  m_previous->setEnabled(m_model->hasPreviousPage());
  m_next->setEnabled(m_model->hasNextPage());
  m_last->setEnabled(m_model->hasNextPage());
  m_position->setText(m_model->positionText());
  const bool searching = !m_model->search().isEmpty();
  m_sort->setEnabled(!searching);
  m_sort->setToolTip(searching ? tr("Search results come by number, then by customer")
                               : tr("Newest first, or the most urgent first"));
}

void OrdersView::showMessage(const QString& text) {
  m_message->setTextFormat(Qt::PlainText);
  m_message->setStyleSheet({});
  m_message->setText(text);
}

void OrdersView::checkLoaded() {
  if (!m_loaded && m_model->hasPage() && m_chips->counts()) {
    m_loaded = true;
    emit loaded();
  }
}

} // namespace opflow::ui
