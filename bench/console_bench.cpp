// console_bench: the console's order list on a large database (issue 5's benchmarks),
// side by side with the naive Qt way on the same file: QSqlTableModel over the orders
// table (sorted newest first by SQL) + QSortFilterProxyModel filtering the status column,
// in a QTableView. A timing program, not a test: it prints its figures and fails only
// when a list never shows what it was asked for.
//
//   first paint      ours: `opflow --db PATH --demo` spawned with OPFLOW_FIRST_PAINT_REPORT=1,
//                    which prints "first-paint-ms N" (from its process start) and exits;
//                    in-process too: opening the ConsoleSession, then constructing the
//                    OrdersView until its table paints rows. Naive: from creating the
//                    QSqlDatabase, model, proxy and view until the view paints rows. Both
//                    in-process figures come after a warm-up table has painted once.
//   filter change    GUI-thread time from setting one status filter until the new page is
//                    painted: the call itself plus every event the GUI thread handles
//                    meanwhile (the arriving page, the reset, the paint), timed in
//                    QApplication::notify; the longest single event is shown too. Ours:
//                    the chips' selection (each status in turn, median and max). Naive:
//                    setFilterFixedString on the proxy, which is right only once every row
//                    is fetched (fetchMore until done), then the paint.
//   last page        the same for a jump to the list's end. Ours: the Last button (from
//                    the first page, median and max). Naive: fetchMore until done, then
//                    scrollToBottom, then the paint (a fresh model).
//   memory           ours: the rows the model holds (sizeof + string payloads), and the
//                    process's RSS growth from constructing the view to its first page.
//                    Naive: RSS growth from creating the model to the filtered proxy.
//   stall            the longest GUI-thread event while 1,000 run events a second stream
//                    through the RunEventBridge for a few seconds, over the whole main
//                    window (signed in as the demo supervisor) with the Live runs view in
//                    front; then 10,000 a second for 10 s, once with Live runs in front and
//                    once with the Dashboard in front (its live rate drawn twice a second,
//                    the Live runs view still listening behind it).
//
// Flags:
//   --orders N            orders in the database (default 1000000)
//   --db PATH             the database (default /tmp/opflow-console-bench-N.db); created
//                         once with store::seedOrders and the demo users, then reused
//   --console PATH        the console to spawn (default: the opflow built beside this)
//   --no-console          skip the spawned console
//   --naive-max-orders N  skip the naive way above N orders (default 1000000): at a
//                         million rows it takes tens of seconds and gigabytes
//   --stall-seconds S     how long the run events stream (default 3)
//   --burst-seconds S     how long the 10,000 events a second stream (default 10)
//   --smoke               a quick run for ctest (2000 orders in a temporary database,
//                         no spawned console, a short event stream)
//
// Run (Release build):
//   cmake --build build-ci --target console_bench opflow
//   QT_QPA_PLATFORM=offscreen build-ci/bench/console_bench
#include "TimedApplication.h"

#include "opflow/auth/PasswordHash.h"
#include "opflow/demo/DemoShop.h"
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/UserStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/views/MainWindow.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/views/OrdersView.h"
#include "opflow/ui/views/StatusChips.h"

#include <QAbstractButton>
#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSortFilterProxyModel>
#include <QSqlDatabase>
#include <QSqlRecord>
#include <QSqlTableModel>
#include <QStringListModel>
#include <QTableView>
#include <QThread>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace opflow;
using bench::Clock;
using bench::msSince;
using bench::TimedApplication;
using domain::OrderStatus;

constexpr int kWaitLimitMs = 600'000;
constexpr int kEventsPerSecond = 1000;
constexpr int kBurstEventsPerSecond = 10'000;
constexpr double kMiB = 1024.0 * 1024.0;

// The process's resident memory, in bytes.
double residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

TimedApplication* timedApp() { return static_cast<TimedApplication*>(QCoreApplication::instance()); }

// Counts the paints of a table's viewport that show rows.
class PaintWatch : public QObject {
public:
  explicit PaintWatch(QTableView& table) : m_table(table) { table.viewport()->installEventFilter(this); }

  [[nodiscard]] int paintsWithRows() const { return m_paints; }

protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && m_table.model() && m_table.model()->rowCount() > 0) {
      ++m_paints;
    }
    return QObject::eventFilter(watched, event);
  }

private:
  QTableView& m_table;
  int m_paints = 0;
};

// Runs the event loop until `done` holds; false after kWaitLimitMs.
bool waitUntil(const std::function<bool()>& done) { return bench::runUntil(done, kWaitLimitMs); }

// Shows and paints a small table once, so that neither first paint below pays for the
// style, fonts and backing store the first widget of a process sets up.
bool warmUpWidgets() {
  QStringListModel rows({QStringLiteral("ORD-000001"), QStringLiteral("ORD-000002")});
  QTableView table;
  table.setModel(&rows);
  PaintWatch paints(table);
  table.show();
  return waitUntil([&] { return paints.paintsWithRows() > 0; });
}

// What the GUI thread spent on one step: the call, plus the events until it was shown.
struct GuiCost {
  double busyMs = 0;    // call + events handled meanwhile
  double longestMs = 0; // the longest of them (the call counts as one)
  double wallMs = 0;    // until shown
  bool shown = false;
};

GuiCost measure(const std::function<void()>& act, const std::function<bool()>& shown) {
  TimedApplication* app = timedApp();
  app->resetTiming();
  const auto start = Clock::now();
  act();
  const double callMs = msSince(start);
  GuiCost cost;
  cost.shown = waitUntil(shown);
  cost.wallMs = msSince(start);
  cost.busyMs = callMs + app->busyMs();
  cost.longestMs = std::max(callMs, app->longestMs());
  return cost;
}

struct Summary {
  double medianMs = 0;
  double maxMs = 0;
  double longestEventMs = 0;
};

Summary summarize(const std::vector<GuiCost>& costs) {
  std::vector<double> busy;
  Summary summary;
  for (const GuiCost& cost : costs) {
    busy.push_back(cost.busyMs);
    summary.longestEventMs = std::max(summary.longestEventMs, cost.longestMs);
  }
  std::sort(busy.begin(), busy.end());
  summary.medianMs = busy.empty() ? 0 : busy[busy.size() / 2];
  summary.maxMs = busy.empty() ? 0 : busy.back();
  return summary;
}

// ---- the database ----------------------------------------------------------------------

// Creates the database with the demo users (the console's --demo signs in one of them) and
// `orders` seeded orders, unless it exists.
bool ensureDatabase(const std::string& path, std::int64_t orders) {
  if (std::filesystem::exists(path)) {
    return true;
  }
  fmt::print("seeding {} orders into {} (once)...\n", orders, path);
  std::fflush(stdout);
  auto store = store::LocalStore::open({path, true, store::Durability::Normal, {}});
  if (!store) {
    fmt::print(stderr, "console_bench: {}\n", store.error().describe());
    return false;
  }
  store::UserStore users(**store);
  const store::Requester bootstrap{std::nullopt, "bench", ""};
  if (Status demo = users.markAsDemo(bootstrap); !demo) {
    fmt::print(stderr, "console_bench: {}\n", demo.error().describe());
    return false;
  }
  if (Status cost = users.setPasswordCost(auth::PasswordCost::Minimum, bootstrap); !cost) {
    fmt::print(stderr, "console_bench: {}\n", cost.error().describe());
    return false;
  }
  std::optional<store::Credentials> admin;
  for (const demo::DemoUser& user : demo::demoUsers()) {
    if (user.role == domain::Role::Admin && !admin) {
      if (auto added = users.add({user.name, user.role, user.password}, bootstrap); !added) {
        fmt::print(stderr, "console_bench: {}\n", added.error().describe());
        return false;
      }
      admin = store::Credentials{user.name, user.password};
    }
  }
  for (const demo::DemoUser& user : demo::demoUsers()) {
    if (user.role != domain::Role::Admin) {
      if (auto added = users.add({user.name, user.role, user.password}, {admin, "bench", ""}); !added) {
        fmt::print(stderr, "console_bench: {}\n", added.error().describe());
        return false;
      }
    }
  }
  store::SeedOptions seed;
  seed.count = orders;
  seed.seed = 5;
  seed.by = {"ada", "admin", "bench", "", ""};
  auto seeded = store::seedOrders(**store, seed);
  if (!seeded) {
    fmt::print(stderr, "console_bench: {}\n", seeded.error().describe());
    return false;
  }
  fmt::print("seeded in {:.1f} s\n", static_cast<double>(seeded->elapsedMs) / 1000.0);
  return true;
}

// ---- ours ------------------------------------------------------------------------------

// "first-paint-ms N" from the spawned console, or nullopt (with the reason printed).
std::optional<double> spawnedFirstPaintMs(const QString& console, const std::string& db) {
  QProcess process;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert(QStringLiteral("OPFLOW_FIRST_PAINT_REPORT"), QStringLiteral("1"));
  process.setProcessEnvironment(environment);
  process.start(console, {QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--demo")});
  if (!process.waitForStarted(10'000)) {
    fmt::print("  spawned console: {} did not start\n", console.toStdString());
    return std::nullopt;
  }
  std::optional<double> reported;
  QElapsedTimer waited;
  waited.start();
  while (!reported && waited.elapsed() < 30'000 && process.state() == QProcess::Running) {
    process.waitForReadyRead(1000);
    while (process.canReadLine()) {
      const QString line = QString::fromUtf8(process.readLine()).trimmed();
      if (line.startsWith(QStringLiteral("first-paint-ms "))) {
        reported = line.section(QLatin1Char(' '), 1).toDouble();
      }
    }
  }
  if (process.state() == QProcess::Running && !process.waitForFinished(10'000)) {
    process.kill();
    process.waitForFinished(5000);
  }
  if (!reported) {
    fmt::print("  spawned console: no \"first-paint-ms\" line (exit {}): {}\n", process.exitCode(),
               QString::fromUtf8(process.readAllStandardError()).left(200).trimmed().toStdString());
  }
  return reported;
}

// A stream of run events like the engine's: runs that start, step, report progress and
// complete, `perSecond` events a second from a thread of its own, until stopped.
class RunEventStream {
public:
  RunEventStream(ui::RunEventBridge& bridge, int perSecond) {
    m_thread = std::thread([this, &bridge, perSecond] {
      const auto interval = std::chrono::microseconds(1'000'000 / perSecond);
      auto next = Clock::now();
      for (long n = 0; !m_stop; ++n) {
        ui::RunEvent event;
        const long run = n / 10;
        event.runId = QStringLiteral("bench-run-%1").arg(run);
        switch (n % 10) {
        case 0:
          event.kind = ui::RunEvent::Kind::Started;
          event.operation = QStringLiteral("order.calculate_price");
          event.order = QStringLiteral("ORD-%1").arg(run % 1000 + 1, 6, 10, QLatin1Char('0'));
          break;
        case 1:
          event.kind = ui::RunEvent::Kind::StepEntered;
          event.node = QStringLiteral("calculate");
          break;
        case 8:
          event.kind = ui::RunEvent::Kind::StepFinished;
          event.node = QStringLiteral("calculate");
          break;
        case 9:
          event.kind = ui::RunEvent::Kind::Completed;
          break;
        default:
          event.kind = ui::RunEvent::Kind::Progress;
          event.fraction = static_cast<double>(n % 10) / 10.0;
          event.message = QStringLiteral("meshing");
          break;
        }
        bridge.post(std::move(event));
        ++m_posted;
        next += interval;
        std::this_thread::sleep_until(next);
      }
    });
  }
  ~RunEventStream() {
    m_stop = true;
    m_thread.join();
  }
  RunEventStream(const RunEventStream&) = delete;
  RunEventStream& operator=(const RunEventStream&) = delete;

  [[nodiscard]] long posted() const { return m_posted; }

private:
  std::atomic<bool> m_stop{false};
  std::atomic<long> m_posted{0};
  std::thread m_thread;
};

// The longest GUI-thread event while `perSecond` run events a second stream in for
// `seconds`, over whatever is shown.
double longestStallUnderRunEvents(ui::ConsoleSession& session, double seconds, int perSecond) {
  TimedApplication* app = timedApp();
  app->resetTiming();
  long posted = 0;
  {
    RunEventStream stream(session.events(), perSecond);
    bench::runUntil([] { return false; }, static_cast<int>(seconds * 1000.0));
    posted = stream.posted();
  }
  QCoreApplication::processEvents();
  fmt::print("  run events: {} posted in {:.1f} s\n", posted, seconds);
  return app->longestMs();
}

struct OursFigures {
  double sessionOpenMs = 0;
  double viewFirstPaintMs = 0;
  Summary filter;
  Summary lastPage;
  double rowBytes = 0;
  double rssGrowthBytes = 0;
  double stallMs = 0;
  double burstRunsStallMs = 0;
  double burstDashboardStallMs = 0;
  bool ok = true;
};

double rowPayloadBytes(const std::vector<store::OrderSummary>& rows) {
  auto heap = [](const std::string& text) {
    return text.capacity() > std::string().capacity() ? static_cast<double>(text.capacity() + 1) : 0.0;
  };
  double bytes = static_cast<double>(rows.capacity() * sizeof(store::OrderSummary));
  for (const store::OrderSummary& row : rows) {
    bytes += heap(row.number) + heap(row.customer);
  }
  return bytes;
}

OursFigures measureOurs(const std::string& db, double stallSeconds, double burstSeconds, int repeats) {
  OursFigures figures;
  auto start = Clock::now();
  auto session = ui::ConsoleSession::open({QString::fromStdString(db)});
  if (!session) {
    fmt::print(stderr, "console_bench: {}\n", session.error().describe());
    figures.ok = false;
    return figures;
  }
  figures.sessionOpenMs = msSince(start);

  const double rssBefore = residentBytes();
  start = Clock::now();
  ui::OrdersView view(**session);
  view.resize(1280, 800);
  PaintWatch paints(*view.table());
  view.show();
  figures.ok = waitUntil([&] { return paints.paintsWithRows() > 0; });
  figures.viewFirstPaintMs = msSince(start);
  figures.ok = figures.ok && waitUntil([&] { return view.isLoaded(); });
  ui::OrderListModel& model = *view.model();
  figures.rowBytes = rowPayloadBytes(model.rows());
  figures.rssGrowthBytes = residentBytes() - rssBefore;

  // Shown: the asked page arrived, and the table painted after it arrived.
  struct Arrivals {
    int pages = 0;
    int paintsAtLastPage = 0;
  } arrivals;
  QObject::connect(&model, &ui::OrderListModel::pageLoaded, &view, [&arrivals, &paints] {
    ++arrivals.pages;
    arrivals.paintsAtLastPage = paints.paintsWithRows();
  });
  auto pageShown = [&](std::function<bool()> asked) -> std::function<bool()> {
    return [&arrivals, &paints, &model, asked = std::move(asked), before = arrivals.pages] {
      return arrivals.pages > before && !model.isLoading() && asked() &&
             paints.paintsWithRows() > arrivals.paintsAtLastPage;
    };
  };

  std::vector<GuiCost> filters;
  const OrderStatus statuses[] = {OrderStatus::Closed, OrderStatus::PriceCalculated, OrderStatus::Shipped,
                                  OrderStatus::Initiated, OrderStatus::Cancelled};
  for (int round = 0; round < repeats; ++round) {
    for (OrderStatus status : statuses) {
      const std::vector<OrderStatus> wanted{status};
      filters.push_back(measure([&] { view.statusChips()->setSelectedStatuses(wanted); },
                                pageShown([&model, wanted] { return model.statuses() == wanted; })));
      figures.ok = figures.ok && filters.back().shown;
    }
  }
  figures.filter = summarize(filters);

  view.statusChips()->setSelectedStatuses({});
  figures.ok = figures.ok && waitUntil([&] { return model.statuses().empty() && !model.isLoading(); });
  std::vector<GuiCost> lasts;
  auto* lastButton = view.findChild<QAbstractButton*>(QStringLiteral("lastPage"));
  for (int round = 0; round < repeats * 3; ++round) {
    model.firstPage();
    figures.ok = figures.ok && waitUntil([&] { return !model.isLoading() && !model.hasPreviousPage(); });
    lasts.push_back(measure([&] { lastButton->click(); }, pageShown([&model] { return !model.hasNextPage(); })));
    figures.ok = figures.ok && lasts.back().shown;
  }
  figures.lastPage = summarize(lasts);

  // The stall is the whole console's: the main window over a signed-in session, the Live
  // runs view in front (every event changes a row there), the orders list behind it.
  view.hide();
  const demo::DemoUser& supervisor = demo::demoSupervisor();
  (*session)->signIn(QString::fromUtf8(supervisor.name), QString::fromUtf8(supervisor.password));
  figures.ok = figures.ok && waitUntil([&] { return (*session)->user().has_value(); });
  ui::MainWindow window(**session);
  window.resize(1280, 800);
  window.showView(ui::ConsoleView::Runs);
  window.show();
  figures.ok = figures.ok && waitUntil([&] {
    return window.isViewLoaded(ui::ConsoleView::Runs) && window.isViewLoaded(ui::ConsoleView::Orders);
  });
  figures.stallMs = longestStallUnderRunEvents(**session, stallSeconds, kEventsPerSecond);
  figures.burstRunsStallMs = longestStallUnderRunEvents(**session, burstSeconds, kBurstEventsPerSecond);
  window.showView(ui::ConsoleView::Dashboard);
  figures.ok = figures.ok && waitUntil([&] { return window.isViewLoaded(ui::ConsoleView::Dashboard); });
  figures.burstDashboardStallMs = longestStallUnderRunEvents(**session, burstSeconds, kBurstEventsPerSecond);
  return figures;
}

// ---- the naive way ---------------------------------------------------------------------

struct NaiveFigures {
  double firstPaintMs = 0;
  GuiCost filter;
  GuiCost lastPage;
  double rssGrowthBytes = 0;
  bool ok = true;
};

// QSqlTableModel + QSortFilterProxyModel + QTableView on the orders table, newest first.
class NaiveList {
public:
  explicit NaiveList(const std::string& db)
      : m_connection(QStringLiteral("naive-%1").arg(++s_connections)) {
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    database.setDatabaseName(QString::fromStdString(db));
    database.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
    database.open();
    m_model = std::make_unique<QSqlTableModel>(nullptr, database);
    m_model->setTable(QStringLiteral("orders"));
    m_model->setSort(m_model->record().indexOf(QStringLiteral("created_at")), Qt::DescendingOrder);
    m_model->select();
    m_proxy = std::make_unique<QSortFilterProxyModel>();
    m_proxy->setSourceModel(m_model.get());
    m_proxy->setFilterKeyColumn(m_model->record().indexOf(QStringLiteral("status")));
    m_view = std::make_unique<QTableView>();
    m_view->setModel(m_proxy.get());
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->resize(1280, 800);
    m_paints = std::make_unique<PaintWatch>(*m_view);
    m_view->show();
  }
  ~NaiveList() {
    m_paints.reset();
    m_view.reset();
    m_proxy.reset();
    m_model.reset();
    QSqlDatabase::removeDatabase(m_connection);
  }
  NaiveList(const NaiveList&) = delete;
  NaiveList& operator=(const NaiveList&) = delete;

  [[nodiscard]] int paintsWithRows() const { return m_paints->paintsWithRows(); }
  [[nodiscard]] QSqlTableModel& model() { return *m_model; }
  [[nodiscard]] QSortFilterProxyModel& proxy() { return *m_proxy; }
  [[nodiscard]] QTableView& view() { return *m_view; }

  // Every row, as a correct filter or a jump to the end needs them.
  void fetchAll() {
    while (m_model->canFetchMore()) {
      m_model->fetchMore();
    }
  }

private:
  static inline int s_connections = 0;
  QString m_connection;
  std::unique_ptr<QSqlTableModel> m_model;
  std::unique_ptr<QSortFilterProxyModel> m_proxy;
  std::unique_ptr<QTableView> m_view;
  std::unique_ptr<PaintWatch> m_paints;
};

NaiveFigures measureNaive(const std::string& db, std::int64_t orders) {
  NaiveFigures figures;
  {
    const double rssBefore = residentBytes();
    const auto start = Clock::now();
    NaiveList list(db);
    figures.ok = waitUntil([&] { return list.paintsWithRows() > 0; });
    figures.firstPaintMs = msSince(start);
    int paintsBefore = 0;
    figures.filter = measure(
        [&] {
          paintsBefore = list.paintsWithRows();
          list.proxy().setFilterFixedString(QStringLiteral("CLOSED"));
          list.fetchAll();
        },
        [&] { return list.paintsWithRows() > paintsBefore; });
    figures.ok = figures.ok && figures.filter.shown && list.model().rowCount() == orders;
    figures.rssGrowthBytes = residentBytes() - rssBefore;
  }
  {
    NaiveList list(db);
    figures.ok = figures.ok && waitUntil([&] { return list.paintsWithRows() > 0; });
    int paintsBefore = 0;
    figures.lastPage = measure(
        [&] {
          paintsBefore = list.paintsWithRows();
          list.fetchAll();
          list.view().scrollToBottom();
        },
        [&] { return list.paintsWithRows() > paintsBefore; });
    figures.ok = figures.ok && figures.lastPage.shown && list.model().rowCount() == orders;
  }
  return figures;
}

// ---- the table -------------------------------------------------------------------------

std::string ms(double value) { return value < 10 ? fmt::format("{:.2f} ms", value) : fmt::format("{:.0f} ms", value); }
std::string mib(double bytes) { return fmt::format("{:.2f} MB", bytes / kMiB); }

void printRow(const std::string& what, const std::string& ours, const std::string& naive, const std::string& target) {
  fmt::print("{:<38} {:<34} {:<26} {}\n", what, ours, naive, target);
}

} // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  std::int64_t orders = -1;
  std::string db;
  QString console;
  bool spawn = true;
  std::int64_t naiveMax = 1'000'000;
  double stallSeconds = 3;
  double burstSeconds = 10;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool valued = i + 1 < argc;
    if (arg == "--orders" && valued) {
      orders = std::atoll(argv[++i]);
    } else if (arg == "--db" && valued) {
      db = argv[++i];
    } else if (arg == "--console" && valued) {
      console = QString::fromLocal8Bit(argv[++i]);
    } else if (arg == "--no-console") {
      spawn = false;
    } else if (arg == "--naive-max-orders" && valued) {
      naiveMax = std::atoll(argv[++i]);
    } else if (arg == "--stall-seconds" && valued) {
      stallSeconds = std::atof(argv[++i]);
    } else if (arg == "--burst-seconds" && valued) {
      burstSeconds = std::atof(argv[++i]);
    } else if (arg == "--smoke") {
      smoke = true;
    } else {
      fmt::print(stderr, "usage: console_bench [--orders N] [--db PATH] [--console PATH | --no-console] "
                         "[--naive-max-orders N] [--stall-seconds S] [--burst-seconds S] [--smoke]\n");
      return 2;
    }
  }
  namespace fs = std::filesystem;
  const fs::path scratch = fs::temp_directory_path() / fmt::format("console-bench-{}", std::random_device{}());
  if (smoke) {
    orders = orders < 0 ? 2000 : orders;
    stallSeconds = 0.5;
    burstSeconds = 0.5;
    spawn = false;
    if (db.empty()) {
      fs::create_directories(scratch);
      db = (scratch / "console.db").string();
    }
  }
  orders = orders < 0 ? 1'000'000 : orders;
  if (db.empty()) {
    db = fmt::format("/tmp/opflow-console-bench-{}.db", orders);
  }
  if (console.isEmpty()) {
    console = QStringLiteral(OPFLOW_CONSOLE_PATH);
  }

  TimedApplication app(argc, argv);
  if (!ensureDatabase(db, orders) || !warmUpWidgets()) {
    return 1;
  }
  fmt::print("console_bench: {} orders in {}\n", orders, db);

  std::optional<double> spawned;
  if (spawn) {
    spawned = spawnedFirstPaintMs(console, db);
  }
  const int repeats = smoke ? 1 : 3;
  const OursFigures ours = measureOurs(db, stallSeconds, burstSeconds, repeats);
  std::optional<NaiveFigures> naive;
  if (orders <= naiveMax) {
    naive = measureNaive(db, orders);
  }

  fmt::print("\n");
  printRow("", "ours", "naive Qt", "target");
  const std::string skipped = fmt::format("skipped (> {} orders)", naiveMax);
  printRow("process start -> first painted list",
           spawned ? fmt::format("{} (spawned console)", ms(*spawned)) : "n/a (console did not report)", "", "<= 1000 ms");
  printRow("  in-process: open + view to rows",
           fmt::format("{} + {}", ms(ours.sessionOpenMs), ms(ours.viewFirstPaintMs)),
           naive ? ms(naive->firstPaintMs) : skipped, "");
  printRow("status filter change, GUI thread",
           fmt::format("{} median, {} max", ms(ours.filter.medianMs), ms(ours.filter.maxMs)),
           naive ? ms(naive->filter.busyMs) : skipped, "<= 16 ms");
  printRow("jump to last page, GUI thread",
           fmt::format("{} median, {} max", ms(ours.lastPage.medianMs), ms(ours.lastPage.maxMs)),
           naive ? ms(naive->lastPage.busyMs) : skipped, "<= 16 ms");
  printRow("  longest single GUI event in those", ms(std::max(ours.filter.longestEventMs, ours.lastPage.longestEventMs)),
           naive ? ms(std::max(naive->filter.longestMs, naive->lastPage.longestMs)) : skipped, "");
  printRow("memory held by the order list",
           fmt::format("{} rows ({} RSS growth)", mib(ours.rowBytes), mib(ours.rssGrowthBytes)),
           naive ? fmt::format("{} RSS growth", mib(naive->rssGrowthBytes)) : skipped, "<= 20 MB");
  printRow(fmt::format("longest stall, {} run events/s", kEventsPerSecond),
           fmt::format("{} (main window, live runs)", ms(ours.stallMs)), "", "<= 16 ms");
  printRow(fmt::format("longest stall, {} run events/s", kBurstEventsPerSecond),
           fmt::format("{} (live runs in front)", ms(ours.burstRunsStallMs)), "", "<= 16 ms");
  printRow("", fmt::format("{} (dashboard in front)", ms(ours.burstDashboardStallMs)), "", "<= 16 ms");

  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  if (!ours.ok || (naive && !naive->ok)) {
    fmt::print(stderr, "console_bench: a list never showed what it was asked for\n");
    return 1;
  }
  return 0;
}
