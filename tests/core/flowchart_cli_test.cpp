// `opflow-cli ops show --format svg|png` as scripts use it: the real binary in a child
// process drawing a shipped operation and a definition file, writing to --out or standard
// output, and refusing to send a PNG to a terminal (a real pseudo-terminal from script(1)).
#include "CliTestSupport.h"

namespace {

namespace fs = std::filesystem;
using opflow::test::CliResult;
using opflow::test::readFile;
using opflow::test::shellQuoted;

class FlowchartCliTest : public opflow::test::CliFixture {};

const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);

std::string readBytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST_F(FlowchartCliTest, SvgGoesToStandardOutput) {
  CliResult result = cli({"ops", "show", "demo.every_kind", "--format", "svg"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out.rfind("<?xml", 0), 0U);
  EXPECT_NE(result.out.find("<title>demo.every_kind v1</title>"), std::string::npos);
  EXPECT_NE(result.out.find(R"(data-name="notify_failed")"), std::string::npos);
  EXPECT_EQ(result.out.substr(result.out.size() - 7), "</svg>\n");
}

TEST_F(FlowchartCliTest, SvgOfADefinitionFileToAFile) {
  const fs::path definition = write("quoted.json", R"({
    "operation": "test.quoted", "version": 3, "title": "Say <\"hi\"> & go",
    "starts_with": "a & b",
    "nodes": {
      "a & b": {"kind": "action", "set": {"x": 1}, "go_to": "done"},
      "done": {"kind": "result", "outputs": ["x"]}
    }
  })");
  const fs::path out = m_dir / "quoted.svg";
  CliResult result = cli({"ops", "show", definition.string(), "--format", "svg", "--out", out.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(result.out.empty());
  const std::string svg = readFile(out);
  EXPECT_NE(svg.find("Say &lt;&quot;hi&quot;&gt; &amp; go"), std::string::npos) << svg;
  EXPECT_NE(svg.find(R"(data-name="a &amp; b")"), std::string::npos);
}

TEST_F(FlowchartCliTest, PngToAFile) {
  const fs::path out = m_dir / "every.png";
  CliResult result = cli({"ops", "show", "demo.every_kind", "--format", "png", "--out", out.string(), "--scale", "1"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const std::string png = readBytes(out);
  ASSERT_GT(png.size(), 24U);
  EXPECT_EQ(png.substr(0, 8), kPngSignature);
  EXPECT_EQ(png.substr(12, 4), "IHDR");
}

TEST_F(FlowchartCliTest, PngToARedirectedStandardOutput) {
  CliResult result = cli({"ops", "show", "document.prepare_download", "--format", "png"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, 8), kPngSignature);
}

TEST_F(FlowchartCliTest, PngIsNotWrittenToATerminal) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "script(1) is not installed: no pseudo-terminal to test with";
  }
  const fs::path log = m_dir / "terminal.log";
  const std::string inner = shellQuoted(OPFLOW_CLI_PATH) + " ops show demo.every_kind --format png";
  const std::string command = "script -qec " + shellQuoted(inner) + " /dev/null >" + shellQuoted(log.string()) +
                              " 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string text = readBytes(log);
  EXPECT_NE(text.find("refusing to write a PNG (binary) to the terminal: give --out FILE"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("PNG\r\n"), std::string::npos);
}

TEST_F(FlowchartCliTest, UnwritableOutIsNamed) {
  const fs::path out = m_dir / "no such dir" / "x.svg";
  CliResult result = cli({"ops", "show", "demo.every_kind", "--format", "svg", "--out", out.string()});
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("cannot write \"" + out.string() + "\": No such file or directory"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(out.parent_path())) << "nothing half-written";
}

TEST_F(FlowchartCliTest, UnknownFormatIsRefused) {
  CliResult result = cli({"ops", "show", "demo.every_kind", "--format", "gif"});
  EXPECT_NE(result.exitCode, 0);
  EXPECT_TRUE(result.out.empty());
}

} // namespace
