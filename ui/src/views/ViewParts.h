// ViewParts: the small widget recipes the views share, so that their buttons, shortcuts,
// tables and messages look and behave alike.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/ui/text/ProblemText.h"

#include <QKeySequence>
#include <QList>
#include <QString>

#include <functional>

class QLabel;
class QObject;
class QPushButton;
class QTableView;
class QWidget;

namespace opflow::ui {

// A push button with its object name, accessible name (the text without '&') and tooltip.
QPushButton* makeButton(QWidget* parent, const QString& objectName, const QString& text, const QString& toolTip);

// A shortcut working anywhere inside `scope`; `act` runs in `receiver`'s lifetime.
void addShortcut(QWidget* scope, const QList<QKeySequence>& keys, QObject* receiver, const std::function<void()>& act);

// A table of whole-row single selection with fixed row height (no resize to contents).
QTableView* makeTable(QWidget* parent, const QString& objectName, const QString& accessibleName);

// Shows `text` on `label`, in a warning colour when `warning`, in a calm one otherwise.
void showOutcome(QLabel* label, const QString& text, bool warning);
// Shows `problem` on `label` in the warning colour: its text, its reference line and a
// "Copy reference" link that puts the reference on the clipboard.
void showProblem(QLabel* label, const ConsoleProblem& problem);
// What `label` shows without markup (what a screen reader reads, and a test).
[[nodiscard]] QString shownText(const QLabel* label);

} // namespace opflow::ui
