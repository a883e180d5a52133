import type { CommunicationDTO } from '@plenary/shared/threads'
import { useCallback, useEffect, useRef, useState } from 'react'
import { listCommunications } from '../api/communications.ts'
import { errorMessage } from '../api/errorMessage.ts'
import type { CollabSession } from '../collab/CollabSession.ts'

/**
 * The written communications on this document (secretariat only), kept live: a
 * `communication.changed` event, or a thread logged from one, fetches the list again.
 */
export function useCommunications(session: CollabSession, documentId: string, enabled: boolean) {
  const [communications, setCommunications] = useState<CommunicationDTO[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)

  const reload = useCallback(() => {
    if (!enabled) return
    const mine = ++generation.current
    listCommunications().then(
      (response) => {
        if (mine !== generation.current) return
        setCommunications(response.communications.filter((c) => c.documentId === documentId))
        setError(null)
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(errorMessage(failure))
      },
    )
  }, [documentId, enabled])

  useEffect(() => {
    reload()
  }, [reload])

  useEffect(() => {
    if (!enabled) return
    return session.onEvent((event) => {
      if (event.type === 'communication.changed' || event.type === 'thread.changed') reload()
    })
  }, [session, enabled, reload])

  const upsert = useCallback((communication: CommunicationDTO) => {
    setCommunications((list) => {
      const current = list ?? []
      const index = current.findIndex((c) => c.id === communication.id)
      if (index < 0) return [communication, ...current]
      const next = current.slice()
      next[index] = communication
      return next
    })
  }, [])

  return { communications, error, reload, upsert }
}
