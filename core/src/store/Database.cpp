#include "opflow/store/Database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>

namespace opflow::store {

namespace {

Error sqliteError(sqlite3* db, const char* what, std::string_view detail = {}) {
  std::string message = fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory");
  if (!detail.empty()) {
    message += fmt::format(" ({})", detail);
  }
  return makeError(ErrorCode::Io, std::move(message));
}

// Transaction control runs often (a savepoint per writer unit): prepared once, not parsed each time.
Status runCached(Database& db, const std::string& sql) {
  auto statement = db.prepare(sql);
  if (!statement) {
    return statement.error();
  }
  return (*statement)->run();
}

} // namespace

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t Database::nowMs() const { return m_options.clockMs ? m_options.clockMs() : store::nowMs(); }

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::bindNull(int index) {
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

Statement& Statement::bindOptional(int index, std::string_view text) {
  return text.empty() ? bindNull(index) : bind(index, text);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return error("statement failed");
}

Status Statement::run() {
  while (true) {
    auto row = step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
  }
}

int Statement::columnCount() const { return sqlite3_column_count(m_stmt); }

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::text(int column) const { return std::string(textView(column)); }

std::string_view Statement::textView(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
  if (!data) {
    return {};
  }
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

Error Statement::error(const char* what) const {
  const char* sql = sqlite3_sql(m_stmt);
  std::string_view text = sql ? std::string_view(sql) : std::string_view();
  if (text.size() > 80) {
    text = text.substr(0, 80);
  }
  return sqliteError(m_db, what, text);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.readOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  }
  if ((options.readOnly || !options.create) && !std::filesystem::exists(options.path)) {
    return makeError(ErrorCode::NotFound, fmt::format("no database at \"{}\" (run `opflow-cli init` to create one)",
                                                      options.path));
  }
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = sqliteError(handle, "cannot open database", options.path);
    sqlite3_close_v2(handle);
    return error;
  }
  std::unique_ptr<Database> db(new Database(handle, options));
  sqlite3_busy_timeout(handle, options.busyTimeoutMs);
  sqlite3_extended_result_codes(handle, 1);
  if (!options.readOnly) {
    // The -wal and -shm files stay when the last connection closes. A user who may read
    // the database but not write its folder cannot create them, and SQLite reads a WAL
    // database only through them: kept, they let such a user read it any time.
    int persist = 1;
    sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  }
  // Statement journals and sorts stay in memory: on disk each one is a temporary file
  // created and unlinked, several per writer unit.
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";
  if (!options.readOnly) {
    pragmas += "PRAGMA journal_mode = WAL;";
    switch (options.durability) {
    case Durability::Normal: pragmas += "PRAGMA synchronous = NORMAL;"; break;
    case Durability::Full: pragmas += "PRAGMA synchronous = FULL;"; break;
    case Durability::Unsynced: pragmas += "PRAGMA synchronous = OFF;"; break;
    }
  }
  if (Status applied = db->exec(pragmas); !applied) {
    Error error = applied.error();
    error.message = fmt::format("\"{}\" is not a usable database: {}", options.path, error.message);
    return error;
  }
  return db;
}

Database::~Database() {
  m_cache.clear();
  sqlite3_close_v2(m_db);
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string reason = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return makeError(ErrorCode::Io, reason);
  }
  return {};
}

Result<std::unique_ptr<Statement>> Database::prepareUncached(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    return sqliteError(m_db, "cannot prepare statement", sql.substr(0, 80));
  }
  return std::make_unique<Statement>(m_db, stmt);
}

Result<StatementLease> Database::prepare(std::string_view sql) {
  auto found = m_cache.find(std::string(sql));
  if (found == m_cache.end()) {
    auto prepared = prepareUncached(sql);
    if (!prepared) {
      return prepared.error();
    }
    found = m_cache.emplace(std::string(sql), std::move(prepared).value()).first;
  }
  return StatementLease(*found->second);
}

std::int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

Result<Transaction> Transaction::begin(Database& db, Kind kind) {
  if (Status begun = runCached(db, kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN"); !begun) {
    return begun.error();
  }
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db), m_open(other.m_open) {
  other.m_open = false;
}

Transaction::~Transaction() {
  if (m_open) {
    static_cast<void>(runCached(*m_db, "ROLLBACK"));
  }
}

Status Transaction::commit() {
  Status committed = runCached(*m_db, "COMMIT");
  if (committed) {
    m_open = false;
  }
  return committed;
}

Result<Savepoint> Savepoint::begin(Database& db, std::string name) {
  if (Status begun = runCached(db, "SAVEPOINT " + name); !begun) {
    return begun.error();
  }
  return Savepoint(db, std::move(name));
}

Savepoint::Savepoint(Savepoint&& other) noexcept : m_db(other.m_db), m_name(std::move(other.m_name)), m_open(other.m_open) {
  other.m_open = false;
}

Savepoint::~Savepoint() {
  if (m_open) {
    static_cast<void>(runCached(*m_db, "ROLLBACK TO " + m_name));
    static_cast<void>(runCached(*m_db, "RELEASE " + m_name));
  }
}

Status Savepoint::release() {
  Status released = runCached(*m_db, "RELEASE " + m_name);
  if (released) {
    m_open = false;
  }
  return released;
}

} // namespace opflow::store
