// RunEventBridge: the one door from the engine's worker threads into the GUI thread.
// It is an engine::RunListener; each callback copies the event into a RunEvent and posts
// it to the GUI thread, where runEvent() is emitted, in the order the engine reported
// the events of each run. Callbacks never wait for the GUI.
// Thread-safety: the listener callbacks may come from any thread; construct, connect and
// destroy on the GUI thread (the engine must stop reporting before it is destroyed).
#pragma once

#include "opflow/engine/RunListener.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QObject>

#include <atomic>
#include <cstdint>

namespace opflow::ui {

class RunEventBridge : public QObject, public engine::RunListener {
  Q_OBJECT

public:
  explicit RunEventBridge(QObject* parent = nullptr);

  void onRunStarted(const engine::RunStartedEvent& event) override;
  void onRunRejected(const engine::RunRejectedEvent& event) override;
  void onStepEntered(const engine::StepEnteredEvent& event) override;
  void onStepFinished(const engine::StepFinishedEvent& event) override;
  void onProgress(const engine::ProgressEvent& event) override;
  void onWaiting(const engine::WaitingEvent& event) override;
  void onCompleted(const engine::CompletedEvent& event) override;
  void onFailed(const engine::FailedEvent& event) override;
  void onCancelled(const engine::CancelledEvent& event) override;

  // Posts `event` as if the engine had reported it (the benchmark's event stream).
  void post(RunEvent event);
  // Events posted since the bridge was made (the dashboard's live rate); any thread.
  [[nodiscard]] std::uint64_t eventsPosted() const { return m_posted.load(std::memory_order_relaxed); }

signals:
  void runEvent(const opflow::ui::RunEvent& event);

private:
  std::atomic<std::uint64_t> m_posted{0};
};

} // namespace opflow::ui
