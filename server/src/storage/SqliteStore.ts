import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { type Row, toDocument, toParticipant, toRevision, toStoredUpdate } from './rows.ts'
import type {
  AuditEntry,
  CommunicationRecord,
  DocumentRecord,
  DocumentTask,
  LoadedDocument,
  Mention,
  MessageRecord,
  NewDocument,
  NewParticipant,
  ParticipantRecord,
  RevisionRecord,
  Store,
  StoredAuditEntry,
  StoredUpdate,
  ThreadPatch,
  ThreadRecord,
  UpdateRow,
} from './Store.ts'
import { SqliteComments } from './sqliteComments.ts'
import { sqliteMigrations } from './sqliteMigrations.ts'

const now = () => new Date().toISOString()

/** The embedded store: one SQLite file in WAL mode. */
export class SqliteStore implements Store {
  readonly db: Database.Database
  private readonly comments: SqliteComments

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: each commit is fsynced, so an acknowledged ("saved") edit survives a power loss too,
    // not only a process crash; group commit keeps that to one fsync per burst.
    this.db.pragma('synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.comments = new SqliteComments(this.db)
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    )
    const applied = new Set(
      (this.db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    )
    for (const migration of sqliteMigrations) {
      if (applied.has(migration.version)) continue
      this.db.transaction(() => {
        this.db.exec(migration.sql)
        this.db
          .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
          .run(migration.version, now())
      })()
    }
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }

  async createParticipant(p: NewParticipant): Promise<ParticipantRecord> {
    const createdAt = now()
    this.db
      .prepare(
        `INSERT INTO participants (id, name, organisation, organisation_kind, role, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.id, p.name, p.organisation, p.organisationKind, p.role, p.tokenHash, createdAt)
    const { tokenHash: _secret, ...record } = p
    return { ...record, createdAt, revokedAt: null }
  }

  async getParticipant(id: string): Promise<ParticipantRecord | null> {
    const row = this.db.prepare('SELECT * FROM participants WHERE id = ?').get(id) as Row | undefined
    return row ? toParticipant(row) : null
  }

  async findParticipantByTokenHash(tokenHash: string): Promise<ParticipantRecord | null> {
    const row = this.db.prepare('SELECT * FROM participants WHERE token_hash = ?').get(tokenHash) as
      | Row
      | undefined
    return row ? toParticipant(row) : null
  }

  async listParticipants(): Promise<ParticipantRecord[]> {
    const rows = this.db.prepare('SELECT * FROM participants ORDER BY created_at, id').all() as Row[]
    return rows.map(toParticipant)
  }

  async updateParticipant(
    id: string,
    patch: { role?: ParticipantRecord['role']; revoked?: boolean; tokenHash?: string },
  ): Promise<ParticipantRecord | null> {
    const tx = this.db.transaction(() => {
      if (patch.role !== undefined)
        this.db.prepare('UPDATE participants SET role = ? WHERE id = ?').run(patch.role, id)
      if (patch.tokenHash !== undefined) {
        this.db.prepare('UPDATE participants SET token_hash = ? WHERE id = ?').run(patch.tokenHash, id)
      }
      if (patch.revoked !== undefined) {
        this.db
          .prepare('UPDATE participants SET revoked_at = ? WHERE id = ?')
          .run(patch.revoked ? now() : null, id)
        if (patch.revoked) this.db.prepare('DELETE FROM sessions WHERE participant_id = ?').run(id)
      }
    })
    tx()
    return this.getParticipant(id)
  }

  async createSession(sessionHash: string, participantId: string): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (hash, participant_id, created_at) VALUES (?, ?, ?)')
      .run(sessionHash, participantId, now())
  }

  async findSession(sessionHash: string): Promise<string | null> {
    const row = this.db.prepare('SELECT participant_id FROM sessions WHERE hash = ?').get(sessionHash) as
      | { participant_id: string }
      | undefined
    return row?.participant_id ?? null
  }

  async deleteSession(sessionHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE hash = ?').run(sessionHash)
  }

  async createDocument(d: NewDocument): Promise<DocumentRecord> {
    const at = now()
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO documents (id, title, pen_holders, created_at, created_by, updated_at, last_change_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.id, d.title, JSON.stringify(d.penHolders), at, d.createdBy, at, d.createdBy)
      this.db
        .prepare('INSERT INTO snapshots (document_id, seq, data, created_at) VALUES (?, 0, ?, ?)')
        .run(d.id, Buffer.from(d.initialState), at)
    })()
    return (await this.getDocument(d.id)) as DocumentRecord
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    const row = this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined
    return row ? toDocument(row) : null
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    const rows = this.db.prepare('SELECT * FROM documents ORDER BY updated_at DESC, id').all() as Row[]
    return rows.map(toDocument)
  }

  async updateDocument(
    id: string,
    patch: { title?: string; penHolders?: string[]; commentDeadline?: string | null },
  ): Promise<DocumentRecord | null> {
    this.db.transaction(() => {
      if (patch.commentDeadline !== undefined) {
        this.db
          .prepare('UPDATE documents SET comment_deadline = ? WHERE id = ?')
          .run(patch.commentDeadline, id)
      }
      if (patch.title !== undefined)
        this.db.prepare('UPDATE documents SET title = ? WHERE id = ?').run(patch.title, id)
      if (patch.penHolders !== undefined) {
        this.db
          .prepare('UPDATE documents SET pen_holders = ? WHERE id = ?')
          .run(JSON.stringify(patch.penHolders), id)
      }
    })()
    return this.getDocument(id)
  }

  async appendUpdates(documentId: string, updates: UpdateRow[]): Promise<number> {
    if (updates.length === 0) return this.lastSeq(documentId)
    const at = now()
    const insert = this.db.prepare(
      'INSERT INTO updates (document_id, seq, data, participant_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    return this.db.transaction(() => {
      let seq = this.lastSeq(documentId)
      for (const update of updates) {
        seq += 1
        insert.run(documentId, seq, Buffer.from(update.data), update.participantId, at)
      }
      const author = [...updates].reverse().find((u) => u.participantId)?.participantId
      this.db
        .prepare(
          'UPDATE documents SET updated_at = ?, last_change_by = COALESCE(?, last_change_by) WHERE id = ?',
        )
        .run(at, author ?? null, documentId)
      return seq
    })()
  }

  private lastSeq(documentId: string): number {
    const row = this.db
      .prepare(
        `SELECT MAX(seq) AS seq FROM (
           SELECT MAX(seq) AS seq FROM updates WHERE document_id = ?
           UNION ALL SELECT seq FROM snapshots WHERE document_id = ?)`,
      )
      .get(documentId, documentId) as { seq: number | null }
    return row.seq ?? 0
  }

  async loadDocument(documentId: string): Promise<LoadedDocument> {
    return this.db.transaction(() => {
      const snap = this.db.prepare('SELECT seq, data FROM snapshots WHERE document_id = ?').get(documentId) as
        | { seq: number; data: Buffer }
        | undefined
      const snapshotSeq = snap?.seq ?? 0
      const rows = this.db
        .prepare(
          'SELECT seq, data, participant_id, created_at FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
        )
        .all(documentId, snapshotSeq) as {
        seq: number
        data: Buffer
        participant_id: string | null
        created_at: string
      }[]
      const updates: StoredUpdate[] = rows.map(toStoredUpdate)
      return { snapshot: snap ? new Uint8Array(snap.data) : null, snapshotSeq, updates }
    })()
  }

  async compact(documentId: string, state: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO snapshots (document_id, seq, data, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, created_at = excluded.created_at
           WHERE excluded.seq >= snapshots.seq`,
        )
        .run(documentId, throughSeq, Buffer.from(state), now())
      this.db.prepare('DELETE FROM updates WHERE document_id = ? AND seq <= ?').run(documentId, throughSeq)
    })()
  }

  async createThread(thread: ThreadRecord, first: MessageRecord, audit: AuditEntry): Promise<void> {
    this.comments.createThread(thread, first, audit)
  }

  async getThread(id: string): Promise<ThreadRecord | null> {
    return this.comments.getThread(id)
  }

  async listThreads(documentId: string): Promise<ThreadRecord[]> {
    return this.comments.listThreads(documentId)
  }

  async updateThread(id: string, patch: ThreadPatch, audit: AuditEntry): Promise<ThreadRecord | null> {
    return this.comments.updateThread(id, patch, audit)
  }

  async addMessage(message: MessageRecord, audit: AuditEntry): Promise<void> {
    this.comments.addMessage(message, audit)
  }

  async getMessage(id: string): Promise<MessageRecord | null> {
    return this.comments.getMessage(id)
  }

  async updateMessage(
    id: string,
    patch: { body?: string; mentions?: Mention[]; withdrawn?: boolean },
    audit: AuditEntry,
  ): Promise<MessageRecord | null> {
    return this.comments.updateMessage(id, patch, audit)
  }

  async listMessages(threadIds: string[]): Promise<MessageRecord[]> {
    return this.comments.listMessages(threadIds)
  }

  async listMentions(participantId: string, organisation: string): Promise<MessageRecord[]> {
    return this.comments.listMentions(participantId, organisation)
  }

  async createCommunication(communication: CommunicationRecord, audit: AuditEntry): Promise<void> {
    this.comments.createCommunication(communication, audit)
  }

  async getCommunication(id: string): Promise<CommunicationRecord | null> {
    return this.comments.getCommunication(id)
  }

  async listCommunications(): Promise<CommunicationRecord[]> {
    return this.comments.listCommunications()
  }

  async acknowledgeCommunication(
    id: string,
    ack: { acknowledgedAt: string; acknowledgedBy: string; acknowledgement: string },
    audit: AuditEntry,
  ): Promise<CommunicationRecord | null> {
    return this.comments.acknowledgeCommunication(id, ack, audit)
  }

  async listAudit(subjectId: string): Promise<StoredAuditEntry[]> {
    return this.comments.listAudit(subjectId)
  }

  async createRevision(r: RevisionRecord, audit: AuditEntry): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO revisions (id, document_id, kind, label, symbol, note, state, content, hash, created_at, created_by, contributors)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.id,
          r.documentId,
          r.kind,
          r.label,
          r.symbol,
          r.note,
          Buffer.from(r.state),
          JSON.stringify(r.content),
          r.hash,
          r.createdAt,
          r.createdBy,
          JSON.stringify(r.contributors),
        )
      this.comments.audit(audit, r.createdAt)
    })()
  }

  async getRevision(id: string): Promise<RevisionRecord | null> {
    const row = this.db.prepare('SELECT * FROM revisions WHERE id = ?').get(id) as Row | undefined
    return row ? toRevision(row) : null
  }

  async listRevisions(documentId: string, options: { checkpoints: boolean }): Promise<RevisionRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM revisions WHERE document_id = ? ${options.checkpoints ? '' : "AND kind = 'published'"}
         ORDER BY created_at, rowid`,
      )
      .all(documentId) as Row[]
    return rows.map(toRevision)
  }

  async loadDocumentSince(documentId: string, afterSeq: number): Promise<LoadedDocument> {
    return this.db.transaction(() => {
      const snap = this.db
        .prepare('SELECT seq, CASE WHEN seq > ? THEN data END AS data FROM snapshots WHERE document_id = ?')
        .get(afterSeq, documentId) as { seq: number; data: Buffer | null } | undefined
      const snapshotSeq = snap?.seq ?? 0
      const rows = this.db
        .prepare(
          'SELECT seq, data, participant_id, created_at FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
        )
        .all(documentId, Math.max(afterSeq, snapshotSeq)) as {
        seq: number
        data: Buffer
        participant_id: string | null
        created_at: string
      }[]
      return {
        snapshot: snap?.data ? new Uint8Array(snap.data) : null,
        snapshotSeq,
        updates: rows.map(toStoredUpdate),
      }
    })()
  }

  async claimTask(
    documentId: string,
    task: DocumentTask,
    owner: string,
    intervalMs: number,
  ): Promise<boolean> {
    const at = Date.now()
    const result = this.db
      .prepare(
        `INSERT INTO document_tasks (document_id, task, owner, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (document_id, task) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at
         WHERE document_tasks.claimed_at <= excluded.claimed_at - ?`,
      )
      .run(documentId, task, owner, at, intervalMs)
    return result.changes === 1
  }

  async countUpdates(documentId: string): Promise<number> {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM updates WHERE document_id = ?
         AND seq > COALESCE((SELECT seq FROM snapshots WHERE document_id = ?), 0)`,
      )
      .get(documentId, documentId) as { n: number }
    return row.n
  }
}
