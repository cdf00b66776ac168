#include "AuditTestSupport.h"

#include <sstream>

namespace opflow::store::test {
namespace {

// A strict RFC 4180 reader: records of fields, quoted fields may hold commas, doubled
// quotes and line breaks; records end with CRLF.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  bool fieldStarted = false;
  while (i < text.size()) {
    char c = text[i];
    if (!fieldStarted && c == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return records;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      fieldStarted = true;
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      fieldStarted = false;
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
      field.clear();
      record.clear();
      fieldStarted = false;
      i += 2;
    } else {
      EXPECT_NE(c, '"') << "a quote inside an unquoted field at " << i;
      EXPECT_NE(c, '\n') << "a bare line feed at " << i;
      field += c;
      fieldStarted = true;
      ++i;
    }
  }
  EXPECT_TRUE(record.empty() && field.empty()) << "the last record does not end with CRLF";
  return records;
}

class AuditExportTest : public AuditFixture {
protected:
  void SetUp() override {
    AuditFixture::SetUp();
    m_entries = appendMany(12, [](int i) {
      AuditEntry entry = sample(i % 2 ? "run.step" : "order.status_changed", i % 3 ? "ana" : "ben");
      entry.reason = i % 4 == 0 ? "held, because \"the customer\" asked\nsecond line\r\nthird" : "ok";
      entry.after = Json{{"note", "a, \"b\"\nc"}, {"n", i}};
      if (i == 5) {
        entry.before = nullptr;
      }
      return entry;
    });
  }

  std::string exported(AuditExportFormat format, const AuditQuery& query = {}) {
    auto db = reader();
    std::ostringstream out;
    Status written = exportAudit(*db, query, format, out);
    EXPECT_TRUE(written) << (written ? "" : written.error().describe());
    return out.str();
  }

  std::vector<AuditEntry> m_entries;
};

TEST_F(AuditExportTest, CsvParsesBackWithQuotedCommasQuotesAndNewlines) {
  auto records = parseCsv(exported(AuditExportFormat::Csv));
  ASSERT_EQ(records.size(), m_entries.size() + 1);
  const std::vector<std::string> header{"seq",         "id",         "at_ms",        "at",     "user",
                                        "role",        "workstation", "correlation_id", "action", "subject_type",
                                        "subject_id",  "order_number", "before",       "after",  "reason",
                                        "prev_hash",   "hash"};
  EXPECT_EQ(records[0], header);
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    const AuditEntry& entry = m_entries[i];
    const std::vector<std::string>& row = records[i + 1];
    ASSERT_EQ(row.size(), header.size());
    EXPECT_EQ(row[0], std::to_string(entry.seq));
    EXPECT_EQ(row[1], entry.id);
    EXPECT_EQ(row[2], std::to_string(entry.atMs));
    EXPECT_EQ(row[3].size(), 24u);
    EXPECT_EQ(row[4], entry.user);
    EXPECT_EQ(row[8], entry.action);
    EXPECT_EQ(row[11], entry.orderNumber);
    EXPECT_EQ(Json::parse(row[12]), entry.before);
    EXPECT_EQ(Json::parse(row[13]), entry.after);
    EXPECT_EQ(row[14], entry.reason);
    EXPECT_EQ(row[15], entry.prevHash);
    EXPECT_EQ(row[16], entry.hash);
  }
}

TEST_F(AuditExportTest, JsonLinesAreOneEntryPerLine) {
  std::istringstream lines(exported(AuditExportFormat::JsonLines));
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(count, m_entries.size());
    Json parsed = Json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << line;
    EXPECT_EQ(parsed, toJson(m_entries[count]));
    ++count;
  }
  EXPECT_EQ(count, m_entries.size());
}

TEST_F(AuditExportTest, ExportAppliesTheFiltersButNoLimit) {
  AuditQuery query;
  query.user = "ben";
  query.limit = 1;
  auto records = parseCsv(exported(AuditExportFormat::Csv, query));
  std::size_t bens = 0;
  for (const AuditEntry& entry : m_entries) {
    bens += entry.user == "ben";
  }
  ASSERT_EQ(records.size(), bens + 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i][4], "ben");
  }
}

TEST_F(AuditExportTest, NothingMatchingGivesAHeaderOnlyOrNothing) {
  AuditQuery query;
  query.user = "nobody";
  EXPECT_EQ(parseCsv(exported(AuditExportFormat::Csv, query)).size(), 1u);
  EXPECT_EQ(exported(AuditExportFormat::JsonLines, query), "");
}

TEST_F(AuditExportTest, AFailingStreamIsAnError) {
  auto db = reader();
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  Status written = exportAudit(*db, {}, AuditExportFormat::JsonLines, out);
  EXPECT_FALSE(written);
}

} // namespace
} // namespace opflow::store::test
