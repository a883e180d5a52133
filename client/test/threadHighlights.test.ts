/**
 * The highlights of commented words follow every edit; after a change inside one block they are
 * mapped, not drawn again, and must still be exactly what drawing them again gives.
 */
import { seededRandom } from '@plenary/shared/seededRandom'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { EditorState, type Transaction } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import {
  decorate,
  type HighlightRange,
  highlightTransaction,
  threadHighlightsKey,
  threadHighlightsPlugin,
} from '../src/comments/threadHighlights.ts'
import { paragraphsSchema as schema } from './headlessEditor.ts'

/** A seeded pick of an integer below `n`. */
function random(seed: number) {
  const next = seededRandom(seed)
  return (n: number) => Math.floor(next() * n)
}

const words = ['the ', 'working ', 'group ', 'shall ', 'consider ', 'voluntary ', 'nature ']

/** Ten paragraphs, threads on words of most and on three whole paragraphs. */
function draft(pick: (n: number) => number): EditorState {
  const paragraphs = Array.from({ length: 10 }, (_, i) =>
    schema.node(
      'paragraph',
      { id: `p${i}` },
      schema.text(`Paragraph ${i + 1}. The purpose of the workplan.`),
    ),
  )
  let state = EditorState.create({
    doc: schema.node('doc', null, paragraphs),
    plugins: [threadHighlightsPlugin()],
  })
  const ranges: HighlightRange[] = []
  state.doc.forEach((node, offset, index) => {
    const start = offset + 1
    for (let k = 0; k < 2; k++) {
      const from = start + pick(node.content.size - 4)
      ranges.push({
        threadId: `t${index}-${k}`,
        status: pick(5) === 0 ? 'withdrawn' : 'open',
        kind: 'range',
        blockId: node.attrs.id,
        from,
        to: from + 1 + pick(8),
      })
    }
    if (index % 4 === 1) {
      ranges.push({
        threadId: `t${index}-p`,
        status: 'open',
        kind: 'paragraph',
        blockId: node.attrs.id,
        from: start,
        to: start + node.content.size,
      })
    }
  })
  state = state.apply(highlightTransaction(state, { ranges, activeId: 't3-0' }))
  return state
}

/** A random edit: mostly typing and deleting inside a paragraph, sometimes a split or a join. */
function edit(state: EditorState, pick: (n: number) => number): Transaction {
  const { doc } = state
  const index = pick(doc.childCount)
  let start = 0
  for (let i = 0; i < index; i++) start += doc.child(i).nodeSize
  const paragraph = doc.child(index)
  const at = start + 1 + pick(paragraph.content.size + 1)
  const kind = pick(20)
  const tr = state.tr
  if (kind < 9) tr.insertText(words[pick(words.length)], at)
  else if (kind < 16 && at < start + 1 + paragraph.content.size) {
    tr.delete(at, Math.min(at + 1 + pick(12), start + 1 + paragraph.content.size))
  } else if (kind < 18) tr.split(at, 1, [{ type: schema.nodes.paragraph, attrs: { id: `n${pick(1e9)}` } }])
  else if (index > 0) tr.join(start)
  else tr.insertText('x', at)
  return tr
}

/** The same edit as another person's change arrives: one step replacing the whole document. */
function asRemote(state: EditorState, local: Transaction): Transaction {
  return state.tr
    .replaceWith(0, state.doc.content.size, local.doc.content)
    .setMeta(ySyncPluginKey, { isChangeOrigin: true })
}

type Drawn = { from: number; to: number; attrs: unknown }
const drawn = (set: DecorationSet): Drawn[] =>
  set
    .find()
    .map((d) => ({
      from: d.from,
      to: d.to,
      attrs: (d as unknown as { type: { attrs: unknown } }).type.attrs,
    }))
    .sort(
      (a, b) =>
        a.from - b.from || a.to - b.to || JSON.stringify(a.attrs).localeCompare(JSON.stringify(b.attrs)),
    )

/** The per-paragraph sets a decoration set holds (ProseMirror's own structure). */
const childSets = (set: DecorationSet) =>
  (set as unknown as { children: (number | DecorationSet)[] }).children.filter((c) => typeof c !== 'number')

const stateOf = (state: EditorState) => {
  const plugin = threadHighlightsKey.getState(state)
  if (!plugin) throw new Error('no highlight state')
  return plugin
}

describe('thread highlights through edits', () => {
  it('are after every edit, mapped or not, what drawing them again gives', () => {
    let mapped = 0
    for (let seed = 1; seed <= 40; seed++) {
      const pick = random(seed)
      let state = draft(pick)
      for (let step = 0; step < 60; step++) {
        const local = edit(state, pick)
        const tr = pick(3) === 0 ? asRemote(state, local) : local
        const before = new Set(childSets(stateOf(state).decorations))
        state = state.apply(tr)
        const after = stateOf(state)
        expect(drawn(after.decorations), `seed ${seed}, step ${step}`).toEqual(
          drawn(decorate(state.doc as ProseMirrorNode, after)),
        )
        // Mapping keeps the paragraphs' decorations it did not touch: the same objects.
        if (childSets(after.decorations).some((set) => before.has(set))) mapped += 1
      }
    }
    // Most edits stay inside a paragraph without a whole-paragraph thread: mapped, not redrawn.
    expect(mapped).toBeGreaterThan(1_000)
  })
})
