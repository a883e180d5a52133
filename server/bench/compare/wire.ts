/**
 * One load generator for every server, each through its own wire protocol:
 *
 * - y-websocket's (Plenary, @y/websocket-server): `varUint(type)` first, 0 sync (`0` step 1, `1`
 *   step 2, `2` update), 1 awareness; the document is the URL path.
 * - Hocuspocus's: every frame starts with `varString(documentName)`, then the same types plus
 *   2 auth (the client's first message: `2 0 varString(token)`), 4 sync reply, 8 sync status; the
 *   URL is the server's root.
 *
 * Thin readers decode only what latency needs (`Y.parseUpdateMeta` on sampling readers, the first
 * bytes elsewhere); typists are Yjs documents that write into their own lane and apply nothing
 * after their lane has arrived; observers are full Yjs clients that apply everything and check
 * convergence at the end.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { Latency } from './stats.ts'

export type Kind = 'plenary' | 'hocuspocus' | 'hocuspocus4' | 'ywebsocket'

/** Hocuspocus 3 and 4 speak the same protocol: document name first, an auth message to begin. */
export const isHocuspocus = (kind: Kind) => kind === 'hocuspocus' || kind === 'hocuspocus4'

export interface Target {
  kind: Kind
  /** ws://host:port: for Plenary, the origin whose /collab/:id path it serves. */
  origin: string
  /** Plenary's participant token (any string elsewhere). */
  token: string
}

const SYNC = 0
const AWARENESS = 1
const AUTH = 2

export function socketUrl(target: Target, doc: string): string {
  if (target.kind === 'plenary') return `${target.origin}/collab/${doc}?token=${target.token}`
  if (target.kind === 'ywebsocket') return `${target.origin}/${doc}`
  return target.origin
}

/** The document-name prefix Hocuspocus wants before every message; empty for the others. */
export function prefixFor(target: Target, doc: string): Uint8Array {
  if (!isHocuspocus(target.kind)) return new Uint8Array(0)
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, doc)
  return encoding.toUint8Array(encoder)
}

function frame(prefix: Uint8Array, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeUint8Array(encoder, prefix)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const syncStep1 = (prefix: Uint8Array, stateVector: Uint8Array) =>
  frame(prefix, (e) => {
    encoding.writeVarUint(e, SYNC)
    encoding.writeVarUint(e, 0)
    encoding.writeVarUint8Array(e, stateVector)
  })

export const syncUpdate = (prefix: Uint8Array, update: Uint8Array) =>
  frame(prefix, (e) => {
    encoding.writeVarUint(e, SYNC)
    encoding.writeVarUint(e, 2)
    encoding.writeVarUint8Array(e, update)
  })

const authMessage = (prefix: Uint8Array, token: string) =>
  frame(prefix, (e) => {
    encoding.writeVarUint(e, AUTH)
    encoding.writeVarUint(e, 0)
    encoding.writeVarString(e, token)
  })

/** An awareness update for one client, encoded by hand (y-protocols' layout), cursor as the editor has it. */
export function awarenessFrame(prefix: Uint8Array, clientId: number, clock: number, state: unknown) {
  return frame(prefix, (e) => {
    encoding.writeVarUint(e, AWARENESS)
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, clientId)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  })
}

/** Where the message type is in a frame (past Hocuspocus's document name). */
function typeOffset(kind: Kind, data: Uint8Array): number {
  if (!isHocuspocus(kind)) return 0
  let length = 0
  let shift = 0
  let pos = 0
  for (;;) {
    const byte = data[pos++]
    length |= (byte & 0x7f) << shift
    if (byte < 0x80) break
    shift += 7
  }
  return pos + length
}

/** The Yjs update a sync frame carries (step 2 or update), or null. */
function updateOf(data: Uint8Array, at: number): Uint8Array {
  const decoder = decoding.createDecoder(data.subarray(at + 2))
  return decoding.readVarUint8Array(decoder)
}

/** Edits sent, by Yjs client id: the clock after each inserting edit, and when it was scheduled. */
export class EditLog {
  private readonly byClient = new Map<number, { clocks: number[]; scheduled: number[] }>()

  record(clientId: number, clockAfter: number, scheduled: number): void {
    let entry = this.byClient.get(clientId)
    if (!entry) {
      entry = { clocks: [], scheduled: [] }
      this.byClient.set(clientId, entry)
    }
    entry.clocks.push(clockAfter)
    entry.scheduled.push(scheduled)
  }

  get(clientId: number) {
    return this.byClient.get(clientId)
  }
}

/** Per-receiver cursor into the edit log: latency once per edit, even when a frame carries several. */
export class LatencyTracker {
  private readonly seen = new Map<number, number>()

  constructor(
    private readonly log: EditLog,
    public latency: Latency,
    private readonly ownClient = -1,
  ) {}

  observe(update: Uint8Array, now: number): void {
    const meta = Y.parseUpdateMeta(update)
    for (const [client, to] of meta.to) {
      if (client === this.ownClient) continue
      const entry = this.log.get(client)
      if (!entry) continue
      let index = this.seen.get(client) ?? 0
      while (index < entry.clocks.length && entry.clocks[index] <= to) {
        this.latency.record(now - entry.scheduled[index])
        index += 1
      }
      this.seen.set(client, index)
    }
  }
}

export interface Counters {
  updateFrames: number
  awarenessFrames: number
  otherFrames: number
  bytes: number
}
export const newCounters = (): Counters => ({ updateFrames: 0, awarenessFrames: 0, otherFrames: 0, bytes: 0 })

export interface ClientOptions {
  target: Target
  doc: string
  counters: Counters
  /** Decode updates for latency (sampling readers). */
  tracker?: LatencyTracker
  /** A Yjs document to fill from the first sync; `apply` says until when incoming updates are applied. */
  ydoc?: Y.Doc
  apply?: () => boolean
  /** For typists: own echoes (Hocuspocus and y-websocket-server send an update back to its sender) are not counted. */
  ownClient?: number
  /** Plenary's `saved` message: the state vector now stored (durable), as it arrives. */
  onSaved?: (stored: Map<number, number>, at: number) => void
}

/** Plenary's message type for `saved` (shared/src/protocol.ts). */
const SAVED = 100

export interface Client {
  ws: WebSocket
  prefix: Uint8Array
  /** Resolves at the first sync step 2 from the server. */
  synced: Promise<number>
  /** Delete-only updates sent, to recognise their echo (they name no client of their own). */
  pendingEchoes: Uint8Array[]
  send(data: Uint8Array): void
  /**
   * Closes the socket; resolves once the server has answered the close (or after 5 s). A run
   * awaits these before it stops the server: stopped in the middle of thousands of closing
   * handshakes, the server left each socket closing with 1006, logged as a failure.
   */
  close(): Promise<void>
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** First client id of an update's structs, or -1 when it carries only deletions. */
function firstStructClient(update: Uint8Array): number {
  const decoder = decoding.createDecoder(update)
  if (decoding.readVarUint(decoder) === 0) return -1
  decoding.readVarUint(decoder)
  return decoding.readVarUint(decoder)
}

export function connect(options: ClientOptions): Promise<Client> {
  const { target, doc, counters, tracker, ydoc, apply, ownClient, onSaved } = options
  const kind = target.kind
  const prefix = prefixFor(target, doc)
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(target, doc), { perMessageDeflate: false })
    ws.binaryType = 'nodebuffer'
    let resolveSynced: (at: number) => void = () => {}
    const synced = new Promise<number>((r) => {
      resolveSynced = r
    })
    const client: Client = {
      ws,
      prefix,
      synced,
      pendingEchoes: [],
      send: (data) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data)
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve()
          const timer = setTimeout(resolve, 5_000)
          ws.once('close', () => {
            clearTimeout(timer)
            resolve()
          })
          ws.close()
        }),
    }
    ws.on('message', (data: Buffer) => {
      const now = performance.now()
      counters.bytes += data.length
      const at = typeOffset(kind, data)
      const type = data[at]
      if (type === SYNC) {
        const step = data[at + 1]
        if (step === 0) {
          counters.otherFrames += 1
          return
        }
        if (step === 1) {
          counters.otherFrames += 1
          if (ydoc) Y.applyUpdate(ydoc, updateOf(data, at), 'server')
          resolveSynced(now)
          return
        }
        // step === 2: an update relayed from someone.
        if (ownClient === undefined && !tracker && !ydoc) {
          counters.updateFrames += 1
          return
        }
        const update = updateOf(data, at)
        if (ownClient !== undefined) {
          const first = firstStructClient(update)
          if (first === ownClient) return
          if (first === -1 && client.pendingEchoes.length > 0 && sameBytes(client.pendingEchoes[0], update)) {
            client.pendingEchoes.shift()
            return
          }
        }
        counters.updateFrames += 1
        if (ydoc && (apply?.() ?? true)) Y.applyUpdate(ydoc, update, 'server')
        tracker?.observe(update, now)
        return
      }
      if (type === AWARENESS) counters.awarenessFrames += 1
      else counters.otherFrames += 1
      if (type === SAVED && onSaved) {
        const decoder = decoding.createDecoder(data.subarray(at + 1))
        onSaved(Y.decodeStateVector(decoding.readVarUint8Array(decoder)), now)
      }
    })
    ws.on('open', () => {
      if (isHocuspocus(kind)) ws.send(authMessage(prefix, target.token))
      ws.send(syncStep1(prefix, ydoc ? Y.encodeStateVector(ydoc) : new Uint8Array([0])))
      resolve(client)
    })
    ws.on('error', reject)
    ws.on('close', (code, reason) => {
      if (code !== 1000 && code !== 1005 && code !== 1001) {
        console.error(`compare: ${kind} closed a socket of ${doc}: ${code} ${reason.toString()}`)
      }
    })
  })
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
