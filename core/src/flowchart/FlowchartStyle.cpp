#include "opflow/flowchart/FlowchartStyle.h"

namespace opflow::flowchart {

BoxStyle styleOf(BoxKind kind) {
  switch (kind) {
  case BoxKind::Start:
    return {"#263238", "#263238", "#263238"};
  case BoxKind::Decision:
    return {"#fff8e1", "#f9a825", "#263238"};
  case BoxKind::Action:
    return {"#ffffff", "#455a64", "#263238"};
  case BoxKind::Call:
    return {"#e3f2fd", "#1565c0", "#263238"};
  case BoxKind::Wait:
    return {"#ede7f6", "#5e35b1", "#263238"};
  case BoxKind::Result:
    return {"#d4edda", "#2e7d32", "#1b5e20"};
  case BoxKind::Fail:
    return {"#f8d7da", "#c62828", "#b71c1c"};
  }
  return {"#ffffff", "#455a64", "#263238"};
}

} // namespace opflow::flowchart
