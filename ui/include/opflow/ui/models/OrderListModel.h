// OrderListModel: one page of an order list (a window of up to pageSize() rows, nothing
// else), read by keyset through OrderStore::list on a background thread. Moving between
// pages (first, previous, next, last), the status filter, the search and the sort each
// ask for a page; when it arrives it replaces the rows (a model reset; when it holds the
// same orders in the same places, dataChanged for the rows that changed only) and
// pageLoaded() follows. A newer request makes the answers to older ones stale: they are dropped
// (a generation counter), so only the last asked page is ever shown.
//
// The position ("101–200 of 1,000,000") is the page's place, counted as the pages are
// walked (the first page is at 1, the last ends at the total), against the total of the
// trigger-kept status counts read with the page. A search has no total ("Matches
// 101–200"); its last page's place is unknown until a walk back reaches the first page.
// refresh() reads the page again the way it was reached (after the same cursor, before
// it, first or last), so it stays in place while its rows change; while a page is on its
// way it does nothing (that page is fresh). A page that comes back empty although rows
// lie before it (its rows left the filter meanwhile) is replaced by the last page.
// Thread-safety: GUI thread only, like every Qt item model. The session must outlive it.
#pragma once

#include "opflow/store/Order.h"
#include "opflow/ui/text/ProblemText.h"

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace opflow::ui {

class ConsoleSession;

class OrderListModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column {
    NumberColumn,
    StatusColumn,
    CustomerColumn,
    PriorityColumn,
    PriceColumn,
    CreatedColumn,
    UpdatedColumn,
    ColumnCount
  };
  enum Role { OrderNumberRole = Qt::UserRole + 1 };
  static constexpr int kDefaultPageSize = 100;

  // Asks for the first page of every order, newest first.
  explicit OrderListModel(ConsoleSession& session, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // The number of the order on `row`; empty when there is no such row.
  [[nodiscard]] QString orderNumberAt(int row) const;
  // The row showing order `number`, or -1.
  [[nodiscard]] int rowOf(const QString& number) const;
  [[nodiscard]] const std::vector<store::OrderSummary>& rows() const { return m_rows; }

  // The list asked for.
  [[nodiscard]] const std::vector<domain::OrderStatus>& statuses() const { return m_statuses; }
  [[nodiscard]] const QString& search() const { return m_search; }
  [[nodiscard]] store::OrderSort sort() const { return m_sort; }
  [[nodiscard]] int pageSize() const { return m_pageSize; }

  // Where the shown page is: a page has arrived; a request is on its way; rows lie before
  // or after the page; the page's first row counted from 0 (unknown on a search's last
  // page); the list's total (unknown for a search); "101–200 of 1,000,000".
  [[nodiscard]] bool hasPage() const { return m_hasPage; }
  [[nodiscard]] bool isLoading() const { return m_loading; }
  [[nodiscard]] bool hasPreviousPage() const { return !m_previousCursor.empty(); }
  [[nodiscard]] bool hasNextPage() const { return !m_nextCursor.empty(); }
  [[nodiscard]] std::optional<std::int64_t> firstRowPosition() const { return m_firstRow; }
  [[nodiscard]] std::optional<std::int64_t> total() const { return m_total; }
  [[nodiscard]] QString positionText() const;

public slots:
  void firstPage();
  void previousPage(); // nothing when there is no page before
  void nextPage();     // nothing when there is no page after
  void lastPage();
  void refresh();
  // Each of these starts again from the first page.
  void setStatuses(const std::vector<domain::OrderStatus>& statuses); // empty: every status
  void setSearch(const QString& text);                                  // empty: no search
  void setSort(store::OrderSort sort);
  void setPageSize(int rows); // 1 .. 1000

signals:
  void pageLoaded();
  void loadFailed(const opflow::ui::ConsoleProblem& problem);

private:
  // How a page is reached, so that refresh() can reach it again.
  enum class Reach { First, After, Before, Last };

  struct Answer {
    store::OrderPage page;
    std::optional<std::int64_t> total;
  };

  // Asks for a page; `expectedFirstRow`: where it starts when it is neither the first
  // page nor the last (known from the walk so far, or not).
  void request(Reach reach, const std::string& cursor, std::optional<std::int64_t> expectedFirstRow);
  void apply(Reach reach, const std::string& cursor, std::optional<std::int64_t> expectedFirstRow, Answer answer);

  ConsoleSession& m_session;
  std::vector<domain::OrderStatus> m_statuses;
  QString m_search;
  store::OrderSort m_sort = store::OrderSort::Newest;
  int m_pageSize = kDefaultPageSize;

  std::vector<store::OrderSummary> m_rows;
  std::string m_nextCursor;
  std::string m_previousCursor;
  Reach m_reach = Reach::First; // how the shown page was reached
  std::string m_reachCursor;    // ... from which cursor
  std::optional<std::int64_t> m_firstRow;
  std::optional<std::int64_t> m_total;
  bool m_hasPage = false;
  bool m_loading = false;
  bool m_refreshAgain = false; // refresh() came while a page was loading
  std::uint64_t m_generation = 0;
};

} // namespace opflow::ui
