/**
 * Awareness as the server lets it through: identity comes from the authenticated participant,
 * each socket speaks only for the client ids it introduced, and states are size- and
 * depth-limited.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { equalityDeep } from 'lib0/function'
import type { Awareness } from 'y-protocols/awareness'

export type AwarenessEntry = { clientId: number; clock: number; state: Record<string, unknown> | null }

export class AwarenessRejected extends Error {
  override name = 'AwarenessRejected'
}

const MAX_DEPTH = 6

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_DEPTH) return depth
  if (!value || typeof value !== 'object') return depth
  let max = depth
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1))
  return max
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Room for the identity the server writes into every state (`user`: id, name and organisation of
 * up to 200 characters each, kind, role, colour), counted in UTF-8 bytes. States relayed by the
 * server carry it, so a state another client echoes back (y-websocket clients resend every change
 * they hear) or another instance publishes may be this much over the client's own limit.
 */
export const IDENTITY_HEADROOM_BYTES = 2_048

/**
 * Decodes a y-protocols awareness update; throws AwarenessRejected when it breaks a limit.
 *
 * `maxStateBytes` bounds each state's JSON in UTF-8 bytes. Entries for which `skip(clientId)` is
 * true (ids another socket speaks for: the server ignores them) are checked like any other, with
 * room for the identity the server added (so that a client echoing someone else's state is never
 * closed for it), and left out of the result.
 */
export function decodeAwarenessUpdate(
  update: Uint8Array,
  maxStateBytes: number,
  skip: (clientId: number) => boolean = () => false,
): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > 64) throw new AwarenessRejected('too many awareness states in one message')
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const bytes = decoding.readVarUint8Array(decoder)
    const foreign = skip(clientId)
    const limit = foreign ? maxStateBytes + IDENTITY_HEADROOM_BYTES : maxStateBytes
    if (bytes.byteLength > limit) throw new AwarenessRejected('awareness state too large')
    let json: string
    try {
      json = utf8.decode(bytes)
    } catch {
      throw new AwarenessRejected('awareness state is not valid UTF-8')
    }
    const state = JSON.parse(json) as unknown
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new AwarenessRejected('awareness state must be an object or null')
    }
    if (depthOf(state) > MAX_DEPTH) throw new AwarenessRejected('awareness state nested too deeply')
    if (foreign) continue
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null })
  }
  if (decoding.hasContent(decoder)) throw new AwarenessRejected('trailing bytes after awareness update')
  return entries
}

/** Entries as a y-protocols awareness update (what `decodeAwarenessUpdate` reads). */
export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/**
 * y-protocols' `applyAwarenessUpdate` for entries already decoded and checked, with the same
 * rules and events: the stock function wants them encoded, and decoded each state's JSON again.
 * Every caret move paid a JSON.stringify and a JSON.parse more than it needed (a tenth of the
 * server's time on many small documents was awareness).
 */
export function applyAwarenessEntries(
  awareness: Awareness,
  entries: AwarenessEntry[],
  origin: unknown,
): void {
  const timestamp = Date.now()
  const added: number[] = []
  const updated: number[] = []
  const filteredUpdated: number[] = []
  const removed: number[] = []
  for (const entry of entries) {
    const { clientId, state } = entry
    let clock = entry.clock
    const meta = awareness.meta.get(clientId)
    const previous = awareness.states.get(clientId)
    const current = meta === undefined ? 0 : meta.clock
    if (!(current < clock || (current === clock && state === null && awareness.states.has(clientId))))
      continue
    if (state === null) {
      // Never let a remote client remove this side's own state (as y-protocols).
      if (clientId === awareness.clientID && awareness.getLocalState() != null) clock += 1
      else awareness.states.delete(clientId)
    } else awareness.states.set(clientId, state)
    awareness.meta.set(clientId, { clock, lastUpdated: timestamp })
    if (meta === undefined && state !== null) added.push(clientId)
    else if (meta !== undefined && state === null) removed.push(clientId)
    else if (state !== null) {
      if (!equalityDeep(state, previous)) filteredUpdated.push(clientId)
      updated.push(clientId)
    }
  }
  if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0) {
    awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin])
  }
  if (added.length > 0 || updated.length > 0 || removed.length > 0) {
    awareness.emit('update', [{ added, updated, removed }, origin])
  }
}
