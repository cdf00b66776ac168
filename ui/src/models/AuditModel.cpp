#include "opflow/ui/models/AuditModel.h"

#include "text/QtText.h"

#include "opflow/store/UtcTime.h"
#include "opflow/sync/SharedAudit.h"
#include "opflow/sync/SyncState.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QDateTime>

#include <algorithm>
#include <chrono>
#include <iterator>

namespace opflow::ui {

AuditModel::AuditModel(ConsoleSession& session, QObject* parent) : QAbstractTableModel(parent), m_session(session) {}

int AuditModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AuditModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const store::AuditEntry& entry = m_entries[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case SeqColumn:
      return QVariant::fromValue<qlonglong>(entry.seq);
    case TimeColumn:
      return QDateTime::fromMSecsSinceEpoch(entry.atMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case UserColumn:
      return qt(entry.user);
    case RoleColumn:
      return qt(entry.role);
    case WorkstationColumn:
      return m_scope == Scope::Shop ? qt(m_places[static_cast<std::size_t>(index.row())].chain)
                                    : qt(entry.workstation);
    case ActionColumn:
      return qt(entry.action);
    case SubjectColumn:
      return entry.subjectId.empty() ? qt(entry.subjectType)
                                     : tr("%1 %2").arg(qt(entry.subjectType), qt(entry.subjectId));
    case OrderColumn:
      return qt(entry.orderNumber);
    case ReasonColumn:
      return qt(entry.reason);
    case CorrelationColumn:
      return qt(entry.correlationId);
    default:
      return {};
    }
  case Qt::ToolTipRole:
    switch (index.column()) {
    case TimeColumn:
      return tr("%1 UTC").arg(qt(store::formatUtcMs(entry.atMs)));
    case ReasonColumn:
      return qt(entry.reason);
    case WorkstationColumn:
      return m_scope == Scope::Shop ? tr("Chain of %1 in the shop; written at host %2")
                                          .arg(qt(m_places[static_cast<std::size_t>(index.row())].chain),
                                               qt(entry.workstation))
                                    : qt(entry.workstation);
    default:
      return tr("Entry #%1 (%2)").arg(entry.seq).arg(qt(entry.id));
    }
  case Qt::TextAlignmentRole:
    return index.column() == SeqColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                       : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  case SeqRole:
    return QVariant::fromValue<qlonglong>(entry.seq);
  case EntryIdRole:
    return qt(entry.id);
  default:
    return {};
  }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case SeqColumn:
    return tr("#");
  case TimeColumn:
    return tr("Time");
  case UserColumn:
    return tr("User");
  case RoleColumn:
    return tr("Role");
  case WorkstationColumn:
    return tr("Workstation");
  case ActionColumn:
    return tr("Action");
  case SubjectColumn:
    return tr("Subject");
  case OrderColumn:
    return tr("Order");
  case ReasonColumn:
    return tr("Reason");
  case CorrelationColumn:
    return tr("Correlation id");
  default:
    return {};
  }
}

bool AuditModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !m_fetching && !m_exhausted;
}

void AuditModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) {
    return;
  }
  m_fetching = true;
  ConsoleAction reading(m_session, "audit.read");
  if (m_scope == Scope::Shop) {
    fetchShopPage(reading);
    return;
  }
  store::AuditQuery page = m_filter;
  page.newestFirst = true;
  page.afterSeq = 0;
  page.beforeSeq = m_entries.empty() ? 0 : m_entries.back().seq;
  page.limit = kPageSize;
  store::AuditReader reader(m_session.host().store(), m_session.host().workstation().users());
  m_session.background().run(
      this,
      [reader, who = m_session.auditReader(reading), page]() mutable -> Result<std::vector<store::AuditEntry>> {
        return reader.list(who, page);
      },
      [this, generation = m_generation, reading](Result<std::vector<store::AuditEntry>> entries) {
        if (generation == m_generation) {
          appendPage(std::move(entries), {}, reading);
        }
      });
}

void AuditModel::fetchShopPage(const ConsoleAction& reading) {
  sync::ShopAuditQuery page{m_filter};
  page.beforePosition = m_places.empty() ? 0 : m_places.back().position;
  page.limit = kPageSize;
  struct Answer {
    Result<std::vector<store::AuditEntry>> entries;
    std::vector<ShopPlace> places;
  };
  store::LocalStore* local = &m_session.host().store();
  store::AuditReader reader(*local, m_session.host().workstation().users());
  m_session.background().run(
      this,
      [local, reader, who = m_session.auditReader(reading), page]() mutable -> Answer {
        auto shop = sync::readShopAudit(*local, reader, who, page, sync::kShopReadTimeout);
        if (!shop) {
          return {shop.error(), {}};
        }
        std::vector<store::AuditEntry> entries;
        std::vector<ShopPlace> places;
        for (sync::ShopAuditEntry& found : *shop) {
          entries.push_back(std::move(found.entry));
          places.push_back({std::move(found.chain), found.position});
        }
        return {std::move(entries), std::move(places)};
      },
      [this, generation = m_generation, reading](Answer answer) {
        if (generation == m_generation) {
          appendPage(std::move(answer.entries), std::move(answer.places), reading);
        }
      });
}

void AuditModel::appendPage(Result<std::vector<store::AuditEntry>> entries, std::vector<ShopPlace> places,
                            const ConsoleAction& reading) {
  if (!entries) {
    m_fetching = false;
    m_exhausted = true;
    m_loaded = true;
    const Error& error = entries.error();
    emit loadFailed(reading.failed(
        error, error.code == ErrorCode::Unavailable
                   ? tr("the shop view is unavailable while the shop cannot be reached (%1); try again when the "
                        "status bar says online")
                         .arg(qt(error.message))
                   : qt(error.describe())));
    return;
  }
  // Still fetching while the rows go in: a view may ask for more from inside the
  // insertion signals, and the next page starts after these rows.
  if (!entries->empty()) {
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(entries->size()) - 1);
    std::move(entries->begin(), entries->end(), std::back_inserter(m_entries));
    std::move(places.begin(), places.end(), std::back_inserter(m_places));
    endInsertRows();
  }
  m_exhausted = entries->size() < kPageSize;
  m_fetching = false;
  m_loaded = true;
  emit pageLoaded();
}

void AuditModel::setFilter(const store::AuditQuery& filter) {
  m_filter = filter;
  restart();
}

void AuditModel::setScope(Scope scope) {
  m_scope = scope;
  restart();
}

void AuditModel::restart() {
  ++m_generation;
  beginResetModel();
  m_entries.clear();
  m_places.clear();
  m_fetching = false;
  m_exhausted = false;
  endResetModel();
  fetchMore({});
}

QString AuditModel::chainAt(int row) const {
  return m_scope == Scope::Shop && row >= 0 && row < rowCount() ? qt(m_places[static_cast<std::size_t>(row)].chain)
                                                                 : QString();
}

int AuditModel::rowOfSeq(std::int64_t seq) const {
  if (m_scope == Scope::Shop) {
    return -1; // many chains: a seq names no one entry
  }
  // Rows are in descending seq order.
  auto found = std::lower_bound(m_entries.begin(), m_entries.end(), seq,
                                [](const store::AuditEntry& entry, std::int64_t value) { return entry.seq > value; });
  return found != m_entries.end() && found->seq == seq ? static_cast<int>(found - m_entries.begin()) : -1;
}

const store::AuditEntry* AuditModel::entryAt(int row) const {
  return row >= 0 && row < rowCount() ? &m_entries[static_cast<std::size_t>(row)] : nullptr;
}

} // namespace opflow::ui
