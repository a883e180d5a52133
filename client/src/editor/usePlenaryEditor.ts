import type { ParticipantRef } from '@plenary/shared/api'
import { useEditor } from '@tiptap/react'
import { useRef } from 'react'
import type { CollabSession } from '../collab/CollabSession.ts'
import { strings } from '../strings.ts'
import { editorExtensions } from './extensions.ts'

/** A TipTap editor bound to the session's Y.Doc; a new session makes a new editor. */
export function usePlenaryEditor(session: CollabSession, participant: ParticipantRef, title: string) {
  // Read on every editor update, so a renamed document relabels the text without a new editor.
  const titleRef = useRef(title)
  titleRef.current = title
  return useEditor(
    {
      extensions: editorExtensions(session, participant),
      editable: session.canEdit,
      immediatelyRender: false,
      editorProps: {
        attributes: () => ({
          'aria-label': strings.document.editorLabel(titleRef.current),
          'aria-multiline': 'true',
          role: 'textbox',
          'aria-readonly': session.canEdit ? 'false' : 'true',
          class: session.canEdit ? 'document-text' : 'document-text document-text--read-only',
          spellcheck: session.canEdit ? 'true' : 'false',
        }),
        // Keep the caret clear of the sticky bars when the editor scrolls to it.
        scrollMargin: { top: 140, bottom: 80, left: 0, right: 0 },
        scrollThreshold: { top: 140, bottom: 80, left: 0, right: 0 },
      },
    },
    [session],
  )
}
