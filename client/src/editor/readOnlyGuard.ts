import { Extension } from '@tiptap/core'
import { isChangeOrigin } from '@tiptap/extension-collaboration'
import { Plugin, PluginKey } from '@tiptap/pm/state'

/**
 * For participants without the pen: the text changes only when the shared document does.
 * `editable: false` already stops typing; this also stops anything else (a plugin, a paste, a
 * command) from changing the editor, so the Yjs binding never has a local change to write.
 */
export const ReadOnlyGuard = Extension.create({
  name: 'plenaryReadOnlyGuard',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('plenaryReadOnlyGuard'),
        filterTransaction: (tr) => !tr.docChanged || isChangeOrigin(tr),
      }),
    ]
  },
})
