// journal_bench: journaled steps per second through the durable run store (SQLite, one
// audit entry and one step row per step, group commit), with 1, 8 and 64 concurrent runs,
// synchronous NORMAL and FULL, beside the naive baseline of one transaction per step; and
// the p50 cost of journaling one step as the engine sees it (the call into the store).
// A timing program, not a test.
//
// Flags:  --steps N     steps per configuration (default 200000; naive: N/20)
//         --workers W   engine worker threads (default 2)
//         --dir PATH    where the temporary databases go (default /tmp)
// Env:    JOURNAL_BENCH_FLUSH_US  the writer's flush interval for group commit (default: the store's, 2000)
//         JOURNAL_BENCH_WITHOUT_ROLLUPS=1  drop the dashboard's triggers on runs first (what they cost)
#include "opflow/engine/Engine.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/model/OperationBuilder.h"
#include "opflow/store/SqliteRunStore.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace {

using namespace opflow;
using Clock = std::chrono::steady_clock;

// Times each journal call the engine makes; with `naive` waits for its commit.
class TimedStore final : public engine::RunStore {
public:
  TimedStore(store::SqliteRunStore& inner, bool naive) : m_inner(inner), m_naive(naive) {}
  Status runCreated(const engine::RunRecord& run) override { return after(m_inner.runCreated(run)); }
  Status startRejected(const engine::RejectedStart& rejected) override { return m_inner.startRejected(rejected); }
  Status actionRefused(const engine::RefusedAction& refused) override { return m_inner.actionRefused(refused); }
  Status stepFinished(const engine::RunRecord& run, const engine::StepRecord& step,
                      const engine::RunChange& change) override {
    auto start = Clock::now();
    Status done = after(m_inner.stepFinished(run, step, change));
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
    std::lock_guard lock(m_mutex);
    m_samples.push_back(ns);
    return done;
  }
  Status runUpdated(const engine::RunRecord& run, const engine::RunChange& change) override {
    return after(m_inner.runUpdated(run, change));
  }
  std::optional<engine::RunRecord> loadRun(const engine::RunId& id) const override { return m_inner.loadRun(id); }
  std::vector<engine::StepRecord> loadSteps(const engine::RunId& id) const override { return m_inner.loadSteps(id); }
  std::vector<engine::RunRecord> loadUnfinished() const override { return m_inner.loadUnfinished(); }

  double p50Us() {
    std::lock_guard lock(m_mutex);
    if (m_samples.empty()) {
      return 0;
    }
    std::nth_element(m_samples.begin(), m_samples.begin() + m_samples.size() / 2, m_samples.end());
    return static_cast<double>(m_samples[m_samples.size() / 2]) / 1000.0;
  }

private:
  Status after(Status status) {
    if (m_naive && status) {
      return m_inner.flush();
    }
    return status;
  }
  store::SqliteRunStore& m_inner;
  bool m_naive;
  std::mutex m_mutex;
  std::vector<std::int64_t> m_samples;
};

struct Figures {
  double stepsPerSecond = 0;
  double p50Us = 0;
};

Figures journalSteps(store::LocalStore& local, int runs, std::int64_t totalSteps, bool naive, std::size_t workers);

Figures measure(const std::string& dir, int runs, std::int64_t totalSteps, store::Durability durability, bool naive,
                std::size_t workers) {
  std::string path = fmt::format("{}/journal_bench_{}.db", dir, ::getpid());
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  store::LocalStoreOptions options;
  options.path = path;
  options.create = true;
  options.durability = durability;
  if (naive) {
    options.writer.flushInterval = std::chrono::microseconds(0);
  } else if (const char* flushUs = std::getenv("JOURNAL_BENCH_FLUSH_US")) {
    options.writer.flushInterval = std::chrono::microseconds(std::atoll(flushUs));
  }
  auto local = store::LocalStore::open(options);
  if (!local) {
    fmt::print(stderr, "{}\n", local.error().describe());
    std::exit(1);
  }
  if (const char* without = std::getenv("JOURNAL_BENCH_WITHOUT_ROLLUPS"); without && std::string(without) == "1") {
    Status dropped = (*local)->writer().execute([](store::Database& db) {
      return db.exec("DROP TRIGGER runs_ended_rollup; DROP TRIGGER runs_inserted_ended_rollup");
    });
    if (!dropped) {
      fmt::print(stderr, "{}\n", dropped.error().describe());
      std::exit(1);
    }
  }
  Figures figures = journalSteps(**local, runs, totalSteps, naive, workers);
  local->reset(); // after the run store, which flushes the writer as it closes
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return figures;
}

// Steps per second and the journal call's p50 through a run store on `local`.
Figures journalSteps(store::LocalStore& local, int runs, std::int64_t totalSteps, bool naive, std::size_t workers) {
  store::SqliteRunStore durable(local);
  TimedStore timed(durable, naive);
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog(handlers);
  std::int64_t perRun = std::max<std::int64_t>(2, totalSteps / runs / 2); // two steps a loop
  Status added = catalog.add(model::OperationBuilder("count", 1)
                                 .input("n", model::InputType::Integer, {.defaultValue = 0})
                                 .startsWith("more?")
                                 .decision("more?", {.condition = opflow::Json{{"<", {opflow::Json{{"var", "n"}}, perRun}}},
                                                     .ifTrue = "inc",
                                                     .ifFalse = "done"})
                                 .action("inc", {.set = {{"n", opflow::Json{{"+", {opflow::Json{{"var", "n"}}, 1}}}}},
                                                 .goTo = "more?"})
                                 .result("done", {.fields = {"n"}})
                                 .build());
  if (!added) {
    fmt::print(stderr, "{}\n", added.error().describe());
    std::exit(1);
  }
  auto start = Clock::now();
  {
    engine::Engine engine(catalog, timed, {.workers = workers, .stepLimit = 1'000'000'000});
    for (int i = 0; i < runs; ++i) {
      auto started = engine.start({"count", std::nullopt, opflow::Json::object(), {"bench", "", "ws", "", {}, {}}});
      if (!started) {
        fmt::print(stderr, "{}\n", started.error().describe());
        std::exit(1);
      }
    }
    engine.waitUntilIdle();
  }
  static_cast<void>(durable.flush());
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::int64_t steps = static_cast<std::int64_t>(runs) * (2 * perRun + 1);
  return Figures{static_cast<double>(steps) / seconds, timed.p50Us()};
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t steps = 200'000;
  std::size_t workers = 2;
  std::string dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--steps") {
      steps = std::atoll(argv[i + 1]);
    } else if (flag == "--workers") {
      workers = static_cast<std::size_t>(std::atoll(argv[i + 1]));
    } else if (flag == "--dir") {
      dir = argv[i + 1];
    }
  }
  fmt::print("{:<6} {:<7} {:>14} {:>12} {:>14} {:>12} {:>8}\n", "runs", "sync", "group steps/s", "call p50 us",
             "naive steps/s", "naive p50", "ratio");
  for (auto durability : {store::Durability::Normal, store::Durability::Full}) {
    for (int runs : {1, 8, 64}) {
      Figures group = measure(dir, runs, steps, durability, false, workers);
      Figures naive = measure(dir, runs, std::max<std::int64_t>(steps / 20, 1000), durability, true, workers);
      fmt::print("{:<6} {:<7} {:>14.0f} {:>12.2f} {:>14.0f} {:>12.2f} {:>7.1f}x\n", runs,
                 durability == store::Durability::Normal ? "NORMAL" : "FULL", group.stepsPerSecond, group.p50Us,
                 naive.stepsPerSecond, naive.p50Us, group.stepsPerSecond / naive.stepsPerSecond);
    }
  }
  return 0;
}
