// Runs every suite registered with OPFLOW_UI_TEST, offscreen unless QT_QPA_PLATFORM says
// otherwise; fails if any of them fails.
#include "UiTestSupport.h"

#include <QApplication>
#include <QTest>

int main(int argc, char* argv[]) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  int failures = 0;
  for (const opflow::uitest::SuiteFactory& factory : opflow::uitest::suites()) {
    std::unique_ptr<QObject> suite = factory();
    failures += QTest::qExec(suite.get(), argc, argv);
  }
  return failures == 0 ? 0 : 1;
}
