#include "opflow/testing/NodeHarness.h"

#include "engine/NodeExecutor.h"

#include <fmt/format.h>

namespace opflow::testing {

namespace {

using engine::detail::WakeKind;

class RecordingProgress final : public engine::detail::ProgressSink {
public:
  explicit RecordingProgress(std::vector<std::pair<double, std::string>>& reports) : m_reports(reports) {}
  void report(double fraction, const std::string& message) override { m_reports.emplace_back(fraction, message); }

private:
  std::vector<std::pair<double, std::string>>& m_reports;
};

std::optional<engine::detail::WakeReason> wakeFor(const Completion& completion) {
  switch (completion.kind) {
  case Completion::Kind::None: return std::nullopt;
  case Completion::Kind::CallSucceeds: return engine::detail::WakeReason{WakeKind::ChildCompleted, completion.payload, {}};
  case Completion::Kind::CallFails: return engine::detail::WakeReason{WakeKind::ChildFailed, nullptr, completion.error};
  case Completion::Kind::Signal: return engine::detail::WakeReason{WakeKind::Signal, completion.payload, {}};
  case Completion::Kind::Timer: return engine::detail::WakeReason{WakeKind::Timer, nullptr, {}};
  case Completion::Kind::Timeout: return engine::detail::WakeReason{WakeKind::Timeout, nullptr, {}};
  }
  return std::nullopt;
}

} // namespace

NodeHarness::NodeHarness(const engine::OperationCatalog& catalog) : m_catalog(catalog) {}

Result<NodeRun> NodeHarness::run(const std::string& operation, const std::string& node, Json data,
                                 const Completion& completion, engine::RunContext context) const {
  engine::OperationPtr op = m_catalog.latest(operation);
  if (!op) {
    return makeError(ErrorCode::NotFound, fmt::format("no operation \"{}\"", operation));
  }
  std::size_t index = op->indexOf(node);
  if (index == engine::kNoNode) {
    return makeError(ErrorCode::NotFound, fmt::format("operation \"{}\" has no node \"{}\"", operation, node));
  }
  if (!data.is_object()) {
    return makeError(ErrorCode::InvalidArgument, "the node's data must be a JSON object");
  }
  data["ctx"] = context.toJson();

  NodeRun result;
  RecordingProgress progress(result.progress);
  engine::detail::NodeScope scope{*op, data, context, {}, &progress, &result.written};
  const engine::CompiledNode& compiled = op->nodes()[index];
  engine::detail::StepOutcome outcome = engine::detail::executeNode(compiled, scope);

  auto wake = wakeFor(completion);
  bool parked = std::holds_alternative<engine::detail::CallRequest>(outcome) ||
                std::holds_alternative<engine::detail::ParkRequest>(outcome);
  if (wake && !parked) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("node \"{}\" neither calls nor waits, so it cannot be completed", node));
  }
  if (auto* call = std::get_if<engine::detail::CallRequest>(&outcome)) {
    result.call = std::make_pair(call->operation, call->inputs);
  } else if (auto* park = std::get_if<engine::detail::ParkRequest>(&outcome)) {
    result.waitsFor = park->signal;
  }
  if (wake) {
    outcome = engine::detail::resumeNode(compiled, scope, *wake);
  }

  if (auto* next = std::get_if<engine::detail::GoTo>(&outcome)) {
    result.exit = next->exit;
    result.next = op->nodes()[next->target].node->name;
  } else if (auto* finished = std::get_if<engine::detail::Finish>(&outcome)) {
    result.exit = "completed";
    result.outputs = finished->outputs;
  } else if (auto* failed = std::get_if<engine::detail::Failure>(&outcome)) {
    result.exit = "failed";
    result.error = failed->error;
  }
  data.erase("ctx");
  result.data = std::move(data);
  return result;
}

} // namespace opflow::testing
