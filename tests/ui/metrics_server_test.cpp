// The console's /metrics: a real console session runs real operations, MetricsServer
// serves its live metrics on loopback, Prometheus's own checker (promtool) accepts them,
// and a real Prometheus server (a child process in a temporary folder, on loopback)
// scrapes the console and answers a query with the console's own count.
#include "ConsoleTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/bridge/MetricsServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using opflow::ui::ConsoleSession;
using opflow::ui::MetricsServer;

namespace {

void createOrder(ConsoleSession& session) {
  auto started = session.host().engine().start(
      {"order.create", std::nullopt, {{"customer", "Initech"}, {"material", "PLA"}}, session.runContext()});
  QVERIFY2(started, started ? "" : started.error().describe().c_str());
  QVERIFY(QTest::qWaitFor([&] {
    auto record = session.host().engine().runRecord(*started);
    return record && opflow::engine::isTerminal(record->state);
  }));
}

// The status line and body of GET `path` (the event loop runs while it waits).
std::pair<int, QByteArray> get(const QUrl& url) {
  QNetworkAccessManager network;
  QNetworkReply* reply = network.get(QNetworkRequest(url));
  if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10'000)) {
    return {-1, {}};
  }
  int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  QByteArray body = reply->readAll();
  reply->deleteLater();
  return {status, body};
}

// A loopback port no one listens on now.
quint16 freePort() {
  QTcpServer probe;
  probe.listen(QHostAddress::LocalHost, 0);
  return probe.serverPort();
}

} // namespace

class MetricsServerTest : public QObject {
  Q_OBJECT

private slots:
  void servesLiveMetricsThatPromtoolAccepts() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    createOrder(*session);
    createOrder(*session);
    MetricsServer server([&] { return session->liveMetricsText(); });
    auto port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY2(port, port ? "" : port.error().message.c_str());
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(*port);

    auto [status, body] = get(QUrl(base + QStringLiteral("/metrics")));
    QCOMPARE(status, 200);
    QVERIFY2(body.contains("opflow_engine_runs_started_total{operation=\"order.create\"} 2"), body.constData());
    QVERIFY(body.contains("opflow_engine_runs_ended_total{operation=\"order.create\",state=\"completed\"} 2"));
    QVERIFY(body.contains("# TYPE opflow_engine_step_duration_seconds histogram"));
    QVERIFY(body.contains("opflow_store_commits_total"));
    QVERIFY(body.contains("opflow_log_dropped_lines_total 0"));

    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("metrics.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(body);
    file.close();
    QProcess promtool;
    promtool.setStandardInputFile(file.fileName());
    promtool.start(QStringLiteral("promtool"), {QStringLiteral("check"), QStringLiteral("metrics")});
    QVERIFY2(promtool.waitForFinished(30'000), "promtool (Debian package prometheus) did not run");
    const QByteArray said = promtool.readAllStandardOutput() + promtool.readAllStandardError();
    QVERIFY2(promtool.exitCode() == 0 && said.isEmpty(), said.constData());

    QCOMPARE(get(QUrl(base + QStringLiteral("/other"))).first, 404);
  }

  void aMalformedOrWrongRequestGetsItsStatus() {
    MetricsServer server([] { return std::string("x 1\n"); });
    auto port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);
    auto ask = [&](const QByteArray& request) {
      QTcpSocket socket;
      socket.connectToHost(QHostAddress::LocalHost, *port);
      if (!socket.waitForConnected(5000)) {
        return QByteArray("no connection");
      }
      socket.write(request);
      QByteArray answer;
      const bool closed = QTest::qWaitFor([&] {
        answer += socket.readAll();
        return socket.state() == QAbstractSocket::UnconnectedState;
      }, 5000);
      return closed ? answer + socket.readAll() : QByteArray("not closed: ") + answer;
    };
    QVERIFY(ask("POST /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405"));
    QVERIFY(ask("nonsense\r\n\r\n").startsWith("HTTP/1.1 400"));
    QVERIFY(ask("GET /metrics HTTP/1.1\r\nX: " + QByteArray(9000, 'a')).startsWith("HTTP/1.1 431"));
    QByteArray fine = ask("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(fine.startsWith("HTTP/1.1 200 OK"), fine.constData());
    QVERIFY(fine.endsWith("\r\n\r\nx 1\n"));

    MetricsServer taken([] { return std::string(); });
    auto again = taken.listen(QHostAddress::LocalHost, *port);
    QVERIFY(!again);
    QVERIFY2(again.error().message.find(std::to_string(*port)) != std::string::npos, again.error().message.c_str());
  }

  // A real Prometheus server scrapes the console every second; its query API then answers
  // with the console's count of started runs.
  void aRealPrometheusScrapesTheConsole() {
    if (QStandardPaths::findExecutable(QStringLiteral("prometheus")).isEmpty()) {
      QFAIL("prometheus is not installed (Debian package prometheus; scripts/install-deps.sh --tests)");
    }
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    createOrder(*session);
    MetricsServer server([&] { return session->liveMetricsText(); });
    auto port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);

    QTemporaryDir dir;
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("global:\n  scrape_interval: 1s\n"
                                "scrape_configs:\n  - job_name: opflow\n    static_configs:\n"
                                "      - targets: ['127.0.0.1:%1']\n")
                     .arg(*port)
                     .toUtf8());
    config.close();
    const quint16 webPort = freePort();
    QProcess prometheus;
    prometheus.setProcessChannelMode(QProcess::MergedChannels);
    prometheus.start(QStringLiteral("prometheus"),
                     {QStringLiteral("--config.file=") + config.fileName(),
                      QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
                      QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(webPort)});
    QVERIFY2(prometheus.waitForStarted(10'000), qPrintable(prometheus.errorString()));

    const QUrl query(QStringLiteral("http://127.0.0.1:%1/api/v1/query?query=opflow_engine_runs_started_total").arg(webPort));
    QJsonArray result;
    const bool scraped = QTest::qWaitFor([&] {
      auto [status, body] = get(query);
      if (status != 200) {
        return false;
      }
      result = QJsonDocument::fromJson(body).object().value(QStringLiteral("data")).toObject().value(
          QStringLiteral("result")).toArray();
      return !result.isEmpty();
    }, 60'000);
    prometheus.terminate();
    prometheus.waitForFinished(10'000);
    QVERIFY2(scraped, prometheus.readAll().right(2000).constData());
    const QJsonObject sample = result.first().toObject();
    QCOMPARE(sample.value(QStringLiteral("metric")).toObject().value(QStringLiteral("operation")).toString(),
             QStringLiteral("order.create"));
    QCOMPARE(sample.value(QStringLiteral("metric")).toObject().value(QStringLiteral("job")).toString(),
             QStringLiteral("opflow"));
    QCOMPARE(sample.value(QStringLiteral("value")).toArray().at(1).toString(), QStringLiteral("1"));
  }
};

OPFLOW_UI_TEST(MetricsServerTest)

#include "metrics_server_test.moc"
