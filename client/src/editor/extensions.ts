import type { ParticipantRef } from '@plenary/shared/api'
import { newBlockId } from '@plenary/shared/blockIds'
import { awarenessUser } from '@plenary/shared/colors'
import { BLOCK_NODE_TYPES, plenaryExtensions, YDOC_FIELD } from '@plenary/shared/schema'
import type { AnyExtension } from '@tiptap/core'
import { Collaboration, isChangeOrigin } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import UniqueID from '@tiptap/extension-unique-id'
import type { CollabSession } from '../collab/CollabSession.ts'
import { ThreadHighlights } from '../comments/threadHighlights.ts'
import { CaretLabels, renderCaret, renderSelection } from './caret.ts'
import { ParagraphNumbers } from './paragraphNumbers.ts'
import { PendingSelection } from './pendingSelection.ts'
import { ReadOnlyGuard } from './readOnlyGuard.ts'
import { SelectionRepair } from './selectionRepair.ts'
import { ToolbarShortcut } from './toolbarShortcut.ts'

/**
 * The editor's extensions: the shared schema, then collaboration, carets, numbering and the
 * highlights of comment threads (decorations, never written to the text). Only
 * participants who hold the pen get UniqueID (it writes ids); the others get a guard that keeps
 * their editor from changing the text at all.
 */
export function editorExtensions(session: CollabSession, participant: ParticipantRef): AnyExtension[] {
  const user = awarenessUser(participant)
  const writer: AnyExtension[] = session.canEdit
    ? [
        // Before the schema, so the shared `id` attribute (keepOnSplit: false) wins the merge.
        UniqueID.configure({
          types: [...BLOCK_NODE_TYPES],
          attributeName: 'id',
          generateID: () => newBlockId(),
          filterTransaction: (tr) => !isChangeOrigin(tr),
        }),
        ToolbarShortcut,
        SelectionRepair,
      ]
    : [ReadOnlyGuard]
  return [
    ...writer,
    ...plenaryExtensions(),
    Collaboration.configure({ document: session.doc, field: YDOC_FIELD }),
    CollaborationCaret.configure({
      provider: session.provider,
      user,
      render: renderCaret,
      selectionRender: renderSelection,
    }),
    CaretLabels.configure({ session }),
    PendingSelection.configure({ session }),
    ParagraphNumbers,
    ThreadHighlights,
  ]
}
