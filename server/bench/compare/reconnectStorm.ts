/**
 * Reconnect storm (Plenary only: the baselines keep nothing, or nothing at once, across a kill):
 * 2,500 clients on 500 documents; the server is killed with SIGKILL, every client makes one edit
 * while it is down, and the server restarts on the same port and data. Clients retry on the web
 * client's schedule (`reconnectDelayMs`: doubling from 200 ms to 2 s, less a random part of up to
 * half), and send their offline edit as soon as they are back. A client has resynced when the server's `saved` message covers
 * its offline edit; at the end every client of a document must hold the same text, with all five
 * offline edits in it.
 */
import { MessageType, reconnectDelayMs } from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { createBenchDocuments, procStat, startServer } from '../lib.ts'
import { Latency } from './stats.ts'
import { pool } from './wire.ts'

const FIELD = 'default'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface ReconnectStormConfig {
  documents: number
  perDocument: number
}

function frame(type: number, step: number | null, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  if (step !== null) encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

class StormClient {
  readonly doc = new Y.Doc()
  ws: WebSocket | null = null
  stored = 0
  offline: Uint8Array | null = null
  offlineClock = 0
  resyncedAt = 0
  private stopped = false
  /** Failed attempts in a row (a socket closed before its first sync counts), as the web client. */
  private failures = 0

  constructor(
    private readonly url: string,
    readonly documentId: string,
    private readonly token: string,
    readonly index: number,
  ) {}

  /** Connects (retrying until `stopped`); resolves at the server's first sync step 2. */
  connect(): Promise<void> {
    return new Promise((resolve) => {
      const attempt = () => {
        if (this.stopped) return
        const ws = new WebSocket(
          `${this.url.replace('http', 'ws')}/collab/${this.documentId}?token=${this.token}`,
          {
            perMessageDeflate: false,
          },
        )
        ws.binaryType = 'nodebuffer'
        let opened = false
        ws.on('open', () => {
          opened = true
          this.ws = ws
          ws.send(frame(MessageType.sync, 0, Y.encodeStateVector(this.doc)))
          if (this.offline) ws.send(frame(MessageType.sync, 2, this.offline))
        })
        ws.on('message', (data: Buffer) => {
          const decoder = decoding.createDecoder(new Uint8Array(data))
          const type = decoding.readVarUint(decoder)
          if (type === MessageType.sync) {
            const step = decoding.readVarUint(decoder)
            if (step === 1 || step === 2) {
              Y.applyUpdate(this.doc, decoding.readVarUint8Array(decoder), 'server')
              // Synced, as y-websocket counts it: its failures start again from nothing.
              if (step === 2) this.failures = 0
              if (step === 1) resolve()
            }
          } else if (type === MessageType.saved) {
            const stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
            this.stored = stored.get(this.doc.clientID) ?? 0
            if (this.offline && this.resyncedAt === 0 && this.stored >= this.offlineClock) {
              this.resyncedAt = performance.now()
            }
          }
        })
        ws.on('error', () => undefined)
        ws.on('close', () => {
          if (this.ws === ws) this.ws = null
          if (!opened || this.offline) {
            this.failures += 1
            setTimeout(attempt, reconnectDelayMs(this.failures))
          }
        })
      }
      attempt()
    })
  }

  /** One edit made while the server is away, kept to send when back. */
  editOffline(): void {
    const paragraph = this.doc.getXmlFragment(FIELD).get(this.index % 20) as Y.XmlElement
    const text = paragraph.get(0) as Y.XmlText
    let update: Uint8Array | null = null
    const listener = (u: Uint8Array) => {
      update = u
    }
    this.doc.on('update', listener)
    text.insert(text.length, ` [offline ${this.index}]`)
    this.doc.off('update', listener)
    this.offline = update
    this.offlineClock = Y.getState(this.doc.store, this.doc.clientID)
  }

  stop(): void {
    this.stopped = true
    this.ws?.close()
  }
}

export async function reconnectStorm(pin: boolean, config: ReconnectStormConfig) {
  const env = { PLENARY_UNLOAD_AFTER_SECONDS: '2' }
  const first = await startServer(pin, env, { built: true })
  const { typist, documents } = await createBenchDocuments(first.url, first.adminToken, config.documents)
  const clients = documents.flatMap((documentId, d) =>
    Array.from(
      { length: config.perDocument },
      (_, j) => new StormClient(first.url, documentId, typist.token, d * config.perDocument + j),
    ),
  )
  await pool(clients, 64, (client) => client.connect())

  // The kill, and one edit each while the server is down.
  process.kill(first.pid, 'SIGKILL')
  await new Promise((resolve) => first.child.once('exit', resolve))
  await sleep(200)
  for (const client of clients) client.editOffline()
  const restartAt = performance.now()
  // Reconnections start by themselves (the sockets were closed by the kill).
  for (const client of clients) void client.connect()
  const second = await startServer(pin, env, {
    port: Number(new URL(first.url).port),
    dataDir: first.dataDir,
    adminToken: first.adminToken,
    built: true,
  })
  const readyAt = performance.now()
  const deadline = readyAt + 60_000
  while (clients.some((c) => c.resyncedAt === 0) && performance.now() < deadline) await sleep(50)
  const fromReady = new Latency()
  for (const c of clients) if (c.resyncedAt > 0) fromReady.record(Math.max(0, c.resyncedAt - readyAt))
  const resynced = clients.filter((c) => c.resyncedAt > 0).length
  const sorted = clients.map((c) => (c.resyncedAt > 0 ? c.resyncedAt - restartAt : Number.POSITIVE_INFINITY))
  sorted.sort((a, b) => a - b)
  const p99FromRestart = sorted[Math.floor(sorted.length * 0.99) - 1]

  // Convergence: every client of a document holds the same text with all its offline edits.
  const converged = async () => {
    let bad = 0
    for (let d = 0; d < documents.length; d++) {
      const group = clients.slice(d * config.perDocument, (d + 1) * config.perDocument)
      const text = group[0].doc.getXmlFragment(FIELD).toString()
      const complete = group.every(
        (c) =>
          c.doc.getXmlFragment(FIELD).toString() === text &&
          group.every((o) => text.includes(`[offline ${o.index}]`)),
      )
      if (!complete) bad += 1
    }
    return bad
  }
  let notConverged = await converged()
  for (let i = 0; i < 100 && notConverged > 0; i++) {
    await sleep(100)
    notConverged = await converged()
  }
  const cpuMs = procStat(second.pid).cpuMicros / 1000
  for (const c of clients) c.stop()
  second.child.kill('SIGTERM')
  await new Promise((resolve) => second.child.once('exit', resolve))
  return {
    clients: clients.length,
    documents: documents.length,
    restartMs: readyAt - restartAt,
    resynced,
    resyncedWithin5sOfRestart: clients.filter((c) => c.resyncedAt > 0 && c.resyncedAt - restartAt <= 5000)
      .length,
    p99FromRestartMs: p99FromRestart,
    fromReadyMs: fromReady.summary(),
    documentsNotConverged: notConverged,
    serverCpuMs: cpuMs,
  }
}
