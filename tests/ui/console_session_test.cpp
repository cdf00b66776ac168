#include "ConsoleTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/UserStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QSignalSpy>
#include <QTest>
#include <QWidget>

#include <algorithm>

using opflow::ui::ConsoleSession;
using opflow::ui::RunEvent;

class ConsoleSessionTest : public QObject {
  Q_OBJECT

private slots:
  void signsInWithTheRoleTheUsersTableGives() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    QVERIFY(session->user());
    QCOMPARE(session->user()->role, opflow::domain::Role::Supervisor);
    QVERIFY(session->may(opflow::domain::Permission::Supervise));
    QVERIFY(!session->may(opflow::domain::Permission::Administer));
    QCOMPARE(QString::fromStdString(session->actor().user), QStringLiteral("sam"));
  }

  void aWrongPasswordIsRefusedWithoutSayingWhich() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = ConsoleSession::open({database.path()});
    QVERIFY(session);
    QSignalSpy failed(session->get(), &ConsoleSession::signInFailed);
    (*session)->signIn(QStringLiteral("olga"), QStringLiteral("not her password"));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(!(*session)->user());
    QVERIFY(!(*session)->may(opflow::domain::Permission::Read));
  }

  void aSecondConsoleOnTheSameDatabaseIsRefused() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto first = ConsoleSession::open({database.path()});
    QVERIFY(first);
    auto second = ConsoleSession::open({database.path()});
    QVERIFY(!second);
    QCOMPARE(second.error().code, opflow::ErrorCode::Conflict);
    const std::string holder = "run by opflow console (pid " + std::to_string(QCoreApplication::applicationPid());
    QVERIFY2(second.error().message.find(holder) != std::string::npos, second.error().message.c_str());
  }

  void aMissingDatabaseIsNamed() {
    auto session = ConsoleSession::open({QStringLiteral("/nonexistent/opflow.db")});
    QVERIFY(!session);
    QVERIFY(session.error().message.find("/nonexistent/opflow.db") != std::string::npos);
  }

  void runEventsArriveOnTheGuiThreadInOrder() {
    opflow::uitest::ConsoleDatabase database(3);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    QList<RunEvent> events;
    QObject::connect(&session->events(), &opflow::ui::RunEventBridge::runEvent, session.get(),
                     [&events](const RunEvent& event) {
                       QCOMPARE(QThread::currentThread(), qApp->thread());
                       events.push_back(event);
                     });
    opflow::engine::StartRequest request;
    request.operation = "demo.every_kind";
    request.inputs = {{"customer", "ACME"}, {"amount", 10}};
    request.context = session->runContext();
    auto started = session->host().engine().start(request);
    QVERIFY2(started, started ? "" : started.error().describe().c_str());
    const QString runId = QString::fromStdString(started->str());
    auto ended = [&events, &runId] {
      return std::any_of(events.begin(), events.end(), [&runId](const RunEvent& event) {
        return event.runId == runId && (event.kind == RunEvent::Kind::Completed || event.kind == RunEvent::Kind::Failed);
      });
    };
    QTRY_VERIFY(ended());
    QCOMPARE(events.front().kind, RunEvent::Kind::Started);
    QCOMPARE(events.front().runId, runId);
    QCOMPARE(events.front().operation, QStringLiteral("demo.every_kind"));
    QCOMPARE(events.front().user, QStringLiteral("olga"));
    const auto last = std::find_if(events.rbegin(), events.rend(),
                                   [&runId](const RunEvent& event) { return event.runId == runId; });
    QCOMPARE(last->kind, RunEvent::Kind::Completed);
  }

  // The next command at the workstation must not act as whoever closed the console.
  void closingTheConsoleSignsItsUserOut() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const std::string workstation = session->workstation().toStdString();
    session.reset();

    auto store = openStore(database);
    QVERIFY(store);
    opflow::store::UserStore users(*store);
    auto open = users.openSession(workstation);
    QVERIFY(open);
    QVERIFY2(!*open, "the supervisor's session outlived the console");
    const auto logouts = audited(*store, "user.logout");
    QCOMPARE(logouts.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(logouts[0].reason), QStringLiteral("the console closed"));
  }

  void anIdleConsoleSignsOutAndInputKeepsItSignedIn() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    opflow::engine::ManualClock clock;
    auto session = database.open(opflow::uitest::kOperator, {{}, 2, &clock, std::chrono::milliseconds(10)});
    QVERIFY(session);
    QSignalSpy idle(session.get(), &ConsoleSession::sessionEnded);
    QWidget window;
    window.show();

    clock.advance(std::chrono::minutes(20));
    QTest::keyClick(&window, Qt::Key_Space);
    clock.advance(std::chrono::minutes(20));
    QTest::qWait(50);
    QCOMPARE(idle.count(), 0); // 20 minutes since the key, under the 30 of the database
    QVERIFY(session->user());

    clock.advance(std::chrono::minutes(11));
    QTRY_COMPARE(idle.count(), 1);
    QCOMPARE(idle.front().front().toString(), QStringLiteral("Signed out after 30 minutes without activity: sign in again."));
    QVERIFY(!session->user());
    QVERIFY(!session->may(opflow::domain::Permission::Read));
    auto store = openStore(database);
    QVERIFY(store);
    QTRY_COMPARE(audited(*store, "user.logout").size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(audited(*store, "user.logout")[0].reason), QStringLiteral("idle for 30 minutes"));
  }

  // A disabled user, or a shift change at the workstation, ends the console's session too.
  void aSessionEndedElsewhereEndsTheConsoles() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator, {{}, 2, nullptr, std::chrono::milliseconds(10)});
    QVERIFY(session);
    QSignalSpy ended(session.get(), &ConsoleSession::sessionEnded);
    QVERIFY(session->host().workstation().users().login(
        {opflow::uitest::kSupervisor, opflow::uitest::testPassword(opflow::uitest::kSupervisor)},
        session->workstation().toStdString()));
    QTRY_COMPARE(ended.count(), 1);
    QCOMPARE(ended.front().front().toString(),
             QStringLiteral("sam signed in at this workstation, which ended your session: sign in again."));
    QVERIFY(!session->user());
    QVERIFY(!session->may(opflow::domain::Permission::Act));
  }

private:
  static std::unique_ptr<opflow::store::LocalStore> openStore(const opflow::uitest::ConsoleDatabase& database) {
    auto store = opflow::store::LocalStore::open(
        {database.path().toStdString(), false, opflow::store::Durability::Normal, {}, {}, true});
    return store ? std::move(store).value() : nullptr;
  }

  static std::vector<opflow::store::AuditEntry> audited(opflow::store::LocalStore& store, const std::string& action) {
    auto reader = store.readers().acquire();
    opflow::store::AuditQuery query;
    query.action = action;
    auto entries = reader ? opflow::store::queryAudit(**reader, query)
                          : opflow::Result<std::vector<opflow::store::AuditEntry>>(reader.error());
    return entries ? *entries : std::vector<opflow::store::AuditEntry>{};
  }
};

OPFLOW_UI_TEST(ConsoleSessionTest)
#include "console_session_test.moc"
