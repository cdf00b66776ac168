// AuditModel: the audit log, newest entry first, in keyset pages of kPageSize read off
// the GUI thread, never by OFFSET: the first page when the filter or the scope is set,
// each next one when the view asks (canFetchMore / fetchMore), appended below. Its scope
// is this workstation's log (store::AuditReader, keyset on seq) or the whole shop's
// (sync::readShopAudit from the shared database, keyset on the feed position; the
// workstation column then names the chain's workstation in the shop). Columns: seq, time
// (local; UTC in the tooltip), user, role, workstation, action, subject, order, reason,
// correlation id. Answers for an earlier filter or scope are dropped (a generation
// counter).
// Thread-safety: GUI thread only, like every Qt item model.
#pragma once

#include "opflow/store/AuditLog.h"
#include "opflow/ui/bridge/ConsoleAction.h"

#include <QAbstractTableModel>

#include <vector>

namespace opflow::ui {

class ConsoleSession;

class AuditModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column {
    SeqColumn,
    TimeColumn,
    UserColumn,
    RoleColumn,
    WorkstationColumn,
    ActionColumn,
    SubjectColumn,
    OrderColumn,
    ReasonColumn,
    CorrelationColumn,
    ColumnCount
  };
  enum Role { SeqRole = Qt::UserRole + 1, EntryIdRole };

  static constexpr std::size_t kPageSize = 500;

  enum class Scope { Workstation, Shop };

  explicit AuditModel(ConsoleSession& session, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;
  [[nodiscard]] bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

  // Shows the entries matching the filter's user, action, order, correlation id and time
  // range (its keyset, order and limit are the model's own), from the first page.
  void setFilter(const store::AuditQuery& filter);
  [[nodiscard]] const store::AuditQuery& filter() const { return m_filter; }
  // Shows the entries of `scope` that match the filter, from the first page.
  void setScope(Scope scope);
  [[nodiscard]] Scope scope() const { return m_scope; }
  // The shop's name of the workstation whose chain holds row `row` (shop scope; "" else).
  [[nodiscard]] QString chainAt(int row) const;
  // True once the first page of the first filter is shown.
  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  // Whether a page is being read.
  [[nodiscard]] bool isFetching() const { return m_fetching; }
  // The row of the entry at chain position `seq`, or -1 when it is not loaded (yet).
  [[nodiscard]] int rowOfSeq(std::int64_t seq) const;
  [[nodiscard]] const store::AuditEntry* entryAt(int row) const;

signals:
  // A page (perhaps empty) of the current filter was appended.
  void pageLoaded();
  // Reading failed; the problem says why, under the read's reference. More pages are not
  // asked for until setFilter().
  void loadFailed(const opflow::ui::ConsoleProblem& problem);

private:
  // Where an entry came from in the shop scope.
  struct ShopPlace {
    std::string chain;
    std::int64_t position = 0;
  };

  void restart();
  // Appends a page that arrived (or says why it did not).
  void appendPage(Result<std::vector<store::AuditEntry>> entries, std::vector<ShopPlace> places,
                  const ConsoleAction& reading);
  void fetchShopPage(const ConsoleAction& reading);

  ConsoleSession& m_session;
  store::AuditQuery m_filter;
  Scope m_scope = Scope::Workstation;
  std::vector<store::AuditEntry> m_entries;
  std::vector<ShopPlace> m_places; // parallel to m_entries in the shop scope
  quint64 m_generation = 0;
  bool m_fetching = false;
  bool m_exhausted = false;
  bool m_loaded = false;
};

} // namespace opflow::ui
