// The nodes of an operation's flowchart: one struct per kind, held in a variant.
// Every edge is a declared node name, so the whole graph is known without running code.
// Thread-safety: value types.
#pragma once

#include "opflow/Json.h"

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace opflow::model {

enum class NodeKind { Decision, Action, Call, Wait, Result, Fail };

[[nodiscard]] const char* toString(NodeKind kind);
[[nodiscard]] std::optional<NodeKind> nodeKindFromString(const std::string& text);

// An ordered list of (field, JsonLogic expression): `set` of an action, `inputs` of a call,
// the expression form of a result's `outputs`.
using Assignments = std::vector<std::pair<std::string, Json>>;

struct DecisionCase {
  Json when; // JsonLogic condition
  std::string goTo;
  friend bool operator==(const DecisionCase&, const DecisionCase&) = default;
};

// Evaluates `condition` (true/false branches) or the `cases` in order (then `otherwise`).
struct DecisionNode {
  std::optional<Json> condition;
  std::string ifTrue;
  std::string ifFalse;
  std::vector<DecisionCase> cases;
  std::string otherwise; // empty: no match fails the run with no_decision
  friend bool operator==(const DecisionNode&, const DecisionNode&) = default;
};

struct ActionExit {
  std::string name;
  std::string goTo;
  friend bool operator==(const ActionExit&, const ActionExit&) = default;
};

// Runs a registered C++ handler (optional), then applies `set`, then leaves by `goTo`
// or by the exit the handler chose among `exits`.
struct ActionNode {
  std::string handler;
  Json with = Json::object(); // handler arguments; string values or JsonLogic expressions
  Assignments set;
  std::string goTo;
  std::vector<ActionExit> exits;
  friend bool operator==(const ActionNode&, const ActionNode&) = default;
};

// Runs a sub-operation; its outputs are saved under `saveAs`.
struct CallNode {
  std::string operation;
  Assignments inputs;
  std::string saveAs;
  std::string onSuccess;
  std::string onFailure; // empty: a failed call fails the parent
  friend bool operator==(const CallNode&, const CallNode&) = default;
};

// Parks the run until `signal` arrives (payload saved under `saveAs`) or `timerS` elapses;
// with `timeoutS`, a signal that does not come in time leaves by `onTimeout`. With
// `deadlineAs`, the first entry saves the deadline (UTC ms) under that field and later
// entries keep it, so a flowchart that loops back to the wait (a refused signature asked
// again) does not restart its clock.
struct WaitNode {
  std::string signal;
  std::string saveAs;
  std::string goTo;
  std::optional<double> timerS;
  std::optional<double> timeoutS;
  std::string onTimeout;
  std::string deadlineAs;
  friend bool operator==(const WaitNode&, const WaitNode&) = default;
};

// Ends the run successfully. `fields` is the list form (outputs copied from the data);
// `expressions` is the field: expression form. Exactly one of them is used.
struct ResultNode {
  std::vector<std::string> fields;
  Assignments expressions;
  friend bool operator==(const ResultNode&, const ResultNode&) = default;
};

// Ends the run with a business failure; `reason` is text or a JsonLogic expression.
struct FailNode {
  Json reason;
  friend bool operator==(const FailNode&, const FailNode&) = default;
};

using NodeSpec = std::variant<DecisionNode, ActionNode, CallNode, WaitNode, ResultNode, FailNode>;

struct Node {
  std::string name;
  std::string title; // optional longer label for flowcharts
  NodeSpec spec;

  [[nodiscard]] NodeKind kind() const { return static_cast<NodeKind>(spec.index()); }
  friend bool operator==(const Node&, const Node&) = default;
};

// Every edge leaving `node`, in a stable order, with a label for flowcharts.
struct Edge {
  std::string target;
  std::string label;    // "true", "false", a case condition, an exit name, "timeout", ...
  std::string exitName; // the exit as the engine journals it
};

[[nodiscard]] std::vector<Edge> edgesOf(const Node& node);

} // namespace opflow::model
