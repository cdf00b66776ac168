// Test support for the engine tests: a RunListener that records what it hears, and a
// fixture that gives each test its own handlers, catalog, store, clock and engine.
// Thread-safety: RecordingListener is thread-safe (engine workers call it); the fixture
// is used from the test thread.
#pragma once

#include "opflow/engine/Clock.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/engine/RunListener.h"
#include "opflow/model/OperationBuilder.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace opflow::engine::test {

// {"var": path}: reads a field of the run's data in an expression.
inline Json var(const std::string& path) { return Json{{"var", path}}; }

// test.work, for the statistics tests: takes its "ms" argument on `clock` (so a step's
// duration is exact), then leaves by "failed" when its "fail" argument is true, or fails
// the step with an error when "crash" is.
inline HandlerSpec timedWork(ManualClock& clock) {
  HandlerSpec work;
  work.name = "test.work";
  work.exits = {"failed"};
  work.fn = [&clock](const HandlerInput& input, HandlerEffects&) -> HandlerResult {
    clock.advance(std::chrono::milliseconds(input.args.at("ms").get<std::int64_t>()));
    if (input.args.at("crash").get<bool>()) {
      return makeError(ErrorCode::Internal, "the work crashed");
    }
    return std::string(input.args.at("fail").get<bool>() ? "failed" : "");
  };
  return work;
}

// Records every event. events() gives a run's events as short strings, in order:
//   "started", "entered <node> #<index>", "finished <node> #<index> exit=<exit>",
//   "waiting <node>", "completed", "failed <code>", "cancelled"
// (progress is kept apart, see progress()).
class RecordingListener final : public RunListener {
public:
  // Called on the engine's thread from inside onWaiting, after the event is recorded.
  std::function<void(const WaitingEvent&)> whenWaiting;

  void onRunStarted(const RunStartedEvent& event) override {
    std::lock_guard lock(m_mutex);
    m_started.push_back(event);
    add(event.runId, "started");
  }
  void onRunRejected(const RunRejectedEvent& event) override {
    std::lock_guard lock(m_mutex);
    m_rejected.push_back(event);
  }
  void onStepEntered(const StepEnteredEvent& event) override {
    std::lock_guard lock(m_mutex);
    add(event.runId, fmt::format("entered {} #{}", event.node, event.index));
  }
  void onStepFinished(const StepFinishedEvent& event) override {
    std::lock_guard lock(m_mutex);
    add(event.step.runId, fmt::format("finished {} #{} exit={}", event.step.node, event.step.index, event.step.exit));
  }
  void onProgress(const ProgressEvent& event) override {
    std::lock_guard lock(m_mutex);
    m_progress.push_back(event);
    m_changed.notify_all();
  }
  void onWaiting(const WaitingEvent& event) override {
    {
      std::lock_guard lock(m_mutex);
      m_waiting.push_back(event);
      add(event.runId, "waiting " + event.node);
    }
    if (whenWaiting) {
      whenWaiting(event);
    }
  }
  void onCompleted(const CompletedEvent& event) override {
    std::lock_guard lock(m_mutex);
    ++m_ended;
    add(event.runId, "completed");
  }
  void onFailed(const FailedEvent& event) override {
    std::lock_guard lock(m_mutex);
    ++m_ended;
    m_failed.push_back(event);
    add(event.runId, "failed " + event.error.code);
  }
  void onCancelled(const CancelledEvent& event) override {
    std::lock_guard lock(m_mutex);
    ++m_ended;
    add(event.runId, "cancelled");
  }

  [[nodiscard]] std::vector<std::string> events(const RunId& runId) const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> result;
    for (const auto& [id, text] : m_events) {
      if (id == runId) {
        result.push_back(text);
      }
    }
    return result;
  }
  [[nodiscard]] std::vector<ProgressEvent> progress(const RunId& runId) const {
    std::lock_guard lock(m_mutex);
    std::vector<ProgressEvent> result;
    for (const ProgressEvent& event : m_progress) {
      if (event.runId == runId) {
        result.push_back(event);
      }
    }
    return result;
  }
  [[nodiscard]] std::vector<RunStartedEvent> started() const {
    std::lock_guard lock(m_mutex);
    return m_started;
  }
  [[nodiscard]] std::vector<RunRejectedEvent> rejected() const {
    std::lock_guard lock(m_mutex);
    return m_rejected;
  }
  [[nodiscard]] std::vector<WaitingEvent> waiting() const {
    std::lock_guard lock(m_mutex);
    return m_waiting;
  }
  [[nodiscard]] std::vector<FailedEvent> failed() const {
    std::lock_guard lock(m_mutex);
    return m_failed;
  }
  // Blocks until `text` is among the run's events; false after a generous deadline, so a
  // broken engine fails the test instead of hanging it.
  [[nodiscard]] bool awaitEvent(const RunId& runId, const std::string& text) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& [id, recorded] : m_events) {
        if (id == runId && recorded == text) {
          return true;
        }
      }
      return false;
    });
  }
  // Blocks until the run's handler has reported progress; false after a generous deadline.
  [[nodiscard]] bool awaitHandlerProgress(const RunId& runId) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::seconds(10), [&] {
      return std::any_of(m_progress.begin(), m_progress.end(),
                         [&](const ProgressEvent& event) { return event.runId == runId && !event.structural; });
    });
  }
  // Blocks until `count` runs have ended (completed, failed or cancelled); false after a
  // generous deadline.
  [[nodiscard]] bool awaitEnded(std::size_t count) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_ended >= count; });
  }

private:
  void add(const RunId& runId, std::string text) {
    m_events.emplace_back(runId, std::move(text));
    m_changed.notify_all();
  }

  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  std::vector<std::pair<RunId, std::string>> m_events;
  std::vector<RunStartedEvent> m_started;
  std::vector<RunRejectedEvent> m_rejected;
  std::vector<ProgressEvent> m_progress;
  std::vector<WaitingEvent> m_waiting;
  std::vector<FailedEvent> m_failed;
  std::size_t m_ended = 0;
};

// Each test gets its own registry, catalog, store, manual clock, listener and engine.
// Register handlers and add operations first, then call engine() (once) to create it.
class EngineFixture : public ::testing::Test {
protected:
  void addHandler(HandlerSpec spec) {
    Status added = m_handlers.add(std::move(spec));
    ASSERT_TRUE(added.ok()) << added.error().describe();
  }

  void addOperation(model::OperationDefinition definition) {
    Status added = m_catalog.add(std::move(definition));
    ASSERT_TRUE(added.ok()) << added.error().describe();
  }

  // The engine, created on first use with `options` (the fixture's clock unless given).
  Engine& engine(EngineOptions options = {}) {
    if (!m_engine) {
      if (!options.clock) {
        options.clock = &m_clock;
      }
      m_engine = std::make_unique<Engine>(m_catalog, m_store, options);
      m_engine->addListener(m_listener);
    }
    return *m_engine;
  }

  static RunContext as(std::string user = "ada", std::string role = "operator", std::string correlationId = {}) {
    RunContext context;
    context.user = std::move(user);
    context.role = std::move(role);
    context.workstation = "ws-1";
    context.correlationId = std::move(correlationId);
    return context;
  }

  // Starts a run that must be accepted; an empty RunId (and a test failure) otherwise.
  RunId startRun(const std::string& operation, Json inputs = Json::object(), RunContext context = as()) {
    auto started = engine().start({operation, std::nullopt, std::move(inputs), std::move(context)});
    EXPECT_TRUE(started.ok()) << started.error().describe();
    return started.ok() ? started.value() : RunId();
  }

  // The run as the store has it; a default record (and a test failure) when unknown.
  RunRecord runOf(const RunId& runId) const {
    auto record = m_store.loadRun(runId);
    EXPECT_TRUE(record.has_value()) << "no run " << runId.str();
    return record.value_or(RunRecord{});
  }

  // "node:exit" of each journaled step, in order.
  std::vector<std::string> path(const RunId& runId) const {
    std::vector<std::string> result;
    for (const StepRecord& step : m_store.loadSteps(runId)) {
      result.push_back(step.node + ":" + step.exit);
    }
    return result;
  }

  // The runs started as sub-runs of `parent`.
  std::vector<RunRecord> childrenOf(const RunId& parent) const {
    std::vector<RunRecord> result;
    for (RunRecord& run : m_store.allRuns()) {
      if (run.parentId == parent) {
        result.push_back(std::move(run));
      }
    }
    return result;
  }

  HandlerRegistry m_handlers;
  OperationCatalog m_catalog{m_handlers};
  InMemoryRunStore m_store;
  ManualClock m_clock;
  RecordingListener m_listener;
  std::unique_ptr<Engine> m_engine;
};

} // namespace opflow::engine::test
