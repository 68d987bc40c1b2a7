// Schema migrations: an ordered list, applied by ./migrate.ts (under SQLite's write lock) and
// recorded in schema_migrations, so re-opening a database is a no-op.
import { inboxIndexes } from './case-query'
import type { Db } from './db'

export interface Migration {
  version: number
  name: string
  up: (db: Db) => void
}

const initialSchema = `
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    registration_no TEXT,
    channel TEXT NOT NULL,
    anonymity TEXT NOT NULL,
    enc_mode TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    category TEXT,
    tags TEXT NOT NULL,
    assignee_id TEXT,
    plan_item_ids TEXT NOT NULL,
    case_public_key TEXT NOT NULL,
    reporter_box_public_key TEXT,
    reporter_sign_public_key TEXT,
    receipt_lookup TEXT UNIQUE,
    received_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    unread_for_officers INTEGER NOT NULL,
    unread_for_reporter INTEGER NOT NULL,
    clocks TEXT NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE INDEX cases_received ON cases (received_at DESC, created_at DESC);
  CREATE INDEX cases_state ON cases (state);
  CREATE INDEX cases_assignee ON cases (assignee_id);

  CREATE TABLE case_items (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    author_role TEXT NOT NULL,
    author_id TEXT,
    enc_mode TEXT NOT NULL,
    sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, seq)
  );

  CREATE TABLE grants (
    case_id TEXT NOT NULL,
    grantee_kind TEXT NOT NULL,
    grantee_id TEXT NOT NULL,
    sealed_key BLOB NOT NULL,
    granted_by TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, grantee_kind, grantee_id)
  );
  CREATE INDEX grants_grantee ON grants (grantee_kind, grantee_id, case_id);

  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    roles TEXT NOT NULL,
    status TEXT NOT NULL,
    auth_hash TEXT,
    totp_secret_sealed TEXT,
    totp_last_step INTEGER,
    box_public_key TEXT,
    sign_public_key TEXT,
    keys TEXT,
    recovery_keys TEXT,
    pinned_fingerprint TEXT,
    invite_token_hash TEXT,
    invite_expires_at INTEGER,
    notify_digest INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
  );
  CREATE INDEX accounts_invite ON accounts (invite_token_hash);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    account_id TEXT,
    case_id TEXT,
    data BLOB,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_account ON sessions (account_id);
  CREATE INDEX sessions_expires ON sessions (expires_at);

  CREATE TABLE plan_items (
    id TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    measure TEXT NOT NULL,
    deadline_text TEXT NOT NULL,
    responsible TEXT NOT NULL,
    done_text TEXT NOT NULL,
    position INTEGER NOT NULL
  );
  CREATE INDEX plan_items_year ON plan_items (year, position);

  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id TEXT,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_id TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_subject ON audit (subject_id, seq);

  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    template TEXT NOT NULL,
    params TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
  );
  CREATE INDEX outbox_due ON outbox (status, not_before);

  CREATE TABLE blobs (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    pieces INTEGER NOT NULL,
    size INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    sha256 TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX blobs_case ON blobs (case_id);
  CREATE TABLE blob_pieces (
    blob_id TEXT NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob_id, idx)
  );

  CREATE TABLE tokens (
    token TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER
  );
  CREATE INDEX tokens_expires ON tokens (expires_at);

  CREATE TABLE counters (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
  );
  CREATE INDEX counters_expires ON counters (expires_at);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
`

// Officer workspace: a pending extension and protection measures on the case, the officers-only
// note key (its public half on the case, its sealed secret on each officer's grant), and the
// yearly registration-number counter.
const officerWorkspace = `
  ALTER TABLE cases ADD COLUMN pending_extension TEXT;
  ALTER TABLE cases ADD COLUMN protection_measures TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE cases ADD COLUMN note_public_key TEXT;
  ALTER TABLE grants ADD COLUMN sealed_note_key BLOB;
  CREATE TABLE registration_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
  );
`

// Plan items say which kinds of case work they cover (JSON list of CaseWorkKind).
const planCovers = `
  ALTER TABLE plan_items ADD COLUMN covers TEXT NOT NULL DEFAULT '[]';
`

const caseReferral = `
  ALTER TABLE cases ADD COLUMN referral TEXT;
`

/** Append only: never edit a migration that has shipped, add the next one. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', up: (db) => db.exec(initialSchema) },
  { version: 2, name: 'officer workspace', up: (db) => db.exec(officerWorkspace) },
  { version: 3, name: 'plan item covers', up: (db) => db.exec(planCovers) },
  { version: 4, name: 'case referral', up: (db) => db.exec(caseReferral) },
  { version: 5, name: 'inbox indexes', up: (db) => db.exec(inboxIndexes) },
]
