#include "opflow/observe/RunLog.h"

#include <fmt/format.h>

namespace opflow::observe {

namespace {

constexpr std::string_view kComponent = "engine";

LogFields contextFields(const engine::RunContext& context, const std::string& operation) {
  return LogFields{context.correlationId, context.runId.str(), operation, "", context.user, context.role,
                   context.workstation, nullptr};
}

} // namespace

LogFields RunLog::fieldsOf(const engine::RunId& runId) const {
  std::lock_guard lock(m_mutex);
  auto found = m_runs.find(runId);
  if (found != m_runs.end()) {
    return found->second;
  }
  LogFields fields;
  fields.runId = runId.str();
  return fields;
}

LogFields RunLog::forget(const engine::RunId& runId) {
  std::lock_guard lock(m_mutex);
  auto found = m_runs.find(runId);
  if (found == m_runs.end()) {
    LogFields fields;
    fields.runId = runId.str();
    return fields;
  }
  LogFields fields = std::move(found->second);
  m_runs.erase(found);
  return fields;
}

void RunLog::onRunStarted(const engine::RunStartedEvent& event) {
  if (!logEnabled(LogLevel::Warn)) {
    return;
  }
  LogFields fields = contextFields(event.context, event.operation);
  fields.runId = event.runId.str();
  if (logEnabled(LogLevel::Debug)) {
    LogFields line = fields;
    line.extra = Json{{"version", event.version}};
    if (!event.context.parentRunId.empty()) {
      line.extra["parent_run_id"] = event.context.parentRunId.str();
    }
    log(LogLevel::Debug, kComponent, event.context.parentRunId.empty() ? "run started" : "sub-run started", line);
  }
  std::lock_guard lock(m_mutex);
  m_runs.insert_or_assign(event.runId, std::move(fields));
}

void RunLog::onRunRejected(const engine::RunRejectedEvent& event) {
  LogFields fields = contextFields(event.context, event.operation);
  fields.extra = Json{{"error", event.error.message}, {"code", toString(event.error.code)}};
  log(LogLevel::Warn, kComponent, "run refused before it started", fields);
}

void RunLog::onStepFinished(const engine::StepFinishedEvent& event) {
  if (!logEnabled(LogLevel::Debug)) {
    return;
  }
  LogFields fields = fieldsOf(event.step.runId);
  fields.node = event.step.node;
  fields.extra = Json{{"step", event.step.index},
                      {"kind", model::toString(event.step.kind)},
                      {"exit", event.step.exit},
                      {"duration_us", event.step.durationUs}};
  log(LogLevel::Debug, kComponent, "step finished", fields);
}

void RunLog::onWaiting(const engine::WaitingEvent& event) {
  if (!logEnabled(LogLevel::Info)) {
    return;
  }
  LogFields fields = fieldsOf(event.runId);
  fields.node = event.node;
  if (!event.signal.empty()) {
    fields.extra = Json{{"signal", event.signal}};
  } else if (!event.child.empty()) {
    fields.extra = Json{{"child_run_id", event.child.str()}};
  }
  log(LogLevel::Info, kComponent, "run waiting", fields);
}

void RunLog::onCompleted(const engine::CompletedEvent& event) {
  log(LogLevel::Debug, kComponent, "run completed", forget(event.runId));
}

void RunLog::onFailed(const engine::FailedEvent& event) {
  LogFields fields = forget(event.runId);
  fields.extra = Json{{"error", event.error.message}, {"code", event.error.code}};
  if (!event.error.path.empty()) {
    fields.node = event.error.path.back();
  }
  bool crashed = event.error.code == "store_error" || event.error.code == "handler_exception";
  log(crashed ? LogLevel::Error : LogLevel::Warn, kComponent, "run failed", fields);
}

void RunLog::onCancelled(const engine::CancelledEvent& event) {
  log(LogLevel::Info, kComponent, "run cancelled", forget(event.runId));
}

} // namespace opflow::observe
