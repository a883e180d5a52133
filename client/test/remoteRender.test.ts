/**
 * A change from elsewhere redraws only the blocks it touched: y-tiptap is patched (patches/) to keep
 * its map from Yjs types to ProseMirror nodes across remote changes instead of emptying it each
 * time. What the editor shows must still be exactly what a full redraw of the Yjs document gives,
 * after any mix of remote and local edits: typing, deleting, splitting and joining paragraphs,
 * formatting, attributes, blocks inserted, deleted, moved and nested in lists.
 */
import { seededRandom } from '@plenary/shared/seededRandom'
import { type Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { ySyncPluginKey, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { headlessEditor } from './headlessEditor.ts'

const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'text*', attrs: { id: { default: null } } },
    heading: { group: 'block', content: 'text*', attrs: { id: { default: null }, level: { default: 2 } } },
    bulletList: { group: 'block', content: 'listItem+' },
    listItem: { content: 'paragraph block*' },
    text: {},
  },
  marks: { bold: {}, italic: {} },
})

const boundEditor = (fragment: Y.XmlFragment) => headlessEditor(schema, fragment)

const FRAGMENT = 'default'

function paragraphElement(text: string, id: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.setAttribute('id', id)
  element.insert(0, [new Y.XmlText(text)])
  return element
}

function listElement(texts: string[], id: string): Y.XmlElement {
  const list = new Y.XmlElement('bulletList')
  list.insert(
    0,
    texts.map((text, i) => {
      const item = new Y.XmlElement('listItem')
      item.insert(0, [paragraphElement(text, `${id}-${i}`)])
      return item
    }),
  )
  return list
}

/** Every XmlText under a type, in document order. */
function texts(type: Y.XmlFragment | Y.XmlElement, out: Y.XmlText[] = []): Y.XmlText[] {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) out.push(child)
    else if (child instanceof Y.XmlElement) texts(child, out)
  }
  return out
}

/** One change made by another person, in their own copy. */
function remoteEdit(doc: Y.Doc, pick: (n: number) => number, n: number): void {
  const root = doc.getXmlFragment(FRAGMENT)
  const blocks = root.toArray() as Y.XmlElement[]
  const all = texts(root)
  const text = all[pick(all.length)]
  doc.transact(() => {
    switch (pick(9)) {
      case 0:
      case 1: {
        text.insert(pick(text.length + 1), ` remote ${n}`, pick(3) === 0 ? { bold: {} } : {})
        break
      }
      case 2: {
        if (text.length > 2) {
          const at = pick(text.length - 1)
          text.delete(at, 1 + pick(Math.min(6, text.length - at - 1)))
        }
        break
      }
      case 3: {
        if (text.length > 2) text.format(0, 1 + pick(text.length - 1), { italic: pick(2) ? {} : null })
        break
      }
      case 4: {
        root.insert(pick(blocks.length + 1), [paragraphElement(`Inserted ${n}.`, `r${n}`)])
        break
      }
      case 5: {
        if (blocks.length > 2) root.delete(pick(blocks.length), 1)
        break
      }
      case 6: {
        // A block moved: Yjs has no move, so it is deleted and inserted anew elsewhere.
        if (blocks.length > 2) {
          const from = pick(blocks.length)
          const copy = blocks[from].clone()
          root.delete(from, 1)
          root.insert(pick(blocks.length), [copy])
        }
        break
      }
      case 7: {
        const block = blocks[pick(blocks.length)]
        if (block.nodeName === 'paragraph') block.setAttribute('id', `renamed-${n}`)
        else root.insert(pick(blocks.length + 1), [listElement([`Item ${n}.`, `Item ${n}b.`], `l${n}`)])
        break
      }
      default: {
        // A list item added to a list, or a new list.
        const list = blocks.find((b) => b.nodeName === 'bulletList')
        if (list) {
          const item = new Y.XmlElement('listItem')
          item.insert(0, [paragraphElement(`Nested ${n}.`, `n${n}`)])
          list.insert(pick(list.length + 1), [item])
        } else root.insert(pick(blocks.length + 1), [listElement([`Item ${n}.`], `l${n}`)])
      }
    }
  })
}

/** One change typed in this editor, as ProseMirror makes it. */
function localEdit(state: EditorState, pick: (n: number) => number, n: number): Transaction | null {
  const textblocks: { from: number; to: number }[] = []
  state.doc.descendants((node, pos) => {
    if (node.isTextblock) textblocks.push({ from: pos + 1, to: pos + 1 + node.content.size })
  })
  const block = textblocks[pick(textblocks.length)]
  const at = block.from + pick(block.to - block.from + 1)
  switch (pick(5)) {
    case 0:
      return state.tr.insertText(` local ${n}`, at)
    case 1:
      return block.to > block.from ? state.tr.delete(block.from, Math.min(block.to, block.from + 3)) : null
    case 2:
      // Enter: the paragraph split in two.
      return state.tr.split(at)
    case 3: {
      // Backspace at the start of a later paragraph, joining it to the one before.
      const second = textblocks.indexOf(block)
      if (second < 1) return null
      const previous = textblocks[second - 1]
      if (state.doc.resolve(block.from).depth !== state.doc.resolve(previous.from).depth) return null
      return state.tr.delete(previous.to, block.from)
    }
    default:
      return block.to > block.from
        ? state.tr.addMark(block.from, block.to, schema.marks.bold.create())
        : state.tr.insertText(`Typed ${n}.`, at)
  }
}

const shown = (view: { state: EditorState }) => view.state.doc
const redrawn = (doc: Y.Doc): ProseMirrorNode =>
  yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FRAGMENT), schema)

function startDocs(): [Y.Doc, Y.Doc] {
  const remote = new Y.Doc()
  const root = remote.getXmlFragment(FRAGMENT)
  root.insert(
    0,
    Array.from({ length: 12 }, (_, i) =>
      i === 5
        ? listElement(['First item.', 'Second item.'], 'list')
        : paragraphElement(`Paragraph ${i}.`, `p${i}`),
    ),
  )
  const local = new Y.Doc()
  Y.applyUpdate(local, Y.encodeStateAsUpdate(remote))
  return [remote, local]
}

describe('an editor redrawing only what a remote change touched', () => {
  it('shows exactly what a full redraw gives, through 40 runs of 60 mixed remote and local edits', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed)
      const pick = (n: number) => Math.floor(random() * n)
      const [remote, local] = startDocs()
      const view = boundEditor(local.getXmlFragment(FRAGMENT))
      expect(shown(view).eq(redrawn(local))).toBe(true)
      for (let n = 0; n < 60; n++) {
        if (pick(3) > 0) {
          const before = Y.encodeStateVector(remote)
          remoteEdit(remote, pick, n)
          Y.applyUpdate(local, Y.encodeStateAsUpdate(remote, before))
        } else {
          const tr = localEdit(view.state, pick, n)
          if (tr) view.dispatch(tr)
          Y.applyUpdate(remote, Y.encodeStateAsUpdate(local, Y.encodeStateVector(remote)))
        }
        const message = `seed ${seed}, edit ${n}`
        expect(shown(view).toJSON(), message).toEqual(redrawn(local).toJSON())
      }
      // Both copies hold the same text, and the editor shows it.
      Y.applyUpdate(local, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(local)))
      Y.applyUpdate(remote, Y.encodeStateAsUpdate(local, Y.encodeStateVector(remote)))
      expect(redrawn(remote).toJSON()).toEqual(redrawn(local).toJSON())
      expect(shown(view).toJSON()).toEqual(redrawn(remote).toJSON())
      expect(ySyncPluginKey.getState(view.state)).toBeTruthy()
    }
  })
})
