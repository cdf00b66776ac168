#include "UiTestSupport.h"

#include "opflow/model/OperationBuilder.h"
#include "opflow/ui/MainWindow.h"
#include "opflow/ui/OperationListModel.h"
#include "opflow/ui/OperationTextView.h"
#include "opflow/ui/Screenshot.h"

#include <QApplication>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QSet>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using opflow::ui::MainWindow;
using opflow::ui::OperationListModel;

namespace {

const QString kKnownOperation = QStringLiteral("document.prepare_download");

QString shownName(const MainWindow& window) {
  const opflow::engine::OperationPtr& shown = window.operationText()->operation();
  return shown ? QString::fromStdString(shown->name()) : QString();
}

QString statusText(const MainWindow& window) {
  const auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("operationCount"));
  return label ? label->text() : QString();
}

} // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

private slots:
  void startsWithTheFirstOperationShown() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);

    QCOMPARE(window.windowTitle(), QStringLiteral("Opflow console"));
    const int count = window.operationModel()->rowCount();
    QCOMPARE(statusText(window), QStringLiteral("%1 operations").arg(count));
    QCOMPARE(window.operationTable()->currentIndex().row(), 0);
    QCOMPARE(window.operationText()->operation(), window.operationModel()->operationAt(0));
    QVERIFY(window.operationText()->toPlainText().contains(shownName(window)));
    QCOMPARE(window.operationTable()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
    QVERIFY(!window.operationTable()->accessibleName().isEmpty());
    QVERIFY(!window.operationText()->accessibleName().isEmpty());

    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.focusWidget(), window.operationTable());
  }

  void clickingARowShowsThatOperation() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QTableView* table = window.operationTable();
    const int row = window.operationModel()->rowOf(kKnownOperation);
    QVERIFY(row > 0);
    const QRect cell = table->visualRect(window.operationModel()->index(row, OperationListModel::TitleColumn));
    QVERIFY(cell.isValid());
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());

    QCOMPARE(shownName(window), kKnownOperation);
    const QString text = window.operationText()->toPlainText();
    QVERIFY(text.contains(kKnownOperation));
    QVERIFY(text.contains(QStringLiteral("authorise  (action, start)")));
    QVERIFY(text.contains(QStringLiteral("handler    document.authorise")));
    QVERIFY(text.contains(QStringLiteral("\u2192 refused  [denied]")));
  }

  void arrowKeysMoveTheSelection() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);
    QVERIFY(window.operationModel()->rowCount() >= 2);

    QTest::keyClick(window.operationTable(), Qt::Key_Down);

    QCOMPARE(window.operationTable()->currentIndex().row(), 1);
    QCOMPARE(window.operationText()->operation(), window.operationModel()->operationAt(1));
  }

  void refreshAddsARowAndKeepsTheSelection() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);
    const int before = window.operationModel()->rowCount();
    QVERIFY(window.selectOperation(window.operationModel()->rowOf(kKnownOperation)));

    const auto added = opflow::model::OperationBuilder("aaa.first", 1)
                           .title("Sorted first")
                           .startsWith("done")
                           .result("done")
                           .build();
    QVERIFY(shipped.catalog.add(added).ok());
    window.operationModel()->refresh();

    QCOMPARE(window.operationModel()->rowCount(), before + 1);
    QCOMPARE(window.operationModel()->rowOf(QStringLiteral("aaa.first")), 0);
    QCOMPARE(statusText(window), QStringLiteral("%1 operations").arg(before + 1));
    QCOMPARE(shownName(window), kKnownOperation);
    QCOMPARE(window.operationTable()->currentIndex().row(), window.operationModel()->rowOf(kKnownOperation));
  }

  void rendersToANonBlankPng() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath(QStringLiteral("console.png"));

    QVERIFY(opflow::ui::renderToPng(window, path));

    const QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); ++y) {
      for (int x = 0; x < image.width(); ++x) {
        ++counts[image.pixel(x, y)];
      }
    }
    QVERIFY2(counts.size() > 16, qPrintable(QStringLiteral("only %1 colours").arg(counts.size())));
    const int commonest = *std::max_element(counts.cbegin(), counts.cend());
    QVERIFY(commonest < image.width() * image.height() * 9 / 10);
  }

  void failsToRenderToAnUnwritablePath() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    MainWindow window(shipped.catalog);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    QVERIFY(!opflow::ui::renderToPng(window, directory.filePath(QStringLiteral("missing/dir/console.png"))));
  }
};

OPFLOW_UI_TEST(MainWindowTest)

#include "main_window_test.moc"
