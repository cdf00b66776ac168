#include "SqliteSharedSchema.h"

#include <array>

namespace opflow::sync::detail {

namespace {

// The shop's feed and the state it builds. `events.position` is the feed's cursor: the
// file has one writer at a time, so positions are taken in commit order.
const char* sharedV1() {
  return R"sql(
CREATE TABLE shared_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO shared_meta (key, value) VALUES ('epoch', lower(hex(randomblob(16))));

CREATE TABLE workstations (
  name          TEXT PRIMARY KEY,
  last_seq      INTEGER NOT NULL DEFAULT 0,  -- the last event taken, in its sequence
  audit_seq     INTEGER NOT NULL DEFAULT 0,  -- where its audit chain ends here
  audit_hash    TEXT    NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  first_contact INTEGER NOT NULL,
  last_contact  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE events (
  position        INTEGER PRIMARY KEY,
  id              TEXT    NOT NULL UNIQUE,
  workstation     TEXT    NOT NULL REFERENCES workstations(name),
  seq             INTEGER NOT NULL,
  kind            TEXT    NOT NULL,
  payload_version INTEGER NOT NULL,
  subject_id      TEXT    NOT NULL,
  base_version    INTEGER,
  payload         TEXT,
  digest          TEXT    NOT NULL, -- of the content: a resent id must carry the same
  created_at      INTEGER NOT NULL, -- the workstation's clock
  received_at     INTEGER NOT NULL, -- the shared side's clock
  outcome         TEXT    NOT NULL CHECK (outcome IN ('applied', 'conflict', 'refused')),
  reason          TEXT    NOT NULL DEFAULT '',
  UNIQUE (workstation, seq)
);
CREATE INDEX events_unresolved ON events(outcome, position) WHERE outcome <> 'applied';

CREATE TABLE orders (
  number      TEXT PRIMARY KEY COLLATE NOCASE, -- as the workstations number them
  version     INTEGER NOT NULL,
  record      TEXT    NOT NULL,
  event_id    TEXT    NOT NULL, -- the change that made this version
  workstation TEXT    NOT NULL
) WITHOUT ROWID;

-- The feed and the orders are history: nothing rewrites them.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the shared feed is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the shared feed is append-only'); END;
)sql";
}

// Order numbers handed out in blocks (see NumberBlock), and the shop's users as the last
// applied change of each left them (its password hash, never a password).
const char* numberBlocksAndUsersV2() {
  return R"sql(
CREATE TABLE users (
  name        TEXT PRIMARY KEY COLLATE NOCASE, -- as the workstations match names
  record      TEXT NOT NULL,
  event_id    TEXT NOT NULL, -- the change that made this state
  workstation TEXT NOT NULL, -- where the user was added
  changed_at  TEXT NOT NULL  -- where the last change was made
) WITHOUT ROWID;

CREATE TABLE number_blocks (
  first       INTEGER PRIMARY KEY,
  last        INTEGER NOT NULL CHECK (last >= first),
  workstation TEXT    NOT NULL,
  reserved_at INTEGER NOT NULL
);
CREATE INDEX number_blocks_last ON number_blocks(last);
)sql";
}

// The definition versions admins loaded into the shop, one content per version, and the
// signatures the workstations' audit chains show given, which order changes may record.
const char* definitionsAndSignaturesV3() {
  return R"sql(
CREATE TABLE definitions (
  subject      TEXT PRIMARY KEY, -- "name vN"
  content_hash TEXT NOT NULL,
  event_id     TEXT NOT NULL,   -- the event that brought it
  workstation  TEXT NOT NULL    -- where it was loaded
) WITHOUT ROWID;

CREATE TABLE signatures (
  workstation TEXT NOT NULL, -- whose chain shows it given
  id          TEXT NOT NULL,
  signer      TEXT NOT NULL,
  role        TEXT NOT NULL,
  meaning     TEXT NOT NULL,
  PRIMARY KEY (workstation, id)
) WITHOUT ROWID;

-- The signatures the chains uploaded before this version show given.
INSERT OR IGNORE INTO signatures (workstation, id, signer, role, meaning)
  SELECT workstation, json_extract(after, '$.id'), coalesce(json_extract(after, '$.signer'), ''),
         coalesce(json_extract(after, '$.role'), ''), coalesce(json_extract(after, '$.meaning'), '')
  FROM (SELECT workstation, json_extract(payload, '$.after') AS after FROM events
        WHERE kind = 'audit.entry' AND outcome = 'applied' AND json_valid(payload)
          AND json_extract(payload, '$.action') = 'signature.given')
  WHERE json_valid(after) AND json_type(after, '$.id') = 'text';
)sql";
}

// The shop's audit review looks entries up by order and by correlation id, newest first.
// Only entries the shop took (applied) are indexed: their payload is JSON it has read.
const char* shopAuditIndexesV4() {
  return R"sql(
CREATE INDEX events_audit_order ON events(json_extract(payload, '$.order_number'), position)
  WHERE kind = 'audit.entry' AND outcome = 'applied';
CREATE INDEX events_audit_correlation ON events(json_extract(payload, '$.correlation_id'), position)
  WHERE kind = 'audit.entry' AND outcome = 'applied';
)sql";
}

// The shop's node statistics read an operation's latest ended runs, newest first, and the
// steps their audit entries record, by run.
const char* shopStatisticsIndexesV5() {
  return R"sql(
CREATE INDEX events_run_operation ON events(json_extract(payload, '$.operation'), position)
  WHERE kind = 'run.summary' AND outcome = 'applied';
CREATE INDEX events_run_steps ON events(json_extract(payload, '$.subject_id'))
  WHERE kind = 'audit.entry' AND outcome = 'applied' AND json_extract(payload, '$.action') = 'run.step';
)sql";
}

constexpr std::array kChain{store::Migration{1, sharedV1}, store::Migration{2, numberBlocksAndUsersV2},
                            store::Migration{3, definitionsAndSignaturesV3}, store::Migration{4, shopAuditIndexesV4},
                            store::Migration{5, shopStatisticsIndexesV5}};

} // namespace

std::span<const store::Migration> sqliteSharedMigrations() { return kChain; }

} // namespace opflow::sync::detail
