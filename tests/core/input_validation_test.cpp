// Run inputs against their declarations: each type, enum, min/max, defaults, null as
// absent, integral numbers normalised, and every problem named "/inputs/<name>" at once.
#include "opflow/model/InputValidation.h"

#include <gtest/gtest.h>

namespace {

using namespace opflow;
using namespace opflow::model;

InputSpec spec(const std::string& name, InputType type) { return InputSpec{.name = name, .type = type}; }

std::string listed(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    text += "\n  " + problem.pointer + ": " + problem.message;
  }
  return text;
}

TEST(InputValidationTest, EachTypeAcceptsItsValuesOnly) {
  struct Row {
    InputType type;
    Json value;
    std::optional<std::string> problem;
  };
  const std::vector<Row> rows = {
      {InputType::String, "x", std::nullopt},
      {InputType::String, "", std::nullopt},
      {InputType::String, 1, "must be a string, not 1"},
      {InputType::String, nullptr, "must be a string, not null"},
      {InputType::Integer, 3, std::nullopt},
      {InputType::Integer, -3, std::nullopt},
      {InputType::Integer, 3.0, std::nullopt},
      {InputType::Integer, 3.5, "must be an integer, not 3.5"},
      {InputType::Integer, "3", R"(must be an integer, not "3")"},
      {InputType::Integer, true, "must be an integer, not true"},
      {InputType::Number, 2.5, std::nullopt},
      {InputType::Number, 2, std::nullopt},
      {InputType::Number, "2", R"(must be a number, not "2")"},
      {InputType::Boolean, false, std::nullopt},
      {InputType::Boolean, "true", R"(must be a boolean, not "true")"},
      {InputType::Boolean, 0, "must be a boolean, not 0"},
      {InputType::Object, Json::object(), std::nullopt},
      {InputType::Object, Json{{"name", "plan.dwg"}}, std::nullopt},
      {InputType::Object, Json::array(), "must be an object, not []"},
      {InputType::Array, Json::array({1, "a"}), std::nullopt},
      {InputType::Array, Json::object(), "must be an array, not {}"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(toString(row.type)) + " " + row.value.dump());
    EXPECT_EQ(checkInputValue(spec("v", row.type), row.value), row.problem);
  }
}

TEST(InputValidationTest, EnumAndBoundsAreChecked) {
  InputSpec ext = spec("ext", InputType::String);
  ext.allowed = {"pdf", "dwg"};
  InputSpec qty = spec("qty", InputType::Integer);
  qty.min = 1;
  qty.max = 10;
  InputSpec ratio = spec("ratio", InputType::Number);
  ratio.min = 0.5;
  ratio.max = 1.5;
  InputSpec size = spec("size", InputType::Integer);
  size.allowed = {1, 2};

  struct Row {
    const InputSpec& spec;
    Json value;
    std::optional<std::string> problem;
  };
  const std::vector<Row> rows = {
      {ext, "pdf", std::nullopt},
      {ext, "doc", R"(must be one of "pdf", "dwg", not "doc")"},
      {ext, 1, "must be a string, not 1"},
      {qty, 1, std::nullopt},
      {qty, 10, std::nullopt},
      {qty, 0, "must be at least 1, not 0"},
      {qty, 11, "must be at most 10, not 11"},
      {ratio, 0.5, std::nullopt},
      {ratio, 0.25, "must be at least 0.5, not 0.25"},
      {ratio, 2, "must be at most 1.5, not 2"},
      {size, 2.0, std::nullopt},
      {size, 3, "must be one of 1, 2, not 3"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.spec.name + " " + row.value.dump());
    EXPECT_EQ(checkInputValue(row.spec, row.value), row.problem);
  }
}

class ResolveInputsTest : public ::testing::Test {
protected:
  void SetUp() override {
    InputSpec name = spec("name", InputType::String);
    name.required = true;
    InputSpec qty = spec("qty", InputType::Integer);
    qty.defaultValue = 1;
    qty.min = 1;
    InputSpec ext = spec("ext", InputType::String);
    ext.defaultValue = "pdf";
    ext.allowed = {"pdf", "dwg"};
    m_specs = {name, qty, ext, spec("note", InputType::String)};
  }

  std::vector<InputSpec> m_specs;
};

TEST_F(ResolveInputsTest, DefaultsAreAppliedAndAbsentOptionalsStayAbsent) {
  auto resolved = resolveInputs(m_specs, {{"name", "plan"}});
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved.value(), (Json{{"name", "plan"}, {"qty", 1}, {"ext", "pdf"}}));
}

TEST_F(ResolveInputsTest, GivenValuesWinOverDefaults) {
  auto resolved = resolveInputs(m_specs, {{"name", "plan"}, {"qty", 4}, {"ext", "dwg"}, {"note", "rush"}});
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved.value(), (Json{{"name", "plan"}, {"qty", 4}, {"ext", "dwg"}, {"note", "rush"}}));
}

TEST_F(ResolveInputsTest, NullIsTreatedAsAbsent) {
  auto resolved = resolveInputs(m_specs, {{"name", "plan"}, {"qty", nullptr}, {"note", nullptr}});
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved.value(), (Json{{"name", "plan"}, {"qty", 1}, {"ext", "pdf"}}));

  auto missing = resolveInputs(m_specs, {{"name", nullptr}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().problems, (std::vector<Problem>{{"/inputs/name", "is required (string)"}}));
}

TEST_F(ResolveInputsTest, IntegralNumbersAreNormalisedToIntegers) {
  auto resolved = resolveInputs(m_specs, {{"name", "plan"}, {"qty", 3.0}});
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_TRUE(resolved.value()["qty"].is_number_integer());
  EXPECT_EQ(resolved.value()["qty"].dump(), "3");

  auto fractional = resolveInputs(m_specs, {{"name", "plan"}, {"qty", 3.5}});
  ASSERT_FALSE(fractional.ok());
  EXPECT_EQ(fractional.error().problems, (std::vector<Problem>{{"/inputs/qty", "must be an integer, not 3.5"}}));
}

TEST_F(ResolveInputsTest, AnIntegralDefaultIsNormalisedToo) {
  InputSpec count = spec("count", InputType::Integer);
  count.defaultValue = 2.0;
  auto resolved = resolveInputs({count}, Json::object());
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved.value()["count"].dump(), "2");
}

TEST_F(ResolveInputsTest, EveryProblemIsListed) {
  auto resolved = resolveInputs(m_specs, {{"qty", 0}, {"ext", "doc"}, {"note", 5}, {"colour", "red"}, {"a/b", 1}});
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, ErrorCode::InvalidInputs);
  EXPECT_EQ(resolved.error().message, "6 input problem(s)");
  EXPECT_EQ(resolved.error().problems,
            (std::vector<Problem>{
                {"/inputs/name", "is required (string)"},
                {"/inputs/qty", "must be at least 1, not 0"},
                {"/inputs/ext", R"(must be one of "pdf", "dwg", not "doc")"},
                {"/inputs/note", "must be a string, not 5"},
                {"/inputs/a~1b", "is not an input of this operation"},
                {"/inputs/colour", "is not an input of this operation"},
            }))
      << listed(resolved.error().problems);
}

TEST_F(ResolveInputsTest, InputsThatAreNotAnObjectAreRefused) {
  for (const Json& given : {Json::array(), Json("plan"), Json()}) {
    SCOPED_TRACE(given.dump());
    auto resolved = resolveInputs(m_specs, given);
    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().code, ErrorCode::InvalidInputs);
    EXPECT_EQ(resolved.error().problems, (std::vector<Problem>{{"/inputs", "must be an object, not " + given.dump()}}));
  }
}

TEST(ResolveInputsNoSpecsTest, AnOperationWithoutInputsTakesAnEmptyObject) {
  auto resolved = resolveInputs({}, Json::object());
  ASSERT_TRUE(resolved.ok()) << resolved.error().describe();
  EXPECT_EQ(resolved.value(), Json::object());
}

} // namespace
