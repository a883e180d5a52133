import type { ThreadDTO } from '@plenary/shared/threads'
import { useEffect, useId, useRef } from 'react'
import { CompareView } from './CompareView.tsx'
import { RevisionView } from './RevisionView.tsx'
import type { ReaderView, RevisionRoom } from './useRevisionRoom.ts'

type RevisionReaderProps = {
  room: RevisionRoom
  view: ReaderView
  threads: readonly ThreadDTO[] | null
  onOpenThread: (threadId: string) => void
}

/**
 * The reader: a large modal dialog over the page showing one revision's text, or the redline of
 * two texts. Escape or Close ends it, and focus goes back to what opened it.
 */
export function RevisionReader({ room, view, threads, onOpenThread }: RevisionReaderProps) {
  const titleId = useId()
  const dialog = useRef<HTMLDialogElement>(null)

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
  }, [])

  // From the history to a text: focus on the dialog, so the keyboard starts at its top.
  const viewKey = view.kind === 'revision' ? `revision:${view.revisionId}` : `compare:${view.from}:${view.to}`
  useEffect(() => {
    if (viewKey) dialog.current?.focus()
  }, [viewKey])

  const close = room.closeView

  return (
    <dialog
      ref={dialog}
      className={`reader reader--${view.kind}`}
      data-testid={view.kind === 'compare' ? 'compare' : 'revision-view'}
      aria-labelledby={titleId}
      tabIndex={-1}
      onCancel={(event) => {
        // Escape: the page goes on; the element is removed by React.
        event.preventDefault()
        if (event.target === event.currentTarget) close()
      }}
    >
      {view.kind === 'revision' ? (
        <RevisionView
          key={viewKey}
          room={room}
          revisionId={view.revisionId}
          titleId={titleId}
          onClose={close}
        />
      ) : (
        <CompareView
          key={viewKey}
          room={room}
          initialFrom={view.from}
          initialTo={view.to}
          titleId={titleId}
          scope={dialog}
          threads={threads}
          onOpenThread={(threadId) => {
            close()
            onOpenThread(threadId)
          }}
          onClose={close}
        />
      )}
    </dialog>
  )
}
