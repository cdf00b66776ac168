// writeFileAtomically: a file is written whole or not at all, to a regular file or a new
// path only. The issue found the rename replacing a symlink, a FIFO and, as root,
// /dev/full with a regular file; a file it replaces keeps its permissions.
#include "StoreTestSupport.h"

#include "opflow/AtomicFile.h"

#include <gmock/gmock.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace opflow {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

Status writeText(const std::string& path, const std::string& text) {
  return writeFileAtomically(path, [&text](std::ostream& out) {
    out << text;
    return Status{};
  });
}

std::string contents(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(AtomicFileTest, WritesANewFileAndReplacesARegularOneWholeKeepingItsPermissions) {
  store::test::TempDir dir;
  const std::string path = dir.file("export.csv");
  ASSERT_TRUE(writeText(path, "first\n"));
  EXPECT_EQ(contents(path), "first\n");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(writeText(path, "second\n"));
  EXPECT_EQ(contents(path), "second\n");
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
      << "a private export stays private";
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "export.csv") << "no temporary file left behind";
  }
}

TEST(AtomicFileTest, ATargetThatIsNotARegularFileIsRefusedAndLeftAsItWas) {
  store::test::TempDir dir;
  const std::string target = dir.file("target.csv");
  std::ofstream(target) << "kept";
  const std::string link = dir.file("link.csv");
  fs::create_symlink(target, link);
  const std::string fifo = dir.file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto& [path, what] : {std::pair{link, "a symbolic link"}, std::pair{fifo, "a FIFO"},
                                   std::pair{dir.path().string(), "a directory"}}) {
    Status refused = writeText(path, "over it");
    ASSERT_FALSE(refused) << path;
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(refused.error().message, HasSubstr(std::string("is ") + what + ": write to a regular file or a new path"));
  }
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(contents(target), "kept");
}

TEST(AtomicFileTest, AWrongFolderIsBadInputAFailedWriteLeavesNothing) {
  store::test::TempDir dir;
  Status missing = writeText(dir.file("no/such/folder/x.csv"), "x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(missing.error().message, HasSubstr("No such file or directory"));

  const std::string path = dir.file("half.csv");
  Status failed = writeFileAtomically(path, [](std::ostream& out) -> Status {
    out << "half of it";
    return makeError(ErrorCode::Io, "the source went away");
  });
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message, HasSubstr("the source went away"));
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

} // namespace
} // namespace opflow
