/**
 * Comment anchors against the shared Y.Doc as TipTap/y-prosemirror lays it out: a fragment of
 * paragraph elements (with an `id`), each holding Y.XmlText runs (marks as formatting attributes)
 * and `hardBreak` elements. The edits below copy what y-prosemirror writes for an editor's
 * transaction: typing goes into the run that holds the caret, a split deletes the tail from the
 * old paragraph and writes it anew into a new one, a join writes the second paragraph's words anew
 * into the first and deletes the second.
 *
 * The promise under test: concurrent edits by several clients never resolve a thread to wrong
 * text; it is on the surviving anchored words, or on the same words found again through its
 * quote, or orphaned with its original quote.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ANCHOR_CONTEXT_CHARS,
  AnchorError,
  type AnchorState,
  blockNumber,
  createAnchor,
  createAnchorFromQuote,
  indexBlocks,
  type ResolvedAnchor,
  resolveAnchor,
  type StoredAnchor,
} from './anchors.ts'
import { findYBlock, type JSONNode, yBlockText } from './blocks.ts'
import { contentToYDoc, elementsNeedingIds, normalizeContent, yDocToContent } from './content.ts'
import { YDOC_FIELD } from './schema.ts'
import { seededRandom } from './seededRandom.ts'

// ---------------------------------------------------------------- documents

const t = (text: string, ...marks: string[]): JSONNode =>
  marks.length ? { type: 'text', text, marks: marks.map((type) => ({ type })) } : { type: 'text', text }
const br: JSONNode = { type: 'hardBreak' }
const para = (id: string, ...content: (JSONNode | string)[]): JSONNode => ({
  type: 'paragraph',
  attrs: { id },
  ...(content.length ? { content: content.map((c) => (typeof c === 'string' ? t(c) : c)) } : {}),
})
const makeDoc = (...blocks: JSONNode[]): Y.Doc =>
  contentToYDoc(normalizeContent({ type: 'doc', content: blocks }))

const fragmentOf = (doc: Y.Doc) => doc.getXmlFragment(YDOC_FIELD)

function blockOf(doc: Y.Doc, id: string): Y.XmlElement {
  const block = findYBlock(fragmentOf(doc), id)
  if (!block) throw new Error(`no block ${id}`)
  return block
}
const textOf = (doc: Y.Doc, id: string) => yBlockText(blockOf(doc, id))

/** A copy of a document, as another client that has synced gets it. */
function replica(doc: Y.Doc, clientID?: number, gc = true): Y.Doc {
  const copy = new Y.Doc({ gc })
  if (clientID !== undefined) copy.clientID = clientID
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc), 'remote')
  return copy
}

/** Sends what `from` has and `to` lacks. */
function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote')
}

// ---------------------------------------------------------------- edits as y-prosemirror writes them

type Delta = { insert: string; attributes?: Record<string, unknown> }[]
type Seg = { node: Y.XmlText | Y.XmlElement; index: number; start: number; length: number }

/** A block's children with their text offsets (a hard break is one character). */
function segs(block: Y.XmlElement): Seg[] {
  const out: Seg[] = []
  let at = 0
  block.toArray().forEach((node, index) => {
    if (node instanceof Y.XmlText) {
      out.push({ node, index, start: at, length: node.length })
      at += node.length
    } else if (node instanceof Y.XmlElement) {
      const length = node.nodeName === 'hardBreak' ? 1 : 0
      out.push({ node, index, start: at, length })
      at += length
    }
  })
  return out
}

function sliceDelta(delta: Delta, from: number): Delta {
  const out: Delta = []
  let at = 0
  for (const op of delta) {
    const end = at + op.insert.length
    if (end > from) {
      const insert = op.insert.slice(Math.max(0, from - at))
      out.push(op.attributes ? { insert, attributes: op.attributes } : { insert })
    }
    at = end
  }
  return out
}

const deltaOf = (text: Y.XmlText) => text.toDelta() as Delta

/** Writes runs (texts with their formatting, or hard breaks) into a block at a child index. */
function writeChildren(block: Y.XmlElement, index: number, children: (Delta | 'hardBreak')[]): void {
  if (children.length === 0) return
  const nodes = children.map((c) => (c === 'hardBreak' ? new Y.XmlElement('hardBreak') : new Y.XmlText()))
  block.insert(index, nodes)
  children.forEach((c, i) => {
    if (c !== 'hardBreak') (nodes[i] as Y.XmlText).applyDelta(c)
  })
}

/** Typing: into the text run that holds the offset (it inherits the formatting there). */
function insertText(block: Y.XmlElement, offset: number, text: string): void {
  const all = segs(block)
  const run = all.find(
    (s) => s.node instanceof Y.XmlText && offset >= s.start && offset <= s.start + s.length,
  )
  if (run) {
    ;(run.node as Y.XmlText).insert(offset - run.start, text)
    return
  }
  // Between hard breaks or in an empty paragraph: a new text node there.
  const next = all.find((s) => s.start >= offset)
  writeChildren(block, next ? next.index : block.length, [[{ insert: text }]])
}

/** Deleting [from, to) of a block; a text run left empty goes, as ProseMirror drops empty text. */
function deleteText(block: Y.XmlElement, from: number, to: number): void {
  for (const s of segs(block).reverse()) {
    const a = Math.max(from, s.start)
    const b = Math.min(to, s.start + s.length)
    if (a >= b) continue
    if (s.node instanceof Y.XmlText) {
      if (b - a === s.length) block.delete(s.index, 1)
      else s.node.delete(a - s.start, b - a)
    } else block.delete(s.index, 1)
  }
}

function formatText(
  block: Y.XmlElement,
  from: number,
  to: number,
  attributes: Record<string, unknown>,
): void {
  for (const s of segs(block)) {
    const a = Math.max(from, s.start)
    const b = Math.min(to, s.start + s.length)
    if (a < b && s.node instanceof Y.XmlText) s.node.format(a - s.start, b - a, attributes)
  }
}

/** Shift+Enter: a hard break; inside a text node, the node's tail is written anew after it. */
function insertHardBreak(block: Y.XmlElement, offset: number): void {
  const all = segs(block)
  const run = all.find((s) => s.node instanceof Y.XmlText && offset > s.start && offset < s.start + s.length)
  if (run) {
    const text = run.node as Y.XmlText
    const tail = sliceDelta(deltaOf(text), offset - run.start)
    text.delete(offset - run.start, run.length - (offset - run.start))
    writeChildren(block, run.index + 1, ['hardBreak', tail])
    return
  }
  const next = all.find((s) => s.start >= offset)
  writeChildren(block, next ? next.index : block.length, ['hardBreak'])
}

/** Enter: the tail leaves the old paragraph and is written anew into a new one after it. */
function splitBlock(block: Y.XmlElement, offset: number, newId: string): Y.XmlElement {
  const parent = block.parent as Y.XmlFragment | Y.XmlElement
  const index = parent.toArray().indexOf(block)
  const all = segs(block).filter((s) => s.start + s.length > offset)
  const moved: (Delta | 'hardBreak')[] = all.map((s) =>
    s.node instanceof Y.XmlText ? sliceDelta(deltaOf(s.node), Math.max(0, offset - s.start)) : 'hardBreak',
  )
  for (const s of [...all].reverse()) {
    if (s.node instanceof Y.XmlText && offset > s.start)
      s.node.delete(offset - s.start, s.start + s.length - offset)
    else block.delete(s.index, 1)
  }
  const created = new Y.XmlElement('paragraph')
  created.setAttribute('id', newId)
  parent.insert(index + 1, [created])
  writeChildren(created, 0, moved)
  return created
}

/** Backspace at the start of the next paragraph: its words are written anew into this one. */
function mergeWithNext(block: Y.XmlElement): boolean {
  const parent = block.parent as Y.XmlFragment | Y.XmlElement
  const siblings = parent.toArray()
  const index = siblings.indexOf(block)
  const next = siblings[index + 1]
  if (!(next instanceof Y.XmlElement) || next.nodeName !== 'paragraph') return false
  const children: (Delta | 'hardBreak')[] = next
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? deltaOf(c) : 'hardBreak'))
  const last = block.length > 0 ? block.get(block.length - 1) : null
  if (last instanceof Y.XmlText && children.length > 0 && children[0] !== 'hardBreak') {
    // ProseMirror joins the two text nodes: the new characters go into the surviving run.
    let at = last.length
    for (const op of children.shift() as Delta) {
      last.insert(at, op.insert, op.attributes ?? {})
      at += op.insert.length
    }
  }
  writeChildren(block, block.length, children)
  parent.delete(index + 1, 1)
  return true
}

function newParagraph(parent: Y.XmlFragment, index: number, id: string, text: string): Y.XmlElement {
  const created = new Y.XmlElement('paragraph')
  created.setAttribute('id', id)
  parent.insert(index, [created])
  if (text) writeChildren(created, 0, [[{ insert: text }]])
  return created
}

function deleteBlock(block: Y.XmlElement): void {
  const parent = block.parent as Y.XmlFragment | Y.XmlElement
  parent.delete(parent.toArray().indexOf(block), 1)
}

// ---------------------------------------------------------------- the anchored Yjs items (oracle)

/**
 * The Yjs identity of each character of a block's text (a hard break is its element's item).
 * Items never move between types, so if every anchored identity is still alive and contiguous,
 * the thread must be found exactly there.
 */
function itemIds(block: Y.XmlElement): string[] {
  const out: string[] = []
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue
        for (let i = 0; i < item.length; i++) out.push(`${item.id.client}:${item.id.clock + i}`)
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      const item = child._item as Y.Item
      out.push(`${item.id.client}:${item.id.clock}`)
    }
  }
  return out
}

function paragraphs(doc: Y.Doc): Y.XmlElement[] {
  return fragmentOf(doc)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'paragraph')
}

/** Where the anchored items are now, if all are alive and contiguous. */
function locateItems(doc: Y.Doc, ids: string[]): { block: Y.XmlElement; from: number; to: number } | null {
  for (const block of paragraphs(doc)) {
    const all = itemIds(block)
    const from = all.indexOf(ids[0])
    if (from < 0) continue
    const same = ids.every((id, i) => all[from + i] === id)
    return same ? { block, from, to: from + ids.length } : null
  }
  return null
}

// ---------------------------------------------------------------- examples

const P2 = 'The Conference of the Parties decides to establish an open-ended working group.'

function conference() {
  return makeDoc(
    para('p1', 'Recalling its decision 3/2 on the budget.'),
    para('p2', P2),
    para('p3', 'Requests the secretariat to report at its next session.'),
  )
}

describe('createAnchor', () => {
  it('keeps the quote, up to 32 characters of context on each side and the offset', () => {
    const doc = conference()
    const from = P2.indexOf('open-ended')
    const anchor = createAnchor(doc, 'p2', from, from + 'open-ended'.length)
    expect(anchor).toMatchObject({
      blockId: 'p2',
      quote: 'open-ended',
      prefix: P2.slice(from - ANCHOR_CONTEXT_CHARS, from),
      suffix: ' working group.',
      offset: from,
    })
    expect(anchor.prefix).toHaveLength(32)
    expect(typeof anchor.start).toBe('string')
    expect(typeof anchor.end).toBe('string')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p2',
      from,
      to: from + 10,
      quote: 'open-ended',
    })
  })

  it('throws AnchorError for an unknown block, a block that is not text, and ranges outside the text', () => {
    const doc = makeDoc(
      para('p1', 'Short.'),
      { type: 'heading', attrs: { id: 'h1', level: 2 }, content: [t('Part I')] },
      {
        type: 'bulletList',
        attrs: { id: 'ul' },
        content: [{ type: 'listItem', attrs: { id: 'li' }, content: [para('b1', 'Item.')] }],
      },
    )
    expect(() => createAnchor(doc, 'nope', 0, 1)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'h1', 0, 7)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'ul', 0, 1)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'li', 0, 1)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'p1', -1, 2)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'p1', 0, 7)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'p1', 4, 2)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'p1', 0.5, 2)).toThrow(AnchorError)
    expect(() => createAnchor(doc, 'p1', Number.NaN, 2)).toThrow(AnchorError)
    expect(() => createAnchorFromQuote(doc, 'p1', 'Long.')).toThrow(AnchorError)
    expect(() => createAnchorFromQuote(doc, 'p1', '')).toThrow(AnchorError)
    expect(() => createAnchorFromQuote(doc, 'nope', 'Short')).toThrow(AnchorError)
    // A heading, and a paragraph inside a list item, are text blocks like any other.
    expect(resolveAnchor(doc, createAnchor(doc, 'h1', 5, 6))).toMatchObject({ state: 'exact', quote: 'I' })
    expect(resolveAnchor(doc, createAnchor(doc, 'b1', 0, 4))).toMatchObject({ state: 'exact', blockId: 'b1' })
    expect(resolveAnchor(doc, createAnchor(doc, 'p1', 0, 6))).toMatchObject({
      state: 'exact',
      quote: 'Short.',
    })
  })

  it('anchors the first occurrence of a quote', () => {
    const doc = makeDoc(para('p1', 'the Parties and the Parties'))
    const anchor = createAnchorFromQuote(doc, 'p1', 'the Parties')
    expect(anchor.offset).toBe(0)
    expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'exact', from: 0, to: 11 })
  })
})

describe('resolveAnchor: typing around the quote', () => {
  const setup = () => {
    const doc = conference()
    const from = P2.indexOf('establish')
    return { doc, from, to: from + 'establish'.length, anchor: createAnchor(doc, 'p2', from, from + 9) }
  }

  it('stays exact when text is typed before and after it, in its block and in others', () => {
    const { doc, from, to, anchor } = setup()
    insertText(blockOf(doc, 'p2'), 0, 'Also, ')
    insertText(blockOf(doc, 'p2'), textOf(doc, 'p2').length, ' Then more.')
    insertText(blockOf(doc, 'p1'), 0, 'Further ')
    newParagraph(fragmentOf(doc), 0, 'p0', 'A new first paragraph.')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p2',
      from: from + 6,
      to: to + 6,
      quote: 'establish',
    })
  })

  it('does not widen when text is typed right at its start or its end', () => {
    const { doc, from, to, anchor } = setup()
    insertText(blockOf(doc, 'p2'), to, 'ed')
    insertText(blockOf(doc, 'p2'), from, 're-')
    const resolved = resolveAnchor(doc, anchor)
    expect(resolved).toEqual({
      state: 'exact',
      blockId: 'p2',
      from: from + 3,
      to: to + 3,
      quote: 'establish',
    })
    expect(textOf(doc, 'p2').slice(from, to + 5)).toBe('re-established')
  })

  it('is orphaned with the original quote once text is typed inside it', () => {
    const { doc, from, anchor } = setup()
    insertText(blockOf(doc, 'p2'), from + 3, 'XX')
    expect(textOf(doc, 'p2')).toContain('estXXablish')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'orphaned',
      blockId: 'p2',
      from: null,
      to: null,
      quote: 'establish',
    })
  })

  it('is orphaned when a word of it is deleted, and exact again after undo', () => {
    const doc = conference()
    const from = P2.indexOf('open-ended working')
    const anchor = createAnchor(doc, 'p2', from, from + 'open-ended working'.length)
    const origin = { client: 'a' }
    const undo = new Y.UndoManager(fragmentOf(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    Y.transact(doc, () => deleteText(blockOf(doc, 'p2'), from, from + 11), origin)
    expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'orphaned', quote: 'open-ended working' })
    undo.undo()
    expect(textOf(doc, 'p2')).toBe(P2)
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p2',
      from,
      to: from + 18,
      quote: 'open-ended working',
    })
  })

  it('survives formatting inside and across the quote', () => {
    const doc = makeDoc(
      para('p1', 'The ', t('Parties', 'bold'), ' shall ', t('report', 'italic'), ' annually.'),
    )
    const text = textOf(doc, 'p1')
    expect(blockOf(doc, 'p1').toArray()).toHaveLength(1)
    const from = text.indexOf('Parties')
    const to = text.indexOf('annually')
    const anchor = createAnchor(doc, 'p1', from, to)
    const run = blockOf(doc, 'p1').get(0) as Y.XmlText
    run.format(from + 9, 5, { bold: {} })
    run.format(0, text.length, { italic: {} })
    run.format(from, 3, { bold: null })
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p1',
      from,
      to,
      quote: 'Parties shall report ',
    })
  })
})

describe('resolveAnchor: hard breaks', () => {
  const lines = () => makeDoc(para('p1', 'Line one', br, 'line two', br, br, 'line four'))

  it('counts a hard break as one "\\n" and resolves a range across it exactly', () => {
    const doc = lines()
    const text = textOf(doc, 'p1')
    expect(text).toBe('Line one\nline two\n\nline four')
    const anchor = createAnchorFromQuote(doc, 'p1', 'one\nline two\n\nline')
    insertText(blockOf(doc, 'p1'), 0, 'First ')
    insertText(blockOf(doc, 'p1'), textOf(doc, 'p1').length, '.')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p1',
      from: 11,
      to: 29,
      quote: 'one\nline two\n\nline',
    })
  })

  it('resolves exactly a quote that starts or ends with a hard break, or is one', () => {
    const doc = lines()
    const text = textOf(doc, 'p1')
    for (const [from, to] of [
      [8, 13],
      [5, 9],
      [8, 9],
      [17, 19],
      [18, 19],
      [17, 18],
      [8, 22],
    ]) {
      const anchor = createAnchor(doc, 'p1', from, to)
      const other = replica(doc)
      insertText(blockOf(other, 'p1'), 0, '> ')
      const expected = { state: 'exact', blockId: 'p1', quote: text.slice(from, to) }
      expect(resolveAnchor(doc, anchor), `${from}–${to}`).toEqual({ ...expected, from, to })
      expect(resolveAnchor(other, anchor), `${from}–${to} after typing`).toEqual({
        ...expected,
        from: from + 2,
        to: to + 2,
      })
    }
  })

  it('does not widen when a hard break is typed at its end, and breaks when one is typed inside', () => {
    const doc = makeDoc(para('p1', 'alpha beta gamma'))
    const anchor = createAnchorFromQuote(doc, 'p1', 'beta')
    insertHardBreak(blockOf(doc, 'p1'), 10)
    expect(textOf(doc, 'p1')).toBe('alpha beta\n gamma')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p1',
      from: 6,
      to: 10,
      quote: 'beta',
    })
    // A hard break inside a text node rewrites the node's tail (new Yjs items, as y-prosemirror
    // does): the words are found again through the quote in the same block.
    insertHardBreak(blockOf(doc, 'p1'), 6)
    expect(textOf(doc, 'p1')).toBe('alpha \nbeta\n gamma')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'moved',
      blockId: 'p1',
      from: 7,
      to: 11,
      quote: 'beta',
    })
    const again = createAnchor(doc, 'p1', 7, 11)
    expect(resolveAnchor(doc, again)).toEqual({
      state: 'exact',
      blockId: 'p1',
      from: 7,
      to: 11,
      quote: 'beta',
    })
    insertHardBreak(blockOf(doc, 'p1'), 9)
    expect(resolveAnchor(doc, again)).toMatchObject({ state: 'orphaned', quote: 'beta' })
  })
})

describe('resolveAnchor: paragraph and document threads', () => {
  it('resolves a whole-paragraph thread to its paragraph, following it', () => {
    const doc = conference()
    const anchor = createAnchor(doc, 'p2', 4, 4)
    expect(anchor).toMatchObject({ blockId: 'p2', start: null, end: null, quote: P2, offset: 0 })
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'paragraph',
      blockId: 'p2',
      from: 0,
      to: P2.length,
      quote: P2,
    })
    newParagraph(fragmentOf(doc), 0, 'p0', 'Before.')
    insertText(blockOf(doc, 'p2'), 0, 'Now: ')
    deleteText(blockOf(doc, 'p2'), 5, 9)
    const now = textOf(doc, 'p2')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'paragraph',
      blockId: 'p2',
      from: 0,
      to: now.length,
      quote: now,
    })
    deleteBlock(blockOf(doc, 'p2'))
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'orphaned',
      blockId: 'p2',
      from: null,
      to: null,
      quote: P2,
    })
  })

  it('resolves a thread on the whole document as "document"', () => {
    const doc = conference()
    const anchor: StoredAnchor = {
      blockId: null,
      start: null,
      end: null,
      quote: '',
      prefix: '',
      suffix: '',
      offset: 0,
    }
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'document',
      blockId: null,
      from: null,
      to: null,
      quote: '',
    })
    expect(blockNumber(doc, null)).toBeNull()
  })

  it('numbers the block a thread is on', () => {
    const doc = conference()
    const resolved = resolveAnchor(doc, createAnchorFromQuote(doc, 'p3', 'secretariat'))
    expect(blockNumber(doc, resolved.blockId)).toBe('3')
    expect(blockNumber(doc, 'gone')).toBeNull()
  })
})

describe('resolveAnchor: the words leave their place', () => {
  it('is orphaned with its original quote when its paragraph is deleted', () => {
    const doc = conference()
    const anchor = createAnchorFromQuote(doc, 'p2', 'working group')
    const other = replica(doc)
    deleteBlock(blockOf(other, 'p2'))
    sync(other, doc)
    for (const d of [doc, other]) {
      expect(resolveAnchor(d, anchor)).toEqual({
        state: 'orphaned',
        blockId: 'p2',
        from: null,
        to: null,
        quote: 'working group',
      })
    }
  })

  it('follows its words, with their context, re-typed into another paragraph', () => {
    const doc = conference()
    const from = P2.indexOf('establish')
    const anchor = createAnchor(doc, 'p2', from, from + 'establish an open-ended'.length)
    deleteBlock(blockOf(doc, 'p2'))
    const moved = `Moreover, t${P2.slice(1)}`
    newParagraph(fragmentOf(doc), 2, 'p9', moved)
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'fuzzy',
      blockId: 'p9',
      from: moved.indexOf('establish'),
      to: moved.indexOf('establish') + 23,
      quote: 'establish an open-ended',
    })
  })

  it('prefers the occurrence whose context survived when the quote is elsewhere more than once', () => {
    const doc = conference()
    const from = P2.indexOf('decides')
    const anchor = createAnchor(doc, 'p2', from, from + 'decides'.length)
    deleteBlock(blockOf(doc, 'p2'))
    newParagraph(fragmentOf(doc), 0, 'p8', 'The Bureau decides on its agenda.')
    newParagraph(
      fragmentOf(doc),
      3,
      'p9',
      'Further, the Conference of the Parties decides to establish a group.',
    )
    expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'fuzzy', blockId: 'p9', from: 39, to: 46 })
  })

  it('does not claim a quote found elsewhere with none of its context, short or long', () => {
    const doc = conference()
    const short = createAnchorFromQuote(doc, 'p2', 'working group')
    const long = createAnchorFromQuote(doc, 'p2', 'establish an open-ended working')
    deleteBlock(blockOf(doc, 'p2'))
    newParagraph(fragmentOf(doc), 2, 'p9', 'Xworking groupX; Xestablish an open-ended workingX')
    expect(resolveAnchor(doc, short)).toMatchObject({ state: 'orphaned', quote: 'working group' })
    expect(resolveAnchor(doc, long)).toMatchObject({
      state: 'orphaned',
      quote: 'establish an open-ended working',
    })
  })

  it('tells two occurrences in its block apart by context when its words are rewritten', () => {
    const text = 'the parties shall report; the parties shall review'
    const doc = makeDoc(para('p1', text))
    const first = createAnchor(doc, 'p1', 0, 11)
    const second = createAnchor(doc, 'p1', 26, 37)
    expect(resolveAnchor(doc, second)).toMatchObject({ state: 'exact', from: 26, to: 37 })
    // A restore writes the same words anew (new Yjs items), here with a sentence before them.
    const block = blockOf(doc, 'p1')
    deleteText(block, 0, text.length)
    insertText(block, 0, `Moreover, ${text}`)
    expect(resolveAnchor(doc, first)).toMatchObject({ state: 'moved', blockId: 'p1', from: 10, to: 21 })
    expect(resolveAnchor(doc, second)).toMatchObject({ state: 'moved', blockId: 'p1', from: 36, to: 47 })
  })

  it('follows a paragraph split: a quote in the tail goes to the new paragraph', () => {
    const text = 'The Conference decides as follows. The Parties shall report by 1 May on progress.'
    const cut = text.indexOf('The Parties')
    const doc = makeDoc(para('p1', text), para('p2', 'Next.'))
    const inTail = createAnchorFromQuote(doc, 'p1', 'shall report by 1 May')
    const inHead = createAnchorFromQuote(doc, 'p1', 'decides as')
    const across = createAnchorFromQuote(doc, 'p1', 'follows. The')
    const wholeTail = createAnchor(doc, 'p1', cut, text.length)
    const atCut = createAnchorFromQuote(doc, 'p1', 'The Parties')
    const other = replica(doc)
    splitBlock(blockOf(doc, 'p1'), cut, 'p1b')
    deleteText(blockOf(doc, 'p1'), cut - 1, cut)
    sync(doc, other)
    for (const d of [doc, other]) {
      expect(textOf(d, 'p1b')).toBe(text.slice(cut))
      const tail = textOf(d, 'p1b')
      expect(resolveAnchor(d, inTail)).toEqual({
        state: 'fuzzy',
        blockId: 'p1b',
        from: tail.indexOf('shall'),
        to: tail.indexOf('shall') + 21,
        quote: 'shall report by 1 May',
      })
      expect(resolveAnchor(d, inHead)).toMatchObject({ state: 'exact', blockId: 'p1', from: 15, to: 25 })
      expect(resolveAnchor(d, across)).toMatchObject({ state: 'orphaned', quote: 'follows. The' })
      expect(resolveAnchor(d, atCut)).toMatchObject({ state: 'fuzzy', blockId: 'p1b', from: 0, to: 11 })
      // The whole tail sits at the start and the end of the new paragraph: its context is the
      // paragraph's edges.
      expect(resolveAnchor(d, wholeTail)).toMatchObject({
        state: 'fuzzy',
        blockId: 'p1b',
        from: 0,
        to: tail.length,
      })
    }
  })

  it('follows a split at the start of its words when they end the paragraph (the edges are context)', () => {
    const doc = makeDoc(para('p1', 'The Conference decides as follows. Agreed.'), para('p2', 'Next.'))
    const anchor = createAnchorFromQuote(doc, 'p1', 'Agreed.')
    expect(anchor).toMatchObject({ prefix: ' Conference decides as follows. ', suffix: '' })
    splitBlock(blockOf(doc, 'p1'), 35, 'p1b')
    expect(textOf(doc, 'p1b')).toBe('Agreed.')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'fuzzy',
      blockId: 'p1b',
      from: 0,
      to: 7,
      quote: 'Agreed.',
    })
  })

  it('follows a join: the quote of the joined paragraph is found in the merged one', () => {
    const doc = makeDoc(
      para('p1', 'First ', t('part', 'bold'), '.'),
      para('p2', 'Second ', t('part', 'bold'), ' here.'),
    )
    const inFirst = createAnchorFromQuote(doc, 'p1', 'First part')
    const inSecond = createAnchorFromQuote(doc, 'p2', 'Second part')
    const wholeSecond = createAnchor(doc, 'p2', 0, 0)
    const other = replica(doc)
    mergeWithNext(blockOf(other, 'p1'))
    sync(other, doc)
    for (const d of [doc, other]) {
      expect(textOf(d, 'p1')).toBe('First part.Second part here.')
      expect(findYBlock(fragmentOf(d), 'p2')).toBeNull()
      expect(resolveAnchor(d, inFirst)).toEqual({
        state: 'exact',
        blockId: 'p1',
        from: 0,
        to: 10,
        quote: 'First part',
      })
      expect(resolveAnchor(d, inSecond)).toEqual({
        state: 'fuzzy',
        blockId: 'p1',
        from: 11,
        to: 22,
        quote: 'Second part',
      })
      expect(resolveAnchor(d, wholeSecond)).toMatchObject({ state: 'orphaned', quote: 'Second part here.' })
    }
  })

  it('comes back when a deleted paragraph is restored by undo', () => {
    const doc = conference()
    const anchor = createAnchorFromQuote(doc, 'p2', 'working group')
    const at = P2.indexOf('working group')
    const other = replica(doc)
    const origin = { client: 'a' }
    const undo = new Y.UndoManager(fragmentOf(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    Y.transact(doc, () => deleteBlock(blockOf(doc, 'p2')), origin)
    sync(doc, other)
    expect(resolveAnchor(other, anchor).state).toBe('orphaned')
    undo.undo()
    sync(doc, other)
    // The client that undid follows the restored items; the other finds the words through the quote.
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'exact',
      blockId: 'p2',
      from: at,
      to: at + 13,
      quote: 'working group',
    })
    expect(resolveAnchor(other, anchor)).toEqual({
      state: 'moved',
      blockId: 'p2',
      from: at,
      to: at + 13,
      quote: 'working group',
    })
  })

  it('resolves to the block that its id names when concurrent undos restored the paragraph twice', () => {
    // Found by the random test: both clients delete the paragraph, both undo, and after
    // syncing two paragraphs hold its id (until the ids are repaired, the first holder keeps it).
    const a = conference()
    const b = replica(a)
    const anchor = createAnchorFromQuote(a, 'p2', 'working group')
    const undos = [a, b].map((doc) => {
      const origin = { doc }
      const undo = new Y.UndoManager(fragmentOf(doc), {
        trackedOrigins: new Set([origin]),
        captureTimeout: 0,
      })
      Y.transact(doc, () => deleteBlock(blockOf(doc, 'p2')), origin)
      return undo
    })
    sync(a, b)
    sync(b, a)
    for (const undo of undos) undo.undo()
    Y.transact(b, () => insertText(paragraphs(b)[1], 0, 'Amended: '), 'b')
    Y.transact(a, () => insertText(paragraphs(a)[2], 0, 'Also: '), 'a')
    sync(a, b)
    sync(b, a)
    for (const doc of [a, b]) {
      const holders = paragraphs(doc).filter((p) => p.getAttribute('id') === 'p2')
      expect(holders).toHaveLength(2)
      const resolved = resolveAnchor(doc, anchor)
      expect(resolved).toMatchObject({ blockId: 'p2', quote: 'working group' })
      const named = yBlockText(blockOf(doc, 'p2'))
      expect(named.slice(resolved.from as number, resolved.to as number)).toBe('working group')
    }
  })

  it('does not claim words found in a later holder of a duplicated id', () => {
    const doc = conference()
    const anchor = createAnchorFromQuote(doc, 'p2', 'working group')
    deleteBlock(blockOf(doc, 'p2'))
    newParagraph(fragmentOf(doc), 2, 'p1', P2)
    expect(textOf(doc, 'p1')).toBe('Recalling its decision 3/2 on the budget.')
    expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'orphaned', quote: 'working group' })
    newParagraph(fragmentOf(doc), 3, 'p9', P2)
    const at = P2.indexOf('working group')
    expect(resolveAnchor(doc, anchor)).toEqual({
      state: 'fuzzy',
      blockId: 'p9',
      from: at,
      to: at + 13,
      quote: 'working group',
    })
  })

  it('never resolves an anchor that is not base64 to anything but its quote', () => {
    const doc = conference()
    const anchor = { ...createAnchorFromQuote(doc, 'p3', 'secretariat'), start: '%%%', end: '!!' }
    expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'moved', blockId: 'p3', quote: 'secretariat' })
  })
})

// ---------------------------------------------------------------- concurrent random edits

const prng = seededRandom

type Random = {
  next: () => number
  /** An integer in [lo, hi]. */
  int: (lo: number, hi: number) => number
  pick: <T>(items: readonly T[]) => T
  chance: (p: number) => boolean
}

function random(seed: number): Random {
  const next = prng(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  return { next, int, pick: (items) => items[int(0, items.length - 1)], chance: (p) => next() < p }
}

// Few distinct words, so quotes occur more than once and the context has to decide.
const WORDS = [
  'the',
  'parties',
  'shall',
  'report',
  'on',
  'work',
  'and',
  'review',
  'the',
  'annex',
  'of',
  'decision',
]
const TYPED = ['X', 'YZ', 'Q', 'KLM', 'W', 'NEW', 'RR']

type Mode = 'any' | 'untouched'

type Client = { doc: Y.Doc; origin: { client: number }; undo: Y.UndoManager; made: number }

type Outcome = { states: AnchorState[] }

function randomWords(r: Random, min: number, max: number): string {
  return Array.from({ length: r.int(min, max) }, () => r.pick(WORDS)).join(' ')
}

function initialContent(r: Random): JSONNode {
  const blocks: JSONNode[] = []
  const count = r.int(3, 5)
  for (let i = 0; i < count; i++) {
    const content: JSONNode[] = []
    const pieces = r.int(1, 3)
    for (let j = 0; j < pieces; j++) {
      if (j > 0 && r.chance(0.5)) content.push(br)
      const words = `${j > 0 ? ' ' : ''}${randomWords(r, 1, 6)}`
      content.push(r.chance(0.25) ? t(words, 'bold') : t(words))
    }
    blocks.push(para(`p${i}`, ...content))
  }
  return { type: 'doc', content: blocks }
}

/**
 * One run: clients edit their own replicas with random partial syncs, a thread is anchored on
 * client 0, everyone syncs, and the anchor is checked on every replica.
 */
function scenario(seed: number, mode: Mode): Outcome {
  const r = random(seed)
  const log: string[] = []
  const base = contentToYDoc(normalizeContent(initialContent(r)))
  const gc = r.chance(0.5)
  const clients: Client[] = Array.from({ length: r.int(2, 3) }, (_, k) => {
    const doc = replica(base, 1000 * (k + 1) + r.int(0, 999), gc)
    const origin = { client: k }
    const undo = new Y.UndoManager(fragmentOf(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 })
    return { doc, origin, undo, made: 0 }
  })
  const steps = r.int(4, 24)
  const anchorAt = mode === 'untouched' ? 0 : r.int(0, Math.floor(steps / 2))

  let anchor: StoredAnchor | null = null
  let ids: string[] = []
  let original = ''

  const makeAnchor = () => {
    const doc = clients[0].doc
    // A block is named by its id when it is the first holder (a pasted copy may share it).
    const named = (p: Y.XmlElement) => findYBlock(fragmentOf(doc), p.getAttribute('id') as string) === p
    const candidates = paragraphs(doc).filter((p) => yBlockText(p).length > 0 && named(p))
    if (candidates.length === 0) return
    const block = r.pick(candidates)
    const id = block.getAttribute('id') as string
    const text = yBlockText(block)
    original = text
    if (mode === 'any' && r.chance(0.1)) {
      anchor = createAnchor(doc, id, 0, 0)
      log.push(`anchor ${id} whole paragraph ${JSON.stringify(text)}`)
      return
    }
    const from = r.int(0, text.length - 1)
    const to = r.int(from + 1, Math.min(text.length, from + r.int(1, 20)))
    anchor = createAnchor(doc, id, from, to)
    const all = itemIds(block)
    expect(all).toHaveLength(text.length)
    ids = all.slice(from, to)
    log.push(`anchor ${id} ${from}–${to} ${JSON.stringify(anchor.quote)} in ${JSON.stringify(text)}`)
  }

  /** Offsets near the anchored words half of the time, so their edges get hit. */
  const offsetIn = (doc: Y.Doc, block: Y.XmlElement, length: number): number => {
    const there = ids.length ? locateItems(doc, ids) : null
    if (there && there.block === block && r.chance(0.5)) {
      const near = r.pick([there.from, there.to, there.from - 1, there.to + 1, r.int(there.from, there.to)])
      return Math.max(0, Math.min(length, near))
    }
    return r.int(0, length)
  }

  const pickBlock = (doc: Y.Doc): Y.XmlElement | null => {
    const all = paragraphs(doc)
    if (all.length === 0) return null
    const home = anchor?.blockId ? findYBlock(fragmentOf(doc), anchor.blockId) : null
    const there = ids.length ? locateItems(doc, ids) : null
    if (there && r.chance(0.35)) return there.block
    if (home && r.chance(0.35)) return home
    return r.pick(all)
  }

  const ops =
    mode === 'untouched'
      ? (['insert', 'insert', 'insert', 'format', 'paragraph', 'undo'] as const)
      : ([
          'insert',
          'insert',
          'insert',
          'delete',
          'delete',
          'format',
          'split',
          'split',
          'merge',
          'merge',
          'remove',
          'paragraph',
          'break',
          'copy',
          'repair',
          'undo',
          'undo',
        ] as const)

  const edit = (k: number) => {
    const client = clients[k]
    const { doc } = client
    let op: (typeof ops)[number] = r.pick(ops)
    if (op === 'undo') {
      log.push(`c${k} undo (${client.undo.undoStack.length} on the stack)`)
      client.undo.undo()
      return
    }
    const block = pickBlock(doc)
    if (!block) op = 'paragraph'
    Y.transact(
      doc,
      () => {
        const id = block?.getAttribute('id')
        const length = block ? yBlockText(block).length : 0
        const newId = () => `c${k}n${++client.made}`
        switch (op) {
          case 'insert': {
            const at = offsetIn(doc, block as Y.XmlElement, length)
            const typed =
              mode === 'untouched' ? r.pick(TYPED) : r.pick([...TYPED, ' ', 'NEW ', ' the', 'parties ', 'al'])
            log.push(`c${k} insert ${id}@${at} ${JSON.stringify(typed)}`)
            insertText(block as Y.XmlElement, at, typed)
            break
          }
          case 'delete': {
            if (length === 0) return
            const a = offsetIn(doc, block as Y.XmlElement, length)
            const b = Math.min(length, a + r.int(1, 6))
            if (a >= b) return
            log.push(`c${k} delete ${id} ${a}–${b}`)
            deleteText(block as Y.XmlElement, a, b)
            break
          }
          case 'format': {
            if (length === 0) return
            const a = r.int(0, length - 1)
            const b = r.int(a + 1, length)
            const attributes = r.pick([{ bold: {} }, { italic: {} }, { bold: null }])
            log.push(`c${k} format ${id} ${a}–${b} ${JSON.stringify(attributes)}`)
            formatText(block as Y.XmlElement, a, b, attributes)
            break
          }
          case 'split': {
            const at = offsetIn(doc, block as Y.XmlElement, length)
            const created = newId()
            log.push(`c${k} split ${id}@${at} → ${created}`)
            splitBlock(block as Y.XmlElement, at, created)
            break
          }
          case 'merge': {
            log.push(`c${k} merge ${id} with the next`)
            if (!mergeWithNext(block as Y.XmlElement)) log.push('  (no next paragraph)')
            break
          }
          case 'remove': {
            log.push(`c${k} delete paragraph ${id}`)
            deleteBlock(block as Y.XmlElement)
            break
          }
          case 'break': {
            const at = offsetIn(doc, block as Y.XmlElement, length)
            log.push(`c${k} hard break ${id}@${at}`)
            insertHardBreak(block as Y.XmlElement, at)
            break
          }
          case 'copy': {
            // A paste of a copied paragraph that kept its id, until the ids are repaired.
            const index = r.int(0, fragmentOf(doc).length)
            log.push(`c${k} paste a copy of ${id} at ${index}`)
            const copy = new Y.XmlElement('paragraph')
            copy.setAttribute('id', id as string)
            fragmentOf(doc).insert(index, [copy])
            writeChildren(
              copy,
              0,
              (block as Y.XmlElement)
                .toArray()
                .map((c) => (c instanceof Y.XmlText ? deltaOf(c) : 'hardBreak')),
            )
            break
          }
          case 'repair': {
            // What the editor and the server do: later holders of a duplicated id get fresh ones.
            for (const element of elementsNeedingIds(fragmentOf(doc))) {
              const fresh = newId()
              log.push(
                `c${k} repair: ${element.getAttribute('id')} at ${fragmentOf(doc).toArray().indexOf(element)} → ${fresh}`,
              )
              element.setAttribute('id', fresh)
            }
            break
          }
          case 'paragraph': {
            const index = r.int(0, fragmentOf(doc).length)
            const created = newId()
            const text = mode === 'untouched' ? r.pick(TYPED) : randomWords(r, 0, 5)
            log.push(`c${k} new paragraph ${created} at ${index} ${JSON.stringify(text)}`)
            newParagraph(fragmentOf(doc), index, created, text)
            break
          }
        }
      },
      client.origin,
    )
  }

  const check = (): Outcome => {
    const docs = clients.map((c) => c.doc)
    const contents = docs.map((d) => yDocToContent(d))
    for (const content of contents.slice(1)) expect(content).toEqual(contents[0])
    const states: AnchorState[] = []
    if (!anchor) return { states }
    const stored: StoredAnchor = anchor
    docs.forEach((doc, k) => {
      const resolved: ResolvedAnchor = resolveAnchor(doc, stored)
      const where = `client ${k}: ${JSON.stringify(resolved)}`
      // A thread list resolves with one index of the blocks: the same answer.
      expect(resolveAnchor(doc, stored, indexBlocks(doc)), where).toEqual(resolved)
      states.push(resolved.state)
      const home = stored.blockId ? findYBlock(fragmentOf(doc), stored.blockId) : null
      if (stored.start === null) {
        // A whole-paragraph thread: its paragraph while it lives, else orphaned with its quote.
        if (home) {
          const text = yBlockText(home)
          expect(resolved, where).toEqual({
            state: 'paragraph',
            blockId: stored.blockId,
            from: 0,
            to: text.length,
            quote: text,
          })
        } else {
          expect(resolved, where).toEqual({
            state: 'orphaned',
            blockId: stored.blockId,
            from: null,
            to: null,
            quote: stored.quote,
          })
        }
        return
      }
      expect(['exact', 'moved', 'fuzzy', 'orphaned'], where).toContain(resolved.state)
      if (resolved.state === 'orphaned') {
        expect(resolved, where).toEqual({
          state: 'orphaned',
          blockId: stored.blockId,
          from: null,
          to: null,
          quote: stored.quote,
        })
      } else {
        // Never on wrong text: the block exists and holds the quote at [from, to).
        expect(resolved.blockId, where).not.toBeNull()
        const block = findYBlock(fragmentOf(doc), resolved.blockId as string)
        expect(block, where).not.toBeNull()
        const text = yBlockText(block as Y.XmlElement)
        const { from, to } = resolved as { from: number; to: number }
        expect(Number.isInteger(from) && Number.isInteger(to), where).toBe(true)
        expect(0 <= from && from < to && to <= text.length, where).toBe(true)
        expect(text.slice(from, to), where).toBe(stored.quote)
        expect(resolved.quote, where).toBe(stored.quote)
        if (resolved.state === 'exact') expect(resolved.blockId, where).toBe(stored.blockId)
      }
      // The surviving anchored words: if every anchored item lives, in order, it is exact there.
      // (A block is found by its id only when it is the id's first holder.)
      const there = locateItems(doc, ids)
      const thereId = there?.block.getAttribute('id')
      if (there && typeof thereId === 'string' && findYBlock(fragmentOf(doc), thereId) === there.block) {
        expect(resolved, `${where}; the anchored items are at ${there.from}–${there.to}`).toEqual({
          state: thereId === stored.blockId ? 'exact' : 'moved',
          blockId: thereId,
          from: there.from,
          to: there.to,
          quote: stored.quote,
        })
      }
      if (mode === 'untouched') {
        // Only upper-case text was typed and nothing deleted: the original characters are those
        // that are not upper case, and where they are tells where the quote is now.
        const text = yBlockText(home as Y.XmlElement)
        const typed = (c: string) => c >= 'A' && c <= 'Z'
        expect([...text].filter((c) => !typed(c)).join(''), where).toBe(original)
        const positions = [...text].flatMap((c, i) => (typed(c) ? [] : [i]))
        const from = positions[stored.offset]
        const to = positions[stored.offset + stored.quote.length - 1] + 1
        if (to - from === stored.quote.length) {
          expect(resolved, `${where}; nothing typed inside ${from}–${to}`).toEqual({
            state: 'exact',
            blockId: stored.blockId,
            from,
            to,
            quote: stored.quote,
          })
          expect(there).toMatchObject({ from, to })
        } else {
          expect(there, where).toBeNull()
        }
      }
    })
    return { states }
  }

  try {
    for (let step = 0; step <= steps; step++) {
      if (step === anchorAt) makeAnchor()
      if (step === steps) break
      edit(r.int(0, clients.length - 1))
      while (r.chance(0.3)) {
        const a = r.int(0, clients.length - 1)
        const b = (a + r.int(1, clients.length - 1)) % clients.length
        log.push(`sync c${a} → c${b}`)
        sync(clients[a].doc, clients[b].doc)
      }
    }
    for (const to of clients) for (const from of clients) if (from !== to) sync(from.doc, to.doc)
    return check()
  } catch (error) {
    const text = paragraphs(clients[0].doc).map(
      (p) => `  ${p.getAttribute('id')}: ${JSON.stringify(yBlockText(p))}`,
    )
    throw new Error(
      `seed ${seed} (${mode}, gc ${gc}): ${(error as Error).message}\n${log.join('\n')}\nfinal text:\n${text.join('\n')}`,
    )
  }
}

function tally(mode: Mode, first: number, runs: number): Map<AnchorState, number> {
  const counts = new Map<AnchorState, number>()
  for (let i = 0; i < runs; i++) {
    for (const state of scenario(first + i, mode).states) counts.set(state, (counts.get(state) ?? 0) + 1)
  }
  return counts
}

describe('resolveAnchor under random concurrent edits', () => {
  it('never resolves a thread to wrong text, and keeps it exact while its words survive (1500 runs)', {
    timeout: 30_000,
  }, () => {
    const counts = tally('any', 1, 1500)
    // The generator reaches every way of resolving.
    for (const state of ['exact', 'moved', 'fuzzy', 'orphaned', 'paragraph'] as const) {
      expect(counts.get(state) ?? 0, `${state} in ${JSON.stringify([...counts])}`).toBeGreaterThan(0)
    }
  })

  it('stays exact, at offsets shifted by what was typed before it, when only typing happened around it (600 runs)', {
    timeout: 30_000,
  }, () => {
    const counts = tally('untouched', 100_001, 600)
    expect(counts.get('exact') ?? 0).toBeGreaterThan(300)
  })
})

describe('resolveAnchor under random concurrent edits, explored by fast-check', () => {
  it('never resolves a thread to wrong text for any seed fast-check draws (300 runs)', {
    timeout: 30_000,
  }, () => {
    // fast-check draws the seeds (and reports the failing one, shrunk); each seed replays one
    // scenario of concurrent clients, edits, undos and partial syncs, checked as above.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom<Mode>('any', 'untouched'),
        (seed, mode) => {
          scenario(seed, mode)
        },
      ),
      { numRuns: 300 },
    )
  })
})
