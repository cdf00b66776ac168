// SqliteSharedDatabase: the shared database as one SQLite file that the workstation
// databases of one machine share (the demo, quick tests, a shop of one computer). Its
// schema has migrations of its own; the file has one writer at a time, so the feed's
// positions are taken in commit order and a reader never skips an event.
// Thread-safety: as SharedDatabase (one connection per object).
#pragma once

#include "opflow/sync/SharedDatabase.h"

#include <memory>

namespace opflow::store {
class Database;
}

namespace opflow::sync {

class SqliteSharedDatabase final : public SharedDatabase {
public:
  // Creates the file (and nothing above it: its folder must exist) or brings an existing
  // one up to this build's schema.
  [[nodiscard]] static Result<std::unique_ptr<SqliteSharedDatabase>> create(const std::string& path);
  // Opens an existing shared file: a missing one is Io (unreachable: only create makes
  // one), one of a newer schema Conflict, one older than this build's Conflict (create
  // migrates it).
  [[nodiscard]] static Result<std::unique_ptr<SqliteSharedDatabase>> open(const std::string& path);
  ~SqliteSharedDatabase() override;

  [[nodiscard]] Result<SharedIdentity> identity() override;
  [[nodiscard]] Result<PushAnswer> push(const std::string& workstation, const std::vector<SharedEvent>& events) override;
  [[nodiscard]] Result<std::int64_t> expectedSeq(const std::string& workstation) override;
  [[nodiscard]] Result<FeedPage> feed(std::int64_t position, std::size_t limit) override;
  [[nodiscard]] Status claimNumbers(const std::string& workstation, const NumberBlock& block) override;
  [[nodiscard]] Result<NumberBlock> reserveNumbers(const std::string& workstation, std::int64_t count) override;
  [[nodiscard]] Result<std::optional<SharedOrder>> order(const std::string& number) override;
  [[nodiscard]] Result<std::vector<ShopAuditEntry>> auditEntries(const ShopAuditQuery& query) override;
  [[nodiscard]] Result<ShopOperationSteps> operationSteps(const store::StatisticsQuery& query) override;
  // Looks at the file's change counter every few milliseconds.
  [[nodiscard]] Result<bool> waitForChange(std::chrono::milliseconds timeout) override;
  [[nodiscard]] std::string describe() const override { return m_path; }

  // The latest schema version of a shared SQLite file this build writes.
  [[nodiscard]] static int latestSchemaVersion();

private:
  SqliteSharedDatabase(std::string path, std::unique_ptr<store::Database> db);

  std::string m_path;
  std::unique_ptr<store::Database> m_db;
  std::optional<std::int64_t> m_seenDataVersion; // PRAGMA data_version at the last look
};

} // namespace opflow::sync
