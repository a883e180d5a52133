/** SQLite queries for threads, messages, mentions, communications and the audit trail. */
import type Database from 'better-sqlite3'
import {
  COMMUNICATION_INSERT_COLUMNS,
  communicationValues,
  type Row,
  THREAD_COLUMNS,
  THREAD_INSERT_COLUMNS,
  threadValues,
  toCommunication,
  toMessage,
  toThread,
} from './rows.ts'
import type {
  AuditEntry,
  CommunicationRecord,
  Mention,
  MessageRecord,
  StoredAuditEntry,
  ThreadPatch,
  ThreadRecord,
} from './Store.ts'

/**
 * `db.prepare` with the statements kept (up to 500 distinct SQL texts; the few built from a
 * variable list of columns stay under that).
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>()
  return (sql) => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      if (cache.size < 500) cache.set(sql, statement)
    }
    return statement
  }
}

/** Freezes a record's nested values: cached records are shared by every later read. */
function freezeNested<T extends object>(record: T): T {
  for (const value of Object.values(record)) if (value && typeof value === 'object') Object.freeze(value)
  return record
}

/** Oldest first, as the thread shows them. */
function sortMessages(messages: MessageRecord[]): MessageRecord[] {
  return messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

/** How many documents' thread lists are kept (each a few hundred records at most). */
const CACHED_DOCUMENTS = 64

export class SqliteComments {
  /**
   * Thread and message records as last read, so that a thread list asked for again and again
   * (every open page asks after each change) is not read and decoded anew each time. Every write
   * of this connection empties them, and so does a write of any other connection to the file
   * (`PRAGMA data_version` changes then): they never answer with a record older than the file.
   * Reads hand out shallow copies; nested values are frozen.
   */
  private threadsByDocument = new Map<string, ThreadRecord[]>()
  private messagesByThread = new Map<string, MessageRecord[]>()
  private cachedAt: number | null = null
  /** Counts the times the caches were emptied: every write, and every change to the file. */
  private generation = 0

  constructor(
    private readonly db: Database.Database,
    private readonly prepare: (sql: string) => Database.Statement = statementCache(db),
  ) {}

  /**
   * Empties the caches when the file changed since they were filled (by another connection).
   * Inside a transaction, which may still roll back, reads neither use nor fill them.
   */
  private checkCache(): boolean {
    if (this.db.inTransaction) {
      this.forget()
      return false
    }
    const version = this.prepare('PRAGMA data_version').pluck().get() as number
    if (version !== this.cachedAt) {
      this.forget()
      this.cachedAt = version
    }
    return true
  }

  /** Called by every write of threads, messages or mentions, whether it commits or not. */
  private forget(): void {
    this.generation += 1
    this.threadsByDocument.clear()
    this.messagesByThread.clear()
  }

  /**
   * Changes whenever a thread, message or mention may have been written since the last call, by
   * this connection or another; null inside a transaction, which may still roll back.
   */
  stamp(): number | null {
    return this.checkCache() ? this.generation : null
  }

  audit(entry: AuditEntry, at = new Date().toISOString()): void {
    this.prepare(
      'INSERT INTO audit (at, actor_id, action, subject_type, subject_id, details) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(at, entry.actorId, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.details))
  }

  private insertMessage(m: MessageRecord): void {
    this.forget()
    this.prepare(
      `INSERT INTO messages (id, thread_id, author_id, body, created_at, edited_at, withdrawn_at, history, mentions)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.id,
      m.threadId,
      m.authorId,
      m.body,
      m.createdAt,
      m.editedAt,
      m.withdrawnAt,
      JSON.stringify(m.history),
      JSON.stringify(m.mentions),
    )
    this.writeMentions(m.id, m.mentions)
  }

  private writeMentions(messageId: string, mentions: Mention[]): void {
    this.prepare('DELETE FROM mentions WHERE message_id = ?').run(messageId)
    const insert = this.prepare(
      'INSERT INTO mentions (message_id, participant_id, organisation) VALUES (?, ?, ?)',
    )
    for (const m of mentions) insert.run(messageId, m.participantId, m.organisation)
  }

  createThread(t: ThreadRecord, first: MessageRecord, audit: AuditEntry): void {
    this.forget()
    this.db.transaction(() => {
      this.prepare(
        `INSERT INTO threads (${THREAD_INSERT_COLUMNS.join(', ')})
           VALUES (${THREAD_INSERT_COLUMNS.map(() => '?').join(', ')})`,
      ).run(...threadValues(t, (late) => (late ? 1 : 0)))
      this.insertMessage(first)
      this.audit(audit, t.createdAt)
    })()
  }

  getThread(id: string): ThreadRecord | null {
    const row = this.prepare('SELECT * FROM threads WHERE id = ?').get(id) as Row | undefined
    return row ? toThread(row) : null
  }

  listThreads(documentId: string): ThreadRecord[] {
    const cache = this.checkCache()
    let records = this.threadsByDocument.get(documentId)
    if (!records) {
      records = (
        this.prepare('SELECT * FROM threads WHERE document_id = ? ORDER BY created_at, id').all(
          documentId,
        ) as Row[]
      ).map((row) => freezeNested(toThread(row)))
      if (this.threadsByDocument.size >= CACHED_DOCUMENTS) this.threadsByDocument.clear()
      if (cache) this.threadsByDocument.set(documentId, records)
    }
    return records.map((record) => ({ ...record }))
  }

  updateThread(id: string, patch: ThreadPatch, audit: AuditEntry): ThreadRecord | null {
    this.forget()
    const at = new Date().toISOString()
    return this.db.transaction(() => {
      if (!this.getThread(id)) return null
      const sets: string[] = ['updated_at = ?']
      const values: unknown[] = [at]
      for (const [key, value] of Object.entries(patch) as [keyof ThreadPatch, unknown][]) {
        if (value === undefined) continue
        const [column, encode] = THREAD_COLUMNS[key]
        sets.push(`${column} = ?`)
        values.push(encode(value))
      }
      this.prepare(`UPDATE threads SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
      this.audit(audit, at)
      return this.getThread(id)
    })()
  }

  addMessage(message: MessageRecord, audit: AuditEntry): void {
    this.forget()
    this.db.transaction(() => {
      this.insertMessage(message)
      this.prepare('UPDATE threads SET updated_at = ? WHERE id = ?').run(message.createdAt, message.threadId)
      this.audit(audit, message.createdAt)
    })()
  }

  getMessage(id: string): MessageRecord | null {
    const row = this.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Row | undefined
    return row ? toMessage(row) : null
  }

  updateMessage(
    id: string,
    patch: { body?: string; mentions?: Mention[]; withdrawn?: boolean },
    audit: AuditEntry,
  ): MessageRecord | null {
    this.forget()
    const at = new Date().toISOString()
    return this.db.transaction(() => {
      const current = this.getMessage(id)
      if (!current) return null
      if (patch.body !== undefined && patch.body !== current.body) {
        const history = [
          ...current.history,
          { body: current.body, editedAt: current.editedAt ?? current.createdAt },
        ]
        this.prepare('UPDATE messages SET body = ?, edited_at = ?, history = ? WHERE id = ?').run(
          patch.body,
          at,
          JSON.stringify(history),
          id,
        )
      }
      if (patch.mentions !== undefined) {
        this.prepare('UPDATE messages SET mentions = ? WHERE id = ?').run(JSON.stringify(patch.mentions), id)
        this.writeMentions(id, patch.mentions)
      }
      if (patch.withdrawn !== undefined) {
        this.prepare('UPDATE messages SET withdrawn_at = ? WHERE id = ?').run(patch.withdrawn ? at : null, id)
      }
      this.prepare('UPDATE threads SET updated_at = ? WHERE id = ?').run(at, current.threadId)
      this.audit(audit, at)
      return this.getMessage(id)
    })()
  }

  listMessages(threadIds: string[]): MessageRecord[] {
    if (threadIds.length === 0) return []
    const cache = this.checkCache()
    const missing = [...new Set(threadIds.filter((id) => !this.messagesByThread.has(id)))]
    if (missing.length > 0) {
      const found = new Map<string, MessageRecord[]>(missing.map((id) => [id, []]))
      // SQLite limits bound parameters; threads of one document fit in a few chunks.
      for (let i = 0; i < missing.length; i += 500) {
        const chunk = missing.slice(i, i + 500)
        const rows = this.prepare(
          `SELECT * FROM messages WHERE thread_id IN (${chunk.map(() => '?').join(',')})`,
        ).all(...chunk) as Row[]
        for (const row of rows) found.get(row.thread_id as string)?.push(freezeNested(toMessage(row)))
      }
      if (this.messagesByThread.size + found.size > CACHED_DOCUMENTS * 500) this.messagesByThread.clear()
      if (!cache) return sortMessages([...found.values()].flat())
      for (const [id, messages] of found) this.messagesByThread.set(id, messages)
    }
    return sortMessages(
      [...new Set(threadIds)].flatMap((id) =>
        (this.messagesByThread.get(id) ?? []).map((message) => ({ ...message })),
      ),
    )
  }

  listMentions(participantId: string, organisation: string): MessageRecord[] {
    return (
      this.prepare(
        `SELECT DISTINCT m.* FROM messages m JOIN mentions x ON x.message_id = m.id
           WHERE x.participant_id = ? OR x.organisation = ? ORDER BY m.created_at DESC, m.id`,
      ).all(participantId, organisation) as Row[]
    ).map(toMessage)
  }

  createCommunication(c: CommunicationRecord, audit: AuditEntry): void {
    this.db.transaction(() => {
      this.prepare(
        `INSERT INTO communications (${COMMUNICATION_INSERT_COLUMNS.join(', ')})
           VALUES (${COMMUNICATION_INSERT_COLUMNS.map(() => '?').join(', ')})`,
      ).run(...communicationValues(c))
      this.audit(audit, c.createdAt)
    })()
  }

  getCommunication(id: string): CommunicationRecord | null {
    const row = this.prepare('SELECT * FROM communications WHERE id = ?').get(id) as Row | undefined
    return row ? toCommunication(row) : null
  }

  listCommunications(): CommunicationRecord[] {
    return (
      this.prepare('SELECT * FROM communications ORDER BY received_at DESC, created_at DESC').all() as Row[]
    ).map(toCommunication)
  }

  acknowledgeCommunication(
    id: string,
    ack: { acknowledgedAt: string; acknowledgedBy: string; acknowledgement: string },
    audit: AuditEntry,
  ): CommunicationRecord | null {
    return this.db.transaction(() => {
      if (!this.getCommunication(id)) return null
      this.prepare(
        'UPDATE communications SET acknowledged_at = ?, acknowledged_by = ?, acknowledgement = ? WHERE id = ?',
      ).run(ack.acknowledgedAt, ack.acknowledgedBy, ack.acknowledgement, id)
      this.audit(audit, ack.acknowledgedAt)
      return this.getCommunication(id)
    })()
  }

  listAudit(subjectId: string): StoredAuditEntry[] {
    return (this.prepare('SELECT * FROM audit WHERE subject_id = ? ORDER BY id').all(subjectId) as Row[]).map(
      (r) => ({
        id: r.id as number,
        at: r.at as string,
        actorId: (r.actor_id as string) ?? null,
        action: r.action as string,
        subjectType: r.subject_type as AuditEntry['subjectType'],
        subjectId: r.subject_id as string,
        details: JSON.parse(r.details as string) as Record<string, unknown>,
      }),
    )
  }
}
