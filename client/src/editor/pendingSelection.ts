/**
 * Keeps a click's caret where the click put it when something from elsewhere arrives at that
 * moment.
 *
 * The browser reports a moved caret in a `selectionchange` event, a task of its own, and
 * ProseMirror learns of the move only then. A change from the server, or someone's caret moving
 * (a redraw of the decorations), can be handled in between: ProseMirror redraws and writes the
 * selection it still holds, the one from before the click, back into the page. y-tiptap does the
 * same after rebuilding the document. The click is undone and the next keystrokes land where the
 * caret was before (the top of the draft for an editor never clicked into before). The same
 * happens to a caret moved by the arrow keys, Home or End. (y-prosemirror issue 146.)
 *
 * Before each change from the server and each remote caret is applied, this reads what the page
 * holds that ProseMirror has not read yet (the caret, and any typing not yet taken in), as the
 * `selectionchange` event would have. The caret plugin redraws carets later, in the next frame
 * (patches/); the read is done again just before it (see `CollabSession`). With nothing
 * pending it costs one comparison of selections.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import type { CollabSession } from '../collab/CollabSession.ts'

/** ProseMirror's DOM observer: internal, not in its type declarations. */
type DomObserver = { flush(): void; forceFlush(): void }

/**
 * Reads into the editor state what the page holds and ProseMirror has not taken in yet, so that
 * `view.state.selection` is where the person clicked.
 */
export function readPendingSelection(view: EditorView): void {
  if (view.isDestroyed) return
  const observer = (view as unknown as { domObserver?: DomObserver }).domObserver
  if (!observer) return
  // A flush already scheduled runs now; otherwise read the selection and mutations directly.
  observer.forceFlush()
  observer.flush()
}

export const PendingSelection = Extension.create<{ session: CollabSession | null }>({
  name: 'plenaryPendingSelection',
  addOptions() {
    return { session: null }
  },
  addProseMirrorPlugins() {
    const { session } = this.options
    if (!session) return []
    return [
      new Plugin({
        key: new PluginKey('plenaryPendingSelection'),
        view: (view) => {
          const unsubscribe = session.onBeforeRemoteChange(() => readPendingSelection(view))
          return { destroy: unsubscribe }
        },
      }),
    ]
  },
})
