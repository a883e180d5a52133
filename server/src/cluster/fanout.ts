/**
 * The fan-out between server instances: what one instance tells the others about a document
 * (committed updates, awareness, events) and about access. Redis carries it when REDIS_URL is set
 * (`RedisFanout`); a single instance uses `NoFanout`. The database stays the source of truth:
 * a message may be lost, and a room that sees a gap catches up from the store.
 */
import type { ServerEvent } from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** What instances say about one document, on that document's channel. */
export type DocumentMessage =
  /** Updates committed by the sender under sequence numbers `firstSeq`…`lastSeq`, in order. */
  | { kind: 'update'; firstSeq: number; lastSeq: number; updates: Uint8Array[]; participants: string[] }
  /** An awareness update of the sender's own clients (y-protocols encoding, identities already set). */
  | { kind: 'awareness'; update: Uint8Array }
  /** "I just loaded this document: tell me who is here." */
  | { kind: 'awareness-query' }
  /** The last sequence number the sender committed: a receiver behind it has missed something. */
  | { kind: 'head'; seq: number }
  /** A server event (thread changed, revision published…) for every socket on the document. */
  | { kind: 'event'; event: ServerEvent }

/** What instances say to all instances: access changed, re-check the sockets it names. */
export type ClusterMessage = { kind: 'access'; documentId?: string; participantId?: string }

export type FanoutState = 'off' | 'up' | 'down'

export interface Fanout {
  readonly instanceId: string
  /** True when other instances may exist (REDIS_URL set). */
  readonly enabled: boolean
  state(): FanoutState
  /** Starts hearing a document's channel. Resolves once subscribed, or at once when Redis is down. */
  join(documentId: string, onMessage: (message: DocumentMessage) => void): Promise<void>
  leave(documentId: string): void
  /** Sends to the other instances; dropped (and counted) when Redis is unreachable. */
  publish(documentId: string, message: DocumentMessage): void
  publishCluster(message: ClusterMessage): void
  onCluster(handler: (message: ClusterMessage) => void): void
  /** Called each time the subscription is (re)established: messages may have been missed. */
  onResync(handler: () => void): void
  close(): Promise<void>
}

/** One instance alone: nothing to tell anyone. */
export class NoFanout implements Fanout {
  readonly enabled = false
  constructor(readonly instanceId: string) {}
  state(): FanoutState {
    return 'off'
  }
  async join(): Promise<void> {}
  leave(): void {}
  publish(): void {}
  publishCluster(): void {}
  onCluster(): void {}
  onResync(): void {}
  async close(): Promise<void> {}
}

// ------------------------------------------------------------ wire format

const FORMAT = 1
const KIND_CODES = {
  update: 1,
  awareness: 2,
  'awareness-query': 3,
  head: 4,
  event: 5,
  access: 6,
} as const

export class FanoutMessageError extends Error {
  override name = 'FanoutMessageError'
}

/** A message as it travels: format, sender's instance id, kind, payload. */
export function encodeFanoutMessage(
  instanceId: string,
  message: DocumentMessage | ClusterMessage,
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, FORMAT)
  encoding.writeVarString(encoder, instanceId)
  encoding.writeVarUint(encoder, KIND_CODES[message.kind])
  switch (message.kind) {
    case 'update':
      encoding.writeVarUint(encoder, message.firstSeq)
      encoding.writeVarUint(encoder, message.lastSeq)
      encoding.writeVarUint(encoder, message.updates.length)
      for (const update of message.updates) encoding.writeVarUint8Array(encoder, update)
      encoding.writeVarString(encoder, JSON.stringify(message.participants))
      break
    case 'awareness':
      encoding.writeVarUint8Array(encoder, message.update)
      break
    case 'head':
      encoding.writeVarUint(encoder, message.seq)
      break
    case 'event':
      encoding.writeVarString(encoder, JSON.stringify(message.event))
      break
    case 'access':
      encoding.writeVarString(
        encoder,
        JSON.stringify({ documentId: message.documentId, participantId: message.participantId }),
      )
      break
    case 'awareness-query':
      break
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes a message; throws FanoutMessageError when it is not one this version understands. */
export function decodeFanoutMessage(bytes: Uint8Array): {
  instanceId: string
  message: DocumentMessage | ClusterMessage
} {
  try {
    const decoder = decoding.createDecoder(bytes)
    if (decoding.readVarUint(decoder) !== FORMAT) throw new FanoutMessageError('unknown format')
    const instanceId = decoding.readVarString(decoder)
    const code = decoding.readVarUint(decoder)
    let message: DocumentMessage | ClusterMessage
    switch (code) {
      case KIND_CODES.update: {
        const firstSeq = decoding.readVarUint(decoder)
        const lastSeq = decoding.readVarUint(decoder)
        const count = decoding.readVarUint(decoder)
        if (lastSeq < firstSeq || count === 0) throw new FanoutMessageError('bad update range')
        const updates: Uint8Array[] = []
        for (let i = 0; i < count; i++) updates.push(decoding.readVarUint8Array(decoder))
        const participants = JSON.parse(decoding.readVarString(decoder))
        if (!Array.isArray(participants) || !participants.every((p) => typeof p === 'string')) {
          throw new FanoutMessageError('bad participants')
        }
        message = { kind: 'update', firstSeq, lastSeq, updates, participants }
        break
      }
      case KIND_CODES.awareness:
        message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) }
        break
      case KIND_CODES['awareness-query']:
        message = { kind: 'awareness-query' }
        break
      case KIND_CODES.head:
        message = { kind: 'head', seq: decoding.readVarUint(decoder) }
        break
      case KIND_CODES.event: {
        const event = JSON.parse(decoding.readVarString(decoder))
        if (!event || typeof event.type !== 'string') throw new FanoutMessageError('bad event')
        message = { kind: 'event', event }
        break
      }
      case KIND_CODES.access: {
        const filter = JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>
        const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
        message = {
          kind: 'access',
          documentId: text(filter.documentId),
          participantId: text(filter.participantId),
        }
        break
      }
      default:
        throw new FanoutMessageError(`unknown kind ${code}`)
    }
    if (decoding.hasContent(decoder)) throw new FanoutMessageError('trailing bytes')
    return { instanceId, message }
  } catch (error) {
    if (error instanceof FanoutMessageError) throw error
    throw new FanoutMessageError((error as Error).message)
  }
}
