#include "UiTestSupport.h"

#include "opflow/model/OperationBuilder.h"
#include "opflow/ui/models/OperationListModel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using opflow::ui::OperationListModel;

namespace {

const QString kKnownOperation = QStringLiteral("document.prepare_download");

opflow::model::OperationDefinition smallOperation(const std::string& name, std::int64_t version) {
  return opflow::model::OperationBuilder(name, version)
      .title("A small operation")
      .description("Added by a test.")
      .startsWith("done")
      .result("done")
      .build();
}

} // namespace

class OperationListModelTest : public QObject {
  Q_OBJECT

private slots:
  void holdsTheLatestVersionOfEveryOperation() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationListModel model(shipped.catalog);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);

    QCOMPARE(model.rowCount(), static_cast<int>(shipped.catalog.latestVersions().size()));
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(OperationListModel::NameColumn, Qt::Horizontal).toString(), QStringLiteral("Name"));
    QCOMPARE(model.headerData(OperationListModel::VersionColumn, Qt::Horizontal).toString(), QStringLiteral("Version"));
    QCOMPARE(model.headerData(OperationListModel::TitleColumn, Qt::Horizontal).toString(), QStringLiteral("Title"));
  }

  void isSortedByName() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationListModel model(shipped.catalog);
    for (int row = 1; row < model.rowCount(); ++row) {
      QVERIFY(model.index(row - 1, OperationListModel::NameColumn).data().toString() <
              model.index(row, OperationListModel::NameColumn).data().toString());
    }
  }

  void showsNameVersionTitleAndDescription() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationListModel model(shipped.catalog);
    const opflow::engine::OperationPtr known = shipped.catalog.latest(kKnownOperation.toStdString());
    QVERIFY(known);

    const int row = model.rowOf(kKnownOperation);
    QVERIFY(row >= 0);
    QCOMPARE(model.operationAt(row), known);
    QCOMPARE(model.index(row, OperationListModel::NameColumn).data().toString(), kKnownOperation);
    QCOMPARE(model.index(row, OperationListModel::VersionColumn).data().toLongLong(), known->version());
    QCOMPARE(model.index(row, OperationListModel::TitleColumn).data().toString(),
             QString::fromStdString(known->definition().title));
    QVERIFY(!known->definition().title.empty());
    QCOMPARE(model.index(row, OperationListModel::TitleColumn).data(Qt::ToolTipRole).toString(),
             QString::fromStdString(known->definition().description));
    QVERIFY(model.index(row, OperationListModel::NameColumn).data(Qt::AccessibleTextRole).toString().contains(kKnownOperation));
    QCOMPARE(model.index(row, OperationListModel::TitleColumn).data(OperationListModel::OperationNameRole).toString(),
             kKnownOperation);
    QVERIFY(!model.operationAt(model.rowCount()));
    QCOMPARE(model.rowOf(QStringLiteral("no.such.operation")), -1);
  }

  void refreshShowsAnAddedOperation() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    OperationListModel model(shipped.catalog);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int before = model.rowCount();

    QVERIFY(shipped.catalog.add(smallOperation("test.added", 1)).ok());
    QCOMPARE(model.rowCount(), before); // a snapshot until refreshed
    model.refresh();

    QCOMPARE(model.rowCount(), before + 1);
    const int row = model.rowOf(QStringLiteral("test.added"));
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, OperationListModel::TitleColumn).data().toString(), QStringLiteral("A small operation"));
    QCOMPARE(model.index(row, OperationListModel::TitleColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Added by a test."));
  }

  void refreshShowsTheNewestVersion() {
    opflow::uitest::BuiltinCatalog shipped;
    QVERIFY2(shipped.load(), shipped.error.c_str());
    QVERIFY(shipped.catalog.add(smallOperation("test.versioned", 1)).ok());
    OperationListModel model(shipped.catalog);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const int rows = model.rowCount();

    QVERIFY(shipped.catalog.add(smallOperation("test.versioned", 2)).ok());
    model.refresh();

    QCOMPARE(model.rowCount(), rows);
    const int row = model.rowOf(QStringLiteral("test.versioned"));
    QCOMPARE(model.index(row, OperationListModel::VersionColumn).data().toLongLong(), 2);
  }
};

OPFLOW_UI_TEST(OperationListModelTest)

#include "operation_list_model_test.moc"
