import type { ServerEvent } from '@plenary/shared/protocol'
import { useCallback, useEffect, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import type { CollabSession } from '../collab/CollabSession.ts'
import { strings } from '../strings.ts'
import { listRevisions, type RevisionList } from './historyApi.ts'

/**
 * The document's revisions and checkpoints, refetched when someone publishes or restores, with a
 * one-line notice of what happened for everyone on the document.
 */
export function useRevisions(session: CollabSession, documentId: string) {
  const [list, setList] = useState<RevisionList | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const reload = useCallback(async () => {
    try {
      setList(await listRevisions(documentId))
      setError(null)
    } catch (caught) {
      setError(errorMessage(caught))
    }
  }, [documentId])

  useEffect(() => {
    void reload()
    return session.onEvent((event: ServerEvent) => {
      if (event.type === 'revision.published') {
        setNotice(strings.history.publishedNotice(event.label))
        void reload()
      } else if (event.type === 'revision.restored') {
        setNotice(strings.history.restoredNotice(event.by, event.label))
        void reload()
      }
    })
  }, [session, reload])

  return { list, error, notice, reload, dismissNotice: () => setNotice(null) }
}
