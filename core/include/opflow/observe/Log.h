// Log: Opflow's structured log, on spdlog. A line is a message and its fields (the
// correlation id of the run, sub-run, sync round or console action that caused it, and
// where they apply the run id, operation, node, user, role and workstation), kept as
// fields, never folded into the message. Lines go to a file beside the database as JSON
// lines, rotated by size, and, when asked, to standard error as text a person reads (or
// JSON). Writing never blocks the caller: lines wait in a bounded queue for one logging
// thread, and when the queue is full the oldest waiting line is dropped and counted
// (droppedLogLines). Nothing secret is ever passed in: callers log names and ids, never
// run inputs, passwords, hashes or a database URL's credentials (sync::redactedTarget).
// Before startLogging and after stopLogging, log() does nothing.
// Thread-safety: log, logEnabled and droppedLogLines from any thread; startLogging and
// stopLogging on one thread while no other logs (a program's main, at start and end).
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opflow::observe {

enum class LogLevel { Debug, Info, Warn, Error, Off };
enum class LogFormat { Json, Text };

[[nodiscard]] const char* toString(LogLevel level);
// "debug", "info", "warn", "error" or "off"; InvalidArgument naming the choices otherwise.
[[nodiscard]] Result<LogLevel> logLevelFromString(std::string_view text);
// "json" or "text".
[[nodiscard]] Result<LogFormat> logFormatFromString(std::string_view text);

struct LogOptions {
  std::string filePath;         // JSON lines; empty: no file
  LogLevel level = LogLevel::Info;
  bool toStandardError = false; // also write lines at terminalLevel and above to stderr
  LogLevel terminalLevel = LogLevel::Info;
  LogFormat terminalFormat = LogFormat::Text;
  std::size_t maxFileBytes = 10 * 1024 * 1024; // then the file is rotated
  std::size_t keptFiles = 5;                   // rotated files kept beside it (.1.log is the newest)
  std::size_t queueLines = 8192;               // lines waiting for the logging thread, at most
};

struct LogFields {
  std::string correlationId;
  std::string runId;
  std::string operation;
  std::string node;
  std::string user;
  std::string role;
  std::string workstation;
  Json extra; // further fields: an object, or null
};

// The log file of a database: "<database>.log".
[[nodiscard]] std::string logFileOf(const std::string& databasePath);
// Every file of that log, oldest first: the rotated ones (<database>.N.log, highest N
// first) then the current one; only those that exist.
[[nodiscard]] std::vector<std::string> logFilesOf(const std::string& databasePath);

// Starts (or restarts with new options) the log. Io naming the file when it cannot be
// opened; nothing is logged then.
[[nodiscard]] Status startLogging(const LogOptions& options);
// Writes what waits in the queue, says how many lines were dropped if any were, and
// stops the logging thread.
void stopLogging();

[[nodiscard]] bool logEnabled(LogLevel level);
void log(LogLevel level, std::string_view component, std::string_view message, const LogFields& fields = {});
// Lines dropped because the queue was full, since the log started.
[[nodiscard]] std::uint64_t droppedLogLines();

// A JSON log line as text: "<ts> <level> <component>: <msg>  key=value ...".
[[nodiscard]] std::string logLineText(const Json& line);

struct LogQuery {
  std::string correlationId; // empty: any
  std::string runId;         // empty: any
  LogLevel minimum = LogLevel::Debug;
};

// The lines of a database's log (every file of it, oldest first) that match. A line that
// does not read as JSON (cut short by a crash) is skipped. Io naming the file when one
// cannot be read; no log at all gives no lines.
[[nodiscard]] Result<std::vector<Json>> readLog(const std::string& databasePath, const LogQuery& query);

} // namespace opflow::observe
