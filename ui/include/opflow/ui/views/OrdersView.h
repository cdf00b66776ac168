// OrdersView: the order list an operator works from all shift. From top to bottom: a
// search field (order number or customer prefix, applied 250 ms after typing stops), a
// scan field (a barcode scanner types an order's digits and Enter: the order opens), the
// status chips with live counts, the sort (newest or priority), one page of orders in a
// table with fixed row heights, the page buttons and the list position.
//
// Every read runs in the background (OrderListModel, StatusChips, the scan's lookup);
// the GUI thread only asks and shows. Enter or a double-click on a row, or a scan that
// finds its order, says orderActivated(number). The page and the counts are read again
// when orders change (a run completes here, the sync pulls another workstation's change):
// at once, then at most every kLiveRefreshEveryMs while changes keep coming. Rows that
// stay on the page are updated in place (OrderListModel), so the selection and the
// scroll position stay.
//
// Keys: Ctrl+F search, Ctrl+L scan, Ctrl+Home / Ctrl+PgUp / Ctrl+PgDown / Ctrl+End the
// first / previous / next / last page, Enter opens the current order. Tab order: search,
// scan, chips, sort, table, page buttons.
// Thread-safety: GUI thread only. The session must outlive the view.
#pragma once

#include <QElapsedTimer>
#include <QKeySequence>
#include <QWidget>

#include <cstdint>

class QAbstractButton;
class QComboBox;
class QKeySequence;
class QLabel;
class QLineEdit;
class QModelIndex;
class QTableView;
class QTimer;

namespace opflow::ui {

class ConsoleSession;
class OrderListModel;
class StatusChips;

class OrdersView : public QWidget {
  Q_OBJECT

public:
  static constexpr int kSearchDelayMs = 250;
  static constexpr qint64 kLiveRefreshEveryMs = 100;

  explicit OrdersView(ConsoleSession& session, QWidget* parent = nullptr);

  // True (and loaded() said) once the first page and the status counts are shown.
  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  [[nodiscard]] OrderListModel* model() const { return m_model; }

  [[nodiscard]] QLineEdit* searchField() const { return m_search; }
  [[nodiscard]] QLineEdit* scanField() const { return m_scan; }
  [[nodiscard]] StatusChips* statusChips() const { return m_chips; }
  [[nodiscard]] QComboBox* sortBox() const { return m_sort; }
  [[nodiscard]] QTableView* table() const { return m_table; }
  [[nodiscard]] QLabel* positionLabel() const { return m_position; }
  // The inline message: a scan's outcome or a failed read.
  [[nodiscard]] QLabel* messageLabel() const { return m_message; }

  // The keys of focusSearch() and focusScan(): the main window binds them window-wide.
  [[nodiscard]] static QKeySequence searchKeys();
  [[nodiscard]] static QKeySequence scanKeys();

public slots:
  void focusSearch();
  void focusScan();
  void refresh();
  // Orders changed somewhere: the page and counts are read again soon (coalesced).
  void noteOrdersChanged();

signals:
  void loaded();
  void orderActivated(const QString& number);

private:
  QAbstractButton* addPageButton(const QString& objectName, const QString& text, const QString& help,
                                 const QKeySequence& keys, void (OrderListModel::*turnPage)());
  void buildTable();
  // The controls top to bottom, and the tab order.
  void layOut();
  void connectControls();
  void lookUpScan();
  void activateRow(const QModelIndex& index);
  void rememberCurrentRow();
  void restoreCurrentRow();
  void showPaging();
  void showMessage(const QString& text);
  void checkLoaded();

  ConsoleSession& m_session;
  OrderListModel* m_model = nullptr;
  QLineEdit* m_search = nullptr;
  QLineEdit* m_scan = nullptr;
  StatusChips* m_chips = nullptr;
  QComboBox* m_sort = nullptr;
  QTableView* m_table = nullptr;
  QAbstractButton* m_first = nullptr;
  QAbstractButton* m_previous = nullptr;
  QAbstractButton* m_next = nullptr;
  QAbstractButton* m_last = nullptr;
  QLabel* m_position = nullptr;
  QLabel* m_message = nullptr;
  QTimer* m_searchDelay = nullptr;
  QTimer* m_liveRefresh = nullptr;
  QElapsedTimer m_sinceRefresh;
  QString m_currentNumber;
  std::uint64_t m_scanGeneration = 0;
  bool m_loaded = false;
};

} // namespace opflow::ui
