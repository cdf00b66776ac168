// The audit view over a real workstation database: it lists the entries newest first,
// filters them by action and by order, verifies the chain (intact, then broken by an
// attacker with sqlite and the triggers dropped: the broken entry is named and selected),
// and exports the filtered entries as CSV that parses with the right header and rows.
// Managers read but are offered no export, and exportCsv refuses them.
#include "ConsoleTestSupport.h"
#include "ProblemTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/store/Database.h"
#include "opflow/ui/models/AuditModel.h"
#include "opflow/ui/views/AuditView.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using opflow::ui::AuditModel;
using opflow::ui::AuditView;
using opflow::ui::ConsoleSession;

namespace {

using Tester = QAbstractItemModelTester;

constexpr const char* kCsvHeader = "seq,id,at_ms,at,user,role,workstation,correlation_id,action,subject_type,"
                                   "subject_id,order_number,before,after,reason,prev_hash,hash";

// The records of an RFC 4180 text (quoted fields may hold commas, quotes and line breaks).
QList<QStringList> parseCsv(const QString& text) {
  QList<QStringList> records;
  QStringList record;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (quoted) {
      if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
        field += c;
        ++i;
      } else if (c == u'"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == u'"') {
      quoted = true;
    } else if (c == u',') {
      record.append(std::exchange(field, {}));
    } else if (c == u'\n') {
      record.append(std::exchange(field, {}));
      records.append(std::exchange(record, {}));
    } else if (c != u'\r') {
      field += c;
    }
  }
  return records;
}

// A completed order.create run by the session's user; the new order's number.
QString createOrder(ConsoleSession& session) {
  auto started = session.host().engine().start(
      {"order.create", std::nullopt, {{"customer", "Initech"}, {"material", "PLA"}}, session.runContext()});
  if (!started) {
    QTest::qFail(started.error().describe().c_str(), __FILE__, __LINE__);
    return {};
  }
  std::optional<opflow::engine::RunRecord> record;
  const bool ended = QTest::qWaitFor([&] {
    record = session.host().engine().runRecord(*started);
    return record && opflow::engine::isTerminal(record->state);
  });
  if (!ended || record->state != opflow::engine::RunState::Completed) {
    QTest::qFail("order.create did not complete", __FILE__, __LINE__);
    return {};
  }
  return QString::fromStdString(record->outputs.value("order", ""));
}

QString cell(const AuditModel& model, int row, int column) { return model.index(row, column).data().toString(); }

// An attacker with the file and a raw connection: runs `sql` behind the console's back.
bool tamper(const opflow::uitest::ConsoleDatabase& database, const char* sql) {
  opflow::store::DatabaseOptions options;
  options.path = database.path().toStdString();
  options.create = false;
  auto raw = opflow::store::Database::open(options);
  return raw && (*raw)->exec(sql);
}

// Verifies through the view: what verified() said (intact, checked, broken seq), or
// nothing when it did not say within ten seconds.
QList<QVariant> verifyThrough(AuditView& view) {
  QSignalSpy verified(&view, &AuditView::verified);
  view.verifyChain();
  return verified.wait(10'000) || !verified.isEmpty() ? verified.front() : QList<QVariant>{};
}

} // namespace

class AuditViewTest : public QObject {
  Q_OBJECT

private slots:
  void listsNewestFirstAndFiltersByActionAndOrder() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString order = createOrder(*session);
    QVERIFY(!order.isEmpty());

    AuditView view(*session);
    AuditModel& model = *view.model();
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(model.rowCount() > 5);
    for (int row = 1; row < model.rowCount(); ++row) {
      QVERIFY(model.index(row - 1, 0).data(AuditModel::SeqRole).toLongLong() >
              model.index(row, 0).data(AuditModel::SeqRole).toLongLong());
    }
    QVERIFY(model.index(0, AuditModel::TimeColumn).data(Qt::ToolTipRole).toString().endsWith(QStringLiteral("UTC")));

    auto* action = view.findChild<QLineEdit*>(QStringLiteral("filterAction"));
    action->setText(QStringLiteral("orders.seeded"));
    QTest::keyClick(action, Qt::Key_Return);
    QTRY_VERIFY(!model.isFetching() && model.rowCount() == 1);
    QCOMPARE(cell(model, 0, AuditModel::ActionColumn), QStringLiteral("orders.seeded"));

    // A time range: nothing is logged tomorrow; today's entries are since yesterday.
    view.clearFilters();
    QTRY_VERIFY(!model.isFetching());
    const int all = model.rowCount();
    auto* sinceEnabled = view.findChild<QCheckBox*>(QStringLiteral("filterSinceEnabled"));
    auto* since = view.findChild<QDateTimeEdit*>(QStringLiteral("filterSince"));
    sinceEnabled->setChecked(true);
    QVERIFY(since->isEnabled());
    since->setDateTime(QDateTime::currentDateTime().addDays(1));
    view.applyFilters();
    QTRY_VERIFY(!model.isFetching() && model.rowCount() == 0);
    since->setDateTime(QDateTime::currentDateTime().addDays(-1));
    view.applyFilters();
    QTRY_VERIFY(!model.isFetching() && model.rowCount() == all);

    view.clearFilters();
    QVERIFY(!since->isEnabled());
    view.showOrder(order);
    QCOMPARE(view.findChild<QLineEdit*>(QStringLiteral("filterOrder"))->text(), order);
    QTRY_VERIFY(!model.isFetching() && model.rowCount() > 0);
    QStringList actions;
    for (int row = 0; row < model.rowCount(); ++row) {
      QCOMPARE(cell(model, row, AuditModel::OrderColumn), order);
      actions << cell(model, row, AuditModel::ActionColumn);
    }
    QVERIFY2(actions.contains(QStringLiteral("order.created")), qPrintable(actions.join(u',')));
    QCOMPARE(cell(model, 0, AuditModel::UserColumn), QStringLiteral("sam"));
  }

  void pagesAreFetchedAsTheListScrolls() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    // More than a page of entries.
    const opflow::Status appended = session->host().store().writer().execute([](opflow::store::Database& db) {
      for (std::size_t i = 0; i < 2 * AuditModel::kPageSize + 20; ++i) {
        opflow::store::AuditEntry entry;
        entry.user = "sam";
        entry.role = "supervisor";
        entry.workstation = "test-ws";
        entry.action = "test.note";
        entry.subjectType = "test";
        entry.subjectId = std::to_string(i);
        if (opflow::Status added = opflow::store::appendAudit(db, entry); !added) {
          return added;
        }
      }
      return opflow::Status{};
    });
    QVERIFY2(appended, appended ? "" : appended.error().describe().c_str());
    AuditView view(*session);
    AuditModel& model = *view.model();
    QTRY_VERIFY(view.isLoaded());
    QCOMPARE(model.rowCount(), static_cast<int>(AuditModel::kPageSize));
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    // Page by page to the end, as a view scrolling down asks (the tester asked for one too).
    QTRY_VERIFY(!model.isFetching());
    while (model.canFetchMore({})) {
      model.fetchMore({});
      QTRY_VERIFY(!model.isFetching());
    }
    // Pages meet without a gap or a repeat: the whole chain, newest first.
    const qlonglong newest = model.index(0, 0).data(AuditModel::SeqRole).toLongLong();
    QVERIFY(newest > static_cast<qlonglong>(2 * AuditModel::kPageSize));
    QCOMPARE(model.rowCount(), static_cast<int>(newest));
    for (int row = 0; row < model.rowCount(); ++row) {
      QCOMPARE(model.index(row, 0).data(AuditModel::SeqRole).toLongLong(), newest - row);
    }
  }

  void verifiesAnIntactChainThenNamesAndSelectsTheBrokenEntry() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    {
      auto session = database.open(opflow::uitest::kSupervisor);
      QVERIFY(session);
      AuditView view(*session);
      QTRY_VERIFY(view.isLoaded());
      QCOMPARE(verifyThrough(view).value(0).toBool(), true);
      auto* result = view.findChild<QLabel*>(QStringLiteral("auditResult"));
      QVERIFY2(result->text().startsWith(QStringLiteral("Chain intact: ")), qPrintable(result->text()));
      QVERIFY(result->text().endsWith(QStringLiteral(" entries checked")));
      QVERIFY(!result->property("warning").toBool());
    }

    // An attacker edits entry 3 with the append-only triggers dropped.
    QVERIFY(tamper(database, "DROP TRIGGER IF EXISTS audit_refuse_update; "
                             "UPDATE audit SET user = 'mallory' WHERE seq = 3"));

    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    AuditView view(*session);
    QTRY_VERIFY(view.isLoaded());
    const QList<QVariant> outcome = verifyThrough(view);
    QCOMPARE(outcome.value(0).toBool(), false);
    QCOMPARE(outcome.value(2).toLongLong(), 3);
    auto* result = view.findChild<QLabel*>(QStringLiteral("auditResult"));
    QVERIFY2(result->text().startsWith(QStringLiteral("Broken at entry #3 (")), qPrintable(result->text()));
    QVERIFY(result->property("warning").toBool());
    const QModelIndexList selected = view.table()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.front().data(AuditModel::SeqRole).toLongLong(), 3);
    QCOMPARE(view.model()->index(selected.front().row(), AuditModel::UserColumn).data().toString(),
             QStringLiteral("mallory"));
  }

  // The chain intact, but a signature row forged beside it: verify says so.
  void namesWhatTheDatabaseHasThatTheChainDoesNotAccountFor() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    QVERIFY(tamper(database, "INSERT INTO signatures (id, signer, role, meaning, subject_type, subject_id, "
                             "workstation, at) VALUES ('forged-1', 'sam', 'supervisor', 'order closed', 'run', "
                             "'r-1', 'ws', 1)"));
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    AuditView view(*session);
    QTRY_VERIFY(view.isLoaded());
    QCOMPARE(verifyThrough(view).value(0).toBool(), false);
    auto* result = view.findChild<QLabel*>(QStringLiteral("auditResult"));
    const QString shown = view.resultText();
    QVERIFY2(shown.startsWith(QStringLiteral("Chain intact: ")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("The database disagrees with the chain in 1 place(s); first: "
                                           "signatures forged-1: has no \"signature.given\" audit entry")),
             qPrintable(shown));
    QVERIFY(result->property("warning").toBool());
    QVERIFY(!opflow::uitest::referenceShownBy(result).isEmpty()); // the finding is logged under it
  }

  // A read refused in core (the supervisor's session ended: someone else signed in at the
  // workstation) shows a reference that finds the refusal's audit entry and the console's
  // log line.
  void aRefusedReadNamesTheReferenceOfItsAuditEntryAndLogLine() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    opflow::uitest::LogCapture log(database.path());
    QVERIFY(log.started());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    AuditView view(*session);
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(session->host().workstation().users().login(
        {opflow::uitest::kOperator, opflow::uitest::testPassword(opflow::uitest::kOperator)},
        session->workstation().toStdString()));

    QSignalSpy failed(view.model(), &AuditModel::loadFailed);
    view.model()->setFilter({});
    QTRY_COMPARE(failed.count(), 1);
    auto* result = view.findChild<QLabel*>(QStringLiteral("auditResult"));
    QVERIFY2(view.resultText().startsWith(QStringLiteral("Cannot read the audit log: ")), qPrintable(view.resultText()));
    const std::string reference = opflow::uitest::referenceShownBy(result).toStdString();
    QVERIFY2(!reference.empty(), qPrintable(view.resultText()));

    const auto entries = opflow::uitest::auditedUnder(session->host().store(), reference);
    QCOMPARE(entries.size(), std::size_t{1});
    QCOMPARE(entries.front().action, std::string("user.refused"));
    QCOMPARE(entries.front().user, std::string(opflow::uitest::kSupervisor));
    const std::vector<opflow::Json> lines = log.linesUnder(reference);
    QCOMPARE(lines.size(), std::size_t{1});
    QCOMPARE(lines.front().value("msg", ""), std::string("console action failed"));
    QCOMPARE(lines.front().value("action", ""), std::string("audit.read"));
    QCOMPARE(lines.front().value("code", ""), std::string("permission_denied"));
  }

  void exportsTheFilteredEntriesAsCsv() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kSupervisor);
    QVERIFY(session);
    const QString order = createOrder(*session);
    AuditView view(*session);
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(view.findChild<QPushButton*>(QStringLiteral("exportCsv")));
    view.showOrder(order);
    QTRY_VERIFY(!view.model()->isFetching() && view.model()->rowCount() > 0);
    const int shown = view.model()->rowCount();

    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("audit.csv"));
    QSignalSpy finished(&view, &AuditView::exportFinished);
    QVERIFY(view.exportCsv(path));
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY2(finished.front().at(0).toBool(), qPrintable(finished.front().at(1).toString()));
    QVERIFY(QDir(directory.path()).entryList(QDir::Files) == QStringList{QStringLiteral("audit.csv")});
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QStringList> records = parseCsv(QString::fromUtf8(file.readAll()));
    QCOMPARE(records.size(), shown + 1);
    QCOMPARE(records.front().join(u','), QString::fromLatin1(kCsvHeader));
    for (qsizetype i = 1; i < records.size(); ++i) {
      QCOMPARE(records[i].size(), records.front().size());
      QCOMPARE(records[i][11], order);
    }

    // A failed export leaves nothing behind.
    QSignalSpy failed(&view, &AuditView::exportFinished);
    const QString nowhere = directory.filePath(QStringLiteral("missing/folder/audit.csv"));
    QVERIFY(view.exportCsv(nowhere));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(!failed.front().at(0).toBool());
    QVERIFY(!QFile::exists(nowhere));
    QVERIFY(view.findChild<QLabel*>(QStringLiteral("auditResult"))->property("warning").toBool());
  }

  void aManagerReadsButMayNotExport() {
    opflow::uitest::ConsoleDatabase database(5);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    AuditView view(*session);
    QTRY_VERIFY(view.isLoaded());
    QVERIFY(view.model()->rowCount() > 0);
    QVERIFY(!view.findChild<QPushButton*>(QStringLiteral("exportCsv")));
    QVERIFY(view.findChild<QPushButton*>(QStringLiteral("verifyChain")));
    QTemporaryDir directory;
    QVERIFY(!view.exportCsv(directory.filePath(QStringLiteral("audit.csv"))));
    QVERIFY(!QFile::exists(directory.filePath(QStringLiteral("audit.csv"))));
  }
};

OPFLOW_UI_TEST(AuditViewTest)
#include "audit_view_test.moc"
