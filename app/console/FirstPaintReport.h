// FirstPaintReport: for the start-up benchmark. Watches a table's viewport and, at the
// first paint after the table's data has arrived, prints "first-paint-ms N" (N: the
// milliseconds since this process started, as the kernel counts them) to stdout and quits.
// Thread-safety: GUI thread only.
#pragma once

#include <QObject>

#include <functional>

class QWidget;

namespace opflow::console {

class FirstPaintReport : public QObject {
  Q_OBJECT

public:
  // `loaded` says whether the data has arrived, so the empty first paint does not count.
  FirstPaintReport(QWidget& viewport, std::function<bool()> loaded, QObject* parent = nullptr);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  std::function<bool()> m_loaded;
  bool m_reported = false;
};

// Milliseconds since this process was started (from /proc/self/stat; 10 ms resolution).
[[nodiscard]] double processAgeMs();

} // namespace opflow::console
