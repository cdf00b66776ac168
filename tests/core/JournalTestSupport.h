// Test support for the tests that read what the real engine journaled in a real SQLite
// file (statistics, metrics, traces): small operations with a call, a wait and a failure,
// and a fixture with an engine on a manual clock over a SqliteRunStore.
// Thread-safety: used from the test thread.
#pragma once

#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/store/SqliteRunStore.h"

#include <memory>
#include <vector>

namespace opflow::store::test {

// test.escalated: asks test.refuse (which always fails), then waits for "go" at most 10 s.
inline model::OperationDefinition escalated() {
  return model::OperationBuilder("test.escalated", 1)
      .startsWith("ask")
      .call("ask", {.operation = "test.refuse", .onSuccess = "done", .onFailure = "wait_go"})
      .wait("wait_go", {.signal = "go", .goTo = "done", .timeoutS = 10.0, .onTimeout = "late"})
      .result("late")
      .result("done")
      .build();
}

// test.parked: waits for "go" from its first node, so a run can have no step yet.
inline model::OperationDefinition parked() {
  return model::OperationBuilder("test.parked", 1)
      .startsWith("hold")
      .wait("hold", {.signal = "go", .goTo = "done"})
      .result("done")
      .build();
}

// test.refuse: fails at once, with the reason "not today".
inline model::OperationDefinition refuse() {
  return model::OperationBuilder("test.refuse", 1).startsWith("no").fail("no", {.reason = "not today"}).build();
}

// test.worked: test.work for `ms` (the manual clock advances that much), failing when
// `fail` (the run then ends at give_up, failed).
inline model::OperationDefinition worked() {
  model::ActionNode work;
  work.handler = "test.work";
  work.with = Json{{"ms", engine::test::var("ms")}, {"fail", engine::test::var("fail")}, {"crash", false}};
  work.goTo = "done";
  work.exits = {{"failed", "give_up"}};
  return model::OperationBuilder("test.worked", 1)
      .input("ms", model::InputType::Integer, {.required = true})
      .input("fail", model::InputType::Boolean, {.defaultValue = false})
      .startsWith("work")
      .action("work", work)
      .fail("give_up", {.reason = "the work failed"})
      .result("done")
      .build();
}

// A store, a SqliteRunStore on it and an engine on a manual clock running `definitions`
// (with test.work, engine::test::timedWork, among its handlers).
class JournalFixture : public StoreFixture {
protected:
  void startEngine(const std::vector<model::OperationDefinition>& definitions) {
    m_runs = std::make_unique<SqliteRunStore>(*store);
    ASSERT_TRUE(m_handlers.add(engine::test::timedWork(m_clock)));
    ASSERT_TRUE(m_catalog.addAll(definitions));
    m_engine = std::make_unique<engine::Engine>(m_catalog, *m_runs, engine::EngineOptions{.clock = &m_clock});
  }

  // Stops the engine and commits what it journaled.
  void TearDown() override {
    m_engine.reset();
    if (m_runs) {
      EXPECT_TRUE(m_runs->flush());
    }
  }

  [[nodiscard]] std::int64_t clockMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.now().time_since_epoch()).count();
  }

  engine::HandlerRegistry m_handlers;
  engine::OperationCatalog m_catalog{m_handlers};
  engine::ManualClock m_clock;
  std::unique_ptr<SqliteRunStore> m_runs;
  std::unique_ptr<engine::Engine> m_engine;
};

} // namespace opflow::store::test
