#include "opflow/demo/DemoShop.h"

#include "opflow/AtomicFile.h"
#include "opflow/auth/RunSigning.h"
#include "opflow/builtin/Workstation.h"
#include "opflow/demo/DemoModels.h"
#include "opflow/demo/DemoPlan.h"
#include "opflow/domain/TrackingNumber.h"
#include "opflow/engine/Engine.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/Database.h"
#include "opflow/store/Settings.h"
#include "opflow/store/SqliteRunStore.h"

#include <fmt/format.h>

#include <array>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <unordered_map>

namespace opflow::demo {

namespace {

using namespace std::chrono_literals;
using domain::Role;
using engine::RunId;

constexpr std::array kDemoUsers{
    DemoUser{"ada", Role::Admin, "ada-demo"},       DemoUser{"olga", Role::Operator, "olga-demo"},
    DemoUser{"omar", Role::Operator, "omar-demo"},  DemoUser{"sam", Role::Supervisor, "sam-demo"},
    DemoUser{"maya", Role::Manager, "maya-demo"},
};
constexpr const char* kSupervisor = "sam";
constexpr const char* kSupervisorPassword = "sam-demo";
constexpr const char* kWrongFile = "quote_request.pdf";
constexpr std::size_t kForgetEvery = 2000;  // steps between clearing the ended runs the watch knows
constexpr std::size_t kProgressEvery = 200; // steps between progress reports

std::int64_t toMs(engine::TimePoint at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

engine::TimePoint fromMs(std::int64_t ms) { return engine::TimePoint(std::chrono::milliseconds(ms)); }

// Where each run of the replay stands, from the engine's events: ended (how), or parked
// (for which signal, sub-run or time).
class RunWatch final : public engine::RunListener {
public:
  enum class Kind { Running, Waiting, Completed, Failed, Cancelled };
  struct State {
    Kind kind = Kind::Running;
    std::string signal;
    RunId child;
    std::optional<engine::TimePoint> wakeAt;
    Json outputs;
    std::string error;
  };

  void onStepEntered(const engine::StepEnteredEvent& event) override { set(event.runId, {}); }
  void onWaiting(const engine::WaitingEvent& event) override {
    set(event.runId, {Kind::Waiting, event.signal, event.child, event.wakeAt, nullptr, {}});
  }
  void onCompleted(const engine::CompletedEvent& event) override {
    set(event.runId, {Kind::Completed, {}, {}, {}, event.outputs, {}});
  }
  void onFailed(const engine::FailedEvent& event) override {
    set(event.runId, {Kind::Failed, {}, {}, {}, nullptr, event.error.describe()});
  }
  void onCancelled(const engine::CancelledEvent& event) override {
    set(event.runId, {Kind::Cancelled, {}, {}, {}, nullptr, "cancelled"});
  }

  [[nodiscard]] State get(const RunId& id) const {
    std::lock_guard lock(m_mutex);
    auto found = m_states.find(id);
    return found == m_states.end() ? State{} : found->second;
  }
  void forget() {
    std::lock_guard lock(m_mutex);
    m_states.clear();
  }

private:
  void set(const RunId& id, State state) {
    std::lock_guard lock(m_mutex);
    m_states[id] = std::move(state);
  }

  mutable std::mutex m_mutex;
  std::unordered_map<RunId, State> m_states;
};

// Runs that have reported progress (the live price calculations have started working).
class ProgressWatch final : public engine::RunListener {
public:
  void onProgress(const engine::ProgressEvent& event) override {
    if (event.structural) {
      return;
    }
    std::lock_guard lock(m_mutex);
    m_reported.insert(event.runId);
    m_changed.notify_all();
  }
  bool waitFor(std::size_t runs, std::chrono::milliseconds limit) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, limit, [&] { return m_reported.size() >= runs; });
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::set<RunId> m_reported;
};

// A valid tracking number of `carrier`, by its own check: random digits in the carrier's
// shape, the last digit tried until the check holds.
std::string trackingNumber(const std::string& carrier, std::mt19937_64& random) {
  auto digits = [&](int count) {
    std::string text;
    for (int i = 0; i < count; ++i) {
      text += static_cast<char>('0' + random() % 10);
    }
    return text;
  };
  std::string stem = carrier == "UPS"     ? "1Z" + digits(6) + "03" + digits(7)
                     : carrier == "FEDEX" ? digits(11)
                     : carrier == "USPS"  ? "9400" + digits(17)
                     : carrier == "DPD"   ? digits(13)
                                          : digits(9);
  for (char last = '0'; last <= '9'; ++last) {
    if (domain::checkTrackingNumber(carrier, stem + last).valid) {
      return stem + last;
    }
  }
  return stem + '0';
}

struct Actor {
  std::string user;
  Role role;
};

class Replay {
public:
  Replay(store::LocalStore& store, builtin::Workstation& workstation, engine::ManualClock& clock,
         const DemoOptions& options, const std::vector<DemoModel>& models, std::filesystem::path wrongFile)
      : m_workstation(workstation), m_clock(clock), m_options(options), m_models(models),
        m_wrongFile(std::move(wrongFile)), m_catalog(m_handlers), m_runs(store), m_random(options.seed) {}

  Status open() {
    if (Status registered = builtin::registerHandlers(m_handlers, m_workstation.services()); !registered) {
      return registered;
    }
    if (Status loaded = builtin::loadDefinitions(m_catalog); !loaded) {
      return loaded;
    }
    m_engine = std::make_unique<engine::Engine>(m_catalog, m_runs, engine::EngineOptions{0, 10'000, &m_clock});
    m_engine->addListener(m_watch);
    return {};
  }

  Status replay(const DemoPlan& plan, DemoReport& report) {
    m_numbers.assign(plan.orders.size(), std::string());
    std::size_t done = 0;
    if (m_options.progress) {
      m_options.progress(done, plan.steps.size());
    }
    for (const PlannedStep& step : plan.steps) {
      m_clock.moveTo(fromMs(step.atMs));
      if (Status replayed = replayStep(plan.orders[step.order], step, report); !replayed) {
        return replayed;
      }
      if (++done % kForgetEvery == 0) {
        m_watch.forget();
      }
      if (m_options.progress && (done % kProgressEvery == 0 || done == plan.steps.size())) {
        m_options.progress(done, plan.steps.size());
      }
    }
    m_engine.reset();
    return m_runs.flush();
  }

  [[nodiscard]] const std::string& number(std::size_t order) const { return m_numbers[order]; }

private:
  Status replayStep(const DemoOrder& order, const PlannedStep& step, DemoReport& report) {
    const std::string& number = m_numbers[step.order];
    if (step.step != DemoStep::Create && number.empty()) {
      return {}; // its creation went wrong, which is reported already
    }
    Actor operatorActor{order.operatorName, Role::Operator};
    Actor supervisor{kSupervisor, Role::Supervisor};
    bool refusal = false;
    std::string operation;
    Json inputs{{"order", number}};
    Actor actor = operatorActor;
    switch (step.step) {
    case DemoStep::Create:
      operation = "order.create";
      inputs = Json{{"customer", order.customer}, {"material", order.material}, {"quantity", order.quantity},
                    {"rush", order.rush}, {"priority", order.priority}};
      break;
    case DemoStep::UploadWrongFile:
      operation = "order.upload_file";
      inputs["path"] = m_wrongFile.string();
      refusal = true;
      break;
    case DemoStep::UploadFile:
      operation = "order.upload_file";
      inputs["path"] = m_models[order.model % m_models.size()].path.string();
      break;
    case DemoStep::Submit: operation = "order.submit"; break;
    case DemoStep::CalculatePrice: operation = "order.calculate_price"; break;
    case DemoStep::Approve: operation = "order.approve_manufacturing"; break;
    case DemoStep::StartManufacturing: operation = "order.start_manufacturing"; break;
    case DemoStep::CompleteManufacturing:
      operation = "order.complete_manufacturing";
      inputs["quality_passed"] = step.qualityPassed;
      if (!step.qualityPassed) {
        inputs["quality_notes"] = "layer separation on the second part";
        refusal = true;
      }
      break;
    case DemoStep::Release:
      operation = "order.release";
      inputs["note"] = "reprinted and checked";
      actor = supervisor;
      break;
    case DemoStep::StartPackaging: operation = "order.start_packaging"; break;
    case DemoStep::ShipWithTypo:
    case DemoStep::Ship: {
      operation = "order.ship";
      const std::string tracking = trackingNumber(order.carrier, m_random);
      inputs["carrier"] = order.carrier;
      // A typo: one character short.
      inputs["tracking_number"] = step.step == DemoStep::Ship ? tracking : tracking.substr(0, tracking.size() - 1);
      refusal = step.step == DemoStep::ShipWithTypo;
      break;
    }
    case DemoStep::ReviewAudit:
      operation = "order.review_audit";
      actor = supervisor;
      break;
    case DemoStep::Close:
      operation = "order.close";
      actor = supervisor;
      break;
    case DemoStep::Hold:
      operation = "order.hold";
      inputs["reason"] = domain::toString(order.holdReason);
      inputs["note"] = "on hold until cleared";
      actor = supervisor;
      break;
    case DemoStep::Cancel:
      operation = "order.cancel";
      inputs["reason"] = order.cancelReason;
      actor = supervisor;
      break;
    }
    auto outcome = run(operation, std::move(inputs), actor, report);
    if (!outcome) {
      return outcome.error();
    }
    ++report.runs;
    bool completed = outcome->kind == RunWatch::Kind::Completed;
    if (refusal && !completed) {
      ++report.refused;
    } else if (refusal || !completed) {
      report.unexpected.push_back(fmt::format("{} {} ({}): {}", number.empty() ? "new order" : number, toString(step.step),
                                              operation, completed ? "completed" : outcome->error));
    }
    if (step.step == DemoStep::Create && completed) {
      m_numbers[step.order] = outcome->outputs.value("order", std::string());
    }
    return {};
  }

  // Runs the operation to its end: signs where it waits for a signature (the supervisor),
  // moves the clock on to the timers it waits for (backoffs).
  Result<RunWatch::State> run(const std::string& operation, Json inputs, const Actor& actor, DemoReport& report) {
    engine::RunContext context{actor.user, domain::toString(actor.role), m_options.workstation, {}, {}, {}};
    auto started = m_engine->start({operation, std::nullopt, std::move(inputs), context});
    if (!started) {
      return RunWatch::State{RunWatch::Kind::Failed, {}, {}, {}, nullptr, started.error().describe()};
    }
    for (int round = 0; round < 100; ++round) {
      RunWatch::State state = m_watch.get(*started);
      if (state.kind != RunWatch::Kind::Waiting) {
        return state;
      }
      RunId leaf = *started;
      RunWatch::State leafState = state;
      while (!leafState.child.empty()) {
        leaf = leafState.child;
        leafState = m_watch.get(leaf);
      }
      if (leafState.signal == "signature") {
        auto signing = m_engine->runRecord(leaf);
        if (!signing) {
          return makeError(ErrorCode::Internal, fmt::format("run {} waits for a signature but is unknown", leaf.str()));
        }
        auto signature = auth::signForRun(*m_engine, m_workstation.signatures(), *started, *signing,
                                          {kSupervisor, kSupervisorPassword}, m_options.workstation);
        if (!signature) {
          return signature.error();
        }
        ++report.signatures;
      } else if (leafState.signal.empty() && leafState.wakeAt) {
        m_clock.moveTo(*leafState.wakeAt);
        m_engine->fireDueTimers();
      } else {
        return state;
      }
    }
    return makeError(ErrorCode::Internal, fmt::format("{} did not end after 100 rounds of signing and timers", operation));
  }

  builtin::Workstation& m_workstation;
  engine::ManualClock& m_clock;
  const DemoOptions& m_options;
  const std::vector<DemoModel>& m_models;
  std::filesystem::path m_wrongFile;
  engine::HandlerRegistry m_handlers;
  engine::OperationCatalog m_catalog;
  store::SqliteRunStore m_runs;
  RunWatch m_watch;
  std::unique_ptr<engine::Engine> m_engine;
  std::vector<std::string> m_numbers;
  std::mt19937_64 m_random;
};

Status addUsers(builtin::Workstation& workstation, const std::string& workstationName) {
  store::UserStore& users = workstation.users();
  // The demo passwords are public: the database is marked a demo, whose hashes may be
  // cheap. Users added later get the interactive cost again.
  if (Status marked = users.markAsDemo({std::nullopt, workstationName, {}}); !marked) {
    return marked;
  }
  if (Status cost = users.setPasswordCost(auth::PasswordCost::Minimum, {std::nullopt, workstationName, {}}); !cost) {
    return cost;
  }
  const DemoUser& admin = kDemoUsers.front();
  if (auto added = users.add({admin.name, admin.role, admin.password}, {std::nullopt, workstationName, {}}); !added) {
    return added.error();
  }
  store::Requester byAdmin{store::Credentials{admin.name, admin.password}, workstationName, {}};
  for (const DemoUser& user : std::span(kDemoUsers).subspan(1)) {
    if (auto added = users.add({user.name, user.role, user.password}, byAdmin); !added) {
      return added.error();
    }
  }
  return users.setPasswordCost(auth::PasswordCost::Interactive, byAdmin);
}

// The demo's pricing settings, audited as the admin's change.
Status configurePricing(store::LocalStore& store, const DemoOptions& options) {
  return store.writer().execute([&](store::Database& db) -> Status {
    Json settings{{std::string(store::setting::kPricingSpeedFactor), options.pricingSpeedFactor},
                  {std::string(store::setting::kPricingFailureRate), 0.03}};
    for (const auto& [key, value] : settings.items()) {
      if (Status written = store::writeSetting(db, key, value); !written) {
        return written;
      }
      store::AuditEntry entry;
      entry.user = kDemoUsers.front().name;
      entry.role = domain::toString(kDemoUsers.front().role);
      entry.workstation = options.workstation;
      entry.action = "settings.changed";
      entry.subjectType = "setting";
      entry.subjectId = key;
      entry.after = value;
      entry.reason = "demo shop: price calculations in seconds, an occasional worker failure";
      if (Status audited = store::appendAudit(db, entry); !audited) {
        return audited;
      }
    }
    return {};
  });
}

// A file a customer might send that the shop does not print from.
Result<std::filesystem::path> writeWrongFile(const std::filesystem::path& directory) {
  std::filesystem::path path = directory / kWrongFile;
  std::ofstream file(path, std::ios::trunc);
  file << "%PDF-1.4\n% a quote request, not a 3D model\n%%EOF\n";
  file.close();
  if (!file) {
    return makeError(ErrorCode::Io, fmt::format("cannot write \"{}\"", path.string()));
  }
  return path;
}

// Starts price calculations of orders the replay left SUBMITTED, on the real clock and a
// worker pool, and stops the engine once each is working: they stay running in the store.
Result<std::vector<std::string>> leaveCalculationsRunning(store::LocalStore& store, const std::vector<std::string>& orders,
                                                          const DemoOptions& options) {
  auto workstation = builtin::Workstation::open(store);
  if (!workstation) {
    return workstation.error();
  }
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog(handlers);
  if (Status registered = builtin::registerHandlers(handlers, (*workstation)->services()); !registered) {
    return registered.error();
  }
  if (Status loaded = builtin::loadDefinitions(catalog); !loaded) {
    return loaded.error();
  }
  store::SqliteRunStore runs(store);
  ProgressWatch progress;
  std::vector<std::string> started;
  {
    engine::Engine engine(catalog, runs, engine::EngineOptions{2, 10'000, nullptr});
    engine.addListener(progress);
    for (const std::string& number : orders) {
      engine::RunContext context{kDemoUsers[1].name, "operator", options.workstation, {}, {}, {}};
      auto run = engine.start({"order.calculate_price", std::nullopt, Json{{"order", number}}, context});
      if (!run) {
        return run.error();
      }
      started.push_back(run->str());
    }
    if (!progress.waitFor(started.size(), 30s)) {
      return makeError(ErrorCode::Internal, "the demo's price calculations did not start within 30 s");
    }
  }
  if (Status flushed = runs.flush(); !flushed) {
    return flushed.error();
  }
  return started;
}

} // namespace

std::span<const DemoUser> demoUsers() { return kDemoUsers; }

const DemoUser& demoSupervisor() {
  for (const DemoUser& user : kDemoUsers) {
    if (user.role == domain::Role::Supervisor) {
      return user;
    }
  }
  return kDemoUsers[0];
}

namespace {

void removeDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
}

// Copies the built database's WAL into it, syncing it, and empties the WAL; then moves it
// to `path`.
Status putInPlace(const std::string& building, const std::string& path) {
  {
    auto db = store::Database::open({building, false, false, store::Durability::Normal, 5000, {}});
    if (!db) {
      return db.error();
    }
    if (Status checkpointed = (*db)->exec("PRAGMA wal_checkpoint(TRUNCATE)"); !checkpointed) {
      return checkpointed;
    }
  }
  if (Status moved = moveIntoPlace(building, path); !moved) {
    return moved;
  }
  removeDatabaseFiles(building); // its emptied -wal and -shm
  return {};
}

// The database is built at `buildPath`, unsynced: it is moved to options.path once whole.
Result<DemoReport> buildDemoShop(const DemoOptions& options, const std::string& buildPath) {
  const auto began = std::chrono::steady_clock::now();
  if (options.orders < 1 || options.orders > 1'000'000) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the demo shop has 1 to 1,000,000 orders, not {}", options.orders));
  }
  DemoReport report;
  std::filesystem::path database(options.path);
  report.models = database.parent_path() / (database.stem().string() + "-models");
  auto models = writeDemoModels(report.models);
  if (!models) {
    return models.error();
  }
  auto wrongFile = writeWrongFile(report.models);
  if (!wrongFile) {
    return wrongFile.error();
  }

  const std::int64_t nowMs = store::nowMs();
  std::vector<std::string> operators;
  for (const DemoUser& user : kDemoUsers) {
    if (user.role == Role::Operator) {
      operators.emplace_back(user.name);
    }
  }
  DemoPlan plan = planDemo({options.orders, options.seed, nowMs, models->size(), operators});

  // The replay's clock starts an hour before the first step (the users and settings come
  // first) and, once the replay is over, the store goes back to the real clock.
  engine::ManualClock clock(fromMs(plan.steps.front().atMs - 3'600'000));
  std::atomic<bool> simulated = true;
  store::LocalStoreOptions storeOptions;
  storeOptions.path = buildPath;
  storeOptions.create = true;
  storeOptions.durability = store::Durability::Unsynced;
  storeOptions.writer.flushInterval = 0us;
  storeOptions.clockMs = [&] { return simulated ? toMs(clock.now()) : store::nowMs(); };
  auto store = store::LocalStore::open(storeOptions);
  if (!store) {
    return store.error();
  }
  if (Status configured = configurePricing(**store, options); !configured) {
    return configured.error();
  }
  auto workstation = builtin::Workstation::open(**store, clock);
  if (!workstation) {
    return workstation.error();
  }
  if (Status added = addUsers(**workstation, options.workstation); !added) {
    return added.error();
  }

  Replay replay(**store, **workstation, clock, options, *models, *wrongFile);
  if (Status opened = replay.open(); !opened) {
    return opened.error();
  }
  if (Status replayed = replay.replay(plan, report); !replayed) {
    return replayed.error();
  }
  simulated = false;

  std::map<std::size_t, DemoStep> lastStep;
  for (const PlannedStep& step : plan.steps) {
    lastStep[step.order] = step.step;
  }
  std::vector<std::string> submitted;
  for (const auto& [order, step] : lastStep) {
    if (step == DemoStep::Submit && !replay.number(order).empty() &&
        submitted.size() < static_cast<std::size_t>(std::max(options.runningPriceCalculations, 0))) {
      submitted.push_back(replay.number(order));
    }
  }
  auto running = leaveCalculationsRunning(**store, submitted, options);
  if (!running) {
    return running.error();
  }
  report.runningRuns = std::move(running).value();

  auto counts = (*workstation)->orders().count();
  if (!counts) {
    return counts.error();
  }
  report.orders = counts->total;
  report.held = counts->held;
  for (const auto& [status, count] : counts->byStatus) {
    report.byStatus[domain::toString(status)] = count;
  }
  report.elapsedMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
  return report;
}

} // namespace

Result<DemoReport> createDemoShop(const DemoOptions& options) {
  std::error_code exists;
  if (std::filesystem::exists(options.path, exists)) {
    return makeError(ErrorCode::Conflict,
                     fmt::format("\"{}\" exists already: the demo shop goes into a new database", options.path));
  }
  // Built beside its place and moved there whole: a crash, a failure or Ctrl+C leaves no
  // half-built shop for the console to open, and the next try starts over.
  const std::string building = options.path + ".building";
  removeDatabaseFiles(building);
  auto report = buildDemoShop(options, building);
  if (report) {
    if (Status placed = putInPlace(building, options.path); !placed) {
      report = placed.error();
    }
  }
  if (!report) {
    removeDatabaseFiles(building);
  }
  return report;
}

} // namespace opflow::demo
