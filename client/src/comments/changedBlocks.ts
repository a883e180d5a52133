import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** A change of the document confined to one top-level block (a paragraph, a heading, a list). */
export type ChangeWithin = {
  /** Ids of the textblocks in that block, before and after the change. */
  blockIds: Set<string>
  /** The block's index among the document's top-level blocks. */
  index: number
}

/**
 * Where a change of the document happened, for the margin: inside one top-level block, or (null)
 * anywhere else: blocks added, removed or moved, or several changed. ProseMirror keeps every node
 * a change did not touch (the same object), and so does the shared document's binding for others'
 * changes, so the blocks left alone are found by identity, without comparing their content.
 *
 * Only cards on words in that block can move without the block's height changing; anything else
 * has to be laid out again.
 */
export function changedWithin(before: ProseMirrorNode, after: ProseMirrorNode): ChangeWithin | null {
  if (before.childCount !== after.childCount) return null
  let index = -1
  for (let i = 0; i < after.childCount; i++) {
    if (before.child(i) === after.child(i)) continue
    if (index >= 0) return null
    index = i
  }
  // The same blocks (a change of the document's own attributes): nothing in the text moved.
  if (index < 0) return { blockIds: new Set(), index: -1 }
  const blockIds = new Set<string>()
  for (const block of [before.child(index), after.child(index)]) {
    const add = (node: ProseMirrorNode) => {
      if (node.isTextblock && typeof node.attrs.id === 'string' && node.attrs.id) blockIds.add(node.attrs.id)
    }
    add(block)
    block.descendants((node) => {
      add(node)
      return !node.isTextblock
    })
  }
  return { blockIds, index }
}
