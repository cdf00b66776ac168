// Tests of the JsonLogic engine (opflow::logic::Expression, truthy, describe).
// Table-driven: each operator group is a list of {rule, data, expected} rows run through
// one parameterised test. Results are compared by their JSON text so the number type
// matters: an integer result "5" does not pass for an expected "5.0", or vice versa.
#include "opflow/logic/Expression.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string_view>
#include <vector>

namespace opflow::logic {
namespace {

// ---------------------------------------------------------------------------------------
// evaluate()

struct EvalCase {
  std::string_view rule;
  std::string_view data;
  std::string_view expected;
};

void PrintTo(const EvalCase& row, std::ostream* os) {
  *os << row.rule << " with data " << row.data << " -> " << row.expected;
}

class ExpressionEvalTest : public ::testing::TestWithParam<EvalCase> {};

TEST_P(ExpressionEvalTest, Evaluates) {
  const EvalCase& row = GetParam();
  const Result<Expression> compiled = Expression::compile(Json::parse(row.rule));
  ASSERT_TRUE(compiled.ok()) << compiled.error().describe();
  const Json result = compiled->evaluate(Json::parse(row.data));
  EXPECT_EQ(result.dump(), Json::parse(row.expected).dump());
}

const std::vector<EvalCase> kLiteralRows{
    {R"(1)", R"({})", R"(1)"},
    {R"("text")", R"({})", R"("text")"},
    {R"(null)", R"({})", R"(null)"},
    {R"(true)", R"({})", R"(true)"},
    {R"(2.5)", R"({})", R"(2.5)"},
    {R"([])", R"({})", R"([])"},
    {R"(["a", 1, null])", R"({})", R"(["a", 1, null])"},
    {R"([1, {"var": "a"}])", R"({"a": 2})", R"([1, 2])"},
    {R"([[{"var": "a"}], "x"])", R"({"a": 2})", R"([[2], "x"])"},
};
INSTANTIATE_TEST_SUITE_P(Literal, ExpressionEvalTest, ::testing::ValuesIn(kLiteralRows));

const std::vector<EvalCase> kVarRows{
    {R"({"var": "a"})", R"({"a": 1})", R"(1)"},
    {R"({"var": ["a"]})", R"({"a": 1})", R"(1)"},
    {R"({"var": "a.b"})", R"({"a": {"b": "x"}})", R"("x")"},
    {R"({"var": "a.b.0"})", R"({"a": {"b": [7, 8]}})", R"(7)"},
    {R"({"var": "a.1.c"})", R"({"a": [{"c": 1}, {"c": 2}]})", R"(2)"},
    {R"({"var": 1})", R"([10, 20, 30])", R"(20)"},
    {R"({"var": "1"})", R"([10, 20, 30])", R"(20)"},
    {R"({"var": "0"})", R"({"0": "zero"})", R"("zero")"},
    {R"({"var": 1.5})", R"({"1": {"5": "x"}})", R"("x")"},
    {R"({"var": "x"})", R"({})", R"(null)"},
    {R"({"var": ["x", 5]})", R"({})", R"(5)"},
    {R"({"var": ["a.b", "none"]})", R"({"a": {}})", R"("none")"},
    {R"({"var": ["a.b", "none"]})", R"({"a": 5})", R"("none")"},
    {R"({"var": ["a.b", "none"]})", R"({"a": null})", R"("none")"},
    {R"({"var": ["a", "none"]})", R"({"a": null})", R"(null)"},
    {R"({"var": ["a", "none"]})", R"({"a": false})", R"(false)"},
    {R"({"var": ["x", {"+": [1, 2]}]})", R"({})", R"(3)"},
    {R"({"var": ""})", R"({"a": 1})", R"({"a": 1})"},
    {R"({"var": []})", R"([1, 2])", R"([1, 2])"},
    {R"({"var": null})", R"(5)", R"(5)"},
    {R"({"var": "a.5"})", R"({"a": [1]})", R"(null)"},
    {R"({"var": "a.01"})", R"({"a": [1, 2]})", R"(null)"},
    {R"({"var": "a.-1"})", R"({"a": [1, 2]})", R"(null)"},
    {R"({"var": "s.0"})", R"({"s": "abc"})", R"(null)"},
    {R"({"var": "a..b"})", R"({"a": {"": {"b": 1}}})", R"(1)"},
    {R"({"var": "a"})", R"({"a": [1, {"b": 2}]})", R"([1, {"b": 2}])"},
    {R"({"var": "a"})", R"(7)", R"(null)"},
    {R"({"var": {"cat": ["a", ".b"]}})", R"({"a": {"b": 3}})", R"(3)"},
    {R"({"var": [{"var": "key"}, "none"]})", R"({"key": "v", "v": 9})", R"(9)"},
};
INSTANTIATE_TEST_SUITE_P(Var, ExpressionEvalTest, ::testing::ValuesIn(kVarRows));

const std::vector<EvalCase> kMissingRows{
    {R"({"missing": ["a", "b"]})", R"({"a": 1})", R"(["b"])"},
    {R"({"missing": ["a", "b"]})", R"({"a": 1, "b": 2})", R"([])"},
    {R"({"missing": [["a", "b"]]})", R"({})", R"(["a", "b"])"},
    {R"({"missing": "a"})", R"({})", R"(["a"])"},
    {R"({"missing": ["a.b"]})", R"({"a": {"b": 0}})", R"([])"},
    {R"({"missing": ["a.b"]})", R"({"a": {"c": 0}})", R"(["a.b"])"},
    {R"({"missing": ["a", "b"]})", R"({"a": null, "b": ""})", R"(["a", "b"])"},
    {R"({"missing": ["a"]})", R"({"a": false})", R"([])"},
    {R"({"missing": []})", R"({})", R"([])"},
    {R"({"missing": [0, 1]})", R"([5])", R"([1])"},
    {R"({"missing": {"merge": ["a", ["b", "c"]]}})", R"({"b": 1})", R"(["a", "c"])"},
    {R"({"missing": ["a", {"cat": ["b"]}]})", R"({"a": 1})", R"(["b"])"},
    {R"({"missing_some": [1, ["a", "b", "c"]]})", R"({"a": 1})", R"([])"},
    {R"({"missing_some": [2, ["a", "b", "c"]]})", R"({"a": 1})", R"(["b", "c"])"},
    {R"({"missing_some": [2, ["a", "b", "c"]]})", R"({"a": 1, "c": 3})", R"([])"},
    {R"({"missing_some": [0, ["a"]]})", R"({})", R"([])"},
    {R"({"missing_some": [1, "a"]})", R"({})", R"(["a"])"},
    {R"({"missing_some": ["1", ["a", "b"]]})", R"({"a": 1})", R"([])"},
    {R"({"missing_some": [1, {"merge": [["a"], ["b"]]}]})", R"({})", R"(["a", "b"])"},
    {R"({"missing_some": [1, {"merge": [["a"], ["b"]]}]})", R"({"b": 1})", R"([])"},
};
INSTANTIATE_TEST_SUITE_P(Missing, ExpressionEvalTest, ::testing::ValuesIn(kMissingRows));

const std::vector<EvalCase> kEqualityRows{
    {R"({"==": [1, 1]})", R"({})", R"(true)"},
    {R"({"==": [1, 1.0]})", R"({})", R"(true)"},
    {R"({"==": ["1", 1]})", R"({})", R"(true)"},
    {R"({"==": [1, "1"]})", R"({})", R"(true)"},
    {R"({"==": ["1.0", 1]})", R"({})", R"(true)"},
    {R"({"==": [" 2 ", 2]})", R"({})", R"(true)"},
    {R"({"==": ["abc", "abc"]})", R"({})", R"(true)"},
    {R"({"==": ["a", "b"]})", R"({})", R"(false)"},
    {R"({"==": ["abc", 0]})", R"({})", R"(false)"},
    {R"({"==": [null, null]})", R"({})", R"(true)"},
    {R"({"==": [null, 0]})", R"({})", R"(false)"},
    {R"({"==": [null, ""]})", R"({})", R"(false)"},
    {R"({"==": [null, false]})", R"({})", R"(false)"},
    {R"({"==": [0, false]})", R"({})", R"(true)"},
    {R"({"==": [1, true]})", R"({})", R"(true)"},
    {R"({"==": [2, true]})", R"({})", R"(false)"},
    {R"({"==": ["1", true]})", R"({})", R"(true)"},
    {R"({"==": ["", 0]})", R"({})", R"(true)"},
    {R"({"==": ["", false]})", R"({})", R"(true)"},
    {R"({"==": ["0", false]})", R"({})", R"(true)"},
    {R"({"==": [[1], 1]})", R"({})", R"(true)"},
    {R"({"==": [[1, 2], "1,2"]})", R"({})", R"(true)"},
    {R"({"==": [[], ""]})", R"({})", R"(true)"},
    {R"({"==": [[1, 2], [1, 2]]})", R"({})", R"(true)"},
    {R"({"==": [{"var": "a"}, {"var": "b"}]})", R"({"a": {"x": [1]}, "b": {"x": [1]}})", R"(true)"},
    {R"({"==": [{"var": "a"}, "x"]})", R"({"a": "x"})", R"(true)"},
    {R"({"==": [{"var": "a"}, null]})", R"({})", R"(true)"},
    {R"({"==": [18446744073709551615, 18446744073709551615]})", R"({})", R"(true)"},
    {R"({"==": [18446744073709551615, 18446744073709551614]})", R"({})", R"(false)"},
    {R"({"==": [-1, 18446744073709551615]})", R"({})", R"(false)"},
    {R"({"!=": [1, 2]})", R"({})", R"(true)"},
    {R"({"!=": ["1", 1]})", R"({})", R"(false)"},
    {R"({"!=": [null, 0]})", R"({})", R"(true)"},
    {R"({"===": [1, 1]})", R"({})", R"(true)"},
    {R"({"===": [1, 1.0]})", R"({})", R"(true)"},
    {R"({"===": ["1", 1]})", R"({})", R"(false)"},
    {R"({"===": [0, false]})", R"({})", R"(false)"},
    {R"({"===": [null, null]})", R"({})", R"(true)"},
    {R"({"===": [[1, "a"], [1, "a"]]})", R"({})", R"(true)"},
    {R"({"===": [[1], ["1"]]})", R"({})", R"(false)"},
    {R"({"===": [{"var": "a"}, {"var": "b"}]})", R"({"a": "x", "b": "x"})", R"(true)"},
    {R"({"!==": ["1", 1]})", R"({})", R"(true)"},
    {R"({"!==": [1, 1]})", R"({})", R"(false)"},
};
INSTANTIATE_TEST_SUITE_P(Equality, ExpressionEvalTest, ::testing::ValuesIn(kEqualityRows));

const std::vector<EvalCase> kComparisonRows{
    {R"({"<": [1, 2]})", R"({})", R"(true)"},
    {R"({"<": [2, 1]})", R"({})", R"(false)"},
    {R"({"<": [1, 1]})", R"({})", R"(false)"},
    {R"({"<=": [1, 1]})", R"({})", R"(true)"},
    {R"({"<=": [2, 1]})", R"({})", R"(false)"},
    {R"({">": [2, 1]})", R"({})", R"(true)"},
    {R"({">": [1, 1]})", R"({})", R"(false)"},
    {R"({">=": [1, 1]})", R"({})", R"(true)"},
    {R"({">=": [0, 1]})", R"({})", R"(false)"},
    {R"({"<": ["1", 2]})", R"({})", R"(true)"},
    {R"({"<": ["10", 9]})", R"({})", R"(false)"},
    {R"({"<": ["10", "9"]})", R"({})", R"(true)"},
    {R"({">": ["b", "a"]})", R"({})", R"(true)"},
    {R"({"<": ["2024-01-31", "2024-02-01"]})", R"({})", R"(true)"},
    {R"({"<": [null, 1]})", R"({})", R"(true)"},
    {R"({">=": [null, 0]})", R"({})", R"(true)"},
    {R"({"<": ["abc", 1]})", R"({})", R"(false)"},
    {R"({">=": ["abc", 1]})", R"({})", R"(false)"},
    {R"({">": [true, 0]})", R"({})", R"(true)"},
    {R"({"<": [1.5, 2]})", R"({})", R"(true)"},
    {R"({"<": [-1, 0]})", R"({})", R"(true)"},
    {R"({"<": [[2], 3]})", R"({})", R"(true)"},
    {R"({">": [18446744073709551615, 9223372036854775807]})", R"({})", R"(true)"},
    {R"({"<": [-9223372036854775807, 18446744073709551615]})", R"({})", R"(true)"},
    {R"({"<": [{"var": "i"}, 10]})", R"({"i": 9})", R"(true)"},
    {R"({"<": [{"var": "i"}, 10]})", R"({"i": 10})", R"(false)"},
    {R"({"<": [{"var": "i"}, 10]})", R"({"i": 9.99})", R"(true)"},
    {R"({"<": [{"var": "i"}, 10]})", R"({})", R"(true)"},
    {R"({"<": [1, 2, 3]})", R"({})", R"(true)"},
    {R"({"<": [1, 1, 3]})", R"({})", R"(false)"},
    {R"({"<": [1, 3, 3]})", R"({})", R"(false)"},
    {R"({"<": [1, 4, 3]})", R"({})", R"(false)"},
    {R"({"<=": [1, 1, 3]})", R"({})", R"(true)"},
    {R"({"<=": [1, 3, 3]})", R"({})", R"(true)"},
    {R"({"<=": [1, 4, 3]})", R"({})", R"(false)"},
    {R"({"<=": [1, 0, 3]})", R"({})", R"(false)"},
    {R"({"<": [0, {"var": "x"}, 10]})", R"({"x": "5"})", R"(true)"},
};
INSTANTIATE_TEST_SUITE_P(Comparison, ExpressionEvalTest, ::testing::ValuesIn(kComparisonRows));

const std::vector<EvalCase> kLogicRows{
    {R"({"and": [true, true]})", R"({})", R"(true)"},
    {R"({"and": [true, false]})", R"({})", R"(false)"},
    {R"({"and": [1, "a"]})", R"({})", R"("a")"},
    {R"({"and": [0, "a"]})", R"({})", R"(0)"},
    {R"({"and": ["", {"var": "x"}]})", R"({"x": 1})", R"("")"},
    {R"({"and": [[], false]})", R"({})", R"([])"},
    {R"({"and": [true]})", R"({})", R"(true)"},
    {R"({"and": []})", R"({})", R"(null)"},
    {R"({"and": [{"var": "rush"}, {">": [{"var": "qty"}, 10]}]})", R"({"rush": true, "qty": 11})", R"(true)"},
    {R"({"or": [false, 0, "a"]})", R"({})", R"("a")"},
    {R"({"or": [false, 0]})", R"({})", R"(0)"},
    {R"({"or": [0, false]})", R"({})", R"(false)"},
    {R"({"or": [null, [], "x", "y"]})", R"({})", R"("x")"},
    {R"({"or": [{"var": "a"}, "default"]})", R"({})", R"("default")"},
    {R"({"or": [{"var": "a"}, "default"]})", R"({"a": "set"})", R"("set")"},
    {R"({"or": []})", R"({})", R"(null)"},
    {R"({"!": [true]})", R"({})", R"(false)"},
    {R"({"!": false})", R"({})", R"(true)"},
    {R"({"!": [[]]})", R"({})", R"(true)"},
    {R"({"!": [0]})", R"({})", R"(true)"},
    {R"({"!": ["0"]})", R"({})", R"(false)"},
    {R"({"!": {"var": "x"}})", R"({})", R"(true)"},
    {R"({"!!": [["a"]]})", R"({})", R"(true)"},
    {R"({"!!": [""]})", R"({})", R"(false)"},
    {R"({"!!": {"var": "a"}})", R"({"a": [0]})", R"(true)"},
    {R"({"if": [true, "y", "n"]})", R"({})", R"("y")"},
    {R"({"if": [false, "y", "n"]})", R"({})", R"("n")"},
    {R"({"if": [[], "y", "n"]})", R"({})", R"("n")"},
    {R"({"if": [false, "y"]})", R"({})", R"(null)"},
    {R"({"if": []})", R"({})", R"(null)"},
    {R"({"if": ["only"]})", R"({})", R"("only")"},
    {R"({"if": [false, 1, true, 2, 3]})", R"({})", R"(2)"},
    {R"({"if": [false, 1, false, 2, 3]})", R"({})", R"(3)"},
    {R"({"if": [false, 1, false, 2]})", R"({})", R"(null)"},
    {R"({"?:": [{"var": "vip"}, "gold", "standard"]})", R"({"vip": 1})", R"("gold")"},
    {R"({"if": [{"<": [{"var": "t"}, 0]}, "ice", {"<": [{"var": "t"}, 100]}, "water", "steam"]})", R"({"t": 50})",
     R"("water")"},
    {R"({"if": [{"<": [{"var": "t"}, 0]}, "ice", {"<": [{"var": "t"}, 100]}, "water", "steam"]})", R"({"t": 150})",
     R"("steam")"},
};
INSTANTIATE_TEST_SUITE_P(Logic, ExpressionEvalTest, ::testing::ValuesIn(kLogicRows));

const std::vector<EvalCase> kArithmeticRows{
    {R"({"+": [2, 3]})", R"({})", R"(5)"},
    {R"({"+": [2, 3.5]})", R"({})", R"(5.5)"},
    {R"({"+": [1.5, 1.5]})", R"({})", R"(3.0)"},
    {R"({"+": ["2", 3]})", R"({})", R"(5)"},
    {R"({"+": ["2.5", "1"]})", R"({})", R"(3.5)"},
    {R"({"+": [1, 2, 3, 4]})", R"({})", R"(10)"},
    {R"({"+": []})", R"({})", R"(0)"},
    {R"({"+": "3.14"})", R"({})", R"(3.14)"},
    {R"({"+": "5"})", R"({})", R"(5)"},
    {R"({"+": ["1e3"]})", R"({})", R"(1000.0)"},
    {R"({"+": ["0x10"]})", R"({})", R"(16)"},
    {R"({"+": [null, 1]})", R"({})", R"(1)"},
    {R"({"+": [true, 1]})", R"({})", R"(2)"},
    {R"({"+": ["abc", 1]})", R"({})", R"(null)"},
    {R"({"+": ["12px", 1]})", R"({})", R"(null)"},
    {R"({"+": [{"var": "a"}, 1]})", R"({"a": 5})", R"(6)"},
    {R"({"+": [9223372036854775807, 1]})", R"({})", R"(9.223372036854776e18)"},
    {R"({"-": [5, 3]})", R"({})", R"(2)"},
    {R"({"-": [3, 5]})", R"({})", R"(-2)"},
    {R"({"-": 2})", R"({})", R"(-2)"},
    {R"({"-": "-2"})", R"({})", R"(2)"},
    {R"({"-": ["5", "2"]})", R"({})", R"(3)"},
    {R"({"-": [5.5, 0.5]})", R"({})", R"(5.0)"},
    {R"({"-": ["x", 1]})", R"({})", R"(null)"},
    {R"({"*": [2, 3]})", R"({})", R"(6)"},
    {R"({"*": [2, 3, 4]})", R"({})", R"(24)"},
    {R"({"*": ["2", 2.5]})", R"({})", R"(5.0)"},
    {R"({"*": [2]})", R"({})", R"(2)"},
    {R"({"*": ["a", 2]})", R"({})", R"(null)"},
    {R"({"/": [6, 3]})", R"({})", R"(2)"},
    {R"({"/": [7, 2]})", R"({})", R"(3.5)"},
    {R"({"/": [-7, 2]})", R"({})", R"(-3.5)"},
    {R"({"/": [6.0, 3]})", R"({})", R"(2.0)"},
    {R"({"/": ["6", "3"]})", R"({})", R"(2)"},
    {R"({"/": [0, 5]})", R"({})", R"(0)"},
    {R"({"/": [1, 0]})", R"({})", R"(null)"},
    {R"({"/": [1, 0.0]})", R"({})", R"(null)"},
    {R"({"/": [1, "0"]})", R"({})", R"(null)"},
    {R"({"/": [1, null]})", R"({})", R"(null)"},
    {R"({"%": [7, 3]})", R"({})", R"(1)"},
    {R"({"%": [-7, 3]})", R"({})", R"(-1)"},
    {R"({"%": [7, -3]})", R"({})", R"(1)"},
    {R"({"%": [7.5, 2]})", R"({})", R"(1.5)"},
    {R"({"%": ["7", "3"]})", R"({})", R"(1)"},
    {R"({"%": [7, 0]})", R"({})", R"(null)"},
    {R"({"%": [-9223372036854775808, -1]})", R"({})", R"(0)"},
    {R"({"min": [1, 2, 3]})", R"({})", R"(1)"},
    {R"({"max": [1, 2, 3]})", R"({})", R"(3)"},
    {R"({"max": [1, 2.5]})", R"({})", R"(2.5)"},
    {R"({"max": ["3", 2]})", R"({})", R"(3)"},
    {R"({"min": [null, 5]})", R"({})", R"(0)"},
    {R"({"min": [1, "x"]})", R"({})", R"(null)"},
    {R"({"min": []})", R"({})", R"(null)"},
    {R"({"max": []})", R"({})", R"(null)"},
};
INSTANTIATE_TEST_SUITE_P(Arithmetic, ExpressionEvalTest, ::testing::ValuesIn(kArithmeticRows));

const std::vector<EvalCase> kStringRows{
    {R"({"cat": ["a", "b"]})", R"({})", R"("ab")"},
    {R"({"cat": ["n=", 1]})", R"({})", R"("n=1")"},
    {R"({"cat": [1.5, "|", -0.5]})", R"({})", R"("1.5|-0.5")"},
    {R"({"cat": [true, null, false]})", R"({})", R"("truenullfalse")"},
    {R"({"cat": [{"+": [2, 3]}]})", R"({})", R"("5")"},
    {R"({"cat": [{"*": [1.5, 2]}]})", R"({})", R"("3")"},
    {R"({"cat": [1e21, " ", 1e20]})", R"({})", R"("1e+21 100000000000000000000")"},
    {R"({"cat": [0.000001, " ", 1e-7]})", R"({})", R"("0.000001 1e-7")"},
    {R"({"cat": [123456789012, " ", 18446744073709551615]})", R"({})", R"("123456789012 18446744073709551615")"},
    {R"({"cat": [0.1, " ", 1.25e-10]})", R"({})", R"("0.1 1.25e-10")"},
    {R"({"cat": [[1, [2, null]]]})", R"({})", R"("1,2,")"},
    {R"({"cat": [{"var": "o"}]})", R"({"o": {"a": 1}})", R"("[object Object]")"},
    {R"({"cat": []})", R"({})", R"("")"},
    {R"({"cat": "x"})", R"({})", R"("x")"},
    {R"({"cat": ["Hello, ", {"var": "name"}, "!"]})", R"({"name": "Ada"})", R"("Hello, Ada!")"},
    {R"({"substr": ["jsonlogic", 4]})", R"({})", R"("logic")"},
    {R"({"substr": ["jsonlogic", -5]})", R"({})", R"("logic")"},
    {R"({"substr": ["jsonlogic", 1, 3]})", R"({})", R"("son")"},
    {R"({"substr": ["jsonlogic", 4, -2]})", R"({})", R"("log")"},
    {R"({"substr": ["jsonlogic", -5, -2]})", R"({})", R"("log")"},
    {R"({"substr": ["jsonlogic", 0, 0]})", R"({})", R"("")"},
    {R"({"substr": ["jsonlogic", 20]})", R"({})", R"("")"},
    {R"({"substr": ["jsonlogic", -20, 4]})", R"({})", R"("json")"},
    {R"({"substr": ["abc", 1, -5]})", R"({})", R"("")"},
    {R"({"substr": ["jsonlogic", "2", "2"]})", R"({})", R"("on")"},
    {R"({"substr": [12345, 1, 2]})", R"({})", R"("23")"},
    {R"({"substr": ["h\u00e9llo", 1, 3]})", R"({})", R"("\u00e9ll")"},
    {R"({"in": ["Spring", "Springfield"]})", R"({})", R"(true)"},
    {R"({"in": ["x", "abc"]})", R"({})", R"(false)"},
    {R"({"in": ["", "abc"]})", R"({})", R"(true)"},
    {R"({"in": ["", ""]})", R"({})", R"(false)"},
    {R"({"in": [1, "a1"]})", R"({})", R"(true)"},
    {R"({"in": ["b", ["a", "b"]]})", R"({})", R"(true)"},
    {R"({"in": ["c", ["a", "b"]]})", R"({})", R"(false)"},
    {R"({"in": [1, ["1"]]})", R"({})", R"(false)"},
    {R"({"in": [1, [1.0]]})", R"({})", R"(true)"},
    {R"({"in": [[1], [[1], [2]]]})", R"({})", R"(true)"},
    {R"({"in": ["a", null]})", R"({})", R"(false)"},
    {R"({"in": ["a", {"var": "o"}]})", R"({"o": {"a": 1}})", R"(false)"},
    {R"({"in": ["pdf", {"var": "ext"}]})", R"({"ext": ["doc", "pdf"]})", R"(true)"},
    {R"({"merge": []})", R"({})", R"([])"},
    {R"({"merge": [[1, 2], [3]]})", R"({})", R"([1, 2, 3])"},
    {R"({"merge": [1, [2, [3]]]})", R"({})", R"([1, 2, [3]])"},
    {R"({"merge": [{"var": "a"}, "x"]})", R"({"a": [1]})", R"([1, "x"])"},
    {R"({"merge": "x"})", R"({})", R"(["x"])"},
};
INSTANTIATE_TEST_SUITE_P(Strings, ExpressionEvalTest, ::testing::ValuesIn(kStringRows));

// ---------------------------------------------------------------------------------------
// compile() errors

struct CompileErrorCase {
  std::string_view rule;
  std::string prefix;
  std::vector<Problem> problems;
};

void PrintTo(const CompileErrorCase& row, std::ostream* os) { *os << row.rule << " prefix \"" << row.prefix << '"'; }

class ExpressionCompileErrorTest : public ::testing::TestWithParam<CompileErrorCase> {};

TEST_P(ExpressionCompileErrorTest, ReportsEveryProblem) {
  const CompileErrorCase& row = GetParam();
  const Result<Expression> compiled = Expression::compile(Json::parse(row.rule), row.prefix);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().code, ErrorCode::InvalidDefinition);
  EXPECT_EQ(compiled.error().problems, row.problems);
}

const std::vector<CompileErrorCase> kCompileErrorRows{
    {R"({"frobnicate": 1})", "", {{"/frobnicate", R"(unknown operator "frobnicate")"}}},
    {R"({"and": [true, {"foo": [1]}]})", "", {{"/and/1/foo", R"(unknown operator "foo")"}}},
    {R"({"foo": 1})", "/nodes/check/condition", {{"/nodes/check/condition/foo", R"(unknown operator "foo")"}}},
    {R"({"or": [{"a": 1}, {"b": {"c": 2}}]})",
     "",
     {{"/or/0/a", R"(unknown operator "a")"},
      {"/or/1/b", R"(unknown operator "b")"},
      {"/or/1/b/c", R"(unknown operator "c")"}}},
    {R"({"a/b~c": 1})", "", {{"/a~1b~0c", R"(unknown operator "a/b~c")"}}},
    {R"({"filter": [[1], true]})", "/x", {{"/x/filter", R"(unknown operator "filter")"}}},
    {R"([1, {"x": 1}])", "", {{"/1/x", R"(unknown operator "x")"}}},
    {R"({})", "", {{"", "an operation object must have exactly one key"}}},
    {R"({"a": 1, "b": 2})", "/when", {{"/when", "an operation object must have exactly one key"}}},
    {R"({"!": [{"a": 1, "b": 2}]})", "", {{"/!/0", "an operation object must have exactly one key"}}},
    {R"({"!": {}})", "", {{"/!", "an operation object must have exactly one key"}}},
    {R"({"<": [1]})", "", {{"/<", R"(operator "<" takes 2 or 3 arguments, got 1)"}}},
    {R"({"<=": [1, 2, 3, 4]})", "", {{"/<=", R"(operator "<=" takes 2 or 3 arguments, got 4)"}}},
    {R"({">": [1, 2, 3]})", "", {{"/>", R"(operator ">" takes 2 arguments, got 3)"}}},
    {R"({"!": [1, 2]})", "", {{"/!", R"(operator "!" takes 1 argument, got 2)"}}},
    {R"({"!": []})", "", {{"/!", R"(operator "!" takes 1 argument, got 0)"}}},
    {R"({"substr": ["a"]})", "", {{"/substr", R"(operator "substr" takes 2 or 3 arguments, got 1)"}}},
    {R"({"var": ["a", "b", "c"]})", "", {{"/var", R"(operator "var" takes at most 2 arguments, got 3)"}}},
    {R"({"*": []})", "", {{"/*", R"(operator "*" takes at least 1 argument, got 0)"}}},
    {R"({"==": [1, 2, 3]})", "", {{"/==", R"(operator "==" takes 2 arguments, got 3)"}}},
    {R"({"-": [1, 2, 3]})", "", {{"/-", R"(operator "-" takes 1 or 2 arguments, got 3)"}}},
    {R"({"missing_some": [1]})", "", {{"/missing_some", R"(operator "missing_some" takes 2 arguments, got 1)"}}},
    {R"({"if": [{"bogus": 1}, {">": [1]}, {}]})",
     "/n",
     {{"/n/if/0/bogus", R"(unknown operator "bogus")"},
      {"/n/if/1/>", R"(operator ">" takes 2 arguments, got 1)"},
      {"/n/if/2", "an operation object must have exactly one key"}}},
};
INSTANTIATE_TEST_SUITE_P(Errors, ExpressionCompileErrorTest, ::testing::ValuesIn(kCompileErrorRows));

// ---------------------------------------------------------------------------------------
// truthy() and test()

struct TruthyCase {
  std::string_view value;
  bool expected;
};

void PrintTo(const TruthyCase& row, std::ostream* os) { *os << row.value << " -> " << row.expected; }

class TruthyTest : public ::testing::TestWithParam<TruthyCase> {};

TEST_P(TruthyTest, FollowsJsonLogic) {
  const TruthyCase& row = GetParam();
  const Json value = Json::parse(row.value);
  EXPECT_EQ(truthy(value), row.expected);
  const Result<Expression> compiled = Expression::compile(Json{{"var", "v"}});
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->test(Json{{"v", value}}), row.expected);
}

const std::vector<TruthyCase> kTruthyRows{
    {"false", false}, {"null", false}, {"0", false},   {"0.0", false},  {"-0.0", false},   {"\"\"", false},
    {"[]", false},    {"true", true},  {"1", true},    {"-1", true},    {"0.5", true},     {"\"0\"", true},
    {"\"a\"", true},  {"[0]", true},   {"[[]]", true}, {"{}", true},    {"{\"a\": 1}", true},
    {"18446744073709551615", true},
};
INSTANTIATE_TEST_SUITE_P(Values, TruthyTest, ::testing::ValuesIn(kTruthyRows));

// ---------------------------------------------------------------------------------------
// describe()

struct DescribeCase {
  std::string_view rule;
  std::string_view expected;
};

void PrintTo(const DescribeCase& row, std::ostream* os) { *os << row.rule << " -> " << row.expected; }

class DescribeTest : public ::testing::TestWithParam<DescribeCase> {};

TEST_P(DescribeTest, ReadsLikeALabel) {
  const DescribeCase& row = GetParam();
  EXPECT_EQ(describe(Json::parse(row.rule)), row.expected);
}

const std::vector<DescribeCase> kDescribeRows{
    {R"({"<": [{"var": "amount"}, 100]})", "amount < 100"},
    {R"({"<=": [10, {"var": "qty"}, 20]})", "10 <= qty <= 20"},
    {R"({"<": [0, {"var": "x"}, 1]})", "0 < x < 1"},
    {R"({"and": [{"<=": [10, {"var": "qty"}]}, {"<": [{"var": "qty"}, 20]}]})", "10 <= qty and qty < 20"},
    {R"({"and": [{"var": "rush"}, {">": [{"var": "qty"}, 10]}]})", "rush and qty > 10"},
    {R"({"!": {"var": "approved"}})", "not approved"},
    {R"({"!": [{"==": [{"var": "a"}, 1]}]})", "not (a == 1)"},
    {R"({"!": [{"!": [{"var": "a"}]}]})", "not (not a)"},
    {R"({"!!": [{"var": "a"}]})", "truthy(a)"},
    {R"({"in": ["pdf", {"var": "ext"}]})", R"("pdf" in ext)"},
    {R"({"==": [{"var": "x"}, "a"]})", R"(x == "a")"},
    {R"({"!=": [{"var": "x"}, 1.5]})", "x != 1.5"},
    {R"({"===": [{"var": "a"}, null]})", "a === null"},
    {R"({"!==": [{"var": "a"}, true]})", "a !== true"},
    {R"({">=": [{"var": "a.b.0"}, 1]})", "a.b.0 >= 1"},
    {R"({"var": ["a.b", 0]})", "a.b"},
    {R"({"var": ""})", "data"},
    {R"({"var": 1})", "var(1)"},
    {R"({"var": {"cat": ["a", "b"]}})", R"(var(cat("a", "b")))"},
    {R"({"missing": ["a", "b"]})", "missing(a, b)"},
    {R"({"missing": [["a", "b"]]})", "missing(a, b)"},
    {R"({"missing_some": [1, ["a", "b"]]})", "missing_some(1, a, b)"},
    {R"({"*": [{"+": [{"var": "a"}, {"var": "b"}]}, 2]})", "(a + b) * 2"},
    {R"({"+": [{"*": [{"var": "a"}, 2]}, 1]})", "a * 2 + 1"},
    {R"({"+": [1, {"+": [2, 3]}]})", "1 + 2 + 3"},
    {R"({"-": [{"var": "a"}, {"-": [{"var": "b"}, 1]}]})", "a - (b - 1)"},
    {R"({"/": [{"var": "a"}, {"*": [{"var": "b"}, {"var": "c"}]}]})", "a / (b * c)"},
    {R"({"==": [{"%": [{"var": "n"}, 2]}, 0]})", "n % 2 == 0"},
    {R"({"<": [{"var": "a"}, {"+": [{"var": "b"}, 1]}]})", "a < b + 1"},
    {R"({"==": [{"<": [1, 2]}, true]})", "(1 < 2) == true"},
    {R"({"-": {"var": "x"}})", "-x"},
    {R"({"-": [{"+": [1, 2]}]})", "-(1 + 2)"},
    {R"({"+": "3"})", R"(+"3")"},
    {R"({"cat": [{"var": "a"}, "-", {"var": "b"}]})", R"(cat(a, "-", b))"},
    {R"({"substr": [{"var": "s"}, 0, 3]})", "substr(s, 0, 3)"},
    {R"({"max": [{"var": "a"}, {"var": "b"}]})", "max(a, b)"},
    {R"({"merge": [[1, 2], {"var": "x"}]})", "merge([1, 2], x)"},
    {R"({"or": [{"and": [{"var": "a"}, {"var": "b"}]}, {"var": "c"}]})", "a and b or c"},
    {R"({"and": [{"or": [{"var": "a"}, {"var": "b"}]}, {"var": "c"}]})", "(a or b) and c"},
    {R"({"and": [{"var": "a"}, {"and": [{"var": "b"}, {"var": "c"}]}]})", "a and b and c"},
    {R"({"if": [{"var": "vip"}, "gold", "standard"]})", R"(vip ? "gold" : "standard")"},
    {R"({"if": [{"<": [{"var": "t"}, 0]}, "ice", {"<": [{"var": "t"}, 100]}, "water", "steam"]})",
     R"(t < 0 ? "ice" : t < 100 ? "water" : "steam")"},
    {R"({"if": [{"if": [{"var": "a"}, true, false]}, 1, 2]})", "(a ? true : false) ? 1 : 2"},
    {R"({"if": [{"var": "a"}, 1]})", "a ? 1 : null"},
    {R"(["a", {"var": "b"}])", R"(["a", b])"},
    {R"(42)", "42"},
    {R"("text")", R"("text")"},
    {R"(null)", "null"},
    {R"({"frobnicate": [1]})", R"({"frobnicate":[1]})"},
    {R"({"<": [1]})", R"({"<":[1]})"},
    {R"({"and": []})", R"({"and":[]})"},
    {R"({"a": 1, "b": 2})", R"({"a":1,"b":2})"},
    {R"({"and": [{"var": "a"}, {"foo": 1}]})", R"(a and {"foo":1})"},
};
INSTANTIATE_TEST_SUITE_P(Labels, DescribeTest, ::testing::ValuesIn(kDescribeRows));

// ---------------------------------------------------------------------------------------
// The Expression object itself

TEST(ExpressionTest, KeepsTheRuleAsWritten) {
  const Json rule = Json::parse(R"({"<": [{"var": "i"}, 10]})");
  const Result<Expression> compiled = Expression::compile(rule);
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->rule(), rule);
}

TEST(ExpressionTest, DefaultConstructedEvaluatesToNull) {
  const Expression expression;
  EXPECT_TRUE(expression.evaluate(Json::object()).is_null());
  EXPECT_FALSE(expression.test(Json::object()));
}

TEST(ExpressionTest, CopiesAndMovesEvaluateTheSameRule) {
  const Result<Expression> compiled = Expression::compile(Json::parse(R"({"+": [{"var": "a"}, 1]})"));
  ASSERT_TRUE(compiled.ok());
  const Expression copy = *compiled;
  Expression moved = Expression(copy);
  Expression assigned;
  assigned = moved;
  const Json data = Json::parse(R"({"a": 41})");
  EXPECT_EQ(copy.evaluate(data), 42);
  EXPECT_EQ(moved.evaluate(data), 42);
  EXPECT_EQ(assigned.evaluate(data), 42);
  EXPECT_EQ(assigned.rule(), compiled->rule());
}

TEST(ExpressionTest, EvaluatesManyTimesAgainstDifferentData) {
  const Result<Expression> compiled = Expression::compile(Json::parse(R"({"<": [{"var": "i"}, 10]})"));
  ASSERT_TRUE(compiled.ok());
  int trueCount = 0;
  for (int i = 0; i < 20; ++i) {
    trueCount += compiled->test(Json{{"i", i}}) ? 1 : 0;
  }
  EXPECT_EQ(trueCount, 10);
}

TEST(ExpressionTest, ToleratesDataOfAnyShape) {
  const Result<Expression> compiled =
      Expression::compile(Json::parse(R"({"cat": [{"var": "a.b"}, {"substr": [{"var": "0"}, 1]}]})"));
  ASSERT_TRUE(compiled.ok());
  // Nothing can be stepped into, so both vars are null and String(null) is "null".
  EXPECT_EQ(compiled->evaluate(Json("text")), Json("nullull"));
  EXPECT_EQ(compiled->evaluate(Json::array({"xyz"})), Json("nullyz"));
  EXPECT_EQ(compiled->evaluate(Json()), Json("nullull"));
  EXPECT_EQ(compiled->evaluate(Json(3.5)), Json("nullull"));
}

TEST(ExpressionTest, ErrorDescribesEveryProblem) {
  const Result<Expression> compiled = Expression::compile(Json::parse(R"({"and": [{"x": 1}, {"y": 2}]})"), "/n");
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error().describe(),
            "invalid JsonLogic rule\n  /n/and/0/x: unknown operator \"x\"\n  /n/and/1/y: unknown operator \"y\"");
}

TEST(ExpressionTest, HandlesIntegerDataOfEveryNlohmannKind) {
  const Result<Expression> compiled = Expression::compile(Json::parse(R"({"+": [{"var": "a"}, {"var": "b"}]})"));
  ASSERT_TRUE(compiled.ok());
  Json data;
  data["a"] = std::int64_t{-2};
  data["b"] = std::uint64_t{5};
  const Json sum = compiled->evaluate(data);
  EXPECT_TRUE(sum.is_number_integer());
  EXPECT_EQ(sum, 3);
  data["b"] = 0.5;
  EXPECT_EQ(compiled->evaluate(data).dump(), "-1.5");
}

} // namespace
} // namespace opflow::logic
