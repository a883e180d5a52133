import type { ThreadDTO } from '@plenary/shared/threads'
import { memo, useMemo } from 'react'
import { strings } from '../strings.ts'
import type { BlockPlace } from './blockPlaces.ts'
import { blockLabel } from './placeLabel.ts'

type ParagraphCountsProps = {
  threads: readonly ThreadDTO[]
  places: Map<string, BlockPlace>
  registerBubble: (blockId: string) => (element: HTMLElement | null) => void
  onOpen: (threadId: string) => void
}

/**
 * A speech bubble with the number of threads beside each commented paragraph, in the left
 * margin of the page (outside the text, so never part of it); it opens the first thread.
 */
export const ParagraphCounts = memo(function ParagraphCounts({
  threads,
  places,
  registerBubble,
  onOpen,
}: ParagraphCountsProps) {
  const counts = useMemo(() => {
    const byBlock = new Map<string, { count: number; first: string }>()
    for (const thread of threads) {
      const blockId = thread.anchor.blockId
      if (!blockId || thread.status === 'withdrawn' || thread.anchor.state === 'orphaned') continue
      const entry = byBlock.get(blockId)
      if (entry) entry.count += 1
      else byBlock.set(blockId, { count: 1, first: thread.id })
    }
    return byBlock
  }, [threads])

  return (
    <div className="paragraph-counts">
      {[...counts].map(([blockId, { count, first }]) => {
        const place = places.get(blockId)
        const label = strings.comments.paragraphCount(count, place ? blockLabel(place) : '')
        return (
          <button
            key={blockId}
            ref={registerBubble(blockId)}
            type="button"
            className="paragraph-count"
            data-block-id={blockId}
            aria-label={label}
            title={label}
            onClick={() => onOpen(first)}
          >
            <svg
              className="paragraph-count__icon"
              viewBox="0 0 16 16"
              width="14"
              height="14"
              aria-hidden="true"
            >
              <path
                d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z"
                fill="currentColor"
                stroke="currentColor"
                strokeWidth="1.2"
                strokeLinejoin="round"
              />
            </svg>
            <span className="paragraph-count__n">{count}</span>
          </button>
        )
      })}
    </div>
  )
})
