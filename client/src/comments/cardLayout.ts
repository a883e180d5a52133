/**
 * Cards in the margin, Google Docs style: each wants to sit level with its words; where they would
 * overlap, they stack. The active card sits exactly level with its words when there is room above
 * it, the cards before it move up and the cards after it move down.
 */
export type CardBox = { key: string; desired: number; height: number }

export function stackCards(
  cards: readonly CardBox[],
  options: { activeKey: string | null; minTop: number; gap: number },
): Map<string, number> {
  const { activeKey, minTop, gap } = options
  const sorted = [...cards].sort((a, b) => a.desired - b.desired)
  const tops = new Array<number>(sorted.length)
  const active = activeKey === null ? -1 : sorted.findIndex((card) => card.key === activeKey)

  if (active < 0) {
    let next = minTop
    sorted.forEach((card, i) => {
      tops[i] = Math.max(card.desired, next)
      next = tops[i] + card.height + gap
    })
  } else {
    // The lowest each card may sit: room for every card before it, under minTop.
    const floor: number[] = []
    let needed = minTop
    for (let i = 0; i <= active; i++) {
      floor.push(needed)
      needed += sorted[i].height + gap
    }
    tops[active] = Math.max(sorted[active].desired, floor[active])
    for (let i = active - 1; i >= 0; i--) {
      tops[i] = Math.max(floor[i], Math.min(sorted[i].desired, tops[i + 1] - gap - sorted[i].height))
    }
    for (let i = active + 1; i < sorted.length; i++) {
      tops[i] = Math.max(sorted[i].desired, tops[i - 1] + sorted[i - 1].height + gap)
    }
  }
  return new Map(sorted.map((card, i) => [card.key, Math.round(tops[i])]))
}
