// DashboardView: the shop at a glance, for managers and supervisors, in five charts over a
// time range (today in hours, the last 7 or 30 days in local days):
//   throughput        orders that entered each status per bucket (stacked bars)
//   work in progress  orders in each unfinished status now, and how many are held
//   lead time         per stage: median and p90 of how long orders stayed in it
//   operations        RED per operation: p95 duration bars, runs an hour and the share
//                     that failed in each label
//   live events       run events a second reaching this console, over the last two minutes
// The figures come from core (observe::readDashboard, the rollups kept beside the order
// history and the journal) on the Background, at each range change, F5, and every 30 s
// while the view is shown. The live rate is sampled from the run-event bridge's counter
// twice a second and drawn with one QXYSeries::replace per sample, never an append per
// point. Every chart exports PNG and CSV and shows the value under the pointer.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/observe/DashboardCsv.h"
#include "opflow/observe/DashboardFigures.h"

#include <QTimer>
#include <QWidget>

#include <cstdint>
#include <deque>

class QComboBox;
class QLabel;
class QLineSeries;

namespace opflow::ui {

class ChartPanel;
class ConsoleSession;

class DashboardView : public QWidget {
  Q_OBJECT

public:
  enum class Range { Today, Week, Month };

  explicit DashboardView(ConsoleSession& session, QWidget* parent = nullptr);

  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  [[nodiscard]] Range range() const;
  void setRange(Range range);
  // The figures the charts show now.
  [[nodiscard]] const observe::DashboardFigures& figures() const { return m_figures; }
  [[nodiscard]] ChartPanel* throughputPanel() const { return m_throughput; }
  [[nodiscard]] ChartPanel* workInProgressPanel() const { return m_workInProgress; }
  [[nodiscard]] ChartPanel* leadTimePanel() const { return m_leadTime; }
  [[nodiscard]] ChartPanel* operationsPanel() const { return m_operations; }
  [[nodiscard]] ChartPanel* liveRatePanel() const { return m_liveRate; }
  [[nodiscard]] QString message() const;

public slots:
  void refresh();

signals:
  // The first figures are shown.
  void loaded();

protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

private:
  void showFigures(const observe::DashboardFigures& figures);
  void showThroughput();
  void showWorkInProgress();
  void showLeadTimes();
  void showOperations();
  void sampleLiveRate();
  void drawLiveRate();
  void setMessage(const QString& text, bool problem);

  ConsoleSession& m_session;
  QComboBox* m_rangePicker = nullptr;
  QLabel* m_message = nullptr;
  ChartPanel* m_throughput = nullptr;
  ChartPanel* m_workInProgress = nullptr;
  ChartPanel* m_leadTime = nullptr;
  ChartPanel* m_operations = nullptr;
  ChartPanel* m_liveRate = nullptr;
  QLineSeries* m_rateSeries = nullptr;
  QTimer m_refreshTimer;
  QTimer m_sampleTimer;
  observe::DashboardFigures m_figures;
  std::deque<observe::RateSample> m_rate;
  std::uint64_t m_lastEventCount = 0;
  std::int64_t m_lastSampleMs = 0;
  std::uint64_t m_request = 0; // the latest read asked for; older answers are dropped
  bool m_loaded = false;
};

} // namespace opflow::ui
