/**
 * Others' carets are redrawn when theirs move, and not when only one's own does: y-tiptap is
 * patched (patches/) so that the typist's own caret, which moves at every keystroke and is never
 * drawn, no longer costs a full redraw of the editor (and a layout of the whole text) each time;
 * and a caret's redraw waits for the next frame, and is skipped when the text's redraw drew it.
 */
import type { Transaction } from '@tiptap/pm/state'
import {
  absolutePositionToRelativePosition,
  yCursorPlugin,
  yCursorPluginKey,
  ySyncPluginKey,
} from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { headlessEditor, paragraphsSchema as schema } from './headlessEditor.ts'

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('carets redrawn', () => {
  it('for another person’s caret moving, never for one’s own', async () => {
    const doc = new Y.Doc()
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('The purpose of the working group')])
    doc.getXmlFragment('default').insert(0, [paragraph])
    const awareness = new awarenessProtocol.Awareness(doc)
    const cursors = yCursorPlugin(awareness)
    const editor = headlessEditor(schema, doc.getXmlFragment('default'), [cursors])
    // What the caret plugin's view needs of ProseMirror's: a drawn document and an element.
    const view = Object.assign(editor, { docView: {}, dom: new EventTarget() })
    const pluginView = (cursors.spec.view as (v: unknown) => { destroy(): void })(view)
    const redraws: Transaction[] = []
    const dispatch = view.dispatch
    view.dispatch = (tr: Transaction) => {
      if (tr.getMeta(yCursorPluginKey)?.awarenessUpdated) redraws.push(tr)
      dispatch(tr)
    }
    const caretAt = (pos: number) => {
      const { type, binding } = ySyncPluginKey.getState(view.state)
      const at = absolutePositionToRelativePosition(pos, type, binding.mapping)
      return { anchor: at, head: at }
    }

    // One's own caret moves, as at every keystroke: nothing to redraw.
    for (const pos of [3, 4, 5]) {
      awareness.setLocalStateField('cursor', caretAt(pos))
      await settle()
    }
    expect(redraws).toHaveLength(0)

    // Someone else's caret moves: redrawn.
    const other = new awarenessProtocol.Awareness(new Y.Doc())
    other.setLocalState({ user: { name: 'Maria', color: '#0055aa' }, cursor: caretAt(7) })
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]),
      'remote',
    )
    await settle()
    expect(redraws).toHaveLength(1)
    const drawn = yCursorPluginKey.getState(view.state)?.find() ?? []
    expect(drawn.some((decoration: { from: number }) => decoration.from === 7)).toBe(true)

    // Their caret moves and their text arrives before the next frame: the text's redraw draws the
    // caret where it now is, and the caret's own redraw is skipped.
    other.setLocalStateField('cursor', caretAt(9))
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]),
      'remote',
    )
    const theirs = new Y.Doc()
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(doc))
    ;((theirs.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'So ')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(doc)))
    await settle()
    expect(redraws).toHaveLength(1)
    const now = yCursorPluginKey.getState(view.state)?.find() ?? []
    expect(now.some((decoration: { from: number }) => decoration.from === 9 + 'So '.length)).toBe(true)

    pluginView.destroy()
    awareness.destroy()
    other.destroy()
  })
})
