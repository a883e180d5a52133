import { describe, expect, it } from 'vitest'
import { COMMIT_SLICE_BYTES, commitSliceLength } from './Room.ts'

const write = (bytes: number, relayToAuthor = false) => ({ update: new Uint8Array(bytes), relayToAuthor })

describe('commit slices (a burst of pastes is committed and relayed in pieces)', () => {
  it('takes every queued write when they fit in one slice', () => {
    expect(commitSliceLength([write(100), write(2_000), write(30)])).toBe(3)
    expect(commitSliceLength([])).toBe(0)
  })

  it('stops at the slice size: 200 pastes of 2 KB go in slices of 32', () => {
    const burst = Array.from({ length: 200 }, () => write(2_048))
    expect(commitSliceLength(burst)).toBe(Math.floor(COMMIT_SLICE_BYTES / 2_048))
    // What is left is taken by the next slices, none empty, all of it in the end.
    let left = burst.length
    let slices = 0
    while (left > 0) {
      const taken = commitSliceLength(burst.slice(burst.length - left))
      expect(taken).toBeGreaterThan(0)
      left -= taken
      slices += 1
    }
    expect(slices).toBe(Math.ceil((200 * 2_048) / COMMIT_SLICE_BYTES))
  })

  it('takes one write larger than a slice alone, rather than never', () => {
    expect(commitSliceLength([write(COMMIT_SLICE_BYTES * 3), write(10)])).toBe(1)
  })

  it('keeps a tidy-up and the update restoring its formatting in the same commit', () => {
    const full = write(COMMIT_SLICE_BYTES - 10)
    expect(commitSliceLength([full, write(500), write(500, true)])).toBe(1)
    expect(commitSliceLength([full, write(500, true), write(500)])).toBe(2)
  })
})
