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
  {
    version: 2,
    sql: `
      ALTER TABLE documents ADD COLUMN comment_deadline TEXT;
      CREATE TABLE threads (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        visibility TEXT NOT NULL,
        author_id TEXT NOT NULL REFERENCES participants(id),
        anchor TEXT,
        proposal TEXT,
        applied_at TEXT,
        applied_by TEXT,
        disposition TEXT,
        communication_id TEXT,
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        acknowledgement TEXT,
        late INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        created_in_revision TEXT
      );
      CREATE INDEX threads_document ON threads(document_id, created_at);
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        thread_id TEXT NOT NULL REFERENCES threads(id),
        author_id TEXT NOT NULL REFERENCES participants(id),
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        edited_at TEXT,
        withdrawn_at TEXT,
        history TEXT NOT NULL DEFAULT '[]',
        mentions TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX messages_thread ON messages(thread_id, created_at);
      CREATE TABLE mentions (
        message_id TEXT NOT NULL REFERENCES messages(id),
        participant_id TEXT,
        organisation TEXT
      );
      CREATE INDEX mentions_participant ON mentions(participant_id);
      CREATE INDEX mentions_organisation ON mentions(organisation);
      CREATE TABLE communications (
        id TEXT PRIMARY KEY,
        organisation TEXT NOT NULL,
        reference TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        channel TEXT NOT NULL,
        text TEXT NOT NULL,
        document_id TEXT NOT NULL REFERENCES documents(id),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT,
        acknowledgement TEXT
      );
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id TEXT,
        action TEXT NOT NULL,
        subject_type TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        details TEXT NOT NULL
      );
      CREATE INDEX audit_subject ON audit(subject_id, id);
    `,
  },
  {
    version: 3,
    sql: `
      CREATE TABLE revisions (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id),
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        symbol TEXT,
        note TEXT NOT NULL,
        state BLOB NOT NULL,
        content TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        contributors TEXT NOT NULL
      );
      CREATE INDEX revisions_document ON revisions(document_id, created_at);
    `,
  },
  {
    version: 4,
    sql: 'ALTER TABLE threads ADD COLUMN reflected_in TEXT;',
  },
  {
    version: 5,
    sql: `
      CREATE TABLE document_tasks (
        document_id TEXT NOT NULL REFERENCES documents(id),
        task TEXT NOT NULL,
        owner TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        PRIMARY KEY (document_id, task)
      );
    `,
  },
]
