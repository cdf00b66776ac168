// ConflictResolver: what the console does to resolve a sync conflict, for the sync panel
// and an order's conflict banner alike, as the supervisor signed in. keepShared() keeps
// the shop's state (the order here has it already). redo() starts the run that made the
// lost change again (same operation, version and inputs) on the shop's state, as the
// supervisor; runStarted() names it, so that the view opens the signature dialog when it
// waits for one. The conflict is resolved when that run completes; when it fails or is
// cancelled the conflict stays open and failed() says why. Both ways are audited in core
// (sync.conflict_resolved): keeping the shop's state under the action's correlation id, a
// redo under its run's, so that one reference finds the run and the resolution.
// Thread-safety: GUI thread only. The session must outlive it.
#pragma once

#include "opflow/sync/SyncConflicts.h"
#include "opflow/ui/bridge/ConsoleAction.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QObject>
#include <QString>

#include <deque>
#include <map>

namespace opflow::ui {

class ConsoleSession;

class ConflictResolver : public QObject {
  Q_OBJECT

public:
  explicit ConflictResolver(ConsoleSession& session, QObject* parent = nullptr);

  // Whether the person signed in may resolve conflicts (a supervisor or an admin).
  [[nodiscard]] bool mayResolve() const;
  // Whether `conflict` can be redone: an order change a run made.
  [[nodiscard]] static bool canRedo(const sync::SyncConflict& conflict);

  void keepShared(std::int64_t id);
  void redo(const sync::SyncConflict& conflict);

signals:
  void runStarted(const QString& runId);
  void resolved(std::int64_t id, const QString& message);
  void failed(std::int64_t id, const opflow::ui::ConsoleProblem& problem);

private:
  // A redo under way: the conflict and the action, whose correlation id its run carries.
  struct Redo {
    std::int64_t conflict = 0;
    ConsoleAction action;
  };

  void onRunEvent(const RunEvent& event);
  // The redo run has ended as `ended` says.
  void onRedoEnded(const Redo& redo, const RunEvent& ended);
  void markRedone(const Redo& redo, const QString& runId);

  ConsoleSession& m_session;
  std::map<QString, Redo> m_redoing; // run id -> what it redoes
  // Runs that ended lately: a redo may end before the answer that names it arrives.
  std::deque<RunEvent> m_recentEnds;
};

} // namespace opflow::ui
