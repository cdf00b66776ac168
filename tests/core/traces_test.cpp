// observe::exportTraces on a real SQLite journal the real engine wrote: a run that calls a
// failing sub-run and then waits for a signal is one trace whose id is its correlation id,
// the sub-run hangs under the call step, the wait carries its signal, and every parent
// span is in the document; what a run handed the sync (its run summary, an order change
// made in its name) is a span under it from queued to answered by a real shared database.
#include "JournalTestSupport.h"
#include "SyncTestSupport.h"

#include "opflow/observe/Traces.h"
#include "opflow/store/DefinitionStore.h"

#include <gmock/gmock.h>

#include <map>
#include <set>

namespace opflow::observe {
namespace {

using ::testing::HasSubstr;
using store::test::escalated;
using store::test::refuse;

std::vector<Json> spansOf(const Json& document) {
  std::vector<Json> spans;
  for (const Json& resource : document.at("resourceSpans")) {
    for (const Json& scope : resource.at("scopeSpans")) {
      for (const Json& span : scope.at("spans")) {
        spans.push_back(span);
      }
    }
  }
  return spans;
}

std::string attributeOf(const Json& span, const std::string& key) {
  for (const Json& attribute : span.at("attributes")) {
    if (attribute.at("key") == key) {
      const Json& value = attribute.at("value");
      return value.contains("stringValue") ? value.at("stringValue").get<std::string>() : value.begin()->dump();
    }
  }
  return "";
}

bool isHex(const std::string& text, std::size_t length) {
  return text.size() == length && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class TracesTest : public store::test::JournalFixture {
protected:
  void SetUp() override {
    JournalFixture::SetUp();
    std::vector<model::OperationDefinition> definitions{escalated(), refuse()};
    startEngine(definitions);
    auto stored = store::DefinitionStore(*store).store(definitions, {"ada", "manager", "ws-1"});
    ASSERT_TRUE(stored) << stored.error().describe();
  }

  // test.escalated, signalled "go" after `waitedS` seconds; its run id.
  engine::RunId escalate(std::int64_t waitedS) {
    auto started = m_engine->start({"test.escalated", std::nullopt, Json::object(),
                                    {.user = "ada", .role = "operator", .workstation = "ws-1"}});
    EXPECT_TRUE(started) << started.error().describe();
    m_clock.advance(std::chrono::seconds(waitedS));
    EXPECT_TRUE(m_engine->signal(*started, "go"));
    m_engine->waitUntilIdle();
    EXPECT_TRUE(m_runs->flush());
    return *started;
  }

  Json exported(const TraceQuery& query) {
    auto traces = exportTraces(*store, query);
    EXPECT_TRUE(traces) << traces.error().describe();
    return traces ? *traces : Json();
  }

};

TEST_F(TracesTest, ARunItsSubRunAndItsWaitAreOneTraceNamedByTheCorrelationId) {
  engine::RunId run = escalate(3);
  auto record = m_runs->loadRun(run);
  ASSERT_TRUE(record);
  const std::string correlationId = record->context.correlationId;

  std::vector<Json> spans = spansOf(exported({.correlationId = correlationId}));
  std::map<std::string, Json> byName;
  std::set<std::string> ids;
  for (const Json& span : spans) {
    byName[span.at("name").get<std::string>()] = span;
    ids.insert(span.at("spanId").get<std::string>());
    EXPECT_EQ(span.at("traceId"), traceIdOf(correlationId));
    EXPECT_TRUE(isHex(span.at("spanId"), 16)) << span.dump();
    std::int64_t start = std::stoll(span.at("startTimeUnixNano").get<std::string>());
    std::int64_t end = std::stoll(span.at("endTimeUnixNano").get<std::string>());
    EXPECT_LE(start, end) << span.dump();
  }
  EXPECT_EQ(ids.size(), spans.size()) << "span ids are unique";
  for (const Json& span : spans) {
    if (span.contains("parentSpanId")) {
      EXPECT_TRUE(ids.contains(span.at("parentSpanId").get<std::string>())) << "missing parent of " << span.dump();
    }
  }
  std::string hex = correlationId;
  std::erase(hex, '-');
  EXPECT_EQ(traceIdOf(correlationId), hex) << "a UUID correlation id is the trace id itself";

  ASSERT_TRUE(byName.contains("test.escalated"));
  const Json& root = byName.at("test.escalated");
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_EQ(root.at("spanId"), spanIdOf(run.str()));
  EXPECT_EQ(attributeOf(root, "enduser.id"), "ada");
  EXPECT_EQ(attributeOf(root, "opflow.run.state"), "completed");
  EXPECT_EQ(root.at("status").at("code"), 1);

  const Json& ask = byName.at("test.escalated/ask");
  EXPECT_EQ(ask.at("parentSpanId"), root.at("spanId"));
  EXPECT_EQ(attributeOf(ask, "opflow.node.kind"), "call");
  const Json& child = byName.at("test.refuse");
  EXPECT_EQ(child.at("parentSpanId"), ask.at("spanId")) << "the sub-run hangs under the call that started it";
  EXPECT_EQ(child.at("status").at("code"), 2);
  EXPECT_THAT(child.at("status").at("message").get<std::string>(), HasSubstr("not today"));
  EXPECT_EQ(byName.at("test.refuse/no").at("parentSpanId"), child.at("spanId"));

  const Json& wait = byName.at("test.escalated/wait_go");
  EXPECT_EQ(attributeOf(wait, "opflow.wait.signal"), "go");
  EXPECT_EQ(attributeOf(wait, "opflow.step.exit"), "signal");
  std::int64_t waitedNs = std::stoll(wait.at("endTimeUnixNano").get<std::string>()) -
                          std::stoll(wait.at("startTimeUnixNano").get<std::string>());
  EXPECT_EQ(waitedNs, 3'000'000'000) << "the wait's span lasts as long as the run waited";

  Json resource = exported({.correlationId = correlationId}).at("resourceSpans").at(0).at("resource");
  EXPECT_EQ(resource.at("attributes").at(1).at("key"), "host.name");
  EXPECT_EQ(resource.at("attributes").at(1).at("value").at("stringValue"), "ws-1");
}

TEST_F(TracesTest, ARunSelectsItsWholeTraceAndSinceSelectsEveryTraceStartedThen) {
  engine::RunId first = escalate(1);
  std::int64_t between = clockMs();
  m_clock.advance(std::chrono::seconds(1));
  escalate(1);

  std::string child;
  for (const Json& span : spansOf(exported({.runId = first.str()}))) {
    if (span.at("name") == "test.refuse") {
      child = attributeOf(span, "opflow.run.id");
    }
  }
  ASSERT_FALSE(child.empty());
  EXPECT_EQ(exported({.runId = child}), exported({.runId = first.str()})) << "a sub-run selects its parent's trace";
  EXPECT_EQ(spansOf(exported({.runId = first.str()})).size(), 6u) << "2 runs, 3 + 1 steps";

  std::set<std::string> traces;
  for (const Json& span : spansOf(exported({.sinceMs = between}))) {
    traces.insert(span.at("traceId").get<std::string>());
  }
  EXPECT_EQ(traces.size(), 1u) << "only the second run started since";
  EXPECT_EQ(spansOf(exported({.sinceMs = 0})).size(), 12u);
}

TEST_F(TracesTest, AQueryMustChooseOneWayAndNameARunThatExists) {
  auto none = exportTraces(*store, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::InvalidArgument);
  auto both = exportTraces(*store, {.runId = "x", .correlationId = "y"});
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, ErrorCode::InvalidArgument);
  auto unknown = exportTraces(*store, {.runId = "0192f3a4-0000-7000-8000-000000000000"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);

  escalate(1);
  auto tooMany = exportTraces(*store, {.sinceMs = 0, .runLimit = 1});
  ASSERT_FALSE(tooMany);
  EXPECT_THAT(tooMany.error().message, HasSubstr("more than 1 runs"));
  EXPECT_EQ(exported({.correlationId = "nobody-started-this"}).at("resourceSpans").size(), 0u);
}

class TracePushTest : public sync::test::SyncFixture {};

TEST_F(TracePushTest, WhatARunHandedTheSyncIsASpanUnderItFromQueuedToAnswered) {
  const std::string correlation = "0194a3b2-7c4d-7e5f-8a6b-1c2d3e4f5a6b";
  sync::test::Workstation ws = workstation("ws-1");
  store::SqliteRunStore runs(*ws.store);
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
  ASSERT_TRUE(catalog.addAll({refuse()}));
  std::string runId;
  {
    engine::Engine engine(catalog, runs, {});
    auto started = engine.start({"test.refuse", std::nullopt, Json::object(), {"olga", "operator", "ws-1", correlation}});
    ASSERT_TRUE(started) << started.error().describe();
    runId = started->str();
  }
  ASSERT_TRUE(runs.flush());
  store::OrderActor actor = ws.actor();
  actor.correlationId = correlation;
  actor.runId = runId;
  auto created = ws.orders->create({"", "Acme", 1, std::nullopt, "PLA", "", "", Json::object()}, actor);
  ASSERT_TRUE(created) << created.error().describe();

  auto pending = exportTraces(*ws.store, {.correlationId = correlation});
  ASSERT_TRUE(pending) << pending.error().describe();
  std::vector<Json> queued;
  for (const Json& span : spansOf(*pending)) {
    if (span.at("name").get<std::string>().rfind("sync.push", 0) == 0) {
      queued.push_back(span);
    }
  }
  ASSERT_EQ(queued.size(), 2u);
  for (const Json& span : queued) {
    EXPECT_EQ(attributeOf(span, "opflow.sync.outcome"), "pending");
    EXPECT_EQ(span.at("startTimeUnixNano"), span.at("endTimeUnixNano"));
  }

  sync(ws);
  auto pushed = exportTraces(*ws.store, {.correlationId = correlation});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  std::set<std::string> spanIds;
  std::map<std::string, Json> pushes;
  for (const Json& span : spansOf(*pushed)) {
    spanIds.insert(span.at("spanId").get<std::string>());
    EXPECT_EQ(span.at("traceId"), "0194a3b27c4d7e5f8a6b1c2d3e4f5a6b");
    if (span.at("name").get<std::string>().rfind("sync.push", 0) == 0) {
      pushes.emplace(span.at("name").get<std::string>(), span);
    }
  }
  ASSERT_EQ(pushes.size(), 2u);
  const Json& summary = pushes.at("sync.push run.summary");
  const Json& change = pushes.at("sync.push order.changed");
  for (const Json* span : {&summary, &change}) {
    EXPECT_EQ(span->at("parentSpanId"), spanIdOf(runId));
    EXPECT_EQ(attributeOf(*span, "opflow.sync.outcome"), "applied");
    EXPECT_EQ(span->at("kind"), 4); // PRODUCER: handed to another system
    EXPECT_LE(std::stoll(span->at("startTimeUnixNano").get<std::string>()),
              std::stoll(span->at("endTimeUnixNano").get<std::string>()));
  }
  EXPECT_EQ(attributeOf(summary, "opflow.sync.subject"), runId);
  EXPECT_EQ(attributeOf(change, "opflow.sync.subject"), created->number);
  EXPECT_TRUE(spanIds.count(spanIdOf(runId))) << "the run's own span is in the document";
  // The sync's spans are a scope of their own beside the engine's.
  std::set<std::string> scopes;
  for (const Json& resource : pushed->at("resourceSpans")) {
    for (const Json& scope : resource.at("scopeSpans")) {
      scopes.insert(scope.at("scope").at("name").get<std::string>());
    }
  }
  EXPECT_EQ(scopes, (std::set<std::string>{"opflow.engine", "opflow.sync"}));
}

TEST(TraceIds, AnyOtherCorrelationIdIsHashedToSixteenBytes) {
  std::string id = traceIdOf("complaint 42");
  EXPECT_TRUE(isHex(id, 32)) << id;
  EXPECT_EQ(id, traceIdOf("complaint 42"));
  EXPECT_NE(id, traceIdOf("complaint 43"));
  EXPECT_TRUE(isHex(spanIdOf("run", 3), 16));
  EXPECT_NE(spanIdOf("run", 3), spanIdOf("run"));
}

} // namespace
} // namespace opflow::observe
