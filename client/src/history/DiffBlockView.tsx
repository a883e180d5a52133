import type { BlockDiff } from '@plenary/shared/diff'
import { strings } from '../strings.ts'

const t = strings.history

/** One paragraph of the redline: numbers of both sides, insertions and deletions word by word. */
export function DiffBlockView({
  block,
  current,
}: {
  block: BlockDiff & { threadIds: string[] }
  current: boolean
}) {
  const numbers =
    block.fromNumber && block.toNumber && block.fromNumber !== block.toNumber
      ? `${block.fromNumber} → ${block.toNumber}`
      : (block.toNumber ?? block.fromNumber ?? '')
  return (
    <div
      className={`diff-block diff-block--${block.change}${current ? ' diff-block--current' : ''}`}
      data-testid="diff-block"
      data-change={block.change}
      tabIndex={-1}
    >
      <div className="diff-block__number" aria-hidden={numbers ? undefined : true}>
        {numbers}
      </div>
      <div className="diff-block__body">
        <span className="diff-block__tag">{t.changeLabels[block.change]}</span>
        <p className="diff-block__text">
          {block.change === 'removed' ? (
            <del>{block.fromText}</del>
          ) : block.change === 'added' ? (
            <ins>{block.toText}</ins>
          ) : (
            block.ops.map((op, index) =>
              op.op === 'insert' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: ops are a fixed sequence
                <ins key={index}>{op.text}</ins>
              ) : op.op === 'delete' ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: ops are a fixed sequence
                <del key={index}>{op.text}</del>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: ops are a fixed sequence
                <span key={index}>{op.text}</span>
              ),
            )
          )}
        </p>
        {block.threadIds.length > 0 && (
          <p className="diff-block__threads">{t.commentsOnBlock(block.threadIds.length)}</p>
        )}
      </div>
    </div>
  )
}
