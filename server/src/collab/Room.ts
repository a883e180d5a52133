/**
 * A loaded document: its Y.Doc (committed state only), awareness, sockets, and the group commit
 * that stores every write before anyone else receives it.
 */
import {
  awarenessUser,
  CloseCode,
  encodeEvent,
  encodeSaved,
  MessageType,
  repairBlockIds,
  YDOC_FIELD,
} from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Logger } from 'pino'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { docFromStored, FROM_STORAGE } from '../storage/loadDoc.ts'
import type { Store } from '../storage/Store.ts'
import { AwarenessRejected, decodeAwarenessUpdate, encodeAwarenessUpdate } from './awareness.ts'
import type { Connection } from './Connection.ts'
import type { Metrics } from './metrics.ts'
import { isWrite } from './updates.ts'

/** Origin of the server's own block-id repairs. */
const ID_REPAIR = Symbol('id-repair')
/** Origin of changes the server makes for a participant (applying a proposal). */
const SERVER_EDIT = Symbol('server-edit')

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
}

type PendingWrite = { update: Uint8Array; connection: Connection }

export class MalformedMessage extends Error {
  override name = 'MalformedMessage'
}

export class Room {
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** Set once the room starts unloading: new sockets must load it afresh. */
  closing = false
  private pending: PendingWrite[] = []
  private flushing: Promise<void> | null = null
  private readonly clientOwners = new Map<number, Connection>()
  private logLength: number
  private sizeBytes: number
  private structureChanged = false
  private broken = false
  private warned = false
  /** Participants with committed edits since the last checkpoint. */
  readonly contributors = new Set<string>()
  private lastCheckpointAt = Date.now()

  private constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    logLength: number,
    private lastSeq: number,
    private readonly options: RoomOptions,
  ) {
    this.logLength = logLength
    this.sizeBytes = Y.encodeStateAsUpdate(doc).length
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_STORAGE || origin === ID_REPAIR || origin === SERVER_EDIT) return
      this.broadcast(syncUpdateMessage(update), origin as Connection)
    })
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === FROM_STORAGE || transaction.origin === ID_REPAIR) return
      for (const type of transaction.changed.keys()) {
        if (!(type instanceof Y.XmlText)) this.structureChanged = true
      }
    })
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      const changed = added.concat(updated, removed)
      if (changed.length === 0) return
      this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), null)
    })
  }

  /** Loads a document's snapshot and log tail. */
  static async load(id: string, options: RoomOptions): Promise<Room> {
    const loaded = await options.store.loadDocument(id)
    const doc = docFromStored(loaded, options.log, id)
    const lastSeq = loaded.updates.at(-1)?.seq ?? loaded.snapshotSeq
    return new Room(id, doc, loaded.updates.length, lastSeq, options)
  }

  get idle(): Promise<void> {
    return this.flushing ?? Promise.resolve()
  }

  /** Adds a socket and greets it: the server's state vector and everyone's awareness. */
  add(connection: Connection): void {
    this.connections.add(connection)
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
    const ids = [...connection.clientIds]
    for (const id of ids) this.clientOwners.delete(id)
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null)
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
    syncProtocol.writeSyncStep2(encoder, this.doc, stateVector)
    connection.send(encoding.toUint8Array(encoder))
    connection.send(encodeSaved(Y.encodeStateVector(this.doc)))
  }

  private receiveUpdate(connection: Connection, update: Uint8Array): void {
    let write: boolean
    try {
      write = isWrite(this.doc, update)
    } catch {
      throw new MalformedMessage('update could not be decoded')
    }
    if (!write) {
      // Nothing new (the stock client's reply to sync step 1): what it has is already stored.
      if (!this.flushing) connection.send(encodeSaved(Y.encodeStateVector(this.doc)))
      return
    }
    if (!connection.canEdit) {
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
    this.pending.push({ update, connection })
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null
      if (this.pending.length > 0 && !this.broken) this.scheduleFlush()
    })
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
      try {
        this.lastSeq = await this.options.store.appendUpdates(this.id, [{ data: update, participantId }])
      } catch (error) {
        this.fail(error)
        throw error
      }
      changed = true
      this.contributors.add(participantId)
      this.logLength += 1
      this.sizeBytes += update.length
      this.broadcast(syncUpdateMessage(update), null)
      this.broadcast(encodeSaved(Y.encodeStateVector(this.doc)), null)
    }
    // `flushing` never rejects: sockets awaiting it must not see this edit's error.
    let failure: unknown = null
    this.flushing = run()
      .catch((error) => {
        failure = error
      })
      .finally(() => {
        this.flushing = null
        if (this.pending.length > 0 && !this.broken) this.scheduleFlush()
      })
    await this.flushing
    if (failure) throw failure
    return changed
  }

  /** Group commit: everything queued while the previous commit ran goes in one transaction. */
  private async flush(): Promise<void> {
    // Let the rest of this burst of frames arrive before committing.
    await new Promise((resolve) => setImmediate(resolve))
    const { store, metrics, log } = this.options
    while (this.pending.length > 0 && !this.broken) {
      const batch = this.pending.splice(0)
      const started = performance.now()
      try {
        this.lastSeq = await store.appendUpdates(
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
      for (const { update, connection } of batch) {
        try {
          Y.applyUpdate(this.doc, update, connection)
          this.sizeBytes += update.length
        } catch (error) {
          log.error({ err: error, documentId: this.id }, 'stored update could not be applied')
        }
      }
      for (const { connection } of batch) this.contributors.add(connection.participant.id)
      if (this.structureChanged && !(await this.repairIds())) return
      this.broadcast(encodeSaved(Y.encodeStateVector(this.doc)), null)
      this.checkSize()
      if (Date.now() - this.lastCheckpointAt >= this.options.checkpointMs) await this.takeCheckpoint()
      if (this.logLength >= this.options.compactAfterUpdates) await this.compact()
    }
  }

  /** Block ids broken by concurrent splits are mended by the server, as a writer of its own. */
  private async repairIds(): Promise<boolean> {
    const fragment = this.doc.getXmlFragment(YDOC_FIELD)
    const before = Y.encodeStateVector(this.doc)
    let repaired = 0
    this.doc.transact(() => {
      repaired = repairBlockIds(fragment)
    }, ID_REPAIR)
    if (repaired === 0) return true
    const update = Y.encodeStateAsUpdate(this.doc, before)
    try {
      this.lastSeq = await this.options.store.appendUpdates(this.id, [{ data: update, participantId: null }])
    } catch (error) {
      this.fail(error)
      return false
    }
    this.logLength += 1
    this.broadcast(syncUpdateMessage(update), null)
    return true
  }

  /** An automatic checkpoint, when someone edited since the last one; a failure is logged only. */
  async takeCheckpoint(): Promise<void> {
    this.lastCheckpointAt = Date.now()
    if (this.broken || this.contributors.size === 0) return
    const contributors = [...this.contributors]
    this.contributors.clear()
    try {
      await this.options.checkpoint(this, contributors)
    } catch (error) {
      for (const id of contributors) this.contributors.add(id)
      this.options.log.warn({ err: error, documentId: this.id }, 'checkpoint failed')
    }
  }

  /** Folds the log into a snapshot; a failure leaves the log as it was, which is still correct. */
  async compact(): Promise<void> {
    if (this.broken || this.logLength === 0) return
    const state = Y.encodeStateAsUpdate(this.doc)
    try {
      await this.options.store.compact(this.id, state, this.lastSeq)
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

  private receiveAwareness(connection: Connection, payload: Uint8Array): void {
    let entries: ReturnType<typeof decodeAwarenessUpdate>
    try {
      entries = decodeAwarenessUpdate(payload, this.options.maxAwarenessBytes)
    } catch (error) {
      if (error instanceof AwarenessRejected || error instanceof SyntaxError)
        throw new MalformedMessage(error.message)
      throw error
    }
    const accepted = entries.filter((entry) => {
      const owner = this.clientOwners.get(entry.clientId)
      if (owner && owner !== connection) return false
      if (!owner) {
        if (connection.clientIds.size >= MAX_CLIENT_IDS_PER_SOCKET) return false
        this.clientOwners.set(entry.clientId, connection)
        connection.clientIds.add(entry.clientId)
      }
      if (entry.state) entry.state.user = awarenessUser(connection.participant)
      return true
    })
    if (accepted.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(accepted), connection)
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
    await this.idle
    if (!this.broken) await this.takeCheckpoint()
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

/** An update that carries no structs and no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update)
  return structs.length === 0 && ds.clients.size === 0
}
