#include "opflow/ui/models/OrderListModel.h"

#include "text/QtText.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/text/OrderText.h"

#include <algorithm>

namespace opflow::ui {

namespace {

constexpr int kMaxPageSize = 1000;


// Prices and times (fixed-width values) to the right, text to the left.
QVariant alignmentOf(int column) {
  const bool right = column == OrderListModel::PriceColumn || column == OrderListModel::CreatedColumn ||
                     column == OrderListModel::UpdatedColumn;
  return right ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
}

} // namespace

OrderListModel::OrderListModel(ConsoleSession& session, QObject* parent)
    : QAbstractTableModel(parent), m_session(session) {
  firstPage();
}

int OrderListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OrderListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OrderListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::OrderSummary& order = m_rows[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case NumberColumn:
      return qt(order.number);
    case StatusColumn:
      return orderStatusName(order.status);
    case CustomerColumn:
      return qt(order.customer);
    case PriorityColumn:
      return orderPriorityName(order.priority);
    case PriceColumn:
      return priceText(order.priceCents);
    case CreatedColumn:
      return orderTimeText(order.createdAtMs);
    case UpdatedColumn:
      return orderTimeText(order.updatedAtMs);
    default:
      return {};
    }
  case Qt::ToolTipRole:
    return tr("%1 for %2: %3 (%4), %5 priority\nCreated %6, last changed %7")
        .arg(qt(order.number), qt(order.customer), orderStatusName(order.status),
             QString::fromLatin1(domain::toString(order.status)), orderPriorityName(order.priority).toLower(),
             orderTimeText(order.createdAtMs), orderTimeText(order.updatedAtMs));
  case Qt::AccessibleTextRole:
    return tr("%1, %2, %3, %4 priority")
        .arg(qt(order.number), orderStatusName(order.status), qt(order.customer),
             orderPriorityName(order.priority).toLower());
  case Qt::TextAlignmentRole:
    return alignmentOf(index.column());
  case OrderNumberRole:
    return qt(order.number);
  default:
    return {};
  }
}

QVariant OrderListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole) {
    return alignmentOf(section);
  }
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case NumberColumn:
    return tr("Number");
  case StatusColumn:
    return tr("Status");
  case CustomerColumn:
    return tr("Customer");
  case PriorityColumn:
    return tr("Priority");
  case PriceColumn:
    return tr("Price");
  case CreatedColumn:
    return tr("Created");
  case UpdatedColumn:
    return tr("Updated");
  default:
    return {};
  }
}

QString OrderListModel::orderNumberAt(int row) const {
  if (row < 0 || row >= rowCount()) {
    return {};
  }
  return qt(m_rows[static_cast<std::size_t>(row)].number);
}

int OrderListModel::rowOf(const QString& number) const {
  const std::string wanted = number.toStdString();
  auto found = std::find_if(m_rows.begin(), m_rows.end(),
                            [&wanted](const store::OrderSummary& order) { return order.number == wanted; });
  return found == m_rows.end() ? -1 : static_cast<int>(found - m_rows.begin());
}

QString OrderListModel::positionText() const {
  const bool searching = !m_search.isEmpty();
  if (!m_hasPage) {
    return tr("Loading…");
  }
  if (m_rows.empty()) {
    return searching ? tr("No matches") : tr("No orders");
  }
  const auto shown = static_cast<std::int64_t>(m_rows.size());
  if (!m_firstRow) { // a search's page reached from its end
    return hasNextPage() ? tr("%1 matches shown, more after them").arg(countText(shown))
                         : tr("Last %1 matches").arg(countText(shown));
  }
  const QString range = QStringLiteral("%1–%2").arg(countText(*m_firstRow + 1), countText(*m_firstRow + shown));
  if (searching || !m_total) {
    return tr("Matches %1").arg(range);
  }
  return tr("%1 of %2").arg(range, countText(*m_total));
}

void OrderListModel::firstPage() { request(Reach::First, {}, 0); }

void OrderListModel::previousPage() {
  if (!hasPreviousPage()) {
    return;
  }
  std::optional<std::int64_t> expected;
  if (m_firstRow) {
    expected = std::max<std::int64_t>(0, *m_firstRow - m_pageSize);
  }
  request(Reach::Before, m_previousCursor, expected);
}

void OrderListModel::nextPage() {
  if (!hasNextPage()) {
    return;
  }
  std::optional<std::int64_t> expected;
  if (m_firstRow) {
    expected = *m_firstRow + static_cast<std::int64_t>(m_rows.size());
  }
  request(Reach::After, m_nextCursor, expected);
}

void OrderListModel::lastPage() { request(Reach::Last, {}, std::nullopt); }

void OrderListModel::refresh() {
  if (m_loading) {
    m_refreshAgain = true; // the answer in flight may predate what the refresh is for
    return;
  }
  request(m_reach, m_reachCursor, m_firstRow);
}

void OrderListModel::setStatuses(const std::vector<domain::OrderStatus>& statuses) {
  m_statuses = statuses;
  firstPage();
}

void OrderListModel::setSearch(const QString& text) {
  m_search = text.trimmed();
  firstPage();
}

void OrderListModel::setSort(store::OrderSort sort) {
  m_sort = sort;
  firstPage();
}

void OrderListModel::setPageSize(int rows) {
  m_pageSize = std::clamp(rows, 1, kMaxPageSize);
  firstPage();
}

void OrderListModel::request(Reach reach, const std::string& cursor, std::optional<std::int64_t> expectedFirstRow) {
  const std::uint64_t generation = ++m_generation;
  store::OrderQuery query;
  query.statuses = m_statuses;
  query.search = m_search.toStdString();
  query.sort = m_sort;
  query.limit = static_cast<std::size_t>(m_pageSize);
  switch (reach) {
  case Reach::First:
    break;
  case Reach::After:
    query.after = cursor;
    break;
  case Reach::Before:
    query.before = cursor;
    break;
  case Reach::Last:
    query.last = true;
    break;
  }
  const bool counted = query.search.empty();
  store::OrderStore& orders = m_session.host().workstation().orders();
  m_loading = true;
  m_session.background().run(
      this,
      [&orders, query, counted]() -> Result<Answer> {
        auto page = orders.list(query);
        if (!page) {
          return page.error();
        }
        Answer answer{std::move(*page), std::nullopt};
        if (counted) {
          auto counts = orders.count(query.statuses);
          if (!counts) {
            return counts.error();
          }
          answer.total = counts->total;
        }
        return answer;
      },
      [this, generation, reach, cursor, expectedFirstRow](Result<Answer> answer) {
        if (generation != m_generation) {
          return; // a newer request replaced this one
        }
        m_loading = false;
        if (!answer) {
          emit loadFailed(ConsoleAction(m_session, "orders.list")
                              .failed(answer.error(), tr("The list could not be read: %1. It is read again at the "
                                                         "next change; Refresh (F5) tries now.")
                                                          .arg(QString::fromStdString(answer.error().message))));
          return;
        }
        apply(reach, cursor, expectedFirstRow, std::move(*answer));
        if (std::exchange(m_refreshAgain, false)) {
          refresh();
        }
      });
}

void OrderListModel::apply(Reach reach, const std::string& cursor, std::optional<std::int64_t> expectedFirstRow,
                           Answer answer) {
  if (answer.page.orders.empty() && !answer.page.previousCursor.empty()) {
    lastPage(); // the rows after the cursor have gone (moved out of the filter): the list's end
    return;
  }
  const auto shown = static_cast<std::int64_t>(answer.page.orders.size());
  std::optional<std::int64_t> firstRow = expectedFirstRow;
  if (answer.page.previousCursor.empty()) {
    firstRow = 0;
  } else if (answer.page.nextCursor.empty() && answer.total) {
    firstRow = std::max<std::int64_t>(0, *answer.total - shown);
  }
  // The same orders in the same places (their fields changed): updated in place, so the
  // view keeps its selection and scroll position without a reset.
  const bool sameRows =
      m_hasPage && std::equal(m_rows.begin(), m_rows.end(), answer.page.orders.begin(), answer.page.orders.end(),
                              [](const store::OrderSummary& before, const store::OrderSummary& read) {
                                return before.number == read.number;
                              });
  if (!sameRows) {
    beginResetModel();
  }
  // In place, only the rows whose order changed are said to, run by run: a view repaints
  // those, not the page.
  std::vector<std::pair<int, int>> changedRuns;
  if (sameRows) {
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
      if (m_rows[row] == answer.page.orders[row]) {
        continue;
      }
      const int at = static_cast<int>(row);
      if (!changedRuns.empty() && changedRuns.back().second == at - 1) {
        changedRuns.back().second = at;
      } else {
        changedRuns.emplace_back(at, at);
      }
    }
  }
  m_rows = std::move(answer.page.orders);
  m_nextCursor = std::move(answer.page.nextCursor);
  m_previousCursor = std::move(answer.page.previousCursor);
  m_reach = reach;
  m_reachCursor = cursor;
  m_firstRow = firstRow;
  m_total = answer.total;
  m_hasPage = true;
  if (!sameRows) {
    endResetModel();
  }
  for (const auto& [first, last] : changedRuns) {
    emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
  }
  emit pageLoaded();
}

} // namespace opflow::ui
