#include "UiTestSupport.h"

#include "opflow/model/OperationBuilder.h"
#include "opflow/ui/text/OperationText.h"
#include "opflow/ui/views/OperationTextView.h"

#include <QTest>

using opflow::Json;
using opflow::ui::operationText;

class OperationTextTest : public QObject {
  Q_OBJECT

private slots:
  void describesHeaderInputsAndStart() {
    const auto definition = opflow::model::OperationBuilder("test.quote", 3)
                                .title("Quote")
                                .description("Prices an order.")
                                .roles({"operator"})
                                .input("amount", opflow::model::InputType::Number, {.required = true, .min = 0, .max = 1e6})
                                .input("channel", opflow::model::InputType::String,
                                       {.defaultValue = "email", .allowed = {"email", "sms"}})
                                .startsWith("big?")
                                .decision("big?", {.condition = Json{{">", {Json{{"var", "amount"}}, 100}}},
                                                   .ifTrue = "done",
                                                   .ifFalse = "small"})
                                .titled("Is it big?")
                                .fail("small", {.reason = "too small"})
                                .result("done", {.fields = {"amount"}})
                                .build();
    const QStringList lines = operationText(definition).split(QLatin1Char('\n'));

    QCOMPARE(lines.value(0), QStringLiteral("Quote"));
    QCOMPARE(lines.value(1), QStringLiteral("test.quote  v3"));
    QVERIFY(lines.contains(QStringLiteral("Prices an order.")));
    QVERIFY(lines.contains(QStringLiteral("Roles      operator")));
    QVERIFY(lines.contains(QStringLiteral("Starts at  big?")));
    QVERIFY(lines.contains(QStringLiteral("  amount   number  required  min 0  max 1000000")));
    QVERIFY(lines.contains(QStringLiteral("  channel  string  default \"email\"  one of \"email\", \"sms\"")));
    QVERIFY(lines.contains(QStringLiteral("  big?  (decision, start)  \u2014 Is it big?")));
    QVERIFY(lines.contains(QStringLiteral("      condition  amount > 100")));
    QVERIFY(lines.contains(QStringLiteral("      \u2192 done  [true]")));
    QVERIFY(lines.contains(QStringLiteral("      \u2192 small  [false]")));
    QVERIFY(lines.contains(QStringLiteral("      reason     \"too small\"")));
    QVERIFY(lines.contains(QStringLiteral("      outputs    amount")));
  }

  void describesEveryShippedNodeKind() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    const opflow::engine::OperationPtr everyKind = shipped.catalog.latest("demo.every_kind");
    if (!everyKind) {
      QSKIP("demo.every_kind is not shipped");
    }
    const QString text = operationText(everyKind->definition());

    for (const opflow::model::Node& node : everyKind->definition().nodes) {
      QVERIFY2(text.contains(QStringLiteral("  %1  (%2")
                                 .arg(QString::fromStdString(node.name), QString::fromLatin1(toString(node.kind())))),
               node.name.c_str());
    }
    QVERIFY(text.contains(QStringLiteral("set        tier = \"large\"")));
    QVERIFY(text.contains(QStringLiteral("calls      demo.notify")));
    QVERIFY(text.contains(QStringLiteral("signal     review")));
    QVERIFY(text.contains(QStringLiteral("timeout    3600 s")));
    QVERIFY(text.contains(QStringLiteral("\u2192 no_review  [timeout 3600s]")));
    QVERIFY(text.contains(QStringLiteral("\u2192 large  [amount >= 1000]")));
  }

  void viewShowsAHintWithoutAnOperation() {
    opflow::ui::OperationTextView view;
    QVERIFY(view.isReadOnly());
    QVERIFY(!view.operation());
    QCOMPARE(view.toPlainText(), QStringLiteral("No operation selected."));
  }
};

OPFLOW_UI_TEST(OperationTextTest)

#include "operation_text_test.moc"
