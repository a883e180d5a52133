import type { ThreadDTO } from '@plenary/shared/threads'
import { HistoryPanel } from './HistoryPanel.tsx'
import { RevisionNotice } from './RevisionNotice.tsx'
import { RevisionReader } from './RevisionReader.tsx'
import type { RevisionRoom } from './useRevisionRoom.ts'

type RevisionLayersProps = {
  room: RevisionRoom
  /** The page's live thread list, for the organisations of threads on changed paragraphs. */
  threads: readonly ThreadDTO[] | null
  onOpenThread: (threadId: string) => void
}

/** What the revisions put over the document page: the history drawer, the reader, the notice. */
export function RevisionLayers({ room, threads, onOpenThread }: RevisionLayersProps) {
  return (
    <>
      {room.historyOpen && <HistoryPanel room={room} />}
      {room.view && (
        <RevisionReader room={room} view={room.view} threads={threads} onOpenThread={onOpenThread} />
      )}
      <RevisionNotice
        notice={room.notice}
        onDismiss={room.dismissNotice}
        onShow={() => {
          room.dismissNotice()
          room.openHistory()
        }}
      />
    </>
  )
}
