// opflow: the operator console. Opens the workstation database (--db, else the default
// path), signs someone in (a login dialog; --demo signs in the demo shop's supervisor)
// and shows the main window; with --screenshot FILE it renders one view (--view) to a
// PNG once its data is shown, and exits. --operation NAME picks the operation the
// Flowcharts view shows.
#include "ConsoleFlow.h"

#include "opflow/host/WorkstationHost.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

namespace {

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
      QStringLiteral("view"), QStringLiteral("The view to open: orders, order, runs, audit, operations or flowcharts."),
      QStringLiteral("name"), QStringLiteral("orders"));
  const QCommandLineOption operation(QStringLiteral("operation"),
                                     QStringLiteral("The operation the flowcharts view shows (with --view flowcharts)."),
                                     QStringLiteral("name"));
  parser.addOptions({db, demo, screenshot, view, operation});
  parser.process(app);

  const auto shownView = opflow::ui::consoleViewFromName(parser.value(view));
  if (!shownView) {
    return fail(QStringLiteral("no view \"%1\": choose orders, order, runs, audit, operations or flowcharts")
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
  auto session = opflow::ui::ConsoleSession::open({path});
  if (!session) {
    return fail(QString::fromStdString(session.error().describe()));
  }
  if (parser.isSet(operation) && !(*session)->host().catalog().contains(parser.value(operation).toStdString())) {
    return fail(QStringLiteral("no operation \"%1\" in %2 (see: opflow-cli ops list)")
                    .arg(parser.value(operation), path));
  }
  (*session)->startEngine();
  (*session)->startSync();

  opflow::console::ConsoleFlow flow(**session, {parser.isSet(demo), *shownView, parser.value(screenshot),
                                                 qEnvironmentVariableIsSet("OPFLOW_FIRST_PAINT_REPORT"),
                                                 parser.value(operation)});
  flow.start();
  return QApplication::exec();
}
