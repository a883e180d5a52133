import { anchorToPositions, textblockPositions } from '@plenary/shared/blockOffsets'
import type { ThreadDTO } from '@plenary/shared/threads'
import type { Editor } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { useEffect, useState } from 'react'
import { type HighlightRange, type PendingRange, setHighlights } from './threadHighlights.ts'

/** The document positions of the threads that have words (or a paragraph) in the text now. */
export function threadRanges(doc: ProseMirrorNode, threads: readonly ThreadDTO[]): HighlightRange[] {
  const blocks = textblockPositions(doc)
  const out: HighlightRange[] = []
  for (const thread of threads) {
    const { anchor } = thread
    if (thread.status === 'withdrawn' || !anchor.blockId) continue
    if (anchor.state === 'orphaned' || anchor.state === 'document') continue
    const block = blocks.get(anchor.blockId)
    if (!block) continue
    if (anchor.state === 'paragraph') {
      out.push({
        threadId: thread.id,
        status: thread.status,
        kind: 'paragraph',
        blockId: anchor.blockId,
        from: block.pos + 1,
        to: block.pos + 1 + block.node.content.size,
      })
      continue
    }
    if (anchor.from === null || anchor.to === null) continue
    const range = anchorToPositions(
      doc,
      { blockId: anchor.blockId, from: anchor.from, to: anchor.to, quote: anchor.quote },
      blocks,
    )
    if (range)
      out.push({
        threadId: thread.id,
        status: thread.status,
        kind: 'range',
        blockId: anchor.blockId,
        ...range,
      })
  }
  return out
}

/** True once the shared text has arrived (an empty editor has one empty paragraph). */
function hasContent(editor: Editor): boolean {
  const { doc } = editor.state
  return doc.childCount > 1 || doc.textContent.length > 0
}

/**
 * Keeps the editor's highlights in step with the threads shown: their ranges when the threads (or
 * the filters) change, the active thread, and the words a composer is open on. Between fetches
 * the plugin maps the ranges through every edit.
 */
export function useHighlightSync(
  editor: Editor | null,
  threads: readonly ThreadDTO[],
  activeId: string | null,
  pending: PendingRange | null,
): void {
  // Ranges are computed once the text is there; before that, nothing could be found.
  const [ready, setReady] = useState(false)
  useEffect(() => {
    if (!editor) return
    if (hasContent(editor)) {
      setReady(true)
      return
    }
    const onUpdate = () => {
      if (hasContent(editor)) setReady(true)
    }
    editor.on('update', onUpdate)
    return () => {
      editor.off('update', onUpdate)
    }
  }, [editor])

  useEffect(() => {
    if (!editor || editor.isDestroyed || !ready) return
    setHighlights(editor.view, { ranges: threadRanges(editor.state.doc, threads) })
  }, [editor, threads, ready])

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    setHighlights(editor.view, { activeId })
  }, [editor, activeId])

  useEffect(() => {
    if (!editor || editor.isDestroyed) return
    setHighlights(editor.view, { pending })
  }, [editor, pending])
}
