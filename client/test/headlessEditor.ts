/**
 * An editor without a page, for tests: ProseMirror's state with y-tiptap's sync plugin bound to a
 * Yjs fragment, driven as ProseMirror's view drives it (every dispatch applied, then the plugin's
 * view told). No DOM: the binding only needs the state, dispatch and whether the view has focus.
 */
import { Schema } from '@tiptap/pm/model'
import { EditorState, type Plugin, type Transaction } from '@tiptap/pm/state'
import { ySyncPlugin } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

export type HeadlessEditor = { state: EditorState; hasFocus(): boolean; dispatch(tr: Transaction): void }

export function headlessEditor(
  schema: Schema,
  fragment: Y.XmlFragment,
  plugins: Plugin[] = [],
): HeadlessEditor {
  const sync = ySyncPlugin(fragment)
  let pluginView: { update(): void } | null = null
  const view: HeadlessEditor = {
    state: EditorState.create({ schema, plugins: [sync, ...plugins] }),
    hasFocus: () => false,
    dispatch(tr: Transaction) {
      view.state = view.state.apply(tr)
      pluginView?.update()
    },
  }
  pluginView = (sync.spec.view as (v: unknown) => { update(): void })(view)
  return view
}

/** A text of paragraphs only, each with a block id: enough for the tests of carets and highlights. */
export const paragraphsSchema = new Schema({
  nodes: {
    doc: { content: 'paragraph+' },
    paragraph: { content: 'text*', attrs: { id: { default: null } } },
    text: {},
  },
})
