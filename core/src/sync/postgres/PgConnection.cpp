#include "PgConnection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>

namespace opflow::sync::pg {

namespace {

// Statements sent before reading their answers: small enough that the answers of one
// round fit in the socket buffers, so neither side waits on the other.
constexpr std::size_t kPipelineRound = 256;

std::string trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Server failures a later attempt may not meet: connection (08), resources (53),
// operator intervention such as a shutdown (57), system errors (58).
bool isUnreachable(std::string_view sqlstate) {
  return sqlstate.empty() || sqlstate.starts_with("08") || sqlstate.starts_with("53") ||
         sqlstate.starts_with("57") || sqlstate.starts_with("58");
}

struct ParamPointers {
  std::vector<const char*> values;
  explicit ParamPointers(const Params& params) {
    values.reserve(params.size());
    for (const auto& param : params) {
      values.push_back(param ? param->c_str() : nullptr);
    }
  }
};

} // namespace

Rows::Rows(pg_result* result) : m_result(result) {}
Rows::~Rows() { PQclear(m_result); }
Rows::Rows(Rows&& other) noexcept : m_result(std::exchange(other.m_result, nullptr)) {}
Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    PQclear(m_result);
    m_result = std::exchange(other.m_result, nullptr);
  }
  return *this;
}
int Rows::size() const { return m_result != nullptr ? PQntuples(m_result) : 0; }
bool Rows::isNull(int row, int column) const { return PQgetisnull(m_result, row, column) != 0; }
std::string_view Rows::text(int row, int column) const {
  return {PQgetvalue(m_result, row, column), static_cast<std::size_t>(PQgetlength(m_result, row, column))};
}
std::int64_t Rows::int64(int row, int column) const {
  const std::string_view value = text(row, column);
  std::int64_t number = 0;
  std::from_chars(value.data(), value.data() + value.size(), number);
  return number;
}

PgConnection::PgConnection(pg_conn* connection, std::string shown)
    : m_connection(connection), m_shown(std::move(shown)) {}

PgConnection::~PgConnection() { PQfinish(m_connection); }

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& conninfo, std::string shown,
                                                           std::chrono::seconds timeout) {
  // Defaults first: what the connection string says wins ("dbname" expands it).
  const std::string seconds = std::to_string(std::max<std::int64_t>(timeout.count(), 1));
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {seconds.c_str(), "opflow", conninfo.c_str(), nullptr};
  pg_conn* connection = PQconnectdbParams(keywords, values, 1);
  if (connection == nullptr) {
    return makeError(ErrorCode::Io, fmt::format("cannot reach {}: out of memory", shown));
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    Error error = makeError(ErrorCode::Io, fmt::format("cannot reach {}: {}", shown, trimmed(PQerrorMessage(connection))));
    PQfinish(connection);
    return error;
  }
  // The server's notices (a shutdown's warning, say) are not printed on the program's
  // standard error: what matters arrives as an error.
  PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
  auto opened = std::unique_ptr<PgConnection>(new PgConnection(connection, std::move(shown)));
  if (Status set = opened->configure(); !set) {
    return set.error();
  }
  return opened;
}

Status PgConnection::configure() {
  // Text is UTF-8 whatever the server's defaults; a workstation that stalls inside a
  // transaction does not hold the shop's feed for long.
  return exec("SET client_encoding = 'UTF8'; SET idle_in_transaction_session_timeout = '60s'");
}

Status PgConnection::reconnectIfBroken() {
  if (healthy()) {
    return {};
  }
  PQreset(m_connection);
  m_broken = PQstatus(m_connection) != CONNECTION_OK;
  if (m_broken) {
    return makeError(ErrorCode::Io, fmt::format("cannot reach {}: {}", m_shown, trimmed(PQerrorMessage(m_connection))));
  }
  return configure();
}

Error PgConnection::errorOf(const pg_result* result, std::string_view doing) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string message = result != nullptr ? trimmed(PQresultErrorMessage(result)) : "";
  if (message.empty()) {
    message = trimmed(PQerrorMessage(m_connection));
  }
  const bool unreachable = PQstatus(m_connection) != CONNECTION_OK || isUnreachable(sqlstate);
  m_broken = m_broken || unreachable;
  return makeError(unreachable ? ErrorCode::Io : ErrorCode::Internal,
                   fmt::format("{} failed {}: {}{}", m_shown, doing, message,
                               sqlstate.empty() ? "" : fmt::format(" (SQLSTATE {})", sqlstate)));
}

Result<Rows> PgConnection::take(pg_result* result, std::string_view doing) {
  Rows rows(result);
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return rows;
  }
  return errorOf(result, doing);
}

Status PgConnection::exec(std::string_view sql) {
  const std::string text(sql);
  auto rows = take(PQexec(m_connection, text.c_str()), "running a statement");
  if (!rows) {
    return rows.error();
  }
  return {};
}

Result<Rows> PgConnection::query(const std::string& sql, const Params& params) {
  const ParamPointers pointers(params);
  return take(PQexecParams(m_connection, sql.c_str(), static_cast<int>(params.size()), nullptr,
                           pointers.values.data(), nullptr, nullptr, 0),
              "running a statement");
}

Result<std::vector<Rows>> PgConnection::pipeline(const std::vector<Pipelined>& statements) {
  std::vector<Rows> answers;
  answers.reserve(statements.size());
  if (PQenterPipelineMode(m_connection) != 1) {
    return errorOf(nullptr, "entering pipeline mode");
  }
  std::optional<Error> failure;
  for (std::size_t first = 0; first < statements.size(); first += kPipelineRound) {
    const std::size_t last = std::min(statements.size(), first + kPipelineRound);
    bool sent = true;
    for (std::size_t i = first; i < last && sent; ++i) {
      const ParamPointers pointers(statements[i].params);
      sent = PQsendQueryParams(m_connection, statements[i].sql.c_str(), static_cast<int>(statements[i].params.size()),
                               nullptr, pointers.values.data(), nullptr, nullptr, 0) == 1;
    }
    if (!sent || PQpipelineSync(m_connection) != 1) {
      failure = errorOf(nullptr, "sending a pipeline");
      break;
    }
    // Each statement's result, then the null that ends it; then the round's sync.
    for (std::size_t i = first; i < last; ++i) {
      pg_result* result = PQgetResult(m_connection);
      if (result == nullptr) {
        failure = errorOf(nullptr, "reading a pipeline");
        break;
      }
      auto rows = take(result, "in a pipeline");
      if (!rows && !failure) {
        failure = rows.error();
      } else if (rows) {
        answers.push_back(std::move(*rows));
      }
      while (pg_result* rest = PQgetResult(m_connection)) {
        PQclear(rest);
      }
    }
    if (failure && PQstatus(m_connection) != CONNECTION_OK) {
      break;
    }
    pg_result* sync = PQgetResult(m_connection);
    const bool synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
    if (!synced && !failure) {
      failure = errorOf(nullptr, "ending a pipeline");
    }
    if (failure) {
      break;
    }
  }
  if (PQstatus(m_connection) == CONNECTION_OK && PQexitPipelineMode(m_connection) != 1 && !failure) {
    failure = errorOf(nullptr, "leaving pipeline mode");
  }
  if (failure) {
    return *failure;
  }
  return answers;
}

Status PgConnection::copyIn(const std::string& copySql, std::string_view data) {
  pg_result* started = PQexec(m_connection, copySql.c_str());
  if (started == nullptr || PQresultStatus(started) != PGRES_COPY_IN) {
    auto failed = take(started, "starting a COPY");
    return failed ? makeError(ErrorCode::Internal, fmt::format("{} did not start a COPY", copySql)) : failed.error();
  }
  PQclear(started);
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < data.size(); at += kChunk) {
    const std::size_t size = std::min(kChunk, data.size() - at);
    if (PQputCopyData(m_connection, data.data() + at, static_cast<int>(size)) != 1) {
      return errorOf(nullptr, "streaming a COPY");
    }
  }
  if (PQputCopyEnd(m_connection, nullptr) != 1) {
    return errorOf(nullptr, "ending a COPY");
  }
  Status outcome;
  while (pg_result* result = PQgetResult(m_connection)) {
    auto rows = take(result, "copying rows");
    if (!rows && outcome) {
      outcome = rows.error();
    }
  }
  return outcome;
}

int PgConnection::socket() const { return PQsocket(m_connection); }

Result<std::vector<std::string>> PgConnection::notifications() {
  if (PQconsumeInput(m_connection) != 1) {
    return errorOf(nullptr, "reading notifications");
  }
  std::vector<std::string> arrived;
  while (PGnotify* notify = PQnotifies(m_connection)) {
    arrived.emplace_back(notify->extra != nullptr ? notify->extra : "");
    PQfreemem(notify);
  }
  return arrived;
}

bool PgConnection::healthy() const { return !m_broken && PQstatus(m_connection) == CONNECTION_OK; }

void appendCopyField(std::string& line, const std::optional<std::string_view>& value) {
  if (!value) {
    line += "\\N";
    return;
  }
  for (const char c : *value) {
    switch (c) {
    case '\\': line += "\\\\"; break;
    case '\t': line += "\\t"; break;
    case '\n': line += "\\n"; break;
    case '\r': line += "\\r"; break;
    default: line += c;
    }
  }
}

} // namespace opflow::sync::pg
