// ProblemText: how the console words a problem a person meets: what happened and what to
// do, then the reference (the correlation id of the action or run that met it), which
// finds the same problem's log lines (opflow-cli logs --correlation), audit entries and
// trace. Every view shows its problems this way (views/ViewParts showProblem).
// Thread-safety: a value type and free functions.
#pragma once

#include <QMetaType>
#include <QString>

namespace opflow::ui {

struct ConsoleProblem {
  QString text;      // what happened and what to do
  QString reference; // the correlation id; empty when nothing was logged or audited

  // The text and the reference line, for places that show plain text (a tooltip).
  [[nodiscard]] QString fullText() const;
};

// "Reference <id>: give it to your supervisor; it finds …" on a line of its own; empty for
// an empty id.
[[nodiscard]] QString referenceText(const QString& correlationId);

} // namespace opflow::ui

Q_DECLARE_METATYPE(opflow::ui::ConsoleProblem)
