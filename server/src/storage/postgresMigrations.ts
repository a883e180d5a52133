/**
 * Schema versions of the PostgreSQL store, the same tables as `sqliteMigrations.ts` with
 * PostgreSQL types. They are applied in order, in one transaction, under an advisory lock
 * (`PostgresStore.migrate`), so instances starting together never race.
 *
 * Choices:
 * - Timestamps are `text` holding the ISO strings the store is given or creates
 *   (`2026-01-31T10:00:00.000Z`), so they come back exactly as written, like SQLite's.
 * - JSON values are `text` too: jsonb would reorder object keys and refuse `\u0000`, and every
 *   value must round-trip unchanged (revision content is hashed).
 * - Yjs states and updates are `bytea`; sequence numbers and audit ids are `bigint`.
 * - Ids and timestamps used for ordering use the "C" collation, so lists come in the same
 *   (byte-wise) order as SQLite's whatever the database's locale is.
 * - `revisions.ord` keeps insertion order, the tie-breaker SQLite gets from its rowid.
 */
/** Sets each document's last_seq from its log and snapshot (after a migration or a copy). */
export const RECOMPUTE_LAST_SEQ = `UPDATE documents SET last_seq = GREATEST(
  COALESCE((SELECT MAX(seq) FROM updates WHERE updates.document_id = documents.id), 0),
  COALESCE((SELECT seq FROM snapshots WHERE snapshots.document_id = documents.id), 0))`

export const postgresMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE participants (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        organisation text NOT NULL,
        organisation_kind text NOT NULL,
        role text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at text COLLATE "C" NOT NULL,
        revoked_at text
      );
      CREATE TABLE sessions (
        hash text PRIMARY KEY,
        participant_id text COLLATE "C" NOT NULL REFERENCES participants(id),
        created_at text NOT NULL
      );
      CREATE INDEX sessions_participant ON sessions(participant_id);
      CREATE TABLE documents (
        id text COLLATE "C" PRIMARY KEY,
        title text NOT NULL,
        pen_holders text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        created_by text,
        updated_at text COLLATE "C" NOT NULL,
        last_change_by text
      );
      CREATE TABLE snapshots (
        document_id text COLLATE "C" PRIMARY KEY REFERENCES documents(id),
        seq bigint NOT NULL,
        data bytea NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE updates (
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id),
        seq bigint NOT NULL,
        data bytea NOT NULL,
        participant_id text,
        created_at text NOT NULL,
        PRIMARY KEY (document_id, seq)
      );
    `,
  },
  {
    version: 2,
    sql: `
      ALTER TABLE documents ADD COLUMN comment_deadline text;
      CREATE TABLE threads (
        id text COLLATE "C" PRIMARY KEY,
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id),
        kind text NOT NULL,
        status text NOT NULL,
        visibility text NOT NULL,
        author_id text COLLATE "C" NOT NULL REFERENCES participants(id),
        anchor text,
        proposal text,
        applied_at text,
        applied_by text,
        disposition text,
        communication_id text,
        acknowledged_at text,
        acknowledged_by text,
        acknowledgement text,
        late boolean NOT NULL DEFAULT false,
        created_at text COLLATE "C" NOT NULL,
        updated_at text NOT NULL,
        created_in_revision text
      );
      CREATE INDEX threads_document ON threads(document_id, created_at);
      CREATE TABLE messages (
        id text COLLATE "C" PRIMARY KEY,
        thread_id text COLLATE "C" NOT NULL REFERENCES threads(id),
        author_id text COLLATE "C" NOT NULL REFERENCES participants(id),
        body text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        edited_at text,
        withdrawn_at text,
        history text NOT NULL DEFAULT '[]',
        mentions text NOT NULL DEFAULT '[]'
      );
      CREATE INDEX messages_thread ON messages(thread_id, created_at);
      CREATE TABLE mentions (
        message_id text COLLATE "C" NOT NULL REFERENCES messages(id),
        participant_id text,
        organisation text
      );
      CREATE INDEX mentions_message ON mentions(message_id);
      CREATE INDEX mentions_participant ON mentions(participant_id);
      CREATE INDEX mentions_organisation ON mentions(organisation);
      CREATE TABLE communications (
        id text COLLATE "C" PRIMARY KEY,
        organisation text NOT NULL,
        reference text NOT NULL,
        sent_at text NOT NULL,
        received_at text COLLATE "C" NOT NULL,
        channel text NOT NULL,
        text text NOT NULL,
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id),
        created_by text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        acknowledged_at text,
        acknowledged_by text,
        acknowledgement text
      );
      CREATE TABLE audit (
        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at text NOT NULL,
        actor_id text,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text COLLATE "C" NOT NULL,
        details text NOT NULL
      );
      CREATE INDEX audit_subject ON audit(subject_id, id);
    `,
  },
  {
    version: 3,
    sql: `
      CREATE TABLE revisions (
        id text COLLATE "C" PRIMARY KEY,
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id),
        kind text NOT NULL,
        label text NOT NULL,
        symbol text,
        note text NOT NULL,
        state bytea NOT NULL,
        content text NOT NULL,
        hash text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        created_by text,
        contributors text NOT NULL,
        ord bigint GENERATED ALWAYS AS IDENTITY
      );
      CREATE INDEX revisions_document ON revisions(document_id, created_at, ord);
    `,
  },
  {
    version: 4,
    sql: 'ALTER TABLE threads ADD COLUMN reflected_in text;',
  },
  {
    version: 5,
    sql: `
      CREATE TABLE document_tasks (
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id),
        task text COLLATE "C" NOT NULL,
        owner text NOT NULL,
        claimed_at bigint NOT NULL,
        PRIMARY KEY (document_id, task)
      );
    `,
  },
  {
    // The last sequence number of each document's log, kept on its row: an append is then one
    // statement (see PostgresStore.appendUpdates).
    version: 6,
    sql: `
      ALTER TABLE documents ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;
      ${RECOMPUTE_LAST_SEQ};
    `,
  },
]

/** Every table of the schema, parents before children (the order to copy into and to empty). */
export const postgresTables = [
  'participants',
  'sessions',
  'documents',
  'snapshots',
  'updates',
  'threads',
  'messages',
  'mentions',
  'communications',
  'audit',
  'revisions',
  'document_tasks',
] as const
