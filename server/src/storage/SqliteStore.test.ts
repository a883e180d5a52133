import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { newThread, storeContract } from './contract.ts'
import { SqliteStore } from './SqliteStore.ts'
import type { AuditEntry, MessageRecord, Store } from './Store.ts'
import { sqliteMigrations } from './sqliteMigrations.ts'

const directories = new Map<Store, string>()

function tempFile(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-sqlite-'))
  return { dir, file: path.join(dir, 'plenary.sqlite') }
}

/** A Yjs update that writes `text` into a new document's body. */
function update(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('body').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

/** The audit entry a test's thread writes go with. */
function threadAudit(threadId: string): AuditEntry {
  return { actorId: 'author', action: 'test', subjectType: 'thread', subjectId: threadId, details: {} }
}

/** A document with an empty text and nobody holding the pen. */
function emptyDocument(store: Store, id: string) {
  return store.createDocument({ id, title: id, penHolders: [], createdBy: null, initialState: update('') })
}

storeContract(
  'SQLite',
  async () => {
    const { dir, file } = tempFile()
    const store = new SqliteStore(file)
    await store.migrate()
    directories.set(store, dir)
    return store
  },
  async (store) => {
    await store.close()
    const dir = directories.get(store)
    directories.delete(store)
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  },
)

describe('SqliteStore on disk', () => {
  const open: SqliteStore[] = []
  const dirs: string[] = []

  async function openStore(file?: string): Promise<{ store: SqliteStore; file: string }> {
    let target = file
    if (!target) {
      const temp = tempFile()
      dirs.push(temp.dir)
      target = temp.file
    }
    const store = new SqliteStore(target)
    open.push(store)
    await store.migrate()
    return { store, file: target }
  }

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close()
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('appends asked for at once by several documents share one commit; one that fails fails alone', async () => {
    const { store } = await openStore()
    for (const id of ['a', 'b', 'c']) {
      await emptyDocument(store, id)
    }
    // Count transactions begun: one shared commit plus one savepoint per append when batched.
    // (The store makes its transaction functions once: the calls are counted, not the making.)
    let transactions = 0
    const transaction = store.db.transaction.bind(store.db)
    store.db.transaction = ((fn: never) => {
      const made = transaction(fn) as unknown as (...args: unknown[]) => unknown
      return (...args: unknown[]) => {
        transactions += 1
        return made(...args)
      }
    }) as never
    const results = await Promise.allSettled([
      store.appendUpdates('a', [{ data: update('one'), participantId: null }]),
      store.appendUpdates('b', [{ data: update('two'), participantId: null }]),
      store.appendUpdates('no-such-document', [{ data: update('lost'), participantId: null }]),
      store.appendUpdates('c', [
        { data: update('three'), participantId: null },
        { data: update('four'), participantId: null },
      ]),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([1, 1, null, 2])
    for (const [id, count] of [
      ['a', 1],
      ['b', 1],
      ['c', 2],
    ] as const) {
      expect(await store.countUpdates(id)).toBe(count)
    }
    expect(transactions).toBe(1 + 4)
  })

  it('an append resolves only once the log is fsynced; appends committed during an fsync share the next one; a failed fsync fails them', async () => {
    const { dir, file } = tempFile()
    dirs.push(dir)
    // The log's fsync, held until the test lets it return.
    const syncs: { fd: number; done: (error?: Error) => void }[] = []
    const store = new SqliteStore(
      file,
      (fd) =>
        new Promise<void>((resolve, reject) => syncs.push({ fd, done: (e) => (e ? reject(e) : resolve()) })),
    )
    open.push(store)
    await store.migrate()
    await emptyDocument(store, 'a')
    const settled = new Map<string, unknown>()
    const track = (name: string, p: Promise<number>) =>
      p.then(
        (seq) => settled.set(name, seq),
        (error: Error) => settled.set(name, error.message),
      )
    const turn = () => new Promise((resolve) => setImmediate(resolve))

    void track('first', store.appendUpdates('a', [{ data: update('one'), participantId: null }]))
    await turn()
    // Committed (another reader of the file sees it) but not acknowledged: its fsync is under way.
    expect(await store.countUpdates('a')).toBe(1)
    expect(syncs).toHaveLength(1)
    expect(fs.fstatSync(syncs[0].fd).ino).toBe(fs.statSync(`${file}-wal`).ino)
    expect(settled.has('first')).toBe(false)

    // Two more commits while that fsync runs: they wait for the next one, together.
    void track('second', store.appendUpdates('a', [{ data: update('two'), participantId: null }]))
    await turn()
    void track('third', store.appendUpdates('a', [{ data: update('three'), participantId: null }]))
    await turn()
    expect(syncs).toHaveLength(1)
    syncs[0].done()
    await turn()
    expect(settled.get('first')).toBe(1)
    expect(settled.has('second')).toBe(false)
    expect(syncs).toHaveLength(2)
    syncs[1].done()
    await turn()
    expect([settled.get('second'), settled.get('third')]).toEqual([2, 3])
    expect(store.walSyncs).toBe(2)

    // A disk that fails the fsync: the append is not acknowledged as saved.
    void track('fourth', store.appendUpdates('a', [{ data: update('four'), participantId: null }]))
    await turn()
    syncs[2].done(new Error('EIO: i/o error, fdatasync'))
    await turn()
    expect(settled.get('fourth')).toBe('EIO: i/o error, fdatasync')
  })

  it('a compaction is committed without an fsync inside it (a busy room compacts while typed into) and resolves once the log is fsynced', async () => {
    const { dir, file } = tempFile()
    dirs.push(dir)
    const syncs: (() => void)[] = []
    const store = new SqliteStore(file, () => new Promise<void>((resolve) => syncs.push(resolve)))
    open.push(store)
    await store.migrate()
    await emptyDocument(store, 'a')
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    const doc = new Y.Doc()
    const first = store.appendUpdates('a', [{ data: update('one'), participantId: null }])
    await turn()
    syncs.shift()?.()
    expect(await first).toBe(1)
    Y.applyUpdate(doc, update('one'))

    let compacted = false
    void store.compact('a', Y.encodeStateAsUpdate(doc), 1).then(() => {
      compacted = true
    })
    await turn()
    // Committed (the log is folded for any reader) before the store's own fsync of the log, which
    // the compaction waits for instead of holding the event loop inside the commit.
    expect(await store.countUpdates('a')).toBe(0)
    expect((await store.loadDocument('a')).snapshotSeq).toBe(1)
    expect(syncs).toHaveLength(1)
    expect(compacted).toBe(false)
    syncs.shift()?.()
    await turn()
    expect(compacted).toBe(true)
  })

  it('when the log cannot be opened for its fsync, appends are made durable inside the commit instead, and the store still closes', async () => {
    const { dir, file } = tempFile()
    dirs.push(dir)
    let syncs = 0
    const store = new SqliteStore(file, async () => {
      syncs += 1
    })
    await store.migrate()
    await emptyDocument(store, 'a')
    const openSync = fs.openSync.bind(fs) as (...args: unknown[]) => number
    const refused = vi.spyOn(fs, 'openSync').mockImplementation(((...args: unknown[]) => {
      if (String(args[0]).endsWith('-wal')) {
        throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })
      }
      return openSync(...args)
    }) as typeof fs.openSync)
    try {
      expect(await store.appendUpdates('a', [{ data: update('one'), participantId: null }])).toBe(1)
      expect(await store.appendUpdates('a', [{ data: update('two'), participantId: null }])).toBe(2)
    } finally {
      refused.mockRestore()
    }
    // No fsync was asked of the thread pool: the commits fsynced themselves.
    expect(syncs).toBe(0)
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2)
    await expect(store.close()).resolves.toBeUndefined()
    const reopened = new SqliteStore(file)
    open.push(reopened)
    expect(await reopened.countUpdates('a')).toBe(2)
  })

  async function writeDocument(store: SqliteStore) {
    const doc = new Y.Doc()
    doc.getText('body').insert(0, 'Draft.')
    const id = 'doc-on-disk'
    await store.createParticipant({
      id: 'author',
      name: 'Author',
      organisation: 'Secretariat',
      organisationKind: 'secretariat',
      role: 'secretariat',
      tokenHash: 'author-hash',
    })
    await store.createDocument({
      id,
      title: 'On disk',
      penHolders: ['author'],
      createdBy: 'author',
      initialState: Y.encodeStateAsUpdate(doc),
    })
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getText('body').insert(6, ' Revised.')
    doc.getText('body').insert(0, 'Final ')
    await store.appendUpdates(
      id,
      updates.map((data) => ({ data, participantId: 'author' })),
    )
    return { id, text: doc.getText('body').toString() }
  }

  async function text(store: SqliteStore, id: string): Promise<string> {
    const loaded = await store.loadDocument(id)
    const doc = new Y.Doc()
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
    for (const update of loaded.updates) Y.applyUpdate(doc, update.data)
    return doc.getText('body').toString()
  }

  it('runs in WAL journal mode with foreign keys on', async () => {
    const { store } = await openStore()
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('migrations are idempotent: migrating twice keeps the schema and the data', async () => {
    const { store } = await openStore()
    const { id, text: written } = await writeDocument(store)
    await store.migrate()
    await store.migrate()
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
      version: number
    }[]
    expect(versions.map((row) => row.version)).toEqual(sqliteMigrations.map((m) => m.version))
    expect(await text(store, id)).toBe(written)
  })

  it('a thread list read again shows every change: its own writes, another connection’s, never a caller’s edits', async () => {
    const { store, file } = await openStore()
    const { id } = await writeDocument(store)
    const { record, first } = newThread(id, 'author', '2026-11-28T10:00:00.000Z')
    const message = (n: number): MessageRecord => ({
      ...first,
      id: `message-${n}`,
      body: `Message ${n}`,
      createdAt: `2026-11-28T10:0${n}:00.000Z`,
    })
    const audit = threadAudit(record.id)
    await store.createThread(record, message(1), audit)
    expect((await store.listThreads(id)).map((t) => t.status)).toEqual(['open'])
    expect((await store.listMessages([record.id])).map((m) => m.body)).toEqual(['Message 1'])

    // What a caller does to the records it was given is not seen by the next read.
    const [listed] = await store.listThreads(id)
    listed.status = 'closed'
    expect(() => {
      ;(listed.anchor as { quote: string }).quote = 'changed'
    }).toThrow()
    expect((await store.listThreads(id))[0]).toEqual(record)

    // This connection's writes.
    await store.updateThread(record.id, { status: 'under_consideration' }, audit)
    expect((await store.listThreads(id)).map((t) => t.status)).toEqual(['under_consideration'])
    await store.addMessage(message(2), audit)
    expect((await store.listMessages([record.id])).map((m) => m.body)).toEqual(['Message 1', 'Message 2'])
    await store.updateMessage('message-2', { body: 'Message 2, edited' }, audit)
    expect((await store.listMessages([record.id])).map((m) => m.body)).toEqual([
      'Message 1',
      'Message 2, edited',
    ])

    // Another connection to the same file (a tool run beside the server).
    const { store: other } = await openStore(file)
    expect((await store.listThreads(id)).map((t) => t.status)).toEqual(['under_consideration'])
    await other.updateThread(record.id, { status: 'closed' }, audit)
    await other.addMessage(message(3), audit)
    expect((await store.listThreads(id)).map((t) => t.status)).toEqual(['closed'])
    expect((await store.listMessages([record.id])).map((m) => m.body)).toEqual([
      'Message 1',
      'Message 2, edited',
      'Message 3',
    ])
  })

  it('moves its comments stamp on every write of threads, messages or participants, its own or another connection’s, and only then', async () => {
    const { store, file } = await openStore()
    const { id } = await writeDocument(store)
    const { record, first } = newThread(id, 'author', '2026-11-28T10:00:00.000Z')
    const audit = threadAudit(record.id)
    const stamps = [store.commentsStamp()]
    const moved = () => {
      const stamp = store.commentsStamp()
      const changed = stamp !== stamps.at(-1)
      stamps.push(stamp)
      return changed
    }
    expect(stamps[0]).not.toBeNull()
    // Reads and document writes leave it.
    await store.listThreads(id)
    await store.listParticipants()
    await store.appendUpdates(id, [{ data: update('typing'), participantId: null }])
    expect(moved()).toBe(false)

    await store.createThread(record, first, audit)
    expect(moved()).toBe(true)
    await store.addMessage({ ...first, id: 'message-2', body: 'A reply' }, audit)
    expect(moved()).toBe(true)
    await store.updateThread(record.id, { status: 'closed' }, audit)
    expect(moved()).toBe(true)
    const participant = await store.createParticipant({
      id: 'participant-1',
      name: 'Maria Delegate',
      organisation: 'Mexico',
      organisationKind: 'state_party',
      role: 'delegate',
      tokenHash: 'hash-1',
    })
    expect(moved()).toBe(true)
    await store.updateParticipant(participant.id, { role: 'reader' })
    expect(moved()).toBe(true)
    expect(moved()).toBe(false)

    // Another connection to the same file.
    const { store: other } = await openStore(file)
    await other.updateMessage('message-2', { body: 'A reply, edited' }, audit)
    expect(moved()).toBe(true)
    await other.updateParticipant(participant.id, { revoked: true })
    expect(moved()).toBe(true)
    expect(moved()).toBe(false)
    expect(new Set(stamps).size).toBe(stamps.length - 3)
  })

  it('keeps everything across close and reopen', async () => {
    const { store, file } = await openStore()
    const { id, text: written } = await writeDocument(store)
    await store.createSession('session-hash', 'author')
    await store.close()

    const { store: reopened } = await openStore(file)
    expect(await text(reopened, id)).toBe(written)
    expect(written).toBe('Final Draft. Revised.')
    expect((await reopened.getDocument(id))?.lastChangeBy).toBe('author')
    expect((await reopened.findParticipantByTokenHash('author-hash'))?.id).toBe('author')
    expect(await reopened.findSession('session-hash')).toBe('author')
    expect(await reopened.countUpdates(id)).toBe(2)
  })

  it('keeps a compacted document across close and reopen', async () => {
    const { store, file } = await openStore()
    const { id, text: written } = await writeDocument(store)
    const loaded = await store.loadDocument(id)
    const full = new Y.Doc()
    Y.applyUpdate(full, loaded.snapshot as Uint8Array)
    for (const update of loaded.updates) Y.applyUpdate(full, update.data)
    await store.compact(id, Y.encodeStateAsUpdate(full), loaded.updates[loaded.updates.length - 1].seq)
    await store.close()

    const { store: reopened } = await openStore(file)
    expect(await reopened.countUpdates(id)).toBe(0)
    expect(await text(reopened, id)).toBe(written)
  })

  it('passes PRAGMA integrity_check after a run of writes and a compaction', async () => {
    const { store } = await openStore()
    const { id, text: written } = await writeDocument(store)
    await store.createSession('session-hash', 'author')
    const loaded = await store.loadDocument(id)
    const full = new Y.Doc()
    Y.applyUpdate(full, loaded.snapshot as Uint8Array)
    for (const update of loaded.updates) Y.applyUpdate(full, update.data)
    await store.compact(id, Y.encodeStateAsUpdate(full), loaded.updates[loaded.updates.length - 1].seq)
    await store.updateParticipant('author', { revoked: true })
    expect(await text(store, id)).toBe(written)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(store.db.pragma('foreign_key_check')).toEqual([])
  })

  it('copies the write-ahead log into the file off the event loop, and the log is reused, not grown', async () => {
    const { store, file } = await openStore()
    const { id } = await writeDocument(store)
    // No checkpoint inside a commit: the worker does them.
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const doc = new Y.Doc()
    const list = doc.getArray<string>('pages')
    const walSizes: number[] = []
    for (let round = 0; round < 5; round++) {
      // About 4 MB of log a round: past the 1,000 pages (4 MB) at which SQLite would checkpoint.
      const rows: { data: Uint8Array; participantId: string }[] = []
      const collect = (data: Uint8Array) => rows.push({ data, participantId: 'author' })
      doc.on('update', collect)
      for (let i = 0; i < 500; i++) list.push([`${round}-${i} ${'x'.repeat(8_000)}`])
      doc.off('update', collect)
      await Promise.all(rows.splice(0).map((row) => store.appendUpdates(id, [row])))
      const result = await store.checkpointer?.checkpoint()
      expect(result).not.toBeNull()
      // Everything in the log went into the file: a passive checkpoint that nobody blocked.
      expect(result?.checkpointed).toBe(result?.log)
      walSizes.push(fs.statSync(`${file}-wal`).size)
    }
    // The log restarts from its beginning after a complete checkpoint: it stops growing (at two
    // rounds' worth here) instead of growing by a round's worth each round.
    expect(walSizes.at(-1)).toBe(walSizes[2])
    expect(walSizes.at(-1)).toBeLessThan(walSizes[0] * 2.5)
    await store.close()
    const { store: reopened } = await openStore(file)
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((await reopened.loadDocument(id)).updates.length).toBeGreaterThan(2_500)
  })

  it('falls back to SQLite checkpointing in the commit when the worker is gone', async () => {
    const { store } = await openStore()
    // biome-ignore lint/suspicious/noExplicitAny: the test stops the private worker
    await (store.checkpointer as any).worker.terminate()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    expect(await store.checkpointer?.checkpoint()).toBeNull()
    const { id, text: written } = await writeDocument(store)
    expect(await text(store, id)).toBe(written)
  })

  it('creates the directory of the database file when it is missing', async () => {
    const temp = tempFile()
    dirs.push(temp.dir)
    const file = path.join(temp.dir, 'nested', 'deeper', 'plenary.sqlite')
    const { store } = await openStore(file)
    await expect(store.ping()).resolves.toBeUndefined()
    expect(fs.existsSync(file)).toBe(true)
  })
})
