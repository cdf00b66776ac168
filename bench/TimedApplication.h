// TimedApplication: a QApplication that times what the GUI thread does, for the console's
// timing programs: every event it dispatches (a queued answer, a timer, a paint),
// outermost dispatches only, with the busy time in all, the longest event, and which
// event that was (its QEvent type and its receiver's class) and how much of it the thread
// spent on a core (the rest it waited: for a lock, or for a core other threads held).
// runUntil: the GUI thread's event loop, as the console runs it, until a condition holds.
// Thread-safety: GUI thread only (events dispatched on other threads are not timed).
#pragma once

#include "BenchSupport.h"

#include <QApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <string>

namespace opflow::bench {

class TimedApplication : public QApplication {
public:
  using QApplication::QApplication;

  bool notify(QObject* receiver, QEvent* event) override {
    if (m_dispatching || QThread::currentThread() != thread()) {
      return QApplication::notify(receiver, event);
    }
    m_dispatching = true;
    const auto start = Clock::now();
    const double cpuStart = threadCpuMs();
    const int type = static_cast<int>(event->type());
    const char* what = receiver->metaObject()->className();
    const bool handled = QApplication::notify(receiver, event);
    const double ms = msSince(start);
    m_dispatching = false;
    m_busyMs += ms;
    if (ms > m_longestMs) {
      m_longestMs = ms;
      m_longestCpuMs = threadCpuMs() - cpuStart;
      m_longest = fmt::format("{} to a {}", type, what);
    }
    return handled;
  }

  void resetTiming() {
    m_busyMs = 0;
    m_longestMs = 0;
    m_longestCpuMs = 0;
    m_longest.clear();
  }
  [[nodiscard]] double busyMs() const { return m_busyMs; }
  [[nodiscard]] double longestMs() const { return m_longestMs; }
  // How much of the longest event the GUI thread spent on a core.
  [[nodiscard]] double longestCpuMs() const { return m_longestCpuMs; }
  // The longest event: "TYPE to a CLASS" (TYPE a QEvent::Type).
  [[nodiscard]] const std::string& longest() const { return m_longest; }

private:
  static double threadCpuMs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  }

  bool m_dispatching = false;
  double m_busyMs = 0;
  double m_longestMs = 0;
  double m_longestCpuMs = 0;
  std::string m_longest;
};

// Runs the GUI thread's event loop (waiting for events, as the console does: a loop of
// processEvents would spin a core) until `done` holds, looked at every 10 ms, or `ms`
// pass; whether `done` holds.
inline bool runUntil(const std::function<bool()>& done, int ms) {
  QEventLoop loop;
  QTimer look;
  QObject::connect(&look, &QTimer::timeout, &loop, [&] {
    if (done()) {
      loop.quit();
    }
  });
  look.start(10);
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  if (!done()) {
    loop.exec();
  }
  return done();
}

} // namespace opflow::bench
