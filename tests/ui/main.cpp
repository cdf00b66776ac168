// Runs every suite registered with OPFLOW_UI_TEST, offscreen unless QT_QPA_PLATFORM says
// otherwise; fails if any of them fails. `ui_tests SuiteName [QtTest arguments]` runs
// that suite alone.
#include "UiTestSupport.h"

#include <QApplication>
#include <QTest>

#include <cstring>

int main(int argc, char* argv[]) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  const char* only = argc > 1 && argv[1][0] != '-' ? argv[1] : nullptr;
  if (only) {
    argv[1] = argv[0];
    ++argv;
    --argc;
  }
  int failures = 0;
  int ran = 0;
  for (const opflow::uitest::SuiteFactory& factory : opflow::uitest::suites()) {
    std::unique_ptr<QObject> suite = factory();
    if (only && std::strcmp(suite->metaObject()->className(), only) != 0) {
      continue;
    }
    ++ran;
    failures += QTest::qExec(suite.get(), argc, argv);
  }
  if (only && ran == 0) {
    std::fprintf(stderr, "ui_tests: no suite named %s\n", only);
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
