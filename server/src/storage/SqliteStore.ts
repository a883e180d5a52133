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
  LoadedState,
  Mention,
  MessageRecord,
  NewDocument,
  NewParticipant,
  ParticipantRecord,
  RevisionRecord,
  Store,
  StoredAuditEntry,
  ThreadPatch,
  ThreadRecord,
  UpdateRow,
} from './Store.ts'
import { SqliteComments, statementCache } from './sqliteComments.ts'
import { sqliteMigrations } from './sqliteMigrations.ts'
import { WalCheckpointer } from './walCheckpointer.ts'

const now = () => new Date().toISOString()

type AppendRequest = {
  documentId: string
  rows: { data: Buffer; participantId: string | null }[]
  resolve: (seq: number) => void
  reject: (error: unknown) => void
}

/** The embedded store: one SQLite file in WAL mode. */
export class SqliteStore implements Store {
  readonly db: Database.Database
  private readonly comments: SqliteComments
  /** Participant writes of this connection (another's change the file's data version). */
  private participantWrites = 0
  /** Prepared statements, kept: preparing costs more than running for the small hot queries. */
  private readonly prepare: (sql: string) => Database.Statement
  private readonly appendQueue: AppendRequest[] = []
  readonly checkpointer: WalCheckpointer | null
  /** The write-ahead log's path (null for an in-memory database), and its descriptor once open. */
  private readonly walPath: string | null
  private walFd: number | null = null
  /** Appends committed and waiting for the log's fsync, and whether one is under way. */
  private syncWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = []
  private syncInFlight: Promise<void> | null = null
  /** fsyncs of the log made for appends (for tests and the benchmark). */
  walSyncs = 0

  /**
   * `syncWal` makes the log durable; tests may replace it (the default is `fs.fdatasync` on the
   * log, in libuv's thread pool).
   */
  constructor(
    file: string,
    private readonly syncWal: (fd: number) => Promise<void> = (fd) =>
      new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve()))),
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: each commit is fsynced, so an acknowledged ("saved") edit survives a power loss too,
    // not only a process crash. Appends of edits are fsynced too, off the event loop and before
    // anyone hears of them (`commitAppends`).
    this.db.pragma('synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.prepare = statementCache(this.db)
    this.comments = new SqliteComments(this.db, this.prepare)
    // The write-ahead log is copied into the file off the event loop (see walCheckpointer.ts).
    this.checkpointer = file === ':memory:' ? null : new WalCheckpointer(this.db, file)
    this.walPath = file === ':memory:' ? null : `${file}-wal`
  }

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    )
    const applied = new Set(
      (this.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    )
    for (const migration of sqliteMigrations) {
      if (applied.has(migration.version)) continue
      this.db.transaction(() => {
        this.db.exec(migration.sql)
        this.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
          migration.version,
          now(),
        )
      })()
    }
  }

  async ping(): Promise<void> {
    this.prepare('SELECT 1').get()
  }

  async close(): Promise<void> {
    // Appends still waiting for their commit are committed first, and made durable.
    if (this.db.open) this.commitAppends()
    while (this.syncInFlight) await this.syncInFlight.catch(() => undefined)
    await this.checkpointer?.close()
    if (this.db.open) this.db.close()
    // -1: the log could not be opened, there is no descriptor to close.
    if (this.walFd !== null && this.walFd >= 0) fs.closeSync(this.walFd)
    this.walFd = null
  }

  /**
   * Threads, messages and mentions (their cache's generation, which a change to the file by any
   * other connection also moves on) and participants written by this connection.
   */
  commentsStamp(): string | null {
    const comments = this.comments.stamp()
    return comments === null ? null : `${comments}.${this.participantWrites}`
  }

  async createParticipant(p: NewParticipant): Promise<ParticipantRecord> {
    this.participantWrites += 1
    const createdAt = now()
    this.prepare(
      `INSERT INTO participants (id, name, organisation, organisation_kind, role, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(p.id, p.name, p.organisation, p.organisationKind, p.role, p.tokenHash, createdAt)
    const { tokenHash: _secret, ...record } = p
    return { ...record, createdAt, revokedAt: null }
  }

  async getParticipant(id: string): Promise<ParticipantRecord | null> {
    const row = this.prepare('SELECT * FROM participants WHERE id = ?').get(id) as Row | undefined
    return row ? toParticipant(row) : null
  }

  async findParticipantByTokenHash(tokenHash: string): Promise<ParticipantRecord | null> {
    const row = this.prepare('SELECT * FROM participants WHERE token_hash = ?').get(tokenHash) as
      | Row
      | undefined
    return row ? toParticipant(row) : null
  }

  async listParticipants(): Promise<ParticipantRecord[]> {
    const rows = this.prepare('SELECT * FROM participants ORDER BY created_at, id').all() as Row[]
    return rows.map(toParticipant)
  }

  async updateParticipant(
    id: string,
    patch: { role?: ParticipantRecord['role']; revoked?: boolean; tokenHash?: string },
  ): Promise<ParticipantRecord | null> {
    this.participantWrites += 1
    const tx = this.db.transaction(() => {
      if (patch.role !== undefined)
        this.prepare('UPDATE participants SET role = ? WHERE id = ?').run(patch.role, id)
      if (patch.tokenHash !== undefined) {
        this.prepare('UPDATE participants SET token_hash = ? WHERE id = ?').run(patch.tokenHash, id)
      }
      if (patch.revoked !== undefined) {
        this.prepare('UPDATE participants SET revoked_at = ? WHERE id = ?').run(
          patch.revoked ? now() : null,
          id,
        )
        if (patch.revoked) this.prepare('DELETE FROM sessions WHERE participant_id = ?').run(id)
      }
    })
    tx()
    return this.getParticipant(id)
  }

  async createSession(sessionHash: string, participantId: string): Promise<void> {
    this.prepare('INSERT INTO sessions (hash, participant_id, created_at) VALUES (?, ?, ?)').run(
      sessionHash,
      participantId,
      now(),
    )
  }

  async findSession(sessionHash: string): Promise<string | null> {
    const row = this.prepare('SELECT participant_id FROM sessions WHERE hash = ?').get(sessionHash) as
      | { participant_id: string }
      | undefined
    return row?.participant_id ?? null
  }

  async deleteSession(sessionHash: string): Promise<void> {
    this.prepare('DELETE FROM sessions WHERE hash = ?').run(sessionHash)
  }

  async createDocument(d: NewDocument): Promise<DocumentRecord> {
    const at = now()
    this.db.transaction(() => {
      this.prepare(
        `INSERT INTO documents (id, title, pen_holders, created_at, created_by, updated_at, last_change_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(d.id, d.title, JSON.stringify(d.penHolders), at, d.createdBy, at, d.createdBy)
      this.prepare('INSERT INTO snapshots (document_id, seq, data, created_at) VALUES (?, 0, ?, ?)').run(
        d.id,
        Buffer.from(d.initialState),
        at,
      )
    })()
    return (await this.getDocument(d.id)) as DocumentRecord
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    const row = this.prepare('SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined
    return row ? toDocument(row) : null
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    const rows = this.prepare('SELECT * FROM documents ORDER BY updated_at DESC, id').all() as Row[]
    return rows.map(toDocument)
  }

  async updateDocument(
    id: string,
    patch: { title?: string; penHolders?: string[]; commentDeadline?: string | null },
  ): Promise<DocumentRecord | null> {
    this.db.transaction(() => {
      if (patch.commentDeadline !== undefined) {
        this.prepare('UPDATE documents SET comment_deadline = ? WHERE id = ?').run(patch.commentDeadline, id)
      }
      if (patch.title !== undefined)
        this.prepare('UPDATE documents SET title = ? WHERE id = ?').run(patch.title, id)
      if (patch.penHolders !== undefined) {
        this.prepare('UPDATE documents SET pen_holders = ? WHERE id = ?').run(
          JSON.stringify(patch.penHolders),
          id,
        )
      }
    })()
    return this.getDocument(id)
  }

  /**
   * Appends are committed together: every append asked for in the same task (all the rooms
   * starting their commits in one flush turn) goes into one transaction. Each keeps its own
   * savepoint, so one that fails fails alone; each resolves only once the log holding it is on
   * disk. That fsync runs off the event loop (see `commitAppends`).
   */
  async appendUpdates(documentId: string, updates: UpdateRow[]): Promise<number> {
    if (updates.length === 0) return this.lastSeq(documentId)
    // Copied now: the caller's buffers are not ours to hold until the commit.
    const rows = updates.map((u) => ({ data: Buffer.from(u.data), participantId: u.participantId }))
    return new Promise((resolve, reject) => {
      this.appendQueue.push({ documentId, rows, resolve, reject })
      // After the current task: rooms starting their commits together (Room's flush turn) share it.
      if (this.appendQueue.length === 1) queueMicrotask(() => this.commitAppends())
    })
  }

  /**
   * Commits the queued appends without an fsync (`synchronous = NORMAL` for this transaction
   * only), then has the log fsynced in libuv's thread pool and resolves the appends after it. A
   * process killed in between loses nothing (the log is in the page cache); a power loss may lose
   * them, but nobody was told they were saved, nor sent them: rooms relay and acknowledge a commit
   * once its append resolves. Every other write but the compaction (`compact`) stays `FULL`.
   * With the fsync inside the commit (as before), each commit held the event loop for the disk: 0.75 ms a commit in a reconnect
   * storm, one commit per reconnecting client. Now commits made while an fsync is under way share
   * the next one. An in-memory database, or a log that cannot be opened, keeps the fsync inside.
   */
  private appendsTransaction:
    | ((requests: AppendRequest[], results: ({ seq: number } | { error: unknown })[]) => void)
    | null = null

  private commitAppends(): void {
    const batch = this.appendQueue.splice(0)
    if (batch.length === 0) return
    const outcomes: ({ seq: number } | { error: unknown })[] = []
    let deferSync: boolean
    try {
      deferSync = this.commitWithoutSync(() => {
        this.appendsTransaction ??= this.db.transaction(
          (requests: AppendRequest[], results: ({ seq: number } | { error: unknown })[]) => {
            for (const request of requests) {
              try {
                results.push({ seq: this.appendOne(request.documentId, request.rows) })
              } catch (error) {
                results.push({ error })
              }
            }
          },
        )
        this.appendsTransaction(batch, outcomes)
      })
    } catch (error) {
      for (const request of batch) request.reject(error)
      return
    }
    const settle = (failure: unknown) =>
      batch.forEach((request, i) => {
        const outcome = outcomes[i]
        if (failure !== null) request.reject(failure)
        else if ('seq' in outcome) request.resolve(outcome.seq)
        else request.reject(outcome.error)
      })
    if (!deferSync || outcomes.every((o) => 'error' in o)) {
      settle(null)
      return
    }
    this.durable().then(
      () => settle(null),
      (error) => settle(error),
    )
  }

  /**
   * Runs `commit` (a transaction) without an fsync inside it, where the log can be fsynced apart
   * (`synchronous = NORMAL` for it alone); returns whether it was, and the caller then waits for
   * `durable()`. Otherwise the commit fsyncs as every other write does.
   */
  private commitWithoutSync(commit: () => void): boolean {
    const deferSync = this.walPath !== null && this.walFd !== -1
    if (deferSync) this.prepare('PRAGMA synchronous = NORMAL').run()
    try {
      commit()
    } finally {
      if (deferSync) this.prepare('PRAGMA synchronous = FULL').run()
    }
    return deferSync
  }

  /** Resolves once the log, as written now, is on disk: joins the next fsync of it. */
  private durable(): Promise<void> {
    if (this.walFd === null) {
      try {
        this.walFd = fs.openSync(this.walPath as string, 'r')
      } catch {
        // Without a descriptor, commits fsync inside (FULL) from now on: this one was not.
        this.walFd = -1
        this.db.pragma('wal_checkpoint(FULL)')
        return Promise.resolve()
      }
    }
    return new Promise((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject })
      if (!this.syncInFlight) this.syncNext()
    })
  }

  private syncNext(): void {
    const waiters = this.syncWaiters.splice(0)
    if (waiters.length === 0) return
    this.walSyncs += 1
    this.syncInFlight = this.syncWal(this.walFd as number).then(
      () => {
        for (const waiter of waiters) waiter.resolve()
      },
      (error) => {
        for (const waiter of waiters) waiter.reject(error)
      },
    )
    void this.syncInFlight.finally(() => {
      this.syncInFlight = null
      this.syncNext()
    })
  }

  /** One append in its own savepoint (a nested transaction), inside the shared commit. */
  private appendOne(documentId: string, rows: AppendRequest['rows']): number {
    // Made once: better-sqlite3 builds a transaction function's wrappers each time it is asked.
    this.appendOneTransaction ??= this.db.transaction((id: string, added: AppendRequest['rows']) =>
      this.appendRows(id, added),
    )
    return this.appendOneTransaction(documentId, rows)
  }

  private appendOneTransaction: ((documentId: string, rows: AppendRequest['rows']) => number) | null = null

  private appendRows(documentId: string, rows: AppendRequest['rows']): number {
    const at = now()
    const insert = this.prepare(
      'INSERT INTO updates (document_id, seq, data, participant_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    let seq = this.lastSeq(documentId)
    for (const row of rows) {
      seq += 1
      insert.run(documentId, seq, row.data, row.participantId, at)
    }
    const author = [...rows].reverse().find((u) => u.participantId)?.participantId
    this.prepare(
      'UPDATE documents SET updated_at = ?, last_change_by = COALESCE(?, last_change_by) WHERE id = ?',
    ).run(at, author ?? null, documentId)
    return seq
  }

  private lastSeq(documentId: string): number {
    const row = this.prepare(
      `SELECT MAX(seq) AS seq FROM (
           SELECT MAX(seq) AS seq FROM updates WHERE document_id = ?
           UNION ALL SELECT seq FROM snapshots WHERE document_id = ?)`,
    ).get(documentId, documentId) as { seq: number | null }
    return row.seq ?? 0
  }

  async loadDocument(documentId: string): Promise<LoadedDocument> {
    return this.readStored(documentId, (afterSeq) =>
      (
        this.prepare(
          'SELECT seq, data, participant_id, created_at FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
        ).all(documentId, afterSeq) as {
          seq: number
          data: Buffer
          participant_id: string | null
          created_at: string
        }[]
      ).map(toStoredUpdate),
    )
  }

  async loadDocumentState(documentId: string): Promise<LoadedState> {
    // A long log is read as two plucked columns, not as rows, and its blobs are used as the
    // driver returns them (each its own buffer), not copied: on a log of 260,000 updates this
    // reads in about half the time, and leaves half the garbage.
    return this.readStored(documentId, (afterSeq) => {
      const seqs = this.prepare('SELECT seq FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq')
        .pluck()
        .all(documentId, afterSeq) as number[]
      const data = this.prepare('SELECT data FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq')
        .pluck()
        .all(documentId, afterSeq) as Uint8Array[]
      return seqs.map((seq, i) => ({ seq, data: data[i] }))
    })
  }

  /** The snapshot and the log after it (`log` reads it past a seq), in one transaction. */
  private readStored<U>(
    documentId: string,
    log: (afterSeq: number) => U[],
  ): { snapshot: Uint8Array | null; snapshotSeq: number; updates: U[] } {
    return this.db.transaction(() => {
      const snap = this.prepare('SELECT seq, data FROM snapshots WHERE document_id = ?').get(documentId) as
        | { seq: number; data: Buffer }
        | undefined
      const snapshotSeq = snap?.seq ?? 0
      return { snapshot: snap ? new Uint8Array(snap.data) : null, snapshotSeq, updates: log(snapshotSeq) }
    })()
  }

  /**
   * Folds the log into the snapshot in one transaction, committed like the appends: the fsync off
   * the event loop (a busy room compacts while it is typed into, and the fsync inside the commit
   * held every room for the disk). A power loss before it loses the whole compaction, never part
   * of it: the log is then as it was, which is still correct.
   */
  async compact(documentId: string, state: Uint8Array, throughSeq: number): Promise<void> {
    const deferred = this.commitWithoutSync(() =>
      this.db.transaction(() => {
        this.prepare(
          `INSERT INTO snapshots (document_id, seq, data, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, created_at = excluded.created_at
           WHERE excluded.seq >= snapshots.seq`,
        ).run(documentId, throughSeq, Buffer.from(state), now())
        this.prepare('DELETE FROM updates WHERE document_id = ? AND seq <= ?').run(documentId, throughSeq)
      })(),
    )
    if (deferred) await this.durable()
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
      this.prepare(
        `INSERT INTO revisions (id, document_id, kind, label, symbol, note, state, content, hash, created_at, created_by, contributors)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
    const row = this.prepare('SELECT * FROM revisions WHERE id = ?').get(id) as Row | undefined
    return row ? toRevision(row) : null
  }

  async listRevisions(documentId: string, options: { checkpoints: boolean }): Promise<RevisionRecord[]> {
    const rows = this.prepare(
      `SELECT * FROM revisions WHERE document_id = ? ${options.checkpoints ? '' : "AND kind = 'published'"}
         ORDER BY created_at, rowid`,
    ).all(documentId) as Row[]
    return rows.map(toRevision)
  }

  async loadDocumentSince(documentId: string, afterSeq: number): Promise<LoadedDocument> {
    return this.db.transaction(() => {
      const snap = this.prepare(
        'SELECT seq, CASE WHEN seq > ? THEN data END AS data FROM snapshots WHERE document_id = ?',
      ).get(afterSeq, documentId) as { seq: number; data: Buffer | null } | undefined
      const snapshotSeq = snap?.seq ?? 0
      const rows = this.prepare(
        'SELECT seq, data, participant_id, created_at FROM updates WHERE document_id = ? AND seq > ? ORDER BY seq',
      ).all(documentId, Math.max(afterSeq, snapshotSeq)) as {
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
    const result = this.prepare(
      `INSERT INTO document_tasks (document_id, task, owner, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (document_id, task) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at
         WHERE document_tasks.claimed_at <= excluded.claimed_at - ?`,
    ).run(documentId, task, owner, at, intervalMs)
    return result.changes === 1
  }

  async countUpdates(documentId: string): Promise<number> {
    const row = this.prepare(
      `SELECT COUNT(*) AS n FROM updates WHERE document_id = ?
         AND seq > COALESCE((SELECT seq FROM snapshots WHERE document_id = ?), 0)`,
    ).get(documentId, documentId) as { n: number }
    return row.n
  }
}
