import type { ThreadDTO } from '@plenary/shared/threads'
import type { BlockPlace } from './blockPlaces.ts'

/** Threads in the order of their words in the text (those not found last, newest first). */
export function sortByPosition(threads: readonly ThreadDTO[], order: readonly BlockPlace[]): ThreadDTO[] {
  const index = new Map(order.map((place, i) => [place.id, i]))
  const rank = (thread: ThreadDTO) => {
    const at = thread.anchor.blockId ? index.get(thread.anchor.blockId) : undefined
    return at === undefined ? Number.MAX_SAFE_INTEGER : at
  }
  return [...threads].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.anchor.from ?? 0) - (b.anchor.from ?? 0) ||
      a.createdAt.localeCompare(b.createdAt),
  )
}
