/**
 * The margin lays out only the cards of the block a change was in when the change stayed inside
 * one top-level block; anything else must be reported as a change anywhere (null).
 */
import { Schema } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { changedWithin } from '../src/comments/changedBlocks.ts'

const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: { group: 'block', content: 'text*', attrs: { id: { default: null } } },
    bulletList: { group: 'block', content: 'listItem+' },
    listItem: { content: 'paragraph+' },
    text: {},
  },
})

const p = (id: string, text: string) => schema.node('paragraph', { id }, text ? schema.text(text) : [])
const draft = () =>
  EditorState.create({
    doc: schema.node('doc', null, [
      p('a', 'The purpose of the working group'),
      schema.node('bulletList', null, [
        schema.node('listItem', null, [p('b', 'First stage')]),
        schema.node('listItem', null, [p('c', 'Second stage')]),
      ]),
      p('d', 'Report to the Conference'),
    ]),
  })

/** Where a position inside the paragraph with `id` is (its first character). */
const startOf = (state: EditorState, id: string) => {
  let found = -1
  state.doc.descendants((node, pos) => {
    if (node.attrs.id === id) found = pos + 1
    return found < 0
  })
  return found
}

describe('where a change of the document happened, for the margin', () => {
  it('finds the one top-level paragraph typed in, and no other', () => {
    const state = draft()
    const tr = state.tr.insertText('Recalling ', startOf(state, 'd'))
    expect(changedWithin(state.doc, tr.doc)).toEqual({ blockIds: new Set(['d']), index: 2 })
  })

  it('names every paragraph of a list when the change is inside it', () => {
    const state = draft()
    const tr = state.tr.delete(startOf(state, 'c'), startOf(state, 'c') + 7)
    expect(changedWithin(state.doc, tr.doc)).toEqual({ blockIds: new Set(['b', 'c']), index: 1 })
  })

  it('counts the paragraphs a change adds inside the block, before and after', () => {
    const state = draft()
    const tr = state.tr.split(startOf(state, 'b') + 5, 2, [
      { type: schema.nodes.listItem },
      { type: schema.nodes.paragraph, attrs: { id: 'e' } },
    ])
    const change = changedWithin(state.doc, tr.doc)
    expect(change?.index).toBe(1)
    expect(change?.blockIds).toEqual(new Set(['b', 'c', 'e']))
  })

  it('reports a change anywhere when blocks come, go or several change', () => {
    const state = draft()
    const split = state.tr.split(startOf(state, 'a') + 3)
    expect(changedWithin(state.doc, split.doc)).toBeNull()
    const removed = state.tr.delete(0, state.doc.child(0).nodeSize)
    expect(changedWithin(state.doc, removed.doc)).toBeNull()
    const two = state.tr.insertText('x', startOf(state, 'a')).insertText('y', startOf(state, 'd') + 1)
    expect(changedWithin(state.doc, two.doc)).toBeNull()
  })

  it('reports nothing moved when the blocks are the very same', () => {
    const state = draft()
    expect(changedWithin(state.doc, state.doc)).toEqual({ blockIds: new Set(), index: -1 })
  })
})
