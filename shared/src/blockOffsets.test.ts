import { describe, expect, it } from 'vitest'
import {
  anchorToPositions,
  findTextblock,
  offsetToPosition,
  positionToOffset,
  selectionToAnchor,
  textblockPositions,
  textblockText,
} from './blockOffsets.ts'
import type { JSONNode } from './blocks.ts'
import { plenarySchema } from './schema.ts'

const text = (value: string, marks?: JSONNode['marks']): JSONNode =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (id: string, ...content: JSONNode[]): JSONNode => ({
  type: 'paragraph',
  attrs: { id },
  ...(content.length ? { content } : {}),
})
const br: JSONNode = { type: 'hardBreak' }

const doc = () =>
  plenarySchema().nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'heading', attrs: { id: 'h1', level: 1 }, content: [text('Annex C')] },
      p('p1', text('The '), text('third', [{ type: 'bold' }]), text(' stage'), br, text('post-delivery.')),
      p('empty'),
      {
        type: 'bulletList',
        attrs: { id: 'list' },
        content: [{ type: 'listItem', attrs: { id: 'li1' }, content: [p('li1-p', text('first item'))] }],
      },
      p('p2', text('Stage 2 concerns transit.')),
    ],
  })

/** The position of the n-th character (0-based offset) of a block, found by brute force. */
function positionOfOffset(id: string, offset: number): number {
  const d = doc()
  const { node, pos } = findTextblock(d, id)!
  let at = pos + 1
  let seen = 0
  let result = -1
  node.forEach((child) => {
    if (result >= 0) return
    const length = child.isText ? child.text!.length : 1
    if (offset < seen + length) result = at + (child.isText ? offset - seen : 0)
    seen += length
    at += child.nodeSize
  })
  return result >= 0 ? result : at
}

describe('textblock text and offsets', () => {
  it('reads the text as the server does: marks ignored, a hard break is one newline', () => {
    const { node } = findTextblock(doc(), 'p1')!
    expect(textblockText(node)).toBe('The third stage\npost-delivery.')
  })

  it('maps every offset to a position and back', () => {
    const d = doc()
    const { node, pos } = findTextblock(d, 'p1')!
    const length = textblockText(node).length
    for (let offset = 0; offset <= length; offset++) {
      const position = offsetToPosition(node, pos, offset)
      expect(position).toBe(positionOfOffset('p1', offset))
      expect(positionToOffset(node, pos, position)).toBe(offset)
    }
  })

  it('clamps offsets and positions outside the block', () => {
    const d = doc()
    const { node, pos } = findTextblock(d, 'p2')!
    expect(offsetToPosition(node, pos, 999)).toBe(pos + 1 + node.content.size)
    expect(positionToOffset(node, pos, 0)).toBe(0)
    expect(positionToOffset(node, pos, d.content.size)).toBe(textblockText(node).length)
  })

  it('finds textblocks nested in lists and indexes them by id', () => {
    const d = doc()
    expect(textblockText(findTextblock(d, 'li1-p')!.node)).toBe('first item')
    expect(findTextblock(d, 'li1')).toBeNull()
    expect([...textblockPositions(d).keys()]).toEqual(['h1', 'p1', 'empty', 'li1-p', 'p2'])
  })
})

describe('selectionToAnchor', () => {
  it('gives the block id and the offsets of the selected words', () => {
    const d = doc()
    const from = positionOfOffset('p1', 4)
    const to = positionOfOffset('p1', 15)
    expect(selectionToAnchor(d, from, to)).toEqual({ blockId: 'p1', from: 4, to: 15, quote: 'third stage' })
  })

  it('counts the hard break as one character', () => {
    const d = doc()
    const from = positionOfOffset('p1', 10)
    const to = positionOfOffset('p1', 20)
    expect(selectionToAnchor(d, from, to)).toEqual({
      blockId: 'p1',
      from: 10,
      to: 20,
      quote: 'stage\npost',
    })
  })

  it('anchors the whole paragraph for a caret', () => {
    const d = doc()
    const at = positionOfOffset('p2', 5)
    expect(selectionToAnchor(d, at, at)).toEqual({ blockId: 'p2', from: 0, to: 0, quote: '' })
  })

  it('clamps a selection over several blocks to the first one', () => {
    const d = doc()
    const from = positionOfOffset('p1', 16)
    const to = positionOfOffset('p2', 5)
    expect(selectionToAnchor(d, from, to)).toEqual({
      blockId: 'p1',
      from: 16,
      to: 30,
      quote: 'post-delivery.',
    })
  })

  it('accepts a backwards selection', () => {
    const d = doc()
    expect(selectionToAnchor(d, positionOfOffset('p2', 7), positionOfOffset('p2', 0))?.quote).toBe('Stage 2')
  })

  it('takes the first textblock of a selection that starts between blocks', () => {
    const d = doc()
    const { pos } = findTextblock(d, 'li1-p')!
    const listPos = d.resolve(pos).before(1)
    expect(selectionToAnchor(d, listPos, listPos + 4)?.blockId).toBe('li1-p')
  })

  it('is null where no textblock with an id is', () => {
    const d = plenarySchema().nodeFromJSON({
      type: 'doc',
      content: [{ type: 'paragraph', content: [text('no id')] }],
    })
    expect(selectionToAnchor(d, 2, 4)).toBeNull()
  })
})

describe('anchorToPositions', () => {
  it('maps server offsets to positions when the words are where the server saw them', () => {
    const d = doc()
    const range = anchorToPositions(d, { blockId: 'p1', from: 4, to: 9, quote: 'third' })!
    expect(d.textBetween(range.from, range.to)).toBe('third')
  })

  it('finds the quote again when the client text moved on', () => {
    const d = doc()
    const range = anchorToPositions(d, { blockId: 'p2', from: 0, to: 7, quote: 'transit' })!
    expect(d.textBetween(range.from, range.to)).toBe('transit')
  })

  it('is null when the block or the words are gone', () => {
    const d = doc()
    expect(anchorToPositions(d, { blockId: 'gone', from: 0, to: 3, quote: 'The' })).toBeNull()
    expect(anchorToPositions(d, { blockId: 'p2', from: 0, to: 3, quote: 'absent words' })).toBeNull()
  })
})
