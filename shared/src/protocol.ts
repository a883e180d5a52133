/**
 * The wire protocol at `/collab/:documentId`: y-websocket's messages (0 sync, 1 awareness,
 * 2 auth, 3 query awareness) plus Plenary's own from 100 up. Written down in ../PROTOCOL.md.
 * Every frame starts with a varUint message type.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export const PROTOCOL_VERSION = 1

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client: the state vector that is durably stored. */
  saved: 100,
  /** Server → client: a JSON notification about the document. */
  event: 101,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Notifications carried by the `event` message; `type` discriminates. */
export type ServerEvent =
  | { type: 'hello'; protocol: number; participantId: string; canEdit: boolean }
  | { type: 'document.updated'; title: string; penHolders: string[] }
  | { type: 'access.changed'; canEdit: boolean }
  | { type: 'document.size'; bytes: number; warnBytes: number; maxBytes: number }
  | { type: 'keepalive' }
  /** A thread was created, answered, disposed of, acknowledged or re-anchored: fetch it again. */
  | { type: 'thread.changed'; threadId: string }
  | { type: 'communication.changed'; communicationId: string }
  /** A revision was published, or the text was restored from one. */
  | { type: 'revision.published'; revisionId: string; label: string }
  | { type: 'revision.restored'; revisionId: string; label: string; by: string }

/**
 * A `saved` message: the stored state vector and, for the socket it is sent to, how many of the
 * sync step 2 and update messages it sent on this connection are stored (or needed no storing).
 * The count tells a writer that a deletion is stored: a deletion adds nothing to a state vector.
 */
export function encodeSaved(stateVector: Uint8Array, storedMessages?: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.saved)
  encoding.writeVarUint8Array(encoder, stateVector)
  if (storedMessages !== undefined) encoding.writeVarUint(encoder, storedMessages)
  return encoding.toUint8Array(encoder)
}

export function encodeEvent(event: ServerEvent): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.event)
  encoding.writeVarString(encoder, JSON.stringify(event))
  return encoding.toUint8Array(encoder)
}

/** Reads the body of a `saved` message (after its type): the stored state vector. */
export function readSaved(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder)
}

/**
 * Reads the count of this socket's stored messages that follows the state vector (call after
 * `readSaved`); null when the message has none (a server from before the count).
 */
export function readSavedCount(decoder: decoding.Decoder): number | null {
  return decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : null
}

/** Reads the body of an `event` message (after its type); null when it is not an event object. */
export function readEvent(decoder: decoding.Decoder): ServerEvent | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as unknown
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerEvent
    }
  } catch {
    // A malformed event is ignored: the client keeps working on the text.
  }
  return null
}

/**
 * Decodes a state vector (as `Y.decodeStateVector` does) and says whether every edit of
 * `clientId` up to `clock` is in it: how a client knows its own edits are saved.
 */
export function stateVectorCovers(stored: Map<number, number>, clientId: number, clock: number): boolean {
  return clock === 0 || (stored.get(clientId) ?? 0) >= clock
}
