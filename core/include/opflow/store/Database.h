// Database: one SQLite connection with RAII handles, cached prepared statements and a
// transaction guard. Every connection runs in WAL mode with foreign keys on; the
// synchronous level is NORMAL unless the options ask for FULL.
// Thread-safety: a connection is used by one thread at a time (the writer thread owns
// the write connection; readers take their own from a ReaderPool).
#pragma once

#include "opflow/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace opflow::store {

// How a connection's commits reach the disk (PRAGMA synchronous): Normal, a commit survives
// a crash of the process and the WAL is synced at each checkpoint; Full, each commit is
// synced; Unsynced, nothing is, which only a file being built beside its place may use
// (a demo shop, moved into place once it is whole: a crash loses that file only).
enum class Durability { Normal, Full, Unsynced };

struct DatabaseOptions {
  std::string path;
  bool readOnly = false;
  bool create = true; // create the file when missing (ignored when readOnly)
  Durability durability = Durability::Normal;
  int busyTimeoutMs = 5000;
  // The time the changes written through this connection carry (UTC ms); empty: the
  // system clock. A simulation (the demo shop's history) runs the store on its own clock.
  std::function<std::int64_t()> clockMs;
};

// One prepared statement. Binding indexes are 1-based, column indexes 0-based (as in SQLite).
class Statement {
public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text); // copied by SQLite
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bindNull(int index);
  // Binds the text, or NULL when empty.
  Statement& bindOptional(int index, std::string_view text);

  // Advances to the next row: true when a row is there, false when done.
  [[nodiscard]] Result<bool> step();
  // Runs a statement that returns no rows to its end.
  [[nodiscard]] Status run();

  [[nodiscard]] int columnCount() const;
  [[nodiscard]] bool isNull(int column) const;
  [[nodiscard]] std::int64_t int64(int column) const;
  [[nodiscard]] double real(int column) const;
  [[nodiscard]] std::string text(int column) const; // "" for NULL
  [[nodiscard]] std::string_view textView(int column) const; // valid until the next step/reset

  // Clears bindings and rewinds, ready for the next use.
  void reset();

private:
  [[nodiscard]] Error error(const char* what) const;

  sqlite3* m_db;
  sqlite3_stmt* m_stmt;
};

// A cached statement borrowed from a Database: reset and unbound when the lease ends.
class StatementLease {
public:
  explicit StatementLease(Statement& statement) : m_statement(&statement) {}
  StatementLease(StatementLease&& other) noexcept : m_statement(std::exchange(other.m_statement, nullptr)) {}
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease() {
    if (m_statement) {
      m_statement->reset();
    }
  }

  Statement* operator->() const { return m_statement; }
  Statement& operator*() const { return *m_statement; }

private:
  Statement* m_statement;
};

class Database {
public:
  // Opens (and for writers creates) the file, applies WAL, foreign keys, synchronous and
  // the busy timeout. A missing file for a reader, or an unreadable one, is an Io error
  // that names the path.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that return no rows.
  [[nodiscard]] Status exec(std::string_view sql);
  // A cached prepared statement for this SQL text (prepared once per connection). The SQL
  // must be a compile-time constant in practice: the cache is keyed by its text.
  [[nodiscard]] Result<StatementLease> prepare(std::string_view sql);
  // A one-off statement, not cached (for dynamic SQL such as IN lists).
  [[nodiscard]] Result<std::unique_ptr<Statement>> prepareUncached(std::string_view sql);

  [[nodiscard]] std::int64_t lastInsertRowId() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] const DatabaseOptions& options() const { return m_options; }
  // Now, by this connection's clock (see DatabaseOptions::clockMs).
  [[nodiscard]] std::int64_t nowMs() const;
  [[nodiscard]] sqlite3* handle() const { return m_db; }

private:
  Database(sqlite3* db, DatabaseOptions options) : m_db(db), m_options(std::move(options)) {}

  sqlite3* m_db;
  DatabaseOptions m_options;
  std::unordered_map<std::string, std::unique_ptr<Statement>> m_cache;
};

// Transaction guard: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless
// commit() succeeded. Savepoints nest inside it with the same rule.
class Transaction {
public:
  enum class Kind { Deferred, Immediate };
  [[nodiscard]] static Result<Transaction> begin(Database& db, Kind kind = Kind::Immediate);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  [[nodiscard]] Status commit();

private:
  explicit Transaction(Database& db) : m_db(&db) {}
  Database* m_db;
  bool m_open = true;
};

class Savepoint {
public:
  [[nodiscard]] static Result<Savepoint> begin(Database& db, std::string name);
  Savepoint(Savepoint&& other) noexcept;
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();

  [[nodiscard]] Status release();

private:
  Savepoint(Database& db, std::string name) : m_db(&db), m_name(std::move(name)) {}
  Database* m_db;
  std::string m_name;
  bool m_open = true;
};

// Runs the cached `sql` with `keys` bound to its parameters in order, and reads its first
// row with `read(const Statement&)`; nullopt when there is no row.
template <typename Read, typename... Keys>
[[nodiscard]] auto selectOne(Database& db, std::string_view sql, Read&& read, const Keys&... keys)
    -> Result<std::optional<std::invoke_result_t<Read, const Statement&>>> {
  using Row = std::invoke_result_t<Read, const Statement&>;
  auto statement = db.prepare(sql);
  if (!statement) {
    return statement.error();
  }
  int index = 1;
  ((*statement)->bind(index++, keys), ...);
  auto row = (*statement)->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<Row>();
  }
  return std::optional<Row>(read(static_cast<const Statement&>(**statement)));
}

// The system's current time as UTC milliseconds since the epoch: the unit of every stored
// time. Changes take theirs from Database::nowMs(), which a simulation may set.
[[nodiscard]] std::int64_t nowMs();

} // namespace opflow::store
