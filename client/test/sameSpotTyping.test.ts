/**
 * Two people typing at the very same spot at once: each one's words stay whole, whatever order
 * their keystrokes reach each other in. y-tiptap finds a local edit by diffing the paragraph's
 * text, and a character typed next to an identical one (a space before a space) landed one place
 * right of the caret in Yjs, so the caret's Yjs position sat before it and the other's words came
 * in between. The patch (patches/) slides such a change to end at the caret.
 */
import { type Node as ProseMirrorNode, Schema } from '@tiptap/pm/model'
import { TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SelectionRepair } from '../src/editor/selectionRepair.ts'
import { headlessEditor } from './headlessEditor.ts'

const schema = new Schema({
  nodes: { doc: { content: 'block+' }, paragraph: { group: 'block', content: 'text*' }, text: {} },
})

/** An editor without a page, with the app's selection repair. */
const editor = (doc: Y.Doc) =>
  headlessEditor(
    schema,
    doc.getXmlFragment('default'),
    (SelectionRepair.config.addProseMirrorPlugins as () => never[]).call({}),
  )

type Editor = ReturnType<typeof editor>

/** Types `words` one key at a time at the caret, as ProseMirror does for each keystroke. */
const typeKey = (e: Editor, key: string) => e.dispatch(e.state.tr.insertText(key))
const text = (doc: ProseMirrorNode) => doc.textContent

/**
 * Ana and Sam put their carets at `caret` (an offset in the paragraph) and type their words
 * there at once; keystrokes and deliveries are interleaved by the seed. Returns both texts.
 */
function race(start: string, caret: number, words: [string, string], seed: number, anaFirst: boolean) {
  const ana = new Y.Doc()
  const sam = new Y.Doc()
  ana.clientID = anaFirst ? 1 : 2
  sam.clientID = anaFirst ? 2 : 1
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(start)])
  ana.getXmlFragment('default').insert(0, [paragraph])
  Y.applyUpdate(sam, Y.encodeStateAsUpdate(ana))
  const editors = [editor(ana), editor(sam)]
  for (const e of editors) e.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, 1 + caret)))
  const outbox: Uint8Array[][] = [[], []]
  ana.on('update', (u: Uint8Array, origin: unknown) => origin !== 'wire' && outbox[0].push(u))
  sam.on('update', (u: Uint8Array, origin: unknown) => origin !== 'wire' && outbox[1].push(u))
  const deliver = (from: 0 | 1) => {
    for (const u of outbox[from].splice(0)) Y.applyUpdate(from === 0 ? sam : ana, u, 'wire')
  }
  let state = seed * 2654435761
  const random = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return state / 2 ** 32
  }
  const typed = [0, 0]
  while (typed[0] < words[0].length || typed[1] < words[1].length) {
    const roll = random()
    const who = roll < 0.5 ? 0 : 1
    if (roll < 0.3 || (roll >= 0.5 && roll < 0.8)) {
      if (typed[who] < words[who].length) typeKey(editors[who], words[who][typed[who]++])
    } else deliver(who as 0 | 1)
  }
  deliver(0)
  deliver(1)
  return editors.map((e) => text(e.state.doc))
}

describe('two people typing at the same spot', () => {
  const cases: [string, string, number][] = [
    ['before a space', 'Start. End.', 'Start.'.length],
    ['after a space', 'Start. End.', 'Start. '.length],
    [
      'at the end of the paragraph',
      'The workplans are living documents.',
      'The workplans are living documents.'.length,
    ],
    ['between two spaces', 'One  two.', 'One '.length],
    ['in a run of the same letter', 'Aaaa, said the delegate.', 2],
  ]
  for (const [where, start, caret] of cases) {
    it(`keep each one's words whole, typed ${where}`, () => {
      const words: [string, string] = [' Ana adds this.', ' Sam adds that.']
      for (let seed = 1; seed <= 40; seed++) {
        for (const anaFirst of [true, false]) {
          const [atAna, atSam] = race(start, caret, words, seed, anaFirst)
          const message = `seed ${seed}, ${anaFirst ? 'Ana' : 'Sam'} first: ${JSON.stringify(atAna)}`
          expect(atAna, message).toBe(atSam)
          expect(atAna, message).toContain(words[0])
          expect(atAna, message).toContain(words[1])
          expect(atAna.length, message).toBe(start.length + words[0].length + words[1].length)
        }
      }
    })
  }
})
