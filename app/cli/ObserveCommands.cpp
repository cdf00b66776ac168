#include "ObserveCommands.h"

#include "Output.h"

#include "opflow/AtomicFile.h"
#include "opflow/observe/JournalMetrics.h"
#include "opflow/observe/Log.h"
#include "opflow/observe/Traces.h"
#include "opflow/store/Database.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

namespace opflow::cli {

namespace {

// Reads a time option's text into `into` (nothing when the text is empty); false after
// printing why the text is not a time.
bool readTimeOption(const char* option, const std::string& text, std::optional<std::int64_t>& into) {
  if (text.empty()) {
    return true;
  }
  auto parsed = store::parseUtcTime(text);
  if (!parsed) {
    std::cerr << fmt::format("opflow-cli: {}: {}\n", option, parsed.error().message);
    return false;
  }
  into = *parsed;
  return true;
}

struct TraceOptions {
  std::string run;
  std::string correlation;
  std::string since;
  std::string out;
  std::int64_t limit = 20000;
};

int exportTracesCommand(const CliContext& context, const TraceOptions& options) {
  observe::TraceQuery query;
  query.runId = options.run;
  query.correlationId = options.correlation;
  query.runLimit = options.limit;
  if (!readTimeOption("--since", options.since, query.sinceMs)) {
    return kExitUsage;
  }
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  auto traces = observe::exportTraces(*store, query);
  if (!traces) {
    return failed(traces.error());
  }
  Status written = writeFileAtomically(options.out, [&](std::ostream& out) -> Status {
    // Bytes an older build stored that are not UTF-8 come out as U+FFFD, not as an abort.
    out << traces->dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    return {};
  });
  if (!written) {
    return failed(written.error());
  }
  return kExitOk;
}

struct MetricsOptions {
  std::string since;
  std::string until;
  std::string format = "prometheus";
};

int metricsCommand(const CliContext& context, const MetricsOptions& options) {
  observe::MetricsWindow window;
  window.nowMs = store::nowMs();
  std::optional<std::int64_t> since;
  if (!readTimeOption("--since", options.since, since) || !readTimeOption("--until", options.until, window.untilMs)) {
    return kExitUsage;
  }
  window.sinceMs = since.value_or(window.nowMs - 24 * 3600 * 1000);
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  auto families = observe::journalMetrics(*store, window);
  if (!families) {
    return failed(families.error());
  }
  if (options.format == "json") {
    printJson(std::cout, observe::toJson(*families));
  } else {
    std::cout << observe::toPrometheusText(*families);
  }
  return finishOutput(kExitOk);
}

struct LogsOptions {
  std::string correlation;
  std::string run;
  std::string level = "debug";
  std::string format = "json";
};

int logsCommand(const CliContext& context, const LogsOptions& options) {
  observe::LogQuery query{options.correlation, options.run, observe::logLevelFromString(options.level).value()};
  auto lines = observe::readLog(context.databasePath(), query);
  if (!lines) {
    return failed(lines.error());
  }
  for (const Json& line : *lines) {
    std::cout << (options.format == "text" ? observe::logLineText(line) : line.dump()) << '\n';
  }
  return finishOutput(kExitOk);
}

} // namespace

void registerObserveCommands(CLI::App& app, CliContext& context) {
  auto logsOptions = std::make_shared<LogsOptions>();
  CLI::App* logs = app.add_subcommand("logs", "Print the lines of the log beside the database (<db>.log and its "
                                              "rotated files), oldest first");
  logs->add_option("--correlation", logsOptions->correlation, "Only lines of this correlation id");
  logs->add_option("--run", logsOptions->run, "Only lines of this run");
  logs->add_option("--level", logsOptions->level, "Only lines of this level and above")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  logs->add_option("--format", logsOptions->format, "json (the lines as stored) or text")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  logs->callback([&context, logsOptions] { context.exitCode = logsCommand(context, *logsOptions); });

  auto metricsOptions = std::make_shared<MetricsOptions>();
  CLI::App* metrics = app.add_subcommand(
      "metrics", "RED metrics (rate, errors, duration) per operation and node from the journal, and the gauges of now");
  metrics->add_option("--since", metricsOptions->since,
                      "Runs started from this time on (UTC: 2026-11-23T10:00:00Z, 2026-11-23 or ms; default: the "
                      "last 24 hours)");
  metrics->add_option("--until", metricsOptions->until, "Runs started before this time (same forms)");
  metrics->add_option("--format", metricsOptions->format, "prometheus (the text exposition format) or json")
      ->check(CLI::IsMember({"prometheus", "json"}))
      ->capture_default_str();
  metrics->callback([&context, metricsOptions] { context.exitCode = metricsCommand(context, *metricsOptions); });

  CLI::App* traces = app.add_subcommand("traces", "The journal as OpenTelemetry traces");
  traces->require_subcommand(1);
  auto options = std::make_shared<TraceOptions>();
  CLI::App* exporting = traces->add_subcommand(
      "export", "Write the runs of a run's trace, a correlation id, or since a time as OTLP/JSON (one trace per "
                "correlation id; its trace id is the correlation id's hex digits)");
  auto* run = exporting->add_option("--run", options->run, "The trace of this run (its whole correlation id)");
  auto* correlation = exporting->add_option("--correlation", options->correlation, "The runs of this correlation id");
  auto* since = exporting->add_option("--since", options->since,
                                      "Every trace with a run started from this time on (UTC: "
                                      "2026-11-23T10:00:00Z, 2026-11-23 or ms)");
  run->excludes(correlation)->excludes(since);
  correlation->excludes(since);
  exporting->add_option("--limit", options->limit, "At most this many runs")->capture_default_str();
  exporting->add_option("--out", options->out, "Write to this file (atomically)")->required();
  exporting->callback([&context, options] {
    if (options->run.empty() && options->correlation.empty() && options->since.empty()) {
      std::cerr << "opflow-cli: traces export: give --run, --correlation or --since\n";
      context.exitCode = kExitUsage;
      return;
    }
    context.exitCode = exportTracesCommand(context, *options);
  });
}

} // namespace opflow::cli
