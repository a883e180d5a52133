import {
  findTextblock,
  offsetToPosition,
  type SelectionAnchor,
  selectionToAnchor,
} from '@plenary/shared/blockOffsets'
import type { ThreadDTO } from '@plenary/shared/threads'
import type { Editor } from '@tiptap/core'
import { useCallback, useMemo, useState } from 'react'
import { readPendingSelection } from '../editor/pendingSelection.ts'
import { matchesFilter, noFilter, type ThreadFilter } from './filters.ts'
import type { PendingRange } from './threadHighlights.ts'
import { useHighlightSync } from './useHighlightSync.ts'

/** A composer open on some words, a paragraph, or (anchor null) the document as a whole. */
export type Composer = { key: number; anchor: SelectionAnchor | null; pending: PendingRange | null }

export type Sections = {
  /** Threads on the document as a whole. */
  general: ThreadDTO[]
  /** Threads whose words are gone. */
  orphaned: ThreadDTO[]
  /** Threads on words or paragraphs of the text, placed beside them. */
  anchored: ThreadDTO[]
}

let composerKey = 0

/** The pending highlight of a new thread's words, in positions of the editor's document. */
function pendingOf(editor: Editor, anchor: SelectionAnchor): PendingRange | null {
  const block = findTextblock(editor.state.doc, anchor.blockId)
  if (!block) return null
  const { node, pos } = block
  if (anchor.from === anchor.to) {
    return { kind: 'paragraph', blockId: anchor.blockId, from: pos + 1, to: pos + 1 + node.content.size }
  }
  return {
    kind: 'range',
    blockId: anchor.blockId,
    from: offsetToPosition(node, pos, anchor.from),
    to: offsetToPosition(node, pos, anchor.to),
  }
}

/** What the comment margin shows and which thread is active; the highlights follow. */
export function useComments(editor: Editor | null, threads: ThreadDTO[] | null) {
  const [activeId, setActiveId] = useState<string | null>(null)
  const [filter, setFilter] = useState<ThreadFilter>(noFilter)
  const [composer, setComposer] = useState<Composer | null>(null)

  const visible = useMemo(() => (threads ?? []).filter((t) => matchesFilter(t, filter)), [threads, filter])
  const sections = useMemo<Sections>(() => {
    const general: ThreadDTO[] = []
    const orphaned: ThreadDTO[] = []
    const anchored: ThreadDTO[] = []
    for (const thread of visible) {
      if (thread.anchor.state === 'document') general.push(thread)
      else if (thread.anchor.state === 'orphaned') orphaned.push(thread)
      else anchored.push(thread)
    }
    return { general, orphaned, anchored }
  }, [visible])

  useHighlightSync(editor, sections.anchored, activeId, composer?.pending ?? null)

  /** Opens the composer on the editor's selection (words, or the paragraph of the caret). */
  const composeOnSelection = useCallback(() => {
    if (!editor || editor.isDestroyed) return
    readPendingSelection(editor.view)
    const { from, to } = editor.state.selection
    const anchor = selectionToAnchor(editor.state.doc, from, to)
    setActiveId(null)
    setComposer({ key: ++composerKey, anchor, pending: anchor ? pendingOf(editor, anchor) : null })
  }, [editor])

  const composeGeneral = useCallback(() => {
    setActiveId(null)
    setComposer({ key: ++composerKey, anchor: null, pending: null })
  }, [])

  const closeComposer = useCallback(() => setComposer(null), [])

  return {
    activeId,
    setActiveId,
    filter,
    setFilter,
    visible,
    sections,
    composer,
    composeOnSelection,
    composeGeneral,
    closeComposer,
  }
}

export type CommentsController = ReturnType<typeof useComments>
