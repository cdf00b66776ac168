#include "opflow/ui/bridge/ConsoleSession.h"

#include "opflow/observe/Log.h"
#include "opflow/observe/ProcessMetrics.h"
#include "opflow/store/UserStore.h"

#include <QCoreApplication>
#include <QEvent>

namespace opflow::ui {

namespace {

// What a sign-in brings back from the worker thread.
struct SignedIn {
  store::Session session;
  int idleMinutes = 0;
};

} // namespace

ConsoleSession::ConsoleSession(const ConsoleOptions& options)
    : m_clock(options.clock ? *options.clock : engine::systemClock()) {
  m_idleTimer.setInterval(static_cast<int>(options.idleCheck.count()));
  connect(&m_idleTimer, &QTimer::timeout, this, &ConsoleSession::checkSession);
}

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
  hostOptions.lock = {"opflow console", true, std::chrono::milliseconds(0), {}};
  auto host = host::WorkstationHost::open(std::move(store).value(), hostOptions);
  if (!host) {
    return host.error();
  }
  for (const std::string& leftOut : (*host)->leftOutDefinitions()) {
    qWarning("opflow: stored definition %s does not compile with this build and is left out: update opflow to run it",
             leftOut.c_str());
  }
  std::unique_ptr<ConsoleSession> session(new ConsoleSession(options));
  session->m_host = std::move(host).value();
  session->m_events = std::make_unique<RunEventBridge>();
  session->m_background = std::make_unique<Background>();
  session->m_syncEvents = std::make_unique<SyncBridge>();
  session->m_workstation = QString::fromStdString(host::workstationName());
  session->m_host->engine().addListener(*session->m_events);
  QCoreApplication::instance()->installEventFilter(session.get());
  return session;
}

ConsoleSession::~ConsoleSession() {
  // The sync thread writes through the host's store: it ends first (its round in hand).
  m_sync.reset();
  // Work in flight uses the host; the engine reports to the bridge until it stops.
  m_background.reset();
  // Closing the console signs its user out: the next command at this workstation must
  // not act as them. That includes a sign-in that succeeded while the console closed,
  // whose answer never arrived. This waits for one small write, as the console ends.
  const std::string open = m_user ? m_sessionId : (m_signingIn ? *m_signingIn : std::string());
  if (!open.empty()) {
    static_cast<void>(m_host->workstation().users().logout(open, "the console closed"));
  }
  m_host.reset();
  m_events.reset();
}

QString ConsoleSession::databasePath() const { return QString::fromStdString(m_host->store().path()); }

void ConsoleSession::startEngine() {
  m_background->run(
      this, [this] { return m_host->recover(); },
      [this, recovering = ConsoleAction(*this, "engine.recover")](const Status& recovered) {
        if (!recovered) {
          emit engineFailed(recovering.failed(
              recovered.error(), tr("The engine did not start: %1. No run goes on at this workstation until the "
                                    "console is opened again.")
                                     .arg(QString::fromStdString(recovered.error().describe()))));
          return;
        }
        m_engineReady = true;
        emit engineReady();
      });
}

void ConsoleSession::startSync() {
  if (!m_sync) {
    m_sync = std::make_unique<sync::SyncLoop>(m_host->store(), *m_syncEvents);
  }
  m_sync->start();
}

void ConsoleSession::syncNow() {
  if (!m_sync || m_syncEvents->status().link == sync::SyncLink::Stopped) {
    startSync();
    return;
  }
  m_sync->syncNow();
}

void ConsoleSession::signIn(const QString& user, const QString& password) {
  store::Credentials credentials{user.trimmed().toStdString(), password.toStdString()};
  const std::string workstation = m_workstation.toStdString();
  // The worker writes the new session's id here before it answers; the answer claims it.
  // Read by the destructor only after the pool has stopped.
  auto landed = std::make_shared<std::string>();
  m_signingIn = landed;
  const ConsoleAction signingIn(*this, "session.sign_in");
  m_background->run(
      this,
      [this, credentials = std::move(credentials), workstation, landed,
       correlationId = signingIn.correlationId()]() -> Result<SignedIn> {
        store::UserStore& users = m_host->workstation().users();
        auto policy = users.policy();
        if (!policy) {
          return policy.error();
        }
        auto session = users.login(credentials, workstation, correlationId);
        if (!session) {
          return session.error();
        }
        *landed = session->id;
        return SignedIn{std::move(session).value(), policy->sessionIdleMinutes};
      },
      [this, signingIn](const Result<SignedIn>& signedIn) {
        m_signingIn.reset();
        if (!signedIn) {
          // Not the name typed: a password typed into the name field must not reach the log.
          emit signInFailed(signingIn.failed(signedIn.error(), QString::fromStdString(signedIn.error().message)));
          return;
        }
        const store::Session& session = signedIn->session;
        observe::log(observe::LogLevel::Info, "console", "signed in",
                     {.user = session.user, .role = domain::toString(session.role),
                      .workstation = m_workstation.toStdString()});
        m_sessionId = session.id;
        m_user = store::User{session.user, session.role, false, session.startedAtMs, session.startedAtMs};
        m_idleMinutes = signedIn->idleMinutes;
        m_lastInput = m_lastTouch = m_clock.steadyNow();
        m_idleTimer.start();
        emit this->signedIn();
      });
}

void ConsoleSession::signOut(const QString& reason) {
  if (!m_user) {
    return;
  }
  m_idleTimer.stop();
  const std::string sessionId = m_sessionId;
  observe::log(observe::LogLevel::Info, "console", "signed out",
               {.user = m_user->name, .role = domain::toString(m_user->role),
                .workstation = m_workstation.toStdString(), .extra = {{"reason", reason.toStdString()}}});
  m_user.reset();
  m_sessionId.clear();
  m_background->run(
      this,
      [this, sessionId, why = reason.toStdString()] { return m_host->workstation().users().logout(sessionId, why); },
      [](const Result<store::Session>&) {});
  emit signedOut();
}

bool ConsoleSession::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
  case QEvent::KeyPress:
  case QEvent::MouseButtonPress:
  case QEvent::Wheel:
  case QEvent::TouchBegin: noteActivity(); break;
  default: break;
  }
  return QObject::eventFilter(watched, event);
}

void ConsoleSession::noteActivity() {
  if (!m_user) {
    return;
  }
  m_lastInput = m_clock.steadyNow();
  if (m_lastInput - m_lastTouch < store::UserStore::kActivityResolution) {
    return;
  }
  m_lastTouch = m_lastInput;
  m_background->run(
      this, [this, sessionId = m_sessionId] { return m_host->workstation().users().touch(sessionId); },
      [](const Status&) {});
}

void ConsoleSession::checkSession() {
  if (!m_user) {
    return;
  }
  if (m_clock.steadyNow() - m_lastInput >= std::chrono::minutes(m_idleMinutes)) {
    const int minutes = m_idleMinutes;
    signOut(tr("idle for %1 minutes").arg(minutes));
    emit sessionEnded(tr("Signed out after %1 minutes without activity: sign in again.").arg(minutes));
    return;
  }
  if (m_askingSession) {
    return;
  }
  m_askingSession = true;
  m_background->run(
      this,
      [this, workstation = m_workstation.toStdString()] {
        return m_host->workstation().users().openSession(workstation);
      },
      [this, asked = m_sessionId](const Result<std::optional<store::Session>>& open) {
        m_askingSession = false;
        if (!open || asked != m_sessionId || m_sessionId.empty()) {
          return; // unread, or the console signed in or out meanwhile
        }
        if (!*open) {
          dropEndedSession(tr("Your session here was ended elsewhere (signed out, or the user was disabled): "
                              "sign in again."));
        } else if ((*open)->id != asked) {
          dropEndedSession(tr("%1 signed in at this workstation, which ended your session: sign in again.")
                               .arg(QString::fromStdString((*open)->user)));
        }
      });
}

void ConsoleSession::dropEndedSession(const QString& why) {
  m_idleTimer.stop();
  m_user.reset();
  m_sessionId.clear();
  emit signedOut();
  emit sessionEnded(why);
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

store::AuditReaderIdentity ConsoleSession::auditReader(const ConsoleAction& action) const {
  return {m_user ? m_user->name : std::string(), m_workstation.toStdString(), action.correlationId()};
}

std::string ConsoleSession::liveMetricsText() const {
  std::vector<observe::MetricFamily> families = m_host->runMetrics().families();
  for (observe::MetricFamily& family : observe::writerFamilies(m_host->store().writer().stats())) {
    families.push_back(std::move(family));
  }
  families.push_back(observe::logDroppedFamily(observe::droppedLogLines()));
  if (m_syncEvents) {
    for (observe::MetricFamily& family : observe::syncFamilies(m_syncEvents->status(), store::nowMs())) {
      families.push_back(std::move(family));
    }
  }
  return observe::toPrometheusText(families);
}

} // namespace opflow::ui
