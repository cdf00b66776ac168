#include "UiTestSupport.h"

#include "opflow/model/OperationBuilder.h"
#include "opflow/ui/views/OperationsView.h"
#include "opflow/ui/models/OperationListModel.h"
#include "opflow/ui/views/OperationTextView.h"
#include "opflow/ui/views/Screenshot.h"

#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QSet>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using opflow::ui::OperationsView;
using opflow::ui::OperationListModel;

namespace {

const QString kKnownOperation = QStringLiteral("document.prepare_download");

QString shownName(const OperationsView& view) {
  const opflow::engine::OperationPtr& shown = view.operationText()->operation();
  return shown ? QString::fromStdString(shown->name()) : QString();
}

QString statusText(const OperationsView& view) {
  const auto* label = view.findChild<QLabel*>(QStringLiteral("operationCount"));
  return label ? label->text() : QString();
}

} // namespace

class OperationsViewTest : public QObject {
  Q_OBJECT

private slots:
  void startsWithTheFirstOperationShown() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);

    const int count = view.operationModel()->rowCount();
    QCOMPARE(statusText(view), QStringLiteral("%1 operations").arg(count));
    QCOMPARE(view.operationTable()->currentIndex().row(), 0);
    QCOMPARE(view.operationText()->operation(), view.operationModel()->operationAt(0));
    QVERIFY(view.operationText()->toPlainText().contains(shownName(view)));
    QCOMPARE(view.operationTable()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
    QVERIFY(!view.operationTable()->accessibleName().isEmpty());
    QVERIFY(!view.operationText()->accessibleName().isEmpty());

    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.focusWidget(), view.operationTable());
  }

  void clickingARowShowsThatOperation() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QTableView* table = view.operationTable();
    const int row = view.operationModel()->rowOf(kKnownOperation);
    QVERIFY(row > 0);
    const QRect cell = table->visualRect(view.operationModel()->index(row, OperationListModel::TitleColumn));
    QVERIFY(cell.isValid());
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());

    QCOMPARE(shownName(view), kKnownOperation);
    const QString text = view.operationText()->toPlainText();
    QVERIFY(text.contains(kKnownOperation));
    QVERIFY(text.contains(QStringLiteral("authorise  (action, start)")));
    QVERIFY(text.contains(QStringLiteral("handler    document.authorise")));
    QVERIFY(text.contains(QStringLiteral("\u2192 refused  [denied]")));
  }

  void arrowKeysMoveTheSelection() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);
    QVERIFY(view.operationModel()->rowCount() >= 2);

    QTest::keyClick(view.operationTable(), Qt::Key_Down);

    QCOMPARE(view.operationTable()->currentIndex().row(), 1);
    QCOMPARE(view.operationText()->operation(), view.operationModel()->operationAt(1));
  }

  void refreshAddsARowAndKeepsTheSelection() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);
    const int before = view.operationModel()->rowCount();
    QVERIFY(view.selectOperation(view.operationModel()->rowOf(kKnownOperation)));

    const auto added = opflow::model::OperationBuilder("aaa.first", 1)
                           .title("Sorted first")
                           .startsWith("done")
                           .result("done")
                           .build();
    QVERIFY(shipped.catalog.add(added).ok());
    view.operationModel()->refresh();

    QCOMPARE(view.operationModel()->rowCount(), before + 1);
    QCOMPARE(view.operationModel()->rowOf(QStringLiteral("aaa.first")), 0);
    QCOMPARE(statusText(view), QStringLiteral("%1 operations").arg(before + 1));
    QCOMPARE(shownName(view), kKnownOperation);
    QCOMPARE(view.operationTable()->currentIndex().row(), view.operationModel()->rowOf(kKnownOperation));
  }

  void rendersToANonBlankPng() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral("console.png"));

    QVERIFY(opflow::ui::renderToPng(view, path));

    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), view.size() * view.devicePixelRatio());
    const QString blank = opflow::uitest::whyBlank(image);
    QVERIFY2(blank.isEmpty(), qPrintable(blank));
  }

  void failsToRenderToAnUnwritablePath() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationsView view(shipped.catalog);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QVERIFY(!opflow::ui::renderToPng(view, directory.filePath(QStringLiteral("missing/dir/console.png"))));
  }
};

OPFLOW_UI_TEST(OperationsViewTest)

#include "operations_view_test.moc"
