// observe's log on real files: JSON lines with their fields, levels, rotation by size,
// a full queue that drops and counts instead of blocking, and the engine's runs logged by
// RunLog with their correlation id, run id, operation, user, role and node.
#include "StoreTestSupport.h"
#include "TestSupport.h"

#include "opflow/observe/Log.h"
#include "opflow/observe/RunLog.h"

#include <gmock/gmock.h>

#include <fstream>

namespace opflow::observe {
namespace {

using ::testing::HasSubstr;

class LogTest : public ::testing::Test {
protected:
  void TearDown() override { stopLogging(); }

  [[nodiscard]] std::string database() const { return m_dir.file("opflow.db"); }

  void start(LogOptions options = {}) {
    options.filePath = logFileOf(database());
    ASSERT_TRUE(startLogging(options));
  }

  std::vector<Json> lines(const LogQuery& query = {}) {
    stopLogging();
    auto read = readLog(database(), query);
    EXPECT_TRUE(read) << read.error().describe();
    return read ? *read : std::vector<Json>{};
  }

  store::test::TempDir m_dir;
};

TEST_F(LogTest, ALineIsJsonWithItsFieldsApartFromTheMessage) {
  start();
  log(LogLevel::Info, "sync", "sync round", {.correlationId = "c-1", .workstation = "ws-1", .extra = {{"pushed", 3}}});
  log(LogLevel::Debug, "engine", "below the level");
  log(LogLevel::Warn, "engine", "run failed", {.correlationId = "c-2", .runId = "r-2", .operation = "order.ship",
                                               .node = "check", .user = "ana", .role = "operator"});
  std::vector<Json> all = lines();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["level"], "info");
  EXPECT_EQ(all[0]["component"], "sync");
  EXPECT_EQ(all[0]["msg"], "sync round");
  EXPECT_EQ(all[0]["correlation_id"], "c-1");
  EXPECT_EQ(all[0]["workstation"], "ws-1");
  EXPECT_EQ(all[0]["pushed"], 3);
  EXPECT_FALSE(all[0].contains("run_id")) << "an empty field is left out";
  EXPECT_THAT(all[0]["ts"].get<std::string>(), ::testing::MatchesRegex("20[0-9-]+T[0-9:.]+Z"));
  EXPECT_EQ(all[1]["node"], "check");
  EXPECT_EQ(all[1]["role"], "operator");

  EXPECT_EQ(readLog(database(), {.correlationId = "c-2"})->size(), 1u);
  EXPECT_EQ(readLog(database(), {.minimum = LogLevel::Warn})->at(0)["msg"], "run failed");
  EXPECT_EQ(logLineText(all[1]).substr(all[1]["ts"].get<std::string>().size()),
            " warn  engine: run failed  correlation_id=c-2  node=check  operation=order.ship  role=operator  "
            "run_id=r-2  user=ana");
}

TEST_F(LogTest, TheFileIsRotatedBySizeAndReadOldestFirst) {
  start({.maxFileBytes = 4096, .keptFiles = 3});
  for (int i = 0; i < 200; ++i) {
    log(LogLevel::Info, "test", "line", {.extra = {{"i", i}}});
  }
  stopLogging();
  std::vector<std::string> files = logFilesOf(database());
  ASSERT_EQ(files.size(), 4u) << "three rotated files and the current one";
  EXPECT_EQ(files.front(), database() + ".3.log");
  EXPECT_EQ(files.back(), database() + ".log");
  std::vector<Json> kept = lines();
  ASSERT_FALSE(kept.empty());
  for (std::size_t i = 1; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i]["i"], kept[i - 1]["i"].get<int>() + 1) << "in the order they were written";
  }
  EXPECT_EQ(kept.back()["i"], 199);
}

TEST_F(LogTest, AFullQueueDropsAndCountsLinesInsteadOfWaiting) {
  start({.queueLines = 16});
  for (int i = 0; i < 50'000; ++i) {
    log(LogLevel::Info, "test", "burst", {.extra = {{"i", i}}});
  }
  EXPECT_GT(droppedLogLines(), 0u);
  std::vector<Json> kept = lines();
  EXPECT_LT(kept.size(), 50'000u);
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.back()["level"], "warn");
  EXPECT_THAT(kept.back()["msg"].get<std::string>(), HasSubstr("log lines were dropped"));
}

TEST_F(LogTest, NamesThatAreNotLevelsOrFormatsAreRefusedByName) {
  EXPECT_EQ(*logLevelFromString("warn"), LogLevel::Warn);
  EXPECT_THAT(logLevelFromString("loud").error().message, HasSubstr("debug, info, warn, error or off"));
  EXPECT_EQ(*logFormatFromString("text"), LogFormat::Text);
  EXPECT_THAT(logFormatFromString("xml").error().message, HasSubstr("json or text"));
  auto unwritable = startLogging({.filePath = "/proc/no-such-folder/opflow.db.log"});
  ASSERT_FALSE(unwritable);
  EXPECT_THAT(unwritable.error().message, HasSubstr("/proc/no-such-folder/opflow.db.log"));
}

model::OperationDefinition escalated() {
  return model::OperationBuilder("test.escalated", 1)
      .startsWith("ask")
      .call("ask", {.operation = "test.refuse", .onSuccess = "done", .onFailure = "done"})
      .result("done")
      .build();
}

TEST_F(LogTest, RunLogGivesEveryLineOfARunAndItsSubRunOneCorrelationId) {
  start({.level = LogLevel::Debug});
  engine::HandlerRegistry handlers;
  engine::OperationCatalog catalog{handlers};
  ASSERT_TRUE(catalog.addAll(
      {escalated(),
       model::OperationBuilder("test.refuse", 1).startsWith("no").fail("no", {.reason = "not today"}).build()}));
  engine::InMemoryRunStore runs;
  RunLog runLog;
  engine::Engine engine(catalog, runs);
  engine.addListener(runLog);
  auto started = engine.start({"test.escalated", std::nullopt, Json::object(),
                               {.user = "ana", .role = "operator", .workstation = "ws-1", .correlationId = "c-42"}});
  ASSERT_TRUE(started);

  std::vector<Json> all = lines({.correlationId = "c-42"});
  std::vector<std::string> messages;
  for (const Json& line : all) {
    messages.push_back(line["operation"].get<std::string>() + ": " + line["msg"].get<std::string>());
    EXPECT_EQ(line["user"], "ana") << line.dump();
    EXPECT_EQ(line["role"], "operator");
    EXPECT_EQ(line["workstation"], "ws-1");
    EXPECT_FALSE(line["run_id"].get<std::string>().empty());
  }
  EXPECT_THAT(messages, ::testing::ElementsAre("test.escalated: run started", "test.escalated: run waiting",
                                               "test.refuse: sub-run started", "test.refuse: step finished",
                                               "test.refuse: run failed", "test.escalated: step finished",
                                               "test.escalated: step finished", "test.escalated: run completed"))
      << "the parent waits for its child, which runs to its end before the parent goes on";
  EXPECT_EQ(all[1]["child_run_id"], all[2]["run_id"]);
  EXPECT_EQ(all[2]["parent_run_id"], started->str());
  EXPECT_EQ(all[3]["node"], "no");
  EXPECT_EQ(all[3]["level"], "debug");
  EXPECT_EQ(all[4]["error"], "not today");
  EXPECT_EQ(all[4]["level"], "warn");
  EXPECT_EQ(all[4]["node"], "test.refuse/no");
}

} // namespace
} // namespace opflow::observe
