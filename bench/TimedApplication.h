// TimedApplication: a QApplication that times what the GUI thread does, for the console's
// timing programs: every event it dispatches (a queued answer, a timer, a paint),
// outermost dispatches only, with the busy time in all, the longest event, and which
// event that was (its QEvent type and its receiver's class).
// Thread-safety: GUI thread only (events dispatched on other threads are not timed).
#pragma once

#include "BenchSupport.h"

#include <QApplication>
#include <QThread>

#include <fmt/format.h>

#include <algorithm>
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
    const int type = static_cast<int>(event->type());
    const char* what = receiver->metaObject()->className();
    const bool handled = QApplication::notify(receiver, event);
    const double ms = msSince(start);
    m_dispatching = false;
    m_busyMs += ms;
    if (ms > m_longestMs) {
      m_longestMs = ms;
      m_longest = fmt::format("{} to a {}", type, what);
    }
    return handled;
  }

  void resetTiming() {
    m_busyMs = 0;
    m_longestMs = 0;
    m_longest.clear();
  }
  [[nodiscard]] double busyMs() const { return m_busyMs; }
  [[nodiscard]] double longestMs() const { return m_longestMs; }
  // The longest event: "TYPE to a CLASS" (TYPE a QEvent::Type).
  [[nodiscard]] const std::string& longest() const { return m_longest; }

private:
  bool m_dispatching = false;
  double m_busyMs = 0;
  double m_longestMs = 0;
  std::string m_longest;
};

} // namespace opflow::bench
