/** Schema versions of the SQLite store, applied in order, each in one transaction. */
export const sqliteMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        organisation TEXT NOT NULL,
        organisation_kind TEXT NOT NULL,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants(id),
        created_at TEXT NOT NULL
      );
      CREATE INDEX sessions_participant ON sessions(participant_id);
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        pen_holders TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        updated_at TEXT NOT NULL,
        last_change_by TEXT
      );
      CREATE TABLE snapshots (
        document_id TEXT PRIMARY KEY REFERENCES documents(id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE updates (
        document_id TEXT NOT NULL REFERENCES documents(id),
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        participant_id TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (document_id, seq)
      );
    `,
  },
]
