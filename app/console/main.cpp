// opflow: the operator console. Opens the workstation database (--db, else the default
// path), signs someone in (a login dialog; --demo signs in the demo shop's supervisor)
// and shows the main window; with --screenshot FILE it renders one view (--view) to a
// PNG once its data is shown, and exits. --operation NAME picks the operation the
// Flowcharts view shows. --log-level and --log-format set the log (<db>.log);
// --metrics-port serves live metrics for Prometheus (loopback unless --metrics-address).
#include "ConsoleFlow.h"

#include "opflow/host/WorkstationHost.h"
#include "opflow/observe/Log.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/bridge/MetricsServer.h"

#include <QApplication>
#include <QCommandLineParser>

#include <unistd.h>

#include <cstdio>

namespace {

// Writes what the log holds when main returns, after the console has closed.
struct LogStopper {
  LogStopper() = default;
  LogStopper(const LogStopper&) = delete;
  LogStopper& operator=(const LogStopper&) = delete;
  ~LogStopper() { opflow::observe::stopLogging(); }
};

int fail(const QString& message) {
  std::fprintf(stderr, "opflow: %s\n", qPrintable(message));
  return 1;
}

} // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("opflow"));
  QApplication::setOrganizationName(QStringLiteral("Opflow"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Opflow: the operator console."));
  parser.addHelpOption();
  const QCommandLineOption db(QStringLiteral("db"),
                              QStringLiteral("The workstation database (default: $OPFLOW_DB, else "
                                             "~/.local/share/opflow/opflow.db)."),
                              QStringLiteral("path"));
  const QCommandLineOption demo(QStringLiteral("demo"),
                                QStringLiteral("Sign in the demo shop's supervisor (opflow-cli init --demo)."));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Render the view to a PNG <file> once its data is shown, "
                                                     "then exit (needs --demo)."),
                                      QStringLiteral("file"));
  const QCommandLineOption view(
      QStringLiteral("view"), QStringLiteral("The view to open: orders, order, runs, audit, operations, flowcharts or "
                                                    "dashboard."),
      QStringLiteral("name"), QStringLiteral("orders"));
  const QCommandLineOption operation(QStringLiteral("operation"),
                                     QStringLiteral("The operation the flowcharts view shows (with --view flowcharts)."),
                                     QStringLiteral("name"));
  const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                    QStringLiteral("Log lines of this <level> and above (debug, info, warn, error, "
                                                   "off) to the log beside the database, <db>.log (JSON lines)."),
                                    QStringLiteral("level"), QStringLiteral("info"));
  const QCommandLineOption logFormat(QStringLiteral("log-format"),
                                     QStringLiteral("Also log to stderr, as json or text (a terminal gets text)."),
                                     QStringLiteral("format"));
  const QCommandLineOption metricsPort(QStringLiteral("metrics-port"),
                                       QStringLiteral("Serve live metrics for Prometheus at "
                                                      "http://127.0.0.1:<port>/metrics."),
                                       QStringLiteral("port"));
  const QCommandLineOption metricsAddress(QStringLiteral("metrics-address"),
                                          QStringLiteral("Serve the metrics on this <address> instead of loopback "
                                                         "(0.0.0.0: every network; needs --metrics-port)."),
                                          QStringLiteral("address"), QStringLiteral("127.0.0.1"));
  parser.addOptions({db, demo, screenshot, view, operation, logLevel, logFormat, metricsPort, metricsAddress});
  parser.process(app);

  const auto shownView = opflow::ui::consoleViewFromName(parser.value(view));
  if (!shownView) {
    return fail(QStringLiteral("no view \"%1\": choose orders, order, runs, audit, operations, flowcharts or dashboard")
                    .arg(parser.value(view)));
  }
  if (parser.isSet(operation) && *shownView != opflow::ui::ConsoleView::Flowcharts) {
    return fail(QStringLiteral("--operation goes with --view flowcharts, not --view %1").arg(parser.value(view)));
  }
  if (parser.isSet(screenshot) && !parser.isSet(demo)) {
    return fail(QStringLiteral("--screenshot needs --demo: nobody is there to type a password"));
  }
  const QString path =
      parser.isSet(db) ? parser.value(db) : QString::fromStdString(opflow::host::defaultDatabasePath());
  auto level = opflow::observe::logLevelFromString(parser.value(logLevel).toStdString());
  if (!level) {
    return fail(QString::fromStdString(level.error().message));
  }
  opflow::observe::LogOptions log{.filePath = opflow::observe::logFileOf(path.toStdString()), .level = *level};
  if (parser.isSet(logFormat)) {
    auto format = opflow::observe::logFormatFromString(parser.value(logFormat).toStdString());
    if (!format) {
      return fail(QString::fromStdString(format.error().message));
    }
    log.terminalFormat = *format;
  }
  log.toStandardError = parser.isSet(logFormat) || isatty(STDERR_FILENO) != 0;
  log.terminalLevel = *level;
  if (opflow::Status started = opflow::observe::startLogging(log); !started) {
    std::fprintf(stderr, "opflow: logging to stderr only: %s\n", started.error().describe().c_str());
    log.filePath.clear();
    log.toStandardError = true;
    static_cast<void>(opflow::observe::startLogging(log));
  }
  const LogStopper logStopper;
  auto session = opflow::ui::ConsoleSession::open({path});
  if (!session) {
    return fail(QString::fromStdString(session.error().describe()));
  }
  if (parser.isSet(operation) && !(*session)->host().catalog().contains(parser.value(operation).toStdString())) {
    return fail(QStringLiteral("no operation \"%1\" in %2 (see: opflow-cli ops list)")
                    .arg(parser.value(operation), path));
  }
  std::unique_ptr<opflow::ui::MetricsServer> metrics;
  if (parser.isSet(metricsAddress) && !parser.isSet(metricsPort)) {
    return fail(QStringLiteral("--metrics-address goes with --metrics-port"));
  }
  if (parser.isSet(metricsPort)) {
    bool isNumber = false;
    const uint port = parser.value(metricsPort).toUInt(&isNumber);
    const QHostAddress address(parser.value(metricsAddress));
    if (!isNumber || port > 65535) {
      return fail(QStringLiteral("--metrics-port: \"%1\" is not a port (0 to 65535)").arg(parser.value(metricsPort)));
    }
    if (address.isNull()) {
      return fail(QStringLiteral("--metrics-address: \"%1\" is not an IP address").arg(parser.value(metricsAddress)));
    }
    opflow::ui::ConsoleSession& served = **session;
    metrics = std::make_unique<opflow::ui::MetricsServer>([&served] { return served.liveMetricsText(); });
    auto listening = metrics->listen(address, static_cast<quint16>(port));
    if (!listening) {
      return fail(QString::fromStdString(listening.error().message));
    }
    opflow::observe::log(opflow::observe::LogLevel::Info, "console", "serving metrics",
                         {.extra = {{"url", QStringLiteral("http://%1:%2/metrics")
                                                .arg(address.toString())
                                                .arg(*listening)
                                                .toStdString()}}});
  }
  (*session)->startEngine();
  (*session)->startSync();

  opflow::console::ConsoleFlow flow(**session, {parser.isSet(demo), *shownView, parser.value(screenshot),
                                                 qEnvironmentVariableIsSet("OPFLOW_FIRST_PAINT_REPORT"),
                                                 parser.value(operation)});
  flow.start();
  return QApplication::exec();
}
