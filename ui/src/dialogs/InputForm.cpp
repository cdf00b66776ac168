#include "opflow/ui/dialogs/InputForm.h"

#include "text/QtText.h"

#include "opflow/JsonBounds.h"
#include "opflow/model/InputValidation.h"
#include "opflow/ui/text/OrderDetailText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace opflow::ui {

namespace {

constexpr double kNumberLimit = 1e12;


QString valueText(const Json& value) {
  return value.is_string() ? qt(value.get<std::string>()) : qt(value.dump());
}

// An optional input without a default can be left unset: its spin box's lowest value
// (one below the declared minimum) reads "not set".
bool mayStayUnset(const model::InputSpec& spec) { return !spec.required && !spec.defaultValue; }

// Sets the range (one below `lowest` reads "not set" when the input may stay unset) and
// the starting value: the default, or 0 within the range.
template <class SpinBox, class Value>
void setUpSpinBox(SpinBox& spin, const model::InputSpec& spec, Value lowest, Value highest) {
  const bool unset = mayStayUnset(spec);
  spin.setRange(unset ? lowest - 1 : lowest, highest);
  if (unset) {
    spin.setSpecialValueText(InputForm::tr("not set"));
    spin.setValue(spin.minimum());
    return;
  }
  const double start = spec.defaultValue && spec.defaultValue->is_number() ? spec.defaultValue->get<double>() : 0.0;
  spin.setValue(static_cast<Value>(std::clamp(start, static_cast<double>(lowest), static_cast<double>(highest))));
}

void setProblem(QLabel* label, const QString& text) {
  label->setText(text);
  label->setVisible(!text.isEmpty());
}

} // namespace

InputForm::InputForm(std::vector<model::InputSpec> inputs, Json fixed, QWidget* parent)
    : QWidget(parent), m_fixed(fixed.is_object() ? std::move(fixed) : Json::object()) {
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  QString taken;
  for (model::InputSpec& spec : inputs) {
    Field field;
    field.fixed = m_fixed.contains(spec.name);
    field.spec = std::move(spec);
    field.editor = makeEditor(field);
    field.problem = new QLabel(this);
    field.problem->setObjectName(QStringLiteral("problem_%1").arg(qt(field.spec.name)));
    field.problem->setStyleSheet(QStringLiteral("color: #b00020;"));
    field.problem->setWordWrap(true);
    field.problem->setVisible(false);

    const QString label = labelFor(field.spec.name);
    field.editor->setObjectName(QStringLiteral("input_%1").arg(qt(field.spec.name)));
    field.editor->setAccessibleName(label);
    field.editor->setAccessibleDescription(qt(field.spec.description));
    field.editor->setToolTip(field.spec.description.empty()
                                 ? tr("%1 (%2%3)").arg(label, QString::fromUtf8(model::toString(field.spec.type)),
                                                      field.spec.required ? tr(", required") : QString())
                                 : qt(field.spec.description));
    field.problem->setAccessibleName(tr("Problem with %1").arg(label));

    auto* cell = new QWidget(this);
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(field.editor);
    if (!field.spec.description.empty() && !field.fixed) {
      auto* description = new QLabel(qt(field.spec.description), cell);
      description->setWordWrap(true);
      description->setForegroundRole(QPalette::PlaceholderText);
      column->addWidget(description);
    }
    column->addWidget(field.problem);

    auto* caption = new QLabel(withMnemonic(label, taken) + (field.spec.required && !field.fixed ? QStringLiteral(" *") : QString()),
                               this);
    caption->setBuddy(field.editor);
    caption->setToolTip(field.editor->toolTip());
    form->addRow(caption, cell);
    m_fields.push_back(std::move(field));
  }
  m_general = new QLabel(this);
  m_general->setObjectName(QStringLiteral("generalProblems"));
  m_general->setStyleSheet(QStringLiteral("color: #b00020;"));
  m_general->setWordWrap(true);
  m_general->setVisible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(m_general);
  validate();
}

QWidget* InputForm::makeEditor(const Field& field) {
  const model::InputSpec& spec = field.spec;
  if (field.fixed) {
    auto* fixed = new QLineEdit(valueText(m_fixed[spec.name]), this);
    fixed->setReadOnly(true);
    fixed->setFocusPolicy(Qt::NoFocus);
    return fixed;
  }
  if (!spec.allowed.empty()) {
    auto* choice = new QComboBox(this);
    if (mayStayUnset(spec)) {
      choice->addItem(tr("(not set)"));
    }
    for (const Json& allowed : spec.allowed) {
      choice->addItem(valueText(allowed), QString::fromStdString(allowed.dump()));
      if (spec.defaultValue && *spec.defaultValue == allowed) {
        choice->setCurrentIndex(choice->count() - 1);
      }
    }
    connect(choice, &QComboBox::currentIndexChanged, this, &InputForm::validate);
    return choice;
  }
  switch (spec.type) {
  case model::InputType::String: {
    auto* text = new QLineEdit(this);
    if (spec.defaultValue && spec.defaultValue->is_string()) {
      text->setText(qt(spec.defaultValue->get<std::string>()));
    }
    text->setPlaceholderText(spec.required ? tr("required") : tr("optional"));
    connect(text, &QLineEdit::textChanged, this, &InputForm::validate);
    return text;
  }
  case model::InputType::Integer: {
    auto* number = new QSpinBox(this);
    constexpr double kLowest = std::numeric_limits<int>::min() + 1;
    constexpr double kHighest = std::numeric_limits<int>::max();
    setUpSpinBox(*number, spec, static_cast<int>(std::clamp(spec.min.value_or(kLowest), kLowest, kHighest)),
                 static_cast<int>(std::clamp(spec.max.value_or(kHighest), kLowest, kHighest)));
    connect(number, &QSpinBox::valueChanged, this, &InputForm::validate);
    return number;
  }
  case model::InputType::Number: {
    auto* number = new QDoubleSpinBox(this);
    number->setDecimals(3);
    setUpSpinBox(*number, spec, spec.min.value_or(-kNumberLimit), spec.max.value_or(kNumberLimit));
    connect(number, &QDoubleSpinBox::valueChanged, this, &InputForm::validate);
    return number;
  }
  case model::InputType::Boolean: {
    auto* flag = new QCheckBox(labelFor(spec.name), this);
    flag->setChecked(spec.defaultValue && spec.defaultValue->is_boolean() && spec.defaultValue->get<bool>());
    connect(flag, &QCheckBox::toggled, this, &InputForm::validate);
    return flag;
  }
  case model::InputType::Object:
  case model::InputType::Array: {
    auto* json = new QPlainTextEdit(this);
    json->setTabChangesFocus(true);
    json->setPlaceholderText(spec.type == model::InputType::Object ? tr("JSON object, e.g. {\"key\": \"value\"}")
                                                                    : tr("JSON array, e.g. [1, 2]"));
    if (spec.defaultValue) {
      json->setPlainText(qt(spec.defaultValue->dump(2)));
    }
    json->setMaximumHeight(96);
    connect(json, &QPlainTextEdit::textChanged, this, &InputForm::validate);
    return json;
  }
  }
  return new QLineEdit(this);
}

std::optional<Json> InputForm::valueOf(const Field& field, QString& unreadable) const {
  if (field.fixed) {
    return m_fixed[field.spec.name];
  }
  if (auto* choice = qobject_cast<QComboBox*>(field.editor)) {
    const QString chosen = choice->currentData().toString();
    if (chosen.isEmpty()) {
      return std::nullopt;
    }
    return Json::parse(chosen.toStdString());
  }
  if (auto* text = qobject_cast<QLineEdit*>(field.editor)) {
    if (text->text().isEmpty()) {
      return std::nullopt;
    }
    return Json(text->text().toStdString());
  }
  if (auto* number = qobject_cast<QSpinBox*>(field.editor)) {
    if (mayStayUnset(field.spec) && number->value() == number->minimum()) {
      return std::nullopt;
    }
    return Json(number->value());
  }
  if (auto* number = qobject_cast<QDoubleSpinBox*>(field.editor)) {
    if (mayStayUnset(field.spec) && number->value() == number->minimum()) {
      return std::nullopt;
    }
    return Json(number->value());
  }
  if (auto* flag = qobject_cast<QCheckBox*>(field.editor)) {
    return Json(flag->isChecked());
  }
  if (auto* json = qobject_cast<QPlainTextEdit*>(field.editor)) {
    const std::string text = json->toPlainText().trimmed().toStdString();
    if (text.empty()) {
      return std::nullopt;
    }
    auto parsed = parseJson(text, kInputLimits);
    if (!parsed) {
      unreadable = parsed.error().code == ErrorCode::InvalidInputs
                       ? tr("is refused: %1").arg(QString::fromStdString(parsed.error().message))
                       : tr("is not valid JSON");
      return std::nullopt;
    }
    return std::move(parsed).value();
  }
  return std::nullopt;
}

Json InputForm::values() const {
  Json values = Json::object();
  for (const Field& field : m_fields) {
    QString unreadable;
    if (auto value = valueOf(field, unreadable)) {
      values[field.spec.name] = std::move(*value);
    }
  }
  return values;
}

void InputForm::validate() {
  std::vector<Problem> problems;
  Json entered = Json::object();
  for (const Field& field : m_fields) {
    QString unreadable;
    if (auto value = valueOf(field, unreadable)) {
      entered[field.spec.name] = std::move(*value);
    } else if (!unreadable.isEmpty()) {
      problems.push_back({"/inputs/" + pointerToken(field.spec.name), unreadable.toStdString()});
    }
  }
  std::vector<model::InputSpec> specs;
  for (const Field& field : m_fields) {
    specs.push_back(field.spec);
  }
  if (auto resolved = model::resolveInputs(specs, entered); !resolved) {
    for (const Problem& problem : resolved.error().problems) {
      // A JSON text that cannot be read is one problem, not also "is required".
      const bool known = std::any_of(problems.begin(), problems.end(),
                                     [&problem](const Problem& other) { return other.pointer == problem.pointer; });
      if (!known) {
        problems.push_back(problem);
      }
    }
  }
  showProblems(problems);
  const bool valid = problems.empty();
  if (valid != m_valid) {
    m_valid = valid;
    emit validityChanged(valid);
  }
}

void InputForm::showProblems(const std::vector<Problem>& problems) {
  QStringList general;
  for (Field& field : m_fields) {
    setProblem(field.problem, {});
  }
  for (const Problem& problem : problems) {
    auto owner = std::find_if(m_fields.begin(), m_fields.end(), [&problem](const Field& field) {
      return problem.pointer == "/inputs/" + pointerToken(field.spec.name);
    });
    if (owner == m_fields.end()) {
      general << QStringLiteral("%1: %2").arg(qt(problem.pointer), qt(problem.message));
      continue;
    }
    const QString shown = owner->problem->text();
    setProblem(owner->problem, (shown.isEmpty() ? QString() : shown + QLatin1Char('\n')) +
                                   tr("%1 %2").arg(labelFor(owner->spec.name), qt(problem.message)));
  }
  setProblem(m_general, general.join(QLatin1Char('\n')));
}

QString InputForm::problemOf(const std::string& name) const {
  for (const Field& field : m_fields) {
    if (field.spec.name == name) {
      return field.problem->text();
    }
  }
  return {};
}

QString InputForm::generalProblems() const { return m_general->text(); }

QWidget* InputForm::editorOf(const std::string& name) const {
  for (const Field& field : m_fields) {
    if (field.spec.name == name) {
      return field.editor;
    }
  }
  return nullptr;
}

bool InputForm::hasEditableInputs() const {
  return std::any_of(m_fields.begin(), m_fields.end(), [](const Field& field) { return !field.fixed; });
}

} // namespace opflow::ui
