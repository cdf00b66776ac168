// `opflow-cli metrics` and `traces export` on a real demo shop: the metrics pass
// Prometheus's own checker (promtool, from the Debian package prometheus) and the traces
// are OTLP/JSON whose every parent span is in the file.
#include "CliTestSupport.h"

#include <set>

namespace {

using opflow::Json;
using opflow::test::CliResult;
using opflow::test::readFile;
using opflow::test::shellQuoted;

class ObserveCliTest : public opflow::test::CliFixture {
protected:
  void SetUp() override {
    CliFixture::SetUp();
    m_db = (m_dir / "shop.db").string();
    CliResult init = cli({"--db", m_db, "init", "--demo", "--orders", "40"});
    ASSERT_EQ(init.exitCode, 0) << init.err;
  }
  std::string m_db;
};

TEST_F(ObserveCliTest, MetricsPassPromtool) {
  CliResult metrics = cli({"--db", m_db, "metrics", "--since", "2000-01-01"});
  ASSERT_EQ(metrics.exitCode, 0) << metrics.err;
  EXPECT_NE(metrics.out.find("# TYPE opflow_step_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(metrics.out.find("opflow_runs_total{operation=\"order.create\",state=\"completed\"} 40"), std::string::npos)
      << metrics.out.substr(0, 2000);
  const auto file = write("metrics.txt", metrics.out);
  const std::string check = "promtool check metrics <" + shellQuoted(file.string()) + " >" +
                            shellQuoted((m_dir / "promtool.txt").string()) + " 2>&1";
  EXPECT_EQ(std::system(check.c_str()), 0) << readFile(m_dir / "promtool.txt");
  EXPECT_EQ(readFile(m_dir / "promtool.txt"), "") << "no lint problems either";

  CliResult json = cli({"--db", m_db, "metrics", "--since", "2000-01-01", "--format", "json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_EQ(Json::parse(json.out)["metrics"][0]["name"], "opflow_runs_total");

  CliResult wrong = cli({"--db", m_db, "metrics", "--since", "yesterday-ish"});
  EXPECT_EQ(wrong.exitCode, 2);
  EXPECT_NE(wrong.err.find("--since"), std::string::npos) << wrong.err;
}

TEST_F(ObserveCliTest, TracesExportIsOtlpJsonWithEveryParentPresent) {
  const auto out = m_dir / "traces.json";
  CliResult exported = cli({"--db", m_db, "traces", "export", "--since", "2000-01-01", "--out", out.string()});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  Json document = Json::parse(readFile(out));
  std::set<std::string> spanIds;
  std::vector<Json> spans;
  for (const Json& resource : document.at("resourceSpans")) {
    ASSERT_TRUE(resource.at("resource").at("attributes").is_array());
    for (const Json& scope : resource.at("scopeSpans")) {
      EXPECT_EQ(scope.at("scope").at("name"), "opflow.engine");
      for (const Json& span : scope.at("spans")) {
        spans.push_back(span);
        spanIds.insert(span.at("spanId").get<std::string>());
      }
    }
  }
  ASSERT_GT(spans.size(), 100u);
  std::size_t children = 0;
  for (const Json& span : spans) {
    EXPECT_EQ(span.at("traceId").get<std::string>().size(), 32u);
    EXPECT_EQ(span.at("spanId").get<std::string>().size(), 16u);
    EXPECT_TRUE(span.at("startTimeUnixNano").is_string());
    if (span.contains("parentSpanId")) {
      ++children;
      EXPECT_TRUE(spanIds.contains(span.at("parentSpanId").get<std::string>())) << span.dump();
    }
  }
  EXPECT_GT(children, spans.size() / 2) << "steps hang under their runs";

  CliResult none = cli({"--db", m_db, "traces", "export", "--out", out.string()});
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.err.find("give --run, --correlation or --since"), std::string::npos) << none.err;
  CliResult unknown = cli({"--db", m_db, "traces", "export", "--run", "nope", "--out", (m_dir / "x.json").string()});
  EXPECT_NE(unknown.exitCode, 0);
  EXPECT_NE(unknown.err.find("no run nope"), std::string::npos) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir / "x.json")) << "nothing is written for a refusal";
}

} // namespace
