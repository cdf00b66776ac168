// opflow: the console. Loads the shipped handlers and operations, then shows the main
// window, or with --screenshot FILE renders it to a PNG and exits.
#include "opflow/builtin/Builtin.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/ui/MainWindow.h"
#include "opflow/ui/Screenshot.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

namespace {

void printError(const QString& message) { std::fprintf(stderr, "opflow: %s\n", qPrintable(message)); }

} // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("opflow"));
  QApplication::setOrganizationName(QStringLiteral("Opflow"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Opflow: the operator console."));
  parser.addHelpOption();
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Render the main window to a PNG <file> and exit."),
                                      QStringLiteral("file"));
  parser.addOption(screenshot);
  parser.process(app);

  opflow::engine::HandlerRegistry registry;
  if (auto status = opflow::builtin::registerHandlers(registry); !status) {
    printError(QString::fromStdString(status.error().describe()));
    return 1;
  }
  opflow::engine::OperationCatalog catalog(registry);
  if (auto status = opflow::builtin::loadDefinitions(catalog); !status) {
    printError(QString::fromStdString(status.error().describe()));
    return 1;
  }

  opflow::ui::MainWindow window(catalog);
  if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    if (!opflow::ui::renderToPng(window, path)) {
      printError(QStringLiteral("could not save the screenshot to %1").arg(path));
      return 1;
    }
    return 0;
  }
  window.show();
  return QApplication::exec();
}
