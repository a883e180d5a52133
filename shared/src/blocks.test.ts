import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Block, findYBlock, type JSONNode, jsonDocBlocks, yBlockText, yDocBlocks } from './blocks.ts'
import { contentToYDoc, normalizeContent } from './content.ts'
import { YDOC_FIELD } from './schema.ts'

const text = (value: string, marks?: JSONNode['marks']): JSONNode =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (id: string, ...content: JSONNode[]): JSONNode => ({
  type: 'paragraph',
  attrs: { id },
  ...(content.length ? { content } : {}),
})
const h = (id: string, numberPrefix: string | null, value: string): JSONNode => ({
  type: 'heading',
  attrs: { id, level: 2, ...(numberPrefix === null ? {} : { numberPrefix }) },
  content: [text(value)],
})
const li = (id: string, ...content: JSONNode[]): JSONNode => ({
  type: 'listItem',
  attrs: { id: `${id}-li` },
  content,
})
const cell = (type: 'tableCell' | 'tableHeader', id: string, value: string): JSONNode => ({
  type,
  attrs: { id: `${id}-cell` },
  content: [p(id, text(value))],
})

const workplan: JSONNode = {
  type: 'doc',
  content: [
    p('intro', text('Preamble before any heading.')),
    h('h1', '', 'Part I'),
    p('p1', text('The Conference '), text('decides', [{ type: 'bold' }]), text('.')),
    p('p2', text('Line one'), { type: 'hardBreak' }, text('line two')),
    { type: 'paragraph', attrs: { id: 'chapeau', numbered: false }, content: [text('Chapeau:')] },
    {
      type: 'bulletList',
      attrs: { id: 'ul' },
      content: [
        li('b1', p('b1', text('Bullet one'))),
        li('b2', p('b2', text('Bullet two')), {
          type: 'orderedList',
          attrs: { id: 'ol' },
          content: [li('b2a', p('b2a', text('Sub-item')))],
        }),
      ],
    },
    p('p3', text('After the list.')),
    h('h1-1', null, 'A sub-heading'),
    p('p4', text('Still Part I.')),
    {
      type: 'table',
      attrs: { id: 'tbl' },
      content: [
        {
          type: 'tableRow',
          attrs: { id: 'r0' },
          content: [cell('tableHeader', 'th1', 'Activity'), cell('tableHeader', 'th2', 'Lead')],
        },
        {
          type: 'tableRow',
          attrs: { id: 'r1' },
          content: [cell('tableCell', 'td1', 'Review'), cell('tableCell', 'td2', 'Secretariat')],
        },
      ],
    },
    {
      type: 'blockquote',
      attrs: { id: 'bq' },
      content: [p('q1', text('Quoted.')), h('qh', 'Z', 'Quoted heading')],
    },
    // The quoted heading's prefix must not restart the count of the paragraph after the quote.
    p('p5', text('After the quote.')),
    h('annexA', 'A', 'Annex A'),
    p('a1', text('First annex paragraph.')),
    p('a2'),
    h('annexB', 'B', 'Annex B'),
    p('b-1', text('Only paragraph of annex B.')),
  ],
}

const expected: Block[] = [
  { id: 'intro', type: 'paragraph', number: '1', text: 'Preamble before any heading.' },
  { id: 'h1', type: 'heading', number: null, text: 'Part I' },
  { id: 'p1', type: 'paragraph', number: '1', text: 'The Conference decides.' },
  { id: 'p2', type: 'paragraph', number: '2', text: 'Line one\nline two' },
  { id: 'chapeau', type: 'paragraph', number: null, text: 'Chapeau:' },
  { id: 'b1', type: 'listItem', number: null, text: 'Bullet one' },
  { id: 'b2', type: 'listItem', number: null, text: 'Bullet two' },
  { id: 'b2a', type: 'listItem', number: null, text: 'Sub-item' },
  { id: 'p3', type: 'paragraph', number: '3', text: 'After the list.' },
  { id: 'h1-1', type: 'heading', number: null, text: 'A sub-heading' },
  { id: 'p4', type: 'paragraph', number: '4', text: 'Still Part I.' },
  { id: 'th1', type: 'tableHeader', number: null, text: 'Activity' },
  { id: 'th2', type: 'tableHeader', number: null, text: 'Lead' },
  { id: 'td1', type: 'tableCell', number: null, text: 'Review' },
  { id: 'td2', type: 'tableCell', number: null, text: 'Secretariat' },
  { id: 'q1', type: 'blockquote', number: null, text: 'Quoted.' },
  { id: 'qh', type: 'heading', number: null, text: 'Quoted heading' },
  { id: 'p5', type: 'paragraph', number: '5', text: 'After the quote.' },
  { id: 'annexA', type: 'heading', number: null, text: 'Annex A' },
  { id: 'a1', type: 'paragraph', number: 'A1', text: 'First annex paragraph.' },
  { id: 'a2', type: 'paragraph', number: 'A2', text: '' },
  { id: 'annexB', type: 'heading', number: null, text: 'Annex B' },
  { id: 'b-1', type: 'paragraph', number: 'B1', text: 'Only paragraph of annex B.' },
]

describe('blocks of a document', () => {
  it('reads the blocks of TipTap JSON with their types, derived numbers and plain text', () => {
    expect(jsonDocBlocks(normalizeContent(workplan))).toEqual(expected)
  })

  it('reads the same blocks from the shared Y.Doc as from the JSON it was made from', () => {
    const normalized = normalizeContent(workplan)
    expect(yDocBlocks(contentToYDoc(normalized))).toEqual(jsonDocBlocks(normalized))
    expect(yDocBlocks(contentToYDoc(normalized))).toEqual(expected)
  })

  it('counts a hard break as one \\n, and two breaks as two', () => {
    const doc: JSONNode = {
      type: 'doc',
      content: [
        p('x', text('a'), { type: 'hardBreak' }, { type: 'hardBreak' }, text('b'), { type: 'hardBreak' }),
      ],
    }
    const normalized = normalizeContent(doc)
    expect(jsonDocBlocks(normalized)[0].text).toBe('a\n\nb\n')
    expect(yDocBlocks(contentToYDoc(normalized))[0].text).toBe('a\n\nb\n')
  })

  it('measures text in UTF-16 units as JavaScript does (emoji and accents kept as written)', () => {
    const normalized = normalizeContent({ type: 'doc', content: [p('x', text('Côte d’Ivoire 🇨🇮 ok'))] })
    const [block] = yDocBlocks(contentToYDoc(normalized))
    expect(block.text).toBe('Côte d’Ivoire 🇨🇮 ok')
    expect(block.text.length).toBe('Côte d’Ivoire '.length + 4 + ' ok'.length)
  })

  it('joins text spread over several Y.XmlText nodes with formatting', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.setAttribute('id', 'spread')
    fragment.insert(0, [paragraph])
    const first = new Y.XmlText()
    const second = new Y.XmlText()
    const breakElement = new Y.XmlElement('hardBreak')
    const third = new Y.XmlText()
    paragraph.insert(0, [first, second, breakElement, third])
    first.insert(0, 'The ')
    first.insert(4, 'Parties', { bold: {} })
    second.insert(0, ' shall ')
    second.insert(7, 'report', { italic: {}, link: { href: 'https://example.org' } })
    third.insert(0, 'annually.')
    third.format(0, 8, { underline: {} })

    expect(yBlockText(paragraph)).toBe('The Parties shall report\nannually.')
    expect(yDocBlocks(doc)).toEqual([
      { id: 'spread', type: 'paragraph', number: '1', text: 'The Parties shall report\nannually.' },
    ])
  })

  it('an empty paragraph has empty text but still a number', () => {
    const normalized = normalizeContent({ type: 'doc', content: [p('e'), p('f', text('x'))] })
    expect(yDocBlocks(contentToYDoc(normalized))).toEqual([
      { id: 'e', type: 'paragraph', number: '1', text: '' },
      { id: 'f', type: 'paragraph', number: '2', text: 'x' },
    ])
  })

  it('renumbers when a paragraph is inserted into the shared document', () => {
    const doc = contentToYDoc(normalizeContent(workplan))
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    const inserted = new Y.XmlElement('paragraph')
    inserted.setAttribute('id', 'new-para')
    // Right after "Part I": the new paragraph becomes 1 and the old ones move down.
    fragment.insert(2, [inserted])
    inserted.insert(0, [new Y.XmlText('Inserted.')])
    const numbers = Object.fromEntries(yDocBlocks(doc).map((block) => [block.id, block.number]))
    expect(numbers).toMatchObject({
      'new-para': '1',
      p1: '2',
      p2: '3',
      p3: '4',
      p4: '5',
      a1: 'A1',
      'b-1': 'B1',
    })
  })

  it('stops numbering a paragraph once it is marked numbered: false in the shared document', () => {
    const doc = contentToYDoc(normalizeContent(workplan))
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    // The editor's binding stores attribute values as they are, booleans included (Yjs types them as strings).
    findYBlock(fragment, 'p1')?.setAttribute('numbered', false as unknown as string)
    const numbers = Object.fromEntries(yDocBlocks(doc).map((block) => [block.id, block.number]))
    expect(numbers).toMatchObject({ p1: null, p2: '1', p3: '2', p4: '3' })
  })
})

describe('findYBlock', () => {
  const doc = contentToYDoc(normalizeContent(workplan))
  const fragment = doc.getXmlFragment(YDOC_FIELD)

  it.each([
    ['a top-level paragraph', 'p2', 'paragraph', 'Line one\nline two'],
    ['a paragraph in a nested list', 'b2a', 'paragraph', 'Sub-item'],
    ['a paragraph in a table cell', 'td2', 'paragraph', 'Secretariat'],
    ['a heading inside a quote', 'qh', 'heading', 'Quoted heading'],
  ])('finds %s by its id', (_label, id, nodeName, blockText) => {
    const element = findYBlock(fragment, id)
    expect(element?.nodeName).toBe(nodeName)
    expect(element?.getAttribute('id')).toBe(id)
    expect(yBlockText(element as Y.XmlElement)).toBe(blockText)
  })

  it('finds container blocks too (list items, rows, cells)', () => {
    expect(findYBlock(fragment, 'b2a-li')?.nodeName).toBe('listItem')
    expect(findYBlock(fragment, 'r1')?.nodeName).toBe('tableRow')
    expect(findYBlock(fragment, 'th1-cell')?.nodeName).toBe('tableHeader')
  })

  it('returns null for an id that is not in the document', () => {
    expect(findYBlock(fragment, 'no-such-block')).toBeNull()
  })
})
