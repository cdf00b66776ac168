// ConsoleSession: what every view of the console works with. It holds the workstation
// host over the database (stores, catalog, an engine with worker threads, the engine
// lock), the bridge that brings run events to the GUI thread, the background runner for
// core calls, and who is signed in at this workstation.
//
// Opening is quick (no run is resumed yet), so the first view can paint at once;
// startEngine() then resumes earlier runs on a worker thread and says engineReady().
// startSync() keeps a workstation joined to a shared database in step with its shop on a
// thread of its own (sync::SyncLoop); syncEvents() brings what it does to the GUI thread.
// Signing in checks the password (argon2id, ~100 ms) on a worker thread too. Roles are
// enforced in core; may() only decides what the console offers.
//
// A session at the workstation vouches for its user to every command run there, so it
// ends with the console (the destructor signs out, audited "the console closed") and when
// the user has done nothing (no key, click or wheel in the application) for the
// database's idle limit (AuthPolicy). Input also keeps the session alive in the database
// (UserStore::touch, at most once a minute). A session ended elsewhere (someone else
// signed in at the workstation, the user was disabled) ends the console's too: the
// database is asked at each idle check. Either way sessionEnded() says why.
// Thread-safety: GUI thread only; host() gives thread-safe core objects.
#pragma once

#include "opflow/Result.h"
#include "opflow/domain/Role.h"
#include "opflow/engine/Engine.h"
#include "opflow/host/WorkstationHost.h"
#include "opflow/store/AuditReader.h"
#include "opflow/store/User.h"
#include "opflow/ui/bridge/Background.h"
#include "opflow/ui/bridge/ConsoleAction.h"
#include "opflow/ui/bridge/RunEventBridge.h"
#include "opflow/ui/bridge/SyncBridge.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

namespace opflow::ui {

struct ConsoleOptions {
  QString databasePath;         // an existing workstation database
  std::size_t engineWorkers = 4; // threads that advance runs
  const engine::Clock* clock = nullptr; // nullptr: the system clock (also what idleness is measured on)
  std::chrono::milliseconds idleCheck{10'000}; // how often idleness and the session's end are checked
};

class ConsoleSession : public QObject {
  Q_OBJECT

public:
  // Fails (a message naming the problem) when the database is missing or unusable, or
  // another process runs its operations.
  [[nodiscard]] static Result<std::unique_ptr<ConsoleSession>> open(const ConsoleOptions& options);
  ~ConsoleSession() override;

  [[nodiscard]] host::WorkstationHost& host() { return *m_host; }
  [[nodiscard]] Background& background() { return *m_background; }
  [[nodiscard]] RunEventBridge& events() { return *m_events; }
  [[nodiscard]] SyncBridge& syncEvents() { return *m_syncEvents; }
  [[nodiscard]] QString databasePath() const;
  [[nodiscard]] QString workstation() const { return m_workstation; }

  // Resumes earlier runs off the GUI thread; engineReady() or engineFailed() follows.
  void startEngine();
  [[nodiscard]] bool isEngineReady() const { return m_engineReady; }

  // Starts the sync thread (again, after a fault stopped it); a database that has not
  // joined a shared one says NotJoined and is looked at again every few seconds.
  void startSync();
  // A round now (the sync panel's "Sync now"); starts the thread when it stopped.
  void syncNow();

  // Checks the password off the GUI thread and opens the session at this workstation
  // (ending the one open there); signedIn() or signInFailed(message) follows.
  void signIn(const QString& user, const QString& password);
  // Ends the session (audited, with `reason` when given); signedOut() follows.
  void signOut(const QString& reason = {});
  [[nodiscard]] const std::optional<store::User>& user() const { return m_user; }
  // Whether the signed-in user's role has `permission` (false when nobody is signed in).
  [[nodiscard]] bool may(domain::Permission permission) const;
  // Who acts: the signed-in user, their role and this workstation.
  [[nodiscard]] engine::Actor actor() const;
  // The context a run started from the console carries.
  [[nodiscard]] engine::RunContext runContext() const;
  // Who reads the audit log (store::AuditReader) for `action`: the signed-in user at this
  // workstation, under the action's correlation id. For the views, which exist only while
  // someone is signed in.
  [[nodiscard]] store::AuditReaderIdentity auditReader(const ConsoleAction& action) const;
  // This process's live metrics in the Prometheus text format: the engine's runs and
  // steps, the store writer, the log and the shop link (what /metrics serves). Reads
  // counters only: quick enough for the GUI thread.
  [[nodiscard]] std::string liveMetricsText() const;

signals:
  void engineReady();
  void engineFailed(const opflow::ui::ConsoleProblem& problem);
  void signedIn();
  void signInFailed(const opflow::ui::ConsoleProblem& problem);
  void signedOut();
  // The session ended without the user asking: idle past the database's limit, or ended
  // elsewhere. `why` says which, for the sign-in that follows.
  void sessionEnded(const QString& why);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  explicit ConsoleSession(const ConsoleOptions& options);
  void noteActivity();
  // Ends the session when idle past the limit, else asks whether it still stands.
  void checkSession();
  // Drops the sign-in without a sign-out of its own (the session has ended already).
  void dropEndedSession(const QString& why);

  std::unique_ptr<host::WorkstationHost> m_host;
  std::unique_ptr<RunEventBridge> m_events;
  std::unique_ptr<Background> m_background;
  std::unique_ptr<SyncBridge> m_syncEvents;
  std::unique_ptr<sync::SyncLoop> m_sync;
  QString m_workstation;
  std::optional<store::User> m_user;
  std::string m_sessionId;
  std::shared_ptr<std::string> m_signingIn; // a sign-in's session id until its answer arrives
  bool m_engineReady = false;
  const engine::Clock& m_clock;
  QTimer m_idleTimer;
  int m_idleMinutes = 0;
  bool m_askingSession = false;
  engine::SteadyTimePoint m_lastInput;
  engine::SteadyTimePoint m_lastTouch;
};

} // namespace opflow::ui
