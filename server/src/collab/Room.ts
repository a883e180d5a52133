/**
 * A loaded document: its Y.Doc (committed state only), awareness, sockets, and the group commit
 * that stores every write before anyone else receives it.
 */
import {
  awarenessUser,
  CloseCode,
  encodeEvent,
  encodeSaved,
  giveFreshBlockIds,
  MessageType,
  YDOC_FIELD,
} from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Logger } from 'pino'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { DocumentMessage, Fanout } from '../cluster/fanout.ts'
import { docFromStored, FROM_STORAGE, serverDoesNotTidy } from '../storage/loadDoc.ts'
import type { Store } from '../storage/Store.ts'
import {
  AwarenessRejected,
  applyAwarenessEntries,
  decodeAwarenessUpdate,
  IDENTITY_HEADROOM_BYTES,
} from './awareness.ts'
import { BlockIdIndex } from './blockIds.ts'
import type { Connection } from './Connection.ts'
import type { Metrics } from './metrics.ts'
import { classifyUpdate, tidyRestore } from './updates.ts'

/** Bytes of updates one commit takes at most (it takes at least one update, whatever its size). */
export const COMMIT_SLICE_BYTES = 64 * 1024

/** How many of the queued writes the next commit takes: up to COMMIT_SLICE_BYTES, pairs kept together. */
export function commitSliceLength(
  pending: readonly { update: Uint8Array; relayToAuthor?: boolean }[],
): number {
  let bytes = 0
  let length = 0
  while (length < pending.length) {
    // A restoring update goes with the tidy-up it follows, in the same commit.
    const next = pending[length]
    if (length > 0 && !next.relayToAuthor && bytes + next.update.length > COMMIT_SLICE_BYTES) break
    bytes += next.update.length
    length += 1
  }
  return length
}

let turn: Promise<void> | null = null
/**
 * Resolves after the frames that arrived in this turn of the event loop have been read (in its
 * check phase): every room with writes starts its commit then, one after another in the same
 * microtask queue, so the store's group commit takes them all and commits in the same turn. A
 * setImmediate per room, and another in the store, cost every update a second turn of the loop,
 * and under load a turn is the time to read every frame that arrived in it.
 */
function flushTurn(): Promise<void> {
  turn ??= new Promise((resolve) =>
    setImmediate(() => {
      turn = null
      resolve()
    }),
  )
  return turn
}

/** Origin of the server's own block-id repairs. */
const ID_REPAIR = Symbol('id-repair')
/** Origin of changes the server makes for a participant (applying a proposal). */
const SERVER_EDIT = Symbol('server-edit')
/** Origin of what other instances committed (heard through the fan-out or read back from the store). */
const REMOTE = Symbol('remote')
/** Origin of a group commit's updates, applied in one transaction and relayed as one frame. */
const BATCH = Symbol('batch')
/**
 * Up to this many writers in one commit, each gets the others' updates merged, without its own;
 * past it everyone gets the one merged frame (a writer's own edits in it are known to it and cost
 * it nothing to skip), instead of a merge per writer.
 */
const MAX_WRITERS_MERGED_APART = 4

/**
 * A busy room relays its commits at most once per window, the window growing with its sockets
 * (50 µs each, up to 10 ms at 200): relaying costs a frame per socket, and with 200 sockets and a
 * commit every millisecond or two that was most of the server's time. A room whose last relay is
 * older than its window relays at once: a quiet room, or one of a few people, waits for nothing.
 */
export const RELAY_MS_PER_SOCKET = 0.05
export const MAX_RELAY_WINDOW_MS = 10
export const relayWindowMs = (sockets: number) => Math.min(MAX_RELAY_WINDOW_MS, sockets * RELAY_MS_PER_SOCKET)

/** How long a gap in other instances' sequence numbers may last before the room reads the store. */
const GAP_WAIT_MS = 250
/**
 * A room compacts its log at most once per this interval unless the log grows past
 * COMPACT_ANYWAY_FACTOR times the configured length. A compaction writes the whole document and
 * deletes the log in one transaction, 30 to 40 ms on the event loop for the 200-typist room: at
 * 2,000 edits a second, every 500 updates, that was four stalls a second. A tail of a few thousand
 * updates still loads in tens of milliseconds.
 */
const COMPACT_EVERY_MS = 5_000
const COMPACT_ANYWAY_FACTOR = 20
/** Least time between two claims of a compaction by any instance. */
const COMPACT_CLAIM_MS = 1_000

/**
 * A load that read a long log compacts it once the first socket has had its whole answer (sync
 * step 2), or after this long if no socket asks for one (a room loaded for an export, say).
 */
const LOAD_COMPACTION_WAIT_MS = 1_000

/** How long the awareness client ids of a socket that left stay reserved for its participant. */
const HOLD_LEFT_IDS_MS = 30_000

/**
 * Awareness changes are relayed at most once per this window per room, each client's latest state
 * in one frame. The stock client sends back every awareness change it hears, other people's too:
 * relayed one by one, a room of moving carets pushed every client's echoes past the rate limit,
 * and shut it out for good (found by the fuzz soak).
 */
export const AWARENESS_RELAY_MS = 50

/** Awareness client ids one socket may introduce (tabs share a socket each; this is generous). */
const MAX_CLIENT_IDS_PER_SOCKET = 8

export type RoomOptions = {
  store: Store
  metrics: Metrics
  log: Logger
  documentWarnBytes: number
  documentMaxBytes: number
  maxAwarenessBytes: number
  compactAfterUpdates: number
  /** Least time between two automatic checkpoints of an edited document. */
  checkpointMs: number
  /** Stores an automatic checkpoint of the committed text with the people whose edits it holds. */
  checkpoint: (room: Room, contributors: string[]) => Promise<void>
  /** The other instances, if any. */
  fanout: Fanout
}

type PendingWrite = {
  update: Uint8Array
  connection: Connection
  /** Which of its socket's update messages it is (Connection.updatesReceived when it came). */
  message: number
  /** Relayed to its author too: the formatting a reader's tidying removed, put back (tidyRestore). */
  relayToAuthor?: boolean
}

export class MalformedMessage extends Error {
  override name = 'MalformedMessage'
}

export class Room {
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** Set once the room starts unloading: new sockets must load it afresh. */
  closing = false
  private pending: PendingWrite[] = []
  /** The batch whose commit is under way (taken from `pending`). */
  private committing: PendingWrite[] = []
  private flushing: Promise<void> | null = null
  private readonly clientOwners = new Map<number, Connection>()
  /**
   * Awareness client ids nobody here speaks for but that belong to someone: another instance's
   * sockets (held while their state lives) and sockets that just left (held a while, for their
   * reconnect). Only that participant may take one over.
   */
  private readonly heldIds = new Map<number, { participantId: string; until: number }>()
  /** Every update up to this sequence number is in `doc`. */
  private syncedSeq: number
  /** Ranges of sequence numbers applied beyond `syncedSeq` (first → last), while a gap lasts. */
  private readonly ahead = new Map<number, number>()
  private gapTimer: NodeJS.Timeout | null = null
  private catchingUp: Promise<void> | null = null
  private maintaining = false
  /** Sockets whose update changed nothing while a commit was running: told `saved` after it. */
  private readonly awaitingSaved = new Set<Connection>()
  private logLength: number
  private sizeBytes: number
  private structureChanged = false
  /** Which blocks need a fresh id after a commit that changed the structure (see blockIds.ts). */
  private readonly blockIds: BlockIdIndex
  /**
   * The whole document as one update, for sockets that join with nothing (a state vector that
   * is empty): encoded once per change of the document, not once per joining socket.
   */
  private fullState: Uint8Array | null = null
  /** Awareness client ids changed since the last relay, and when that relay went out. */
  private readonly awarenessChanged = new Set<number>()
  private awarenessTimer: NodeJS.Timeout | null = null
  private awarenessRelayedAt = 0
  /** Commits stored but not relayed yet (each merged), while the room's relay window lasts. */
  private held: Uint8Array[] = []
  private relayTimer: NodeJS.Timeout | null = null
  private relayedAt = Number.NEGATIVE_INFINITY
  /** The update of the group commit being applied (set by the doc's update event). */
  private batchUpdate: Uint8Array | null = null
  private broken = false
  private warned = false
  /** Set while the compaction of a long log read by the load waits for the first answer. */
  private loadCompaction: NodeJS.Timeout | null = null
  /** Participants with committed edits since the last checkpoint. */
  readonly contributors = new Set<string>()
  private lastCheckpointAt = Date.now()
  private lastCompactionAt = Number.NEGATIVE_INFINITY

  private constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    logLength: number,
    syncedSeq: number,
    private readonly options: RoomOptions,
  ) {
    this.logLength = logLength
    this.syncedSeq = syncedSeq
    this.blockIds = new BlockIdIndex(doc.getXmlFragment(YDOC_FIELD))
    // Measuring the size encodes the whole document: that encoding is kept as the answer to the
    // first socket that joins with nothing (a load is usually for a joining socket).
    this.fullState = Y.encodeStateAsUpdate(doc)
    this.sizeBytes = this.fullState.length
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.fullState = null
      if (origin === FROM_STORAGE || origin === ID_REPAIR || origin === SERVER_EDIT) return
      if (origin === BATCH) {
        this.batchUpdate = update
        return
      }
      this.releaseHeld()
      this.broadcast(syncUpdateMessage(update), origin as Connection)
    })
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.blockIds.observe(transaction)
      // Other instances mend what their own writers broke.
      if (
        transaction.origin === FROM_STORAGE ||
        transaction.origin === ID_REPAIR ||
        transaction.origin === REMOTE
      )
        return
      for (const type of transaction.changed.keys()) {
        if (!(type instanceof Y.XmlText)) this.structureChanged = true
      }
    })
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed)
      if (changed.length === 0) return
      for (const id of removed)
        if (this.heldIds.get(id)?.until === Number.POSITIVE_INFINITY) this.heldIds.delete(id)
      for (const id of changed) this.awarenessChanged.add(id)
      this.relayAwarenessSoon()
      // Our own sockets' states (and their leaving) go to the other instances; states that timed
      // out time out there too.
      if (origin !== REMOTE && origin !== 'timeout' && this.options.fanout.enabled) {
        const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)
        this.publish({ kind: 'awareness', update })
      }
    })
  }

  /**
   * Relays the changed awareness states with the next commit's relay, or now, or at the end of the
   * window if one just went out.
   */
  private relayAwarenessSoon(): void {
    // A commit on its way takes them into its own write to each socket (see `flush`): a typist's
    // caret goes out with the text it moved over, not a moment before it in a write of its own.
    if (this.flushing || this.held.length > 0) return
    this.relayAwarenessInWindow()
  }

  /** Relays the changed awareness states now, or at the end of the window if one just went out. */
  private relayAwarenessInWindow(): void {
    if (this.awarenessTimer || this.awarenessChanged.size === 0) return
    const wait = this.awarenessRelayedAt + AWARENESS_RELAY_MS - performance.now()
    if (wait <= 0) {
      this.relayAwareness()
      return
    }
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null
      this.relayAwareness()
    }, wait)
    this.awarenessTimer.unref()
  }

  /** One frame with the latest state (or the removal) of every client changed since the last. */
  private relayAwareness(): void {
    const ids = [...this.awarenessChanged].filter((id) => this.awareness.meta.has(id))
    this.awarenessChanged.clear()
    this.awarenessRelayedAt = performance.now()
    if (ids.length === 0) return
    this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)), null)
  }

  /** Loads a document's snapshot and log tail. */
  static async load(id: string, options: RoomOptions): Promise<Room> {
    const loaded = await options.store.loadDocumentState(id)
    const doc = docFromStored(loaded, options.log, id)
    const lastSeq = loaded.updates.at(-1)?.seq ?? loaded.snapshotSeq
    const room = new Room(id, doc, loaded.updates.length, lastSeq, options)
    room.publishAwarenessQuery()
    // A long log is folded into a snapshot by the load that read it, so that the next load reads a
    // snapshot: after the first socket has its answer, not between its greeting and that answer.
    // The compaction encodes the document and deletes the log's rows, in one turn of the loop (a
    // quarter of a second for 260,000 updates), and it ran before the joining socket's sync step 1
    // was even read: a fifth of the time to first sync of the automerge-paper history.
    if (room.logLength >= options.compactAfterUpdates) {
      room.loadCompaction = setTimeout(() => room.compactLoaded(), LOAD_COMPACTION_WAIT_MS)
      room.loadCompaction.unref()
    }
    return room
  }

  /** The compaction the load left waiting (see `load`), now. */
  private compactLoaded(): void {
    if (!this.loadCompaction) return
    clearTimeout(this.loadCompaction)
    this.loadCompaction = null
    if (!this.closing) void this.maintain()
  }

  get idle(): Promise<void> {
    return this.flushing ?? Promise.resolve()
  }

  /** Adds a socket and greets it: the server's state vector and everyone's awareness. */
  add(connection: Connection): void {
    this.connections.add(connection)
    // A room whose commit failed commits nothing more; it is dropped once its sockets have closed.
    // A socket that reached it meanwhile (a reconnect in that window) would sit there with its
    // edits never stored and never refused: it is sent back to reconnect to the room loaded afresh.
    if (this.broken) {
      connection.close(CloseCode.tryAgainLater)
      return
    }
    connection.together(() => this.greet(connection))
  }

  private greet(connection: Connection): void {
    connection.sendEvent({
      type: 'hello',
      protocol: 1,
      participantId: connection.participant.id,
      canEdit: connection.canEdit,
    })
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.sync)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    connection.send(encoding.toUint8Array(encoder))
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length > 0) {
      connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
    }
    if (this.warned) connection.sendEvent(this.sizeEvent())
  }

  /** Removes a socket and the awareness states it spoke for. */
  remove(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    this.awaitingSaved.delete(connection)
    const ids = [...connection.clientIds]
    for (const id of ids) this.clientOwners.delete(id)
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
    // Kept for the same participant's reconnect: nobody else can grab the id meanwhile.
    const now = Date.now()
    for (const [id, hold] of this.heldIds) if (hold.until < now) this.heldIds.delete(id)
    for (const id of ids) {
      this.heldIds.set(id, { participantId: connection.participant.id, until: now + HOLD_LEFT_IDS_MS })
    }
  }

  /** Handles one frame from a socket; throws MalformedMessage (or a decoding error) when invalid. */
  async handle(connection: Connection, message: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.sync) {
      const step = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes')
      if (step === syncProtocol.messageYjsSyncStep1) await this.answerSyncStep1(connection, payload)
      else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        this.receiveUpdate(connection, payload)
      } else throw new MalformedMessage('unknown sync step')
    } else if (type === MessageType.awareness) {
      const payload = decoding.readVarUint8Array(decoder)
      if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes')
      this.receiveAwareness(connection, payload)
    } else if (type === MessageType.queryAwareness) {
      if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes')
      const clients = [...this.awareness.getStates().keys()]
      connection.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
    } else {
      throw new MalformedMessage(`unexpected message type ${type}`)
    }
  }

  private async answerSyncStep1(connection: Connection, stateVector: Uint8Array): Promise<void> {
    // A socket joining during a commit gets its first sync after that commit.
    await this.idle
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.sync)
    if (Y.decodeStateVector(stateVector).size === 0) {
      this.fullState ??= Y.encodeStateAsUpdate(this.doc)
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
      encoding.writeVarUint8Array(encoder, this.fullState)
    } else syncProtocol.writeSyncStep2(encoder, this.doc, stateVector)
    connection.together(() => {
      connection.send(encoding.toUint8Array(encoder))
      connection.send(this.savedFor(connection))
    })
    // Written to the socket: the waiting compaction can take the loop now.
    if (this.loadCompaction) setImmediate(() => this.compactLoaded())
  }

  /**
   * The `saved` message for one socket: the stored state vector, and how many of the socket's
   * update messages are stored or needed no storing: all of them before its first one still queued
   * or being committed. A writer knows from the count that its deletions are stored.
   */
  private savedFor(connection: Connection, stateVector = Y.encodeStateVector(this.doc)): Uint8Array {
    // Both lists are in arrival order, the batch being committed first: the socket's first entry
    // is its first message not stored yet.
    const first =
      this.committing.find((p) => p.connection === connection) ??
      this.pending.find((p) => p.connection === connection)
    return encodeSaved(stateVector, (first?.message ?? connection.updatesReceived + 1) - 1)
  }

  private receiveUpdate(connection: Connection, update: Uint8Array): void {
    const message = ++connection.updatesReceived
    let kind: ReturnType<typeof classifyUpdate>
    try {
      kind = classifyUpdate(this.doc, update)
    } catch {
      throw new MalformedMessage('update could not be decoded')
    }
    // A deletion of content not committed yet (typed and deleted within one commit) must be
    // stored like any write. From someone without the pen it is ignored, not refused: a reader
    // that moved between instances can hold deletions this instance has not heard of yet.
    // A reader's tidying of formatting marks is stored like an edit when it changes nothing anyone
    // sees (checked on a copy), or with the formatting it removed put back right after it (see
    // tidyRestore); only one that cannot be undone so is a write without the pen. Refusing it
    // outright closed readers again and again: found by the convergence soak.
    const write = kind === 'write' || kind === 'tidy' || (kind === 'pendingDelete' && connection.canEdit)
    const tidy = kind === 'tidy' && !connection.canEdit ? tidyRestore(this.doc, YDOC_FIELD, update) : null
    const harmlessTidy = tidy !== null && tidy.kind !== 'refuse'
    if (!write) {
      // Nothing new (the stock client's reply to sync step 1): what it has is already stored.
      // During a commit the answer waits for it: what it stores may be what this socket holds.
      if (this.flushing) this.awaitingSaved.add(connection)
      else connection.send(this.savedFor(connection))
      return
    }
    if (!connection.canEdit && !harmlessTidy) {
      this.options.metrics.rejectedWritesTotal += 1
      this.options.log.warn(
        { documentId: this.id, participantId: connection.participant.id },
        'write without the pen refused',
      )
      connection.close(CloseCode.forbidden)
      return
    }
    const queuedBytes = this.pending.reduce((sum, p) => sum + p.update.length, 0)
    if (this.sizeBytes + queuedBytes + update.length > this.options.documentMaxBytes) {
      connection.close(CloseCode.tooLarge)
      return
    }
    this.pending.push({ update, connection, message })
    if (tidy?.kind === 'restore')
      this.pending.push({ update: tidy.update, connection, message, relayToAuthor: true })
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    this.flushing ??= flushTurn()
      .then(() => this.flush())
      .finally(() => this.flushed())
  }

  /** After a flush (or a server edit): the next one if writes came meanwhile, else the awareness left. */
  private flushed(): void {
    this.flushing = null
    if (this.pending.length > 0 && !this.broken) this.scheduleFlush()
    else this.relayAwarenessSoon()
  }

  /**
   * A change the server makes on a participant's behalf (applying a proposal, restoring a
   * revision): made between commits, stored under that participant's name, then relayed like any
   * write. Returns false when nothing changed. Throws when the store fails (the room then closes).
   */
  async serverEdit(participantId: string, change: (doc: Y.Doc) => void): Promise<boolean> {
    while (this.flushing) await this.flushing
    if (this.broken || this.closing) throw new Error('the document is being reloaded; try again')
    let changed = false
    const run = async () => {
      const before = Y.encodeStateVector(this.doc)
      this.doc.transact(() => change(this.doc), SERVER_EDIT)
      const update = Y.encodeStateAsUpdate(this.doc, before)
      if (isEmptyUpdate(update)) return
      let seq: number
      try {
        seq = await this.options.store.appendUpdates(this.id, [{ data: update, participantId }])
      } catch (error) {
        this.fail(error)
        throw error
      }
      this.committed(seq, [update], [participantId])
      changed = true
      this.contributors.add(participantId)
      this.logLength += 1
      this.sizeBytes += update.length
      this.releaseHeld()
      this.broadcast(syncUpdateMessage(update), null)
      this.sendSaved([])
    }
    // `flushing` never rejects: sockets awaiting it must not see this edit's error.
    let failure: unknown = null
    this.flushing = run()
      .catch((error) => {
        failure = error
      })
      .finally(() => this.flushed())
    await this.flushing
    if (failure) throw failure
    return changed
  }

  /** Group commit: everything queued while the previous commit ran goes in one transaction. */
  private async flush(): Promise<void> {
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
    const { store, metrics } = this.options
    let sliced = false
    while (this.pending.length > 0 && !this.broken) {
      // A burst (200 people pasting at once) is committed and relayed in slices, with the event
      // loop free between them: one commit of all of it held the loop for over 100 ms.
      if (sliced) await nextTurn()
      if (this.pending.length === 0 || this.broken) break
      const batch = this.pending.splice(0, commitSliceLength(this.pending))
      const cut = this.pending.length > 0
      this.committing = batch
      const started = performance.now()
      let seq: number
      try {
        seq = await store.appendUpdates(
          this.id,
          batch.map((p) => ({ data: p.update, participantId: p.connection.participant.id })),
        )
      } catch (error) {
        this.fail(error)
        return
      }
      metrics.observePersist((performance.now() - started) / 1000)
      metrics.commitsTotal += 1
      metrics.updatesTotal += batch.length
      this.logLength += batch.length
      this.structureChanged = false
      // What the commit sends goes out in one write per socket: the relay, the awareness changes
      // that waited for it (see relayAwarenessSoon) and `saved`. They were two or three writes,
      // each a system call, for every socket of the room.
      const sockets = [...this.connections]
      for (const connection of sockets) connection.cork()
      try {
        this.applyBatch(batch)
        this.committing = []
        const authors = [...new Set(batch.map((p) => p.connection.participant.id))]
        for (const id of authors) this.contributors.add(id)
        this.committed(
          seq,
          batch.map((p) => p.update),
          authors,
        )
        // Held with the commit's relay, the changes go out with it (see releaseHeld).
        if (this.held.length === 0) this.relayAwarenessInWindow()
        if (!this.structureChanged) this.sendSaved(batch.map((p) => p.connection))
      } finally {
        for (const connection of sockets) connection.uncork()
      }
      if (this.structureChanged) {
        if (!(await this.repairIds())) return
        this.sendSaved(batch.map((p) => p.connection))
      }
      this.checkSize()
      await this.maintain()
      sliced = cut
    }
  }

  /**
   * Applies a commit's updates in one transaction and relays them as one frame per socket (a
   * typist's keystroke used to cost a frame, and a system call, per reader: with 100 typists and
   * 200 readers that was 80,000 writes a second). Readers get everything merged; a writer gets the
   * others' updates, not its own.
   */
  private applyBatch(batch: PendingWrite[]): void {
    const log = this.options.log
    this.batchUpdate = null
    this.doc.transact((transaction) => {
      for (const { update } of batch) {
        try {
          Y.applyUpdate(this.doc, update, BATCH)
          this.sizeBytes += update.length
        } catch (error) {
          log.error({ err: error, documentId: this.id }, 'stored update could not be applied')
        }
      }
      serverDoesNotTidy(transaction)
    }, BATCH)
    const merged = this.batchUpdate as Uint8Array | null
    this.batchUpdate = null
    if (merged === null) return
    const wait = this.relayedAt + relayWindowMs(this.connections.size) - performance.now()
    if (this.held.length > 0 || wait > 0) {
      this.held.push(merged)
      if (!this.relayTimer) {
        this.relayTimer = setTimeout(() => this.releaseHeld(), Math.max(0, wait))
        this.relayTimer.unref()
      }
      return
    }
    this.relayedAt = performance.now()
    const own = new Map<Connection, Uint8Array[]>()
    for (const { update, connection, relayToAuthor } of batch) {
      if (relayToAuthor) continue
      const list = own.get(connection)
      if (list) list.push(update)
      else own.set(connection, [update])
    }
    const frame = syncUpdateMessage(merged)
    const apart = own.size <= MAX_WRITERS_MERGED_APART
    for (const connection of this.connections) {
      if (!apart || !own.has(connection)) {
        connection.send(frame)
        continue
      }
      const others = batch.filter((p) => p.connection !== connection || p.relayToAuthor).map((p) => p.update)
      if (others.length === 0) continue
      connection.send(syncUpdateMessage(others.length === 1 ? others[0] : Y.mergeUpdates(others)))
    }
  }

  /**
   * Relays the commits held in the window, merged, as one frame to every socket (a writer's own
   * edits in it are known to it and cost it nothing to skip), with the awareness changes that
   * waited for them, in one write per socket.
   */
  private releaseHeld(): void {
    if (this.relayTimer) clearTimeout(this.relayTimer)
    this.relayTimer = null
    if (this.held.length === 0) return
    const update = this.held.length === 1 ? this.held[0] : Y.mergeUpdates(this.held)
    this.held = []
    this.relayedAt = performance.now()
    const frame = syncUpdateMessage(update)
    const sockets = [...this.connections]
    for (const connection of sockets) connection.cork()
    try {
      for (const connection of sockets) connection.send(frame)
      this.relayAwarenessInWindow()
    } finally {
      for (const connection of sockets) connection.uncork()
    }
  }

  /**
   * Tells the sockets whose writes a commit just stored (and those whose harmless resend waited
   * for it) what is stored now. Others have nothing of their own in flight: they need no word.
   */
  private sendSaved(writers: Iterable<Connection>): void {
    const recipients = new Set(writers)
    for (const connection of this.awaitingSaved) recipients.add(connection)
    this.awaitingSaved.clear()
    if (recipients.size === 0) return
    const stateVector = Y.encodeStateVector(this.doc)
    for (const connection of recipients) connection.send(this.savedFor(connection, stateVector))
  }

  /** Checkpoint and compaction when due (by this instance, or by another that claimed them). */
  private async maintain(): Promise<void> {
    if (this.maintaining) return
    this.maintaining = true
    try {
      if (Date.now() - this.lastCheckpointAt >= this.options.checkpointMs) await this.takeCheckpoint()
      const { compactAfterUpdates } = this.options
      if (
        this.logLength >= compactAfterUpdates &&
        (performance.now() - this.lastCompactionAt >= COMPACT_EVERY_MS ||
          this.logLength >= compactAfterUpdates * COMPACT_ANYWAY_FACTOR)
      ) {
        await this.compact()
      }
    } finally {
      this.maintaining = false
    }
  }

  /**
   * Updates this instance just stored under sequence numbers ending at `lastSeq`: told to the
   * other instances (after the commit, never before).
   */
  private committed(lastSeq: number, updates: Uint8Array[], participants: (string | null)[]): void {
    const firstSeq = lastSeq - updates.length + 1
    this.markApplied(firstSeq, lastSeq)
    this.publish({
      kind: 'update',
      firstSeq,
      lastSeq,
      updates,
      participants: participants.filter((p): p is string => p !== null),
    })
  }

  private publish(message: DocumentMessage): void {
    if (this.options.fanout.enabled) this.options.fanout.publish(this.id, message)
  }

  /** Records that updates `first`…`last` are in `doc`, and advances past every range now contiguous. */
  private markApplied(first: number, last: number): void {
    if (last <= this.syncedSeq) return
    if (first > this.syncedSeq + 1) {
      this.ahead.set(first, Math.max(last, this.ahead.get(first) ?? 0))
      this.scheduleGapCheck()
      return
    }
    this.advanceTo(last)
  }

  /** Everything up to `seq` is in `doc`. */
  private advanceTo(seq: number): void {
    this.syncedSeq = Math.max(this.syncedSeq, seq)
    for (let moved = true; moved; ) {
      moved = false
      for (const [first, last] of this.ahead) {
        if (first > this.syncedSeq + 1) continue
        this.ahead.delete(first)
        this.syncedSeq = Math.max(this.syncedSeq, last)
        moved = true
      }
    }
    if (this.ahead.size === 0 && this.gapTimer) {
      clearTimeout(this.gapTimer)
      this.gapTimer = null
    }
  }

  /** A gap that outlives a message in flight means a message was lost: read the store. */
  private scheduleGapCheck(): void {
    if (this.gapTimer || this.closing) return
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null
      if (this.ahead.size === 0 || this.closing) return
      this.options.metrics.fanoutGapsTotal += 1
      void this.catchUp()
    }, GAP_WAIT_MS)
    this.gapTimer.unref()
  }

  /**
   * Reads from the store what other instances committed and this room has not heard, and relays
   * it to this instance's sockets. Safe to call any time: applying an update twice changes nothing.
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.readBack().finally(() => {
      this.catchingUp = null
    })
    return this.catchingUp
  }

  private async readBack(): Promise<void> {
    if (this.closing || this.broken) return
    let loaded: Awaited<ReturnType<Store['loadDocumentSince']>>
    try {
      loaded = await this.options.store.loadDocumentSince(this.id, this.syncedSeq)
    } catch (error) {
      this.options.log.warn({ err: error, documentId: this.id }, 'catch-up from the store failed; will retry')
      if (this.ahead.size > 0) this.scheduleGapCheck()
      return
    }
    if (this.closing || this.broken) return
    this.options.metrics.catchUpsTotal += 1
    const before = Y.encodeStateVector(this.doc)
    this.doc.transact((transaction) => {
      for (const data of [loaded.snapshot, ...loaded.updates.map((u) => u.data)]) {
        if (!data) continue
        try {
          Y.applyUpdate(this.doc, data)
        } catch (error) {
          this.options.log.error({ err: error, documentId: this.id }, 'stored update could not be applied')
        }
      }
      serverDoesNotTidy(transaction)
    }, REMOTE)
    for (const update of loaded.updates) if (update.participantId) this.contributors.add(update.participantId)
    if (loaded.snapshot) this.logLength = loaded.updates.length
    else this.logLength += loaded.updates.length
    this.advanceTo(Math.max(loaded.snapshotSeq, loaded.updates.at(-1)?.seq ?? 0))
    if (!equalBytes(before, Y.encodeStateVector(this.doc))) {
      this.sizeBytes = Y.encodeStateAsUpdate(this.doc).length
    }
  }

  /** A message from another instance about this document. */
  receiveRemote(message: DocumentMessage): void {
    if (this.closing || this.broken) return
    switch (message.kind) {
      case 'update': {
        this.doc.transact((transaction) => {
          for (const update of message.updates) {
            try {
              Y.applyUpdate(this.doc, update)
            } catch (error) {
              this.options.log.warn(
                { err: error, documentId: this.id },
                'update from another instance ignored',
              )
            }
          }
          serverDoesNotTidy(transaction)
        }, REMOTE)
        for (const update of message.updates) this.sizeBytes += update.length
        this.logLength += message.updates.length
        for (const id of message.participants) this.contributors.add(id)
        this.markApplied(message.firstSeq, message.lastSeq)
        // Missing what these depend on: it was committed before them, so the store has it.
        if (this.doc.store.pendingStructs || this.doc.store.pendingDs) void this.catchUp()
        this.checkSize()
        void this.maintain()
        break
      }
      case 'awareness':
        this.receiveRemoteAwareness(message.update)
        break
      case 'awareness-query': {
        const own = [...this.clientOwners.keys()].filter((id) => this.awareness.getStates().has(id))
        if (own.length > 0) {
          this.publish({
            kind: 'awareness',
            update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, own),
          })
        }
        break
      }
      case 'head':
        if (message.seq > this.syncedSeq) void this.catchUp()
        break
      case 'event':
        this.broadcast(encodeEvent(message.event), null)
        break
    }
  }

  /** Asks who is on this document through other instances: they answer with their sockets' states. */
  publishAwarenessQuery(): void {
    this.publish({ kind: 'awareness-query' })
  }

  /** Tells the other instances the last update this room holds, so that one behind catches up. */
  announceHead(): void {
    this.publish({ kind: 'head', seq: this.syncedSeq })
  }

  private receiveRemoteAwareness(update: Uint8Array): void {
    let entries: ReturnType<typeof decodeAwarenessUpdate>
    try {
      // Another instance checked the state; it now carries the identity that instance added.
      entries = decodeAwarenessUpdate(update, this.options.maxAwarenessBytes + IDENTITY_HEADROOM_BYTES)
    } catch {
      return
    }
    // A client id this instance's sockets speak for stays theirs.
    const accepted = entries.filter((entry) => !this.clientOwners.has(entry.clientId))
    for (const entry of accepted) {
      const user = entry.state?.user as { id?: unknown } | undefined
      if (entry.state && typeof user?.id === 'string') {
        this.heldIds.set(entry.clientId, { participantId: user.id, until: Number.POSITIVE_INFINITY })
      }
    }
    if (accepted.length > 0) {
      applyAwarenessEntries(this.awareness, accepted, REMOTE)
    }
  }

  /** Block ids broken by concurrent splits are mended by the server, as a writer of its own. */
  private async repairIds(): Promise<boolean> {
    const bad = this.blockIds.needingIds()
    if (bad.length === 0) return true
    const before = Y.encodeStateVector(this.doc)
    this.doc.transact(() => giveFreshBlockIds(bad), ID_REPAIR)
    const update = Y.encodeStateAsUpdate(this.doc, before)
    let seq: number
    try {
      seq = await this.options.store.appendUpdates(this.id, [{ data: update, participantId: null }])
    } catch (error) {
      this.fail(error)
      return false
    }
    this.committed(seq, [update], [null])
    this.logLength += 1
    this.releaseHeld()
    this.broadcast(syncUpdateMessage(update), null)
    return true
  }

  /**
   * An automatic checkpoint, when someone edited since the last one; a failure is logged only.
   * With several instances, the one that claims it takes it: no other within `claimWithinMs`.
   */
  async takeCheckpoint(claimWithinMs = this.options.checkpointMs * 0.9): Promise<void> {
    this.lastCheckpointAt = Date.now()
    if (this.broken || this.contributors.size === 0) return
    const contributors = [...this.contributors]
    this.contributors.clear()
    try {
      const { fanout, store } = this.options
      if (
        fanout.enabled &&
        !(await store.claimTask(this.id, 'checkpoint', fanout.instanceId, claimWithinMs))
      ) {
        return
      }
      await this.options.checkpoint(this, contributors)
      this.options.metrics.checkpointsTotal += 1
    } catch (error) {
      for (const id of contributors) this.contributors.add(id)
      this.options.log.warn({ err: error, documentId: this.id }, 'checkpoint failed')
    }
  }

  /** Folds the log into a snapshot; a failure leaves the log as it was, which is still correct. */
  async compact(): Promise<void> {
    if (this.broken || this.logLength === 0) return
    const { fanout, store } = this.options
    // The state holds every update up to syncedSeq (and perhaps later ones, which is harmless).
    const throughSeq = this.syncedSeq
    this.lastCompactionAt = performance.now()
    const state = Y.encodeStateAsUpdate(this.doc)
    try {
      if (
        fanout.enabled &&
        !(await store.claimTask(this.id, 'compact', fanout.instanceId, COMPACT_CLAIM_MS))
      ) {
        // Another instance compacts (or just did): its snapshot covers what ours would.
        this.logLength = 0
        return
      }
      await store.compact(this.id, state, throughSeq)
      this.options.metrics.compactionsTotal += 1
      this.logLength = 0
      this.sizeBytes = state.length
    } catch (error) {
      this.options.log.warn({ err: error, documentId: this.id }, 'compaction failed; the log is kept')
    }
  }

  /**
   * A commit failed: nothing of it was acknowledged or relayed. Every socket is closed with "try
   * again later" so the clients reconnect and resend what they hold, to a room loaded afresh.
   */
  private fail(error: unknown): void {
    this.broken = true
    this.pending = []
    // Nothing more goes to these sockets: what waited for the relay window is dropped with them.
    this.held = []
    if (this.relayTimer) clearTimeout(this.relayTimer)
    this.relayTimer = null
    this.options.metrics.persistFailuresTotal += 1
    this.options.log.error({ err: error, documentId: this.id }, 'commit failed; closing the room')
    for (const connection of [...this.connections]) connection.close(CloseCode.tryAgainLater)
  }

  get isBroken(): boolean {
    return this.broken
  }

  private checkSize(): void {
    if (!this.warned && this.sizeBytes >= this.options.documentWarnBytes) {
      this.warned = true
      this.options.log.warn(
        { documentId: this.id, bytes: this.sizeBytes },
        'document passed the warning size',
      )
      this.broadcast(encodeEvent(this.sizeEvent()), null)
    }
  }

  private sizeEvent() {
    return {
      type: 'document.size' as const,
      bytes: this.sizeBytes,
      warnBytes: this.options.documentWarnBytes,
      maxBytes: this.options.documentMaxBytes,
    }
  }

  /**
   * Whether a socket may speak for an awareness client id: its own, or a free one. An id spoken
   * for on another instance, or by a socket that just left, only its own participant may take over
   * (a reconnect).
   */
  private mayClaim(connection: Connection, clientId: number): boolean {
    const owner = this.clientOwners.get(clientId)
    if (owner) return owner === connection
    const hold = this.heldIds.get(clientId)
    return !hold || hold.until <= Date.now() || hold.participantId === connection.participant.id
  }

  private receiveAwareness(connection: Connection, payload: Uint8Array): void {
    let entries: ReturnType<typeof decodeAwarenessUpdate>
    try {
      // An id another socket speaks for is checked, then ignored: its state may be an echo of what
      // the server relayed, the identity it added included (allowed past the client's limit).
      entries = decodeAwarenessUpdate(
        payload,
        this.options.maxAwarenessBytes,
        (clientId) => !this.mayClaim(connection, clientId),
      )
    } catch (error) {
      if (error instanceof AwarenessRejected || error instanceof SyntaxError)
        throw new MalformedMessage(error.message)
      throw error
    }
    const accepted = entries.filter((entry) => {
      const owner = this.clientOwners.get(entry.clientId)
      if (!owner) {
        this.heldIds.delete(entry.clientId)
        if (connection.clientIds.size >= MAX_CLIENT_IDS_PER_SOCKET) return false
        this.clientOwners.set(entry.clientId, connection)
        connection.clientIds.add(entry.clientId)
      }
      if (entry.state) entry.state.user = awarenessUser(connection.participant)
      // The owning socket is the only voice of its id, so its word is the latest: a client back
      // from a reconnect restarts below the clock of the removal the server made when it left,
      // which y-protocols would otherwise ignore (its caret gone for up to 30 s).
      const known = this.awareness.meta.get(entry.clientId)
      if (known && entry.clock <= known.clock) entry.clock = known.clock + 1
      return true
    })
    if (accepted.length > 0) {
      applyAwarenessEntries(this.awareness, accepted, connection)
    }
  }

  /** Sends a message to every socket of the room except `except`. */
  broadcast(message: Uint8Array, except: Connection | null): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(message)
    }
  }

  /** Stores what remains and frees the document. */
  async unload(): Promise<void> {
    this.closing = true
    if (this.gapTimer) clearTimeout(this.gapTimer)
    if (this.loadCompaction) clearTimeout(this.loadCompaction)
    this.loadCompaction = null
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer)
    await this.idle
    this.releaseHeld()
    await this.catchingUp
    if (!this.broken) await this.takeCheckpoint(Math.min(1_000, this.options.checkpointMs * 0.9))
    if (!this.broken && this.logLength >= 1) await this.compact()
    this.awareness.destroy()
    this.doc.destroy()
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

/** An update that carries no structs and no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  return structs.length === 0 && ds.clients.size === 0
}
