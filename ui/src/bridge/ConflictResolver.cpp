#include "opflow/ui/bridge/ConflictResolver.h"

#include "opflow/ui/bridge/ConsoleSession.h"

#include <algorithm>

namespace opflow::ui {

namespace {

constexpr std::size_t kRememberedEnds = 256;

bool ends(const RunEvent& event) {
  return event.kind == RunEvent::Kind::Completed || event.kind == RunEvent::Kind::Failed ||
         event.kind == RunEvent::Kind::Cancelled;
}

QString qt(const std::string& text) { return QString::fromStdString(text); }

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
  m_session.background().run(
      this,
      [store = &m_session.host().store(), user = *m_session.user(), workstation = shopWorkstation(m_session), id] {
        return sync::keepSharedState(*store, id, user, workstation);
      },
      [this, id](const Result<sync::SyncConflict>& kept) {
        if (!kept) {
          emit failed(id, tr("Conflict %1 is not resolved: %2").arg(id).arg(qt(kept.error().message)));
          return;
        }
        emit resolved(id, tr("Conflict %1 resolved: the shop's state of %2 is kept.").arg(id).arg(qt(kept->subject)));
      });
}

void ConflictResolver::redo(const sync::SyncConflict& conflict) {
  if (!m_session.user() || !canRedo(conflict)) {
    return;
  }
  engine::Engine* engine = &m_session.host().engine();
  const engine::RunStore* runs = &m_session.host().runs();
  engine::RunContext context = m_session.runContext();
  context.workstation = shopWorkstation(m_session);
  m_session.background().run(
      this,
      [engine, runs, context, runId = conflict.runId]() -> Result<engine::RunId> {
        auto original = runs->loadRun(engine::RunId(runId));
        if (!original) {
          return makeError(ErrorCode::NotFound, "run " + runId + " that made the change is not in this database");
        }
        return engine->start({original->operation, original->version, original->inputs, context});
      },
      [this, id = conflict.id](const Result<engine::RunId>& started) {
        if (!started) {
          emit failed(id, tr("Conflict %1 stays open: the change could not be started again: %2")
                              .arg(id)
                              .arg(qt(started.error().message)));
          return;
        }
        const QString runId = qt(started->str());
        emit runStarted(runId);
        auto ended = std::find_if(m_recentEnds.begin(), m_recentEnds.end(),
                                  [&runId](const RunEvent& event) { return event.runId == runId; });
        if (ended != m_recentEnds.end()) {
          onRedoEnded(id, *ended);
        } else {
          m_redoing[runId] = id;
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
  const std::int64_t id = found->second;
  m_redoing.erase(found);
  onRedoEnded(id, event);
}

void ConflictResolver::onRedoEnded(std::int64_t id, const RunEvent& ended) {
  if (ended.kind == RunEvent::Kind::Completed) {
    markRedone(id, ended.runId);
    return;
  }
  emit failed(id, tr("Conflict %1 stays open: run %2 that made the change again %3")
                      .arg(id)
                      .arg(ended.runId, ended.kind == RunEvent::Kind::Failed ? tr("failed: %1").arg(ended.error)
                                                                             : tr("was cancelled")));
}

void ConflictResolver::markRedone(std::int64_t id, const QString& runId) {
  if (!m_session.user()) {
    return;
  }
  m_session.background().run(
      this,
      [store = &m_session.host().store(), user = *m_session.user(), workstation = shopWorkstation(m_session), id,
       run = runId.toStdString()] { return sync::keepMine(*store, id, user, workstation, run); },
      [this, id, runId](const Result<sync::SyncConflict>& kept) {
        if (!kept) {
          emit failed(id, tr("Run %1 made the change again, but conflict %2 was not marked resolved: %3")
                              .arg(runId)
                              .arg(id)
                              .arg(qt(kept.error().message)));
          return;
        }
        emit resolved(id, tr("Conflict %1 resolved: run %2 made the change to %3 again; it goes up with the next sync.")
                              .arg(id)
                              .arg(runId, qt(kept->subject)));
      });
}

} // namespace opflow::ui
