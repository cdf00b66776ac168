// toSvg(): the geometry drawn as SVG 1.1 in the same units (one user unit per point), with
// a margin around the drawing. Edges are drawn first (cubic paths from Graphviz's
// B-spline points, a filled arrowhead from the last point to the tip, centred label
// lines), then the boxes by kind in FlowchartStyle's colours (a dot for the start, a
// diamond, a rounded box, a double box, a hexagon, an ellipse, an octagon) with their
// lines centred, then any marks' badges, so badges stay on top. Every name and text is
// cleaned (valid UTF-8 without control characters, as the layout keeps labels; names
// are not bounded by the layout) and XML-escaped, so any definition gives a well-formed
// document; numbers have two decimals, so the same geometry gives the same bytes.
#include "opflow/flowchart/FlowchartSvg.h"

#include "opflow/flowchart/FlowchartStyle.h"

#include "flowchart/LabelLines.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <numbers>

namespace opflow::flowchart {

namespace {

constexpr double kMargin = 8;
constexpr double kLineSpacing = 1.2; // Graphviz's line height, in font sizes
constexpr double kBadgeFontSize = 9;
// Liberation Sans first: its metrics are those the layout measured with (see Geometry.h).
constexpr const char* kFontStack = "'Liberation Sans', Arial, Helvetica, sans-serif";

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : cleanText(text)) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

class SvgWriter {
public:
  explicit SvgWriter(std::string& out) : m_out(out) {}

  template <typename... Args>
  void line(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(m_out), format, std::forward<Args>(args)...);
    m_out += '\n';
  }

  // Lines of text centred on (cx, cy), `fontSize` apart by Graphviz's line spacing.
  void centredLines(const std::vector<std::string>& lines, double cx, double cy, double fontSize, const char* colour,
                    bool boldFirst = false) {
    const double lineHeight = fontSize * kLineSpacing;
    const double top = cy - lineHeight * static_cast<double>(lines.size()) / 2;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      // The baseline sits about 0.8 of a line below the line's top for Helvetica-like fonts.
      const double baseline = top + lineHeight * (static_cast<double>(i) + 0.8);
      line(R"(<text x="{:.2f}" y="{:.2f}" font-size="{}" fill="{}" text-anchor="middle"{}>{}</text>)", cx, baseline,
           fontSize, colour, boldFirst && i == 0 ? R"( font-weight="bold")" : "", escaped(lines[i]));
    }
  }

private:
  std::string& m_out;
};

std::string pointList(const std::vector<Point>& points) {
  std::string out;
  for (const Point& p : points) {
    if (!out.empty()) {
      out += ' ';
    }
    fmt::format_to(std::back_inserter(out), "{:.2f},{:.2f}", p.x, p.y);
  }
  return out;
}

// The shape's outline points for the polygon kinds, as Graphviz draws them in `r`.
std::vector<Point> polygonOf(BoxKind kind, const Rect& r) {
  const double cx = r.x + r.width / 2;
  const double cy = r.y + r.height / 2;
  const double right = r.x + r.width;
  const double bottom = r.y + r.height;
  switch (kind) {
  case BoxKind::Decision:
    return {{cx, r.y}, {right, cy}, {cx, bottom}, {r.x, cy}};
  case BoxKind::Wait:
    return {{r.x, cy}, {r.x + r.width / 4, r.y}, {right - r.width / 4, r.y}, {right, cy}, {right - r.width / 4, bottom},
            {r.x + r.width / 4, bottom}};
  case BoxKind::Fail: {
    // A regular octagon's corners at ±22.5° and ±67.5°, stretched to the box.
    const double k = std::tan(std::numbers::pi / 8);
    const double dx = r.width / 2 * k;
    const double dy = r.height / 2 * k;
    return {{cx - dx, r.y}, {cx + dx, r.y},      {right, cy - dy}, {right, cy + dy},
            {cx + dx, bottom}, {cx - dx, bottom}, {r.x, cy + dy},   {r.x, cy - dy}};
  }
  default:
    return {};
  }
}

void drawEdge(SvgWriter& svg, const EdgeRoute& edge) {
  if (edge.points.empty()) {
    return;
  }
  std::string path = fmt::format("M{:.2f},{:.2f}", edge.points[0].x, edge.points[0].y);
  for (std::size_t i = 1; i + 2 < edge.points.size(); i += 3) {
    fmt::format_to(std::back_inserter(path), " C{:.2f},{:.2f} {:.2f},{:.2f} {:.2f},{:.2f}", edge.points[i].x,
                   edge.points[i].y, edge.points[i + 1].x, edge.points[i + 1].y, edge.points[i + 2].x,
                   edge.points[i + 2].y);
  }
  svg.line(R"(<g class="edge" data-from="{}" data-to="{}" data-exit="{}">)", escaped(edge.from), escaped(edge.to),
           escaped(edge.exitName));
  svg.line(R"(<path d="{}" fill="none" stroke="{}" stroke-width="1"/>)", path, kEdgeColour);
  if (edge.arrowTip) {
    const Point& base = edge.points.back();
    const Point& tip = *edge.arrowTip;
    const double length = std::hypot(tip.x - base.x, tip.y - base.y);
    if (length > 0) {
      // Graphviz's normal arrowhead: as long as base to tip, half-width a third of that.
      const double nx = -(tip.y - base.y) / length * length / 3;
      const double ny = (tip.x - base.x) / length * length / 3;
      svg.line(R"(<polygon points="{}" fill="{}" stroke="{}" stroke-width="1"/>)",
               pointList({tip, {base.x + nx, base.y + ny}, {base.x - nx, base.y - ny}}), kEdgeColour, kEdgeColour);
    }
  }
  if (edge.labelBounds && !edge.label.empty()) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
      const std::size_t end = edge.label.find('\n', start);
      lines.push_back(edge.label.substr(start, end - start));
      if (end == std::string::npos) {
        break;
      }
      start = end + 1;
    }
    const Rect& r = *edge.labelBounds;
    svg.centredLines(lines, r.x + r.width / 2, r.y + r.height / 2, kEdgeFontSize, kEdgeLabelColour);
  }
  svg.line("</g>");
}

void drawNode(SvgWriter& svg, const NodeBox& node, const NodeMark* mark) {
  const BoxStyle style = styleOf(node.kind);
  const std::string fill = mark != nullptr && !mark->fill.empty() ? mark->fill : style.fill;
  const std::string stroke = mark != nullptr && !mark->stroke.empty() ? mark->stroke : style.stroke;
  const Rect& r = node.bounds;
  const double cx = r.x + r.width / 2;
  const double cy = r.y + r.height / 2;
  const std::string paint = fmt::format(R"(fill="{}" stroke="{}" stroke-width="1.2")", escaped(fill), escaped(stroke));

  svg.line(R"(<g class="node {}" data-name="{}">)", toString(node.kind), escaped(node.name));
  switch (node.kind) {
  case BoxKind::Start:
    svg.line(R"(<circle cx="{:.2f}" cy="{:.2f}" r="{:.2f}" {}/>)", cx, cy, std::min(r.width, r.height) / 2, paint);
    break;
  case BoxKind::Action:
    svg.line(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" rx="{}" {}/>)", r.x, r.y, r.width,
             r.height, kActionCornerRadius, paint);
    break;
  case BoxKind::Call:
    svg.line(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" {}/>)", r.x, r.y, r.width, r.height, paint);
    svg.line(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="none" stroke="{}" stroke-width="1"/>)",
             r.x + kCallInset, r.y + kCallInset, std::max(r.width - 2 * kCallInset, 0.0),
             std::max(r.height - 2 * kCallInset, 0.0), escaped(stroke));
    break;
  case BoxKind::Result:
    svg.line(R"(<ellipse cx="{:.2f}" cy="{:.2f}" rx="{:.2f}" ry="{:.2f}" {}/>)", cx, cy, r.width / 2, r.height / 2,
             paint);
    break;
  case BoxKind::Decision:
  case BoxKind::Wait:
  case BoxKind::Fail:
    svg.line(R"(<polygon points="{}" {}/>)", pointList(polygonOf(node.kind, r)), paint);
    break;
  }
  svg.centredLines(node.lines, cx, cy, kNodeFontSize, style.text);
  svg.line(R"(<title>{}</title>)", escaped(node.name));
  svg.line("</g>");
}

void drawBadge(SvgWriter& svg, const NodeBox& node, const std::string& badge) {
  // Sized by an average glyph width; the text is centred in it, so a wider font only
  // crowds the pill's ends.
  std::size_t characters = 0;
  for (char c : badge) {
    characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  const double width = kBadgeFontSize * 0.6 * static_cast<double>(characters) + 8;
  const double height = kBadgeFontSize * 1.5;
  const double right = node.bounds.x + node.bounds.width + 4;
  const double top = node.bounds.y - height / 2;
  svg.line(R"(<g class="badge" data-name="{}">)", escaped(node.name));
  svg.line(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" rx="{:.2f}" fill="{}"/>)", right - width, top,
           width, height, height / 2, kBadgeFill);
  svg.centredLines({badge}, right - width / 2, top + height / 2, kBadgeFontSize, kBadgeText);
  svg.line("</g>");
}

} // namespace

std::string toSvg(const FlowchartGeometry& geometry, const SvgMarks& marks) {
  std::string out;
  SvgWriter svg(out);
  const Rect& b = geometry.bounds;
  const double width = b.width + 2 * kMargin;
  const double height = b.height + 2 * kMargin;
  svg.line(R"(<?xml version="1.0" encoding="UTF-8"?>)");
  svg.line(R"(<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{:.2f}" height="{:.2f}" )"
           R"(viewBox="{:.2f} {:.2f} {:.2f} {:.2f}" font-family="{}">)",
           width, height, b.x - kMargin, b.y - kMargin, width, height, kFontStack);
  svg.line(R"(<title>{} v{}</title>)", escaped(geometry.operation), geometry.version);
  svg.line(R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="{}"/>)", b.x - kMargin, b.y - kMargin,
           width, height, kBackgroundColour);
  const Rect& t = geometry.titleBounds;
  svg.centredLines(geometry.title, t.x + t.width / 2, t.y + t.height / 2, kTitleFontSize, kTitleColour, true);

  for (const EdgeRoute& edge : geometry.edges) {
    drawEdge(svg, edge);
  }
  for (const NodeBox& node : geometry.nodes) {
    const auto mark = marks.nodes.find(node.name);
    drawNode(svg, node, mark == marks.nodes.end() ? nullptr : &mark->second);
  }
  for (const NodeBox& node : geometry.nodes) {
    const auto mark = marks.nodes.find(node.name);
    if (mark != marks.nodes.end() && !mark->second.badge.empty()) {
      drawBadge(svg, node, mark->second.badge);
    }
  }
  svg.line("</svg>");
  return out;
}

} // namespace opflow::flowchart
