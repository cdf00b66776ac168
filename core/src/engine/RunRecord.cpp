#include "opflow/engine/RunRecord.h"
#include "opflow/engine/RunStore.h"

#include <algorithm>
#include <array>

namespace opflow::engine {

namespace {
constexpr std::array<const char*, 6> kStateNames = {"running", "waiting", "completed", "failed", "cancelled", "interrupted"};
}

const char* toString(RunState state) { return kStateNames.at(static_cast<std::size_t>(state)); }

const char* toString(DecisionKind kind) {
  switch (kind) {
  case DecisionKind::Retry: return "retry";
  case DecisionKind::Skip: return "skip";
  case DecisionKind::Fail: return "fail";
  }
  return "retry";
}

std::optional<std::int64_t> medianDurationUs(std::vector<std::int64_t> durationsUs) {
  if (durationsUs.empty()) {
    return std::nullopt;
  }
  std::sort(durationsUs.begin(), durationsUs.end());
  std::size_t middle = durationsUs.size() / 2;
  if (durationsUs.size() % 2 == 1) {
    return durationsUs[middle];
  }
  return (durationsUs[middle - 1] + durationsUs[middle]) / 2;
}

bool isTerminal(RunState state) {
  return state == RunState::Completed || state == RunState::Failed || state == RunState::Cancelled;
}

Json RunContext::toJson() const {
  return Json{{"user", user},
              {"role", role},
              {"workstation", workstation},
              {"correlation_id", correlationId},
              {"run_id", runId.str()},
              {"parent_run_id", parentRunId.empty() ? Json(nullptr) : Json(parentRunId.str())}};
}

std::string RunError::describe() const {
  std::string text = message;
  if (!path.empty()) {
    text += " (at ";
    for (std::size_t i = 0; i < path.size(); ++i) {
      text += (i ? " > " : "") + path[i];
    }
    text += ")";
  }
  return text;
}

Json RunError::toJson() const { return Json{{"code", code}, {"message", message}, {"path", path}}; }

} // namespace opflow::engine
