/**
 * The storage contract against the real PostgreSQL (TEST_DATABASE_URL, default the machine's
 * local server), in a database this file creates and drops, plus what only PostgreSQL has:
 * concurrent instances, migrations racing, an unreachable server.
 *
 * With CI=1 nothing is skipped: an unreachable PostgreSQL fails the file. Without CI the file
 * skips, saying why, when PostgreSQL cannot be reached.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { TcpProxy } from '../../test/tcpProxy.ts'
import { storeContract } from './contract.ts'
import {
  checkServerVersion,
  PostgresConnectionError,
  PostgresStore,
  PostgresVersionError,
  StoreConflictError,
} from './PostgresStore.ts'
import { postgresMigrations, postgresTables } from './postgresMigrations.ts'
import { createTestDatabase, dropTestDatabase, postgresUnavailable } from './postgresTestDatabase.ts'
import type { Store } from './Store.ts'

const unavailable = await postgresUnavailable()
const ci = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI as string)
if (unavailable && ci) {
  throw new Error(`PostgreSQL tests cannot be skipped in CI: ${unavailable}`)
}
if (unavailable) console.warn(`Skipping the PostgreSQL store tests: ${unavailable}`)

const database = unavailable ? null : await createTestDatabase()

afterAll(async () => {
  if (database) await dropTestDatabase(database.name)
})

/** A migrated store on this file's database, emptied of everything earlier tests left. */
async function freshStore(): Promise<PostgresStore> {
  const store = new PostgresStore((database as { url: string }).url)
  await store.migrate()
  await store.pool.query(`TRUNCATE ${postgresTables.join(', ')} RESTART IDENTITY CASCADE`)
  return store
}

if (database) {
  storeContract('PostgreSQL', freshStore, (store: Store) => store.close())
} else {
  describe.skip(`PostgreSQL store contract (skipped: ${unavailable})`, () => {
    it('needs PostgreSQL', () => {})
  })
}

function newDocument(text = 'Base.') {
  const doc = new Y.Doc()
  doc.getText('body').insert(0, text)
  return { doc, initialState: Y.encodeStateAsUpdate(doc) }
}

/** Updates, each inserting one numbered word, made on a replica of `initialState`. */
function makeUpdates(initialState: Uint8Array, count: number, tag: string): Uint8Array[] {
  const editor = new Y.Doc()
  Y.applyUpdate(editor, initialState)
  const out: Uint8Array[] = []
  editor.on('update', (u: Uint8Array) => out.push(u))
  for (let i = 0; i < count; i++) editor.getText('body').insert(editor.getText('body').length, ` ${tag}${i}`)
  return out
}

async function text(store: Store, id: string): Promise<string> {
  const loaded = await store.loadDocument(id)
  const doc = new Y.Doc()
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
  for (const u of loaded.updates) Y.applyUpdate(doc, u.data)
  return doc.getText('body').toString()
}

describe.skipIf(!database)('PostgresStore on the real PostgreSQL', () => {
  const open: PostgresStore[] = []
  const databases: string[] = []

  async function openStore(url = (database as { url: string }).url, fresh = true): Promise<PostgresStore> {
    const store = fresh ? await freshStore() : new PostgresStore(url)
    if (!fresh) await store.migrate()
    open.push(store)
    return store
  }

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close()
  })

  afterAll(async () => {
    for (const name of databases.splice(0)) await dropTestDatabase(name)
  })

  it('migrations are idempotent: migrating again keeps the schema versions and the data', async () => {
    const store = await openStore()
    const { initialState } = newDocument('Kept.')
    await store.createDocument({ id: 'doc-1', title: 'T', penHolders: [], createdBy: null, initialState })
    await store.migrate()
    await store.migrate()
    const { rows } = await store.pool.query('SELECT version FROM schema_migrations ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((m) => m.version))
    expect(await text(store, 'doc-1')).toBe('Kept.')
  })

  it('instances migrating an empty database at once do not race (advisory lock)', async () => {
    const fresh = await createTestDatabase('plenary_test_migrate')
    databases.push(fresh.name)
    const instances = Array.from({ length: 4 }, () => new PostgresStore(fresh.url))
    open.push(...instances)
    await Promise.all(instances.map((s) => s.migrate()))
    const { rows } = await instances[0].pool.query('SELECT version FROM schema_migrations ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((m) => m.version))
    const tables = await instances[0].pool.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    )
    expect(tables.rows.map((r) => r.table_name)).toEqual([...postgresTables, 'schema_migrations'].sort())
  })

  it('two instances appending to one document at once never share or interleave sequence numbers', async () => {
    const a = await openStore()
    const b = new PostgresStore((database as { url: string }).url)
    open.push(b)
    const { initialState } = newDocument('')
    await a.createDocument({ id: 'shared', title: 'Shared', penHolders: [], createdBy: null, initialState })

    // Each instance sends 20 batches of 5 updates, all at once, from its own pool.
    const batchesOf = (tag: string) => {
      const updates = makeUpdates(initialState, 100, tag)
      return Array.from({ length: 20 }, (_, i) =>
        updates.slice(i * 5, i * 5 + 5).map((data) => ({ data, participantId: null })),
      )
    }
    const batchesA = batchesOf('a')
    const batchesB = batchesOf('b')
    const results = await Promise.all([
      ...batchesA.map((batch) => a.appendUpdates('shared', batch)),
      ...batchesB.map((batch) => b.appendUpdates('shared', batch)),
    ])

    const loaded = await a.loadDocument('shared')
    const seqs = loaded.updates.map((u) => u.seq)
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(new Set(results).size).toBe(40)
    // Every batch is one run of consecutive numbers ending where appendUpdates said.
    const seqOf = new Map(loaded.updates.map((u) => [Buffer.from(u.data).toString('base64'), u.seq]))
    for (const [index, batch] of [...batchesA, ...batchesB].entries()) {
      const batchSeqs = batch.map((row) => seqOf.get(Buffer.from(row.data).toString('base64')))
      const last = results[index]
      expect(batchSeqs).toEqual([last - 4, last - 3, last - 2, last - 1, last])
    }
    // Both instances read the same text, with every word of both.
    const merged = await text(b, 'shared')
    expect(merged).toBe(await text(a, 'shared'))
    const words = merged.split(' ').filter(Boolean).sort()
    const expected = Array.from({ length: 100 }, (_, i) => [`a${i}`, `b${i}`])
      .flat()
      .sort()
    expect(words).toEqual(expected)
  })

  it('a compaction by one instance while another appends loses nothing', async () => {
    const a = await openStore()
    const b = new PostgresStore((database as { url: string }).url)
    open.push(b)
    const { initialState } = newDocument('Start.')
    await a.createDocument({ id: 'busy', title: 'Busy', penHolders: [], createdBy: null, initialState })
    const updates = makeUpdates(initialState, 60, 'w')
    await a.appendUpdates(
      'busy',
      updates.slice(0, 30).map((data) => ({ data, participantId: null })),
    )

    const compactNow = async () => {
      const loaded = await a.loadDocument('busy')
      const doc = new Y.Doc()
      if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
      for (const u of loaded.updates) Y.applyUpdate(doc, u.data)
      const through = loaded.updates.at(-1)?.seq ?? loaded.snapshotSeq
      await a.compact('busy', Y.encodeStateAsUpdate(doc), through)
    }
    await Promise.all([
      ...updates.slice(30).map((data) => b.appendUpdates('busy', [{ data, participantId: null }])),
      compactNow(),
      compactNow(),
    ])
    const expected = new Y.Doc()
    Y.applyUpdate(expected, initialState)
    for (const u of updates) Y.applyUpdate(expected, u)
    expect(await text(b, 'busy')).toBe(expected.getText('body').toString())
    const loaded = await b.loadDocument('busy')
    expect(loaded.snapshotSeq + loaded.updates.length).toBe(60)
  })

  it('bytes of every value round-trip through bytea unchanged', async () => {
    const store = await openStore()
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    await store.createDocument({
      id: 'bytes',
      title: 'B',
      penHolders: [],
      createdBy: null,
      initialState: all,
    })
    const seq = await store.appendUpdates('bytes', [{ data: all.subarray(10, 20), participantId: null }])
    const loaded = await store.loadDocument('bytes')
    expect(Array.from(loaded.snapshot ?? [])).toEqual(Array.from(all))
    expect(loaded.updates.map((u) => Array.from(u.data))).toEqual([Array.from(all.subarray(10, 20))])
    expect(loaded.updates[0].seq).toBe(seq)
    expect(typeof loaded.updates[0].seq).toBe('number')
  })

  it('a duplicate key is reported as a conflict', async () => {
    const store = await openStore()
    const participant = {
      id: 'p1',
      name: 'P',
      organisation: 'Norway',
      organisationKind: 'state_party' as const,
      role: 'delegate' as const,
      tokenHash: 'h1',
    }
    await store.createParticipant(participant)
    await expect(store.createParticipant(participant)).rejects.toBeInstanceOf(StoreConflictError)
    await expect(store.createParticipant({ ...participant, id: 'p2' })).rejects.toThrow(/already stored/)
  })

  it('an unreachable server: migrate and ping reject with one clear message, without the password', async () => {
    const store = new PostgresStore('postgres://plenary:hunter2secret@127.0.0.1:1/plenary', {
      connectionTimeoutMillis: 3_000,
    })
    open.push(store)
    for (const attempt of [store.migrate(), store.ping()]) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(PostgresConnectionError)
      expect((error as Error).message).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: \S/)
      expect((error as Error).message).not.toContain('hunter2secret')
    }
  })

  it('a connection cut while a transaction holds it fails that transaction and does not crash the process', async () => {
    const url = new URL((database as { url: string }).url)
    const proxy = await TcpProxy.start([Number(url.port || 5432)])
    url.hostname = '127.0.0.1'
    url.port = String(proxy.port)
    const store = new PostgresStore(url.toString(), { connectionTimeoutMillis: 2_000 })
    open.push(store)
    try {
      await store.migrate()
      const client = await store.pool.connect()
      await client.query('BEGIN')
      const ended = new Promise((resolve) => client.once('end', resolve))
      // Between two statements: pg emits 'error' on the checked-out client, which nobody else hears.
      proxy.cut()
      await ended
      await expect(client.query('SELECT 1')).rejects.toThrow()
      client.release(true)
      proxy.restore()
      await expect(store.ping()).resolves.toBeUndefined()
    } finally {
      await proxy.close()
    }
  })

  it('a database that does not exist is reported the same way', async () => {
    const url = new URL((database as { url: string }).url)
    url.pathname = '/plenary_no_such_database'
    const store = new PostgresStore(url.toString())
    open.push(store)
    await expect(store.ping()).rejects.toThrow(/cannot reach PostgreSQL at .*does not exist/)
  })

  it('refuses a server older than PostgreSQL 13', async () => {
    expect(() => checkServerVersion(120017, 'db:5432')).toThrow(PostgresVersionError)
    expect(() => checkServerVersion(120017, 'db:5432')).toThrow(
      'PostgreSQL at db:5432 is PostgreSQL 12; Plenary needs PostgreSQL 13 or newer',
    )
    expect(() => checkServerVersion(90624, 'db:5432')).toThrow(/needs PostgreSQL 13 or newer/)
    expect(() => checkServerVersion(130000, 'db:5432')).not.toThrow()
    // And this machine's server passes the check in migrate().
    const store = await openStore()
    const { rows } = await store.pool.query('SHOW server_version_num')
    expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(130000)
  })

  it('is closed once: close twice is harmless, and use after close fails clearly', async () => {
    const store = new PostgresStore((database as { url: string }).url)
    await store.ping()
    await store.close()
    await store.close()
    await expect(store.ping()).rejects.toThrow(/closed/)
  })
})
