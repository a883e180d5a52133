/**
 * Keeps the caret where Yjs says it is when someone else types in the same paragraph.
 *
 * y-tiptap 3.0.9 resolves the local selection from Yjs relative positions after a remote change,
 * then "recovers" it whenever the paragraph's text changed, by keeping the old offset inside the
 * block. With two people typing in one paragraph that puts the caret before the character just
 * typed, so the next keystrokes come out reversed and interleaved. This plugin re-applies the Yjs
 * resolution when the recovery only moved the caret within the same textblock; recoveries that
 * moved it to another block (a structural change, which is what the recovery is for) stand.
 */
import { Extension } from '@tiptap/core'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'

type RelativeSelection = { type?: string; anchor: unknown; head: unknown } | null

function isRemoteChange(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as
    | { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean }
    | undefined
  return tr.docChanged && meta?.isChangeOrigin === true && meta.isUndoRedoOperation !== true
}

function sameTextblock(state: EditorState, a: number, b: number): boolean {
  const $a = state.doc.resolve(a)
  const $b = state.doc.resolve(b)
  return $a.parent.isTextblock && $a.sameParent($b)
}

function repair(state: EditorState): Transaction | null {
  const binding = ySyncPluginKey.getState(state)?.binding
  const relative = binding?.beforeTransactionSelection as RelativeSelection | undefined
  if (!binding || !relative || relative.type !== 'text' || !relative.anchor || !relative.head) return null
  const anchor = relativePositionToAbsolutePosition(
    binding.doc,
    binding.type,
    relative.anchor as never,
    binding.mapping,
  )
  const head = relativePositionToAbsolutePosition(
    binding.doc,
    binding.type,
    relative.head as never,
    binding.mapping,
  )
  const size = state.doc.content.size
  if (anchor === null || head === null || anchor > size || head > size) return null
  const { selection } = state
  if (selection.anchor === anchor && selection.head === head) return null
  if (!sameTextblock(state, selection.anchor, anchor) || !sameTextblock(state, selection.head, head))
    return null
  const tr = state.tr.setSelection(TextSelection.between(state.doc.resolve(anchor), state.doc.resolve(head)))
  return tr.setMeta('addToHistory', false)
}

export const SelectionRepair = Extension.create({
  name: 'plenarySelectionRepair',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('plenarySelectionRepair'),
        appendTransaction: (transactions, _oldState, newState) =>
          transactions.some(isRemoteChange) ? repair(newState) : null,
      }),
    ]
  },
})
