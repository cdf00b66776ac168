#include "opflow/ui/bridge/RunEventBridge.h"

#include "opflow/store/SqliteRunStore.h"

#include <chrono>

namespace opflow::ui {

namespace {

QString text(const std::string& value) { return QString::fromStdString(value); }

qint64 nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RunEvent eventOf(RunEvent::Kind kind, const engine::RunId& runId) {
  RunEvent event;
  event.kind = kind;
  event.runId = text(runId.str());
  event.atMs = nowMs();
  return event;
}

QString orderInput(const Json& inputs) {
  if (inputs.is_object()) {
    auto found = inputs.find("order");
    if (found != inputs.end() && found->is_string()) {
      return text(found->get<std::string>());
    }
  }
  return {};
}

} // namespace

RunEventBridge::RunEventBridge(QObject* parent) : QObject(parent) { qRegisterMetaType<RunEvent>(); }

void RunEventBridge::post(RunEvent event) {
  m_posted.fetch_add(1, std::memory_order_relaxed);
  QMetaObject::invokeMethod(
      this, [this, event = std::move(event)] { emit runEvent(event); }, Qt::QueuedConnection);
}

void RunEventBridge::onRunStarted(const engine::RunStartedEvent& started) {
  RunEvent event = eventOf(RunEvent::Kind::Started, started.runId);
  event.parentRunId = started.context.parentRunId.empty() ? QString() : text(started.context.parentRunId.str());
  event.operation = text(started.operation);
  event.version = started.version;
  event.order = orderInput(started.inputs);
  event.user = text(started.context.user);
  event.correlationId = text(started.context.correlationId);
  post(std::move(event));
}

void RunEventBridge::onRunRejected(const engine::RunRejectedEvent& rejected) {
  RunEvent event;
  event.kind = RunEvent::Kind::Rejected;
  event.operation = text(rejected.operation);
  event.user = text(rejected.context.user);
  event.correlationId = text(rejected.context.correlationId);
  event.error = text(rejected.error.describe());
  event.atMs = nowMs();
  post(std::move(event));
}

void RunEventBridge::onStepEntered(const engine::StepEnteredEvent& entered) {
  RunEvent event = eventOf(RunEvent::Kind::StepEntered, entered.runId);
  event.node = text(entered.node);
  post(std::move(event));
}

void RunEventBridge::onStepFinished(const engine::StepFinishedEvent& finished) {
  RunEvent event = eventOf(RunEvent::Kind::StepFinished, finished.step.runId);
  event.node = text(finished.step.node);
  event.exit = text(finished.step.exit);
  event.durationUs = finished.step.durationUs;
  event.stepIndex = finished.step.index;
  event.error = text(finished.step.error);
  post(std::move(event));
}

void RunEventBridge::onProgress(const engine::ProgressEvent& progress) {
  RunEvent event = eventOf(RunEvent::Kind::Progress, progress.runId);
  event.fraction = progress.fraction;
  event.structural = progress.structural;
  event.message = text(progress.message);
  event.etaMs = progress.etaMs;
  post(std::move(event));
}

void RunEventBridge::onWaiting(const engine::WaitingEvent& waiting) {
  RunEvent event = eventOf(RunEvent::Kind::Waiting, waiting.runId);
  event.node = text(waiting.node);
  event.signal = text(waiting.signal);
  if (waiting.wakeAt) {
    event.wakeAtMs = store::toMs(*waiting.wakeAt);
  }
  post(std::move(event));
}

void RunEventBridge::onCompleted(const engine::CompletedEvent& completed) {
  post(eventOf(RunEvent::Kind::Completed, completed.runId));
}

void RunEventBridge::onFailed(const engine::FailedEvent& failed) {
  RunEvent event = eventOf(RunEvent::Kind::Failed, failed.runId);
  event.error = text(failed.error.describe());
  post(std::move(event));
}

void RunEventBridge::onCancelled(const engine::CancelledEvent& cancelled) {
  post(eventOf(RunEvent::Kind::Cancelled, cancelled.runId));
}

} // namespace opflow::ui
