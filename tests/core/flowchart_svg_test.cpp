// toSvg() and svgToPng() on real layouts: the SVG of every shipped operation is
// well-formed XML (parsed with libxml2) naming every node and drawing every edge; text
// and names are escaped; marks are drawn; the PNG is a real PNG of the expected size;
// librsvg's complaints and oversized images come back as errors.
#include "opflow/builtin/Builtin.h"
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/flowchart/FlowchartStyle.h"
#include "opflow/flowchart/FlowchartSvg.h"
#include "opflow/model/OperationBuilder.h"
#include "opflow/testing/GeneratedOperation.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <memory>
#include <set>

namespace {

using namespace opflow;
using namespace opflow::flowchart;

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

Doc parse(const std::string& svg) {
  return Doc(xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "flowchart.svg", nullptr,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string attribute(xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  std::string text = value != nullptr ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return text;
}

std::string content(xmlNode* node) {
  xmlChar* value = xmlNodeGetContent(node);
  std::string text = value != nullptr ? reinterpret_cast<const char*>(value) : "";
  xmlFree(value);
  return text;
}

// Every element of the document, depth first.
void collect(xmlNode* node, std::vector<xmlNode*>& out) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      out.push_back(n);
      collect(n->children, out);
    }
  }
}

std::vector<xmlNode*> elements(const Doc& doc) {
  std::vector<xmlNode*> out;
  collect(xmlDocGetRootElement(doc.get()), out);
  return out;
}

bool hasClass(xmlNode* node, const std::string& name) {
  const std::string classes = " " + attribute(node, "class") + " ";
  return classes.find(" " + name + " ") != std::string::npos;
}

FlowchartGeometry laidOut(const model::OperationDefinition& definition) {
  auto geometry = layoutFlowchart(definition);
  EXPECT_TRUE(geometry.ok()) << geometry.error().describe();
  return geometry.ok() ? geometry.value() : FlowchartGeometry{};
}

std::uint32_t bigEndian(const std::string& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
  }
  return value;
}

TEST(FlowchartSvgTest, EveryShippedOperationIsWellFormedWithEveryNodeAndEdge) {
  auto definitions = builtin::definitions();
  ASSERT_TRUE(definitions.ok()) << definitions.error().describe();
  for (const model::OperationDefinition& definition : *definitions) {
    SCOPED_TRACE(definition.name);
    const FlowchartGeometry geometry = laidOut(definition);
    const std::string svg = toSvg(geometry);
    const Doc doc = parse(svg);
    ASSERT_NE(doc, nullptr) << svg;
    EXPECT_STREQ(reinterpret_cast<const char*>(xmlDocGetRootElement(doc.get())->name), "svg");

    std::multiset<std::string> names;
    std::size_t edges = 0;
    for (xmlNode* element : elements(doc)) {
      if (hasClass(element, "node")) {
        names.insert(attribute(element, "data-name"));
      } else if (hasClass(element, "edge")) {
        ++edges;
      }
    }
    std::multiset<std::string> expected{""};
    for (const model::Node& node : definition.nodes) {
      expected.insert(node.name);
    }
    EXPECT_EQ(names, expected);
    EXPECT_EQ(edges, geometry.edges.size());
    EXPECT_EQ(toSvg(geometry), svg); // deterministic
  }
}

TEST(FlowchartSvgTest, TextAndNamesAreEscaped) {
  const std::string hostile = R"(say "hi" <b>&amp;</b> 'now' ✓)";
  const auto definition = model::OperationBuilder("esc <ape> & \"co\"", 1)
                              .title(hostile)
                              .startsWith(hostile)
                              .decision(hostile, {.condition = Json{{"==", Json::array({Json{{"var", "a"}}, "<&>"})}},
                                                  .ifTrue = "done", .ifFalse = "done"})
                              .titled(hostile)
                              .result("done")
                              .build();
  const std::string svg = toSvg(laidOut(definition));
  const Doc doc = parse(svg);
  ASSERT_NE(doc, nullptr) << svg;
  bool foundName = false;
  bool foundLabel = false;
  bool foundCondition = false;
  for (xmlNode* element : elements(doc)) {
    foundName = foundName || (hasClass(element, "node") && attribute(element, "data-name") == hostile);
    if (std::string(reinterpret_cast<const char*>(element->name)) == "text") {
      foundLabel = foundLabel || content(element) == hostile;
      foundCondition = foundCondition || content(element).find("<&>") != std::string::npos;
    }
  }
  EXPECT_TRUE(foundName);
  EXPECT_TRUE(foundLabel);
  EXPECT_TRUE(foundCondition);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
}

// Names reach the SVG whole (the layout bounds labels, not names): a control character or
// a byte that is not UTF-8 in a name must not make the document unreadable.
TEST(FlowchartSvgTest, ControlCharactersAndBadBytesInNamesStillParse) {
  const std::string name = std::string("a\x01" "b\x1f" "\xff" "c");
  const auto definition = model::OperationBuilder(std::string("op\x02") + "\xc3", 1)
                              .startsWith(name)
                              .action(name, {.goTo = "done"})
                              .result("done")
                              .build();
  const std::string svg = toSvg(laidOut(definition));
  const Doc doc = parse(svg);
  ASSERT_NE(doc, nullptr) << svg;
  bool foundName = false;
  for (xmlNode* element : elements(doc)) {
    foundName = foundName || (hasClass(element, "node") && attribute(element, "data-name") == "ab\xef\xbf\xbd" "c");
  }
  EXPECT_TRUE(foundName) << "the name cleaned: control characters dropped, the bad byte as U+FFFD";
}

TEST(FlowchartSvgTest, MarksOverrideColoursAndAddBadges) {
  const auto definition = opflow::testing::generatedOperation(8);
  const FlowchartGeometry geometry = laidOut(definition);
  SvgMarks marks;
  marks.nodes[definition.nodes[2].name] = NodeMark{"#123456", "#abcdef", "3 · 120 ms <fast>"};
  const std::string svg = toSvg(geometry, marks);
  const Doc doc = parse(svg);
  ASSERT_NE(doc, nullptr) << svg;
  bool badge = false;
  for (xmlNode* element : elements(doc)) {
    if (hasClass(element, "badge")) {
      badge = attribute(element, "data-name") == definition.nodes[2].name &&
              content(element).find("3 · 120 ms <fast>") != std::string::npos;
    }
  }
  EXPECT_TRUE(badge);
  EXPECT_NE(svg.find(R"(fill="#123456" stroke="#abcdef")"), std::string::npos);
  EXPECT_EQ(svg.find("#123456"), svg.rfind("#123456")); // only the marked node
  EXPECT_NE(svg, toSvg(geometry));
}

TEST(FlowchartSvgTest, PngIsARealPngOfTheScaledSize) {
  const FlowchartGeometry geometry = laidOut(opflow::testing::generatedOperation(12));
  const std::string svg = toSvg(geometry);
  auto png = svgToPng(svg, 2.0);
  ASSERT_TRUE(png.ok()) << png.error().describe();
  ASSERT_GT(png->size(), 33U);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  const double svgWidth = geometry.bounds.width + 16; // the SVG's margin of 8 each side
  const double svgHeight = geometry.bounds.height + 16;
  EXPECT_NEAR(bigEndian(*png, 16), std::ceil(svgWidth * 2), 1.0);
  EXPECT_NEAR(bigEndian(*png, 20), std::ceil(svgHeight * 2), 1.0);
}

TEST(FlowchartSvgTest, UnreadableSvgIsAnErrorNamingLibrsvgsComplaint) {
  auto png = svgToPng("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect></svg>");
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(png.error().message.find("librsvg cannot read the SVG"), std::string::npos) << png.error().message;
}

TEST(FlowchartSvgTest, BadScaleAndHugeImagesAreRefused) {
  const std::string svg = toSvg(laidOut(opflow::testing::generatedOperation(4)));
  auto zero = svgToPng(svg, 0);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("positive"), std::string::npos);
  auto huge = svgToPng(svg, 1000);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(huge.error().message.find("too large"), std::string::npos) << huge.error().message;
}

TEST(FlowchartSvgTest, EveryKindHasItsOwnStyle) {
  std::set<std::string> fills;
  for (BoxKind kind : {BoxKind::Decision, BoxKind::Action, BoxKind::Call, BoxKind::Wait, BoxKind::Result, BoxKind::Fail}) {
    fills.insert(styleOf(kind).fill);
  }
  EXPECT_EQ(fills.size(), 6U);
}

} // namespace
