import type { DocumentDTO, ParticipantRef } from '@plenary/shared/api'
import { kindLabels, type ThreadDTO } from '@plenary/shared/threads'
import type { Editor } from '@tiptap/core'
import { type RefObject, useCallback, useEffect, useMemo, useRef } from 'react'
import type { CollabSession } from '../collab/CollabSession.ts'
import { useAnnouncer } from '../components/useAnnouncer.ts'
import { strings } from '../strings.ts'
import { type CardEnv, canComment } from './cardEnv.ts'
import { mentionLabels, threadPlace } from './placeLabel.ts'
import { type Reveal, revealThread, scrollIntoViewIfNeeded } from './reveal.ts'
import { sortByPosition } from './sortThreads.ts'
import { useBlockPlaces } from './useBlockPlaces.ts'
import { useCommentShortcut } from './useCommentShortcut.ts'
import { useComments } from './useComments.ts'
import { useHighlightClicks } from './useHighlightClicks.ts'
import { COMPOSER_KEY, useMarginLayout } from './useMarginLayout.ts'
import { useOpenFromAddress } from './useOpenFromAddress.ts'
import { useSelectionTop } from './useSelectionTop.ts'
import { useThreads } from './useThreads.ts'

type ThreadRoomOptions = {
  session: CollabSession
  editor: Editor | null
  document: DocumentDTO
  participant: ParticipantRef
  /** The page of text, where the comment button and paragraph counts are placed. */
  paper: RefObject<HTMLElement | null>
}

const cardElement = (threadId: string) =>
  document.querySelector<HTMLElement>(`[data-testid="thread-card"][data-thread-id="${CSS.escape(threadId)}"]`)

/**
 * Everything the document page needs for comment threads: the live list, what is shown and
 * active, the highlights, the placement of cards, the shortcut and the comment button.
 */
export function useThreadRoom({ session, editor, document, participant, paper }: ThreadRoomOptions) {
  const threads = useThreads(document.id, session, editor)
  const comments = useComments(editor, threads.threads)
  const blocks = useBlockPlaces(editor)
  const [announcement, announce] = useAnnouncer()
  const margin = useRef<HTMLElement>(null)
  const marginTop = useRef<HTMLDivElement>(null)
  const commenter = canComment(participant)
  const { setActiveId, closeComposer, composeOnSelection, composeGeneral } = comments

  const anchored = useMemo(
    () => sortByPosition(comments.sections.anchored, blocks.stable.list),
    [comments.sections.anchored, blocks.stable.list],
  )
  const labels = useMemo(
    () => mentionLabels(threads.threads ?? [], [participant.name, participant.organisation]),
    [threads.threads, participant],
  )

  const layout = useMarginLayout({
    editor,
    layer: margin,
    header: marginTop,
    paper,
    activeKey: comments.composer?.anchor ? COMPOSER_KEY : comments.activeId,
  })

  /** Opens a card (null closes) and shows (or selects) its words in the text. */
  const activate = useCallback(
    (threadId: string | null, reveal: Reveal) => {
      setActiveId(threadId)
      if (!threadId || reveal === 'none') return
      // After the card has opened and the margin has been laid out again.
      requestAnimationFrame(() => {
        revealThread(editor, threadId, reveal)
        requestAnimationFrame(() => scrollIntoViewIfNeeded(cardElement(threadId)))
      })
    },
    [editor, setActiveId],
  )

  const onCreated = useCallback(
    (thread: ThreadDTO) => {
      threads.upsert(thread)
      closeComposer()
      setActiveId(thread.id)
      announce(strings.comments.composer.posted)
      // Focus goes to the new card, where the conversation goes on.
      requestAnimationFrame(() =>
        cardElement(thread.id)
          ?.querySelector<HTMLElement>('.thread-card__toggle')
          ?.focus({ preventScroll: true }),
      )
    },
    [threads.upsert, closeComposer, setActiveId, announce],
  )

  /** Closing the composer returns to the text for those who edit it. */
  const cancelComposer = useCallback(() => {
    closeComposer()
    if (editor?.isEditable && !editor.isDestroyed) editor.commands.focus(undefined, { scrollIntoView: false })
  }, [closeComposer, editor])

  const env = useMemo<CardEnv>(
    () => ({
      participant,
      canDispose: document.canEdit,
      labels,
      places: blocks.stable.byId,
      onThread: threads.upsert,
      announce,
    }),
    [participant, document.canEdit, labels, blocks.stable.byId, threads.upsert, announce],
  )

  const threadLabel = useCallback(
    (threadId: string) => {
      const thread = threads.threads?.find((t) => t.id === threadId)
      if (!thread) return strings.communications.hiddenThread
      return strings.communications.threadLink(
        threadPlace(thread, blocks.stable.byId),
        kindLabels[thread.kind],
      )
    },
    [threads.threads, blocks.stable.byId],
  )

  // Threads that others start while the page is open are announced to screen readers.
  const known = useRef<Set<string> | null>(null)
  useEffect(() => {
    const list = threads.threads
    if (!list) return
    if (known.current) {
      for (const thread of list) {
        if (known.current.has(thread.id) || thread.author.participantId === participant.id) continue
        announce(
          strings.comments.announce.arrived(
            thread.author.organisation || thread.author.name,
            kindLabels[thread.kind],
            threadPlace(thread, blocks.stable.byId),
          ),
        )
      }
    }
    known.current = new Set(list.map((thread) => thread.id))
  }, [threads.threads, participant.id, announce, blocks.stable.byId])

  /** A paragraph's count in the margin opens its first thread. */
  const openFromCount = useCallback((threadId: string) => activate(threadId, 'show'), [activate])

  const selectionTop = useSelectionTop(editor, paper, commenter && comments.composer === null)
  useCommentShortcut(editor, commenter, composeOnSelection, composeGeneral)
  useHighlightClicks(editor, (threadId) => setActiveId(threadId))
  useOpenFromAddress(editor, threads.threads, (threadId) => setActiveId(threadId))

  return {
    threads,
    comments,
    blocks,
    anchored,
    env,
    layout,
    margin,
    marginTop,
    selectionTop,
    activate,
    openFromCount,
    onCreated,
    cancelComposer,
    threadLabel,
    announce,
    announcement,
  }
}
