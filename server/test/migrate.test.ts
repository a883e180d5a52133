/**
 * The SQLite → PostgreSQL migration tool, end to end: the full demo plus later edits, a compaction,
 * revisions, comments and a generated larger workspace (30 documents × 200 updates) are moved
 * into a fresh PostgreSQL database (created and dropped here), verified by the tool, and read back
 * through a PostgresStore.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { contentToYDoc, normalizeContent, YDOC_FIELD, yDocToContent } from '@plenary/shared'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seedDemo } from '../src/demo/seed.ts'
import { revisionOf } from '../src/revisions/snapshot.ts'
import { loadYDoc } from '../src/storage/loadDoc.ts'
import { PostgresStore } from '../src/storage/PostgresStore.ts'
import {
  createTestDatabase,
  dropTestDatabase,
  postgresUnavailable,
} from '../src/storage/postgresTestDatabase.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'
import type { Store, ThreadRecord } from '../src/storage/Store.ts'
import {
  MigrationRefused,
  main,
  migrateSqliteToPostgres,
  verifyMigration,
} from '../src/tools/migrateSqliteToPostgres.ts'
import { tempDir } from './helpers.ts'

const unavailable = await postgresUnavailable()
const ci = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI as string)
if (unavailable && ci) throw new Error(`PostgreSQL tests cannot be skipped in CI: ${unavailable}`)
if (unavailable) console.warn(`Skipping the migration tests: ${unavailable}`)

const silent = pino({ level: 'silent' })
const GENERATED_DOCUMENTS = 30
const UPDATES_PER_DOCUMENT = 200

/** The first text node of a document's fragment. */
function firstText(doc: Y.Doc): Y.XmlText {
  const walk = (node: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) return child
      if (child instanceof Y.XmlElement) {
        const found = walk(child)
        if (found) return found
      }
    }
    return null
  }
  const found = walk(doc.getXmlFragment(YDOC_FIELD))
  if (!found) throw new Error('no text in the document')
  return found
}

/** Makes `count` edits on `doc`, returning one update per edit. */
function edit(doc: Y.Doc, count: number, word: (i: number) => string): Uint8Array[] {
  const updates: Uint8Array[] = []
  const capture = (update: Uint8Array) => updates.push(update)
  doc.on('update', capture)
  for (let i = 0; i < count; i++) {
    const text = firstText(doc)
    doc.transact(() => text.insert(text.length, word(i)))
  }
  doc.off('update', capture)
  return updates
}

async function contentOf(store: Store, documentId: string): Promise<unknown> {
  const doc = await loadYDoc(store, documentId, silent)
  const content = yDocToContent(doc)
  doc.destroy()
  return content
}

describe.skipIf(!!unavailable)('migrating a deployment from SQLite to PostgreSQL', () => {
  let dir: string
  let file: string
  let database: { name: string; url: string }
  /** What the SQLite store holds, read before the migration. */
  const expected = new Map<string, unknown>()
  let demoDocumentId: string
  let firstCopy: Awaited<ReturnType<typeof migrateSqliteToPostgres>>

  beforeAll(async () => {
    dir = tempDir('plenary-migrate-')
    file = path.join(dir, 'plenary.sqlite')
    const sqlite = new SqliteStore(file)
    await sqlite.migrate()
    const seeded = await seedDemo(sqlite, 'http://127.0.0.1:8080')
    if (!seeded) throw new Error('the demo was not seeded')
    demoDocumentId = seeded.documentId
    const [chair] = (await sqlite.listParticipants()).filter((p) => p.role === 'facilitator')
    const [mexico] = (await sqlite.listParticipants()).filter((p) => p.organisation === 'Mexico')

    // Later edits of the demo: some compacted into a snapshot, some left in the log after it.
    const doc = await loadYDoc(sqlite, demoDocumentId, silent)
    let seq = await sqlite.appendUpdates(
      demoDocumentId,
      edit(doc, 12, (i) => ` chair-edit-${i}`).map((data) => ({ data, participantId: chair.id })),
    )
    await sqlite.compact(demoDocumentId, Y.encodeStateAsUpdate(doc), seq)
    seq = await sqlite.appendUpdates(
      demoDocumentId,
      edit(doc, 5, (i) => ` after-compaction-${i}`).map((data) => ({ data, participantId: mexico.id })),
    )
    expect(seq).toBeGreaterThan(12)
    const revision = revisionOf(doc, {
      documentId: demoDocumentId,
      kind: 'published',
      label: 'Rev.1',
      symbol: 'ATT/CSP/WGETI/2026/Rev.1',
      note: 'After the first series',
      createdBy: chair.id,
      contributors: [chair.id, mexico.id],
    })
    await sqlite.createRevision(revision, {
      actorId: chair.id,
      action: 'revision.published',
      subjectType: 'revision',
      subjectId: revision.id,
      details: { documentId: demoDocumentId },
    })
    // Comments change too: a reply with a mention, an edited message, a closed thread.
    const [thread] = await sqlite.listThreads(demoDocumentId)
    const [firstMessage] = await sqlite.listMessages([thread.id])
    await sqlite.addMessage(
      {
        id: 'reply-after-demo',
        threadId: thread.id,
        authorId: chair.id,
        body: 'Noted, @Mexico.',
        createdAt: new Date().toISOString(),
        editedAt: null,
        withdrawnAt: null,
        history: [],
        mentions: [{ participantId: null, organisation: 'Mexico' }],
      },
      {
        actorId: chair.id,
        action: 'message.added',
        subjectType: 'message',
        subjectId: 'reply-after-demo',
        details: {},
      },
    )
    await sqlite.updateMessage(
      firstMessage.id,
      { body: `${firstMessage.body} (edited)` },
      {
        actorId: null,
        action: 'message.edited',
        subjectType: 'message',
        subjectId: firstMessage.id,
        details: {},
      },
    )
    await sqlite.updateThread(
      thread.id,
      { status: 'closed' },
      {
        actorId: chair.id,
        action: 'thread.closed',
        subjectType: 'thread',
        subjectId: thread.id,
        details: {},
      },
    )
    await sqlite.createSession('session-hash-of-the-chair', chair.id)
    await sqlite.updateParticipant(mexico.id, { tokenHash: 'rotated-token-hash' })
    doc.destroy()

    // A larger workspace: 30 documents of 200 updates each, each with a thread and a checkpoint.
    for (let d = 0; d < GENERATED_DOCUMENTS; d++) {
      const id = `generated-${String(d).padStart(2, '0')}`
      const content = normalizeContent({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: `Generated document ${d}.` }] }],
      })
      const generated = contentToYDoc(content)
      await sqlite.createDocument({
        id,
        title: `Generated ${d}`,
        penHolders: [chair.id],
        createdBy: chair.id,
        initialState: Y.encodeStateAsUpdate(generated),
      })
      const updates = edit(generated, UPDATES_PER_DOCUMENT, (i) => ` w${d}.${i}`)
      for (let start = 0; start < updates.length; start += 20) {
        await sqlite.appendUpdates(
          id,
          updates
            .slice(start, start + 20)
            .map((data, i) => ({ data, participantId: i % 2 ? chair.id : null })),
        )
      }
      const at = new Date(Date.UTC(2026, 0, 1, 0, d)).toISOString()
      const record: ThreadRecord = {
        id: `thread-${id}`,
        documentId: id,
        kind: 'comment',
        status: 'open',
        visibility: 'everyone',
        authorId: mexico.id,
        anchor: null,
        proposal: { action: 'replace', text: 'Better words' },
        appliedAt: null,
        appliedBy: null,
        disposition: null,
        communicationId: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgement: null,
        late: d % 3 === 0,
        createdAt: at,
        updatedAt: at,
        createdInRevision: null,
        reflectedIn: null,
      }
      await sqlite.createThread(
        record,
        {
          id: `message-${id}`,
          threadId: record.id,
          authorId: mexico.id,
          body: `About document ${d}`,
          createdAt: at,
          editedAt: null,
          withdrawnAt: null,
          history: [],
          mentions: [{ participantId: chair.id, organisation: null }],
        },
        {
          actorId: mexico.id,
          action: 'thread.created',
          subjectType: 'thread',
          subjectId: record.id,
          details: { d },
        },
      )
      if (d % 10 === 0) {
        const checkpoint = revisionOf(generated, {
          documentId: id,
          kind: 'checkpoint',
          label: 'Checkpoint',
          symbol: null,
          note: '',
          createdBy: null,
          contributors: [chair.id],
        })
        await sqlite.createRevision(checkpoint, {
          actorId: null,
          action: 'revision.checkpoint',
          subjectType: 'revision',
          subjectId: checkpoint.id,
          details: {},
        })
      }
      generated.destroy()
    }
    for (const document of await sqlite.listDocuments()) {
      expected.set(document.id, {
        record: document,
        content: await contentOf(sqlite, document.id),
        threads: await sqlite.listThreads(document.id),
        revisions: await sqlite.listRevisions(document.id, { checkpoints: true }),
      })
    }
    await sqlite.close()

    database = await createTestDatabase('plenary_test_migrate')
    firstCopy = await migrateSqliteToPostgres({ from: file, to: database.url })
  }, 180_000)

  afterAll(async () => {
    if (database) await dropTestDatabase(database.name)
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('copies every table and the verification finds no difference', () => {
    expect(firstCopy.differences).toEqual([])
    expect(firstCopy.documents).toBe(GENERATED_DOCUMENTS + 1)
    expect(firstCopy.copied.documents).toBe(GENERATED_DOCUMENTS + 1)
    expect(firstCopy.copied.updates).toBe(GENERATED_DOCUMENTS * UPDATES_PER_DOCUMENT + 5)
    expect(firstCopy.copied.snapshots).toBe(GENERATED_DOCUMENTS + 1)
    expect(firstCopy.copied.sessions).toBe(1)
    expect(firstCopy.threads).toBeGreaterThan(GENERATED_DOCUMENTS)
    // The demo brings its published Draft; the test adds one revision, the generated workspace a few.
    expect(firstCopy.revisions).toBe(2 + GENERATED_DOCUMENTS / 10)
    for (const table of ['participants', 'messages', 'mentions', 'communications', 'audit', 'revisions']) {
      expect(firstCopy.copied[table], table).toBeGreaterThan(0)
    }
  })

  it('a PostgresStore then holds the same documents, text, threads and revisions', async () => {
    const store = new PostgresStore(database.url)
    try {
      await store.migrate()
      const documents = await store.listDocuments()
      expect(new Set(documents.map((d) => d.id))).toEqual(new Set(expected.keys()))
      for (const document of documents) {
        const before = expected.get(document.id) as Record<string, unknown>
        expect(document, document.id).toEqual(before.record)
        expect(await contentOf(store, document.id), document.id).toEqual(before.content)
        expect(await store.listThreads(document.id), document.id).toEqual(before.threads)
        expect(await store.listRevisions(document.id, { checkpoints: true }), document.id).toEqual(
          before.revisions,
        )
      }
      const demoText = JSON.stringify(await contentOf(store, demoDocumentId))
      expect(demoText).toContain('chair-edit-11')
      expect(demoText).toContain('after-compaction-4')
      // Sign-in, sessions and mentions work from the copied rows.
      expect((await store.findParticipantByTokenHash('rotated-token-hash'))?.organisation).toBe('Mexico')
      expect(await store.findSession('session-hash-of-the-chair')).toMatch(/^demo-/)
      const mexico = (await store.listParticipants()).find((p) => p.organisation === 'Mexico')
      expect((await store.listMentions(mexico?.id as string, 'Mexico')).map((m) => m.id)).toContain(
        'reply-after-demo',
      )
      // The log goes on after the copied updates, and new audit entries after the copied ones.
      const loaded = await store.loadDocument(demoDocumentId)
      const lastSeq = loaded.updates.at(-1)?.seq as number
      const doc = await loadYDoc(store, demoDocumentId, silent)
      const next = await store.appendUpdates(demoDocumentId, [
        { data: edit(doc, 1, () => ' on-postgres')[0], participantId: null },
      ])
      expect(next).toBe(lastSeq + 1)
      const revision = revisionOf(doc, {
        documentId: demoDocumentId,
        kind: 'checkpoint',
        label: 'Checkpoint',
        symbol: null,
        note: '',
        createdBy: null,
        contributors: [],
      })
      await store.createRevision(revision, {
        actorId: null,
        action: 'revision.checkpoint',
        subjectType: 'revision',
        subjectId: revision.id,
        details: {},
      })
      expect((await store.listAudit(revision.id)).length).toBe(1)
    } finally {
      await store.close()
    }
  })

  it('refuses a target that already holds documents, unless --force replaces them', async () => {
    await expect(migrateSqliteToPostgres({ from: file, to: database.url })).rejects.toBeInstanceOf(
      MigrationRefused,
    )
    const again = await migrateSqliteToPostgres({ from: file, to: database.url, force: true })
    expect(again.differences).toEqual([])
    expect(again.copied).toEqual(firstCopy.copied)
  })

  it('refuses to move an empty SQLite file (most likely the wrong one) even with --force', async () => {
    const empty = path.join(dir, 'empty.sqlite')
    const store = new SqliteStore(empty)
    await store.migrate()
    await store.close()
    await expect(migrateSqliteToPostgres({ from: empty, to: database.url, force: true })).rejects.toThrow(
      /holds no documents and no participants/,
    )
    await expect(
      migrateSqliteToPostgres({ from: path.join(dir, 'missing.sqlite'), to: database.url }),
    ).rejects.toThrow(/no SQLite file at/)
    // The target still holds the copy.
    const postgres = new PostgresStore(database.url)
    try {
      expect((await postgres.listDocuments()).length).toBe(GENERATED_DOCUMENTS + 1)
    } finally {
      await postgres.close()
    }
  })

  it('the verification reports a document whose text, threads or revisions differ', async () => {
    const sqlite = new SqliteStore(file)
    const postgres = new PostgresStore(database.url)
    try {
      expect((await verifyMigration(sqlite, postgres)).differences).toEqual([])
      const doc = await loadYDoc(postgres, 'generated-07', silent)
      await postgres.appendUpdates('generated-07', [
        { data: edit(doc, 1, () => ' extra')[0], participantId: null },
      ])
      await postgres.updateThread(
        'thread-generated-07',
        { status: 'closed' },
        { actorId: null, action: 'x', subjectType: 'thread', subjectId: 'thread-generated-07', details: {} },
      )
      const { differences } = await verifyMigration(sqlite, postgres)
      expect(differences.some((d) => /generated-07.*the text differs/.test(d))).toBe(true)
      expect(differences.some((d) => /generated-07.*threads differ/.test(d))).toBe(true)
    } finally {
      await sqlite.close()
      await postgres.close()
    }
  })

  it('the command: prints a summary and exits 0; exits non-zero when PostgreSQL cannot be reached', async () => {
    const run = promisify(execFile)
    const tool = path.join(import.meta.dirname, '..', 'src', 'tools', 'migrateSqliteToPostgres.ts')
    const ok = await run(
      process.execPath,
      ['--import', 'tsx', tool, '--from', file, '--to', database.url, '--force'],
      {
        cwd: path.join(import.meta.dirname, '..'),
      },
    )
    expect(ok.stdout).toMatch(/OK in .* 31 document\(s\)/)
    expect(ok.stdout).not.toContain('postgres://')

    const failed = await run(
      process.execPath,
      ['--import', 'tsx', tool, '--from', file, '--to', 'postgres://plenary:pw-secret@127.0.0.1:1/plenary'],
      { cwd: path.join(import.meta.dirname, '..') },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stderr.trim()).toMatch(/^cannot reach PostgreSQL at 127\.0\.0\.1:1: /)
    expect(failed?.stderr).not.toContain('pw-secret')

    // A target with documents and no --force: refused, status 1.
    const log = console.error
    const lines: string[] = []
    console.error = (line: string) => lines.push(String(line))
    try {
      expect(await main(['--', '--from', file, '--to', database.url])).toBe(1)
      expect(lines.join('\n')).toMatch(/already holds 31 document\(s\).*--force/)
      lines.length = 0
      expect(await main(['--from', file], {})).toBe(2)
      expect(lines.join('\n')).toContain('--to is missing')
    } finally {
      console.error = log
    }
  }, 120_000)
})
