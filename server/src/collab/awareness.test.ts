import { seededRandom } from '@plenary/shared/seededRandom'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type AwarenessEntry, applyAwarenessEntries, encodeAwarenessUpdate } from './awareness.ts'

function watched(doc: Y.Doc) {
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(null)
  const events: unknown[] = []
  awareness.on('change', (change: unknown, origin: unknown) => events.push(['change', change, origin]))
  awareness.on('update', (change: unknown, origin: unknown) => events.push(['update', change, origin]))
  return { awareness, events }
}

describe('applyAwarenessEntries', () => {
  it("keeps y-protocols' rules and events over 3,000 random updates: clocks, removals, repeats, several ids in one update", () => {
    const random = seededRandom(7)
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]
    const ours = watched(new Y.Doc())
    const stock = watched(new Y.Doc())
    const clocks = new Map<number, number>()
    for (let step = 0; step < 3_000; step++) {
      const entries: AwarenessEntry[] = []
      for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
        const clientId = pick([11, 12, 13, 14])
        const known = clocks.get(clientId) ?? 0
        // Newer, the same (a repeat or a removal at the same clock) or older (a late echo).
        const clock = Math.max(0, known + pick([1, 1, 1, 0, -1]))
        clocks.set(clientId, Math.max(known, clock))
        const state = pick([
          null,
          { cursor: { anchor: step % 5 }, user: { name: 'A' } },
          { cursor: null, user: { name: 'A' } },
          { cursor: { anchor: 1 }, user: { name: 'B' } },
        ])
        entries.push({ clientId, clock, state: state === null ? null : structuredClone(state) })
      }
      awarenessProtocol.applyAwarenessUpdate(stock.awareness, encodeAwarenessUpdate(entries), 'origin')
      applyAwarenessEntries(ours.awareness, structuredClone(entries), 'origin')
      expect([...ours.awareness.getStates()]).toEqual([...stock.awareness.getStates()])
      // Each has its own local client (no state), left out.
      const clocksOf = ({ awareness }: ReturnType<typeof watched>) =>
        [...awareness.meta].filter(([id]) => id !== awareness.clientID).map(([id, m]) => [id, m.clock])
      expect(clocksOf(ours)).toEqual(clocksOf(stock))
    }
    expect(ours.events).toEqual(stock.events)
    expect(ours.events.length).toBeGreaterThan(1_000)
  })
})
