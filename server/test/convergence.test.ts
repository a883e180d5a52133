/**
 * Convergence, as a property: random concurrent editing by several stock y-websocket clients
 * through the real server, with clients going offline and coming back, and the document unloaded
 * and reloaded from storage (snapshot plus log tail, compacted often) in between. After every run
 * all clients, the server's live document and a fresh load from storage hold the same text, every
 * edit any writer made is stored, block ids are whole and unique, and nobody was disconnected.
 *
 * PLENARY_CONVERGENCE_RUNS sets the number of runs (1,000 in `npm test`, 100,000 in `npm run
 * soak`); PLENARY_CONVERGENCE_SEED and PLENARY_CONVERGENCE_PATH replay a failure fast-check reported.
 */
import { elementsNeedingIds, YDOC_FIELD } from '@plenary/shared'
import fc from 'fast-check'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadYDoc } from '../src/storage/loadDoc.ts'
import {
  connectClient,
  createDocument,
  createParticipant,
  startServer,
  type TestClient,
  type TestParticipant,
  type TestServer,
} from './helpers.ts'

const RUNS = Number(process.env.PLENARY_CONVERGENCE_RUNS ?? 1_000)
const SEED = process.env.PLENARY_CONVERGENCE_SEED ? Number(process.env.PLENARY_CONVERGENCE_SEED) : undefined
/** With the seed, the path fast-check printed: replays that one counterexample. */
const PATH = process.env.PLENARY_CONVERGENCE_PATH
/** Three writers and a reader. */
const WRITERS = 3
const PEOPLE = WRITERS + 1
const silent = pino({ level: 'silent' })

type Who = number
type Command =
  | { kind: 'type'; who: Who; block: number; at: number; text: string }
  | { kind: 'delete'; who: Who; block: number; at: number; length: number }
  | { kind: 'bold'; who: Who; block: number; at: number; length: number }
  | { kind: 'split'; who: Who; block: number; at: number }
  | { kind: 'join'; who: Who; block: number }
  | { kind: 'removeBlock'; who: Who; block: number }
  | { kind: 'offline'; who: Who }
  | { kind: 'online'; who: Who }
  | { kind: 'settle' }
  | { kind: 'reload' }

const who = fc.nat({ max: WRITERS - 1 })
const anyone = fc.nat({ max: PEOPLE - 1 })
const place = { block: fc.nat({ max: 30 }), at: fc.nat({ max: 60 }) }
// Ordinary letters, spaces, accented letters and characters outside the BMP (surrogate pairs).
const text = fc.string({
  unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', 'ñ', '«', '»', '😀', '𝔸'),
  minLength: 1,
  maxLength: 6,
})
const length = fc.integer({ min: 1, max: 8 })

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('type' as const), who, ...place, text }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), who, ...place, length }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bold' as const), who, ...place, length }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('split' as const), who, ...place }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('join' as const), who, block: place.block }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeBlock' as const), who, block: place.block }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), who: anyone }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('online' as const), who: anyone }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
)

let server: TestServer
let people: TestParticipant[]

beforeAll(async () => {
  // Unloaded as soon as the last socket leaves, and compacted every few updates, so that runs
  // reload from snapshots as well as from log tails.
  server = await startServer({ PLENARY_UNLOAD_AFTER_SECONDS: '0', PLENARY_COMPACT_AFTER_UPDATES: '6' })
  people = [
    await createParticipant(server.store, 'facilitator', 'Facilitator'),
    await createParticipant(server.store, 'secretariat', 'Secretariat'),
    await createParticipant(server.store, 'facilitator', 'Co-facilitator'),
    await createParticipant(server.store, 'delegate', 'Mexico'),
  ]
})

afterAll(async () => {
  await server?.close()
})

/** Polls often: a run waits several times and 1,000 runs must stay quick. */
async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 3))
  }
}

const blocksOf = (doc: Y.Doc) =>
  doc
    .getXmlFragment(YDOC_FIELD)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement)

function textOfBlock(block: Y.XmlElement): Y.XmlText | undefined {
  return block.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText)
}

/** What a writer's editor does for each command, in Yjs terms as y-prosemirror writes them. */
function edit(doc: Y.Doc, c: Extract<Command, { who: Who; block: number }>): void {
  const fragment = doc.getXmlFragment(YDOC_FIELD)
  const blocks = blocksOf(doc)
  if (blocks.length === 0) {
    if (c.kind !== 'type') return
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(c.text)])
      fragment.insert(0, [paragraph])
    })
    return
  }
  const index = c.block % blocks.length
  const block = blocks[index]
  const xmlText = textOfBlock(block)
  const size = xmlText?.length ?? 0
  // An editor's caret never falls inside a surrogate pair (a lone half does not survive encoding).
  const plain = xmlText ? plainOf(xmlText) : ''
  const at = 'at' in c ? boundary(plain, c.at % (size + 1)) : 0
  const upTo = (length: number) => boundary(plain, Math.min(size, at + length)) - at
  doc.transact(() => {
    switch (c.kind) {
      case 'type':
        if (xmlText) xmlText.insert(at, c.text)
        else block.insert(0, [new Y.XmlText(c.text)])
        break
      case 'delete':
        if (xmlText && upTo(c.length) > 0) xmlText.delete(at, upTo(c.length))
        break
      case 'bold':
        if (xmlText && upTo(c.length) > 0) xmlText.format(at, upTo(c.length), { bold: {} })
        break
      case 'split': {
        // y-prosemirror copies the block's attributes, its id included: the server must mend it.
        const tail = plain.slice(at)
        if (xmlText && size > at) xmlText.delete(at, size - at)
        const next = new Y.XmlElement(block.nodeName)
        for (const [key, value] of Object.entries(block.getAttributes()))
          next.setAttribute(key, value as string)
        next.insert(0, [new Y.XmlText(tail)])
        fragment.insert(fragment.toArray().indexOf(block) + 1, [next])
        break
      }
      case 'join': {
        const next = blocks[index + 1]
        if (!next) break
        const moved = textOfBlock(next)
        const joined = moved ? plainOf(moved) : ''
        if (xmlText) xmlText.insert(size, joined)
        fragment.delete(fragment.toArray().indexOf(next), 1)
        break
      }
      case 'removeBlock':
        if (blocks.length > 1) fragment.delete(fragment.toArray().indexOf(block), 1)
        break
    }
  })
}

/** The characters of a block, without its marks. */
function plainOf(xmlText: Y.XmlText): string {
  const delta = xmlText.toDelta() as { insert: unknown }[]
  return delta.map((part) => (typeof part.insert === 'string' ? part.insert : '')).join('')
}

/** `at`, moved back one if it falls between the halves of a surrogate pair. */
function boundary(plain: string, at: number): number {
  const code = plain.charCodeAt(at)
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at
}

const contentOf = (doc: Y.Doc) => doc.getXmlFragment(YDOC_FIELD).toJSON()

async function run(commands: Command[]): Promise<void> {
  const documentId = await createDocument(
    server.store,
    people.slice(0, WRITERS).map((p) => p.id),
  )
  const clients: TestClient[] = people.map((p) => connectClient(server.url, documentId, p.token))
  const online = clients.map(() => true)
  try {
    await until(() => clients.every((c) => c.provider.synced), 'everyone synced')
    for (const c of commands) {
      switch (c.kind) {
        case 'offline':
          if (online[c.who]) clients[c.who].provider.disconnect()
          online[c.who] = false
          break
        case 'online':
          if (!online[c.who]) clients[c.who].provider.connect()
          online[c.who] = true
          break
        case 'settle':
          await settle(documentId, clients, online)
          break
        case 'reload':
          for (const client of clients) client.provider.disconnect()
          await until(() => !server.app.services.rooms.isLoaded(documentId), 'the document unloaded')
          clients.forEach((client, i) => {
            if (online[i]) client.provider.connect()
          })
          break
        default:
          edit(clients[c.who].doc, c)
      }
    }
    clients.forEach((client, i) => {
      if (!online[i]) client.provider.connect()
    })
    await settle(
      documentId,
      clients,
      clients.map(() => true),
    )

    const expected = contentOf(clients[0].doc)
    for (const client of clients) expect(contentOf(client.doc)).toEqual(expected)
    const live = await server.app.services.rooms.readLive(documentId, (doc) => contentOf(doc))
    expect(live).toEqual(expected)
    const stored = await loadYDoc(server.store, documentId, silent)
    expect(stored.store.pendingStructs).toBeNull()
    expect(contentOf(stored)).toEqual(expected)
    // Every edit every writer made is stored.
    for (const client of clients.slice(0, WRITERS)) {
      expect(Y.getState(stored.store, client.doc.clientID)).toBe(
        Y.getState(client.doc.store, client.doc.clientID),
      )
    }
    expect(elementsNeedingIds(stored.getXmlFragment(YDOC_FIELD))).toEqual([])
    // Nobody was closed by the server (going offline closes with 1000 or 1005).
    for (const client of clients)
      expect(client.closes.filter((code) => code >= 4000 || code === 1006)).toEqual([])
    stored.destroy()
  } finally {
    for (const client of clients) client.destroy()
  }
}

/**
 * Waits until everyone online holds what the server holds: the same state vector and the same
 * deletions (a deletion does not move a state vector), and each writer's edits are acknowledged.
 */
async function settle(documentId: string, clients: TestClient[], online: boolean[]): Promise<void> {
  const present = clients.filter((_, i) => online[i])
  if (present.length === 0) return
  await until(() => present.every((c) => c.provider.synced && c.provider.wsconnected), 'reconnected')
  await until(async () => {
    if (!clients.every((c, i) => !online[i] || i >= WRITERS || c.allSaved())) return false
    if (!present.every((c) => c.doc.store.pendingStructs === null)) return false
    const server_ = await server.app.services.rooms.readLive(documentId, (doc) => Y.snapshot(doc))
    return present.every((c) => Y.equalSnapshots(Y.snapshot(c.doc), server_))
  }, 'convergence')
}

describe('convergence through the real server', () => {
  it(
    `${RUNS} runs of random concurrent editing, offline edits and reloads from storage converge with nothing lost`,
    async () => {
      const started = performance.now()
      // A fixed seed unless one is given (the soak gives random ones): the same 1,000 cases in
      // every npm test, so that a failure there is a regression, not a new random case.
      const seed = SEED ?? 0x5eed
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), (commands) => run(commands)),
        {
          numRuns: RUNS,
          seed,
          ...(PATH ? { path: PATH, endOnFailure: true } : {}),
          // Counterexamples the soak found, run first every time: a reader's client tidies
          // redundant formatting marks after a remote change and sends the tidying; the server
          // closed it for writing without the pen, again at every reconnection.
          examples: [
            [
              [
                { kind: 'offline', who: 2 },
                { kind: 'bold', who: 2, block: 11, at: 19, length: 1 },
                { kind: 'delete', who: 0, block: 23, at: 1, length: 1 },
                { kind: 'offline', who: 3 },
                { kind: 'offline', who: 0 },
              ],
            ],
            // The server tidied marks itself and never stored that: a fresh load read the text bold.
            [
              [
                { kind: 'bold', who: 1, block: 0, at: 0, length: 1 },
                { kind: 'reload' },
                { kind: 'join', who: 1, block: 0 },
                { kind: 'delete', who: 0, block: 0, at: 0, length: 6 },
              ],
            ],
            // A reader's tidying that, on the server's copy, unbolded words: refused, and that
            // reader never converged again. Now stored with the formatting put back (seed
            // 567673479 of the soak, run 1114, shrunk).
            [
              [
                { kind: 'type', who: 2, block: 20, at: 19, text: 'a' },
                { kind: 'reload' },
                { kind: 'delete', who: 1, block: 11, at: 1, length: 1 },
                { kind: 'bold', who: 0, block: 11, at: 19, length: 1 },
                { kind: 'bold', who: 0, block: 0, at: 0, length: 1 },
              ],
            ],
            [
              [
                { kind: 'split', who: 0, block: 4, at: 34 },
                { kind: 'reload' },
                { kind: 'bold', who: 2, block: 16, at: 0, length: 1 },
                { kind: 'offline', who: 0 },
              ],
            ],
          ],
        },
      )
      const seconds = (performance.now() - started) / 1000
      console.log(
        `convergence: ${RUNS} runs (seed ${seed}) converged with nothing lost in ${seconds.toFixed(1)} s, ${((seconds * 1000) / RUNS).toFixed(1)} ms a run`,
      )
    },
    Math.max(120_000, RUNS * 2_000),
  )
})
