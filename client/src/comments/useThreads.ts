import type { ThreadDTO } from '@plenary/shared/threads'
import type { Editor } from '@tiptap/core'
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/ApiError.ts'
import { errorMessage } from '../api/errorMessage.ts'
import { getThread, listThreads } from '../api/threads.ts'
import type { CollabSession } from '../collab/CollabSession.ts'

/** After edits, threads are fetched again this long after the last change (anchors re-resolved). */
const REFETCH_AFTER_EDIT_MS = 1000
/** How long the first list waits for the text before it is fetched without it. */
const FIRST_LIST_WAIT_MS = 3000
/** …and at least this often while someone keeps typing. */
const REFETCH_MAX_WAIT_MS = 4000

export type ThreadsState = {
  /** null until the first answer. */
  threads: ThreadDTO[] | null
  error: string | null
  /** Puts a thread the API just returned in place (or adds it). */
  upsert: (thread: ThreadDTO) => void
  reload: () => void
}

function upsertInto(list: ThreadDTO[] | null, thread: ThreadDTO): ThreadDTO[] {
  const current = list ?? []
  const index = current.findIndex((t) => t.id === thread.id)
  if (index < 0) return [...current, thread]
  const next = current.slice()
  next[index] = thread
  return next
}

/**
 * The fetched list, keeping the objects of the threads that did not change (and the list itself
 * when nothing did): a list fetched again after every pause in typing then redraws only the cards
 * whose anchors moved, not hundreds.
 */
export function keepUnchanged(previous: ThreadDTO[] | null, fetched: ThreadDTO[]): ThreadDTO[] {
  if (!previous) return fetched
  const byId = new Map(previous.map((thread) => [thread.id, thread]))
  let changed = previous.length !== fetched.length
  const next = fetched.map((thread, i) => {
    const old = byId.get(thread.id)
    if (old && JSON.stringify(old) === JSON.stringify(thread)) {
      if (previous[i] !== old) changed = true
      return old
    }
    changed = true
    return thread
  })
  return changed ? next : previous
}

/**
 * The threads of a document, kept live: `thread.changed` events fetch that thread again (and drop
 * it when it is no longer visible), edits to the text fetch the list again (debounced) so anchors
 * follow the words, and a reconnection fetches everything that may have been missed.
 */
export function useThreads(documentId: string, session: CollabSession, editor: Editor | null): ThreadsState {
  const [threads, setThreads] = useState<ThreadDTO[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)

  const reload = useCallback(() => {
    const mine = ++generation.current
    listThreads(documentId).then(
      (response) => {
        if (mine !== generation.current) return
        setThreads((previous) => keepUnchanged(previous, response.threads))
        setError(null)
      },
      (failure: unknown) => {
        if (mine === generation.current) setError(errorMessage(failure))
      },
    )
  }, [documentId])

  const upsert = useCallback((thread: ThreadDTO) => setThreads((list) => upsertInto(list, thread)), [])

  // The first list once the text has arrived (the sync below fetches it). Fetched alongside the
  // text, a long list's cards took the page for a quarter of a second (500 threads) just as the
  // socket opened, and the text waited behind them. Fetched anyway if the text is slow to come.
  useEffect(() => {
    if (session.provider.synced) {
      reload()
      return
    }
    const timer = setTimeout(reload, FIRST_LIST_WAIT_MS)
    const onSync = (synced: boolean) => {
      if (synced) clearTimeout(timer)
    }
    session.provider.on('sync', onSync)
    return () => {
      clearTimeout(timer)
      session.provider.off('sync', onSync)
    }
  }, [session, reload])

  // One thread changed somewhere: fetch it again.
  useEffect(
    () =>
      session.onEvent((event) => {
        if (event.type !== 'thread.changed') return
        getThread(event.threadId).then(
          (response) => {
            if (response.thread.documentId === documentId) upsert(response.thread)
          },
          (failure: unknown) => {
            if (failure instanceof ApiError && failure.status === 404) {
              setThreads((list) => list?.filter((t) => t.id !== event.threadId) ?? list)
            }
          },
        )
      }),
    [session, documentId, upsert],
  )

  // Back online or reconnected: events may have been missed.
  useEffect(() => {
    const onSync = (synced: boolean) => {
      if (synced) reload()
    }
    session.provider.on('sync', onSync)
    return () => session.provider.off('sync', onSync)
  }, [session, reload])

  // The text changed: the server re-resolves anchors; fetch them once the edits pause.
  useEffect(() => {
    if (!editor) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let firstChange = 0
    const onUpdate = () => {
      const now = Date.now()
      if (timer === undefined) firstChange = now
      else clearTimeout(timer)
      const wait = Math.min(REFETCH_AFTER_EDIT_MS, Math.max(0, firstChange + REFETCH_MAX_WAIT_MS - now))
      timer = setTimeout(() => {
        timer = undefined
        reload()
      }, wait)
    }
    editor.on('update', onUpdate)
    return () => {
      editor.off('update', onUpdate)
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [editor, reload])

  return { threads, error, upsert, reload }
}
