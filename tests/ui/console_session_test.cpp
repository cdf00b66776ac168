#include "ConsoleTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/ConsoleSession.h"

#include <QSignalSpy>
#include <QTest>

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
};

OPFLOW_UI_TEST(ConsoleSessionTest)
#include "console_session_test.moc"
