// Order lists: keyset pages over the covering indexes of OrdersSchema.cpp, in both
// directions, never OFFSET.
//
// A list has a display order (newest first; priority then newest; or a search's number
// matches then customer matches). A page is read Forward (in display order) from just
// after a position, or Backward (against it, the same index read the other way) from just
// before one, always limit + 1 rows: the extra row says whether more remain that way.
// A backward page is turned round into display order. Whether rows lie on the page's
// other side is asked with a one-row read that way, so both cursors are exact.
// A backward read that finds fewer than a page's worth has reached the list's start: the
// answer is then the first page, so pages stay full and the first page is always the same.
//
// Cursors are opaque to callers but plain inside: the key of a page's first or last row,
// tagged with the list shape it belongs to, so a cursor from another shape is refused:
//   N.<created_at>.<id>                 newest first
//   P.<priority>.<created_at>.<id>      priority, newest first
//   S.<phase>.<hex key>.<id>            search (phase 0: numbers, key = number;
//                                       phase 1: customers, key = customer name)
// Several statuses are one index range per status, read in one snapshot and merged here.
#include "OrderListing.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace opflow::store::detail {

namespace {

using domain::OrderStatus;

constexpr std::size_t kMaxLimit = 1000;
constexpr std::int64_t kHighest = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kLowest = std::numeric_limits<std::int64_t>::min();

enum class Direction {
  Forward,  // in display order
  Backward, // against it
};

Direction opposite(Direction direction) {
  return direction == Direction::Forward ? Direction::Backward : Direction::Forward;
}

// Columns: id, number, status, customer, priority, price_cents, created_at, updated_at, version.
constexpr const char* kSummaryColumns =
    "id, number, status, customer, priority, price_cents, created_at, updated_at, version";

OrderSummary readSummary(const Statement& row) {
  OrderSummary summary;
  summary.id = row.int64(0);
  summary.number = row.text(1);
  auto status = domain::parseOrderStatus(row.textView(2));
  summary.status = status ? *status : OrderStatus::Initiated;
  summary.customer = row.text(3);
  summary.priority = static_cast<int>(row.int64(4));
  if (!row.isNull(5)) {
    summary.priceCents = row.int64(5);
  }
  summary.createdAtMs = row.int64(6);
  summary.updatedAtMs = row.int64(7);
  summary.version = row.int64(8);
  return summary;
}

Status appendRows(Statement& statement, std::vector<OrderSummary>& rows) {
  while (true) {
    auto row = statement.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
    rows.push_back(readSummary(statement));
  }
}

// ---- cursors ---------------------------------------------------------------------------

// A position in a list: a row's key (reads start just after or before it), or one of the
// list's ends (the key values below every row's, or above).
struct Cursor {
  char kind = 0; // 'N', 'P', 'S'
  std::int64_t priority = 0;
  std::int64_t createdAtMs = 0;
  std::int64_t id = 0;
  int phase = 0;
  std::string key;
  bool pastTheEnd = false; // search: after the last customer match (never formatted)
};

std::string toHex(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(text.size() * 2);
  for (unsigned char c : text) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

std::optional<std::string> fromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string text;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || end != hex.data() + i + 2) {
      return std::nullopt;
    }
    text += static_cast<char>(value);
  }
  return text;
}

std::optional<std::int64_t> toInt(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty()) {
    return std::nullopt;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

Result<Cursor> parseCursor(std::string_view text, char expectedKind) {
  auto malformed = [&] {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("malformed cursor \"{}\": pass the cursor a page gave unchanged", text));
  };
  std::vector<std::string_view> parts = split(text);
  if (parts.empty() || parts[0].size() != 1) {
    return malformed();
  }
  Cursor cursor;
  cursor.kind = parts[0][0];
  if (cursor.kind == 'N' && parts.size() == 3) {
    auto created = toInt(parts[1]);
    auto id = toInt(parts[2]);
    if (!created || !id) {
      return malformed();
    }
    cursor.createdAtMs = *created;
    cursor.id = *id;
  } else if (cursor.kind == 'P' && parts.size() == 4) {
    auto priority = toInt(parts[1]);
    auto created = toInt(parts[2]);
    auto id = toInt(parts[3]);
    if (!priority || !created || !id) {
      return malformed();
    }
    cursor.priority = *priority;
    cursor.createdAtMs = *created;
    cursor.id = *id;
  } else if (cursor.kind == 'S' && parts.size() == 4) {
    auto phase = toInt(parts[1]);
    auto key = fromHex(parts[2]);
    auto id = toInt(parts[3]);
    if (!phase || (*phase != 0 && *phase != 1) || !key || !id) {
      return malformed();
    }
    cursor.phase = static_cast<int>(*phase);
    cursor.key = std::move(*key);
    cursor.id = *id;
  } else {
    return malformed();
  }
  if (cursor.kind != expectedKind) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("cursor \"{}\" belongs to another list (sort or search changed): start from the "
                                 "first page",
                                 text));
  }
  return cursor;
}

std::string formatCursor(const Cursor& cursor) {
  switch (cursor.kind) {
  case 'N':
    return fmt::format("N.{}.{}", cursor.createdAtMs, cursor.id);
  case 'P':
    return fmt::format("P.{}.{}.{}", cursor.priority, cursor.createdAtMs, cursor.id);
  default:
    return fmt::format("S.{}.{}.{}", cursor.phase, toHex(cursor.key), cursor.id);
  }
}

// ---- sorted lists ----------------------------------------------------------------------

// The keyset query of one sorted list shape, read one way over its covering index.
// Parameters: ?1 created_at, ?2 id, ?3 priority (the row's key), ?4 limit, ?5 status.
const std::string& sortedSql(OrderSort sort, bool byStatus, Direction direction) {
  static const std::array<std::string, 8> all = [] {
    std::array<std::string, 8> sql;
    for (std::size_t shape = 0; shape < sql.size(); ++shape) {
      const bool byPriority = (shape & 4) != 0;
      const bool oneStatus = (shape & 2) != 0;
      const bool backward = (shape & 1) != 0;
      const char* order = backward ? "ASC" : "DESC";
      sql[shape] = fmt::format(
          "SELECT {} FROM orders INDEXED BY orders_{}{} WHERE {}({}) {} ({}) ORDER BY {}created_at {}, id {} LIMIT ?4",
          kSummaryColumns, oneStatus ? "status_" : "", byPriority ? "priority" : "newest",
          oneStatus ? "status = ?5 AND " : "", byPriority ? "priority, created_at, id" : "created_at, id",
          backward ? ">" : "<", byPriority ? "?3, ?1, ?2" : "?1, ?2",
          byPriority ? fmt::format("priority {}, ", order) : std::string(), order, order);
    }
    return sql;
  }();
  return all[(sort == OrderSort::Priority ? 4 : 0) + (byStatus ? 2 : 0) + (direction == Direction::Backward ? 1 : 0)];
}

// Whether `a` comes before `b` in display order.
bool displayedBefore(const OrderSummary& a, const OrderSummary& b, OrderSort sort) {
  if (sort == OrderSort::Priority && a.priority != b.priority) {
    return a.priority > b.priority;
  }
  if (a.createdAtMs != b.createdAtMs) {
    return a.createdAtMs > b.createdAtMs;
  }
  return a.id > b.id;
}

// One keyset range: every status (status empty) or one.
Status sortedRange(Database& db, OrderSort sort, Direction direction, const Cursor& from,
                   std::optional<OrderStatus> status, std::int64_t limit, std::vector<OrderSummary>& rows) {
  auto select = db.prepare(sortedSql(sort, status.has_value(), direction));
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, from.createdAtMs).bind(2, from.id).bind(3, from.priority).bind(4, limit);
  if (status) {
    (*select)->bind(5, domain::toString(*status));
  }
  return appendRows(**select, rows);
}

// ---- searches --------------------------------------------------------------------------

// The lower and upper bound of a case-insensitive prefix range (NOCASE folds ASCII).
std::pair<std::string, std::string> prefixRange(std::string prefix) {
  for (char& c : prefix) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string upper = prefix;
  while (!upper.empty() && static_cast<unsigned char>(upper.back()) == 0xFF) {
    upper.pop_back();
  }
  if (upper.empty()) {
    return {prefix, std::string("\xF4\x90", 2)};
  }
  upper.back() = static_cast<char>(upper.back() + 1);
  return {prefix, upper};
}

// Whether `text` starts with `prefix`, ASCII letters compared without case (as NOCASE does).
bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string statusFilter(const std::vector<OrderStatus>& statuses) {
  std::string filter;
  for (OrderStatus status : statuses) {
    filter += fmt::format("|{}|", domain::toString(status));
  }
  return filter;
}

// Parameters: ?1 ?2 the prefix range, ?4 the search text, ?5 (?6) the key (and id) to
// start after or before, ?6 / ?7 the status filter, ?7 / ?8 the limit.
constexpr const char* kNumberSearchSql =
    "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
    "WHERE number >= ?1 AND number < ?2 AND substr(number, 1, length(?4)) = ?4 COLLATE NOCASE AND number > ?5 "
    "AND (?6 IS NULL OR instr(?6, '|' || status || '|') > 0) ORDER BY number LIMIT ?7";
constexpr const char* kNumberSearchBackwardSql =
    "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
    "WHERE number >= ?1 AND number < ?2 AND substr(number, 1, length(?4)) = ?4 COLLATE NOCASE AND number < ?5 "
    "AND (?6 IS NULL OR instr(?6, '|' || status || '|') > 0) ORDER BY number DESC LIMIT ?7";
constexpr const char* kCustomerSearchSql =
    "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
    "INDEXED BY orders_customer "
    "WHERE customer >= ?1 AND customer < ?2 AND substr(customer, 1, length(?4)) = ?4 COLLATE NOCASE "
    "AND (customer, id) > (?5, ?6) AND NOT (substr(number, 1, length(?4)) = ?4 COLLATE NOCASE) "
    "AND (?7 IS NULL OR instr(?7, '|' || status || '|') > 0) ORDER BY customer, id LIMIT ?8";
constexpr const char* kCustomerSearchBackwardSql =
    "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
    "INDEXED BY orders_customer "
    "WHERE customer >= ?1 AND customer < ?2 AND substr(customer, 1, length(?4)) = ?4 COLLATE NOCASE "
    "AND (customer, id) < (?5, ?6) AND NOT (substr(number, 1, length(?4)) = ?4 COLLATE NOCASE) "
    "AND (?7 IS NULL OR instr(?7, '|' || status || '|') > 0) ORDER BY customer DESC, id DESC LIMIT ?8";

// One phase of a search (0: number matches, 1: customer matches), read one way from `from`.
Status searchRange(Database& db, const std::string& text, const std::string& filter, int phase, Direction direction,
                   const Cursor& from, std::int64_t limit, std::vector<OrderSummary>& rows) {
  auto [lower, upper] = prefixRange(text);
  const bool forward = direction == Direction::Forward;
  auto select = db.prepare(phase == 0 ? (forward ? kNumberSearchSql : kNumberSearchBackwardSql)
                                      : (forward ? kCustomerSearchSql : kCustomerSearchBackwardSql));
  if (!select) {
    return select.error();
  }
  Statement& statement = **select;
  statement.bind(1, lower).bind(2, upper).bind(4, text);
  statement.bind(5, from.pastTheEnd ? upper : from.key);
  if (phase == 0) {
    statement.bindOptional(6, filter).bind(7, limit);
  } else {
    statement.bind(6, from.pastTheEnd ? kHighest : from.id).bindOptional(7, filter).bind(8, limit);
  }
  return appendRows(statement, rows);
}

// ---- list shapes -----------------------------------------------------------------------

// What a query lists (its sort or search and its statuses), and how its rows are read.
class ListShape {
public:
  ListShape(const OrderQuery& query, std::vector<OrderStatus> statuses)
      : m_sort(query.sort), m_search(query.search), m_statuses(std::move(statuses)),
        m_filter(statusFilter(m_statuses)) {}

  [[nodiscard]] char kind() const {
    if (!m_search.empty()) {
      return 'S';
    }
    return m_sort == OrderSort::Newest ? 'N' : 'P';
  }

  // Before the first row (where a forward read of the first page starts).
  [[nodiscard]] Cursor start() const {
    if (kind() == 'S') {
      return Cursor{'S', 0, 0, 0, 0, {}, false}; // before the first number match
    }
    return Cursor{kind(), kHighest, kHighest, kHighest, 0, {}, false};
  }

  // After the last row (where a backward read of the last page starts).
  [[nodiscard]] Cursor end() const {
    if (kind() == 'S') {
      return Cursor{'S', 0, 0, 0, 1, {}, true};
    }
    return Cursor{kind(), kLowest, kLowest, kLowest, 0, {}, false};
  }

  // The position of a row of this list.
  [[nodiscard]] Cursor positionOf(const OrderSummary& row) const {
    if (kind() != 'S') {
      return Cursor{kind(), row.priority, row.createdAtMs, row.id, 0, {}, false};
    }
    const bool numberMatch = startsWithIgnoringCase(row.number, m_search);
    return Cursor{'S', 0, 0, row.id, numberMatch ? 0 : 1, numberMatch ? row.number : row.customer, false};
  }

  // Up to `count` rows just after (Forward) or before (Backward) `from`, in reading order.
  Status read(Database& db, Direction direction, const Cursor& from, std::int64_t count,
              std::vector<OrderSummary>& rows) const {
    return kind() == 'S' ? readSearch(db, direction, from, count, rows) : readSorted(db, direction, from, count, rows);
  }

private:
  Status readSorted(Database& db, Direction direction, const Cursor& from, std::int64_t count,
                    std::vector<OrderSummary>& rows) const {
    if (m_statuses.empty()) {
      return sortedRange(db, m_sort, direction, from, std::nullopt, count, rows);
    }
    for (OrderStatus status : m_statuses) {
      if (Status read = sortedRange(db, m_sort, direction, from, status, count, rows); !read) {
        return read;
      }
    }
    std::sort(rows.begin(), rows.end(), [&](const OrderSummary& a, const OrderSummary& b) {
      return direction == Direction::Forward ? displayedBefore(a, b, m_sort) : displayedBefore(b, a, m_sort);
    });
    rows.resize(std::min(rows.size(), static_cast<std::size_t>(count)));
    return {};
  }

  // Number matches come first, customer matches after them: a read crosses from one
  // phase into the other when the first runs out.
  Status readSearch(Database& db, Direction direction, const Cursor& from, std::int64_t count,
                    std::vector<OrderSummary>& rows) const {
    const int firstPhase = direction == Direction::Forward ? 0 : 1;
    Cursor position = from;
    if (position.phase == firstPhase) {
      if (Status read = searchRange(db, m_search, m_filter, firstPhase, direction, position, count, rows); !read) {
        return read;
      }
      if (static_cast<std::int64_t>(rows.size()) >= count) {
        return {};
      }
      // The other phase, from its edge on this side.
      position = direction == Direction::Forward ? Cursor{'S', 0, 0, 0, 1, {}, false}
                                                 : Cursor{'S', 0, 0, 0, 0, {}, true};
    }
    return searchRange(db, m_search, m_filter, 1 - firstPhase, direction, position,
                       count - static_cast<std::int64_t>(rows.size()), rows);
  }

  OrderSort m_sort;
  std::string m_search;
  std::vector<OrderStatus> m_statuses;
  std::string m_filter;
};

// The cursor of `from` when rows lie beyond it going `direction` (a one-row read), else empty.
Result<std::string> cursorIfRowsBeyond(Database& db, const ListShape& shape, Direction direction, const Cursor& from) {
  std::vector<OrderSummary> probe;
  if (Status read = shape.read(db, direction, from, 1, probe); !read) {
    return read.error();
  }
  return probe.empty() ? std::string() : formatCursor(from);
}

// The page read `direction` from `from`; `fromAnEnd`: `from` is the list's start or end, so
// nothing lies behind the page's near edge.
Result<OrderPage> readPage(Database& db, const ListShape& shape, std::size_t limit, Direction direction,
                           const Cursor& from, bool fromAnEnd) {
  std::vector<OrderSummary> rows;
  if (Status read = shape.read(db, direction, from, static_cast<std::int64_t>(limit) + 1, rows); !read) {
    return read.error();
  }
  const bool more = rows.size() > limit;
  if (direction == Direction::Backward && !more) {
    // The list's start is reached: the first page.
    return readPage(db, shape, limit, Direction::Forward, shape.start(), true);
  }
  rows.resize(std::min(rows.size(), limit));
  // The page's far edge (where the read stopped) has rows beyond it when more were seen;
  // its near edge (where the read began) when the read did not begin at an end and a
  // one-row read the other way finds one.
  const Cursor nearEdge = rows.empty() ? from : shape.positionOf(rows.front());
  std::string beyondFarEdge = more ? formatCursor(shape.positionOf(rows.back())) : std::string();
  std::string beyondNearEdge;
  if (!fromAnEnd) {
    auto probed = cursorIfRowsBeyond(db, shape, opposite(direction), nearEdge);
    if (!probed) {
      return probed.error();
    }
    beyondNearEdge = std::move(*probed);
  }
  if (direction == Direction::Backward) {
    std::reverse(rows.begin(), rows.end());
  }
  OrderPage page;
  const bool forward = direction == Direction::Forward;
  page.nextCursor = forward ? std::move(beyondFarEdge) : std::move(beyondNearEdge);
  page.previousCursor = forward ? std::move(beyondNearEdge) : std::move(beyondFarEdge);
  page.orders = std::move(rows);
  return page;
}

} // namespace

Result<OrderPage> readOrderPage(Database& db, const OrderQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("limit {} is out of range: use 1 to {}", query.limit, kMaxLimit));
  }
  const int pagesAsked = (query.after.empty() ? 0 : 1) + (query.before.empty() ? 0 : 1) + (query.last ? 1 : 0);
  if (pagesAsked > 1) {
    return makeError(ErrorCode::InvalidArgument,
                     "ask for one page: the one after a cursor, the one before a cursor, or the last");
  }
  std::vector<OrderStatus> statuses;
  for (OrderStatus status : query.statuses) {
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) {
      statuses.push_back(status);
    }
  }
  const ListShape shape(query, std::move(statuses));
  const bool backward = query.last || !query.before.empty();
  const std::string& given = backward ? query.before : query.after;
  Cursor from = backward ? shape.end() : shape.start();
  if (!given.empty()) {
    auto parsed = parseCursor(given, shape.kind());
    if (!parsed) {
      return parsed.error();
    }
    from = std::move(*parsed);
  }
  auto snapshot = Transaction::begin(db, Transaction::Kind::Deferred);
  if (!snapshot) {
    return snapshot.error();
  }
  return readPage(db, shape, query.limit, backward ? Direction::Backward : Direction::Forward, from, given.empty());
}

} // namespace opflow::store::detail
