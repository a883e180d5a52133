import type { DiffOp } from '@plenary/shared/diff'
import { memo } from 'react'
import { strings } from '../strings.ts'
import { DiffThreads, type ThreadInfo } from './DiffThreads.tsx'
import { citedNumber, isRenumbered } from './redline.ts'
import type { ComparedBlock } from './revisionsApi.ts'

const t = strings.revisions.compare

/** Word operations: insertions underlined, deletions struck through, both always in view. */
function Ops({ ops }: { ops: DiffOp[] }) {
  return ops.map((op, i) => {
    const key = `${i}`
    if (op.op === 'equal') return <span key={key}>{op.text}</span>
    // Screen readers do not announce <ins>/<del>: the words say it, hidden from sight.
    return op.op === 'insert' ? (
      <span key={key}>
        <span className="visually-hidden">{t.insertedStart}</span>
        <ins>{op.text}</ins>
        <span className="visually-hidden">{t.markEnd}</span>
      </span>
    ) : (
      <span key={key}>
        <span className="visually-hidden">{t.deletedStart}</span>
        <del>{op.text}</del>
        <span className="visually-hidden">{t.markEnd}</span>
      </span>
    )
  })
}

/** "C12 → C11", "C12", or what the block is when it has no number ("List item"). */
function Numbers({ block }: { block: ComparedBlock }) {
  const { fromNumber: from, toNumber: to } = block
  const bothSides = block.fromText !== null && block.toText !== null
  if (bothSides && from !== to && (from !== null || to !== null)) {
    return <span className="diff-block__number">{t.numberChange(from ?? '—', to ?? '—')}</span>
  }
  const number = to ?? from
  if (number !== null) return <span className="diff-block__number">{number}</span>
  // Headings and unnumbered paragraphs speak for themselves; list items and cells say what they are.
  const what = t.types[block.type]
  return what ? <span className="diff-block__type">{what}</span> : null
}

type DiffBlockProps = {
  block: ComparedBlock
  /** Position among the changes, or null for an unchanged block. */
  change: number | null
  current: boolean
  lookup: (threadId: string) => ThreadInfo
  onOpenThread: (threadId: string) => void
}

/** One block of the redline, in place, with its numbers on both sides and the threads on it. */
export const DiffBlock = memo(function DiffBlock({
  block,
  change,
  current,
  lookup,
  onOpenThread,
}: DiffBlockProps) {
  const renumbered = isRenumbered(block)
  const number = citedNumber(block)
  const empty = block.ops.length === 0
  return (
    <div
      className={`diff-block diff-block--${block.change}${current ? ' diff-block--current' : ''}`}
      data-testid="diff-block"
      data-change={block.change}
      data-block-id={block.blockId ?? undefined}
      data-change-index={change ?? undefined}
      aria-current={current || undefined}
    >
      <div className="diff-block__gutter">
        <Numbers block={block} />
        {block.change !== 'unchanged' && (
          <span className={`diff-tag diff-tag--${block.change}`}>{t.changes[block.change]}</span>
        )}
        {renumbered && <span className="diff-tag diff-tag--renumbered">{t.renumbered}</span>}
      </div>
      <div className="diff-block__body">
        <div className={`diff-block__text diff-block__text--${block.type}`}>
          {empty ? <span className="diff-block__empty">{t.emptyBlock}</span> : <Ops ops={block.ops} />}
        </div>
        {block.threadIds.length > 0 && (
          <DiffThreads
            threadIds={block.threadIds}
            place={number ? t.place(number) : t.placeBlock}
            lookup={lookup}
            onOpenThread={onOpenThread}
          />
        )}
      </div>
    </div>
  )
})
