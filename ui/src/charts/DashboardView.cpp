#include "opflow/ui/charts/DashboardView.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/charts/ChartPanel.h"
#include "opflow/ui/text/OrderText.h"
#include "text/QtText.h"
#include "views/ViewParts.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QFont>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPushButton>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace opflow::ui {

namespace {

constexpr int kRefreshMs = 30'000;
constexpr int kSampleMs = 500;
constexpr std::int64_t kLiveSpanMs = 120'000;

// One colour per order status, in the status model's order: the flow runs from cool to
// warm, cancellation stands apart in grey.
const QColor kStatusColours[observe::kOrderStatusCount] = {
    QColor(0x9e, 0xca, 0xe1), QColor(0x6b, 0xae, 0xd6), QColor(0x42, 0x92, 0xc6), QColor(0x21, 0x71, 0xb5),
    QColor(0x41, 0xab, 0x5d), QColor(0x23, 0x8b, 0x45), QColor(0xfe, 0xb2, 0x4c), QColor(0xfd, 0x8d, 0x3c),
    QColor(0xf0, 0x3b, 0x20), QColor(0x99, 0x34, 0x04), QColor(0x96, 0x96, 0x96)};

// Empties `chart` of its series and axes (the figures of a new range replace them).
void clearChart(QChart* chart) {
  chart->removeAllSeries();
  for (QAbstractAxis* axis : chart->axes()) {
    chart->removeAxis(axis);
    delete axis;
  }
}

QBarCategoryAxis* categoryAxis(QChart* chart, const QStringList& categories, Qt::Alignment alignment) {
  auto* axis = new QBarCategoryAxis;
  axis->append(categories);
  axis->setTruncateLabels(false); // a status or operation named in full; the plot gives way
  chart->addAxis(axis, alignment);
  return axis;
}

// A linear axis from 0 to a round number at or above `max`; `format` is printf's, for a
// label ("%.0f" for counts).
QValueAxis* valueAxis(QChart* chart, const QString& title, double max, Qt::Alignment alignment, const QString& format) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setRange(0, std::max(max, 1.0));
  axis->setLabelFormat(format);
  axis->applyNiceNumbers();
  chart->addAxis(axis, alignment);
  return axis;
}

QBarSet* barSet(const QString& label, const QColor& colour) {
  auto* set = new QBarSet(label);
  set->setColor(colour);
  return set;
}

// Two bar sets side by side for each of `categories`, named on the left, on a value axis
// from 0 to `highest` at the bottom.
QHorizontalBarSeries* pairedBars(QChart* chart, const QStringList& categories, QBarSet* first, QBarSet* second,
                                 const QString& valueTitle, double highest, const QString& format) {
  auto* series = new QHorizontalBarSeries;
  series->append(first);
  series->append(second);
  chart->addSeries(series);
  series->attachAxis(categoryAxis(chart, categories, Qt::AlignLeft));
  series->attachAxis(valueAxis(chart, valueTitle, highest, Qt::AlignBottom, format));
  return series;
}

QString bucketLabel(std::int64_t startMs, std::int64_t bucketMs) {
  const QDateTime at = QDateTime::fromMSecsSinceEpoch(startMs);
  return bucketMs < observe::kDayMs ? at.toString(QStringLiteral("HH:mm")) : at.toString(QStringLiteral("ddd d MMM"));
}

QString secondsText(double seconds) {
  if (seconds < 1) {
    return QObject::tr("%1 ms").arg(seconds * 1000, 0, 'f', 0);
  }
  if (seconds < 120) {
    return QObject::tr("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : 0);
  }
  if (seconds < 2 * 3600) {
    return QObject::tr("%1 min").arg(seconds / 60, 0, 'f', 1);
  }
  if (seconds < 2 * 86400) {
    return QObject::tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
  }
  return QObject::tr("%1 days").arg(seconds / 86400, 0, 'f', 1);
}

} // namespace

DashboardView::DashboardView(ConsoleSession& session, QWidget* parent) : QWidget(parent), m_session(session) {
  setObjectName(QStringLiteral("dashboardView"));

  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  auto* heading = new QLabel(tr("<b>Dashboard</b> — the shop's flow, its work in progress, its lead times and its "
                                "operations"),
                             this);
  m_rangePicker = new QComboBox(this);
  m_rangePicker->setObjectName(QStringLiteral("dashboardRange"));
  m_rangePicker->setAccessibleName(tr("Time range"));
  m_rangePicker->setToolTip(tr("The time the charts cover: today in hours, or the last 7 or 30 days in days"));
  m_rangePicker->addItem(tr("Today"), static_cast<int>(Range::Today));
  m_rangePicker->addItem(tr("Last 7 days"), static_cast<int>(Range::Week));
  m_rangePicker->addItem(tr("Last 30 days"), static_cast<int>(Range::Month));
  m_rangePicker->setCurrentIndex(1);
  auto* refreshButton =
      makeButton(this, QStringLiteral("refreshDashboard"), tr("&Refresh"), tr("Read the figures again (F5)"));
  top->addWidget(heading, 1);
  top->addWidget(new QLabel(tr("Range:"), this));
  top->addWidget(m_rangePicker);
  top->addWidget(refreshButton);
  layout->addLayout(top);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("dashboardMessage"));
  m_message->setAccessibleName(tr("Dashboard message"));
  m_message->setWordWrap(true);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->hide();
  layout->addWidget(m_message);

  m_throughput = new ChartPanel(QStringLiteral("throughput"), tr("Throughput: orders into each status"), this);
  m_workInProgress = new ChartPanel(QStringLiteral("workInProgress"), tr("Work in progress now"), this);
  m_leadTime = new ChartPanel(QStringLiteral("leadTime"), tr("Lead time per stage"), this);
  m_operations = new ChartPanel(QStringLiteral("operations"), tr("Operations: p95 duration, rate, errors"), this);
  m_liveRate = new ChartPanel(QStringLiteral("liveRate"), tr("Live: run events a second"), this);
  auto* grid = new QGridLayout;
  // Four columns: the throughput's days and the operations' names get the width.
  grid->addWidget(m_throughput, 0, 0, 1, 2);
  grid->addWidget(m_workInProgress, 0, 2);
  grid->addWidget(m_liveRate, 0, 3);
  grid->addWidget(m_leadTime, 1, 0);
  grid->addWidget(m_operations, 1, 1, 1, 3);
  for (int column = 0; column < 4; ++column) {
    grid->setColumnStretch(column, 1);
  }
  layout->addLayout(grid, 1);
  for (ChartPanel* panel : {m_throughput, m_workInProgress, m_leadTime, m_operations, m_liveRate}) {
    connect(panel, &ChartPanel::exported, this, [this](const QString& path, const QString& problem) {
      if (problem.isEmpty()) {
        setMessage(tr("Saved %1.").arg(path), false);
        return;
      }
      showProblem(m_message, ConsoleAction(m_session, "dashboard.export")
                                 .failed(makeError(ErrorCode::Io, problem.toStdString()), tr("Not saved: %1").arg(problem)));
      m_message->setVisible(true);
    });
  }
  m_throughput->setCsvSource([this] { return observe::throughputCsv(m_figures.throughput); });
  m_workInProgress->setCsvSource([this] { return observe::workInProgressCsv(m_figures.workInProgress); });
  m_leadTime->setCsvSource([this] { return observe::leadTimesCsv(m_figures.leadTimes); });
  m_operations->setCsvSource([this] { return observe::operationRedCsv(m_figures.operations); });
  m_liveRate->setCsvSource([this] { return observe::eventRateCsv({m_rate.begin(), m_rate.end()}); });

  m_rateSeries = new QLineSeries;
  m_rateSeries->setName(tr("events/s"));
  QChart* live = m_liveRate->chart();
  live->addSeries(m_rateSeries);
  live->legend()->hide();
  auto* seconds = new QValueAxis;
  seconds->setTitleText(tr("seconds ago"));
  seconds->setRange(-static_cast<double>(kLiveSpanMs) / 1000.0, 0);
  seconds->setLabelFormat(QStringLiteral("%d"));
  live->addAxis(seconds, Qt::AlignBottom);
  m_rateSeries->attachAxis(seconds);
  QValueAxis* rate = valueAxis(live, tr("events/s"), 10, Qt::AlignLeft, QStringLiteral("%.0f"));
  m_rateSeries->attachAxis(rate);
  connect(m_rateSeries, &QLineSeries::hovered, this, [this](const QPointF& point, bool state) {
    m_liveRate->showHover(state ? tr("%1 s ago: %2 events/s").arg(-point.x(), 0, 'f', 1).arg(point.y(), 0, 'f', 0)
                                : QString());
  });

  connect(m_rangePicker, &QComboBox::currentIndexChanged, this, &DashboardView::refresh);
  connect(refreshButton, &QPushButton::clicked, this, &DashboardView::refresh);
  addShortcut(this, {QKeySequence(Qt::Key_F5)}, this, [this] { refresh(); });
  m_refreshTimer.setInterval(kRefreshMs);
  connect(&m_refreshTimer, &QTimer::timeout, this, &DashboardView::refresh);
  m_lastEventCount = session.events().eventsPosted();
  m_lastSampleMs = QDateTime::currentMSecsSinceEpoch();
  m_sampleTimer.setInterval(kSampleMs);
  connect(&m_sampleTimer, &QTimer::timeout, this, &DashboardView::sampleLiveRate);
  m_sampleTimer.start();
  refresh();
}

DashboardView::Range DashboardView::range() const { return static_cast<Range>(m_rangePicker->currentData().toInt()); }

void DashboardView::setRange(Range range) { m_rangePicker->setCurrentIndex(m_rangePicker->findData(static_cast<int>(range))); }

QString DashboardView::message() const { return m_message->isVisible() ? shownText(m_message) : QString(); }

void DashboardView::refresh() {
  const int days = range() == Range::Today ? 1 : range() == Range::Week ? 7 : 30;
  const QDateTime now = QDateTime::currentDateTime();
  const observe::DashboardWindow window =
      observe::dashboardWindowOfDays(days, now.toMSecsSinceEpoch(), std::int64_t{now.offsetFromUtc()} * 1000);
  const std::uint64_t request = ++m_request;
  m_session.background().run(
      this, [&store = m_session.host().store(), window] { return observe::readDashboard(store, window); },
      [this, request](const Result<observe::DashboardFigures>& read) {
        if (request != m_request) {
          return; // a later range was asked for meanwhile
        }
        if (!read) {
          showProblem(m_message, ConsoleAction(m_session, "dashboard.read")
                                     .failed(read.error(), tr("The figures could not be read: %1. Refresh (F5) to try "
                                                              "again; if it persists, run `opflow-cli check` on the "
                                                              "database.")
                                                               .arg(qt(read.error().message))));
          m_message->setVisible(true);
          return;
        }
        showFigures(*read);
      });
}

void DashboardView::showFigures(const observe::DashboardFigures& figures) {
  m_figures = figures;
  setMessage(QString(), false);
  showThroughput();
  showWorkInProgress();
  showLeadTimes();
  showOperations();
  if (!m_loaded) {
    m_loaded = true;
    emit loaded();
  }
}

void DashboardView::showThroughput() {
  QChart* chart = m_throughput->chart();
  clearChart(chart);
  const std::vector<observe::ThroughputBucket>& buckets = m_figures.throughput;
  auto* series = new QStackedBarSeries;
  double highest = 0;
  std::vector<double> totals(buckets.size(), 0.0);
  for (domain::OrderStatus status : domain::allOrderStatuses()) {
    const auto position = static_cast<std::size_t>(domain::positionOf(status));
    QList<qreal> values;
    values.reserve(static_cast<qsizetype>(buckets.size()));
    bool any = false;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      const auto entered = static_cast<qreal>(buckets[i].entered[position]);
      values.append(entered);
      totals[i] += entered;
      any = any || entered > 0;
    }
    if (!any) {
      continue;
    }
    auto* set = new QBarSet(orderStatusName(status));
    set->setColor(kStatusColours[position]);
    set->setBorderColor(kStatusColours[position]);
    set->append(values);
    series->append(set);
  }
  for (double total : totals) {
    highest = std::max(highest, total);
  }
  chart->addSeries(series);
  QStringList categories;
  for (const observe::ThroughputBucket& bucket : buckets) {
    categories << bucketLabel(bucket.startMs, m_figures.window.bucketMs);
  }
  series->attachAxis(categoryAxis(chart, categories, Qt::AlignBottom));
  series->attachAxis(valueAxis(chart, tr("orders"), highest, Qt::AlignLeft, QStringLiteral("%.0f")));
  connect(series, &QStackedBarSeries::hovered, this, [this](bool state, int index, QBarSet* set) {
    if (!state) {
      m_throughput->showHover(QString());
      return;
    }
    const auto& bucket = m_figures.throughput[static_cast<std::size_t>(index)];
    m_throughput->showHover(tr("%1, %2: %3 orders entered")
                                .arg(bucketLabel(bucket.startMs, m_figures.window.bucketMs), set->label())
                                .arg(set->at(index), 0, 'f', 0));
  });
}

void DashboardView::showWorkInProgress() {
  QChart* chart = m_workInProgress->chart();
  clearChart(chart);
  QBarSet* orders = barSet(tr("orders"), QColor(0x21, 0x71, 0xb5));
  QBarSet* held = barSet(tr("held"), QColor(0xf0, 0x3b, 0x20));
  QStringList categories;
  double highest = 0;
  for (const observe::StatusNow& now : m_figures.workInProgress) {
    categories << orderStatusName(now.status);
    orders->append(static_cast<qreal>(now.orders));
    held->append(static_cast<qreal>(now.held));
    highest = std::max(highest, static_cast<double>(now.orders));
  }
  QHorizontalBarSeries* series =
      pairedBars(chart, categories, orders, held, tr("orders"), highest, QStringLiteral("%.0f"));
  connect(series, &QHorizontalBarSeries::hovered, this, [this](bool state, int index, QBarSet* set) {
    if (!state) {
      m_workInProgress->showHover(QString());
      return;
    }
    const observe::StatusNow& now = m_figures.workInProgress[static_cast<std::size_t>(index)];
    m_workInProgress->showHover(tr("%1: %2 %3").arg(orderStatusName(now.status), countText(static_cast<std::int64_t>(
                                                                                       set->at(index))),
                                                      set->label()));
  });
}

void DashboardView::showLeadTimes() {
  QChart* chart = m_leadTime->chart();
  clearChart(chart);
  QBarSet* median = barSet(tr("median (hours)"), QColor(0x41, 0xab, 0x5d));
  QBarSet* p90 = barSet(tr("p90 (hours)"), QColor(0xfe, 0xb2, 0x4c));
  QStringList categories;
  double highest = 0;
  for (const observe::StageLeadTime& stage : m_figures.leadTimes) {
    categories << orderStatusName(stage.stage);
    median->append(stage.medianSeconds / 3600.0);
    p90->append(stage.p90Seconds / 3600.0);
    highest = std::max(highest, stage.p90Seconds / 3600.0);
  }
  QHorizontalBarSeries* series =
      pairedBars(chart, categories, median, p90, tr("hours in the stage"), highest, QStringLiteral("%.3g"));
  connect(series, &QHorizontalBarSeries::hovered, this, [this](bool state, int index, QBarSet*) {
    if (!state) {
      m_leadTime->showHover(QString());
      return;
    }
    const observe::StageLeadTime& stage = m_figures.leadTimes[static_cast<std::size_t>(index)];
    m_leadTime->showHover(tr("%1: median %2, p90 %3, over %4 orders that left it")
                              .arg(orderStatusName(stage.stage), secondsText(stage.medianSeconds),
                                   secondsText(stage.p90Seconds), countText(stage.orders)));
  });
}

void DashboardView::showOperations() {
  QChart* chart = m_operations->chart();
  clearChart(chart);
  auto* series = new QHorizontalBarSeries;
  QBarSet* p95 = barSet(tr("p95 duration (s)"), QColor(0x6b, 0xae, 0xd6));
  QStringList categories;
  double lowest = 1.0;
  double highest = 1.0;
  // A horizontal chart's first category is at the bottom: the names go in backwards so that
  // they read alphabetically from the top.
  const auto& operations = m_figures.operations;
  for (auto red = operations.rbegin(); red != operations.rend(); ++red) {
    categories << tr("%1  %2/h, %3 % failed")
                      .arg(qt(red->operation))
                      .arg(red->runsPerHour, 0, 'f', red->runsPerHour < 10 ? 1 : 0)
                      .arg(red->errorShare * 100, 0, 'f', 1);
    p95->append(red->p95Seconds);
    lowest = std::min(lowest, red->p95Seconds);
    highest = std::max(highest, red->p95Seconds);
  }
  series->append(p95);
  chart->addSeries(series);
  chart->legend()->hide();
  QBarCategoryAxis* names = categoryAxis(chart, categories, Qt::AlignLeft);
  QFont small = names->labelsFont();
  small.setPointSizeF(small.pointSizeF() * 0.85); // a label for each of a dozen operations
  names->setLabelsFont(small);
  series->attachAxis(names);
  // Durations span milliseconds to hours: a logarithmic axis shows both, from the decade
  // below the quickest to the one above the slowest.
  auto* seconds = new QLogValueAxis;
  seconds->setTitleText(tr("p95 seconds, start to end (log scale)"));
  seconds->setLabelFormat(QStringLiteral("%g"));
  seconds->setBase(10);
  seconds->setRange(std::pow(10.0, std::floor(std::log10(std::max(lowest, 1e-3)))),
                    std::pow(10.0, std::ceil(std::log10(highest))));
  chart->addAxis(seconds, Qt::AlignBottom);
  series->attachAxis(seconds);
  connect(series, &QHorizontalBarSeries::hovered, this, [this](bool state, int index, QBarSet*) {
    if (!state) {
      m_operations->showHover(QString());
      return;
    }
    const auto& all = m_figures.operations;
    const observe::OperationRed& red = all[all.size() - 1 - static_cast<std::size_t>(index)];
    m_operations->showHover(tr("%1: %2 runs ended (%3 an hour), %4 failed (%5 %), %6 cancelled; p95 %7")
                                .arg(qt(red.operation), countText(red.runs))
                                .arg(red.runsPerHour, 0, 'f', 1)
                                .arg(countText(red.failed))
                                .arg(red.errorShare * 100, 0, 'f', 1)
                                .arg(countText(red.cancelled), secondsText(red.p95Seconds)));
  });
}

void DashboardView::sampleLiveRate() {
  const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
  const std::uint64_t count = m_session.events().eventsPosted();
  const double seconds = static_cast<double>(std::max<std::int64_t>(now - m_lastSampleMs, 1)) / 1000.0;
  m_rate.push_back({now, static_cast<double>(count - m_lastEventCount) / seconds});
  m_lastEventCount = count;
  m_lastSampleMs = now;
  while (!m_rate.empty() && m_rate.front().atMs < now - kLiveSpanMs) {
    m_rate.pop_front();
  }
  if (isVisible()) {
    drawLiveRate();
  }
}

void DashboardView::drawLiveRate() {
  const std::int64_t now = m_rate.empty() ? m_lastSampleMs : m_rate.back().atMs;
  QList<QPointF> points;
  points.reserve(static_cast<qsizetype>(m_rate.size()));
  double highest = 0;
  for (const observe::RateSample& sample : m_rate) {
    points.append(QPointF(static_cast<double>(sample.atMs - now) / 1000.0, sample.perSecond));
    highest = std::max(highest, sample.perSecond);
  }
  m_rateSeries->replace(points);
  for (QAbstractAxis* axis : m_rateSeries->attachedAxes()) {
    if (axis->alignment() == Qt::AlignLeft) {
      auto* rate = static_cast<QValueAxis*>(axis);
      rate->setRange(0, std::max(highest * 1.1, 10.0));
      rate->applyNiceNumbers();
    }
  }
}

void DashboardView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  drawLiveRate();
  if (m_loaded) {
    refresh();
  }
  m_refreshTimer.start();
}

void DashboardView::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  m_refreshTimer.stop();
}

void DashboardView::setMessage(const QString& text, bool problem) {
  m_message->setVisible(!text.isEmpty());
  showOutcome(m_message, text, problem);
}

} // namespace opflow::ui
