import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, closeReasons, isFinalClose } from './closeCodes.ts'
import {
  encodeEvent,
  encodeSaved,
  MessageType,
  readEvent,
  readSaved,
  readSavedCount,
  type ServerEvent,
  stateVectorCovers,
} from './protocol.ts'
import { isSafeHref } from './schema.ts'

/** A frame as it arrives: the message type first, then the body. */
function open(frame: Uint8Array): { type: number; decoder: decoding.Decoder } {
  const decoder = decoding.createDecoder(frame)
  return { type: decoding.readVarUint(decoder), decoder }
}

function eventFrame(body: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.event)
  encoding.writeVarString(encoder, body)
  return encoding.toUint8Array(encoder)
}

describe('message types', () => {
  it("keep y-websocket's numbers for sync, awareness, auth and query awareness", () => {
    expect(MessageType.sync).toBe(0)
    expect(MessageType.awareness).toBe(1)
    expect(MessageType.auth).toBe(2)
    expect(MessageType.queryAwareness).toBe(3)
  })

  it("put Plenary's own messages at 100 (saved) and 101 (event)", () => {
    expect(MessageType.saved).toBe(100)
    expect(MessageType.event).toBe(101)
  })

  it('are all distinct', () => {
    const values = Object.values(MessageType)
    expect(new Set(values).size).toBe(values.length)
  })
})

describe('close codes', () => {
  it('are pinned to the numbers in PROTOCOL.md', () => {
    expect(CloseCode).toEqual({
      goingAway: 1001,
      messageTooBig: 1009,
      tryAgainLater: 1013,
      malformed: 4400,
      unauthorized: 4401,
      forbidden: 4403,
      unknownDocument: 4404,
      tooLarge: 4413,
      tooFast: 4429,
      fellBehind: 4503,
    })
  })

  it('are final (the client stops reconnecting) exactly in 4400–4499', () => {
    for (const code of [4400, 4401, 4403, 4404, 4413, 4429, 4499])
      expect(isFinalClose(code), `${code}`).toBe(true)
    for (const code of [1000, 1001, 1006, 1009, 1011, 1013, 4000, 4399, 4500, 4503, 4999])
      expect(isFinalClose(code), `${code}`).toBe(false)
  })

  it('every code has a reason that fits in a close frame (under 123 bytes)', () => {
    for (const code of Object.values(CloseCode)) {
      const reason = closeReasons[code]
      // Printable ASCII, so its length in characters is its length in bytes.
      expect(reason, `${code}`).toMatch(/^[ -~]+$/)
      expect(reason.length, `${code}`).toBeLessThan(123)
    }
  })
})

describe('saved message', () => {
  it('carries a real state vector through encode and read', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'Draft decision')
    doc.getText('t').delete(0, 6)
    const other = new Y.Doc()
    other.getText('t').insert(0, 'Amendment: ')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    const vector = Y.encodeStateVector(doc)

    const { type, decoder } = open(encodeSaved(vector))
    expect(type).toBe(MessageType.saved)
    const read = readSaved(decoder)
    expect(Array.from(read)).toEqual(Array.from(vector))
    const decoded = Y.decodeStateVector(read)
    expect(decoded).toEqual(Y.decodeStateVector(vector))
    expect(decoded.get(doc.clientID)).toBe(14)
    expect(decoded.get(other.clientID)).toBe(11)
    expect(decoding.hasContent(decoder)).toBe(false)
  })

  it("carries the count of the socket's stored messages after the state vector, and reads none as null", () => {
    const vector = Y.encodeStateVector(new Y.Doc())
    const counted = open(encodeSaved(vector, 300))
    expect(Array.from(readSaved(counted.decoder))).toEqual(Array.from(vector))
    expect(readSavedCount(counted.decoder)).toBe(300)
    const bare = open(encodeSaved(vector))
    readSaved(bare.decoder)
    expect(readSavedCount(bare.decoder)).toBeNull()
  })
})

describe('event message', () => {
  const events: ServerEvent[] = [
    { type: 'hello', protocol: 1, participantId: 'p123', canEdit: true },
    { type: 'document.updated', title: 'Draft workplan – “rev. 2”', penHolders: ['a', 'b'] },
    { type: 'access.changed', canEdit: false },
    { type: 'document.size', bytes: 5_000_000, warnBytes: 4_194_304, maxBytes: 8_388_608 },
    { type: 'keepalive' },
  ]

  it.each(events.map((event) => [event.type, event]))('round-trips %s', (_type, event) => {
    const { type, decoder } = open(encodeEvent(event))
    expect(type).toBe(MessageType.event)
    expect(readEvent(decoder)).toEqual(event)
  })

  it.each([
    ['malformed JSON', '{"type":"hello",'],
    ['a JSON string', '"hello"'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an array', '[{"type":"hello"}]'],
    ['an object without a type', '{"canEdit":true}'],
    ['an object whose type is not a string', '{"type":7}'],
  ])('reads %s as null', (_label, body) => {
    const { decoder } = open(eventFrame(body))
    expect(readEvent(decoder)).toBeNull()
  })

  it('reads a truncated frame as null instead of throwing', () => {
    const frame = encodeEvent({ type: 'keepalive' })
    const { decoder } = open(frame.subarray(0, 3))
    expect(readEvent(decoder)).toBeNull()
  })

  it('passes an event type it does not know through, for the client to ignore', () => {
    const { decoder } = open(eventFrame('{"type":"thread.created","threadId":"t1"}'))
    expect(readEvent(decoder)).toEqual({ type: 'thread.created', threadId: 't1' })
  })
})

describe('stateVectorCovers', () => {
  it('tells a client whether its own edits are stored', () => {
    const client = new Y.Doc()
    const server = new Y.Doc()
    client.getText('t').insert(0, 'abc')
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    client.getText('t').insert(3, 'def')
    const stored = Y.decodeStateVector(Y.encodeStateVector(server))
    const mine = Y.decodeStateVector(Y.encodeStateVector(client)).get(client.clientID) ?? 0

    expect(mine).toBe(6)
    expect(stateVectorCovers(stored, client.clientID, 3)).toBe(true)
    expect(stateVectorCovers(stored, client.clientID, mine)).toBe(false)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    const storedLater = Y.decodeStateVector(Y.encodeStateVector(server))
    expect(stateVectorCovers(storedLater, client.clientID, mine)).toBe(true)
  })

  it('a client that has written nothing is always covered, even by an empty vector', () => {
    expect(stateVectorCovers(new Map(), 42, 0)).toBe(true)
  })

  it('a client missing from the stored vector is not covered', () => {
    expect(stateVectorCovers(new Map([[1, 10]]), 2, 1)).toBe(false)
  })
})

describe('isSafeHref', () => {
  it.each([
    'https://example.org',
    'http://example.org/path?q=1#frag',
    'HTTPS://EXAMPLE.ORG',
    'mailto:secretariat@example.org',
    'MailTo:someone@example.org',
    ' https://example.org/pasted-with-spaces ',
  ])('accepts %j', (href) => {
    expect(isSafeHref(href)).toBe(true)
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    '\njavascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.org',
    '/relative/path',
    'relative/path',
    '/redirect?to=https://example.org',
    'https//example.org',
    '//evil.example.org',
    '#top',
    '',
  ])('refuses %j', (href) => {
    expect(isSafeHref(href)).toBe(false)
  })

  it('refuses values that are not strings and absurdly long links', () => {
    for (const value of [null, undefined, 42, {}, ['https://example.org']])
      expect(isSafeHref(value)).toBe(false)
    expect(isSafeHref(`https://example.org/${'a'.repeat(3000)}`)).toBe(false)
  })
})
