// The form generated from an operation's input declaration: the editor of each type,
// defaults, read-only inputs given by the console, core's validation messages under the
// input they concern, and the dialog that starts the run (a refusal stays in it).
#include "ConsoleTestSupport.h"
#include "UiTestSupport.h"

#include "opflow/ui/dialogs/InputForm.h"
#include "opflow/ui/dialogs/InputFormDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using opflow::Json;
using opflow::ui::InputForm;
using opflow::ui::InputFormDialog;

class InputFormTest : public QObject {
  Q_OBJECT

private:
  opflow::uitest::BuiltinCatalog m_builtin;

  const opflow::model::OperationDefinition& definition(const char* name) {
    return m_builtin.catalog.latest(name)->definition();
  }

private slots:
  void initTestCase() { QVERIFY2(m_builtin.load(), m_builtin.error.c_str()); }

  void everyKindGetsTheEditorOfEachInputType() {
    InputForm form(definition("demo.every_kind").inputs, Json::object());
    auto* customer = qobject_cast<QLineEdit*>(form.editorOf("customer"));
    auto* amount = qobject_cast<QDoubleSpinBox*>(form.editorOf("amount"));
    auto* rush = qobject_cast<QCheckBox*>(form.editorOf("rush"));
    auto* channel = qobject_cast<QComboBox*>(form.editorOf("channel"));
    QVERIFY(customer);
    QVERIFY(amount);
    QVERIFY(rush);
    QVERIFY(channel);
    QCOMPARE(amount->minimum(), 0.0);
    QVERIFY(!rush->isChecked());
    QCOMPARE(channel->count(), 3);
    QCOMPARE(channel->currentText(), QStringLiteral("email"));
    QCOMPARE(customer->accessibleName(), QStringLiteral("Customer"));

    QVERIFY(!form.isValid());
    QCOMPARE(form.problemOf("customer"), QStringLiteral("Customer is required (string)"));
    QVERIFY(form.problemOf("amount").isEmpty());

    QSignalSpy validity(&form, &InputForm::validityChanged);
    QTest::keyClicks(customer, QStringLiteral("ACME"));
    amount->setValue(250.5);
    channel->setCurrentIndex(channel->findText(QStringLiteral("sms")));
    rush->setChecked(true);
    QVERIFY(form.isValid());
    QCOMPARE(validity.count(), 1);
    QVERIFY(form.problemOf("customer").isEmpty());
    QVERIFY2(form.values() == (Json{{"customer", "ACME"}, {"amount", 250.5}, {"rush", true}, {"channel", "sms"}}),
             form.values().dump().c_str());
  }

  void shipHasTheOrderReadOnlyTheCarriersAndATrackingNumber() {
    InputForm form(definition("order.ship").inputs, Json{{"order", "ORD-000042"}});
    auto* order = qobject_cast<QLineEdit*>(form.editorOf("order"));
    QVERIFY(order);
    QVERIFY(order->isReadOnly());
    QCOMPARE(order->text(), QStringLiteral("ORD-000042"));
    auto* carrier = qobject_cast<QComboBox*>(form.editorOf("carrier"));
    QVERIFY(carrier);
    QStringList carriers;
    for (int i = 0; i < carrier->count(); ++i) {
      carriers << carrier->itemText(i);
    }
    QCOMPARE(carriers, (QStringList{"DHL", "UPS", "FEDEX", "USPS", "DPD"}));
    auto* tracking = qobject_cast<QLineEdit*>(form.editorOf("tracking_number"));
    QVERIFY(tracking);
    QVERIFY(!tracking->isReadOnly());
    QVERIFY(form.hasEditableInputs());

    QVERIFY(!form.isValid());
    QCOMPARE(form.problemOf("tracking_number"), QStringLiteral("Tracking number is required (string)"));
    auto* shown = form.findChild<QLabel*>(QStringLiteral("problem_tracking_number"));
    QVERIFY(shown);
    QVERIFY(!shown->isHidden());
    tracking->setText(QStringLiteral("1Z999AA10123456784"));
    QVERIFY(form.isValid());
    QVERIFY(shown->isHidden());
    QVERIFY2(form.values() ==
                 (Json{{"order", "ORD-000042"}, {"carrier", "DHL"}, {"tracking_number", "1Z999AA10123456784"}}),
             form.values().dump().c_str());
  }

  void anOptionalIntegerWithoutDefaultCanStayUnset() {
    InputForm form(definition("order.review_audit").inputs, Json{{"order", "ORD-000042"}});
    auto* through = qobject_cast<QSpinBox*>(form.editorOf("through_seq"));
    QVERIFY(through);
    QCOMPARE(through->text(), QStringLiteral("not set"));
    QVERIFY(form.isValid());
    QVERIFY2(form.values() == (Json{{"order", "ORD-000042"}}), form.values().dump().c_str());
    through->setValue(7);
    QVERIFY2(form.values() == (Json{{"order", "ORD-000042"}, {"through_seq", 7}}), form.values().dump().c_str());
  }

  void jsonInputsShowWhyTheyAreRefused() {
    InputForm form(definition("auth.sign").inputs, Json::object());
    auto* roles = qobject_cast<QPlainTextEdit*>(form.editorOf("roles"));
    QVERIFY(roles);
    QVERIFY(Json::parse(roles->toPlainText().toStdString()) == Json::array({"supervisor"}));
    qobject_cast<QLineEdit*>(form.editorOf("meaning"))->setText(QStringLiteral("checked"));
    QVERIFY(form.isValid());

    roles->setPlainText(QStringLiteral("[\"supervisor\""));
    QVERIFY(!form.isValid());
    QCOMPARE(form.problemOf("roles"), QStringLiteral("Roles is not valid JSON"));
    roles->setPlainText(QStringLiteral("{\"role\": \"supervisor\"}"));
    QVERIFY(!form.isValid());
    QCOMPARE(form.problemOf("roles"), QStringLiteral("Roles must be an array, not {\"role\":\"supervisor\"}"));
    roles->setPlainText(QStringLiteral("[\"operator\", \"supervisor\"]"));
    QVERIFY(form.isValid());
  }

  void coreProblemsOfARefusedStartGoUnderTheirInputs() {
    InputForm form(definition("order.ship").inputs, Json{{"order", "ORD-000042"}});
    form.showProblems({{"/inputs/carrier", "must be one of \"DHL\", \"UPS\", not \"DHX\""}, {"/inputs/extra", "is not an input of this operation"}});
    QCOMPARE(form.problemOf("carrier"), QStringLiteral("Carrier must be one of \"DHL\", \"UPS\", not \"DHX\""));
    QCOMPARE(form.generalProblems(), QStringLiteral("/inputs/extra: is not an input of this operation"));
  }

  void theDialogStartsOnlyValidInputsAndKeepsARefusalWithItsMessage() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kManager);
    QVERIFY(session);
    InputFormDialog dialog(*session, session->host().catalog().latest("demo.every_kind"), Json::object());
    QSignalSpy started(&dialog, &InputFormDialog::started);
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(dialog.startButton()->isDefault());
    qobject_cast<QLineEdit*>(dialog.form()->editorOf("customer"))->setText(QStringLiteral("ACME"));
    QVERIFY(dialog.startButton()->isEnabled());
    dialog.show();
    QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
    QTRY_VERIFY(!dialog.refusal().isEmpty());
    QVERIFY2(dialog.refusal().contains(QStringLiteral("role \"manager\" may not run \"demo.every_kind\"")),
             qPrintable(dialog.refusal()));
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.startButton()->isEnabled());
    QCOMPARE(started.count(), 0);
  }

  void theDialogStartsTheRunAsTheSignedInUser() {
    opflow::uitest::ConsoleDatabase database(0);
    QVERIFY2(database.error().empty(), database.error().c_str());
    auto session = database.open(opflow::uitest::kOperator);
    QVERIFY(session);
    InputFormDialog dialog(*session, session->host().catalog().latest("demo.every_kind"), Json::object());
    QSignalSpy started(&dialog, &InputFormDialog::started);
    qobject_cast<QLineEdit*>(dialog.form()->editorOf("customer"))->setText(QStringLiteral("ACME"));
    qobject_cast<QDoubleSpinBox*>(dialog.form()->editorOf("amount"))->setValue(12.0);
    dialog.show();
    QTest::keyClick(&dialog, Qt::Key_Return);
    QTRY_COMPARE(started.count(), 1);
    QVERIFY(!dialog.isVisible());
    const auto run = session->host().runs().loadRun(opflow::engine::RunId(started.front().front().toString().toStdString()));
    QVERIFY(run);
    QCOMPARE(QString::fromStdString(run->context.user), QStringLiteral("olga"));
    QCOMPARE(run->inputs.value("customer", std::string()), std::string("ACME"));
  }
};

OPFLOW_UI_TEST(InputFormTest)
#include "input_form_test.moc"
