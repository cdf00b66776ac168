#include "PgSharedSchema.h"

#include <fmt/format.h>

#include <array>

namespace opflow::sync::detail {

namespace {

constexpr std::string_view kWhat = "shared database";

// Taken by a migration for its transaction: two workstations running `shared init` at
// once migrate one after the other.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7046820101)";

// The shop's feed and the state it builds. `events.position` is the feed's cursor: every
// push holds the feed lock (see PostgresSharedDatabase) from its first position to its
// commit, so positions are taken in commit order and a reader never skips one.
const char* sharedV1() {
  return R"sql(
CREATE TABLE opflow.shared_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO opflow.shared_meta (key, value) VALUES ('epoch', md5(random()::text || clock_timestamp()::text));

CREATE TABLE opflow.workstations (
  name          text COLLATE "C" PRIMARY KEY,
  last_seq      bigint NOT NULL DEFAULT 0, -- the last event taken, in its sequence
  audit_seq     bigint NOT NULL DEFAULT 0, -- where its audit chain ends here
  audit_hash    text   NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  first_contact bigint NOT NULL,
  last_contact  bigint NOT NULL
);

CREATE TABLE opflow.events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text    COLLATE "C" NOT NULL UNIQUE,
  workstation     text    COLLATE "C" NOT NULL, -- a name of opflow.workstations (a push adds it first)
  seq             bigint  NOT NULL,
  kind            text    NOT NULL,
  payload_version integer NOT NULL,
  subject_id      text    NOT NULL,
  base_version    bigint,
  payload         text, -- JSON, as the workstation sent it
  digest          text    NOT NULL, -- of the content: a resent id must carry the same
  created_at      bigint  NOT NULL, -- the workstation's clock
  received_at     bigint  NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint, -- the shared side's clock
  outcome         text    NOT NULL CHECK (outcome IN ('applied', 'conflict', 'refused')),
  reason          text    NOT NULL DEFAULT '',
  UNIQUE (workstation, seq)
);
CREATE INDEX events_unresolved ON opflow.events(outcome, position) WHERE outcome <> 'applied';

-- Keys compare byte by byte (COLLATE "C"): ids and names are matched, never sorted for a
-- person, and a server's language collation would only make every index slower.
-- Order numbers and user names compare as the workstations' do: ASCII letters without case.
CREATE FUNCTION opflow.number_key(number text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT translate(number, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;

CREATE TABLE opflow.orders (
  number_key  text COLLATE "C" GENERATED ALWAYS AS (opflow.number_key(number)) STORED PRIMARY KEY,
  number      text   NOT NULL,
  version     bigint NOT NULL,
  record      text   NOT NULL, -- JSON: the order as store::orderToJson writes it
  event_id    text   NOT NULL, -- the change that made this version
  workstation text   NOT NULL
);

-- The shop's users as the last applied change of each left them (the password hash,
-- never a password).
CREATE TABLE opflow.users (
  name_key    text COLLATE "C" GENERATED ALWAYS AS (opflow.number_key(name)) STORED PRIMARY KEY,
  name        text NOT NULL,
  record      text NOT NULL, -- JSON
  event_id    text NOT NULL, -- the change that made this state
  workstation text NOT NULL, -- where the user was added
  changed_at  text NOT NULL  -- where the last change was made
);

-- Order numbers handed out in blocks (see NumberBlock).
CREATE TABLE opflow.number_blocks (
  first       bigint PRIMARY KEY,
  last        bigint NOT NULL CHECK (last >= first),
  workstation text   COLLATE "C" NOT NULL,
  reserved_at bigint NOT NULL DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
);
CREATE INDEX number_blocks_last ON opflow.number_blocks(last);

-- The feed is history: nothing rewrites it.
CREATE FUNCTION opflow.refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the shared feed is append-only';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON opflow.events
  FOR EACH ROW EXECUTE FUNCTION opflow.refuse_rewrite();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON opflow.events
  FOR EACH STATEMENT EXECUTE FUNCTION opflow.refuse_rewrite();
)sql";
}

// The definition versions admins loaded into the shop, one content per version, and the
// signatures the workstations' audit chains show given, which order changes may record.
const char* definitionsAndSignaturesV2() {
  return R"sql(
CREATE TABLE opflow.definitions (
  subject      text COLLATE "C" PRIMARY KEY, -- "name vN"
  content_hash text NOT NULL,
  event_id     text NOT NULL, -- the event that brought it
  workstation  text NOT NULL  -- where it was loaded
);

CREATE TABLE opflow.signatures (
  workstation text COLLATE "C" NOT NULL, -- whose chain shows it given
  id          text COLLATE "C" NOT NULL,
  signer      text NOT NULL,
  role        text NOT NULL,
  meaning     text NOT NULL,
  PRIMARY KEY (workstation, id)
);

-- The signatures the chains uploaded before this version show given (an entry's "after"
-- is JSON text its workstation wrote: one that does not parse gives nothing).
CREATE FUNCTION opflow.jsonb_or_null(value text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN value::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;
INSERT INTO opflow.signatures (workstation, id, signer, role, meaning)
  SELECT workstation, after ->> 'id', coalesce(after ->> 'signer', ''), coalesce(after ->> 'role', ''),
         coalesce(after ->> 'meaning', '')
  FROM (SELECT workstation, opflow.jsonb_or_null(entry ->> 'after') AS after
        FROM (SELECT workstation, opflow.jsonb_or_null(payload) AS entry FROM opflow.events
              WHERE kind = 'audit.entry' AND outcome = 'applied') AS audited
        WHERE entry ->> 'action' = 'signature.given') AS given
  WHERE jsonb_typeof(after -> 'id') = 'string'
  ON CONFLICT DO NOTHING;
)sql";
}

// The shop's audit review looks entries up by order and by correlation id, newest first.
// Only entries the shop took (applied) are indexed: their payload is JSON it has read.
const char* shopAuditIndexesV3() {
  return R"sql(
CREATE INDEX events_audit_order ON opflow.events (((payload::jsonb) ->> 'order_number'), position)
  WHERE kind = 'audit.entry' AND outcome = 'applied';
CREATE INDEX events_audit_correlation ON opflow.events (((payload::jsonb) ->> 'correlation_id'), position)
  WHERE kind = 'audit.entry' AND outcome = 'applied';
)sql";
}

// The shop's node statistics read an operation's latest ended runs, newest first, and the
// steps their audit entries record, by run.
const char* shopStatisticsIndexesV4() {
  return R"sql(
CREATE INDEX events_run_operation ON opflow.events (((payload::jsonb) ->> 'operation'), position)
  WHERE kind = 'run.summary' AND outcome = 'applied';
CREATE INDEX events_run_steps ON opflow.events (((payload::jsonb) ->> 'subject_id'))
  WHERE kind = 'audit.entry' AND outcome = 'applied' AND ((payload::jsonb) ->> 'action') = 'run.step';
)sql";
}

constexpr std::array kChain{store::Migration{1, sharedV1}, store::Migration{2, definitionsAndSignaturesV2},
                            store::Migration{3, shopAuditIndexesV3}, store::Migration{4, shopStatisticsIndexesV4}};

} // namespace

std::span<const store::Migration> postgresSharedMigrations() { return kChain; }

Result<int> postgresSchemaVersion(pg::PgConnection& connection) {
  auto found = connection.query("SELECT to_regclass('opflow.schema_version') IS NOT NULL");
  if (!found) {
    return found.error();
  }
  if (found->text(0, 0) != "t") {
    return 0;
  }
  auto version = connection.query("SELECT version FROM opflow.schema_version");
  if (!version) {
    return version.error();
  }
  return version->size() == 1 ? static_cast<int>(version->int64(0, 0)) : 0;
}

Status migratePostgresShared(pg::PgConnection& connection, const std::string& shown) {
  const int latest = kChain.back().version;
  if (Status begun = connection.exec(fmt::format("BEGIN; {}", kMigrationLock)); !begun) {
    return begun;
  }
  const auto rollback = [&connection](Error error) -> Status {
    (void)connection.exec("ROLLBACK");
    return error;
  };
  auto version = postgresSchemaVersion(connection);
  if (!version) {
    return rollback(version.error());
  }
  if (*version > latest) {
    return rollback(store::newerSchemaError(shown, kWhat, *version, latest));
  }
  if (*version == latest) {
    return connection.exec("COMMIT");
  }
  if (*version == 0) {
    if (Status made = connection.exec("CREATE SCHEMA IF NOT EXISTS opflow; "
                                      "CREATE TABLE opflow.schema_version (version integer NOT NULL); "
                                      "INSERT INTO opflow.schema_version VALUES (0)");
        !made) {
      return rollback(made.error());
    }
  }
  for (const store::Migration& migration : kChain) {
    if (migration.version <= *version) {
      continue;
    }
    if (Status applied = connection.exec(migration.sql()); !applied) {
      return rollback(applied.error());
    }
  }
  if (Status recorded = connection.exec(fmt::format("UPDATE opflow.schema_version SET version = {}", latest));
      !recorded) {
    return rollback(recorded.error());
  }
  return connection.exec("COMMIT");
}

} // namespace opflow::sync::detail
