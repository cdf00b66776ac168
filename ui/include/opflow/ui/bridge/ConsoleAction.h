// ConsoleAction: one thing a person asked of the console (cancel a run, verify the audit
// chain, read the dashboard, sign in) under the one correlation id that finds everything
// it caused. An action on a run takes the run's own id, which the run's audit entries,
// log lines and trace already carry; any other action gets a new one, which the view
// hands to the core call so that the call's audit entries carry it too. The outcome is
// logged (component "console") with the action's name and id, the user, role and
// workstation, and the run id where there is one; a failure comes back as the problem the
// person reads with the id as its reference (text/ProblemText), to be copied.
// Thread-safety: a value; copy it into a Background job and its answer.
#pragma once

#include "opflow/Result.h"
#include "opflow/ui/text/ProblemText.h"

#include <QString>

#include <string>

namespace opflow::ui {

class ConsoleSession;

class ConsoleAction {
public:
  // An action by whoever is signed in at `session`, under a new correlation id.
  ConsoleAction(const ConsoleSession& session, std::string name);
  // An action on the run `runId`, under its correlation id (a new one when empty: a run
  // the console never heard the id of).
  [[nodiscard]] static ConsoleAction onRun(const ConsoleSession& session, std::string name, std::string runId,
                                           std::string runCorrelationId);

  [[nodiscard]] const std::string& correlationId() const { return m_correlationId; }
  [[nodiscard]] QString reference() const { return QString::fromStdString(m_correlationId); }
  [[nodiscard]] const std::string& runId() const { return m_runId; }

  // Logs that the action did what was asked.
  void succeeded() const;
  // Logs the error that stopped it and gives what the person reads: `shown`, with this
  // action's reference.
  [[nodiscard]] ConsoleProblem failed(const Error& error, const QString& shown) const;

private:
  ConsoleAction(const ConsoleSession& session, std::string name, std::string runId, std::string correlationId);

  std::string m_name;
  std::string m_correlationId;
  std::string m_runId;
  std::string m_user;
  std::string m_role;
  std::string m_workstation;
};

} // namespace opflow::ui
