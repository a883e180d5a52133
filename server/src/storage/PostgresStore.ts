/**
 * The networked store: PostgreSQL (13 or newer) through a connection pool, for several server
 * instances sharing the same documents. Same schema and behaviour as `SqliteStore` (the contract
 * suite in `contract.ts` runs against both).
 *
 * - Every operation that writes more than one row runs in one transaction (ROLLBACK on any error,
 *   the connection always returned to the pool). Queries are parameterised, never concatenated.
 * - Sequence numbers are allocated under a lock on the document's row (`FOR NO KEY UPDATE`, which
 *   excludes other appends and compactions of that document but not readers or comments), so
 *   instances appending to one document at once never share or interleave sequence numbers.
 *   `appendUpdates` resolves only after COMMIT: an update is durable before anyone is told of it.
 * - `migrate()` checks the server version and applies the schema versions under an advisory
 *   lock, in one transaction.
 */
import pg from 'pg'
import { PostgresConnectionError, PostgresVersionError } from './postgresErrors.ts'
import { postgresMigrations } from './postgresMigrations.ts'
import {
  COMMUNICATION_INSERT_COLUMNS,
  communicationValues,
  type Row,
  THREAD_COLUMNS,
  THREAD_INSERT_COLUMNS,
  textOrNull,
  threadValues,
  toCommunication,
  toDocument,
  toMessage,
  toParticipant,
  toRevision,
  toStoredUpdate,
  toThread,
} from './rows.ts'
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

/** The oldest PostgreSQL this store runs on (`server_version_num`). */
export const MIN_SERVER_VERSION_NUM = 130000

/** Key of the advisory lock held while migrating (any constant, the same for every instance). */
const MIGRATION_LOCK: [number, number] = [0x706c656e, 1]

export { PostgresConnectionError, PostgresVersionError }

/** A row with the same key (id, token hash, …) exists already. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError'
}

/** A row names something that does not exist (unknown document, thread, participant…). */
export class StoreReferenceError extends Error {
  override name = 'StoreReferenceError'
}

/** `host:port` of a PostgreSQL URL, for messages; never the user name or password. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString)
    const host = url.hostname || url.searchParams.get('host') || 'localhost'
    return `${host}:${url.port || '5432'}`
  } catch {
    return 'the configured address'
  }
}

/** Throws a PostgresVersionError when `versionNum` (`SHOW server_version_num`) is below 13. */
export function checkServerVersion(versionNum: number, target: string): void {
  if (!Number.isFinite(versionNum) || versionNum < MIN_SERVER_VERSION_NUM) {
    const major = Math.floor(versionNum / 10000)
    const shown = Number.isFinite(versionNum)
      ? `PostgreSQL ${major >= 10 ? major : versionNum}`
      : 'an unknown version'
    throw new PostgresVersionError(
      `PostgreSQL at ${target} is ${shown}; Plenary needs PostgreSQL 13 or newer`,
    )
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOENT', // a Unix socket path that does not exist
  '28000', // invalid authorisation
  '28P01', // wrong password
  '3D000', // no such database
  '53300', // too many connections
  '57P01', // administrator shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now (starting up)
])

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0])
  if (error instanceof Error) {
    const code = (error as { code?: string }).code
    return error.message || code || error.name
  }
  return String(error)
}

function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionError)
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true
  const message = error instanceof Error ? error.message : ''
  return /connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)
}

type Db = pg.Pool | pg.PoolClient

const now = () => new Date().toISOString()
const toBytes = (value: unknown): Uint8Array => new Uint8Array(value as Buffer)
/** Throws (like SQLite's binding does) when the value is not bytes. */
const toBuffer = (data: Uint8Array): Buffer => {
  if (!(data instanceof Uint8Array)) throw new TypeError('expected the bytes of a Yjs update')
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

/** Rows per INSERT statement when a batch is written (PostgreSQL allows 65535 parameters). */

/** `($1, $2, …), ($n+1, …)` for `rows` rows of `columns` values. */
export function valuesList(rows: number, columns: number): string {
  const groups: string[] = []
  for (let r = 0; r < rows; r++) {
    const params: string[] = []
    for (let c = 1; c <= columns; c++) params.push(`$${r * columns + c}`)
    groups.push(`(${params.join(', ')})`)
  }
  return groups.join(', ')
}

export type PostgresStoreOptions = {
  /** Most connections this instance opens (default 10). */
  max?: number
  /** How long to wait for a connection before giving up (default 10 s). */
  connectionTimeoutMillis?: number
  /** Called when an idle pooled connection fails (the pool replaces it); ignored by default. */
  onIdleError?: (error: Error) => void
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool
  /** `host:port`, for messages. */
  readonly target: string

  constructor(connectionString: string, options: PostgresStoreOptions = {}) {
    this.target = describeTarget(connectionString)
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'plenary',
    })
    // An idle connection that breaks (server restart, network) must not crash the process: the
    // pool drops it and the next query opens a new one.
    this.pool.on('error', (error) => options.onIdleError?.(error))
    // A connection that breaks while checked out (between two statements of a transaction) emits
    // 'error' on its client, which the pool does not listen to then: without this listener the
    // process dies. The statement in flight fails on its own and the transaction is abandoned.
    this.pool.on('connect', (client) => {
      client.on('error', () => undefined)
    })
  }

  // ------------------------------------------------------------ plumbing

  /** Maps driver errors to errors that say what happened, without the connection string. */
  private translate(error: unknown): Error {
    if (
      error instanceof PostgresConnectionError ||
      error instanceof PostgresVersionError ||
      error instanceof StoreConflictError ||
      error instanceof StoreReferenceError
    ) {
      return error
    }
    if (isConnectionError(error)) {
      return new PostgresConnectionError(`cannot reach PostgreSQL at ${this.target}: ${reasonOf(error)}`, {
        cause: error,
      })
    }
    const e = error as { code?: string; constraint?: string; detail?: string; message?: string }
    if (e?.code === '23505') {
      return new StoreConflictError(
        `already stored (${e.constraint ?? 'unique key'}): ${e.detail ?? e.message}`,
        {
          cause: error,
        },
      )
    }
    if (e?.code === '23503') {
      return new StoreReferenceError(
        `refers to a missing row (${e.constraint ?? 'foreign key'}): ${e.detail ?? e.message}`,
        {
          cause: error,
        },
      )
    }
    return error instanceof Error ? error : new Error(String(error))
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect()
    } catch (error) {
      if (error instanceof Error && /after calling end on the pool/i.test(error.message)) {
        throw new Error('the PostgreSQL store is closed')
      }
      throw new PostgresConnectionError(`cannot reach PostgreSQL at ${this.target}: ${reasonOf(error)}`, {
        cause: error,
      })
    }
  }

  /** One statement on a pooled connection. */
  private async query(sql: string, params: unknown[] = [], db?: Db): Promise<Row[]> {
    if (db) {
      try {
        return (await db.query(sql, params)).rows as Row[]
      } catch (error) {
        throw this.translate(error)
      }
    }
    const client = await this.connect()
    let broken: Error | undefined
    try {
      return (await client.query(sql, params)).rows as Row[]
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error
      throw this.translate(error)
    } finally {
      client.release(broken)
    }
  }

  private async one(sql: string, params: unknown[] = [], db?: Db): Promise<Row | undefined> {
    return (await this.query(sql, params, db))[0]
  }

  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.connect()
    let broken: Error | undefined
    try {
      await client.query(begin)
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error
      else {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          // The connection is unusable: let the pool discard it.
          broken = rollbackError as Error
        }
      }
      throw this.translate(error)
    } finally {
      client.release(broken)
    }
  }

  private async audit(db: Db, entry: AuditEntry, at = now()): Promise<void> {
    await this.query(
      'INSERT INTO audit (at, actor_id, action, subject_type, subject_id, details) VALUES ($1, $2, $3, $4, $5, $6)',
      [at, entry.actorId, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.details)],
      db,
    )
  }

  // ------------------------------------------------------------ lifecycle

  async migrate(): Promise<void> {
    const version = await this.one('SHOW server_version_num')
    checkServerVersion(Number(version?.server_version_num), this.target)
    await this.transaction(async (client) => {
      // Instances starting at once queue here; the second finds everything applied.
      await this.query('SELECT pg_advisory_xact_lock($1, $2)', MIGRATION_LOCK, client)
      await this.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)',
        [],
        client,
      )
      const applied = new Set(
        (await this.query('SELECT version FROM schema_migrations', [], client)).map((r) => Number(r.version)),
      )
      for (const migration of postgresMigrations) {
        if (applied.has(migration.version)) continue
        await this.query(migration.sql, [], client)
        await this.query(
          'INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)',
          [migration.version, now()],
          client,
        )
      }
    })
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1')
  }

  async close(): Promise<void> {
    if (!this.pool.ending) await this.pool.end()
  }

  // ------------------------------------------------------------ participants and sessions

  async createParticipant(p: NewParticipant): Promise<ParticipantRecord> {
    const createdAt = now()
    await this.query(
      `INSERT INTO participants (id, name, organisation, organisation_kind, role, token_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [p.id, p.name, p.organisation, p.organisationKind, p.role, p.tokenHash, createdAt],
    )
    const { tokenHash: _secret, ...record } = p
    return { ...record, createdAt, revokedAt: null }
  }

  async getParticipant(id: string, db?: Db): Promise<ParticipantRecord | null> {
    const row = await this.one('SELECT * FROM participants WHERE id = $1', [id], db)
    return row ? toParticipant(row) : null
  }

  async findParticipantByTokenHash(tokenHash: string): Promise<ParticipantRecord | null> {
    const row = await this.one('SELECT * FROM participants WHERE token_hash = $1', [tokenHash])
    return row ? toParticipant(row) : null
  }

  async listParticipants(): Promise<ParticipantRecord[]> {
    return (await this.query('SELECT * FROM participants ORDER BY created_at, id')).map(toParticipant)
  }

  async updateParticipant(
    id: string,
    patch: { role?: ParticipantRecord['role']; revoked?: boolean; tokenHash?: string },
  ): Promise<ParticipantRecord | null> {
    return this.transaction(async (client) => {
      if (patch.role !== undefined) {
        await this.query('UPDATE participants SET role = $1 WHERE id = $2', [patch.role, id], client)
      }
      if (patch.tokenHash !== undefined) {
        await this.query(
          'UPDATE participants SET token_hash = $1 WHERE id = $2',
          [patch.tokenHash, id],
          client,
        )
      }
      if (patch.revoked !== undefined) {
        await this.query(
          'UPDATE participants SET revoked_at = $1 WHERE id = $2',
          [patch.revoked ? now() : null, id],
          client,
        )
        if (patch.revoked) await this.query('DELETE FROM sessions WHERE participant_id = $1', [id], client)
      }
      return this.getParticipant(id, client)
    })
  }

  async createSession(sessionHash: string, participantId: string): Promise<void> {
    await this.query('INSERT INTO sessions (hash, participant_id, created_at) VALUES ($1, $2, $3)', [
      sessionHash,
      participantId,
      now(),
    ])
  }

  async findSession(sessionHash: string): Promise<string | null> {
    const row = await this.one('SELECT participant_id FROM sessions WHERE hash = $1', [sessionHash])
    return (row?.participant_id as string | undefined) ?? null
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE hash = $1', [sessionHash])
  }

  // ------------------------------------------------------------ documents

  async createDocument(d: NewDocument): Promise<DocumentRecord> {
    const at = now()
    const initialState = toBuffer(d.initialState)
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO documents (id, title, pen_holders, created_at, created_by, updated_at, last_change_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.id, d.title, JSON.stringify(d.penHolders), at, d.createdBy, at, d.createdBy],
        client,
      )
      await this.query(
        'INSERT INTO snapshots (document_id, seq, data, created_at) VALUES ($1, 0, $2, $3)',
        [d.id, initialState, at],
        client,
      )
    })
    return {
      id: d.id,
      title: d.title,
      penHolders: [...d.penHolders],
      commentDeadline: null,
      createdAt: at,
      createdBy: d.createdBy,
      updatedAt: at,
      lastChangeBy: d.createdBy,
    }
  }

  async getDocument(id: string, db?: Db): Promise<DocumentRecord | null> {
    const row = await this.one('SELECT * FROM documents WHERE id = $1', [id], db)
    return row ? toDocument(row) : null
  }

  async listDocuments(): Promise<DocumentRecord[]> {
    return (await this.query('SELECT * FROM documents ORDER BY updated_at DESC, id')).map(toDocument)
  }

  async updateDocument(
    id: string,
    patch: { title?: string; penHolders?: string[]; commentDeadline?: string | null },
  ): Promise<DocumentRecord | null> {
    const sets: string[] = []
    const values: unknown[] = []
    const set = (column: string, value: unknown) => {
      values.push(value)
      sets.push(`${column} = $${values.length}`)
    }
    if (patch.commentDeadline !== undefined) set('comment_deadline', patch.commentDeadline)
    if (patch.title !== undefined) set('title', patch.title)
    if (patch.penHolders !== undefined) set('pen_holders', JSON.stringify(patch.penHolders))
    if (sets.length === 0) return this.getDocument(id)
    values.push(id)
    const row = await this.one(
      `UPDATE documents SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`,
      values,
    )
    return row ? toDocument(row) : null
  }

  // ------------------------------------------------------------ the update log

  /** Locks a document's row against other appends and compactions until the transaction ends. */
  private async lockDocument(client: pg.PoolClient, documentId: string): Promise<void> {
    const row = await this.one(
      'SELECT id FROM documents WHERE id = $1 FOR NO KEY UPDATE',
      [documentId],
      client,
    )
    if (!row) throw new StoreReferenceError(`unknown document ${documentId}`)
  }

  async appendUpdates(documentId: string, updates: UpdateRow[]): Promise<number> {
    if (updates.length === 0) {
      const row = await this.one('SELECT last_seq FROM documents WHERE id = $1', [documentId])
      if (!row) throw new StoreReferenceError(`unknown document ${documentId}`)
      return Number(row.last_seq)
    }
    // Encode first: a row that is not an update fails the batch before anything is written.
    const data = updates.map((u) => toBuffer(u.data))
    const participants = updates.map((u) => u.participantId ?? null)
    const author = [...participants].reverse().find((p) => p !== null) ?? null
    // One statement, one round trip, atomic: the UPDATE takes the document's row lock (waiting
    // for another append or a compaction) and, under READ COMMITTED, re-reads the row it waited
    // for, so sequence numbers are never shared; the INSERT numbers the batch below that.
    const rows = await this.query(
      `WITH bumped AS (
         UPDATE documents SET last_seq = last_seq + $2, updated_at = $3, last_change_by = COALESCE($4, last_change_by)
         WHERE id = $1 RETURNING last_seq
       ), inserted AS (
         INSERT INTO updates (document_id, seq, data, participant_id, created_at)
         SELECT $1, bumped.last_seq - $2 + u.ord, u.data, u.participant_id, $3
         FROM bumped, unnest($5::bytea[], $6::text[]) WITH ORDINALITY AS u(data, participant_id, ord)
       )
       SELECT last_seq FROM bumped`,
      [documentId, updates.length, now(), author, data, participants],
    )
    if (rows.length === 0) throw new StoreReferenceError(`unknown document ${documentId}`)
    return Number(rows[0].last_seq)
  }

  async loadDocument(documentId: string): Promise<LoadedDocument> {
    return this.readStored(documentId, 'seq, data, participant_id, created_at', toStoredUpdate)
  }

  async loadDocumentState(documentId: string): Promise<LoadedState> {
    return this.readStored(documentId, 'seq, data', (row) => ({
      seq: Number(row.seq),
      data: toBytes(row.data),
    }))
  }

  /** The snapshot and the log after it (`columns` of each update, read by `toUpdate`). */
  private readStored<U>(
    documentId: string,
    columns: string,
    toUpdate: (row: Row) => U,
  ): Promise<{ snapshot: Uint8Array | null; snapshotSeq: number; updates: U[] }> {
    // One snapshot of the database for both reads: a compaction committing in between cannot make
    // the log skip the updates it folded into a snapshot this read did not see.
    return this.transaction(async (client) => {
      const snap = await this.one(
        'SELECT seq, data FROM snapshots WHERE document_id = $1',
        [documentId],
        client,
      )
      const snapshotSeq = snap ? Number(snap.seq) : 0
      const rows = await this.query(
        `SELECT ${columns} FROM updates WHERE document_id = $1 AND seq > $2 ORDER BY seq`,
        [documentId, snapshotSeq],
        client,
      )
      return { snapshot: snap ? toBytes(snap.data) : null, snapshotSeq, updates: rows.map(toUpdate) }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  }

  async compact(documentId: string, state: Uint8Array, throughSeq: number): Promise<void> {
    const data = toBuffer(state)
    await this.transaction(async (client) => {
      await this.lockDocument(client, documentId)
      await this.query(
        `INSERT INTO snapshots (document_id, seq, data, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, created_at = excluded.created_at
         WHERE excluded.seq >= snapshots.seq`,
        [documentId, throughSeq, data, now()],
        client,
      )
      await this.query(
        'DELETE FROM updates WHERE document_id = $1 AND seq <= $2',
        [documentId, throughSeq],
        client,
      )
    })
  }

  async loadDocumentSince(documentId: string, afterSeq: number): Promise<LoadedDocument> {
    // One snapshot of the database, as in loadDocument: a compaction cannot fall between the reads.
    return this.transaction(async (client) => {
      const snap = await this.one(
        'SELECT seq, CASE WHEN seq > $2 THEN data END AS data FROM snapshots WHERE document_id = $1',
        [documentId, afterSeq],
        client,
      )
      const snapshotSeq = snap ? Number(snap.seq) : 0
      const rows = await this.query(
        'SELECT seq, data, participant_id, created_at FROM updates WHERE document_id = $1 AND seq > $2 ORDER BY seq',
        [documentId, Math.max(afterSeq, snapshotSeq)],
        client,
      )
      return {
        snapshot: snap?.data ? toBytes(snap.data) : null,
        snapshotSeq,
        updates: rows.map(toStoredUpdate),
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
  }

  async claimTask(
    documentId: string,
    task: DocumentTask,
    owner: string,
    intervalMs: number,
  ): Promise<boolean> {
    // The database's clock, not the instances': theirs may differ.
    const rows = await this.query(
      `INSERT INTO document_tasks (document_id, task, owner, claimed_at)
       VALUES ($1, $2, $3, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
       ON CONFLICT (document_id, task) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at
       WHERE document_tasks.claimed_at <= excluded.claimed_at - $4
       RETURNING owner`,
      [documentId, task, owner, intervalMs],
    )
    return rows.length === 1
  }

  async countUpdates(documentId: string): Promise<number> {
    const row = await this.one(
      `SELECT COUNT(*) AS n FROM updates WHERE document_id = $1
       AND seq > COALESCE((SELECT seq FROM snapshots WHERE document_id = $1), 0)`,
      [documentId],
    )
    return Number(row?.n ?? 0)
  }

  // ------------------------------------------------------------ threads and messages

  private async insertMessage(client: pg.PoolClient, m: MessageRecord): Promise<void> {
    await this.query(
      `INSERT INTO messages (id, thread_id, author_id, body, created_at, edited_at, withdrawn_at, history, mentions)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        m.id,
        m.threadId,
        m.authorId,
        m.body,
        m.createdAt,
        m.editedAt,
        m.withdrawnAt,
        JSON.stringify(m.history),
        JSON.stringify(m.mentions),
      ],
      client,
    )
    await this.writeMentions(client, m.id, m.mentions)
  }

  private async writeMentions(client: pg.PoolClient, messageId: string, mentions: Mention[]): Promise<void> {
    await this.query('DELETE FROM mentions WHERE message_id = $1', [messageId], client)
    if (mentions.length === 0) return
    const params = mentions.flatMap((m) => [messageId, m.participantId, m.organisation])
    await this.query(
      `INSERT INTO mentions (message_id, participant_id, organisation) VALUES ${valuesList(mentions.length, 3)}`,
      params,
      client,
    )
  }

  async createThread(t: ThreadRecord, first: MessageRecord, audit: AuditEntry): Promise<void> {
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO threads (${THREAD_INSERT_COLUMNS.join(', ')})
         VALUES (${THREAD_INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
        threadValues(t, (late) => late),
        client,
      )
      await this.insertMessage(client, first)
      await this.audit(client, audit, t.createdAt)
    })
  }

  async getThread(id: string, db?: Db): Promise<ThreadRecord | null> {
    const row = await this.one('SELECT * FROM threads WHERE id = $1', [id], db)
    return row ? toThread(row) : null
  }

  async listThreads(documentId: string): Promise<ThreadRecord[]> {
    return (
      await this.query('SELECT * FROM threads WHERE document_id = $1 ORDER BY created_at, id', [documentId])
    ).map(toThread)
  }

  async updateThread(id: string, patch: ThreadPatch, audit: AuditEntry): Promise<ThreadRecord | null> {
    const at = now()
    return this.transaction(async (client) => {
      const values: unknown[] = [at]
      const sets: string[] = ['updated_at = $1']
      for (const [key, value] of Object.entries(patch) as [keyof ThreadPatch, unknown][]) {
        if (value === undefined) continue
        const [column, encode] = THREAD_COLUMNS[key]
        values.push(encode(value))
        sets.push(`${column} = $${values.length}`)
      }
      values.push(id)
      const row = await this.one(
        `UPDATE threads SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING *`,
        values,
        client,
      )
      if (!row) return null
      await this.audit(client, audit, at)
      return toThread(row)
    })
  }

  async addMessage(message: MessageRecord, audit: AuditEntry): Promise<void> {
    await this.transaction(async (client) => {
      await this.insertMessage(client, message)
      await this.query(
        'UPDATE threads SET updated_at = $1 WHERE id = $2',
        [message.createdAt, message.threadId],
        client,
      )
      await this.audit(client, audit, message.createdAt)
    })
  }

  async getMessage(id: string, db?: Db): Promise<MessageRecord | null> {
    const row = await this.one('SELECT * FROM messages WHERE id = $1', [id], db)
    return row ? toMessage(row) : null
  }

  async updateMessage(
    id: string,
    patch: { body?: string; mentions?: Mention[]; withdrawn?: boolean },
    audit: AuditEntry,
  ): Promise<MessageRecord | null> {
    const at = now()
    return this.transaction(async (client) => {
      const row = await this.one('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [id], client)
      if (!row) return null
      const current = toMessage(row)
      if (patch.body !== undefined && patch.body !== current.body) {
        const history = [
          ...current.history,
          { body: current.body, editedAt: current.editedAt ?? current.createdAt },
        ]
        await this.query(
          'UPDATE messages SET body = $1, edited_at = $2, history = $3 WHERE id = $4',
          [patch.body, at, JSON.stringify(history), id],
          client,
        )
      }
      if (patch.mentions !== undefined) {
        await this.query(
          'UPDATE messages SET mentions = $1 WHERE id = $2',
          [JSON.stringify(patch.mentions), id],
          client,
        )
        await this.writeMentions(client, id, patch.mentions)
      }
      if (patch.withdrawn !== undefined) {
        await this.query(
          'UPDATE messages SET withdrawn_at = $1 WHERE id = $2',
          [patch.withdrawn ? at : null, id],
          client,
        )
      }
      await this.query('UPDATE threads SET updated_at = $1 WHERE id = $2', [at, current.threadId], client)
      await this.audit(client, audit, at)
      return this.getMessage(id, client)
    })
  }

  async listMessages(threadIds: string[]): Promise<MessageRecord[]> {
    if (threadIds.length === 0) return []
    const rows = await this.query(
      'SELECT * FROM messages WHERE thread_id = ANY($1::text[]) ORDER BY created_at, id',
      [threadIds],
    )
    // The same final order as the SQLite store, which sorts its chunks this way.
    return rows
      .map(toMessage)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  async listMentions(participantId: string, organisation: string): Promise<MessageRecord[]> {
    const rows = await this.query(
      `SELECT m.* FROM messages m
       WHERE EXISTS (SELECT 1 FROM mentions x WHERE x.message_id = m.id AND (x.participant_id = $1 OR x.organisation = $2))
       ORDER BY m.created_at DESC, m.id`,
      [participantId, organisation],
    )
    return rows.map(toMessage)
  }

  // ------------------------------------------------------------ communications and audit

  async createCommunication(c: CommunicationRecord, audit: AuditEntry): Promise<void> {
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO communications (${COMMUNICATION_INSERT_COLUMNS.join(', ')})
         VALUES (${COMMUNICATION_INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
        communicationValues(c),
        client,
      )
      await this.audit(client, audit, c.createdAt)
    })
  }

  async getCommunication(id: string): Promise<CommunicationRecord | null> {
    const row = await this.one('SELECT * FROM communications WHERE id = $1', [id])
    return row ? toCommunication(row) : null
  }

  async listCommunications(): Promise<CommunicationRecord[]> {
    return (
      await this.query('SELECT * FROM communications ORDER BY received_at DESC, created_at DESC, id')
    ).map(toCommunication)
  }

  async acknowledgeCommunication(
    id: string,
    ack: { acknowledgedAt: string; acknowledgedBy: string; acknowledgement: string },
    audit: AuditEntry,
  ): Promise<CommunicationRecord | null> {
    return this.transaction(async (client) => {
      const row = await this.one(
        `UPDATE communications SET acknowledged_at = $1, acknowledged_by = $2, acknowledgement = $3
         WHERE id = $4 RETURNING *`,
        [ack.acknowledgedAt, ack.acknowledgedBy, ack.acknowledgement, id],
        client,
      )
      if (!row) return null
      await this.audit(client, audit, ack.acknowledgedAt)
      return toCommunication(row)
    })
  }

  async listAudit(subjectId: string): Promise<StoredAuditEntry[]> {
    const rows = await this.query('SELECT * FROM audit WHERE subject_id = $1 ORDER BY id', [subjectId])
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at as string,
      actorId: textOrNull(r.actor_id),
      action: r.action as string,
      subjectType: r.subject_type as AuditEntry['subjectType'],
      subjectId: r.subject_id as string,
      details: JSON.parse(r.details as string) as Record<string, unknown>,
    }))
  }

  // ------------------------------------------------------------ revisions

  async createRevision(r: RevisionRecord, audit: AuditEntry): Promise<void> {
    const state = toBuffer(r.state)
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO revisions (id, document_id, kind, label, symbol, note, state, content, hash, created_at, created_by, contributors)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          r.id,
          r.documentId,
          r.kind,
          r.label,
          r.symbol,
          r.note,
          state,
          JSON.stringify(r.content),
          r.hash,
          r.createdAt,
          r.createdBy,
          JSON.stringify(r.contributors),
        ],
        client,
      )
      await this.audit(client, audit, r.createdAt)
    })
  }

  async getRevision(id: string): Promise<RevisionRecord | null> {
    const row = await this.one('SELECT * FROM revisions WHERE id = $1', [id])
    return row ? toRevision(row) : null
  }

  async listRevisions(documentId: string, options: { checkpoints: boolean }): Promise<RevisionRecord[]> {
    const rows = await this.query(
      `SELECT * FROM revisions WHERE document_id = $1 AND ($2 OR kind = 'published') ORDER BY created_at, ord`,
      [documentId, options.checkpoints],
    )
    return rows.map(toRevision)
  }
}
