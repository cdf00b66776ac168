// The log is one spdlog async logger with its own thread pool (a bounded queue,
// overrun_oldest: a full queue drops its oldest line and counts it, the caller never
// waits). A line's payload is the JSON object of its component, message and fields; the
// sinks' formatters turn it into a JSON line (time and level added in front) or text.
// Formatting and writing happen on the logging thread.
#include "opflow/observe/Log.h"

#include "opflow/store/UtcTime.h"

#include <fmt/format.h>
#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

namespace opflow::observe {

namespace {

struct LogState {
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<spdlog::async_logger> logger;
};

std::mutex& stateMutex() {
  static std::mutex mutex;
  return mutex;
}

// The running log; replaced whole under stateMutex, read without it through the atomic
// shared pointer so log() never takes a lock of ours.
std::atomic<std::shared_ptr<LogState>>& current() {
  static std::atomic<std::shared_ptr<LogState>> state;
  return state;
}

// The lowest level any sink writes (Off while stopped): lines below it are dropped with
// one relaxed load, before the shared pointer is touched.
std::atomic<int>& lowestLevel() {
  static std::atomic<int> level{static_cast<int>(LogLevel::Off)};
  return level;
}

spdlog::level::level_enum toSpdlog(LogLevel level) {
  switch (level) {
  case LogLevel::Debug:
    return spdlog::level::debug;
  case LogLevel::Info:
    return spdlog::level::info;
  case LogLevel::Warn:
    return spdlog::level::warn;
  case LogLevel::Error:
    return spdlog::level::err;
  case LogLevel::Off:
    return spdlog::level::off;
  }
  return spdlog::level::off;
}

const char* levelName(spdlog::level::level_enum level) {
  switch (level) {
  case spdlog::level::trace:
  case spdlog::level::debug:
    return "debug";
  case spdlog::level::info:
    return "info";
  case spdlog::level::warn:
    return "warn";
  default:
    return "error";
  }
}

std::string utcTime(spdlog::log_clock::time_point at) {
  return store::formatUtcMs(
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count());
}

// {"ts":"...","level":"info", then the payload's own fields.
class JsonLineFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    fmt::format_to(std::back_inserter(dest), R"({{"ts":"{}","level":"{}",)", utcTime(msg.time), levelName(msg.level));
    dest.append(msg.payload.begin() + 1, msg.payload.end());
    dest.push_back('\n');
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

// "2026-12-07T17:00:00.123Z info  engine: the message  run_id=... operation=..."
class TextLineFormatter final : public spdlog::formatter {
public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    Json line = Json::parse(std::string_view(msg.payload.data(), msg.payload.size()), nullptr, false);
    if (!line.is_object()) {
      return;
    }
    line["ts"] = utcTime(msg.time);
    line["level"] = levelName(msg.level);
    std::string text = logLineText(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextLineFormatter>();
  }
};

std::unique_ptr<spdlog::formatter> formatterFor(LogFormat format) {
  if (format == LogFormat::Json) {
    return std::make_unique<JsonLineFormatter>();
  }
  return std::make_unique<TextLineFormatter>();
}

void addField(Json& line, const char* key, const std::string& value) {
  if (!value.empty()) {
    line[key] = value;
  }
}

std::string payloadOf(std::string_view component, std::string_view message, const LogFields& fields) {
  Json line{{"component", component}, {"msg", message}};
  addField(line, "correlation_id", fields.correlationId);
  addField(line, "run_id", fields.runId);
  addField(line, "operation", fields.operation);
  addField(line, "node", fields.node);
  addField(line, "user", fields.user);
  addField(line, "role", fields.role);
  addField(line, "workstation", fields.workstation);
  if (fields.extra.is_object()) {
    for (const auto& [key, value] : fields.extra.items()) {
      line[key] = value;
    }
  }
  return line.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void stopLocked() {
  lowestLevel().store(static_cast<int>(LogLevel::Off), std::memory_order_relaxed);
  std::shared_ptr<LogState> state = current().exchange(nullptr);
  if (!state) {
    return;
  }
  if (std::size_t dropped = state->pool->overrun_counter(); dropped > 0) {
    const std::string payload = payloadOf(
        "log", fmt::format("{} log lines were dropped: they came faster than they could be written", dropped), {});
    state->logger->log(spdlog::source_loc{}, spdlog::level::warn, spdlog::string_view_t(payload));
  }
  state->logger->flush();
  state->logger.reset();
  state->pool.reset(); // joins the logging thread once the last line is written
}

} // namespace

const char* toString(LogLevel level) {
  switch (level) {
  case LogLevel::Debug:
    return "debug";
  case LogLevel::Info:
    return "info";
  case LogLevel::Warn:
    return "warn";
  case LogLevel::Error:
    return "error";
  case LogLevel::Off:
    return "off";
  }
  return "off";
}

Result<LogLevel> logLevelFromString(std::string_view text) {
  for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error, LogLevel::Off}) {
    if (text == toString(level)) {
      return level;
    }
  }
  return makeError(ErrorCode::InvalidArgument,
                   fmt::format("unknown log level \"{}\": use debug, info, warn, error or off", text));
}

Result<LogFormat> logFormatFromString(std::string_view text) {
  if (text == "json") {
    return LogFormat::Json;
  }
  if (text == "text") {
    return LogFormat::Text;
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown log format \"{}\": use json or text", text));
}

std::string logFileOf(const std::string& databasePath) { return databasePath + ".log"; }

std::vector<std::string> logFilesOf(const std::string& databasePath) {
  std::vector<std::string> files;
  std::error_code ignored;
  for (std::size_t n = 64; n >= 1; --n) {
    std::string rotated = fmt::format("{}.{}.log", databasePath, n);
    if (std::filesystem::exists(rotated, ignored)) {
      files.push_back(rotated);
    }
  }
  if (std::filesystem::exists(logFileOf(databasePath), ignored)) {
    files.push_back(logFileOf(databasePath));
  }
  return files;
}

Status startLogging(const LogOptions& options) {
  std::lock_guard lock(stateMutex());
  stopLocked();
  std::vector<spdlog::sink_ptr> sinks;
  try {
    if (!options.filePath.empty()) {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.filePath, options.maxFileBytes,
                                                                         options.keptFiles);
      file->set_formatter(formatterFor(LogFormat::Json));
      file->set_level(toSpdlog(options.level));
      sinks.push_back(std::move(file));
    }
  } catch (const spdlog::spdlog_ex& failure) {
    return makeError(ErrorCode::Io, fmt::format("cannot open the log file {}: {}", options.filePath, failure.what()));
  }
  if (options.toStandardError) {
    auto terminal = std::make_shared<spdlog::sinks::ansicolor_stderr_sink_mt>(spdlog::color_mode::never);
    terminal->set_formatter(formatterFor(options.terminalFormat));
    terminal->set_level(toSpdlog(std::max(options.level, options.terminalLevel)));
    sinks.push_back(std::move(terminal));
  }
  if (sinks.empty() || options.level == LogLevel::Off) {
    return {};
  }
  auto state = std::make_shared<LogState>();
  state->pool = std::make_shared<spdlog::details::thread_pool>(options.queueLines, 1);
  state->logger = std::make_shared<spdlog::async_logger>("opflow", sinks.begin(), sinks.end(), state->pool,
                                                         spdlog::async_overflow_policy::overrun_oldest);
  LogLevel lowest = options.filePath.empty() ? std::max(options.level, options.terminalLevel) : options.level;
  state->logger->set_level(toSpdlog(lowest));
  state->logger->flush_on(spdlog::level::warn);
  current().store(std::move(state));
  lowestLevel().store(static_cast<int>(lowest), std::memory_order_relaxed);
  return {};
}

void stopLogging() {
  std::lock_guard lock(stateMutex());
  stopLocked();
}

bool logEnabled(LogLevel level) {
  if (static_cast<int>(level) < lowestLevel().load(std::memory_order_relaxed)) {
    return false;
  }
  std::shared_ptr<LogState> state = current().load();
  return state && state->logger->should_log(toSpdlog(level));
}

void log(LogLevel level, std::string_view component, std::string_view message, const LogFields& fields) {
  if (static_cast<int>(level) < lowestLevel().load(std::memory_order_relaxed)) {
    return;
  }
  std::shared_ptr<LogState> state = current().load();
  if (!state || !state->logger->should_log(toSpdlog(level))) {
    return;
  }
  const std::string payload = payloadOf(component, message, fields);
  state->logger->log(spdlog::source_loc{}, toSpdlog(level), spdlog::string_view_t(payload));
}

std::uint64_t droppedLogLines() {
  std::shared_ptr<LogState> state = current().load();
  return state ? state->pool->overrun_counter() : 0;
}

std::string logLineText(const Json& line) {
  auto field = [&](const char* key) { return line.contains(key) && line[key].is_string() ? line[key].get<std::string>() : ""; };
  std::string text = fmt::format("{} {:<5} {}: {}", field("ts"), field("level"), field("component"), field("msg"));
  for (const auto& [key, value] : line.items()) {
    if (key != "ts" && key != "level" && key != "component" && key != "msg") {
      text += fmt::format("  {}={}", key, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  return text;
}

Result<std::vector<Json>> readLog(const std::string& databasePath, const LogQuery& query) {
  std::vector<Json> lines;
  for (const std::string& path : logFilesOf(databasePath)) {
    std::ifstream file(path);
    if (!file) {
      return makeError(ErrorCode::Io, fmt::format("cannot read the log file {}: {}", path, std::strerror(errno)));
    }
    std::string text;
    while (std::getline(file, text)) {
      Json line = Json::parse(text, nullptr, false);
      if (!line.is_object()) {
        continue;
      }
      auto level = logLevelFromString(line.value("level", ""));
      if (!level || *level < query.minimum) {
        continue;
      }
      if ((!query.correlationId.empty() && line.value("correlation_id", "") != query.correlationId) ||
          (!query.runId.empty() && line.value("run_id", "") != query.runId)) {
        continue;
      }
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

} // namespace opflow::observe
