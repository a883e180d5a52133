/** The thread list fetched again after typing keeps the objects of unchanged threads. */
import type { ThreadDTO } from '@plenary/shared/threads'
import { describe, expect, it } from 'vitest'
import { keepUnchanged } from '../src/comments/useThreads.ts'

const thread = (id: string, from: number, body = 'A comment.') =>
  ({
    id,
    anchor: { state: 'range', blockId: 'p1', from, to: from + 4 },
    messages: [{ body }],
  }) as unknown as ThreadDTO

describe('a thread list fetched again', () => {
  it('is the same list when nothing changed', () => {
    const before = [thread('a', 1), thread('b', 10)]
    const fetched = [thread('a', 1), thread('b', 10)]
    expect(keepUnchanged(before, fetched)).toBe(before)
  })

  it('keeps unchanged threads and takes the ones whose anchor or messages changed', () => {
    const before = [thread('a', 1), thread('b', 10), thread('c', 20)]
    const fetched = [thread('a', 1), thread('b', 15), thread('c', 20, 'A reply arrived.')]
    const next = keepUnchanged(before, fetched)
    expect(next).not.toBe(before)
    expect(next[0]).toBe(before[0])
    expect(next[1]).toBe(fetched[1])
    expect(next[2]).toBe(fetched[2])
  })

  it('follows a new order, an added and a removed thread', () => {
    const before = [thread('a', 1), thread('b', 10)]
    const reordered = keepUnchanged(before, [thread('b', 10), thread('a', 1)])
    expect(reordered.map((t) => t.id)).toEqual(['b', 'a'])
    expect(reordered[0]).toBe(before[1])
    expect(keepUnchanged(before, [thread('a', 1)]).map((t) => t.id)).toEqual(['a'])
    expect(keepUnchanged(before, [...before, thread('c', 3)]).map((t) => t.id)).toEqual(['a', 'b', 'c'])
    expect(keepUnchanged(null, before)).toBe(before)
  })
})
