#include "opflow/ui/ConsoleSession.h"

#include "opflow/store/UserStore.h"

namespace opflow::ui {

Result<std::unique_ptr<ConsoleSession>> ConsoleSession::open(const ConsoleOptions& options) {
  store::LocalStoreOptions storeOptions;
  storeOptions.path = options.databasePath.toStdString();
  auto store = store::LocalStore::open(storeOptions);
  if (!store) {
    return store.error();
  }
  host::HostOptions hostOptions;
  hostOptions.engine.workers = options.engineWorkers;
  hostOptions.engine.clock = options.clock;
  hostOptions.waitForLock = false;
  auto host = host::WorkstationHost::open(std::move(store).value(), hostOptions);
  if (!host) {
    return host.error();
  }
  std::unique_ptr<ConsoleSession> session(new ConsoleSession());
  session->m_host = std::move(host).value();
  session->m_events = std::make_unique<RunEventBridge>();
  session->m_background = std::make_unique<Background>();
  session->m_workstation = QString::fromStdString(host::workstationName());
  session->m_host->engine().addListener(*session->m_events);
  return session;
}

ConsoleSession::~ConsoleSession() {
  // Work in flight uses the host; the engine reports to the bridge until it stops.
  m_background.reset();
  m_host.reset();
  m_events.reset();
}

QString ConsoleSession::databasePath() const { return QString::fromStdString(m_host->store().path()); }

void ConsoleSession::startEngine() {
  m_background->run(
      this, [this] { return m_host->recover(); },
      [this](const Status& recovered) {
        if (!recovered) {
          emit engineFailed(QString::fromStdString(recovered.error().describe()));
          return;
        }
        m_engineReady = true;
        emit engineReady();
      });
}

void ConsoleSession::signIn(const QString& user, const QString& password) {
  store::Credentials credentials{user.trimmed().toStdString(), password.toStdString()};
  const std::string workstation = m_workstation.toStdString();
  m_background->run(
      this,
      [this, credentials = std::move(credentials), workstation] {
        return m_host->workstation().users().login(credentials, workstation);
      },
      [this](const Result<store::Session>& session) {
        if (!session) {
          emit signInFailed(QString::fromStdString(session.error().message));
          return;
        }
        m_sessionId = session->id;
        m_user = store::User{session->user, session->role, false, session->startedAtMs, session->startedAtMs};
        emit signedIn();
      });
}

void ConsoleSession::signOut() {
  if (!m_user) {
    return;
  }
  const std::string sessionId = m_sessionId;
  m_user.reset();
  m_sessionId.clear();
  m_background->run(
      this, [this, sessionId] { return m_host->workstation().users().logout(sessionId); },
      [](const Result<store::Session>&) {});
  emit signedOut();
}

bool ConsoleSession::may(domain::Permission permission) const {
  return m_user && domain::allows(m_user->role, permission);
}

engine::Actor ConsoleSession::actor() const {
  if (!m_user) {
    return {};
  }
  return engine::Actor{m_user->name, domain::toString(m_user->role), m_workstation.toStdString()};
}

engine::RunContext ConsoleSession::runContext() const {
  engine::RunContext context;
  if (m_user) {
    context.user = m_user->name;
    context.role = domain::toString(m_user->role);
  }
  context.workstation = m_workstation.toStdString();
  return context;
}

} // namespace opflow::ui
