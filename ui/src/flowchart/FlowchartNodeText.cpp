#include "opflow/ui/flowchart/FlowchartNodeText.h"

#include "text/QtText.h"

#include "opflow/logic/Expression.h"
#include "opflow/ui/text/OrderDetailText.h"

#include <QCoreApplication>
#include <QStringList>

#include <variant>

namespace opflow::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("FlowchartNodeText", text); }

QString assignments(const model::Assignments& list) {
  QStringList lines;
  for (const auto& [field, expression] : list) {
    lines << QStringLiteral("  %1 = %2").arg(qt(field), qt(logic::describe(expression)));
  }
  return lines.join(QLatin1Char('\n'));
}

QString seconds(double value) { return QStringLiteral("%1 s").arg(value); }

void describeSpec(const model::NodeSpec& spec, QStringList& out) {
  if (const auto* decision = std::get_if<model::DecisionNode>(&spec)) {
    if (decision->condition) {
      out << tr("Condition: %1").arg(qt(logic::describe(*decision->condition)));
    }
    for (std::size_t i = 0; i < decision->cases.size(); ++i) {
      out << tr("Case %1: %2 → %3")
                 .arg(i + 1)
                 .arg(qt(logic::describe(decision->cases[i].when)), qt(decision->cases[i].goTo));
    }
    if (!decision->cases.empty()) {
      out << (decision->otherwise.empty() ? tr("Otherwise: the run fails (no_decision)")
                                          : tr("Otherwise → %1").arg(qt(decision->otherwise)));
    }
  } else if (const auto* action = std::get_if<model::ActionNode>(&spec)) {
    out << (action->handler.empty() ? tr("Handler: none (sets fields only)") : tr("Handler: %1").arg(qt(action->handler)));
    if (!action->set.empty()) {
      out << tr("Sets:") << assignments(action->set);
    }
  } else if (const auto* call = std::get_if<model::CallNode>(&spec)) {
    out << tr("Calls: %1").arg(qt(call->operation));
    if (!call->inputs.empty()) {
      out << tr("Inputs:") << assignments(call->inputs);
    }
    if (!call->saveAs.empty()) {
      out << tr("Saves its outputs as: %1").arg(qt(call->saveAs));
    }
  } else if (const auto* wait = std::get_if<model::WaitNode>(&spec)) {
    if (!wait->signal.empty()) {
      out << tr("Waits for the signal: %1").arg(qt(wait->signal));
    }
    if (wait->timerS) {
      out << tr("Timer: %1").arg(seconds(*wait->timerS));
    }
    if (wait->timeoutS) {
      out << tr("Timeout: %1").arg(seconds(*wait->timeoutS));
    }
    if (!wait->deadlineAs.empty()) {
      out << tr("Deadline kept in %1 when the run comes back to this wait").arg(qt(wait->deadlineAs));
    }
  } else if (const auto* result = std::get_if<model::ResultNode>(&spec)) {
    if (!result->fields.empty()) {
      QStringList fields;
      for (const std::string& field : result->fields) {
        fields << qt(field);
      }
      out << tr("Outputs: %1").arg(fields.join(QStringLiteral(", ")));
    } else if (!result->expressions.empty()) {
      out << tr("Outputs:") << assignments(result->expressions);
    }
  } else if (const auto* fail = std::get_if<model::FailNode>(&spec)) {
    out << tr("Fails with: %1")
               .arg(fail->reason.is_string() ? qt(fail->reason.get<std::string>()) : qt(logic::describe(fail->reason)));
  }
}

} // namespace

QString flowchartNodeText(const model::Node& node, const store::NodeStatistics* statistics, std::int64_t runsExamined) {
  QStringList out;
  out << tr("Node: %1").arg(qt(node.name));
  out << tr("Kind: %1").arg(QString::fromUtf8(model::toString(node.kind())));
  if (!node.title.empty()) {
    out << tr("Title: %1").arg(qt(node.title));
  }
  describeSpec(node.spec, out);
  const std::vector<model::Edge> edges = model::edgesOf(node);
  if (edges.empty()) {
    out << tr("Exits: none (ends the run)");
  } else {
    out << tr("Exits:");
    for (const model::Edge& edge : edges) {
      out << (edge.label.empty() ? QStringLiteral("  → %1").arg(qt(edge.target))
                                 : QStringLiteral("  %1 → %2").arg(qt(edge.label), qt(edge.target)));
    }
  }
  out << QString();
  if (!statistics || statistics->steps == 0) {
    out << tr("History: no step in this node among the latest %1 runs.").arg(runsExamined);
  } else {
    out << tr("History (latest %1 runs):").arg(runsExamined);
    out << tr("  Runs through it: %1 (%2 steps)").arg(statistics->runs).arg(statistics->steps);
    out << tr("  Median time: %1").arg(durationText(statistics->medianUs));
    out << tr("  95th percentile: %1").arg(durationText(statistics->p95Us));
    out << tr("  Errors: %1 of %2 steps (%3%)")
               .arg(statistics->errors)
               .arg(statistics->steps)
               .arg(statistics->errorRate() * 100, 0, 'f', 1);
  }
  return out.join(QLatin1Char('\n'));
}

QString flowchartOperationText(const model::OperationDefinition& definition,
                               const store::OperationStatistics& statistics) {
  QStringList out;
  out << tr("Operation: %1 v%2").arg(qt(definition.name), QString::number(definition.version));
  if (!definition.description.empty()) {
    out << qt(definition.description);
  }
  QStringList roles;
  for (const std::string& role : definition.roles) {
    roles << qt(role);
  }
  out << tr("Who may run it: %1").arg(roles.isEmpty() ? tr("any role") : roles.join(QStringLiteral(", ")));
  if (!definition.inputs.empty()) {
    out << tr("Inputs:");
    for (const model::InputSpec& input : definition.inputs) {
      out << QStringLiteral("  %1 (%2%3)")
                 .arg(qt(input.name), QString::fromUtf8(model::toString(input.type)),
                      input.required ? tr(", required") : QString());
    }
  }
  out << tr("Starts with: %1; %2 nodes.").arg(qt(definition.startsWith), QString::number(definition.nodes.size()));
  out << QString();
  out << tr("History: %1 of its latest runs looked at; %2 nodes reached.")
             .arg(statistics.runsExamined)
             .arg(statistics.nodes.size());
  out << tr("Click a node to see what it does and its history.");
  return out.join(QLatin1Char('\n'));
}

} // namespace opflow::ui
