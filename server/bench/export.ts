/**
 * Export benchmark: the twenty-page demo draft seeded into a temporary SQLite store, its Draft
 * published, then a revision of it made through attributed edits (60 paragraphs with words
 * inserted and deleted, 5 removed, 5 added), with the demo's threads plus 100 more (each with a
 * reply). Every export runs through the HTTP route in-process (`app.inject`), marked against the
 * Draft with all threads; median and p95 of 15 timed runs after 3 warm-up runs.
 * Result: bench/results/export.md.
 *
 *   node --import tsx bench/export.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAnchorFromQuote, findYBlock, jsonDocBlocks, YDOC_FIELD, yBlockText } from '@plenary/shared'
import { seededRandom } from '@plenary/shared/seededRandom'
import * as Y from 'yjs'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { demoWorkplan } from '../src/demo/workplan.ts'
import { newId } from '../src/ids.ts'
import { revisionOf } from '../src/revisions/snapshot.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const WARMUP = 3
const RUNS = 15
const EDITED = 60
const REMOVED = 5
const ADDED = 5
const EXTRA_THREADS = 100

const rng = seededRandom
const random = rng(2021)
const below = (n: number) => Math.floor(random() * n)

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-bench-export-'))
const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PLENARY_DEMO: '0' })
const store = new SqliteStore(config.sqlitePath)
await store.migrate()
const app = await buildApp({ config, store, logger: false })
const seeded = await seedDemo(store, 'http://127.0.0.1')
if (!seeded) throw new Error('the demo was not seeded')
const documentId = seeded.documentId
const people = await store.listParticipants()
const chair = people.find((p) => p.id === 'demo-chair')
const facilitator = people.find((p) => p.id === 'demo-facilitator-c')
const secretariat = people.find((p) => p.id === 'demo-secretariat')
if (!chair || !facilitator || !secretariat) throw new Error('demo participants missing')
const delegates = people.filter((p) => p.role === 'delegate')

// The Draft as circulated.
const { rooms } = app.services
const draft = await rooms.withRoom(documentId, async (room) =>
  revisionOf(room.doc, {
    documentId,
    kind: 'published',
    label: 'Draft',
    symbol: 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft',
    note: '',
    createdBy: chair.id,
    contributors: [],
  }),
)
await store.createRevision(draft, {
  actorId: chair.id,
  action: 'revision.published',
  subjectType: 'revision',
  subjectId: draft.id,
  details: {},
})

// A hundred more threads on quoted words, from the delegations, each with a reply.
const blocks = jsonDocBlocks(demoWorkplan).filter((b) => b.id && b.text.split(' ').length >= 8)
await rooms.withRoom(documentId, async (room) => {
  for (let k = 0; k < EXTRA_THREADS; k++) {
    const block = blocks[below(blocks.length)]
    const words = block.text.split(' ')
    const start = below(words.length - 4)
    const quote = words.slice(start, start + 3).join(' ')
    const author = delegates[k % delegates.length]
    const at = new Date(Date.UTC(2021, 1, 10 + (k % 9), 9, k % 60)).toISOString()
    const thread = {
      id: newId(),
      documentId,
      kind: (['comment', 'question', 'support', 'editorial'] as const)[k % 4],
      status: 'open' as const,
      visibility: 'everyone' as const,
      authorId: author.id,
      anchor: createAnchorFromQuote(room.doc, block.id as string, quote),
      proposal: null,
      appliedAt: null,
      appliedBy: null,
      disposition: null,
      communicationId: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgement: null,
      late: false,
      createdAt: at,
      updatedAt: at,
      createdInRevision: null,
      reflectedIn: null,
    }
    const first = {
      id: newId(),
      threadId: thread.id,
      authorId: author.id,
      body: `Comment ${k + 1} of ${author.organisation} on "${quote}": the delegation would welcome further clarification.`,
      createdAt: at,
      editedAt: null,
      withdrawnAt: null,
      history: [],
      mentions: [],
    }
    const audit = {
      actorId: author.id,
      action: 'thread.created',
      subjectType: 'thread' as const,
      subjectId: thread.id,
      details: {},
    }
    await store.createThread(thread, first, audit)
    await store.addMessage(
      { ...first, id: newId(), authorId: facilitator.id, body: 'Noted; to be considered for Rev.1.' },
      audit,
    )
  }
})

// Rev.1 in the making: attributed edits of the live text.
const ids = blocks.map((b) => b.id as string)
const shuffled = ids
  .map((id) => ({ id, key: random() }))
  .sort((a, b) => a.key - b.key)
  .map((x) => x.id)
await rooms.withRoom(documentId, async (room) => {
  await room.serverEdit(facilitator.id, (doc) => {
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    for (const id of shuffled.slice(0, EDITED)) {
      const block = findYBlock(fragment, id)
      const text = block?.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText | undefined
      if (!block || !text) continue
      const plain = yBlockText(block)
      const cut = plain.indexOf(' ', below(Math.max(1, plain.length - 20)))
      if (cut > 0 && cut + 8 < text.length) text.delete(cut, 8)
      text.insert(Math.min(text.length, plain.indexOf(' ') + 1), 'effective and ')
    }
  })
  await room.serverEdit(chair.id, (doc) => {
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    for (const id of shuffled.slice(EDITED, EDITED + REMOVED)) {
      const block = findYBlock(fragment, id)
      const parent = block?.parent
      if (block && parent instanceof Y.XmlFragment) parent.delete(parent.toArray().indexOf(block), 1)
    }
    for (let k = 0; k < ADDED; k++) {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.setAttribute('id', `bench-added-${k}`)
      const words = new Y.XmlText()
      words.insert(
        0,
        `The Chair will circulate a further background paper (${k + 1}) before the next meeting.`,
      )
      paragraph.insert(0, [words])
      fragment.insert(10 + k * 20, [paragraph])
    }
  })
})

// The secretariat's sign-in link: it sees every thread.
const token = seeded.links.find((l) => l.role === 'secretariat')?.url.split('/join/')[1]
const headers = { authorization: `Bearer ${token}` }
const exports: [string, string][] = [
  [
    'DOCX, tracked changes, all comments, compilation',
    `export.docx?against=${draft.id}&comments=all&compilation=1`,
  ],
  ['DOCX, bold/strike marks, all comments', `export.docx?against=${draft.id}&marks=bold&comments=all`],
  ['DOCX, clean text', 'export.docx'],
  ['HTML, tracked, all comments, compilation', `export.html?against=${draft.id}&comments=all&compilation=1`],
  [
    'Markdown, tracked, all comments, compilation',
    `export.md?against=${draft.id}&comments=all&compilation=1`,
  ],
  ['Compilation DOCX', 'compilation.docx'],
  ['Compilation CSV', 'compilation.csv'],
]

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const lines: string[] = []
for (const [label, query] of exports) {
  const url = `/api/documents/${documentId}/${query}`
  let size = 0
  for (let i = 0; i < WARMUP; i++) {
    const response = await app.inject({ method: 'GET', url, headers })
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  }
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const response = await app.inject({ method: 'GET', url, headers })
    times.push(performance.now() - start)
    size = response.rawPayload.length
  }
  times.sort((a, b) => a - b)
  const line = `| ${label} | ${percentile(times, 50).toFixed(0)} ms | ${percentile(times, 95).toFixed(0)} ms | ${(size / 1024).toFixed(0)} KiB |`
  console.log(line)
  lines.push(line)
}
const threads = (await store.listThreads(documentId)).length
const header = [
  `Demo draft (${jsonDocBlocks(demoWorkplan).length} blocks, about twenty pages), ${threads} threads with replies, marked against the Draft`,
  `after ${EDITED} paragraphs edited, ${REMOVED} removed and ${ADDED} added. Node ${process.version}; ${RUNS} runs after ${WARMUP} warm-up runs, through the HTTP route in-process.`,
  '',
  '| export | median | p95 | size |',
  '|---|---|---|---|',
]
fs.mkdirSync(path.join(here, 'results'), { recursive: true })
fs.writeFileSync(path.join(here, 'results', 'export.md'), `${[...header, ...lines].join('\n')}\n`)
await app.close()
await store.close()
fs.rmSync(dataDir, { recursive: true, force: true })
