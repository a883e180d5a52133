/**
 * Cold load (Plenary only): the automerge-paper document with its whole history, one stored update
 * per transaction of the trace (about 260,000), written into a fresh SQLite file; then the server
 * starts on it and a client asks for the document.
 *
 * - The first load reads the uncompacted log (and compacts it: the log is long).
 * - Each later load (the room unloaded in between) reads the snapshot and whatever tail is left.
 *
 * Time to first sync counts from opening the socket to the server's sync step 2, which carries the
 * whole text; every load is checked against the trace's final text. The baselines are not run
 * here: they would have to be given the same history in their own storage formats.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { hashSecret, newSecret } from '../../src/auth/tokens.ts'
import { newId } from '../../src/ids.ts'
import { SqliteStore } from '../../src/storage/SqliteStore.ts'
import { procStat, startServer } from '../lib.ts'
import { Latency } from './stats.ts'
import { Lane, laneParagraphs, paragraphsText, type Trace } from './trace.ts'

const FIELD = 'default'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface ColdLoadConfig {
  /** Loads from snapshot plus tail after the first. */
  loads: number
}

/** Writes the trace's history into a new data directory; returns what the server needs. */
async function buildHistory(trace: Trace) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-cold-'))
  const store = new SqliteStore(path.join(dataDir, 'plenary.sqlite'))
  await store.migrate()
  const token = newSecret()
  const participantId = newId()
  await store.createParticipant({
    id: participantId,
    name: 'Bench reader',
    organisation: 'Bench',
    organisationKind: 'state_party',
    role: 'facilitator',
    tokenHash: hashSecret(token),
  })
  const doc = new Y.Doc()
  doc.getXmlFragment(FIELD).insert(0, laneParagraphs(0, ''))
  const documentId = newId()
  await store.createDocument({
    id: documentId,
    title: 'automerge-paper, whole history',
    penHolders: [participantId],
    createdBy: participantId,
    initialState: Y.encodeStateAsUpdate(doc),
  })
  const lane = new Lane(0, doc, FIELD, trace, 0, '')
  if (!lane.attach()) throw new Error('cold load: the lane did not attach')
  let rows: { data: Uint8Array; participantId: string }[] = []
  doc.on('update', (data: Uint8Array) => rows.push({ data, participantId }))
  let updates = 0
  while (lane.step()) {
    if (rows.length >= 10_000) {
      updates += rows.length
      await store.appendUpdates(documentId, rows)
      rows = []
    }
  }
  updates += rows.length
  await store.appendUpdates(documentId, rows)
  const text = lane.text
  const bytes = Y.encodeStateAsUpdate(doc).length
  await store.close()
  return { dataDir, token, documentId, updates, text, bytes }
}

/** Opens a socket, asks for everything, resolves with the time to the server's sync step 2 and the doc. */
function firstSync(url: string, documentId: string, token: string): Promise<{ ms: number; doc: Y.Doc }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const ws = new WebSocket(`${url.replace('http', 'ws')}/collab/${documentId}?token=${token}`, {
      perMessageDeflate: false,
    })
    ws.binaryType = 'nodebuffer'
    ws.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
      ws.send(encoding.toUint8Array(encoder))
    })
    ws.on('message', (data: Buffer) => {
      if (data[0] !== 0 || data[1] !== 1) return
      const ms = performance.now() - started
      const doc = new Y.Doc()
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoding.createDecoder(data.subarray(2))))
      ws.close()
      resolve({ ms, doc })
    })
    ws.on('error', reject)
  })
}

const textOf = (doc: Y.Doc) =>
  paragraphsText(
    doc
      .getXmlFragment(FIELD)
      .toArray()
      .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement),
  )

/** Waits until the server has unloaded every room (its metrics say 0). */
async function unloaded(url: string) {
  for (let i = 0; i < 200; i++) {
    const metrics = await (await fetch(`${url}/metrics`)).text()
    if (/^plenary_rooms(?:_loaded)? 0$/m.test(metrics)) return
    await sleep(25)
  }
  throw new Error('cold load: the room was not unloaded')
}

export async function coldLoad(trace: Trace, pin: boolean, config: ColdLoadConfig) {
  const builtAt = performance.now()
  const history = await buildHistory(trace)
  const buildSeconds = (performance.now() - builtAt) / 1000
  // The built server, as `npm start` runs it.
  const server = await startServer(
    pin,
    { DATA_DIR: history.dataDir, PLENARY_UNLOAD_AFTER_SECONDS: '0' },
    { dataDir: history.dataDir, built: true },
  )
  try {
    const check = (doc: Y.Doc, which: string) => {
      if (textOf(doc) !== history.text) throw new Error(`cold load: the ${which} load gave another text`)
    }
    const cpuBefore = procStat(server.pid).cpuMicros
    const first = await firstSync(server.url, history.documentId, history.token)
    check(first.doc, 'first')
    await unloaded(server.url)
    const firstCpuMs = (procStat(server.pid).cpuMicros - cpuBefore) / 1000
    const latency = new Latency()
    for (let i = 0; i < config.loads; i++) {
      const load = await firstSync(server.url, history.documentId, history.token)
      check(load.doc, `${i + 2}th`)
      latency.record(load.ms)
      await unloaded(server.url)
    }
    const sqlite = path.join(history.dataDir, 'plenary.sqlite')
    return {
      updates: history.updates,
      documentBytes: history.bytes,
      buildSeconds,
      uncompactedMs: first.ms,
      uncompactedCpuMs: firstCpuMs,
      fromSnapshotMs: latency.summary(),
      databaseMb: fs.statSync(sqlite).size / 2 ** 20,
    }
  } finally {
    server.child.kill('SIGTERM')
    await new Promise((resolve) => server.child.once('exit', resolve))
    fs.rmSync(history.dataDir, { recursive: true, force: true })
  }
}
