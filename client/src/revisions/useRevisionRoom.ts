import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import type { RevisionDTO } from '@plenary/shared/revisions'
import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '../api/errorMessage.ts'
import type { CollabSession } from '../collab/CollabSession.ts'
import { strings } from '../strings.ts'
import { listRevisions, type RevisionList, type TextRef } from './revisionsApi.ts'

const t = strings.revisions.notice

/** What the reader layer shows: one revision's text, or a comparison of two texts. */
export type ReaderView =
  | { kind: 'revision'; revisionId: string }
  | { kind: 'compare'; from: TextRef | null; to: TextRef }

export type RevisionNotice = { id: number; text: string }

/** How long a notice stays on screen (it stays in the live region's history for screen readers). */
const NOTICE_MS = 12_000

/**
 * The revisions of a document page: the list (loaded on opening, again when the history opens
 * and on every `revision.published` / `revision.restored` event), the history drawer, the reader
 * layer (a revision's text or a comparison), and the notice everyone gets when a revision is
 * published or restored.
 */
export function useRevisionRoom(session: CollabSession, document: DocumentDTO, participant: ParticipantRef) {
  const documentId = document.id
  const [list, setList] = useState<RevisionList | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [historyOpen, setHistoryOpen] = useState(false)
  const [view, setView] = useState<ReaderView | null>(null)
  const [notice, setNotice] = useState<RevisionNotice | null>(null)
  const historyButton = useRef<HTMLButtonElement>(null)
  const compareButton = useRef<HTMLButtonElement>(null)
  /** Where focus goes back to when the reader closes. */
  const readerOpener = useRef<HTMLElement | null>(null)
  const readerOpen = useRef(false)
  const noticeCount = useRef(0)

  /** The latest list request: an earlier answer arriving late must not replace a newer one. */
  const latest = useRef(0)

  const reload = useCallback(async (): Promise<RevisionList | null> => {
    const request = ++latest.current
    try {
      const fresh = await listRevisions(documentId)
      if (request === latest.current) {
        setList(fresh)
        setError(null)
      }
      return fresh
    } catch (caught) {
      if (request === latest.current) setError(errorMessage(caught))
      return null
    }
  }, [documentId])

  const announce = useCallback((text: string) => {
    noticeCount.current += 1
    setNotice({ id: noticeCount.current, text })
  }, [])

  useEffect(() => {
    void reload()
  }, [reload])

  useEffect(
    () =>
      session.onEvent((event) => {
        if (event.type === 'revision.published') {
          void reload().then((fresh) => {
            const revision = fresh?.revisions.find((r) => r.id === event.revisionId)
            const by = revision?.createdBy === participant.id ? t.you : (revision?.createdByName ?? null)
            announce(by ? t.published(event.label, by) : t.publishedAnonymous(event.label))
          })
        } else if (event.type === 'revision.restored') {
          announce(t.restored(event.by, event.label))
          void reload()
        }
      }),
    [session, reload, announce, participant.id],
  )

  useEffect(() => {
    if (!notice) return
    const timer = window.setTimeout(() => setNotice(null), NOTICE_MS)
    return () => window.clearTimeout(timer)
  }, [notice])

  const openHistory = useCallback(() => {
    setHistoryOpen(true)
    // Checkpoints are taken without an event: the list may have grown since.
    void reload()
  }, [reload])

  const closeHistory = useCallback(() => {
    setHistoryOpen(false)
    historyButton.current?.focus()
  }, [])

  /** Opens the reader on a revision's text or a comparison; focus comes back where it was. */
  const openView = useCallback((next: ReaderView) => {
    if (!readerOpen.current) {
      const active = window.document.activeElement
      readerOpener.current = active instanceof HTMLElement && active !== window.document.body ? active : null
    }
    readerOpen.current = true
    setView(next)
  }, [])

  const closeView = useCallback(() => {
    readerOpen.current = false
    setView(null)
    const opener = readerOpener.current?.isConnected ? readerOpener.current : null
    readerOpener.current = null
    // After the dialog has closed, so that the page is no longer inert.
    requestAnimationFrame(() => (opener ?? compareButton.current)?.focus())
  }, [])

  /** A revision just published here: at the top at once, before the event brings it to everyone. */
  const published = useCallback(
    (revision: RevisionDTO) => {
      setList((current) =>
        current && !current.revisions.some((r) => r.id === revision.id)
          ? { ...current, revisions: [...current.revisions, revision] }
          : current,
      )
      void reload()
    },
    [reload],
  )

  return {
    documentId,
    canRevise: document.canEdit,
    participant,
    list,
    error,
    reload,
    published,
    historyOpen,
    openHistory,
    closeHistory,
    toggleHistory: () => (historyOpen ? closeHistory() : openHistory()),
    view,
    openView,
    closeView,
    notice,
    dismissNotice: () => setNotice(null),
    historyButton,
    compareButton,
  }
}

export type RevisionRoom = ReturnType<typeof useRevisionRoom>
