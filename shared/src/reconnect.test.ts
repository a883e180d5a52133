import { describe, expect, it } from 'vitest'
import { RECONNECT_MAX_MS, reconnectDelayMs } from './reconnect.ts'

describe('reconnectDelayMs', () => {
  it('doubles from 200 ms to a 2 s cap, never waiting less than half of the step', () => {
    const longest = (attempt: number) => reconnectDelayMs(attempt, () => 0)
    const shortest = (attempt: number) => reconnectDelayMs(attempt, () => 1)
    expect([1, 2, 3, 4, 5, 9, 40].map(longest)).toEqual([200, 400, 800, 1600, 2000, 2000, 2000])
    expect([1, 2, 3, 4, 5, 40].map(shortest)).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(longest(0)).toBe(200)
  })

  it('spreads clients dropped together over the whole window', () => {
    const waits = Array.from({ length: 1000 }, () => reconnectDelayMs(6))
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(RECONNECT_MAX_MS / 2)
    expect(Math.max(...waits)).toBeLessThanOrEqual(RECONNECT_MAX_MS)
    // Not one wave: the waits fall in every tenth of the window.
    const tenths = new Set(waits.map((w) => Math.min(9, Math.floor(((w - 1000) / 1000) * 10))))
    expect(tenths.size).toBe(10)
  })
})
