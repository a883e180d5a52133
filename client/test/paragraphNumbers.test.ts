/**
 * The margin numbers are redrawn only where an edit changed them; they must still be exactly the
 * numbers a full redraw gives, after any local edit or any change from another person.
 */
import { type Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import { EditorState, type Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { initialNumbers, type NumberState, nextNumbers } from '../src/editor/paragraphNumbers.ts'

const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'text*', attrs: { numbered: { default: null } } },
    heading: { group: 'block', content: 'text*', attrs: { numberPrefix: { default: null } } },
    text: {},
  },
})

/** Where each number is drawn, as a redraw of the whole document places them. */
const drawn = (state: NumberState) =>
  state.decorations
    .find()
    .map((d) => `${d.from}:${(d.spec as { key: string }).key}`)
    .sort()

function random(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return s % n
  }
}

const paragraph = (text: string, numbered: boolean | null = null) =>
  schema.nodes.paragraph.create({ numbered }, text ? schema.text(text) : undefined)

function startDoc(count: number): ProseMirrorNode {
  const blocks: ProseMirrorNode[] = []
  for (let i = 0; i < count; i++) {
    if (i % 7 === 0)
      blocks.push(
        schema.nodes.heading.create({ numberPrefix: i % 14 === 0 ? 'C' : null }, schema.text(`Part ${i}`)),
      )
    blocks.push(paragraph(`Paragraph ${i} of the draft.`))
  }
  return schema.nodes.doc.create(null, blocks)
}

/** Top-level start positions of the document's children. */
function starts(doc: ProseMirrorNode) {
  const out: number[] = []
  doc.forEach((_node, offset) => {
    out.push(offset)
  })
  return out
}

/** One random edit: typing, deleting across paragraphs, splitting, inserting, renumbering, a remote change. */
function edit(state: EditorState, pick: (n: number) => number): Transaction {
  const { doc } = state
  const at = starts(doc)
  const i = pick(at.length)
  const node = doc.child(i)
  const inside = at[i] + 1 + pick(node.content.size + 1)
  const tr = state.tr
  switch (pick(8)) {
    case 0:
      return tr.insertText('word ', inside)
    case 1: {
      const end = Math.min(doc.content.size - 1, inside + pick(80))
      return end > inside ? tr.delete(inside, end) : tr.insertText('x', inside)
    }
    case 2:
      return node.type.name === 'paragraph' ? tr.split(inside) : tr.insertText('y', inside)
    case 3:
      return tr.insert(at[i], paragraph(`New ${pick(1000)}`, pick(3) === 0 ? false : null))
    case 4:
      return node.type.name === 'paragraph'
        ? tr.setNodeMarkup(at[i], undefined, { numbered: node.attrs.numbered === false ? null : false })
        : tr.setNodeMarkup(at[i], undefined, { numberPrefix: node.attrs.numberPrefix === null ? 'A' : null })
    case 5:
      return doc.childCount > 2 ? tr.delete(at[i], at[i] + node.nodeSize) : tr.insertText('z', inside)
    case 6: {
      // Another person's change, as y-tiptap applies it: the whole document replaced, every
      // node built anew (equal, not the same objects).
      const children: ProseMirrorNode[] = []
      doc.forEach((child, _offset, index) => {
        if (index === i && child.type.name === 'paragraph')
          children.push(paragraph(`${child.textContent} remote`))
        else children.push(schema.nodeFromJSON(child.toJSON()))
        if (index === i && pick(2) === 0) children.push(paragraph('Inserted by another delegation'))
      })
      return tr.replaceWith(0, doc.content.size, children).setMeta(ySyncPluginKey, { isChangeOrigin: true })
    }
    default: {
      // Two steps in one transaction: text in one paragraph, a paragraph removed after it.
      tr.insertText('two ', inside)
      const later = starts(tr.doc)
      const j = pick(later.length)
      return tr.doc.childCount > 2 ? tr.delete(later[j], later[j] + tr.doc.child(j).nodeSize) : tr
    }
  }
}

describe('paragraph numbers in the margin', () => {
  it('after every kind of edit, equal the numbers of a full redraw', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const pick = random(seed)
      let state = EditorState.create({ schema, doc: startDoc(30) })
      let numbers = initialNumbers(state.doc)
      for (let step = 0; step < 60; step++) {
        const tr = edit(state, pick)
        state = state.apply(tr)
        numbers = nextNumbers(numbers, state.doc)
        expect(drawn(numbers), `seed ${seed}, edit ${step}`).toEqual(drawn(initialNumbers(state.doc)))
      }
    }
  })

  it('typing in one paragraph of 2,000 redraws the number of that paragraph only', () => {
    let state = EditorState.create({ schema, doc: startDoc(2000) })
    // A mapped widget keeps its drawing (the same widget type); a redrawn one gets a new one.
    const typeOf = (d: unknown) => (d as { type: object }).type
    const before = initialNumbers(state.doc)
    const kept = new Set(before.decorations.find().map(typeOf))
    const at = starts(state.doc)
    const typedInto = at.findIndex((_, i) => i >= 1000 && state.doc.child(i).type.name === 'paragraph')
    const tr = state.tr.insertText('typed', at[typedInto] + 5)
    state = state.apply(tr)
    const after = nextNumbers(before, state.doc)
    expect(after.decorations.find().filter((d) => !kept.has(typeOf(d)))).toHaveLength(1)
    expect(drawn(after)).toEqual(drawn(initialNumbers(state.doc)))
  })

  it('a remote keystroke, every node built anew, redraws the number of that paragraph only', () => {
    let state = EditorState.create({ schema, doc: startDoc(2000) })
    const typeOf = (d: unknown) => (d as { type: object }).type
    const before = initialNumbers(state.doc)
    const kept = new Set(before.decorations.find().map(typeOf))
    const target = starts(state.doc).findIndex(
      (_, i) => i >= 1000 && state.doc.child(i).type.name === 'paragraph',
    )
    const children: ProseMirrorNode[] = []
    state.doc.forEach((child, _offset, index) => {
      children.push(
        index === target ? paragraph(`${child.textContent}x`) : schema.nodeFromJSON(child.toJSON()),
      )
    })
    const tr = state.tr
      .replaceWith(0, state.doc.content.size, children)
      .setMeta(ySyncPluginKey, { isChangeOrigin: true })
    state = state.apply(tr)
    const after = nextNumbers(before, state.doc)
    expect(after.decorations.find().filter((d) => !kept.has(typeOf(d)))).toHaveLength(1)
    expect(drawn(after)).toEqual(drawn(initialNumbers(state.doc)))
  })
})
