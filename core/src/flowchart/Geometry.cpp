#include "opflow/flowchart/Geometry.h"

namespace opflow::flowchart {

bool Rect::intersects(const Rect& other) const {
  return x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height;
}

BoxKind boxKindOf(model::NodeKind kind) {
  switch (kind) {
  case model::NodeKind::Decision:
    return BoxKind::Decision;
  case model::NodeKind::Action:
    return BoxKind::Action;
  case model::NodeKind::Call:
    return BoxKind::Call;
  case model::NodeKind::Wait:
    return BoxKind::Wait;
  case model::NodeKind::Result:
    return BoxKind::Result;
  case model::NodeKind::Fail:
    return BoxKind::Fail;
  }
  return BoxKind::Action;
}

const char* toString(BoxKind kind) {
  switch (kind) {
  case BoxKind::Start:
    return "start";
  case BoxKind::Decision:
    return "decision";
  case BoxKind::Action:
    return "action";
  case BoxKind::Call:
    return "call";
  case BoxKind::Wait:
    return "wait";
  case BoxKind::Result:
    return "result";
  case BoxKind::Fail:
    return "fail";
  }
  return "action";
}

const NodeBox* FlowchartGeometry::findNode(const std::string& name) const {
  for (const NodeBox& node : nodes) {
    if (node.name == name) {
      return &node;
    }
  }
  return nullptr;
}

} // namespace opflow::flowchart
