import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BLOCK_ID_PATTERN } from './blockIds.ts'
import type { JSONNode } from './blocks.ts'
import {
  contentToYDoc,
  elementsNeedingIds,
  emptyContent,
  InvalidContentError,
  normalizeContent,
  repairBlockIds,
  yDocToContent,
} from './content.ts'
import { YDOC_FIELD } from './schema.ts'

const text = (value: string, marks?: JSONNode['marks']): JSONNode =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (id: string | undefined, ...content: JSONNode[]): JSONNode => ({
  type: 'paragraph',
  ...(id ? { attrs: { id } } : {}),
  ...(content.length ? { content } : {}),
})
const li = (id: string, paragraphId: string, value: string): JSONNode => ({
  type: 'listItem',
  attrs: { id },
  content: [p(paragraphId, text(value))],
})

/** A workplan that uses every kind of block and mark the schema allows. */
const richDocument = (): JSONNode => ({
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { id: 'h-part1', level: 1, numberPrefix: '' },
      content: [text('Part I. Programme of work')],
    },
    p(
      'p-marks',
      text('The Conference '),
      text('decides', [{ type: 'bold' }]),
      text(' to '),
      text('consider', [{ type: 'italic' }, { type: 'underline' }]),
      text(' the '),
      text('draft', [{ type: 'strike' }]),
      text(' text, see '),
      text('the report', [{ type: 'link', attrs: { href: 'https://example.org/report' } }]),
      text(' or write to '),
      text('the secretariat', [{ type: 'link', attrs: { href: 'mailto:secretariat@example.org' } }]),
      text('.'),
    ),
    p('p-break', text('First line'), { type: 'hardBreak' }, text('second line')),
    { type: 'paragraph', attrs: { id: 'p-unnumbered', numbered: false }, content: [text('Chapeau.')] },
    {
      type: 'bulletList',
      attrs: { id: 'ul' },
      content: [li('ul-1', 'ul-1-p', 'Bullet one'), li('ul-2', 'ul-2-p', 'Bullet two')],
    },
    {
      type: 'orderedList',
      attrs: { id: 'ol', start: 1 },
      content: [
        {
          type: 'listItem',
          attrs: { id: 'ol-1' },
          content: [
            p('ol-1-p', text('Step one')),
            {
              type: 'bulletList',
              attrs: { id: 'ol-1-ul' },
              content: [li('ol-1-ul-1', 'ol-1-ul-1-p', 'Nested')],
            },
          ],
        },
      ],
    },
    {
      type: 'table',
      attrs: { id: 'tbl' },
      content: [
        {
          type: 'tableRow',
          attrs: { id: 'row-head' },
          content: [
            { type: 'tableHeader', attrs: { id: 'th-1' }, content: [p('th-1-p', text('Item'))] },
            { type: 'tableHeader', attrs: { id: 'th-2' }, content: [p('th-2-p', text('Lead'))] },
          ],
        },
        {
          type: 'tableRow',
          attrs: { id: 'row-1' },
          content: [
            { type: 'tableCell', attrs: { id: 'td-1' }, content: [p('td-1-p', text('Budget'))] },
            { type: 'tableCell', attrs: { id: 'td-2' }, content: [p('td-2-p', text('Secretariat'))] },
          ],
        },
      ],
    },
    { type: 'blockquote', attrs: { id: 'quote' }, content: [p('quote-p', text('As agreed in Geneva.'))] },
    { type: 'heading', attrs: { id: 'h-annex', level: 2, numberPrefix: 'A' }, content: [text('Annex A')] },
    p('p-annex', text('Annex paragraph.')),
    p('p-empty'),
  ],
})

/** Every node of a TipTap JSON tree, depth first. */
function nodes(node: JSONNode): JSONNode[] {
  return [node, ...(node.content ?? []).flatMap(nodes)]
}

const ids = (doc: JSONNode) =>
  nodes(doc)
    .map((node) => node.attrs?.id)
    .filter((id) => id !== undefined)

/** The id of every block in document order, null where a block has none. */
const blockIds = (doc: JSONNode) =>
  nodes(doc)
    .filter((node) => node.type !== 'doc' && node.type !== 'text' && node.type !== 'hardBreak')
    .map((node) => node.attrs?.id ?? null)

const find = (doc: JSONNode, id: string) => nodes(doc).find((node) => node.attrs?.id === id)

const markTypes = (node: JSONNode | undefined) =>
  (node?.content ?? []).map((child) => [child.text ?? child.type, (child.marks ?? []).map((m) => m.type)])

function roundTrip(json: unknown): JSONNode {
  return yDocToContent(contentToYDoc(normalizeContent(json)))
}

describe('TipTap JSON → Y.Doc → JSON', () => {
  it('keeps the whole document: every block, id, text, mark, list, table, quote and break', () => {
    const normalized = normalizeContent(richDocument())
    // The normalized form only ever adds what the schema fills in (default attributes), so the
    // document read back from the Y.Doc must contain it completely.
    expect(roundTrip(richDocument())).toMatchObject(normalized)
  })

  it('keeps every block id exactly as given', () => {
    const given = ids(richDocument())
    expect(given.length).toBeGreaterThan(30)
    expect(ids(roundTrip(richDocument()))).toEqual(given)
  })

  it('keeps the marks on the right words', () => {
    const back = find(roundTrip(richDocument()), 'p-marks')
    expect(markTypes(back)).toEqual([
      ['The Conference ', []],
      ['decides', ['bold']],
      [' to ', []],
      ['consider', ['italic', 'underline']],
      [' the ', []],
      ['draft', ['strike']],
      [' text, see ', []],
      ['the report', ['link']],
      [' or write to ', []],
      ['the secretariat', ['link']],
      ['.', []],
    ])
    const hrefs = (back?.content ?? []).flatMap((child) =>
      (child.marks ?? []).filter((m) => m.type === 'link').map((m) => m.attrs?.href),
    )
    expect(hrefs).toEqual(['https://example.org/report', 'mailto:secretariat@example.org'])
  })

  it('keeps a hard break between the two lines of a paragraph', () => {
    const back = find(roundTrip(richDocument()), 'p-break')
    expect(back?.content?.map((child) => child.type)).toEqual(['text', 'hardBreak', 'text'])
  })

  it('keeps numbered: false, numberPrefix (including the empty one) and heading levels', () => {
    const back = roundTrip(richDocument())
    expect(find(back, 'p-unnumbered')?.attrs?.numbered).toBe(false)
    expect(find(back, 'p-marks')?.attrs?.numbered).not.toBe(false)
    expect(find(back, 'h-part1')?.attrs).toMatchObject({ numberPrefix: '', level: 1 })
    expect(find(back, 'h-annex')?.attrs).toMatchObject({ numberPrefix: 'A', level: 2 })
  })

  it('keeps the header row of a table as header cells', () => {
    const table = find(roundTrip(richDocument()), 'tbl')
    expect(table?.content?.map((row) => row.content?.map((cell) => cell.type))).toEqual([
      ['tableHeader', 'tableHeader'],
      ['tableCell', 'tableCell'],
    ])
  })

  it('keeps list nesting and the quote around its paragraph', () => {
    const back = roundTrip(richDocument())
    expect(find(back, 'ol-1')?.content?.map((child) => child.type)).toEqual(['paragraph', 'bulletList'])
    expect(find(back, 'quote')?.content?.map((child) => child.attrs?.id)).toEqual(['quote-p'])
  })

  it('an empty new document has one empty paragraph with a valid id', () => {
    const back = yDocToContent(contentToYDoc(emptyContent()))
    expect(back.content).toHaveLength(1)
    expect(back.content?.[0].type).toBe('paragraph')
    expect(back.content?.[0].content ?? []).toEqual([])
    expect(String(back.content?.[0].attrs?.id)).toMatch(BLOCK_ID_PATTERN)
  })
})

describe('normalizeContent', () => {
  it('gives an id to every block that has none, lists, rows and cells included', () => {
    const input: JSONNode = {
      type: 'doc',
      content: [
        p(undefined, text('No id')),
        { type: 'bulletList', content: [{ type: 'listItem', content: [p(undefined, text('x'))] }] },
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [{ type: 'tableCell', content: [p(undefined, text('y'))] }] },
          ],
        },
        { type: 'blockquote', content: [p(undefined, text('z'))] },
      ],
    }
    const out = normalizeContent(input)
    const blocks = nodes(out).filter((node) => node.type !== 'doc' && node.type !== 'text')
    expect(blocks.map((node) => node.type)).toEqual([
      'paragraph',
      'bulletList',
      'listItem',
      'paragraph',
      'table',
      'tableRow',
      'tableCell',
      'paragraph',
      'blockquote',
      'paragraph',
    ])
    const given = blocks.map((node) => node.attrs?.id)
    for (const id of given) expect(String(id)).toMatch(BLOCK_ID_PATTERN)
    expect(new Set(given).size).toBe(given.length)
    // The caller's object is left alone.
    expect(input.content?.[0].attrs).toBeUndefined()
  })

  it('keeps the first holder of a duplicated id and gives later ones fresh ids', () => {
    const out = normalizeContent({
      type: 'doc',
      content: [p('same', text('first')), p('other', text('middle')), p('same', text('second'))],
    })
    const [first, middle, second] = out.content ?? []
    expect(first.attrs?.id).toBe('same')
    expect(middle.attrs?.id).toBe('other')
    expect(second.attrs?.id).not.toBe('same')
    expect(second.attrs?.id).not.toBe('other')
    expect(String(second.attrs?.id)).toMatch(BLOCK_ID_PATTERN)
    expect(second.content?.[0].text).toBe('second')
  })

  it('replaces ids that are not of the allowed form', () => {
    const out = normalizeContent({ type: 'doc', content: [p('has space'), p('x'.repeat(65)), p('ok_id-1')] })
    const got = (out.content ?? []).map((node) => node.attrs?.id)
    expect(got[0]).not.toBe('has space')
    expect(got[1]).not.toBe('x'.repeat(65))
    expect(got[2]).toBe('ok_id-1')
    for (const id of got) expect(String(id)).toMatch(BLOCK_ID_PATTERN)
  })

  it('drops javascript: links but keeps their text and other marks', () => {
    const out = normalizeContent({
      type: 'doc',
      content: [
        p(
          'p',
          text('click', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }, { type: 'bold' }]),
          text('data', [{ type: 'link', attrs: { href: 'data:text/html,<script>alert(1)</script>' } }]),
          text('missing', [{ type: 'link' }]),
        ),
      ],
    })
    const content = out.content?.[0].content ?? []
    expect(content.map((node) => node.text)).toEqual(['click', 'data', 'missing'])
    expect(content.map((node) => (node.marks ?? []).map((m) => m.type))).toEqual([['bold'], [], []])
  })

  it('keeps https, http and mailto links', () => {
    const hrefs = ['https://example.org/a?b=c#d', 'http://example.org', 'mailto:someone@example.org']
    const out = normalizeContent({
      type: 'doc',
      content: [p('p', ...hrefs.map((href, i) => text(`link ${i} `, [{ type: 'link', attrs: { href } }])))],
    })
    const kept = (out.content?.[0].content ?? []).map((node) => node.marks?.[0]?.attrs?.href)
    expect(kept).toEqual(hrefs)
  })

  it.each([
    ['null', null],
    ['a string', 'Part I'],
    ['an array', [{ type: 'paragraph' }]],
    ['a paragraph instead of a doc', { type: 'paragraph', content: [] }],
    ['a doc without a type', { content: [{ type: 'paragraph' }] }],
  ])('refuses %s that is not a document', (_label, input) => {
    expect(() => normalizeContent(input)).toThrow(InvalidContentError)
  })

  it.each([
    ['an unknown node type', { type: 'doc', content: [{ type: 'video', attrs: { src: 'x' } }] }],
    ['an unknown mark type', { type: 'doc', content: [p('p', text('x', [{ type: 'code' }]))] }],
    ['text directly in the doc', { type: 'doc', content: [text('loose text')] }],
    ['a doc with no blocks', { type: 'doc', content: [] }],
    ['a paragraph inside a paragraph', { type: 'doc', content: [{ type: 'paragraph', content: [p('in')] }] }],
    ['a list without items', { type: 'doc', content: [{ type: 'bulletList', content: [] }] }],
    ['an empty text node', { type: 'doc', content: [p('p', { type: 'text', text: '' })] }],
    ['a node without a type', { type: 'doc', content: [{ content: [] }] }],
    ['content that is not an array', { type: 'doc', content: { type: 'paragraph' } }],
    [
      'marks that are not an array',
      {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: 'bold' }] }],
      },
    ],
  ])('refuses %s with InvalidContentError', (_label, input) => {
    expect(() => normalizeContent(input)).toThrow(InvalidContentError)
  })

  it('refuses content nested absurdly deep instead of overflowing the stack', () => {
    let node: JSONNode = p('leaf', text('deep'))
    for (let i = 0; i < 200; i++) node = { type: 'blockquote', content: [node] }
    expect(() => normalizeContent({ type: 'doc', content: [node] })).toThrow(InvalidContentError)
  })
})

describe('block id repair in the shared document', () => {
  /** A shared document whose ids were broken the way concurrent edits break them. */
  function brokenDoc() {
    const doc = contentToYDoc(
      normalizeContent({
        type: 'doc',
        content: [
          p('p-a', text('A')),
          {
            type: 'bulletList',
            attrs: { id: 'ul' },
            content: [li('li-1', 'li-1-p', 'one'), li('li-2', 'li-2-p', 'two')],
          },
          p('p-b', text('B')),
          p('p-c', text('C')),
        ],
      }),
    )
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    const [pA, list, pB, pC] = fragment.toArray() as Y.XmlElement[]
    const secondItem = (list.toArray() as Y.XmlElement[])[1]
    doc.transact(() => {
      secondItem.removeAttribute('id') // a block that lost its id
      pC.setAttribute('id', 'p-a') // a split that handed the first block's id to a later one
    })
    return { doc, fragment, pA, list, secondItem, pB, pC }
  }

  it('elementsNeedingIds lists exactly the blocks without an id or with a taken one, in document order', () => {
    const { fragment, secondItem, pC } = brokenDoc()
    const bad = elementsNeedingIds(fragment)
    expect(bad).toHaveLength(2)
    expect(bad[0]).toBe(secondItem)
    expect(bad[1]).toBe(pC)
  })

  it('repairBlockIds fixes those two and leaves every other id alone', () => {
    const { doc, fragment, pA, pC, secondItem } = brokenDoc()
    const before = yDocToContent(doc)
    let repaired = 0
    doc.transact(() => {
      repaired = repairBlockIds(fragment)
    })
    expect(repaired).toBe(2)
    expect(pA.getAttribute('id')).toBe('p-a')
    expect(pC.getAttribute('id')).not.toBe('p-a')
    expect(String(pC.getAttribute('id'))).toMatch(BLOCK_ID_PATTERN)
    expect(String(secondItem.getAttribute('id'))).toMatch(BLOCK_ID_PATTERN)

    const after = blockIds(yDocToContent(doc))
    expect(new Set(after).size).toBe(after.length)
    // Blocks 4 (the second list item) and 7 (the last paragraph) are the repaired ones.
    expect(blockIds(before)[4]).toBeNull()
    expect(blockIds(before)[7]).toBe('p-a')
    const untouched = (list: unknown[]) => list.filter((_, i) => i !== 4 && i !== 7)
    expect(untouched(after)).toEqual(['p-a', 'ul', 'li-1', 'li-1-p', 'li-2-p', 'p-b'])
    expect(untouched(blockIds(before))).toEqual(untouched(after))
    expect(elementsNeedingIds(fragment)).toEqual([])
  })

  it('a repair is an ordinary update that another replica receives', () => {
    const { doc, fragment } = brokenDoc()
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    expect(elementsNeedingIds(replica.getXmlFragment(YDOC_FIELD))).toHaveLength(2)
    const stateBefore = Y.encodeStateVector(doc)
    doc.transact(() => repairBlockIds(fragment))
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc, stateBefore))
    expect(elementsNeedingIds(replica.getXmlFragment(YDOC_FIELD))).toEqual([])
    expect(ids(yDocToContent(replica))).toEqual(ids(yDocToContent(doc)))
  })

  it('a document without problems needs no repair', () => {
    const doc = contentToYDoc(normalizeContent(richDocument()))
    const fragment = doc.getXmlFragment(YDOC_FIELD)
    expect(elementsNeedingIds(fragment)).toEqual([])
    expect(repairBlockIds(fragment)).toBe(0)
  })
})
