/**
 * Text offsets inside a ProseMirror textblock ↔ document positions. The offsets are those of the
 * shared block text (`yBlockText` in blocks.ts): text nodes count their UTF-16 length, a hard
 * break counts one `\n`, any other inline leaf counts nothing. The editor uses this to turn a
 * selection into an anchor `{blockId, from, to}` for the HTTP API, and a thread's resolved anchor
 * back into positions for its highlight.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'

/** How many offsets an inline node takes in the block's text. */
function inlineLength(node: ProseMirrorNode): number {
  if (node.isText) return node.text?.length ?? 0
  return node.type.name === 'hardBreak' ? 1 : 0
}

/** The plain text of a textblock, as the server computes it from the shared document. */
export function textblockText(block: ProseMirrorNode): string {
  let text = ''
  block.forEach((child) => {
    if (child.isText) text += child.text ?? ''
    else if (child.type.name === 'hardBreak') text += '\n'
  })
  return text
}

/**
 * The text offset of a position inside a textblock. `blockPos` is the position just before the
 * block; positions outside its content are clamped to its start or end.
 */
export function positionToOffset(block: ProseMirrorNode, blockPos: number, pos: number): number {
  const start = blockPos + 1
  const target = Math.max(start, Math.min(pos, start + block.content.size))
  let offset = 0
  let at = start
  for (let i = 0; i < block.childCount && at < target; i++) {
    const child = block.child(i)
    const size = child.nodeSize
    if (at + size <= target) {
      offset += inlineLength(child)
    } else if (child.isText) {
      offset += target - at
    }
    at += size
  }
  return offset
}

/** The document position of a text offset of a textblock (clamped to the block's text). */
export function offsetToPosition(block: ProseMirrorNode, blockPos: number, offset: number): number {
  let remaining = Math.max(0, offset)
  let at = blockPos + 1
  for (let i = 0; i < block.childCount; i++) {
    const child = block.child(i)
    const length = inlineLength(child)
    if (remaining < length) return at + (child.isText ? remaining : 0)
    remaining -= length
    at += child.nodeSize
  }
  return at
}

export type FoundTextblock = { node: ProseMirrorNode; pos: number }

/** The textblock (paragraph or heading) with this `id` attribute, wherever it sits. */
export function findTextblock(doc: ProseMirrorNode, blockId: string): FoundTextblock | null {
  let found: FoundTextblock | null = null
  doc.descendants((node, pos) => {
    if (found) return false
    if (node.isTextblock) {
      if (node.attrs.id === blockId) found = { node, pos }
      return false
    }
    return true
  })
  return found
}

/** Every textblock with an id, by id (the first one wins, as the server's lookup does). */
export function textblockPositions(doc: ProseMirrorNode): Map<string, FoundTextblock> {
  const out = new Map<string, FoundTextblock>()
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      const id = node.attrs.id
      if (typeof id === 'string' && id && !out.has(id)) out.set(id, { node, pos })
      return false
    }
    return true
  })
  return out
}

export type SelectionAnchor = {
  blockId: string
  /** Offsets in the block's text, `to` exclusive; equal when the whole paragraph is meant. */
  from: number
  to: number
  /** The selected words ('' for a whole paragraph). */
  quote: string
}

/**
 * The anchor of a selection for `POST /api/documents/:id/threads`: the textblock holding the
 * selection's start and the offsets of the selected words in its text. A selection that runs into
 * later blocks is clamped to the end of the first one; a selection that starts between blocks (a
 * node or cell selection) takes the first textblock inside it. An empty selection, or one holding
 * no words of the block, anchors the whole paragraph (`from === to`). Null when no textblock with
 * an id is there.
 */
export function selectionToAnchor(doc: ProseMirrorNode, from: number, to: number): SelectionAnchor | null {
  const lo = Math.max(0, Math.min(from, to))
  const hi = Math.min(doc.content.size, Math.max(from, to))
  let block: FoundTextblock | null = null
  const $from = doc.resolve(lo)
  if ($from.parent.isTextblock) {
    block = { node: $from.parent, pos: $from.before() }
  } else {
    doc.nodesBetween(lo, Math.max(hi, lo + 1), (node, pos) => {
      if (block) return false
      if (node.isTextblock) {
        block = { node, pos }
        return false
      }
      return true
    })
  }
  if (!block) return null
  const { node, pos } = block as FoundTextblock
  const id = node.attrs.id
  if (typeof id !== 'string' || !id) return null
  const start = positionToOffset(node, pos, lo)
  const end = positionToOffset(node, pos, hi)
  const text = textblockText(node)
  const quote = text.slice(start, end)
  // Only line breaks or spaces selected: the paragraph as a whole is meant.
  if (end <= start || quote.trim() === '') return { blockId: id, from: 0, to: 0, quote: '' }
  return { blockId: id, from: start, to: end, quote }
}

/**
 * Where a resolved anchor's words are now in this document: the offsets are checked against the
 * quote (the server resolved them against its copy, which may be a few edits behind or ahead); if
 * the words moved, the occurrence of the quote in the block nearest the old offset is taken.
 */
export function anchorToPositions(
  doc: ProseMirrorNode,
  anchor: { blockId: string; from: number; to: number; quote: string },
  blocks?: Map<string, FoundTextblock>,
): { from: number; to: number } | null {
  const found = blocks ? (blocks.get(anchor.blockId) ?? null) : findTextblock(doc, anchor.blockId)
  if (!found) return null
  const { node, pos } = found
  const text = textblockText(node)
  let from = anchor.from
  let to = anchor.to
  if (anchor.quote && text.slice(from, to) !== anchor.quote) {
    let best = -1
    for (let at = text.indexOf(anchor.quote); at >= 0; at = text.indexOf(anchor.quote, at + 1)) {
      if (best < 0 || Math.abs(at - anchor.from) < Math.abs(best - anchor.from)) best = at
    }
    if (best < 0) return null
    from = best
    to = best + anchor.quote.length
  }
  from = Math.max(0, Math.min(from, text.length))
  to = Math.max(from, Math.min(to, text.length))
  if (to === from) return null
  return { from: offsetToPosition(node, pos, from), to: offsetToPosition(node, pos, to) }
}
