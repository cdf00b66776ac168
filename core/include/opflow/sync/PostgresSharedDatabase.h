// PostgresSharedDatabase: the shared database on a PostgreSQL server, for a shop of many
// machines. Its tables live in the schema "opflow" of the database the URL names, with
// numbered migrations of their own.
//
// A push is one transaction of few round trips: one pipeline takes the feed lock and
// reads what the batch needs (the workstation's head, the ids it may already hold, the
// orders it changes, the users it names); the shared push rules decide every event; the
// new events go in by COPY, and the orders, users and head by one more pipeline, which
// commits. The feed lock is held from the first position taken to the commit, so
// positions follow commit order and a reader of the feed never skips an event that
// committed late. Each push notifies the channel "opflow_feed", which waitForChange()
// listens on.
// Thread-safety: as SharedDatabase (one connection per object).
#pragma once

#include "opflow/sync/SharedDatabase.h"

#include <memory>

namespace opflow::sync {

namespace pg {
class PgConnection;
}

class PostgresSharedDatabase final : public SharedDatabase {
public:
  // Connects with a libpq URL or connection string (its password from libpq's usual
  // places: PGPASSFILE or ~/.pgpass, PGPASSWORD, a service file) and creates or migrates
  // the shared schema.
  [[nodiscard]] static Result<std::unique_ptr<PostgresSharedDatabase>> create(const std::string& conninfo);
  // Connects to a server whose shared schema this build wrote: none there, an older one
  // or a newer one is Conflict; a server that cannot be reached within `connectTimeout`
  // is Io.
  [[nodiscard]] static Result<std::unique_ptr<PostgresSharedDatabase>> open(
      const std::string& conninfo, std::chrono::seconds connectTimeout = kSharedConnectTimeout);
  ~PostgresSharedDatabase() override;

  [[nodiscard]] Result<SharedIdentity> identity() override;
  [[nodiscard]] Result<PushAnswer> push(const std::string& workstation, const std::vector<SharedEvent>& events) override;
  [[nodiscard]] Result<std::int64_t> expectedSeq(const std::string& workstation) override;
  [[nodiscard]] Result<FeedPage> feed(std::int64_t position, std::size_t limit) override;
  [[nodiscard]] Status claimNumbers(const std::string& workstation, const NumberBlock& block) override;
  [[nodiscard]] Result<NumberBlock> reserveNumbers(const std::string& workstation, std::int64_t count) override;
  [[nodiscard]] Result<std::optional<SharedOrder>> order(const std::string& number) override;
  [[nodiscard]] Result<std::vector<ShopAuditEntry>> auditEntries(const ShopAuditQuery& query) override;
  [[nodiscard]] Result<ShopOperationSteps> operationSteps(const store::StatisticsQuery& query) override;
  // The first call starts listening on the feed's channel.
  [[nodiscard]] Result<bool> waitForChange(std::chrono::milliseconds timeout) override;
  [[nodiscard]] std::string describe() const override { return m_shown; }

  // The latest schema version of the shared schema this build writes.
  [[nodiscard]] static int latestSchemaVersion();

private:
  PostgresSharedDatabase(std::string shown, std::unique_ptr<pg::PgConnection> connection);
  // Connects again when the connection broke (a restarted server); Io while unreachable.
  [[nodiscard]] Status connected();

  std::string m_shown;
  std::unique_ptr<pg::PgConnection> m_connection;
  bool m_listening = false;
};

} // namespace opflow::sync
