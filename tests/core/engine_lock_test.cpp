// EngineLock: one process at a time runs a database's operations. The issue found three
// holes: a command waited silently forever behind a console, nothing said who held the
// lock, and a symlink to the database was a second lock, so two engines ran one
// database. Each is reproduced here with real files and real flock(2) locks (two open
// file descriptions conflict even within one process).
#include "StoreTestSupport.h"

#include "opflow/host/EngineLock.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace opflow::host {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

class EngineLockTest : public ::testing::Test {
protected:
  void SetUp() override { std::ofstream(m_db) << "a database"; }

  store::test::TempDir m_dir;
  std::string m_db = m_dir.file("shop.db");
};

TEST_F(EngineLockTest, TheHolderIsNamedAndAConsoleIsNotWaitedFor) {
  auto console = EngineLock::acquire(m_db, {"opflow console", true, 0ms, {}});
  ASSERT_TRUE(console) << console.error().describe();

  bool toldToWait = false;
  const auto started = std::chrono::steady_clock::now();
  auto command = EngineLock::acquire(m_db, {"opflow-cli run", false, 60s, [&](const EngineLockHolder&) {
                                              toldToWait = true;
                                            }});
  ASSERT_FALSE(command);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << "a console holds the lock for hours: no waiting";
  EXPECT_FALSE(toldToWait);
  EXPECT_EQ(command.error().code, ErrorCode::Conflict);
  EXPECT_THAT(command.error().message,
              HasSubstr(fmt::format("are run by opflow console (pid {}, user ", ::getpid())));
  EXPECT_THAT(command.error().message, HasSubstr(", since 20"));
  EXPECT_THAT(command.error().message, HasSubstr("close it first"));
}

TEST_F(EngineLockTest, AnotherCommandIsWaitedForUpToTheBoundAfterSayingWhom) {
  auto batch = EngineLock::acquire(m_db, {"opflow-cli batch", false, 0ms, {}});
  ASSERT_TRUE(batch);

  std::optional<EngineLockHolder> waitedFor;
  auto run = EngineLock::acquire(m_db, {"opflow-cli run", false, 200ms, [&](const EngineLockHolder& holder) {
                                          waitedFor = holder;
                                        }});
  ASSERT_FALSE(run) << "the batch still holds it after the bound";
  ASSERT_TRUE(waitedFor);
  EXPECT_EQ(waitedFor->program, "opflow-cli batch");
  EXPECT_EQ(waitedFor->pid, ::getpid());
  EXPECT_FALSE(waitedFor->console);
  EXPECT_THAT(run.error().message, HasSubstr("run by opflow-cli batch (pid"));
  EXPECT_THAT(run.error().message, HasSubstr("still held the lock after 0.2 s"));

  std::unique_ptr<EngineLock> held = std::move(batch).value();
  std::thread finish([&held] {
    std::this_thread::sleep_for(100ms);
    held.reset();
  });
  auto after = EngineLock::acquire(m_db, {"opflow-cli run", false, 60s, {}});
  finish.join();
  EXPECT_TRUE(after) << "the command goes on once the other has finished";
}

TEST_F(EngineLockTest, ASymlinkToTheDatabaseIsTheSameLock) {
  const std::string link = m_dir.file("link.db");
  std::filesystem::create_symlink(m_db, link);
  const std::string dotted = m_dir.file("./shop.db");
  auto first = EngineLock::acquire(link, {"opflow console", true, 0ms, {}});
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ((*first)->path(), std::filesystem::canonical(m_db).string() + ".engine-lock");
  for (const std::string& path : {m_db, link, dotted}) {
    auto second = EngineLock::acquire(path, {"opflow console", true, 0ms, {}});
    EXPECT_FALSE(second) << path << " is the same database";
  }
}

TEST_F(EngineLockTest, AReleasedLockSaysNothingOfItsLastHolder) {
  {
    auto console = EngineLock::acquire(m_db, {"opflow console", true, 0ms, {}});
    ASSERT_TRUE(console);
  }
  const std::string lockFile = std::filesystem::canonical(m_db).string() + ".engine-lock";
  EXPECT_EQ(std::filesystem::file_size(lockFile), 0u) << "a console that closed is not named as holding it";
  EXPECT_TRUE(EngineLock::acquire(m_db, {"opflow-cli run", false, 0ms, {}}));
  EXPECT_EQ(EngineLockHolder{}.describe(), "an unknown process");
}

TEST_F(EngineLockTest, TheLockFileIsTheOwnersAndNeverFollowedThroughALink) {
  const std::string victim = m_dir.file("victim.txt");
  std::ofstream(victim) << "keep me";
  std::filesystem::create_symlink(victim, std::filesystem::canonical(m_db).string() + ".engine-lock");
  auto planted = EngineLock::acquire(m_db, {"opflow-cli run", false, 0ms, {}});
  ASSERT_FALSE(planted) << "the holder would have written into the link's target";
  EXPECT_THAT(planted.error().message, HasSubstr("cannot open the engine lock"));
  EXPECT_EQ(std::filesystem::file_size(victim), 7u);

  std::filesystem::remove(std::filesystem::canonical(m_db).string() + ".engine-lock");
  auto lock = EngineLock::acquire(m_db, {"opflow-cli run", false, 0ms, {}});
  ASSERT_TRUE(lock);
  const auto mode = std::filesystem::status((*lock)->path()).permissions();
  EXPECT_EQ(mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none)
      << "a lock others could open, others could hold";
  lock->reset();

  std::filesystem::permissions((std::filesystem::canonical(m_db).string() + ".engine-lock"),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  auto again = EngineLock::acquire(m_db, {"opflow-cli run", false, 0ms, {}});
  ASSERT_TRUE(again);
  EXPECT_EQ(std::filesystem::status((*again)->path()).permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none)
      << "a lock file an older build left readable is made the owner's";
}

TEST_F(EngineLockTest, AMissingDatabaseIsNamed) {
  auto missing = EngineLock::acquire(m_dir.file("typo.db"), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::Io);
  EXPECT_THAT(missing.error().message, HasSubstr("typo.db"));
}

} // namespace
} // namespace opflow::host
