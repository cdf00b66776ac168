// engine_bench: what a step of the engine costs, how many runs it starts per second, and
// the same flowchart as a Qt state machine (QStateMachine) side by side.
//
// The flows. "Counter loop", 10 nodes, input n (steps per run = 4n + 5):
//
//   init ─> more? ─true──> parity? ─true──> even ─┐
//            ^  │                  └false─> odd ──┴─> next ─┐
//            │  └false─> grade? ─case 1─> large ─┐           │
//            │                   └case 2─> small ─┴─> done   │
//            └───────────────────────────────────────────────┘
//
//   init    i, evens, odds, total = 0      more?   i < n
//   parity? i % 2 == 0                     even    evens + 1, total + i
//   odd     odds + 1, total + i            next    i = i + 1
//   grade?  case 1: total >= 10000, case 2: total < 10000
//   large, small: grade = "large", "small" done    result: total, evens, odds, grade
//
// Benchmarks (all in-memory: InMemoryRunStore journals every step; no listener unless observed):
//   engine/logic/n:{250,1}     the loop with JsonLogic decisions and `set` actions.
//   engine/handlers/n:{250,1}  the same flowchart; C++ handlers (HandlerRegistry) do the
//                              actions' work, the decisions stay JsonLogic.
//       Counters: time_per_step = CPU time / steps; items_per_second = steps/s.
//       n:250 is 1005 steps per run, so starting a run is amortised; n:1 is 9 steps.
//   engine/listened/logic/n:{250,1}, engine/listened/runs_sync: the same heard by a
//                              listener that does nothing (the cost of building the events).
//   engine/observed/logic/n:{250,1}, engine/observed/runs_sync: the same with the runs
//                              logged (info level, to a file, as the console does) and
//                              measured (observe::RunLog and observe::RunMetrics listening):
//                              the summary gives both costs as ratios.
//   engine/runs_sync           starts and completes a 3-node flow (decision, set, result)
//                              in synchronous mode (EngineOptions{workers = 0}).
//   engine/runs_pool/real_time the same with a ThreadPool (workers = 2): each iteration
//                              starts 256 runs, then waitUntilIdle(); wall-clock time.
//       Counters: items_per_second = runs/s; time_per_run.
//   qt/struct/n:{250,1}        the counter loop as a QStateMachine whose guards and
//                              actions read and write a C++ struct (the cheapest data
//                              a hand-written state machine could have).
//   qt/variantmap/n:{250,1}    the same reading and writing a QVariantMap (data by name,
//                              like the engine's JSON run data).
//       Counters: time_per_transition = CPU time / transitions; items_per_second = transitions/s.
//
// How the Qt machine is driven, and why it is a fair match. Every flowchart node is a
// QState; leaving a node is one transition, so a run takes 4n + 5 transitions, exactly as
// many as the engine takes steps (done -> a QFinalState is the result step and copies the
// outputs). Transitions are custom QAbstractTransitions: eventTest() accepts the machine's
// eventless check (QEvent::None) when the same condition holds; onTransition() does the
// same `set` work. A decision tries its transitions in order (if_true guarded, if_false
// not; both cases guarded), as the engine evaluates a decision. Each run sets the input n,
// calls QStateMachine::start() and processes QCoreApplication events until finished():
// the machine then takes every transition in one pass of its event loop, as the engine
// in synchronous mode takes every step in one start() call. The machine is built once and
// reused, as the engine reuses its compiled operation.
//
// Before timing, each benchmark checks one run: its end state, its step (transition)
// count and its outputs. The store fills with journaled steps, so every ~200,000 journal
// entries the engine gets a fresh store, with the timer paused.
//
// Run (Release build):
//   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build engine_bench
//   ./build/bench/engine_bench                              # everything, ~15 s
//   ./build/bench/engine_bench --benchmark_min_time=2       # steadier figures
//   ./build/bench/engine_bench --benchmark_filter='n:250'   # the per-step comparison only
//   ./build/bench/engine_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   ./build/bench/engine_bench --benchmark_out=engine.json --benchmark_out_format=json
//   ./build/bench/engine_bench --benchmark_min_time=0.01    # smoke run (ctest -L bench)
// The console table is always printed (a custom reporter adds the summary); use
// --benchmark_out for JSON or CSV. The exit status is 1 when a check run failed.
// "Library was built as DEBUG" refers to Debian's libbenchmark, not to this program. After the table a summary gives ns/step of each flow,
// ns/transition of the Qt machine, their ratio, and runs/s; with repetitions it uses the
// medians.
#include "opflow/engine/Engine.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/model/OperationBuilder.h"
#include "opflow/observe/Log.h"
#include "opflow/observe/RunLog.h"
#include "opflow/observe/RunMetrics.h"

#include <benchmark/benchmark.h>

#include <QAbstractTransition>
#include <QCoreApplication>
#include <QFinalState>
#include <QState>
#include <QStateMachine>
#include <QString>
#include <QVariantMap>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using opflow::Json;
using opflow::Status;
using opflow::engine::Engine;
using opflow::engine::EngineOptions;
using opflow::engine::HandlerEffects;
using opflow::engine::HandlerInput;
using opflow::engine::HandlerRegistry;
using opflow::engine::HandlerResult;
using opflow::engine::InMemoryRunStore;
using opflow::engine::OperationCatalog;
using opflow::engine::RunState;
using opflow::engine::StartRequest;
using opflow::model::InputType;
using opflow::model::OperationBuilder;
using opflow::model::OperationDefinition;

constexpr std::int64_t kLongLoop = 250; // 1005 steps per run
constexpr std::int64_t kShortLoop = 1;  // 9 steps per run
constexpr std::int64_t kLargeTotal = 10'000;

std::int64_t stepsOfLoop(std::int64_t n) { return 4 * n + 5; }

// The outputs the counter loop must produce for input n.
Json expectedLoopOutputs(std::int64_t n) {
  std::int64_t total = n * (n - 1) / 2;
  return Json{{"total", total},
              {"evens", (n + 1) / 2},
              {"odds", n / 2},
              {"grade", total >= kLargeTotal ? "large" : "small"}};
}

// ---- The engine's flows ----------------------------------------------------------------

Json rule(const char* text) { return Json::parse(text); }

// The decisions both engine flows share: more?, parity? and grade?.
OperationBuilder& loopDecisions(OperationBuilder& builder) {
  return builder
      .decision("more?", {.condition = rule(R"({"<": [{"var": "i"}, {"var": "n"}]})"),
                          .ifTrue = "parity?",
                          .ifFalse = "grade?"})
      .decision("parity?", {.condition = rule(R"({"==": [{"%": [{"var": "i"}, 2]}, 0]})"),
                            .ifTrue = "even",
                            .ifFalse = "odd"})
      .decision("grade?", {.cases = {{rule(R"({">=": [{"var": "total"}, 10000]})"), "large"},
                                     {rule(R"({"<": [{"var": "total"}, 10000]})"), "small"}}});
}

OperationDefinition logicFlow() {
  OperationBuilder builder("bench.logic", 1);
  builder.input("n", InputType::Integer, {.required = true, .min = 0})
      .startsWith("init")
      .action("init", {.set = {{"i", 0}, {"evens", 0}, {"odds", 0}, {"total", 0}}, .goTo = "more?"});
  return loopDecisions(builder)
      .action("even", {.set = {{"evens", rule(R"({"+": [{"var": "evens"}, 1]})")},
                               {"total", rule(R"({"+": [{"var": "total"}, {"var": "i"}]})")}},
                       .goTo = "next"})
      .action("odd", {.set = {{"odds", rule(R"({"+": [{"var": "odds"}, 1]})")},
                              {"total", rule(R"({"+": [{"var": "total"}, {"var": "i"}]})")}},
                      .goTo = "next"})
      .action("next", {.set = {{"i", rule(R"({"+": [{"var": "i"}, 1]})")}}, .goTo = "more?"})
      .action("large", {.set = {{"grade", "large"}}, .goTo = "done"})
      .action("small", {.set = {{"grade", "small"}}, .goTo = "done"})
      .result("done", {.fields = {"total", "evens", "odds", "grade"}})
      .build();
}

OperationDefinition handlerFlow() {
  OperationBuilder builder("bench.handlers", 1);
  builder.input("n", InputType::Integer, {.required = true, .min = 0})
      .startsWith("init")
      .action("init", {.handler = "bench.init", .goTo = "more?"});
  return loopDecisions(builder)
      .action("even", {.handler = "bench.tally", .with = {{"counter", "evens"}}, .goTo = "next"})
      .action("odd", {.handler = "bench.tally", .with = {{"counter", "odds"}}, .goTo = "next"})
      .action("next", {.handler = "bench.advance", .goTo = "more?"})
      .action("large", {.handler = "bench.grade", .with = {{"grade", "large"}}, .goTo = "done"})
      .action("small", {.handler = "bench.grade", .with = {{"grade", "small"}}, .goTo = "done"})
      .result("done", {.fields = {"total", "evens", "odds", "grade"}})
      .build();
}

// Three nodes, three steps: the flow whose runs are counted per second.
OperationDefinition shortFlow() {
  return OperationBuilder("bench.short", 1)
      .input("qty", InputType::Integer, {.required = true, .min = 0})
      .startsWith("check?")
      .decision("check?", {.condition = rule(R"({">": [{"var": "qty"}, 0]})"), .ifTrue = "price", .ifFalse = "done"})
      .action("price", {.set = {{"total", rule(R"({"*": [{"var": "qty"}, 2]})")}}, .goTo = "done"})
      .result("done", {.fields = {"total"}})
      .build();
}

std::int64_t intField(const Json& data, const std::string& field) { return data.at(field).get<std::int64_t>(); }

HandlerResult initCounters(const HandlerInput&, HandlerEffects& effects) {
  effects.set("i", 0);
  effects.set("evens", 0);
  effects.set("odds", 0);
  effects.set("total", 0);
  return std::string();
}

HandlerResult tally(const HandlerInput& in, HandlerEffects& effects) {
  const auto& counter = in.args.at("counter").get_ref<const std::string&>();
  effects.set(counter, intField(in.data, counter) + 1);
  effects.set("total", intField(in.data, "total") + intField(in.data, "i"));
  return std::string();
}

HandlerResult advance(const HandlerInput& in, HandlerEffects& effects) {
  effects.set("i", intField(in.data, "i") + 1);
  return std::string();
}

HandlerResult grade(const HandlerInput& in, HandlerEffects& effects) {
  effects.set("grade", in.args.at("grade"));
  return std::string();
}

// The handlers and the catalog of the three flows, built once for the whole program.
class Flows {
public:
  static const Flows& instance() {
    static const Flows flows;
    return flows;
  }

  [[nodiscard]] const OperationCatalog& catalog() const { return m_catalog; }

private:
  Flows() : m_catalog(m_handlers) {
    require(m_handlers.add({.name = "bench.init", .fn = initCounters}));
    require(m_handlers.add({.name = "bench.tally", .fn = tally}));
    require(m_handlers.add({.name = "bench.advance", .fn = advance}));
    require(m_handlers.add({.name = "bench.grade", .fn = grade}));
    require(m_catalog.addAll({logicFlow(), handlerFlow(), shortFlow()}));
  }

  static void require(const Status& status) {
    if (!status) {
      std::fprintf(stderr, "engine_bench: %s\n", status.error().describe().c_str());
      std::exit(EXIT_FAILURE);
    }
  }

  HandlerRegistry m_handlers;
  OperationCatalog m_catalog;
};

StartRequest startRequest(const char* operation, Json inputs) {
  StartRequest request{operation, std::nullopt, std::move(inputs), {}};
  request.context.user = "bench";
  request.context.role = "operator";
  request.context.workstation = "bench-01";
  return request;
}

// An engine over an InMemoryRunStore. The store keeps every run and step, so a long
// benchmark would fill memory: journaled() swaps in a fresh store and engine, with the
// timer paused, once about kJournalBudget entries are kept.
// Who listens to the engine: nobody; a listener that does nothing (the cost of being
// heard at all, which the console's run-event bridge pays anyway); or the console's
// observers, its runs logged (info, to a file) and measured (observe::RunLog,
// observe::RunMetrics).
enum class Listening { None, Idle, Observed };

// A listener that ignores every event.
class IdleListener final : public opflow::engine::RunListener {};

class EngineRig {
public:
  EngineRig(benchmark::State& state, std::size_t workers, Listening listening = Listening::None)
      : m_state(state), m_workers(workers), m_observed(listening == Listening::Observed),
        m_idle(listening == Listening::Idle) {
    if (m_observed) {
      const auto file = std::filesystem::temp_directory_path() / "opflow-engine-bench.log";
      if (Status started = opflow::observe::startLogging({.filePath = file.string()}); !started) {
        state.SkipWithError(started.error().describe().c_str());
      }
    }
    renew();
  }
  ~EngineRig() {
    m_engine.reset();
    if (m_observed) {
      opflow::observe::stopLogging();
    }
  }
  EngineRig(const EngineRig&) = delete;
  EngineRig& operator=(const EngineRig&) = delete;

  [[nodiscard]] Engine& engine() { return *m_engine; }

  // Counts the journal entries of finished runs (a run's record weighs about ten steps).
  void journaled(std::int64_t runs, std::int64_t steps) {
    m_entries += 10 * runs + steps;
    if (m_entries >= kJournalBudget) {
      m_state.PauseTiming();
      renew();
      m_state.ResumeTiming();
    }
  }

  // Runs `request` once and names what is wrong with it, if anything.
  [[nodiscard]] std::optional<std::string> check(const StartRequest& request, std::int64_t steps, const Json& outputs) {
    auto started = m_engine->start(request);
    if (!started) {
      return started.error().describe();
    }
    m_engine->waitUntilIdle();
    auto record = m_engine->runRecord(*started);
    if (!record || record->state != RunState::Completed) {
      return "the check run did not complete" + (record && record->error ? ": " + record->error->describe() : "");
    }
    if (record->stepCount != steps || record->outputs != outputs) {
      return "the check run took " + std::to_string(record->stepCount) + " steps (expected " +
             std::to_string(steps) + ") with outputs " + record->outputs.dump() + " (expected " + outputs.dump() + ")";
    }
    return std::nullopt;
  }

private:
  static constexpr std::int64_t kJournalBudget = 200'000;

  void renew() {
    m_engine.reset();
    m_store = std::make_unique<InMemoryRunStore>();
    m_engine = std::make_unique<Engine>(Flows::instance().catalog(), *m_store, EngineOptions{.workers = m_workers});
    if (m_observed) {
      m_engine->addListener(m_runLog);
      m_engine->addListener(m_runMetrics);
    }
    if (m_idle) {
      m_engine->addListener(m_idleListener);
    }
    m_entries = 0;
  }

  benchmark::State& m_state;
  std::size_t m_workers;
  bool m_observed;
  bool m_idle;
  std::unique_ptr<InMemoryRunStore> m_store;
  IdleListener m_idleListener;
  opflow::observe::RunLog m_runLog;
  opflow::observe::RunMetrics m_runMetrics;
  std::unique_ptr<Engine> m_engine;
  std::int64_t m_entries = 0;
};

// Seconds per item; the console shows it with an SI prefix ("538.2ns").
benchmark::Counter timePerItem(std::int64_t items) {
  return benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void reportSteps(benchmark::State& state, std::int64_t steps) {
  state.SetItemsProcessed(steps);
  state.counters["time_per_step"] = timePerItem(steps);
}

void reportRuns(benchmark::State& state, std::int64_t runs) {
  state.SetItemsProcessed(runs);
  state.counters["time_per_run"] = timePerItem(runs);
}

// One run of the counter loop per iteration, synchronous mode.
void benchEngineLoop(benchmark::State& state, const char* operation, Listening listening) {
  const std::int64_t n = state.range(0);
  const std::int64_t steps = stepsOfLoop(n);
  EngineRig rig(state, 0, listening);
  const StartRequest request = startRequest(operation, Json{{"n", n}});
  if (auto problem = rig.check(request, steps, expectedLoopOutputs(n))) {
    state.SkipWithError(problem->c_str());
    return;
  }
  for (auto _ : state) {
    auto started = rig.engine().start(request);
    benchmark::DoNotOptimize(started);
    rig.journaled(1, steps);
  }
  reportSteps(state, state.iterations() * steps);
}

constexpr std::int64_t kShortSteps = 3;

// One short run per iteration, synchronous mode: start() returns after the run ended.
void benchRunsSync(benchmark::State& state, Listening listening) {
  EngineRig rig(state, 0, listening);
  const StartRequest request = startRequest("bench.short", Json{{"qty", 3}});
  if (auto problem = rig.check(request, kShortSteps, Json{{"total", 6}})) {
    state.SkipWithError(problem->c_str());
    return;
  }
  for (auto _ : state) {
    auto started = rig.engine().start(request);
    benchmark::DoNotOptimize(started);
    rig.journaled(1, kShortSteps);
  }
  reportRuns(state, state.iterations());
}

// A batch of short runs per iteration on two workers; the caller starts them all, then waits.
void benchRunsPool(benchmark::State& state) {
  constexpr std::int64_t kBatch = 256;
  EngineRig rig(state, 2);
  const StartRequest request = startRequest("bench.short", Json{{"qty", 3}});
  if (auto problem = rig.check(request, kShortSteps, Json{{"total", 6}})) {
    state.SkipWithError(problem->c_str());
    return;
  }
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kBatch; ++i) {
      auto started = rig.engine().start(request);
      benchmark::DoNotOptimize(started);
    }
    rig.engine().waitUntilIdle();
    rig.journaled(kBatch, kBatch * kShortSteps);
  }
  reportRuns(state, state.iterations() * kBatch);
}

// ---- The same flow as a Qt state machine ---------------------------------------------------

enum class Field : std::size_t { N, I, Evens, Odds, Total };

// The run's data as plain C++ fields.
class StructData {
public:
  void reset(qint64 n) {
    m_values = {};
    m_values[index(Field::N)] = n;
    m_grade.clear();
  }
  [[nodiscard]] qint64 get(Field field) const { return m_values[index(field)]; }
  void set(Field field, qint64 value) { m_values[index(field)] = value; }
  void setGrade(const QString& text) { m_grade = text; }
  void publish() { m_outputs = {get(Field::Total), get(Field::Evens), get(Field::Odds), m_grade}; }
  [[nodiscard]] Json outputs() const {
    return Json{{"total", m_outputs.total}, {"evens", m_outputs.evens}, {"odds", m_outputs.odds},
                {"grade", m_outputs.grade.toStdString()}};
  }

private:
  struct Outputs {
    qint64 total = 0;
    qint64 evens = 0;
    qint64 odds = 0;
    QString grade;
  };

  static std::size_t index(Field field) { return static_cast<std::size_t>(field); }

  std::array<qint64, 5> m_values{};
  QString m_grade;
  Outputs m_outputs;
};

// The run's data by name in a QVariantMap, as dynamic as the engine's JSON data.
class VariantData {
public:
  void reset(qint64 n) {
    m_values.clear();
    m_values.insert(key(Field::N), n);
  }
  [[nodiscard]] qint64 get(Field field) const { return m_values.value(key(field)).toLongLong(); }
  void set(Field field, qint64 value) { m_values.insert(key(field), value); }
  void setGrade(const QString& text) { m_values.insert(gradeKey(), text); }
  void publish() {
    m_outputs = QVariantMap{{key(Field::Total), m_values.value(key(Field::Total))},
                            {key(Field::Evens), m_values.value(key(Field::Evens))},
                            {key(Field::Odds), m_values.value(key(Field::Odds))},
                            {gradeKey(), m_values.value(gradeKey())}};
  }
  [[nodiscard]] Json outputs() const {
    Json result = Json::object();
    for (auto it = m_outputs.cbegin(); it != m_outputs.cend(); ++it) {
      if (it.value().typeId() == QMetaType::QString) {
        result[it.key().toStdString()] = it.value().toString().toStdString();
      } else {
        result[it.key().toStdString()] = it.value().toLongLong();
      }
    }
    return result;
  }

private:
  static const QString& key(Field field) {
    static const std::array<QString, 5> keys = {QStringLiteral("n"), QStringLiteral("i"), QStringLiteral("evens"),
                                                QStringLiteral("odds"), QStringLiteral("total")};
    return keys[static_cast<std::size_t>(field)];
  }
  static const QString& gradeKey() {
    static const QString grade = QStringLiteral("grade");
    return grade;
  }

  QVariantMap m_values;
  QVariantMap m_outputs;
};

// A transition taken on the machine's eventless check when its guard holds (no guard:
// always); onTransition() does the node's work and counts the transition.
template <typename Data>
class FlowTransition final : public QAbstractTransition {
public:
  using Guard = bool (*)(const Data&);
  using Effect = void (*)(Data&);

  FlowTransition(QState* source, QAbstractState* target, Data& data, std::int64_t& taken, Guard guard, Effect effect)
      : QAbstractTransition(source), m_data(data), m_taken(taken), m_guard(guard), m_effect(effect) {
    setTargetState(target);
  }

protected:
  bool eventTest(QEvent* event) override {
    return event->type() == QEvent::None && (m_guard == nullptr || m_guard(m_data));
  }
  void onTransition(QEvent*) override {
    ++m_taken;
    if (m_effect != nullptr) {
      m_effect(m_data);
    }
  }

private:
  Data& m_data;
  std::int64_t& m_taken;
  Guard m_guard;
  Effect m_effect;
};

// The counter loop as a QStateMachine over Data (StructData or VariantData).
template <typename Data>
class QtLoop {
public:
  QtLoop() {
    auto* init = new QState(&m_machine);
    auto* more = new QState(&m_machine);
    auto* parity = new QState(&m_machine);
    auto* even = new QState(&m_machine);
    auto* odd = new QState(&m_machine);
    auto* next = new QState(&m_machine);
    auto* gradeCheck = new QState(&m_machine);
    auto* large = new QState(&m_machine);
    auto* small = new QState(&m_machine);
    auto* done = new QState(&m_machine);
    auto* end = new QFinalState(&m_machine);
    m_machine.setInitialState(init);

    link(init, more, nullptr, [](Data& d) {
      for (Field field : {Field::I, Field::Evens, Field::Odds, Field::Total}) {
        d.set(field, 0);
      }
    });
    link(more, parity, [](const Data& d) { return d.get(Field::I) < d.get(Field::N); });
    link(more, gradeCheck);
    link(parity, even, [](const Data& d) { return d.get(Field::I) % 2 == 0; });
    link(parity, odd);
    link(even, next, nullptr, [](Data& d) { tallyInto(d, Field::Evens); });
    link(odd, next, nullptr, [](Data& d) { tallyInto(d, Field::Odds); });
    link(next, more, nullptr, [](Data& d) { d.set(Field::I, d.get(Field::I) + 1); });
    link(gradeCheck, large, [](const Data& d) { return d.get(Field::Total) >= kLargeTotal; });
    link(gradeCheck, small, [](const Data& d) { return d.get(Field::Total) < kLargeTotal; });
    link(large, done, nullptr, [](Data& d) { d.setGrade(QStringLiteral("large")); });
    link(small, done, nullptr, [](Data& d) { d.setGrade(QStringLiteral("small")); });
    link(done, end, nullptr, [](Data& d) { d.publish(); });

    QObject::connect(&m_machine, &QStateMachine::finished, &m_machine, [this] { m_finished = true; });
  }

  // Runs the machine from its initial state to the final one; returns the transitions taken.
  std::int64_t run(qint64 n) {
    m_data.reset(n);
    m_taken = 0;
    m_finished = false;
    m_machine.start();
    while (!m_finished) {
      QCoreApplication::processEvents();
    }
    return m_taken;
  }

  [[nodiscard]] Json outputs() const { return m_data.outputs(); }

private:
  static void tallyInto(Data& d, Field counter) {
    d.set(counter, d.get(counter) + 1);
    d.set(Field::Total, d.get(Field::Total) + d.get(Field::I));
  }

  void link(QState* source, QAbstractState* target, typename FlowTransition<Data>::Guard guard = nullptr,
            typename FlowTransition<Data>::Effect effect = nullptr) {
    new FlowTransition<Data>(source, target, m_data, m_taken, guard, effect);
  }

  Data m_data;
  std::int64_t m_taken = 0;
  bool m_finished = false;
  QStateMachine m_machine; // declared last: destroyed first, with its states and transitions
};

template <typename Data>
void benchQtLoop(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  QtLoop<Data> loop;
  const std::int64_t checked = loop.run(n);
  if (checked != stepsOfLoop(n) || loop.outputs() != expectedLoopOutputs(n)) {
    const std::string problem = "the check run took " + std::to_string(checked) + " transitions with outputs " +
                                loop.outputs().dump() + " (expected " + expectedLoopOutputs(n).dump() + ")";
    state.SkipWithError(problem.c_str());
    return;
  }
  std::int64_t transitions = 0;
  for (auto _ : state) {
    transitions += loop.run(n);
  }
  state.SetItemsProcessed(transitions);
  state.counters["time_per_transition"] = timePerItem(transitions);
}

// ---- Registration and the summary ------------------------------------------------------------

std::string loopName(const char* family, std::int64_t n) { return std::string(family) + "/n:" + std::to_string(n); }

void registerBenchmarks() {
  for (auto [family, operation] : {std::pair{"engine/logic", "bench.logic"}, std::pair{"engine/handlers", "bench.handlers"}}) {
    benchmark::RegisterBenchmark(family, benchEngineLoop, operation, Listening::None)
        ->ArgName("n")
        ->Arg(kLongLoop)
        ->Arg(kShortLoop);
  }
  for (auto [family, listening] : {std::pair{"engine/listened/logic", Listening::Idle},
                                   std::pair{"engine/observed/logic", Listening::Observed}}) {
    benchmark::RegisterBenchmark(family, benchEngineLoop, "bench.logic", listening)
        ->ArgName("n")
        ->Arg(kLongLoop)
        ->Arg(kShortLoop);
  }
  benchmark::RegisterBenchmark("engine/runs_sync", benchRunsSync, Listening::None);
  benchmark::RegisterBenchmark("engine/listened/runs_sync", benchRunsSync, Listening::Idle);
  benchmark::RegisterBenchmark("engine/observed/runs_sync", benchRunsSync, Listening::Observed);
  benchmark::RegisterBenchmark("engine/runs_pool", benchRunsPool)->UseRealTime();
  benchmark::RegisterBenchmark("qt/struct", benchQtLoop<StructData>)->ArgName("n")->Arg(kLongLoop)->Arg(kShortLoop);
  benchmark::RegisterBenchmark("qt/variantmap", benchQtLoop<VariantData>)->ArgName("n")->Arg(kLongLoop)->Arg(kShortLoop);
}

// The console table, remembering each benchmark's counters (the median when there are
// repetitions) for the summary, and whether any benchmark failed its check run.
class SummaryReporter final : public benchmark::ConsoleReporter {
public:
  using ConsoleReporter::ConsoleReporter;

  void ReportRuns(const std::vector<Run>& reports) override {
    ConsoleReporter::ReportRuns(reports);
    for (const Run& run : reports) {
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      m_failed = m_failed || run.error_occurred;
      if (run.error_occurred || (run.run_type == Run::RT_Aggregate && !median)) {
        continue;
      }
      Entry& entry = m_entries[run.run_name.str()];
      if (median || !entry.median) {
        entry = {run.counters, median};
      }
    }
  }

  [[nodiscard]] bool failed() const { return m_failed; }

  void printSummary() const {
    std::printf("\nSummary (CPU time per engine step and per Qt transition)\n");
    for (std::int64_t n : {kLongLoop, kShortLoop}) {
      const std::optional<double> logic = scaled(loopName("engine/logic", n), "time_per_step", 1e9);
      const std::optional<double> handlers = scaled(loopName("engine/handlers", n), "time_per_step", 1e9);
      const std::optional<double> qtStruct = scaled(loopName("qt/struct", n), "time_per_transition", 1e9);
      const std::optional<double> qtMap = scaled(loopName("qt/variantmap", n), "time_per_transition", 1e9);
      if (!logic && !handlers && !qtStruct && !qtMap) {
        continue;
      }
      std::printf("  n=%lld, %lld steps or transitions per run\n", static_cast<long long>(n),
                  static_cast<long long>(stepsOfLoop(n)));
      line("engine, JsonLogic decisions + set", logic, "ns/step");
      line("engine, JsonLogic decisions + C++ handlers", handlers, "ns/step");
      line("QStateMachine, C++ struct", qtStruct, "ns/transition");
      line("QStateMachine, QVariantMap", qtMap, "ns/transition");
      ratio("QStateMachine (struct) / engine (JsonLogic)", qtStruct, logic);
      ratio("QStateMachine (struct) / engine (handlers)", qtStruct, handlers);
      ratio("QStateMachine (QVariantMap) / engine (JsonLogic)", qtMap, logic);
      if (n == kLongLoop && logic && handlers) {
        std::printf("    target <= 1000 ns/step: %s\n", *logic <= 1000.0 && *handlers <= 1000.0 ? "met" : "MISSED");
      }
    }
    std::printf("  heard by an idle listener, and logged (info, to a file) and measured (RunLog, RunMetrics),\n"
                "  against no listener\n");
    for (std::int64_t n : {kLongLoop, kShortLoop}) {
      for (const char* family : {"engine/listened/logic", "engine/observed/logic"}) {
        ratio((std::string(family) + ", n=" + std::to_string(n) + " / plain").c_str(),
              scaled(loopName(family, n), "time_per_step", 1e9), scaled(loopName("engine/logic", n), "time_per_step", 1e9));
      }
    }
    for (const char* name : {"engine/listened/runs_sync", "engine/observed/runs_sync"}) {
      ratio((std::string(name) + " / plain").c_str(), scaled(name, "time_per_run", 1e9),
            scaled("engine/runs_sync", "time_per_run", 1e9));
    }
    const std::optional<double> sync = scaled("engine/runs_sync", "items_per_second", 1.0);
    const std::optional<double> pool = scaled("engine/runs_pool/real_time", "items_per_second", 1.0);
    if (sync || pool) {
      std::printf("  runs of the 3-step flow\n");
      line("synchronous", sync, "runs/s");
      line("ThreadPool of 2 workers", pool, "runs/s");
    }
  }

private:
  struct Entry {
    benchmark::UserCounters counters;
    bool median = false;
  };

  [[nodiscard]] std::optional<double> scaled(const std::string& benchmark, const std::string& name, double scale) const {
    auto entry = m_entries.find(benchmark);
    if (entry == m_entries.end()) {
      return std::nullopt;
    }
    auto found = entry->second.counters.find(name);
    return found == entry->second.counters.end() ? std::nullopt : std::optional<double>(found->second.value * scale);
  }

  static void line(const char* label, std::optional<double> value, const char* unit) {
    if (value) {
      std::printf("    %-50s %10.1f %s\n", label, *value, unit);
    }
  }

  static void ratio(const char* label, std::optional<double> numerator, std::optional<double> denominator) {
    if (numerator && denominator && *denominator > 0.0) {
      std::printf("    %-50s %10.2fx\n", label, *numerator / *denominator);
    }
  }

  std::map<std::string, Entry> m_entries;
  bool m_failed = false;
};

} // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return EXIT_FAILURE;
  }
  QCoreApplication app(argc, argv); // the Qt state machines need an event loop
  registerBenchmarks();
  SummaryReporter reporter(isatty(STDOUT_FILENO) ? SummaryReporter::OO_Color : SummaryReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.printSummary();
  benchmark::Shutdown();
  return reporter.failed() ? EXIT_FAILURE : EXIT_SUCCESS;
}
