#include "views/ViewParts.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>

namespace opflow::ui {

QPushButton* makeButton(QWidget* parent, const QString& objectName, const QString& text, const QString& toolTip) {
  auto* button = new QPushButton(text, parent);
  button->setObjectName(objectName);
  button->setAccessibleName(QString(text).remove(u'&'));
  button->setToolTip(toolTip);
  return button;
}

void addShortcut(QWidget* scope, const QList<QKeySequence>& keys, QObject* receiver, const std::function<void()>& act) {
  auto* action = new QAction(scope);
  action->setShortcuts(keys);
  action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  QObject::connect(action, &QAction::triggered, receiver, act);
  scope->addAction(action);
}

namespace {

constexpr int kRowPaddingPx = 8;

} // namespace

QTableView* makeTable(QWidget* parent, const QString& objectName, const QString& accessibleName) {
  auto* table = new QTableView(parent);
  table->setObjectName(objectName);
  table->setAccessibleName(accessibleName);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setAlternatingRowColors(true);
  table->setShowGrid(false);
  table->setWordWrap(false);
  table->setTextElideMode(Qt::ElideRight);
  table->setTabKeyNavigation(false);
  table->verticalHeader()->hide();
  table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + kRowPaddingPx);
  table->horizontalHeader()->setStretchLastSection(true);
  return table;
}

void showOutcome(QLabel* label, const QString& text, bool warning) {
  label->setText(text);
  label->setStyleSheet(warning ? QStringLiteral("color: #b3261e; font-weight: bold;")
                               : QStringLiteral("color: #1b6e3a;"));
  label->setProperty("warning", warning);
}

} // namespace opflow::ui
