import { describe, expect, it } from 'vitest'
import {
  type ClusterMessage,
  type DocumentMessage,
  decodeFanoutMessage,
  encodeFanoutMessage,
  FanoutMessageError,
} from './fanout.ts'

describe('fan-out messages', () => {
  const messages: (DocumentMessage | ClusterMessage)[] = [
    {
      kind: 'update',
      firstSeq: 41,
      lastSeq: 43,
      updates: [new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array(300).fill(7)],
      participants: ['p1', 'p2'],
    },
    { kind: 'awareness', update: new Uint8Array([1, 0, 0]) },
    { kind: 'awareness-query' },
    { kind: 'head', seq: 2 ** 40 },
    { kind: 'event', event: { type: 'thread.changed', threadId: 't1' } },
    { kind: 'access', participantId: 'p9' },
    { kind: 'access', documentId: 'd1' },
  ]

  it('come back as they were sent, with the sender', () => {
    for (const message of messages) {
      const decoded = decodeFanoutMessage(encodeFanoutMessage('web-2', message))
      expect(decoded.instanceId).toBe('web-2')
      expect(decoded.message).toEqual(message)
    }
  })

  it('that are truncated, padded, of an unknown kind or format, or inconsistent are refused', () => {
    const update = encodeFanoutMessage('a', messages[0])
    const bad = [
      update.slice(0, update.length - 3),
      new Uint8Array([...update, 0]),
      new Uint8Array([2, 1, 97, 1]),
      new Uint8Array([1, 1, 97, 99]),
      encodeFanoutMessage('a', {
        kind: 'update',
        firstSeq: 5,
        lastSeq: 4,
        updates: [new Uint8Array([0])],
        participants: [],
      }),
      encodeFanoutMessage('a', { kind: 'event', event: 'x' as never }),
      new Uint8Array([]),
    ]
    for (const bytes of bad) expect(() => decodeFanoutMessage(bytes)).toThrow(FanoutMessageError)
  })
})
