/**
 * One open document: a Y.Doc, its websocket to `/collab/:documentId`, and (for participants who
 * hold the pen) the offline copy in IndexedDB. It knows whether this participant's edits are
 * durably stored, from the `saved` messages of PROTOCOL.md.
 *
 * Read-only participants never write: no offline copy to replay, no local update is ever sent,
 * and a local change (which the editor's guard should make impossible) marks the session as
 * diverged so that the page starts a fresh one.
 */
import { isFinalClose } from '@plenary/shared/closeCodes'
import {
  MessageType,
  readEvent,
  readSaved,
  readSavedCount,
  type ServerEvent,
  stateVectorCovers,
} from '@plenary/shared/protocol'
import { reconnectDelayMs } from '@plenary/shared/reconnect'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { offlineCopyName } from './offlineCopies.ts'

/** What the status line says; `strings.status` has the words. */
export type SaveState = 'connecting' | 'offline' | 'saving' | 'saved' | 'readOnlyLive' | 'disconnected'

export type SessionState = {
  saveState: SaveState
  /** The final close code (4400–4499) that ended the session, if any. */
  closeCode: number | null
  /** A read-only session whose document changed locally; it must be replaced. */
  diverged: boolean
}

export type SessionOptions = {
  documentId: string
  participantId: string
  canEdit: boolean
  /** Defaults to this page's origin with ws(s). */
  serverUrl?: string
}

/** `http://host` → `ws://host`, `https://host` → `wss://host`. */
export function wsOrigin(origin: string = window.location.origin): string {
  return origin.replace(/^http/, 'ws')
}

type Handler = WebsocketProvider['messageHandlers'][number]

function maxInto(target: Map<number, number>, source: Map<number, number>): boolean {
  let changed = false
  for (const [client, clock] of source) {
    if (clock > (target.get(client) ?? 0)) {
      target.set(client, clock)
      changed = true
    }
  }
  return changed
}

export class CollabSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly canEdit: boolean
  readonly documentId: string
  private readonly persistence: IndexeddbPersistence | null = null
  /** The highest stored clock per client heard from the server; stored state only grows. */
  private readonly stored = new Map<number, number>()
  /** Clocks that arrived from the offline copy and must reach the server before "saved". */
  private readonly fromOfflineCopy = new Map<number, number>()
  /**
   * Sync step 2 and update messages sent on the current socket, and how many of them the server
   * says are stored (null: it did not say). A deletion adds nothing to the state vector: only this
   * count tells that it is stored.
   */
  private sentUpdates = 0
  private storedUpdates: number | null = null
  private failedAttempts = 0
  /** The browser says there is no network: do not try until it says there is again. */
  private browserOffline = !navigator.onLine
  private closeCode: number | null = null
  private diverged = false
  private state: SessionState = { saveState: 'connecting', closeCode: null, diverged: false }
  private readonly listeners = new Set<() => void>()
  private readonly eventListeners = new Set<(event: ServerEvent) => void>()
  private readonly beforeRemoteChangeListeners = new Set<() => void>()
  /** Set while a read of the page is due just before the caret plugin's batched redraw. */
  private caretRedrawFrame: number | null = null
  private destroyed = false

  constructor({ documentId, participantId, canEdit, serverUrl = `${wsOrigin()}/collab` }: SessionOptions) {
    this.canEdit = canEdit
    this.documentId = documentId
    this.provider = new WebsocketProvider(serverUrl, documentId, this.doc, {
      // Handlers are registered below, before the first frame can arrive.
      connect: false,
      // Each tab talks to the server itself: a tab-to-tab channel would bypass the server's write
      // checks for read-only tabs and could not tell which edits are stored.
      disableBc: true,
      shouldReconnect: (event) => !isFinalClose(event.code),
    })
    this.installMessageHandlers()
    // The stock client sends back every awareness change it hears, other people's carets too:
    // twice the traffic, and the server ignores them. Only this tab's own state is sent.
    this.provider.awareness.off('update', this.provider._awarenessUpdateHandler)
    this.provider.awareness.on('update', this.onAwarenessUpdate)
    // Registered before the editor's caret plugin: a remote caret redraws the editor's decorations,
    // which writes the editor's selection back to the page (see `onBeforeRemoteChange`).
    this.provider.awareness.on('change', this.onAwarenessChange)

    if (canEdit) {
      this.persistence = new IndexeddbPersistence(offlineCopyName(participantId, documentId), this.doc)
      this.doc.on('afterTransaction', this.onAfterTransaction)
    } else {
      // Never send a local update, whatever produced it.
      this.doc.off('update', this.provider._updateHandler)
      this.doc.on('update', this.onReadOnlyUpdate)
    }
    this.doc.on('update', this.refresh)
    this.provider.on('status', this.onStatus)
    this.provider.on('sync', this.onSync)
    this.provider.on('connection-close', this.onConnectionClose)
    this.provider.on('closed', this.onClosed)
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
    if (!this.browserOffline) this.provider.connect()
  }

  /** A new socket: count the update messages sent on it, from zero. */
  private readonly onStatus = ({ status }: { status: string }) => {
    const ws = this.provider.ws
    if (status === 'connected' && ws) {
      this.sentUpdates = 0
      this.storedUpdates = null
      const send = ws.send.bind(ws)
      ws.send = (data: Parameters<WebSocket['send']>[0]) => {
        if (isUpdateMessage(data)) this.sentUpdates += 1
        send(data)
      }
    }
    this.refresh()
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: AwarenessChange): void => {
    const own = this.doc.clientID
    if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return
    const ws = this.provider.ws
    if (!this.provider.wsconnected || !ws) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.awareness)
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.provider.awareness, [own]),
    )
    ws.send(encoding.toUint8Array(encoder))
  }

  private readonly onAwarenessChange = (_change: AwarenessChange, origin: unknown): void => {
    // One's own caret is never drawn, and moving it redraws nothing.
    if (origin === 'local') return
    this.beforeRemoteChange()
    // The caret plugin does not redraw now: it redraws others' carets in the next frame (if a
    // change of the text has not drawn them meanwhile). A click can land before that frame, so the
    // editor takes in what the page holds again just before the redraw: frame callbacks run in
    // the order they were asked for, and this listener is registered before the caret plugin's.
    if (this.caretRedrawFrame === null) {
      this.caretRedrawFrame = requestAnimationFrame(() => {
        this.caretRedrawFrame = null
        if (!this.destroyed) this.beforeRemoteChange()
      })
    }
  }

  private beforeRemoteChange(): void {
    for (const listener of this.beforeRemoteChangeListeners) listener()
  }

  private installMessageHandlers(): void {
    const handlers = this.provider.messageHandlers
    // These handlers write nothing to the encoder, so y-websocket sends nothing back
    // (it replies only when `encoding.length(encoder) > 1`).
    handlers[MessageType.saved] = (_encoder, decoder) => {
      const stateVector = readSaved(decoder)
      const grew = maxInto(this.stored, Y.decodeStateVector(stateVector))
      const count = readSavedCount(decoder)
      if (count !== null && count !== this.storedUpdates) {
        this.storedUpdates = count
        this.refresh()
      } else if (grew) this.refresh()
    }
    handlers[MessageType.event] = (_encoder, decoder) => {
      const event = readEvent(decoder)
      if (event) for (const listener of this.eventListeners) listener(event)
    }
    // The server's sync step 1 carries the state vector of its room document, which holds only
    // committed state (DESIGN.md): it is stored, so it counts like a `saved` message.
    const sync: Handler = handlers[MessageType.sync]
    handlers[MessageType.sync] = (encoder, decoder, provider, emitSynced, messageType) => {
      try {
        const peek = decoding.clone(decoder)
        if (decoding.readVarUint(peek) === syncProtocol.messageYjsSyncStep1) {
          maxInto(this.stored, Y.decodeStateVector(decoding.readVarUint8Array(peek)))
        } else {
          this.beforeRemoteChange()
        }
      } catch {
        // Malformed: the stock handler below decides what to do with it.
      }
      sync(encoder, decoder, provider, emitSynced, messageType)
      this.refresh()
    }
  }

  private readonly onAfterTransaction = (transaction: Y.Transaction) => {
    if (this.persistence === null || transaction.origin !== this.persistence) return
    for (const [client, clock] of transaction.afterState) {
      if (clock > (transaction.beforeState.get(client) ?? 0)) {
        this.fromOfflineCopy.set(client, Math.max(clock, this.fromOfflineCopy.get(client) ?? 0))
      }
    }
  }

  private readonly onReadOnlyUpdate = (
    _update: Uint8Array,
    _origin: unknown,
    _doc: Y.Doc,
    transaction: Y.Transaction,
  ) => {
    if (!transaction.local || this.diverged) return
    // Yjs tidies redundant formatting marks after a remote change, as a local transaction that
    // only deletes marks: it changes nothing anyone reads, and this session never sends it.
    if (onlyTidiesFormatting(transaction)) return
    console.warn('[plenary] a read-only document changed locally; starting a fresh session')
    this.diverged = true
    this.refresh()
  }

  private readonly onSync = (synced: boolean) => {
    if (synced) this.failedAttempts = 0
    this.refresh()
  }

  private readonly onConnectionClose = (event: CloseEvent | null) => {
    if (event !== null) this.failedAttempts += 1
    // y-websocket waits min(100 ms × 2^n, maxBackoffTime) after its n-th failure in a row, and
    // emits this event just before it counts the failure and sets that timer: the cap set here is
    // the whole wait, the shared schedule's, with its random part (no wave after a restart).
    this.provider.maxBackoffTime = reconnectDelayMs(this.provider.wsUnsuccessfulReconnects + 1)
    this.refresh()
  }

  private readonly onOffline = () => {
    this.browserOffline = true
    // A socket can look open for a long while after the network went away; close it now.
    this.provider.disconnect()
    this.refresh()
  }

  private readonly onOnline = () => {
    this.browserOffline = false
    if (this.closeCode === null) this.provider.connect()
    this.refresh()
  }

  private readonly onClosed = (event: { code: number; reason: string }) => {
    this.closeCode = event.code
    this.provider.disconnect()
    this.refresh()
  }

  /** Are all of this participant's edits (typed here or replayed from the offline copy) stored? */
  private hasUnsavedEdits(): boolean {
    const ownClock = Y.getState(this.doc.store, this.doc.clientID)
    if (!stateVectorCovers(this.stored, this.doc.clientID, ownClock)) return true
    // Deletions (and anything else sent) on this socket not yet stored.
    if (this.storedUpdates !== null && this.sentUpdates > this.storedUpdates) return true
    for (const [client, clock] of this.fromOfflineCopy) {
      if (!stateVectorCovers(this.stored, client, clock)) return true
    }
    return false
  }

  private computeSaveState(): SaveState {
    if (this.closeCode !== null) return 'disconnected'
    const live = this.provider.wsconnected && this.provider.synced && !this.browserOffline
    if (!live) {
      const offline = this.failedAttempts > 0 || this.browserOffline
      return this.canEdit && offline ? 'offline' : 'connecting'
    }
    if (!this.canEdit) return 'readOnlyLive'
    return this.hasUnsavedEdits() ? 'saving' : 'saved'
  }

  private readonly refresh = () => {
    if (this.destroyed) return
    const saveState = this.computeSaveState()
    const { state } = this
    if (
      state.saveState === saveState &&
      state.closeCode === this.closeCode &&
      state.diverged === this.diverged
    )
      return
    this.state = { saveState, closeCode: this.closeCode, diverged: this.diverged }
    for (const listener of this.listeners) listener()
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly getState = (): SessionState => this.state

  /** Server notifications (`event` messages); returns an unsubscribe function. */
  onEvent(listener: (event: ServerEvent) => void): () => void {
    this.eventListeners.add(listener)
    return () => this.eventListeners.delete(listener)
  }

  /**
   * Called just before a change from elsewhere reaches the editor: a sync step 2 or update from
   * the server, or someone's caret arriving or leaving (and again just before the caret plugin's
   * batched redraw, which a caret change of this page's own also schedules). Each redraws the
   * editor and writes its selection back into the page, so the editor must first take in what
   * the browser has not told it yet: a caret moved by a click whose `selectionchange` event is
   * still queued. Returns an unsubscribe function.
   */
  onBeforeRemoteChange(listener: () => void): () => void {
    this.beforeRemoteChangeListeners.add(listener)
    return () => this.beforeRemoteChangeListeners.delete(listener)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.listeners.clear()
    this.eventListeners.clear()
    this.beforeRemoteChangeListeners.clear()
    if (this.caretRedrawFrame !== null) cancelAnimationFrame(this.caretRedrawFrame)
    this.provider.awareness.off('update', this.onAwarenessUpdate)
    this.provider.awareness.off('change', this.onAwarenessChange)
    this.provider.destroy()
    // Let the offline copy write its last updates before it closes.
    void this.persistence?.destroy()
    this.doc.destroy()
  }
}

/** A y-protocols sync step 2 or update message (what the server stores, or finds nothing new in). */
function isUpdateMessage(data: unknown): boolean {
  if (!(data instanceof Uint8Array) || data.length < 2) return false
  return data[0] === MessageType.sync && (data[1] === 1 || data[1] === 2)
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

/** Whether a transaction inserted nothing and deleted only formatting marks. */
function onlyTidiesFormatting(transaction: Y.Transaction): boolean {
  for (const [client, clock] of transaction.afterState) {
    if (clock !== (transaction.beforeState.get(client) ?? 0)) return false
  }
  let tidy = true
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item && struct.content instanceof Y.ContentFormat)) tidy = false
  })
  return tidy
}
