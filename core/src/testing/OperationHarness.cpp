// Builds, for each run, a private catalog: the source's operations with stubbed ones
// replaced by a two-node definition (a recording handler, then a result or a fail) that
// keeps the real input declaration. The engine under test is the real one.
#include "opflow/testing/OperationHarness.h"

#include "opflow/engine/Engine.h"
#include "opflow/engine/RunFeeder.h"
#include "opflow/model/OperationBuilder.h"

#include <fmt/format.h>

namespace opflow::testing {

OperationHarness::OperationHarness(const engine::OperationCatalog& source) : m_source(source) {}

void OperationHarness::stub(const std::string& operation, Json outputs) { m_stubs[operation] = Stub{std::move(outputs), {}}; }

void OperationHarness::stubFailure(const std::string& operation, std::string reason) {
  m_stubs[operation] = Stub{Json::object(), std::move(reason)};
}

std::vector<Json> OperationHarness::callsTo(const std::string& operation) const {
  std::lock_guard lock(m_log->mutex);
  auto found = m_log->calls.find(operation);
  return found == m_log->calls.end() ? std::vector<Json>{} : found->second;
}

Result<model::OperationDefinition> OperationHarness::stubDefinition(const std::string& operation, const Stub& stub,
                                                                   engine::HandlerRegistry& handlers) const {
  engine::OperationPtr real = m_source.latest(operation);
  if (!real) {
    return makeError(ErrorCode::NotFound, fmt::format("cannot stub \"{}\": no such operation", operation));
  }
  const std::string handlerName = "opflow.testing.stub:" + operation;
  std::shared_ptr<CallLog> log = m_log;
  Json outputs = stub.outputs;
  Status added = handlers.add(engine::HandlerSpec{
      handlerName, {}, true, "records the call and returns the stubbed outputs",
      [log, operation, outputs](const engine::HandlerInput& in, engine::HandlerEffects& fx) -> engine::HandlerResult {
        Json inputs = in.data;
        inputs.erase("ctx");
        {
          std::lock_guard lock(log->mutex);
          log->calls[operation].push_back(std::move(inputs));
        }
        for (const auto& [field, value] : outputs.items()) {
          fx.set(field, value);
        }
        return std::string();
      }});
  if (!added) {
    return added.error();
  }
  const model::OperationDefinition& realDefinition = real->definition();
  model::OperationDefinition definition = realDefinition;
  definition.startsWith = "stub";
  std::vector<std::string> fields;
  for (const auto& [field, value] : stub.outputs.items()) {
    fields.push_back(field);
  }
  definition.nodes = {model::Node{"stub", "stubbed for a test", model::ActionNode{.handler = handlerName, .goTo = "end"}}};
  if (stub.failure.empty()) {
    definition.nodes.push_back(model::Node{"end", "", model::ResultNode{.fields = fields}});
  } else {
    definition.nodes.push_back(model::Node{"end", "", model::FailNode{.reason = stub.failure}});
  }
  return definition;
}

Result<RunOutcome> OperationHarness::run(const std::string& operation, Json inputs,
                                         std::vector<std::pair<std::string, Json>> signals, engine::RunContext context) {
  engine::HandlerRegistry handlers = m_source.handlers();
  std::vector<model::OperationDefinition> definitions;
  for (const engine::OperationPtr& op : m_source.latestVersions()) {
    auto found = m_stubs.find(op->name());
    if (found == m_stubs.end()) {
      definitions.push_back(op->definition());
      continue;
    }
    auto stubbed = stubDefinition(op->name(), found->second, handlers);
    if (!stubbed) {
      return stubbed.error();
    }
    definitions.push_back(std::move(stubbed).value());
  }
  for (const auto& [name, stub] : m_stubs) {
    if (!m_source.contains(name)) {
      return makeError(ErrorCode::NotFound, fmt::format("cannot stub \"{}\": no such operation", name));
    }
  }
  engine::OperationCatalog catalog(handlers);
  if (Status added = catalog.addAll(std::move(definitions)); !added) {
    return added.error();
  }
  engine::InMemoryRunStore store;
  engine::ManualClock clock(std::chrono::system_clock::now());
  engine::Engine engine(catalog, store, engine::EngineOptions{.clock = &clock});
  auto started = engine.start({operation, std::nullopt, std::move(inputs), std::move(context)});
  if (!started) {
    return started.error();
  }
  std::deque<engine::PendingSignal> pending;
  for (auto& [name, payload] : signals) {
    pending.push_back({name, std::move(payload)});
  }
  Status fed = engine::feedRun(engine, store, started.value(), pending, [&clock](engine::TimePoint due) {
    clock.advance(std::chrono::ceil<std::chrono::milliseconds>(due - clock.now()));
  });
  if (!fed) {
    return fed.error();
  }
  return RunOutcome{*store.loadRun(started.value()), store.loadSteps(started.value())};
}

} // namespace opflow::testing
