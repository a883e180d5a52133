/**
 * How positions moved in a transaction, for plugins that keep decorations across edits.
 */
import type { Transaction } from '@tiptap/pm/state'
import { Mapping, StepMap } from '@tiptap/pm/transform'
import { ySyncPluginKey } from '@tiptap/y-tiptap'

/**
 * A change from another person arrives from y-tiptap as one step replacing the whole document,
 * which would collapse every position inside it: for those, the mapping is rebuilt from where the
 * old and new documents actually differ. Any other transaction maps through its own steps.
 */
export function changeMapping(tr: Transaction): Mapping {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  if (!meta?.isChangeOrigin) return tr.mapping
  const before = tr.before.content
  const after = tr.doc.content
  const start = before.findDiffStart(after)
  if (start === null) return new Mapping()
  const end = before.findDiffEnd(after)
  if (!end) return new Mapping()
  let { a: endA, b: endB } = end
  // Repeated content can make the two ends cross; move them back past the start.
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  return new Mapping([new StepMap([start, endA - start, endB - start])])
}
