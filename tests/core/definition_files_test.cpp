// Reading definition files: a directory gives its *.json files in name order, a file gives
// itself, a missing path is NotFound, a file whose names cannot be shown is refused, and
// the shipped operations all parse.
#include "opflow/model/DefinitionFiles.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/model/DefinitionTexts.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

namespace {

using namespace opflow;
using namespace opflow::model;
namespace fs = std::filesystem;

// A uniquely named directory under the system's temporary directory, removed at the end.
class TempDir {
public:
  TempDir() : m_path(fs::temp_directory_path() / ("opflow-definition-files-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const fs::path& path() const { return m_path; }

  fs::path write(const std::string& name, const std::string& text) const {
    fs::path file = m_path / name;
    std::ofstream(file) << text;
    return file;
  }

private:
  fs::path m_path;
};

std::string definitionText(const std::string& name) {
  return R"({"operation": ")" + name + R"(", "version": 1, "starts_with": "done", "nodes": {"done": {"kind": "result"}}})";
}

TEST(DefinitionFilesTest, ADirectoryGivesItsJsonFilesInNameOrder) {
  TempDir dir;
  dir.write("b.json", definitionText("test.b"));
  dir.write("a.json", definitionText("test.a"));
  dir.write("c.json", "{not json");
  dir.write("notes.txt", definitionText("test.notes"));
  dir.write("a.json.bak", definitionText("test.bak"));
  fs::create_directory(dir.path() / "nested.json");

  std::vector<DefinitionFile> files = readDefinitionFiles({dir.path().string()});
  ASSERT_EQ(files.size(), 3U);
  EXPECT_EQ(files[0].path, (dir.path() / "a.json").string());
  EXPECT_EQ(files[1].path, (dir.path() / "b.json").string());
  EXPECT_EQ(files[2].path, (dir.path() / "c.json").string());
  ASSERT_TRUE(files[0].definition.ok()) << files[0].definition.error().describe();
  EXPECT_EQ(files[0].definition.value().name, "test.a");
  ASSERT_TRUE(files[1].definition.ok()) << files[1].definition.error().describe();
  EXPECT_EQ(files[1].definition.value().name, "test.b");
  ASSERT_FALSE(files[2].definition.ok());
  EXPECT_EQ(files[2].definition.error().code, ErrorCode::InvalidDefinition);
}

TEST(DefinitionFilesTest, PathsAreReadInTheOrderGiven) {
  TempDir dir;
  const fs::path single = dir.write("z.json", definitionText("test.z"));
  fs::create_directory(dir.path() / "more");
  dir.write("more/m.json", definitionText("test.m"));

  std::vector<DefinitionFile> files = readDefinitionFiles({single.string(), (dir.path() / "more").string()});
  ASSERT_EQ(files.size(), 2U);
  EXPECT_EQ(files[0].path, single.string());
  EXPECT_EQ(files[1].path, (dir.path() / "more" / "m.json").string());
  ASSERT_TRUE(files[0].definition.ok());
  EXPECT_EQ(files[0].definition.value().name, "test.z");
  ASSERT_TRUE(files[1].definition.ok());
  EXPECT_EQ(files[1].definition.value().name, "test.m");
}

TEST(DefinitionFilesTest, AMissingPathIsNotFound) {
  TempDir dir;
  const std::string missing = (dir.path() / "nope.json").string();
  std::vector<DefinitionFile> files = readDefinitionFiles({missing});
  ASSERT_EQ(files.size(), 1U);
  EXPECT_EQ(files[0].path, missing);
  ASSERT_FALSE(files[0].definition.ok());
  EXPECT_EQ(files[0].definition.error().code, ErrorCode::NotFound);
  EXPECT_EQ(files[0].definition.error().message, "no such file or directory: " + missing);
}

TEST(DefinitionFilesTest, AnEmptyDirectoryGivesNoFiles) {
  TempDir dir;
  EXPECT_TRUE(readDefinitionFiles({dir.path().string()}).empty());
}

TEST(DefinitionFilesTest, AFileWhoseTextsCannotBeShownIsRefusedAStoredOneStillReads) {
  TempDir dir;
  const std::string text =
      R"({"operation": "test.texts", "version": 1, "title": "Fake\u001b[2J", "description": ")" +
      std::string(5000, 'd') +
      R"(", "starts_with": "done", "nodes": {"done": {"kind": "result", "title": "\u202eenod"}}})";
  std::vector<DefinitionFile> files = readDefinitionFiles({dir.write("texts.json", text).string()});
  ASSERT_EQ(files.size(), 1U);
  ASSERT_FALSE(files[0].definition.ok());
  const Error& refused = files[0].definition.error();
  EXPECT_EQ(refused.code, ErrorCode::InvalidDefinition);
  ASSERT_EQ(refused.problems.size(), 3U) << refused.describe();
  EXPECT_EQ(refused.problems[0].pointer, "/title");
  EXPECT_EQ(refused.problems[0].message, "holds a control character U+001B (at byte 4)");
  EXPECT_EQ(refused.problems[1].pointer, "/description");
  EXPECT_EQ(refused.problems[1].message, "has 5000 characters, over the limit of 4096");
  EXPECT_EQ(refused.problems[2].pointer, "/nodes/done/title");
  EXPECT_EQ(refused.problems[2].message, "holds a direction override U+202E (at byte 0)");

  // An older build may have stored such a definition: read from the database, it still
  // parses (and validates), so the workstation keeps opening.
  auto stored = definitionFromText(text);
  ASSERT_TRUE(stored.ok()) << stored.error().describe();
  EXPECT_EQ(textProblems(*stored).size(), 3U);
}

TEST(DefinitionFilesTest, TheShippedOperationsAllParse) {
  std::vector<DefinitionFile> files = readDefinitionFiles({OPFLOW_RESOURCES_DIR "/operations"});
  ASSERT_FALSE(files.empty());
  std::map<std::string, std::int64_t> latest;
  std::map<std::string, std::int64_t> kept;
  for (const DefinitionFile& file : files) {
    SCOPED_TRACE(file.path);
    ASSERT_TRUE(file.definition.ok()) << file.definition.error().describe();
    const model::OperationDefinition& definition = file.definition.value();
    const std::string name = fs::path(file.path).filename().string();
    if (name == definition.name + ".json") {
      latest[definition.name] = definition.version;
    } else {
      EXPECT_EQ(name, fmt::format("{}.v{}.json", definition.name, definition.version))
          << "a shipped file is named after its operation (NAME.json), or NAME.vN.json for an older version kept "
             "for the runs that pinned it";
      kept[definition.name] = std::max(kept[definition.name], definition.version);
    }
  }
  for (const auto& [name, version] : kept) {
    ASSERT_TRUE(latest.contains(name)) << name << ": an older version without the latest";
    EXPECT_LT(version, latest[name]) << name << ": NAME.json holds the latest version";
  }
}

} // namespace
