#include "opflow/ui/text/OperationText.h"

#include "text/QtText.h"

#include "opflow/logic/Expression.h"

#include <QStringList>

#include <algorithm>
#include <type_traits>
#include <variant>

namespace opflow::ui {

namespace {

// Width of the labels of a node's details ("handler", "condition", ...).
constexpr int kLabelWidth = 11;
const QString kNodeIndent = QStringLiteral("  ");
const QString kDetailIndent = QStringLiteral("      ");


QString jsonText(const Json& value) { return qt(value.dump(-1, ' ', false, Json::error_handler_t::replace)); }

QString expressionText(const Json& rule) { return qt(logic::describe(rule)); }

QString numberText(double value) { return QString::number(value, 'g', 12); }

QString secondsText(double seconds) { return numberText(seconds) + QStringLiteral(" s"); }

// Collects the lines of the text.
class Lines {
public:
  void add(const QString& line = {}) { m_lines.push_back(line); }

  // "      label     value"; the label is printed on the first of `values` only.
  void detail(const QString& label, const QStringList& values) {
    for (qsizetype i = 0; i < values.size(); ++i) {
      const QString shown = i == 0 ? label : QString();
      add(kDetailIndent + shown.leftJustified(kLabelWidth) + values[i]);
    }
  }
  void detail(const QString& label, const QString& value) { detail(label, QStringList{value}); }

  [[nodiscard]] QString text() const { return m_lines.join(QLatin1Char('\n')); }

private:
  QStringList m_lines;
};

QStringList assignmentTexts(const model::Assignments& assignments) {
  QStringList texts;
  for (const auto& [field, rule] : assignments) {
    texts.push_back(qt(field) + QStringLiteral(" = ") + expressionText(rule));
  }
  return texts;
}

QString inputText(const model::InputSpec& input, int nameWidth) {
  QStringList parts{qt(input.name).leftJustified(nameWidth), QString::fromLatin1(model::toString(input.type))};
  if (input.required) {
    parts.push_back(QStringLiteral("required"));
  }
  if (input.defaultValue) {
    parts.push_back(QStringLiteral("default ") + jsonText(*input.defaultValue));
  }
  if (!input.allowed.empty()) {
    QStringList allowed;
    for (const Json& value : input.allowed) {
      allowed.push_back(jsonText(value));
    }
    parts.push_back(QStringLiteral("one of ") + allowed.join(QStringLiteral(", ")));
  }
  if (input.min) {
    parts.push_back(QStringLiteral("min ") + numberText(*input.min));
  }
  if (input.max) {
    parts.push_back(QStringLiteral("max ") + numberText(*input.max));
  }
  QString line = kNodeIndent + parts.join(QStringLiteral("  "));
  if (!input.description.empty()) {
    line += QStringLiteral("  (") + qt(input.description) + QLatin1Char(')');
  }
  return line;
}

void addDecision(Lines& lines, const model::DecisionNode& decision) {
  if (decision.condition) {
    lines.detail(QStringLiteral("condition"), expressionText(*decision.condition));
  }
  if (!decision.cases.empty()) {
    lines.detail(QStringLiteral("cases"), QStringLiteral("first that holds, in order"));
  }
}

void addAction(Lines& lines, const model::ActionNode& action) {
  if (!action.handler.empty()) {
    lines.detail(QStringLiteral("handler"), qt(action.handler));
  }
  if (action.with.is_object() && !action.with.empty()) {
    QStringList arguments;
    for (const auto& [name, value] : action.with.items()) {
      arguments.push_back(qt(name) + QStringLiteral(" = ") + expressionText(value));
    }
    lines.detail(QStringLiteral("with"), arguments);
  }
  if (!action.set.empty()) {
    lines.detail(QStringLiteral("set"), assignmentTexts(action.set));
  }
}

void addCall(Lines& lines, const model::CallNode& call) {
  lines.detail(QStringLiteral("calls"), qt(call.operation));
  if (!call.inputs.empty()) {
    lines.detail(QStringLiteral("inputs"), assignmentTexts(call.inputs));
  }
  if (!call.saveAs.empty()) {
    lines.detail(QStringLiteral("save as"), qt(call.saveAs));
  }
  if (call.onFailure.empty()) {
    lines.detail(QStringLiteral("on fail"), QStringLiteral("fails this operation"));
  }
}

void addWait(Lines& lines, const model::WaitNode& wait) {
  if (!wait.signal.empty()) {
    lines.detail(QStringLiteral("signal"), qt(wait.signal));
  }
  if (!wait.saveAs.empty()) {
    lines.detail(QStringLiteral("save as"), qt(wait.saveAs));
  }
  if (wait.timerS) {
    lines.detail(QStringLiteral("timer"), secondsText(*wait.timerS));
  }
  if (wait.timeoutS) {
    lines.detail(QStringLiteral("timeout"), secondsText(*wait.timeoutS));
  }
  if (!wait.deadlineAs.empty()) {
    lines.detail(QStringLiteral("deadline kept in"), qt(wait.deadlineAs));
  }
}

void addResult(Lines& lines, const model::ResultNode& result) {
  if (!result.expressions.empty()) {
    lines.detail(QStringLiteral("outputs"), assignmentTexts(result.expressions));
  } else if (!result.fields.empty()) {
    QStringList fields;
    for (const std::string& field : result.fields) {
      fields.push_back(qt(field));
    }
    lines.detail(QStringLiteral("outputs"), fields.join(QStringLiteral(", ")));
  } else {
    lines.detail(QStringLiteral("outputs"), QStringLiteral("none"));
  }
}

void addFail(Lines& lines, const model::FailNode& fail) {
  const QString reason = fail.reason.is_string() ? QLatin1Char('"') + qt(fail.reason.get<std::string>()) + QLatin1Char('"')
                                                 : expressionText(fail.reason);
  lines.detail(QStringLiteral("reason"), reason);
}

void addNode(Lines& lines, const model::Node& node, bool isStart) {
  QString heading = kNodeIndent + qt(node.name) + QStringLiteral("  (") + QString::fromLatin1(model::toString(node.kind()));
  if (isStart) {
    heading += QStringLiteral(", start");
  }
  heading += QLatin1Char(')');
  if (!node.title.empty()) {
    heading += QStringLiteral("  \u2014 ") + qt(node.title);
  }
  lines.add(heading);

  std::visit(
      [&lines](const auto& spec) {
        using Spec = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<Spec, model::DecisionNode>) {
          addDecision(lines, spec);
        } else if constexpr (std::is_same_v<Spec, model::ActionNode>) {
          addAction(lines, spec);
        } else if constexpr (std::is_same_v<Spec, model::CallNode>) {
          addCall(lines, spec);
        } else if constexpr (std::is_same_v<Spec, model::WaitNode>) {
          addWait(lines, spec);
        } else if constexpr (std::is_same_v<Spec, model::ResultNode>) {
          addResult(lines, spec);
        } else {
          addFail(lines, spec);
        }
      },
      node.spec);

  for (const model::Edge& edge : model::edgesOf(node)) {
    QString line = kDetailIndent + QStringLiteral("\u2192 ") + qt(edge.target);
    if (!edge.label.empty()) {
      line += QStringLiteral("  [") + qt(edge.label) + QLatin1Char(']');
    }
    lines.add(line);
  }
}

} // namespace

QString operationText(const model::OperationDefinition& definition) {
  Lines lines;
  lines.add(definition.title.empty() ? qt(definition.name) : qt(definition.title));
  lines.add(qt(definition.name) + QStringLiteral("  v") + QString::number(definition.version));
  if (!definition.description.empty()) {
    lines.add();
    lines.add(qt(definition.description));
  }

  lines.add();
  QStringList roles;
  for (const std::string& role : definition.roles) {
    roles.push_back(qt(role));
  }
  lines.add(QStringLiteral("Roles      ") + (roles.isEmpty() ? QStringLiteral("any") : roles.join(QStringLiteral(", "))));
  lines.add(QStringLiteral("Starts at  ") + qt(definition.startsWith));

  lines.add();
  lines.add(QStringLiteral("Inputs"));
  if (definition.inputs.empty()) {
    lines.add(kNodeIndent + QStringLiteral("none"));
  }
  int nameWidth = 0;
  for (const model::InputSpec& input : definition.inputs) {
    nameWidth = std::max(nameWidth, static_cast<int>(qt(input.name).size()));
  }
  for (const model::InputSpec& input : definition.inputs) {
    lines.add(inputText(input, nameWidth));
  }

  lines.add();
  lines.add(QStringLiteral("Nodes (%1)").arg(definition.nodes.size()));
  for (const model::Node& node : definition.nodes) {
    lines.add();
    addNode(lines, node, node.name == definition.startsWith);
  }
  return lines.text();
}

} // namespace opflow::ui
