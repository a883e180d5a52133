/**
 * One participant's socket on one document: ordered message handling, rate limit, keep-alive.
 * Knows ws's socket shape, not Fastify.
 */
import { CloseCode, closeReasons, encodeEvent, type Participant, type ServerEvent } from '@plenary/shared'
import type { WebSocket } from 'ws'

/** Bytes buffered for a socket beyond which it is too slow to keep up and is dropped. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
const PING_INTERVAL_MS = 30_000
const PING_TIMEOUT_MS = 30_000
/** How long a closed socket waits for the peer's close frame before it is dropped. */
const CLOSE_HANDSHAKE_MS = 1_000

export class Connection {
  /** Awareness client ids this socket introduced (it may speak only for them). */
  readonly clientIds = new Set<number>()
  /** Sync step 2 and update messages received from this socket, numbered 1, 2, … in order. */
  updatesReceived = 0
  lastSentAt = Date.now()
  closed = false
  private queue: Promise<void> = Promise.resolve()
  private windowStart = Date.now()
  private windowCount = 0
  private pingSentAt: number | null = null
  private lastPingAt = Date.now()

  constructor(
    readonly socket: WebSocket,
    public participant: Participant,
    public canEdit: boolean,
    private readonly maxMessagesPerSecond: number,
    private readonly onClose: (code: number) => void,
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {}

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // Not a fault of the participant's: a slow network. It reconnects and catches up by sync.
      this.close(CloseCode.fellBehind)
      return
    }
    this.lastSentAt = Date.now()
    this.socket.send(message, { binary: true })
  }

  sendEvent(event: ServerEvent): void {
    this.send(encodeEvent(event))
  }

  /**
   * Sends what `send` calls in `write` ask for in one write to the network, not one each (a
   * greeting is three frames, an answer to sync step 1 two). Sending took a tenth of the server's
   * time in a reconnect storm, much of it in those system calls.
   */
  together(write: () => void): void {
    this.cork()
    try {
      write()
    } finally {
      this.uncork()
    }
  }

  /** Holds what is sent until as many `uncork` calls: then it goes in one write. */
  cork(): void {
    this.rawSocket()?.cork()
  }

  uncork(): void {
    this.rawSocket()?.uncork()
  }

  private rawSocket() {
    return (this.socket as WebSocket & { _socket?: { cork(): void; uncork(): void } })._socket
  }

  /** Runs message handlers one after another, in arrival order, even when they wait. */
  enqueue(task: () => Promise<void> | void): void {
    this.queue = this.queue.then(task).catch(() => this.close(CloseCode.malformed))
  }

  /** Counts one message; false (and the socket closed) when the rate limit is passed. */
  admit(): boolean {
    const now = Date.now()
    if (now - this.windowStart >= 1000) {
      this.windowStart = now
      this.windowCount = 0
    }
    this.windowCount += 1
    if (this.windowCount > this.maxMessagesPerSecond) {
      this.close(CloseCode.tooFast)
      return false
    }
    return true
  }

  /**
   * Called every few seconds. Sends an event when the socket has heard nothing for a while (the
   * stock client drops a connection silent for 30 s), and a websocket ping every 30 s; a peer
   * that leaves a ping unanswered for 30 s is gone and its socket is dropped.
   */
  heartbeat(now: number, keepAliveMs: number, tickMs: number): void {
    if (this.closed) return
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt > PING_TIMEOUT_MS) this.socket.terminate()
    } else if (now - this.lastPingAt >= PING_INTERVAL_MS) {
      this.pingSentAt = now
      this.lastPingAt = now
      this.socket.ping()
    }
    if (now - this.lastSentAt >= keepAliveMs - tickMs) this.sendEvent({ type: 'keepalive' })
  }

  pong(): void {
    this.pingSentAt = null
  }

  close(code: CloseCode): void {
    if (this.closed) return
    this.closed = true
    this.onClose(code)
    try {
      this.socket.close(code, closeReasons[code])
    } catch {
      this.socket.terminate()
      return
    }
    // ws waits 30 s for the peer to answer the close frame; a frozen or hostile peer would hold
    // the socket (and a shutdown) that long. The close code went out: a short wait is enough.
    const timer = setTimeout(() => {
      if (this.socket.readyState !== this.socket.CLOSED) this.socket.terminate()
    }, CLOSE_HANDSHAKE_MS)
    timer.unref()
  }
}
