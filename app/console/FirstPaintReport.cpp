#include "FirstPaintReport.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include <cstdio>
#include <unistd.h>

namespace opflow::console {

double processAgeMs() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  // The fields after the command name (which may hold spaces) start after the last ')'.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  unsigned long long startTicks = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 22) {
      startTicks = std::stoull(field);
      break;
    }
  }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const double nowMs = static_cast<double>(now.tv_sec) * 1000.0 + static_cast<double>(now.tv_nsec) / 1e6;
  return nowMs - static_cast<double>(startTicks) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

FirstPaintReport::FirstPaintReport(QWidget& viewport, std::function<bool()> loaded, QObject* parent)
    : QObject(parent), m_loaded(std::move(loaded)) {
  viewport.installEventFilter(this);
}

bool FirstPaintReport::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Paint && !m_reported && m_loaded()) {
    m_reported = true;
    // Report once this paint is done: the event is handled after this filter returns.
    QTimer::singleShot(0, this, [] {
      std::printf("first-paint-ms %.0f\n", processAgeMs());
      std::fflush(stdout);
      QCoreApplication::quit();
    });
  }
  return QObject::eventFilter(watched, event);
}

} // namespace opflow::console
