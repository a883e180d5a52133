/**
 * How positions moved in a transaction, for plugins that keep decorations across edits.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
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
  const diff = documentDiff(tr.before, tr.doc)
  return diff ? diffMapping(diff) : new Mapping()
}

/** Where two documents differ: from `start` to `endA` in the old one, to `endB` in the new one. */
export type DocumentDiff = { start: number; endA: number; endB: number }

/** Where `before` and `after` differ, or null when they are the same. */
export function documentDiff(before: ProseMirrorNode, after: ProseMirrorNode): DocumentDiff | null {
  const start = before.content.findDiffStart(after.content)
  if (start === null) return null
  const end = before.content.findDiffEnd(after.content) ?? { a: before.content.size, b: after.content.size }
  let { a: endA, b: endB } = end
  // Repeated content can make the two ends cross; move them back past the start.
  const overlap = start - Math.min(endA, endB)
  if (overlap > 0) {
    endA += overlap
    endB += overlap
  }
  return { start, endA, endB }
}

/** The mapping of one replacement of the stretch where two documents differ. */
export function diffMapping({ start, endA, endB }: DocumentDiff): Mapping {
  return new Mapping([new StepMap([start, endA - start, endB - start])])
}
