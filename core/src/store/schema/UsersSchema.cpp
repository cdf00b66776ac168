// Users, sessions, signatures and settings (migration 5), and the order details the
// lifecycle operations record.
//
// users: one row per person; the password is an argon2id string from libsodium
// (crypto_pwhash_str: algorithm, cost and salt travel with the hash). A disabled user
// keeps the row (audit entries name them) and can neither sign in nor sign.
// user_sessions: a sign-in at a workstation; a new sign-in at the same workstation ends
// the one before it (shift change), sign-out ends it.
// signatures: electronic signatures (who, role, when, where, what they mean, on which
// subject). Like the audit chain they are never changed or removed (triggers refuse).
// settings: per-database knobs (e.g. the demo's pricing speed factor), key and JSON value.
// orders.details: what the lifecycle operations record on an order as one JSON object
// (file checksum and volume, pricing inputs, carrier and tracking number, reviewer, ...).
#include "Schema.h"

namespace opflow::store::schema {

const char* usersV1() {
  return R"sql(
CREATE TABLE users (
  name          TEXT    PRIMARY KEY COLLATE NOCASE,
  role          TEXT    NOT NULL CHECK (role IN ('operator', 'supervisor', 'manager', 'admin')),
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE user_sessions (
  id          TEXT    PRIMARY KEY,
  user_name   TEXT    NOT NULL REFERENCES users(name),
  role        TEXT    NOT NULL,
  workstation TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER
) WITHOUT ROWID;

CREATE INDEX user_sessions_open ON user_sessions (workstation, ended_at);

CREATE TABLE signatures (
  id           TEXT    PRIMARY KEY,
  signer       TEXT    NOT NULL REFERENCES users(name),
  role         TEXT    NOT NULL,
  meaning      TEXT    NOT NULL,
  subject_type TEXT    NOT NULL,
  subject_id   TEXT    NOT NULL,
  workstation  TEXT    NOT NULL,
  at           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX signatures_subject ON signatures (subject_type, subject_id, at);

CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN
  SELECT RAISE(ABORT, 'signatures are permanent: they cannot be changed');
END;

CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN
  SELECT RAISE(ABORT, 'signatures are permanent: they cannot be removed');
END;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) WITHOUT ROWID;

ALTER TABLE orders ADD COLUMN details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details));
)sql";
}

} // namespace opflow::store::schema
