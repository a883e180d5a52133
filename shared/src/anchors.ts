/**
 * Anchors of comment threads, layered as DESIGN.md says: the block id; a pair of Yjs relative
 * positions for the exact range while its words live; the quote with ~32 characters of context
 * and its offset in the block (W3C TextQuote/TextPosition); the revision it was written against.
 *
 * Resolution, in order: relative positions, accepted only if the text between them still equals
 * the quote; the quote inside the same block; the quote anywhere in the document, scored by
 * context and nearness; else orphaned (shown with its quote, never deleted). The client (live
 * highlights) and the server (API, exports) both call `resolveAnchor`.
 */
import { fromBase64, toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { findYBlock, yBlockText, yTextUnits } from './blocks.ts'
import { paragraphNumbers } from './numbering.ts'
import { YDOC_FIELD } from './schema.ts'

export const ANCHOR_CONTEXT_CHARS = 32

export type StoredAnchor = {
  /** null: a thread on the document as a whole. */
  blockId: string | null
  /** base64 Y.RelativePosition of the first character (null for a whole-paragraph anchor). */
  start: string | null
  /** base64 Y.RelativePosition just after the last character. */
  end: string | null
  quote: string
  prefix: string
  suffix: string
  /** Offset of the quote in its block's text when it was written. */
  offset: number
}

export const AnchorStates = ['exact', 'moved', 'fuzzy', 'paragraph', 'orphaned', 'document'] as const
export type AnchorState = (typeof AnchorStates)[number]

export type ResolvedAnchor = {
  state: AnchorState
  blockId: string | null
  /** Offsets in the block's text, `to` exclusive; null when orphaned or on the document. */
  from: number | null
  to: number | null
  /** The words the thread is on now (the original quote when orphaned). */
  quote: string
}

export class AnchorError extends Error {
  override name = 'AnchorError'
}

// ---------------------------------------------------------------- offsets ↔ Yjs positions

type Segment = { node: Y.XmlText | Y.XmlElement; index: number; start: number; length: number }

/**
 * The block's children as runs of text offsets: Y.XmlText runs and one `\n` per hard break;
 * `index` is the child's index in the block.
 */
function segments(block: Y.XmlElement): Segment[] {
  const out: Segment[] = []
  let at = 0
  block.toArray().forEach((child, index) => {
    if (child instanceof Y.XmlText) {
      out.push({ node: child, index, start: at, length: child.length })
      at += child.length
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      out.push({ node: child, index, start: at, length: 1 })
      at += 1
    }
  })
  return out
}

/**
 * A relative position at a text offset of a block. `assoc` 0 sticks to the character after the
 * offset (a range's start), -1 to the character before it (a range's end), so typing at either
 * edge of a range does not widen it. A hard break is a character too: a position next to one is
 * tied to its element, in the block's list of children.
 */
function relativeAt(block: Y.XmlElement, offset: number, assoc: 0 | -1): Y.RelativePosition {
  for (const segment of segments(block)) {
    const inside =
      assoc === 0
        ? offset >= segment.start && offset < segment.start + segment.length
        : offset > segment.start && offset <= segment.start + segment.length
    if (!inside) continue
    if (segment.node instanceof Y.XmlText) {
      return Y.createRelativePositionFromTypeIndex(segment.node, offset - segment.start, assoc)
    }
    return Y.createRelativePositionFromTypeIndex(block, segment.index + (assoc === 0 ? 0 : 1), assoc)
  }
  // No character on that side (an empty block): the block itself.
  return Y.createRelativePositionFromTypeIndex(block, 0, assoc)
}

/** Where a relative position is now: its block element and the text offset in that block. */
function absoluteOf(doc: Y.Doc, encoded: string): { block: Y.XmlElement; offset: number } | null {
  let relative: Y.RelativePosition
  try {
    relative = Y.decodeRelativePosition(fromBase64(encoded))
  } catch {
    return null
  }
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc)
  if (!absolute) return null
  const type = absolute.type
  if (type instanceof Y.XmlText) {
    const block = type.parent
    if (!(block instanceof Y.XmlElement)) return null
    const run = segments(block).find((s) => s.node === type)
    return run ? { block, offset: run.start + absolute.index } : null
  }
  if (type instanceof Y.XmlElement && (type.nodeName === 'paragraph' || type.nodeName === 'heading')) {
    // A position among the block's children (next to a hard break): the text before that child.
    if (type._item?.deleted) return null
    let offset = 0
    for (const segment of segments(type)) if (segment.index < absolute.index) offset += segment.length
    return { block: type, offset }
  }
  return null
}

// ---------------------------------------------------------------- creating

/** Makes the layered anchor of the range [from, to) of a block's text. */
export function createAnchor(doc: Y.Doc, blockId: string, from: number, to: number): StoredAnchor {
  const block = findYBlock(doc.getXmlFragment(YDOC_FIELD), blockId)
  if (!block || (block.nodeName !== 'paragraph' && block.nodeName !== 'heading')) {
    throw new AnchorError(`no paragraph or heading with id ${blockId}`)
  }
  const text = yBlockText(block)
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > text.length || from > to) {
    throw new AnchorError(`range ${from}–${to} is outside the block (its text has ${text.length} characters)`)
  }
  if (from === to) {
    // A whole-paragraph anchor: no range, the paragraph's text as the quote.
    return { blockId, start: null, end: null, quote: text, prefix: '', suffix: '', offset: 0 }
  }
  return {
    blockId,
    start: toBase64(Y.encodeRelativePosition(relativeAt(block, from, 0))),
    end: toBase64(Y.encodeRelativePosition(relativeAt(block, to, -1))),
    quote: text.slice(from, to),
    prefix: text.slice(Math.max(0, from - ANCHOR_CONTEXT_CHARS), from),
    suffix: text.slice(to, to + ANCHOR_CONTEXT_CHARS),
    offset: from,
  }
}

/** Finds a quote in a block (its first occurrence, as the HTTP API defines it) and anchors it. */
export function createAnchorFromQuote(doc: Y.Doc, blockId: string, quote: string): StoredAnchor {
  const block = findYBlock(doc.getXmlFragment(YDOC_FIELD), blockId)
  if (!block) throw new AnchorError(`no block with id ${blockId}`)
  const at = yBlockText(block).indexOf(quote)
  if (quote.length === 0 || at < 0) throw new AnchorError('the quote is not in that block')
  return createAnchor(doc, blockId, at, at + quote.length)
}

// ---------------------------------------------------------------- resolving

/**
 * Scores an occurrence of the quote by how much of its context survives and how near it is. An
 * empty prefix or suffix means the quote began or ended its block: it is context too, matched
 * when the occurrence begins or ends its block (a short last sentence split off into a paragraph
 * of its own keeps both).
 */
function score(text: string, at: number, anchor: StoredAnchor, nearness: number): number {
  const end = at + anchor.quote.length
  const before = text.slice(Math.max(0, at - anchor.prefix.length), at)
  const after = text.slice(end, end + anchor.suffix.length)
  const prefix = anchor.prefix ? commonSuffix(before, anchor.prefix) / anchor.prefix.length : at === 0 ? 1 : 0
  const suffix = anchor.suffix
    ? commonPrefix(after, anchor.suffix) / anchor.suffix.length
    : end === text.length
      ? 1
      : 0
  return prefix + suffix + nearness
}

const commonPrefix = (a: string, b: string) => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

const commonSuffix = (a: string, b: string) => {
  let i = 0
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++
  return i
}

function occurrences(text: string, quote: string): number[] {
  const out: number[] = []
  if (!quote) return out
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) out.push(at)
  return out
}

/**
 * Every block id's first holder, in document order (the holder `findYBlock` finds). Resolving
 * many anchors (a thread list) with one index walks the document once instead of two or three
 * times per anchor. Valid until the document next changes: build it, resolve, drop it.
 */
export type BlockIndex = Map<string, Y.XmlElement>

export function indexBlocks(doc: Y.Doc): BlockIndex {
  const index: BlockIndex = new Map()
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const id = child.getAttribute('id')
      if (typeof id === 'string' && !index.has(id)) index.set(id, child)
      walk(child)
    }
  }
  walk(doc.getXmlFragment(YDOC_FIELD))
  return index
}

/**
 * Resolves a stored anchor against the document as it is now. `blocks`, when given, must be the
 * index of the document as it is now.
 */
export function resolveAnchor(doc: Y.Doc, anchor: StoredAnchor, blocks?: BlockIndex): ResolvedAnchor {
  const orphaned: ResolvedAnchor = {
    state: 'orphaned',
    blockId: anchor.blockId,
    from: null,
    to: null,
    quote: anchor.quote,
  }
  if (anchor.blockId === null) return { state: 'document', blockId: null, from: null, to: null, quote: '' }
  const fragment = doc.getXmlFragment(YDOC_FIELD)
  const holderOf = (id: string) => (blocks ? (blocks.get(id) ?? null) : findYBlock(fragment, id))
  const home = holderOf(anchor.blockId)

  if (anchor.start === null || anchor.end === null) {
    // A whole-paragraph thread follows its paragraph while it lives.
    if (!home) return orphaned
    return {
      state: 'paragraph',
      blockId: anchor.blockId,
      from: 0,
      to: yBlockText(home).length,
      quote: yBlockText(home),
    }
  }

  // 1. Relative positions, if the words between them are still the quote, in a block that its id
  // names (after concurrent restores two blocks can hold one id until it is repaired; the first
  // holder keeps it, as `findYBlock` and every reader of the document see it).
  const start = absoluteOf(doc, anchor.start)
  const end = absoluteOf(doc, anchor.end)
  if (start && end && start.block === end.block && start.offset < end.offset) {
    const text = yBlockText(start.block)
    const id = start.block.getAttribute('id')
    if (
      text.slice(start.offset, end.offset) === anchor.quote &&
      typeof id === 'string' &&
      holderOf(id) === start.block
    ) {
      return {
        state: id === anchor.blockId ? 'exact' : 'moved',
        blockId: id,
        from: start.offset,
        to: end.offset,
        quote: anchor.quote,
      }
    }
  }

  // 2. The quote in the same block, the occurrence nearest its old place with the best context.
  if (home) {
    const text = yBlockText(home)
    const best = bestOccurrence(text, anchor, (at) => 1 / (1 + Math.abs(at - anchor.offset)))
    if (best !== null) {
      return {
        state: 'moved',
        blockId: anchor.blockId,
        from: best,
        to: best + anchor.quote.length,
        quote: anchor.quote,
      }
    }
  }

  // 3. The quote elsewhere in the document, scored by context (a split paragraph, a moved one).
  let found: { blockId: string; at: number; score: number } | null = null
  for (const [id, block] of blocks ?? textBlocksById(fragment)) {
    if (id === anchor.blockId) continue
    if (block.nodeName !== 'paragraph' && block.nodeName !== 'heading') continue
    const text = yBlockText(block)
    for (const at of occurrences(text, anchor.quote)) {
      const s = score(text, at, anchor, 0)
      if (!found || s > found.score) found = { blockId: id, at, score: s }
    }
  }
  // Words found elsewhere with none of their context are not claimed, however long: the same
  // phrase often recurs in another annex, and a thread that jumps there is worse than one shown
  // as orphaned with its quote.
  if (found && found.score > 0) {
    return {
      state: 'fuzzy',
      blockId: found.blockId,
      from: found.at,
      to: found.at + anchor.quote.length,
      quote: anchor.quote,
    }
  }
  return orphaned
}

/**
 * The paragraphs and headings that their ids name, in document order. A later holder of a
 * duplicated id is not named by it (the first holder keeps it, as in `findYBlock`).
 */
function textBlocksById(fragment: Y.XmlFragment): Map<string, Y.XmlElement> {
  const named = new Map<string, Y.XmlElement>()
  const taken = new Set<string>()
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const id = child.getAttribute('id')
      if (typeof id === 'string' && !taken.has(id)) {
        taken.add(id)
        if (child.nodeName === 'paragraph' || child.nodeName === 'heading') named.set(id, child)
      }
      walk(child)
    }
  }
  walk(fragment)
  return named
}

function bestOccurrence(text: string, anchor: StoredAnchor, nearness: (at: number) => number): number | null {
  let best: { at: number; score: number } | null = null
  for (const at of occurrences(text, anchor.quote)) {
    const s = score(text, at, anchor, nearness(at))
    if (!best || s > best.score) best = { at, score: s }
  }
  return best ? best.at : null
}

/** The paragraph number of a block now (null for unnumbered blocks or none). */
export function blockNumber(doc: Y.Doc, blockId: string | null): string | null {
  if (!blockId) return null
  const units = yTextUnits(doc.getXmlFragment(YDOC_FIELD))
  const numbers = paragraphNumbers(units)
  const index = units.findIndex((u) => u.id === blockId)
  return index >= 0 ? numbers[index] : null
}
