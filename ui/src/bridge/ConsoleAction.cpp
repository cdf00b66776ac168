#include "opflow/ui/bridge/ConsoleAction.h"

#include "opflow/domain/Role.h"
#include "opflow/engine/RunId.h"
#include "opflow/observe/Log.h"
#include "opflow/ui/bridge/ConsoleSession.h"

namespace opflow::ui {

namespace {

constexpr const char* kComponent = "console";

} // namespace

ConsoleAction::ConsoleAction(const ConsoleSession& session, std::string name)
    : ConsoleAction(session, std::move(name), {}, engine::newUuidV7()) {}

ConsoleAction::ConsoleAction(const ConsoleSession& session, std::string name, std::string runId,
                             std::string correlationId)
    : m_name(std::move(name)), m_correlationId(std::move(correlationId)), m_runId(std::move(runId)),
      m_workstation(session.workstation().toStdString()) {
  if (const auto& user = session.user()) {
    m_user = user->name;
    m_role = domain::toString(user->role);
  }
}

ConsoleAction ConsoleAction::onRun(const ConsoleSession& session, std::string name, std::string runId,
                                   std::string runCorrelationId) {
  if (runCorrelationId.empty()) {
    runCorrelationId = engine::newUuidV7();
  }
  return {session, std::move(name), std::move(runId), std::move(runCorrelationId)};
}

void ConsoleAction::succeeded() const {
  observe::log(observe::LogLevel::Info, kComponent, "console action done",
               {.correlationId = m_correlationId, .runId = m_runId, .user = m_user, .role = m_role,
                .workstation = m_workstation, .extra = {{"action", m_name}}});
}

ConsoleProblem ConsoleAction::failed(const Error& error, const QString& shown) const {
  observe::log(observe::LogLevel::Warn, kComponent, "console action failed",
               {.correlationId = m_correlationId, .runId = m_runId, .user = m_user, .role = m_role,
                .workstation = m_workstation,
                .extra = {{"action", m_name}, {"code", toString(error.code)}, {"error", error.describe()}}});
  return {shown, reference()};
}

} // namespace opflow::ui
