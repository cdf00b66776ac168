// The signature dialog: an operator's approval of an order priced over the threshold
// waits for a supervisor's electronic signature; the dialog opens by itself, says what
// the signature means, refuses a wrong password and a signer the run does not accept
// with core's message, leaves the run waiting when cancelled, and once sam signs the run
// completes and the order is approved.
#include "ConsoleTestSupport.h"
#include "OrderDetailTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/ui/dialogs/InputForm.h"
#include "opflow/ui/dialogs/InputFormDialog.h"
#include "opflow/ui/models/OrderAuditModel.h"
#include "opflow/ui/views/OrderDetailView.h"
#include "opflow/ui/models/OrderRunsModel.h"
#include "opflow/ui/dialogs/SignatureDialog.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using opflow::domain::OrderStatus;
using opflow::engine::RunState;
using opflow::ui::InputFormDialog;
using opflow::ui::OrderDetailView;
using opflow::ui::SignatureDialog;

namespace {

QString qt(const std::string& text) { return QString::fromStdString(text); }

// Approves `number` from `view` (no inputs to enter: the dialog confirms); the run's id.
QString approveFrom(OrderDetailView& view) {
  QSignalSpy started(&view, &OrderDetailView::runStarted);
  QPushButton* approve = view.findChild<QPushButton*>(QStringLiteral("operation_order.approve_manufacturing"));
  if (!approve) {
    QTest::qFail("no approve button", __FILE__, __LINE__);
    return {};
  }
  QTest::mouseClick(approve, Qt::LeftButton);
  InputFormDialog* dialog = nullptr;
  if (!QTest::qWaitFor([&] { return (dialog = view.findChild<InputFormDialog*>()) != nullptr; })) {
    QTest::qFail("no start dialog", __FILE__, __LINE__);
    return {};
  }
  if (dialog->form()->hasEditableInputs()) {
    QTest::qFail("approving asks for nothing but the order", __FILE__, __LINE__);
  }
  QTest::keyClick(dialog, Qt::Key_Return);
  if (!QTest::qWaitFor([&] { return started.count() == 1; })) {
    QTest::qFail("the approval did not start", __FILE__, __LINE__);
    return {};
  }
  return started.front().front().toString();
}

// olga's console, showing an order priced at `priceCents` whose approval she started:
// it waits for a supervisor's signature, and its signature dialog is open.
struct WaitingApproval {
  std::unique_ptr<opflow::ui::ConsoleSession> session;
  std::unique_ptr<OrderDetailView> view;
  // The runs tree holds the approval and its auth.sign sub-run: checked on every change.
  std::unique_ptr<QAbstractItemModelTester> runsTester;
  std::string number;
  QString runId;
  QPointer<SignatureDialog> dialog;

  // False (with a test failure) when any step does not happen.
  bool open(const opflow::uitest::ConsoleDatabase& database, std::int64_t priceCents) {
    session = database.open(opflow::uitest::kOperator);
    if (!session) {
      return false;
    }
    number = opflow::uitest::orderAt(*session, OrderStatus::PriceCalculated, priceCents);
    view = std::make_unique<OrderDetailView>(*session);
    runsTester = std::make_unique<QAbstractItemModelTester>(view->runsModel(),
                                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
    if (!opflow::uitest::showAndWait(*view, number)) {
      return false;
    }
    runId = approveFrom(*view);
    if (runId.isEmpty() || !QTest::qWaitFor([this] { return (dialog = view->findChild<SignatureDialog*>()) != nullptr; })) {
      QTest::qFail("no signature dialog opened", __FILE__, __LINE__);
      return false;
    }
    return true;
  }
};

void signAs(SignatureDialog& dialog, const QString& signer, const QString& password) {
  dialog.signerField()->setText(signer);
  dialog.passwordField()->setText(password);
  QTest::mouseClick(dialog.signButton(), Qt::LeftButton);
}

} // namespace

class SignatureDialogTest : public QObject {
  Q_OBJECT

private slots:
  void samSignsAnApprovalOverTheThresholdAfterAWrongPassword() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    WaitingApproval approval;
    QVERIFY(approval.open(database, 60'000));
    auto& [session, view, runsTester, number, runId, dialog] = approval;
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(qt(dialog->runId().str()), runId);
    QCOMPARE(dialog->signingRun().operation, std::string("auth.sign"));
    QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("meaning"))->text().contains(QStringLiteral("approved for manufacturing")));
    QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("subject"))->text().contains(qt(number)));
    QCOMPARE(dialog->signerField()->text(), QStringLiteral("olga"));
    QCOMPARE(dialog->passwordField()->echoMode(), QLineEdit::Password);
    QVERIFY(view->progressText().contains(QStringLiteral("waiting for a signature")));
    QTRY_VERIFY(view->runsModel()->indexOfRun(qt(dialog->signingRun().id.str())).isValid());
    const QModelIndex signingRow = view->runsModel()->indexOfRun(qt(dialog->signingRun().id.str()));
    QCOMPARE(signingRow.parent(), view->runsModel()->indexOfRun(runId));
    QCOMPARE(signingRow.siblingAtColumn(opflow::ui::OrderRunsModel::OutcomeColumn).data().toString(),
             QStringLiteral("waiting"));

    signAs(*dialog, QStringLiteral("sam"), QStringLiteral("not-sams-password"));
    QTRY_VERIFY(dialog->message().startsWith(QStringLiteral("Not signed: ")));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->signButton()->isEnabled());
    QVERIFY(dialog->passwordField()->text().isEmpty());
    const auto waiting = session->host().engine().runRecord(opflow::engine::RunId(runId.toStdString()));
    QCOMPARE(waiting->state, RunState::Waiting);

    QSignalSpy accepted(dialog.data(), &SignatureDialog::signatureAccepted);
    signAs(*dialog, QStringLiteral("sam"), QStringLiteral("sam-password"));
    QTRY_COMPARE(accepted.count(), 1);
    QCOMPARE(accepted.front().front().toString(), QStringLiteral("sam"));
    QTRY_VERIFY(dialog.isNull());
    QTRY_VERIFY_WITH_TIMEOUT(view->order() && view->order()->status == OrderStatus::ManufacturingApproved, 20'000);
    QCOMPARE(session->host().engine().runRecord(opflow::engine::RunId(runId.toStdString()))->state, RunState::Completed);
    QVERIFY2(view->message().contains(QStringLiteral("completed")), qPrintable(view->message()));
    QVERIFY(view->signButton()->isHidden());
    const auto& audit = view->auditModel()->entries();
    const bool signedMove = std::any_of(audit.begin(), audit.end(), [](const opflow::store::AuditEntry& entry) {
      return entry.action == "order.status_changed" && entry.after.contains("signature") &&
             entry.after["signature"].value("signer", std::string()) == "sam";
    });
    QVERIFY(signedMove);
  }

  void aSignatureTheRunDoesNotAcceptKeepsTheDialogAndCancelLeavesTheRunWaiting() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    WaitingApproval approval;
    QVERIFY(approval.open(database, 75'000));
    auto& [session, view, runsTester, number, runId, dialog] = approval;

    // olga's password is right, but the approval asks for a supervisor.
    signAs(*dialog, QStringLiteral("olga"), QStringLiteral("olga-password"));
    QTRY_VERIFY(dialog->message().startsWith(QStringLiteral("The run did not accept the signature: ")));
    QVERIFY2(dialog->message().contains(QStringLiteral("supervisor")), qPrintable(dialog->message()));
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->signButton()->isEnabled());

    QTest::keyClick(dialog.data(), Qt::Key_Escape);
    QTRY_VERIFY(dialog.isNull());
    QVERIFY2(view->message().contains(QStringLiteral("keeps waiting for a signature")), qPrintable(view->message()));
    QCOMPARE(session->host().engine().runRecord(opflow::engine::RunId(runId.toStdString()))->state, RunState::Waiting);

    // Signed later from the order: its "Sign…" button.
    view->refresh();
    QTRY_VERIFY(!view->signButton()->isHidden());
    QTest::mouseClick(view->signButton(), Qt::LeftButton);
    QTRY_VERIFY((dialog = view->findChild<SignatureDialog*>()) != nullptr);
    signAs(*dialog, QStringLiteral("sam"), QStringLiteral("sam-password"));
    QTRY_VERIFY(dialog.isNull());
    QTRY_VERIFY_WITH_TIMEOUT(view->order() && view->order()->status == OrderStatus::ManufacturingApproved, 20'000);
    QTRY_VERIFY(view->signButton()->isHidden());
  }
};

OPFLOW_UI_TEST(SignatureDialogTest)
#include "signature_dialog_test.moc"
