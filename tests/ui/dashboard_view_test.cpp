// The dashboard on a real console session over a seeded database: its charts show what
// core reads (each checked against the orders and history tables here), the range picker
// changes the buckets, hovering a bar with the mouse says its value, every chart saves a
// PNG and its CSV, the live rate follows the run events reaching the console, and only
// those who oversee the shop get the view.
#include "ConsoleTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/store/LocalStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/charts/ChartPanel.h"
#include "opflow/ui/charts/DashboardView.h"
#include "opflow/ui/views/MainWindow.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using opflow::ui::ChartPanel;
using opflow::ui::ConsoleView;
using opflow::ui::DashboardView;
using opflow::ui::MainWindow;

namespace {

QAbstractBarSeries* barsOf(ChartPanel* panel) {
  const auto series = panel->chart()->series();
  return series.isEmpty() ? nullptr : qobject_cast<QAbstractBarSeries*>(series.first());
}

QBarSet* setNamed(QAbstractBarSeries* series, const QString& label) {
  for (QBarSet* set : series->barSets()) {
    if (set->label() == label) {
      return set;
    }
  }
  return nullptr;
}

// A count the store answers, read the naive way for comparison.
std::int64_t count(opflow::ui::ConsoleSession& session, const std::string& sql) {
  auto db = session.host().store().readers().acquire();
  if (!db) {
    return -1;
  }
  auto statement = (**db).prepare(sql);
  if (!statement || !*(*statement)->step()) {
    return -1;
  }
  return (*statement)->int64(0);
}

// A dashboard of `session` at a size that lays every chart out, shown and loaded.
std::unique_ptr<DashboardView> shownDashboard(opflow::ui::ConsoleSession& session) {
  auto view = std::make_unique<DashboardView>(session);
  view->resize(1400, 900);
  view->show();
  if (!QTest::qWaitForWindowExposed(view.get()) || !QTest::qWaitFor([&] { return view->isLoaded(); }, 10'000)) {
    return nullptr;
  }
  QCoreApplication::processEvents();
  return view;
}

bool waitLoaded(DashboardView& view, const QSignalSpy& loads, int atLeast) {
  return QTest::qWaitFor([&] { return loads.count() >= atLeast && view.isLoaded(); }, 10'000);
}

} // namespace

class DashboardViewTest : public QObject {
  Q_OBJECT

private slots:
  void itsChartsShowWhatTheDatabaseHolds() {
    opflow::uitest::ConsoleDatabase database(600);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    MainWindow window(*session);
    QVERIFY(window.hasView(ConsoleView::Dashboard));
    DashboardView* view = window.dashboardView();
    QSignalSpy loads(view, &DashboardView::loaded);
    window.show();
    QVERIFY(window.showView(ConsoleView::Dashboard));
    QVERIFY(QTest::qWaitFor([&] { return view->isLoaded(); }, 10'000));

    // Work in progress: a bar per unfinished status, as many orders as the table holds.
    QAbstractBarSeries* wip = barsOf(view->workInProgressPanel());
    QVERIFY(wip);
    QBarSet* orders = setNamed(wip, QStringLiteral("orders"));
    QVERIFY(orders);
    QCOMPARE(orders->count(), 9);
    qreal unfinished = 0;
    for (int i = 0; i < orders->count(); ++i) {
      unfinished += orders->at(i);
    }
    QCOMPARE(static_cast<std::int64_t>(unfinished),
             count(*session, "SELECT count(*) FROM orders WHERE status NOT IN ('CLOSED', 'CANCELLED')"));

    // Throughput over the last 30 days: one bar a day, and every status entry of the window.
    view->setRange(DashboardView::Range::Month);
    QVERIFY(waitLoaded(*view, loads, 1) && QTest::qWaitFor([&] { return view->figures().throughput.size() == 30; }, 10'000));
    QAbstractBarSeries* throughput = barsOf(view->throughputPanel());
    QVERIFY(throughput);
    qreal entered = 0;
    for (QBarSet* set : throughput->barSets()) {
      QCOMPARE(set->count(), 30);
      for (int i = 0; i < set->count(); ++i) {
        entered += set->at(i);
      }
    }
    const opflow::observe::DashboardWindow& window30 = view->figures().window;
    QVERIFY(entered > 0);
    QCOMPARE(static_cast<std::int64_t>(entered),
             count(*session, "SELECT count(*) FROM order_history WHERE at >= " + std::to_string(window30.sinceMs) +
                                 " AND at < " + std::to_string(window30.untilMs)));
    QVERIFY(!view->figures().leadTimes.empty());
    QCOMPARE(setNamed(barsOf(view->leadTimePanel()), QStringLiteral("median (hours)"))->count(),
             static_cast<int>(view->figures().leadTimes.size()));

    // Today is counted in hours.
    view->setRange(DashboardView::Range::Today);
    QVERIFY(QTest::qWaitFor([&] { return view->figures().window.bucketMs == opflow::observe::kHourMs; }, 10'000));
    QVERIFY(view->figures().throughput.size() <= 24);
    QVERIFY(view->message().isEmpty());
  }

  void hoveringABarSaysItsValue() {
    opflow::uitest::ConsoleDatabase database(300);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    auto view = shownDashboard(*session);
    QVERIFY(view);

    ChartPanel* panel = view->workInProgressPanel();
    QAbstractBarSeries* series = barsOf(panel);
    QBarSet* orders = setNamed(series, QStringLiteral("orders"));
    int fullest = 0;
    for (int i = 1; i < orders->count(); ++i) {
      fullest = orders->at(i) > orders->at(fullest) ? i : fullest;
    }
    QVERIFY(orders->at(fullest) > 0);
    // Along the middle of the fullest status's "orders" bar, one of the pair in its row.
    QChart* chart = panel->chart();
    for (double offset : {-0.3, -0.2, -0.1, 0.1, 0.2, 0.3}) {
      const QPointF inBar = chart->mapToPosition(QPointF(orders->at(fullest) * 0.75, fullest + offset), series);
      QTest::mouseMove(panel->chartView()->viewport(), panel->chartView()->mapFromScene(chart->mapToScene(inBar)));
      QCoreApplication::processEvents();
      if (panel->hoverText().contains(QStringLiteral("orders"))) {
        break;
      }
    }
    QVERIFY2(panel->hoverText().contains(QStringLiteral("orders")), qPrintable(panel->hoverText()));
    QVERIFY2(panel->hoverText().contains(QString::number(static_cast<int>(orders->at(fullest)))),
             qPrintable(panel->hoverText()));
  }

  void everyChartSavesAPngAndItsCsv() {
    opflow::uitest::ConsoleDatabase database(200);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    auto view = shownDashboard(*session);
    QVERIFY(view);
    QTemporaryDir directory;
    for (ChartPanel* panel : {view->throughputPanel(), view->workInProgressPanel(), view->leadTimePanel(),
                              view->operationsPanel(), view->liveRatePanel()}) {
      const QString png = directory.filePath(panel->objectName() + QStringLiteral(".png"));
      QCOMPARE(panel->exportPng(png), QString());
      QImage image(png);
      QVERIFY2(!image.isNull() && image.width() > 200 && image.height() > 150, qPrintable(png));
      const QString csv = directory.filePath(panel->objectName() + QStringLiteral(".csv"));
      QCOMPARE(panel->exportCsv(csv), QString());
      QFile file(csv);
      QVERIFY(file.open(QIODevice::ReadOnly));
      const QByteArray text = file.readAll();
      QCOMPARE(text.toStdString(), panel->csv());
      QVERIFY2(text.contains("\r\n"), text.constData());
    }
    QFile wip(directory.filePath(QStringLiteral("workInProgress.csv")));
    QVERIFY(wip.open(QIODevice::ReadOnly));
    QCOMPARE(wip.readAll().toStdString(), opflow::observe::workInProgressCsv(view->figures().workInProgress));
    // A folder that does not exist: the reason, and nothing written.
    const QString nowhere = directory.filePath(QStringLiteral("missing/throughput.csv"));
    QVERIFY(!view->throughputPanel()->exportCsv(nowhere).isEmpty());
    QVERIFY(!QFile::exists(nowhere));
  }

  void theLiveRateFollowsTheRunEvents() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    auto view = shownDashboard(*session);
    QVERIFY(view);
    auto* line = qobject_cast<QLineSeries*>(view->liveRatePanel()->chart()->series().first());
    QVERIFY(line);
    QVERIFY(QTest::qWaitFor([&] { return !line->points().isEmpty(); }, 5000)); // a sample before the events
    for (int i = 0; i < 400; ++i) {
      opflow::ui::RunEvent event;
      event.kind = opflow::ui::RunEvent::Kind::Progress;
      event.runId = QStringLiteral("r-%1").arg(i);
      session->events().post(event);
    }
    QVERIFY(QTest::qWaitFor(
        [&] {
          for (const QPointF& point : line->points()) {
            if (point.y() > 0) {
              return true;
            }
          }
          return false;
        },
        5000));
    // Each sample is the events since the one before over the time between them.
    const QList<QPointF> points = line->points();
    qreal seen = 0;
    for (qsizetype i = 1; i < points.size(); ++i) {
      QVERIFY(points[i].x() <= 0 && points[i].x() >= -120);
      seen += points[i].y() * (points[i].x() - points[i - 1].x());
    }
    QVERIFY2(seen > 200 && seen < 600, qPrintable(QString::number(seen)));
    QVERIFY(view->liveRatePanel()->csv().rfind("time_utc,events_per_second\r\n", 0) == 0);
  }

  void onlyThoseWhoOverseeTheShopGetIt() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto operatorSession = database.open(opflow::uitest::kOperator);
    QVERIFY(operatorSession);
    MainWindow window(*operatorSession);
    QVERIFY(!window.hasView(ConsoleView::Dashboard));
    QVERIFY(!window.showView(ConsoleView::Dashboard));
    QVERIFY(window.dashboardView() == nullptr);
    QCOMPARE(opflow::ui::consoleViewFromName(QStringLiteral("dashboard")), ConsoleView::Dashboard);
  }
};

OPFLOW_UI_TEST(DashboardViewTest)
#include "dashboard_view_test.moc"
