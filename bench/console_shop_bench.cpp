// console_shop_bench: the console in a busy shop. Four workstations change orders at 1,000
// changes a second in all (each its own share of the orders the console's first page
// shows: a hold, then its release, each an order change the shop takes), every one of
// them pushing what it makes on a thread of its own); a console on a fifth workstation of
// the shop shows the order list, its sync thread (sync::SyncLoop) running. A timing program, not a test: it prints its figures.
//
//   stall        the longest GUI-thread event over the whole run (every event the main
//                window's thread dispatches, timed in QApplication::notify);
//   visible      from a change committed at its workstation to the console's order list
//                showing that order at that version or later (checked at each page the
//                model takes), p50 / p99 / max, and how many changes were never seen;
//   rate         the changes made a second, and the rounds the console's sync took.
//
// Both shop backends are measured: a shared SQLite file, and PostgreSQL on a throwaway
// server the benchmark starts (PgTestServer: a temporary folder, a Unix socket, fsync on).
// In a shop the four workstations are machines of their own; here they share the console's
// two cores. --others-nice N runs their threads (their changes, pushes and store writers)
// at that nice value, so their work yields to the console's as another machine's would;
// the shared database's server is not lowered.
//
// Flags:  --seconds S   how long the four workstations change orders (default 10)
//         --rate N      changes a second in all (default 1000)
//         --orders N    orders of the shop (default 2000)
//         --backend B   sqlite, postgres or both (default both)
//         --others-nice N   the four workstations' threads at nice N (default 0: as the console)
//         --smoke       2 s at 200 changes/s on the SQLite file: checks that changes arrive
//
// Run (Release build):
//   cmake --build build-ci --target console_shop_bench
//   QT_QPA_PLATFORM=offscreen build-ci/bench/console_shop_bench
#include "PgTestServer.h"
#include "TimedApplication.h"

#include "opflow/auth/PasswordHash.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/UserStore.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SyncState.h"
#include "opflow/sync/Synchronizer.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/models/OrderListModel.h"
#include "opflow/ui/views/MainWindow.h"
#include "opflow/ui/views/OrdersView.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace opflow;
using bench::Clock;
using bench::msSince;
using bench::must;
using bench::runUntil;
using bench::TimedApplication;
using std::chrono::milliseconds;

constexpr int kPushers = 4;
constexpr const char* kSupervisor = "sam";
constexpr const char* kPassword = "sam-password-bench";

// Lowers the calling thread's priority to `nice` (the threads it starts inherit it).
void lowerPriority(int nice) {
  if (nice > 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice) != 0) {
    throw std::runtime_error(fmt::format("cannot lower a thread's priority to nice {}: {}", nice, std::strerror(errno)));
  }
}

// One of the four workstations' sync, push only: on one machine of two cores, their
// pulling of each other's changes would measure the machine, not the console (in a shop
// each workstation has its own). What it makes goes up within a few milliseconds.
void pushUntil(store::LocalStore& local, const std::string& name, const std::string& target, int nice,
               const std::atomic<bool>& stop) {
  lowerPriority(nice);
  auto shared = must(sync::openSharedDatabase(target, false), "open the shop to push");
  sync::Synchronizer synchronizer(local, *shared, name);
  while (!stop.load()) {
    auto pushed = must(synchronizer.push(), "push");
    if (pushed.pushed == 0) {
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  must(synchronizer.push(), "push the last changes");
}

// The changes made, for the console's side to find: order -> (version, when) in order.
class Ledger {
public:
  void made(const std::string& number, std::int64_t version) {
    std::lock_guard lock(m_mutex);
    m_made[number].push_back({version, Clock::now(), false});
  }
  // The order shows `version`: every change up to it is visible now.
  void shown(const std::string& number, std::int64_t version) {
    const auto now = Clock::now();
    std::lock_guard lock(m_mutex);
    auto found = m_made.find(number);
    if (found == m_made.end()) {
      return;
    }
    for (Change& change : found->second) {
      if (!change.seen && change.version <= version) {
        change.seen = true;
        m_latenciesMs.push_back(std::chrono::duration<double, std::milli>(now - change.at).count());
      }
    }
  }
  [[nodiscard]] std::vector<double> latencies() {
    std::lock_guard lock(m_mutex);
    return m_latenciesMs;
  }
  [[nodiscard]] long made() {
    std::lock_guard lock(m_mutex);
    long count = 0;
    for (const auto& [number, changes] : m_made) {
      count += static_cast<long>(changes.size());
    }
    return count;
  }

private:
  struct Change {
    std::int64_t version;
    Clock::time_point at;
    bool seen;
  };
  std::mutex m_mutex;
  std::map<std::string, std::vector<Change>> m_made;
  std::vector<double> m_latenciesMs;
};

struct Options {
  double seconds = 10;
  int rate = 1000;
  std::int64_t orders = 2000;
  std::string backend = "both";
  int othersNice = 0;
};

struct Figures {
  double longestStallMs = 0;
  double longestStallCpuMs = 0;
  std::string longestEvent;
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  long made = 0;
  long seen = 0;
  double seconds = 0;
  long consoleRounds = 0;
  double roundMedianMs = 0;
  double pulledPerRound = 0;
};

// A workstation database joined to the shop as `name`; with `seed` orders, the shop's
// first workstation, with its users and orders made there first.
std::unique_ptr<store::LocalStore> workstation(const std::filesystem::path& dir, const std::string& name,
                                               const std::string& target, std::int64_t seed) {
  auto local = must(store::LocalStore::open({(dir / (name + ".db")).string(), true}), "open a workstation");
  const store::User admin{"admin", domain::Role::Admin, false, 0, 0};
  if (seed > 0) {
    store::UserStore users(*local);
    const store::Requester bootstrap{std::nullopt, name, ""};
    must(users.markAsDemo(bootstrap), "mark the shop as a demo");
    must(users.setPasswordCost(auth::PasswordCost::Minimum, bootstrap), "password cost");
    must(users.add({"admin", domain::Role::Admin, "admin-password-bench"}, bootstrap), "add the admin");
    const store::Requester byAdmin{store::Credentials{"admin", "admin-password-bench"}, name, ""};
    must(users.add({kSupervisor, domain::Role::Supervisor, kPassword}, byAdmin), "add the supervisor");
    // Made one by one, as the shop sends them up (a seeded batch writes no outbox).
    store::OrderStore orders(*local);
    const store::OrderActor by{kSupervisor, "supervisor", name, "", ""};
    for (std::int64_t made = 0; made < seed; ++made) {
      must(orders.create({"", fmt::format("Customer {}", made % 97), 1, std::nullopt, "PLA", "", "", Json::object()},
                         by),
           "make an order");
    }
  }
  auto shared = must(sync::openSharedDatabase(target, seed > 0), "open the shop");
  must(sync::joinShared(*local, *shared, target, name, admin), "join the shop");
  must(sync::Synchronizer(*local, *shared, name).once(), "first sync");
  return local;
}

// One workstation changing its orders at `perSecond` until `stop`.
void changeOrders(store::LocalStore& local, const std::string& name, const std::vector<std::string>& numbers,
                  int perSecond, int nice, Ledger& ledger, const std::atomic<bool>& stop) {
  lowerPriority(nice);
  store::OrderStore orders(local);
  const store::OrderActor actor{kSupervisor, "supervisor", name, "", ""};
  std::map<std::string, bool> held;
  const auto every = std::chrono::nanoseconds(1'000'000'000LL / perSecond);
  auto next = Clock::now();
  for (std::size_t i = 0; !stop.load(); ++i) {
    const std::string& number = numbers[i % numbers.size()];
    bool& isHeld = held[number];
    auto changed = isHeld ? orders.release(number, actor)
                          : orders.hold(number, domain::HoldReason::MaterialShortage, actor);
    if (changed) {
      isHeld = !isHeld;
      ledger.made(number, changed->version);
    } else if (changed.error().code == ErrorCode::Conflict) {
      isHeld = !isHeld; // held or released already (the shop's state came first): the other way next
    } else {
      throw std::runtime_error(fmt::format("{} could not change {}: {}", name, number, changed.error().describe()));
    }
    next += every;
    std::this_thread::sleep_until(next);
  }
}

Figures measure(const std::string& target, const std::filesystem::path& dir, const Options& options) {
  auto consoleDb = workstation(dir, "ws-console", target, options.orders);
  consoleDb.reset(); // the console opens it
  std::vector<std::unique_ptr<store::LocalStore>> pushers;
  // Opened on a thread of their priority, so their stores' writer threads have it too.
  std::exception_ptr failed;
  std::thread([&] {
    try {
      lowerPriority(options.othersNice);
      for (int k = 1; k <= kPushers; ++k) {
        pushers.push_back(workstation(dir, fmt::format("ws-{}", k), target, 0));
      }
    } catch (...) {
      failed = std::current_exception();
    }
  }).join();
  if (failed) {
    std::rethrow_exception(failed);
  }

  ui::ConsoleOptions consoleOptions;
  consoleOptions.databasePath = QString::fromStdString((dir / "ws-console.db").string());
  auto session = must(ui::ConsoleSession::open(consoleOptions), "open the console");
  bool signedIn = false;
  QObject::connect(session.get(), &ui::ConsoleSession::signedIn, [&signedIn] { signedIn = true; });
  session->startEngine();
  session->startSync();
  session->signIn(QString::fromUtf8(kSupervisor), QString::fromUtf8(kPassword));
  runUntil([&signedIn] { return signedIn; }, 10'000);
  if (!signedIn) {
    throw std::runtime_error("the console did not sign in");
  }
  ui::MainWindow window(*session);
  window.show();
  ui::OrdersView* view = window.ordersView();
  runUntil([view] { return view->isLoaded(); }, 10'000);
  // The orders the list's first page shows that may be held and released.
  std::vector<std::vector<std::string>> shares(kPushers);
  int next = 0;
  for (const store::OrderSummary& row : view->model()->rows()) {
    if (!domain::isFinal(row.status)) {
      shares[static_cast<std::size_t>(next++ % kPushers)].push_back(row.number);
    }
  }
  for (const auto& share : shares) {
    if (share.empty()) {
      throw std::runtime_error("the first page holds too few open orders");
    }
  }

  Ledger ledger;
  ui::OrderListModel* model = view->model();
  const auto look = [&] {
    for (const store::OrderSummary& row : model->rows()) {
      ledger.shown(row.number, row.version);
    }
  };
  QObject::connect(model, &ui::OrderListModel::pageLoaded, look);

  std::atomic<bool> stopPushing{false};
  std::vector<std::thread> syncs;
  for (int k = 0; k < kPushers; ++k) {
    syncs.emplace_back(pushUntil, std::ref(*pushers[static_cast<std::size_t>(k)]), fmt::format("ws-{}", k + 1),
                       std::cref(target), options.othersNice, std::cref(stopPushing));
  }
  // The window's first paints are the first paint's business (console_bench), not this one's.
  runUntil([] { return false; }, 1000);
  auto* app = static_cast<TimedApplication*>(QCoreApplication::instance());
  long roundsBefore = 0;
  std::vector<double> roundMs;
  long pulled = 0;
  QObject::connect(&session->syncEvents(), &ui::SyncBridge::roundFinished,
                   [&](const sync::SyncRound& round) {
                     ++roundsBefore;
                     roundMs.push_back(static_cast<double>(round.durationMs));
                     pulled += round.report.pulled;
                   });
  app->resetTiming();
  std::atomic<bool> stop{false};
  std::vector<std::thread> changers;
  const auto started = Clock::now();
  for (int k = 0; k < kPushers; ++k) {
    changers.emplace_back(changeOrders, std::ref(*pushers[static_cast<std::size_t>(k)]), fmt::format("ws-{}", k + 1),
                          std::cref(shares[static_cast<std::size_t>(k)]), options.rate / kPushers,
                          options.othersNice, std::ref(ledger), std::cref(stop));
  }
  runUntil([] { return false; }, static_cast<int>(options.seconds * 1000.0));
  stop = true;
  for (std::thread& changer : changers) {
    changer.join();
  }
  const double seconds = msSince(started) / 1000.0;
  Figures figures;
  figures.longestStallMs = app->longestMs();
  figures.longestStallCpuMs = app->longestCpuMs();
  figures.longestEvent = app->longest();
  // The last changes' way to the console, not timed as a stall.
  runUntil([] { return false; }, 3000);
  stopPushing = true;
  for (std::thread& pusher : syncs) {
    pusher.join();
  }
  std::vector<double> latencies = ledger.latencies();
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&latencies](double q) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
  };
  figures.p50 = at(0.50);
  figures.p99 = at(0.99);
  figures.max = latencies.empty() ? 0.0 : latencies.back();
  figures.made = ledger.made();
  figures.seen = static_cast<long>(latencies.size());
  figures.seconds = seconds;
  figures.consoleRounds = roundsBefore;
  std::sort(roundMs.begin(), roundMs.end());
  figures.roundMedianMs = roundMs.empty() ? 0.0 : roundMs[roundMs.size() / 2];
  figures.pulledPerRound = roundsBefore == 0 ? 0.0 : static_cast<double>(pulled) / static_cast<double>(roundsBefore);
  return figures;
}

void print(const std::string& backend, const Figures& figures, const Options& options) {
  fmt::print("{} (the other workstations at nice {}): {} changes in {:.1f} s ({:.0f}/s, asked {}/s); the console's "
             "sync: {} rounds, median {:.0f} ms, {:.0f} changes pulled a round\n",
             backend, options.othersNice, figures.made, figures.seconds,
             static_cast<double>(figures.made) / figures.seconds, options.rate, figures.consoleRounds,
             figures.roundMedianMs, figures.pulledPerRound);
  fmt::print("  longest GUI-thread stall      {:8.1f} ms   (target at most 16 ms; event {}, {:.1f} ms of it on a "
             "core)\n",
             figures.longestStallMs, figures.longestEvent, figures.longestStallCpuMs);
  fmt::print("  change visible in the list    p50 {:.0f} ms, p99 {:.0f} ms, max {:.0f} ms   (target p99 at most 250 ms)\n",
             figures.p50, figures.p99, figures.max);
  fmt::print("  changes never seen            {}\n", figures.made - figures.seen);
}

} // namespace

int main(int argc, char* argv[]) {
  Options options;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        throw std::runtime_error(fmt::format("{} needs a value", argv[i]));
      }
      return argv[++i];
    };
    if (std::strcmp(argv[i], "--seconds") == 0) {
      options.seconds = std::stod(value());
    } else if (std::strcmp(argv[i], "--rate") == 0) {
      options.rate = std::stoi(value());
    } else if (std::strcmp(argv[i], "--orders") == 0) {
      options.orders = std::stoll(value());
    } else if (std::strcmp(argv[i], "--backend") == 0) {
      options.backend = value();
    } else if (std::strcmp(argv[i], "--others-nice") == 0) {
      options.othersNice = std::stoi(value());
    } else if (std::strcmp(argv[i], "--smoke") == 0) {
      smoke = true;
    } else {
      std::fprintf(stderr, "console_shop_bench: unknown flag %s (see the top of console_shop_bench.cpp)\n", argv[i]);
      return 2;
    }
  }
  if (smoke) {
    options = {2, 200, 500, "sqlite", 0};
  }
  TimedApplication app(argc, argv);
  try {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      fmt::format("opflow-console-shop-bench-{}", QCoreApplication::applicationPid());
    int failures = 0;
    for (const std::string backend : {"sqlite", "postgres"}) {
      if (options.backend != "both" && options.backend != backend) {
        continue;
      }
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
      std::unique_ptr<testing::PgTestServer> server;
      std::string target = (dir / "shared.db").string();
      if (backend == "postgres") {
        server = std::make_unique<testing::PgTestServer>(testing::PgTestServer::Durability::Full);
        target = server->database();
      }
      const Figures figures = measure(target, dir, options);
      print(backend == "sqlite" ? "shared SQLite file" : "PostgreSQL", figures, options);
      failures += figures.seen == 0 ? 1 : 0;
    }
    std::filesystem::remove_all(dir);
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "console_shop_bench: %s\n", error.what());
    return 1;
  }
}
