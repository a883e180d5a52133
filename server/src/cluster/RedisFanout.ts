/**
 * Fan-out over Redis pub/sub: one channel per loaded document (`<prefix>:doc:<id>`) and one for
 * the cluster (`<prefix>:cluster`). Two connections: one publishes, one listens. Redis going away
 * never stops this instance serving its own clients: publishes are dropped and counted, and when
 * the listening connection is back every loaded room catches up from the database (`onResync`).
 */
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from 'pino'
import type { Metrics } from '../collab/metrics.ts'
import {
  type ClusterMessage,
  type DocumentMessage,
  decodeFanoutMessage,
  encodeFanoutMessage,
  type Fanout,
  type FanoutState,
} from './fanout.ts'

export type RedisFanoutOptions = {
  url: string
  instanceId: string
  /** Channel prefix: instances of one deployment share it; separate deployments on one Redis must not. */
  prefix: string
  log: Logger
  metrics: Metrics
}

const CONNECTION_OPTIONS: RedisOptions = {
  lazyConnect: true,
  // Never queue while disconnected: a stale publish is useless (receivers catch up from the
  // database) and a queue would grow without bound during an outage.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResubscribe: false,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  keepAlive: 5_000,
  retryStrategy: (times) => Math.min(100 * times, 1_000),
}

export class RedisFanout implements Fanout {
  readonly enabled = true
  readonly instanceId: string
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly documents = new Map<string, (message: DocumentMessage) => void>()
  private readonly clusterHandlers: ((message: ClusterMessage) => void)[] = []
  private readonly resyncHandlers: (() => void)[] = []
  private pubReady = false
  private subReady = false
  private closed = false
  private reportedDown = false
  private readonly clusterChannel: string

  constructor(private readonly options: RedisFanoutOptions) {
    this.instanceId = options.instanceId
    this.clusterChannel = `${options.prefix}:cluster`
    this.pub = new Redis(options.url, {
      ...CONNECTION_OPTIONS,
      connectionName: `plenary-pub-${this.instanceId}`,
    })
    this.sub = new Redis(options.url, {
      ...CONNECTION_OPTIONS,
      connectionName: `plenary-sub-${this.instanceId}`,
    })
    for (const [connection, role] of [
      [this.pub, 'pub'],
      [this.sub, 'sub'],
    ] as const) {
      connection.on('ready', () => this.onReady(role))
      connection.on('close', () => this.onDown(role))
      connection.on('end', () => this.onDown(role))
      // Errors arrive with each failed reconnection attempt: said once per outage, in onDown.
      connection.on('error', () => undefined)
    }
    this.sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel.toString(), data))
  }

  /** Connects both; resolves when connected or when the first attempt failed (then keeps retrying). */
  async start(): Promise<void> {
    const attempts = [this.pub.connect(), this.sub.connect()]
    const results = await Promise.allSettled(attempts)
    if (results.some((r) => r.status === 'rejected')) {
      this.options.log.warn(
        "Redis is unreachable: serving this instance's own clients only, retrying (see /readyz)",
      )
      this.reportedDown = true
    }
  }

  state(): FanoutState {
    return this.pubReady && this.subReady ? 'up' : 'down'
  }

  private channel(documentId: string): string {
    return `${this.options.prefix}:doc:${documentId}`
  }

  async join(documentId: string, onMessage: (message: DocumentMessage) => void): Promise<void> {
    this.documents.set(documentId, onMessage)
    // Not connected: onReady subscribes every document's channel (and reads which ones at its start).
    if (this.sub.status !== 'ready') return
    try {
      await this.sub.subscribe(this.channel(documentId))
    } catch {
      // Subscribed again, with every other channel, when the connection is back.
    }
  }

  leave(documentId: string): void {
    if (!this.documents.delete(documentId) || this.sub.status !== 'ready') return
    this.sub.unsubscribe(this.channel(documentId)).catch(() => undefined)
  }

  publish(documentId: string, message: DocumentMessage): void {
    this.send(this.channel(documentId), encodeFanoutMessage(this.instanceId, message))
  }

  publishCluster(message: ClusterMessage): void {
    this.send(this.clusterChannel, encodeFanoutMessage(this.instanceId, message))
  }

  onCluster(handler: (message: ClusterMessage) => void): void {
    this.clusterHandlers.push(handler)
  }

  onResync(handler: () => void): void {
    this.resyncHandlers.push(handler)
  }

  private send(channel: string, data: Uint8Array): void {
    const { metrics } = this.options
    if (!this.pubReady) {
      metrics.fanoutDroppedTotal += 1
      return
    }
    metrics.fanoutPublishedTotal += 1
    this.pub.publish(channel, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).catch(() => {
      metrics.fanoutDroppedTotal += 1
    })
  }

  private receive(channel: string, data: Buffer): void {
    const { metrics, log } = this.options
    let decoded: ReturnType<typeof decodeFanoutMessage>
    try {
      decoded = decodeFanoutMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    } catch (error) {
      metrics.fanoutMalformedTotal += 1
      log.warn({ channel, reason: (error as Error).message }, 'fan-out message ignored')
      return
    }
    // Our own echo: already stored and sent by us.
    if (decoded.instanceId === this.instanceId) return
    metrics.fanoutReceivedTotal += 1
    const { message } = decoded
    if (channel === this.clusterChannel) {
      if (message.kind !== 'access') return
      for (const handler of this.clusterHandlers) handler(message)
      return
    }
    const documentId = channel.slice(this.channel('').length)
    if (message.kind === 'access') return
    this.documents.get(documentId)?.(message)
  }

  private async onReady(role: 'pub' | 'sub'): Promise<void> {
    if (role === 'pub') this.pubReady = true
    else {
      try {
        const channels = [this.clusterChannel, ...[...this.documents.keys()].map((id) => this.channel(id))]
        await this.sub.subscribe(...channels)
      } catch (error) {
        this.options.log.warn({ err: error }, 'Redis subscription failed; reconnecting')
        this.sub.disconnect(true)
        return
      }
      this.subReady = true
    }
    if (this.state() !== 'up') return
    if (this.reportedDown) this.options.log.warn('Redis is reachable again: catching up from the database')
    this.reportedDown = false
    // Whatever was published while we were not listening is in the database: catch up.
    for (const handler of this.resyncHandlers) handler()
  }

  private onDown(role: 'pub' | 'sub'): void {
    const wasUp = this.state() === 'up'
    if (role === 'pub') this.pubReady = false
    else this.subReady = false
    if (wasUp && !this.closed && !this.reportedDown) {
      this.reportedDown = true
      this.options.log.warn("Redis connection lost: serving this instance's own clients only, retrying")
    }
  }

  async close(): Promise<void> {
    this.closed = true
    this.documents.clear()
    await Promise.allSettled([this.pub.quit(), this.sub.quit()])
    this.pub.disconnect()
    this.sub.disconnect()
  }
}
