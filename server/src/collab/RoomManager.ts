/**
 * Loads rooms on first use, unloads them shortly after their last socket leaves, keeps sockets
 * alive, tells sockets when their access changes, and closes everything cleanly on shutdown.
 */
import {
  CloseCode,
  canEditDocument,
  encodeEvent,
  Limits,
  type Participant,
  type ServerEvent,
} from '@plenary/shared'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { DocumentMessage } from '../cluster/fanout.ts'
import { loadYDoc } from '../storage/loadDoc.ts'
import { Connection } from './Connection.ts'
import { MalformedMessage, Room, type RoomOptions } from './Room.ts'

const HEARTBEAT_MS = 5_000

export type JoinRequest = {
  documentId: string
  socket: WebSocket
  participant: Participant
  penHolders: string[]
  maxMessagesPerSecond: number
  maxMessageBytes: number
}

export class RoomManager {
  private readonly rooms = new Map<string, Promise<Room>>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()
  private readonly heartbeat: NodeJS.Timeout
  private shuttingDown = false
  private readonly perParticipant = new Map<string, number>()

  constructor(
    private readonly options: RoomOptions & {
      /** A room whose last socket left stays loaded this long, for a reload or a quick reconnect. */
      unloadAfterMs: number
    },
  ) {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS)
    this.heartbeat.unref()
    const { fanout } = options
    // Access changed on another instance: re-check the sockets it names here too.
    fanout.onCluster((message) => {
      void this.refreshAccess(message, { local: true }).catch((error) =>
        options.log.warn({ err: error }, 'access refresh from another instance failed'),
      )
    })
    // Redis is back: what was published meanwhile is lost, the database has it (text, and who
    // may still edit: a revocation made on another instance during the outage applies here now).
    fanout.onResync(() => {
      void this.refreshAccess({}, { local: true }).catch((error) =>
        options.log.warn({ err: error }, 'access refresh after Redis returned failed'),
      )
      for (const loading of this.rooms.values()) {
        loading.then(
          (room) => {
            void room.catchUp()
            room.announceHead()
            room.publishAwarenessQuery()
          },
          () => undefined,
        )
      }
    })
  }

  /** The loaded room of a document, loading it if needed. */
  async acquire(documentId: string): Promise<Room> {
    for (;;) {
      await this.unloading.get(documentId)
      let loading = this.rooms.get(documentId)
      if (!loading) {
        loading = this.load(documentId)
        this.rooms.set(documentId, loading)
        loading.then(
          () => {
            this.options.metrics.rooms += 1
          },
          () => this.rooms.delete(documentId),
        )
      }
      const room = await loading
      if (!room.closing) return room
    }
  }

  /**
   * Loads a room, hearing its channel first: whatever another instance commits after the
   * subscription is heard, whatever it committed before is in what the load reads.
   */
  private async load(documentId: string): Promise<Room> {
    const { fanout } = this.options
    let room: Room | null = null
    const early: DocumentMessage[] = []
    await fanout.join(documentId, (message) => {
      if (room) room.receiveRemote(message)
      else early.push(message)
    })
    try {
      room = await Room.load(documentId, this.options)
    } catch (error) {
      fanout.leave(documentId)
      throw error
    }
    for (const message of early) room.receiveRemote(message)
    return room
  }

  /** Attaches an upgraded socket to its document's room. */
  async join(request: JoinRequest): Promise<Connection> {
    const { socket, participant, documentId } = request
    const room = await this.acquire(documentId)
    this.cancelUnload(documentId)
    const connection = new Connection(
      socket,
      participant,
      canEditDocument(participant, request.penHolders),
      request.maxMessagesPerSecond,
      (code) => this.options.metrics.countClose(code),
    )
    this.options.metrics.connections += 1
    this.perParticipant.set(participant.id, this.participantConnections(participant.id) + 1)
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        connection.close(CloseCode.malformed)
        return
      }
      const bytes = toBytes(data)
      if (bytes.length > request.maxMessageBytes) {
        connection.close(CloseCode.messageTooBig)
        return
      }
      if (!connection.admit()) return
      connection.enqueue(async () => {
        if (connection.closed || room.closing) return
        try {
          await room.handle(connection, bytes)
        } catch (error) {
          this.options.log.info(
            { documentId, participantId: participant.id, reason: (error as Error).message },
            error instanceof MalformedMessage ? 'malformed message' : 'message could not be decoded',
          )
          connection.close(CloseCode.malformed)
        }
      })
    })
    socket.on('pong', () => connection.pong())
    socket.on('error', () => connection.close(CloseCode.malformed))
    socket.on('close', () => {
      connection.closed = true
      this.options.metrics.connections -= 1
      const left = this.participantConnections(participant.id) - 1
      if (left > 0) this.perParticipant.set(participant.id, left)
      else this.perParticipant.delete(participant.id)
      room.remove(connection)
      if (room.connections.size === 0) this.scheduleUnload(documentId, room)
    })
    room.add(connection)
    return connection
  }

  /**
   * Re-reads who may edit, after a pen-holder change, a role change or a revocation: sockets of a
   * revoked participant close (4403), others hear `access.changed` when their right to edit flips.
   */
  async refreshAccess(
    filter: { documentId?: string; participantId?: string },
    { local = false } = {},
  ): Promise<void> {
    const { store, fanout } = this.options
    if (!local) fanout.publishCluster({ kind: 'access', ...filter })
    for (const [id, loading] of [...this.rooms]) {
      if (filter.documentId && id !== filter.documentId) continue
      const room = await loading.catch(() => null)
      if (!room) continue
      const document = await store.getDocument(id)
      for (const connection of [...room.connections]) {
        if (filter.participantId && connection.participant.id !== filter.participantId) continue
        const participant = await store.getParticipant(connection.participant.id)
        if (!participant || participant.revokedAt || !document) {
          connection.close(CloseCode.forbidden)
          continue
        }
        connection.participant = participant
        const canEdit = canEditDocument(participant, document.penHolders)
        if (canEdit !== connection.canEdit) {
          connection.canEdit = canEdit
          connection.sendEvent({ type: 'access.changed', canEdit })
        }
      }
    }
  }

  /**
   * A copy of a document's committed text: from its room when loaded (the live text), else from
   * the store. The copy is the caller's to read and drop.
   */
  async readDoc(documentId: string): Promise<Y.Doc> {
    const loading = this.rooms.get(documentId)
    const room = loading ? await loading.catch(() => null) : null
    if (room && !room.closing && !room.isBroken) {
      await room.idle
      // Another instance may have committed something this one has not heard yet.
      if (this.options.fanout.enabled) await room.catchUp()
      const copy = new Y.Doc({ guid: documentId })
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
      return copy
    }
    return loadYDoc(this.options.store, documentId, this.options.log)
  }

  /**
   * Runs `fn` on a document's room, loading it if needed; a room loaded only for this is unloaded
   * again after the usual grace period.
   */
  async withRoom<T>(documentId: string, fn: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.acquire(documentId)
    this.cancelUnload(documentId)
    try {
      if (this.options.fanout.enabled) await room.catchUp()
      return await fn(room)
    } finally {
      if (room.connections.size === 0) this.scheduleUnload(documentId, room)
    }
  }

  /**
   * Reads the committed live text with `read`, which must not change the document or wait. The
   * room's own document is read as it is, no copy: nothing can change it while `read` runs, and
   * it holds committed state only (a commit applies its batch in one step after storing it). A
   * document nobody has open is loaded into its room, which stays for the usual grace period:
   * the next read (a thread list polled, a comparison) does not load it again.
   */
  async readLive<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.withRoom(documentId, async (room) => {
      await room.idle
      return read(room.doc)
    })
  }

  /** Sends an event to every socket of a document, if it is loaded. */
  notify(documentId: string, event: ServerEvent): void {
    if (this.options.fanout.enabled) this.options.fanout.publish(documentId, { kind: 'event', event })
    this.rooms.get(documentId)?.then(
      (room) => room.broadcast(encodeEvent(event), null),
      () => undefined,
    )
  }

  /** Sockets on a document, for metrics and tests. */
  connectionCount(documentId: string): Promise<number> {
    const loading = this.rooms.get(documentId)
    return loading ? loading.then((room) => room.connections.size) : Promise.resolve(0)
  }

  /** Whether a document is in memory (loading, loaded or still unloading). */
  isLoaded(documentId: string): boolean {
    return this.rooms.has(documentId) || this.unloading.has(documentId)
  }

  /** Connections a participant holds across all rooms. */
  participantConnections(participantId: string): number {
    return this.perParticipant.get(participantId) ?? 0
  }

  private scheduleUnload(documentId: string, room: Room): void {
    if (this.shuttingDown || room.closing) return
    this.cancelUnload(documentId)
    // A broken room (failed commit) is dropped at once so that reconnecting clients reload it.
    const delay = room.isBroken ? 0 : this.options.unloadAfterMs
    const timer = setTimeout(() => {
      this.unloadTimers.delete(documentId)
      if (room.connections.size === 0) void this.unload(documentId, room)
    }, delay)
    timer.unref()
    this.unloadTimers.set(documentId, timer)
  }

  private cancelUnload(documentId: string): void {
    const timer = this.unloadTimers.get(documentId)
    if (timer) clearTimeout(timer)
    this.unloadTimers.delete(documentId)
  }

  private async unload(documentId: string, room: Room): Promise<void> {
    this.rooms.delete(documentId)
    const done = room
      .unload()
      .catch((error) => {
        this.options.log.error({ err: error, documentId }, 'room unload failed')
      })
      .finally(() => this.options.fanout.leave(documentId))
    this.unloading.set(documentId, done)
    await done
    this.unloading.delete(documentId)
    this.options.metrics.rooms -= 1
  }

  private beat(): void {
    const now = Date.now()
    for (const loading of this.rooms.values()) {
      loading.then(
        (room) => {
          for (const connection of room.connections)
            connection.heartbeat(now, Limits.keepAliveMs, HEARTBEAT_MS)
        },
        () => undefined,
      )
    }
  }

  /** SIGTERM: close every socket with "going away", store everything, free every room. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true
    clearInterval(this.heartbeat)
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    const rooms = await Promise.all([...this.rooms.values()].map((loading) => loading.catch(() => null)))
    for (const room of rooms) {
      if (!room) continue
      for (const connection of [...room.connections]) connection.close(CloseCode.goingAway)
    }
    await Promise.all(rooms.map((room) => (room ? this.unload(room.id, room) : Promise.resolve())))
    await Promise.all(this.unloading.values())
  }
}

/**
 * A frame in a buffer of its own. ws may hand over a view of a larger pooled buffer, and lib0's
 * decoder makes views of `arr.buffer` at the offsets an update claims: a length claim past the
 * frame's end would read (and a pen holder's update would store) bytes of other frames.
 */
function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return new Uint8Array(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]))
  throw new MalformedMessage('unexpected frame payload')
}
