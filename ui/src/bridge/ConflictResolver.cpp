#include "opflow/ui/bridge/ConflictResolver.h"

#include "text/QtText.h"

#include "opflow/ui/bridge/ConsoleSession.h"

#include <algorithm>

namespace opflow::ui {

namespace {

constexpr std::size_t kRememberedEnds = 256;

bool ends(const RunEvent& event) {
  return event.kind == RunEvent::Kind::Completed || event.kind == RunEvent::Kind::Failed ||
         event.kind == RunEvent::Kind::Cancelled;
}

// This workstation's name in the shop (the host's until the sync has said it).
std::string shopWorkstation(ConsoleSession& session) {
  const std::string& joined = session.syncEvents().status().workstation;
  return joined.empty() ? session.workstation().toStdString() : joined;
}

} // namespace

ConflictResolver::ConflictResolver(ConsoleSession& session, QObject* parent) : QObject(parent), m_session(session) {
  connect(&session.events(), &RunEventBridge::runEvent, this, &ConflictResolver::onRunEvent);
}

bool ConflictResolver::mayResolve() const { return m_session.may(domain::Permission::Supervise); }

bool ConflictResolver::canRedo(const sync::SyncConflict& conflict) {
  return conflict.kind == "order.changed" && !conflict.runId.empty();
}

void ConflictResolver::keepShared(std::int64_t id) {
  if (!m_session.user()) {
    return;
  }
  const ConsoleAction keeping(m_session, "conflict.keep_shared");
  m_session.background().run(
      this,
      [store = &m_session.host().store(), user = *m_session.user(), workstation = shopWorkstation(m_session), id,
       correlationId = keeping.correlationId()] {
        return sync::keepSharedState(*store, id, user, workstation, correlationId);
      },
      [this, id, keeping](const Result<sync::SyncConflict>& kept) {
        if (!kept) {
          emit failed(id, keeping.failed(kept.error(), tr("Conflict %1 is not resolved: %2")
                                                           .arg(id)
                                                           .arg(qt(kept.error().message))));
          return;
        }
        keeping.succeeded();
        emit resolved(id, tr("Conflict %1 resolved: the shop's state of %2 is kept.").arg(id).arg(qt(kept->subject)));
      });
}

void ConflictResolver::redo(const sync::SyncConflict& conflict) {
  if (!m_session.user() || !canRedo(conflict)) {
    return;
  }
  engine::Engine* engine = &m_session.host().engine();
  const engine::RunStore* runs = &m_session.host().runs();
  const Redo redo{conflict.id, ConsoleAction(m_session, "conflict.redo")};
  engine::RunContext context = m_session.runContext();
  context.workstation = shopWorkstation(m_session);
  context.correlationId = redo.action.correlationId();
  m_session.background().run(
      this,
      [engine, runs, context, runId = conflict.runId]() -> Result<engine::RunId> {
        auto original = runs->loadRun(engine::RunId(runId));
        if (!original) {
          return makeError(ErrorCode::NotFound, "run " + runId + " that made the change is not in this database");
        }
        return engine->start({original->operation, original->version, original->inputs, context});
      },
      [this, redo](const Result<engine::RunId>& started) {
        if (!started) {
          emit failed(redo.conflict,
                      redo.action.failed(started.error(),
                                         tr("Conflict %1 stays open: the change could not be started again: %2")
                                             .arg(redo.conflict)
                                             .arg(qt(started.error().message))));
          return;
        }
        const QString runId = qt(started->str());
        emit runStarted(runId);
        auto ended = std::find_if(m_recentEnds.begin(), m_recentEnds.end(),
                                  [&runId](const RunEvent& event) { return event.runId == runId; });
        if (ended != m_recentEnds.end()) {
          onRedoEnded(redo, *ended);
        } else {
          m_redoing.insert_or_assign(runId, redo);
        }
      });
}

void ConflictResolver::onRunEvent(const RunEvent& event) {
  if (!ends(event)) {
    return;
  }
  auto found = m_redoing.find(event.runId);
  if (found == m_redoing.end()) {
    m_recentEnds.push_back(event);
    if (m_recentEnds.size() > kRememberedEnds) {
      m_recentEnds.pop_front();
    }
    return;
  }
  const Redo redo = found->second;
  m_redoing.erase(found);
  onRedoEnded(redo, event);
}

void ConflictResolver::onRedoEnded(const Redo& redo, const RunEvent& ended) {
  if (ended.kind == RunEvent::Kind::Completed) {
    markRedone(redo, ended.runId);
    return;
  }
  // The run has logged and audited its end under the action's id.
  emit failed(redo.conflict,
              {tr("Conflict %1 stays open: run %2 that made the change again %3")
                   .arg(redo.conflict)
                   .arg(ended.runId, ended.kind == RunEvent::Kind::Failed ? tr("failed: %1").arg(ended.error)
                                                                          : tr("was cancelled")),
               redo.action.reference()});
}

void ConflictResolver::markRedone(const Redo& redo, const QString& runId) {
  if (!m_session.user()) {
    return;
  }
  m_session.background().run(
      this,
      [store = &m_session.host().store(), user = *m_session.user(), workstation = shopWorkstation(m_session),
       id = redo.conflict, run = runId.toStdString(), correlationId = redo.action.correlationId()] {
        return sync::keepMine(*store, id, user, workstation, run, correlationId);
      },
      [this, redo, runId](const Result<sync::SyncConflict>& kept) {
        if (!kept) {
          emit failed(redo.conflict,
                      redo.action.failed(kept.error(),
                                         tr("Run %1 made the change again, but conflict %2 was not marked resolved: %3")
                                             .arg(runId)
                                             .arg(redo.conflict)
                                             .arg(qt(kept.error().message))));
          return;
        }
        redo.action.succeeded();
        emit resolved(redo.conflict,
                      tr("Conflict %1 resolved: run %2 made the change to %3 again; it goes up with the next sync.")
                          .arg(redo.conflict)
                          .arg(runId, qt(kept->subject)));
      });
}

} // namespace opflow::ui
