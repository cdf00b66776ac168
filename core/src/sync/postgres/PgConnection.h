// PgConnection: one libpq connection to a PostgreSQL server, and its results, owned (RAII)
// (private to core/sync). Parameters and values travel as text; every failure is an Error:
// Io when the server cannot be reached, the connection broke or the server failed
// (insufficient resources, shutting down), Internal for a statement the server refused.
// Pipeline mode sends many statements before reading any answer; COPY streams rows.
// Thread-safety: one caller at a time; a connection is never shared between threads.
#pragma once

#include "opflow/Result.h"

#include <cstdint>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace opflow::sync::pg {

// A statement's parameters, as text; nothing is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

// The rows a statement returned.
class Rows {
public:
  explicit Rows(pg_result* result);
  ~Rows();
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;

  [[nodiscard]] int size() const;
  [[nodiscard]] bool isNull(int row, int column) const;
  [[nodiscard]] std::string_view text(int row, int column) const;
  [[nodiscard]] std::int64_t int64(int row, int column) const;

private:
  pg_result* m_result = nullptr;
};

// One statement of a pipeline.
struct Pipelined {
  std::string sql;
  Params params;
};

class PgConnection {
public:
  // Connects with a libpq connection string or URL (the password, if any, from libpq's
  // usual places), giving up after `timeout` unless the string says otherwise. `shown` is
  // what errors call the server (never with its password).
  [[nodiscard]] static Result<std::unique_ptr<PgConnection>> connect(const std::string& conninfo, std::string shown,
                                                                     std::chrono::seconds timeout);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs SQL without parameters (several statements allowed).
  [[nodiscard]] Status exec(std::string_view sql);
  // Runs one statement with parameters and returns its rows.
  [[nodiscard]] Result<Rows> query(const std::string& sql, const Params& params = {});
  // Runs `statements` in one pipeline (one round trip) and returns each one's rows.
  [[nodiscard]] Result<std::vector<Rows>> pipeline(const std::vector<Pipelined>& statements);
  // Streams `data` (COPY's text format) into `copySql` ("COPY t (a, b) FROM STDIN").
  [[nodiscard]] Status copyIn(const std::string& copySql, std::string_view data);

  // The socket to wait on for notifications, and those that arrived ("channel" payloads).
  [[nodiscard]] int socket() const;
  [[nodiscard]] Result<std::vector<std::string>> notifications();

  // Whether the connection still stands (false after the server went away).
  [[nodiscard]] bool healthy() const;
  // Connects again when the connection broke (the server restarted, the network dropped);
  // Io when the server still cannot be reached.
  [[nodiscard]] Status reconnectIfBroken();

private:
  PgConnection(pg_conn* connection, std::string shown);
  [[nodiscard]] Status configure();
  // The error of a failed result (or of the connection, when there is no result).
  // An error that says the server is unreachable marks the connection broken.
  [[nodiscard]] Error errorOf(const pg_result* result, std::string_view doing);
  [[nodiscard]] Result<Rows> take(pg_result* result, std::string_view doing);

  pg_conn* m_connection = nullptr;
  std::string m_shown;
  bool m_broken = false; // a write failed: libpq may not have noticed yet
};

// Appends `value` to a line of COPY's text format (backslash, tab, newline and carriage
// return escaped); nothing is \N.
void appendCopyField(std::string& line, const std::optional<std::string_view>& value);

} // namespace opflow::sync::pg
