// RunEvent: one engine event about a run, as a Qt value that crosses threads by copy.
// Which fields are set depends on the kind (see each field's note).
// Thread-safety: a value type.
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace opflow::ui {

struct RunEvent {
  enum class Kind { Started, Rejected, StepEntered, StepFinished, Progress, Waiting, Completed, Failed, Cancelled };

  Kind kind = Kind::Started;
  QString runId;        // every kind but Rejected
  QString parentRunId;  // Started: set for a sub-run
  QString operation;    // Started, Rejected
  qint64 version = 0;   // Started
  QString order;        // Started: the run's "order" input, when it has one
  QString user;         // Started, Rejected
  QString correlationId; // Started, Rejected: the run's (a sub-run's is its parent's)
  QString node;         // StepEntered, StepFinished, Waiting
  QString exit;         // StepFinished
  qint64 durationUs = 0; // StepFinished
  qint64 stepIndex = -1; // StepFinished: the step's 0-based place in the run's journal
  double fraction = 0.0; // Progress: of the node, or of the run when structural
  bool structural = true;
  QString message;              // Progress
  std::optional<qint64> etaMs;  // Progress: time left in the node, when known
  QString signal;               // Waiting: the awaited signal (empty for a timer or sub-run)
  std::optional<qint64> wakeAtMs; // Waiting: timer or timeout, UTC ms
  QString error;                // Failed, Rejected
  qint64 atMs = 0;              // when the engine reported it, UTC ms
};

} // namespace opflow::ui

Q_DECLARE_METATYPE(opflow::ui::RunEvent)
