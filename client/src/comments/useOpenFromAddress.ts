import type { ThreadDTO } from '@plenary/shared/threads'
import type { Editor } from '@tiptap/core'
import { useEffect, useRef } from 'react'
import { revealThread, scrollIntoViewIfNeeded } from './reveal.ts'
import { currentRanges } from './threadHighlights.ts'
import { useThreadParam } from './useThreadParam.ts'

const cardOf = (threadId: string) =>
  document.querySelector<HTMLElement>(`[data-testid="thread-card"][data-thread-id="${CSS.escape(threadId)}"]`)

/**
 * Opens the thread named in the address (`?thread=<id>`, as mention links carry) once it is
 * loaded: its card opens and its words scroll into view (when its highlight is ready).
 */
export function useOpenFromAddress(
  editor: Editor | null,
  threads: ThreadDTO[] | null,
  open: (threadId: string) => void,
): void {
  const wanted = useThreadParam()
  const done = useRef<string | null>(null)
  const openRef = useRef(open)
  openRef.current = open
  const frame = useRef(0)
  useEffect(() => () => cancelAnimationFrame(frame.current), [])

  useEffect(() => {
    if (!wanted || done.current === wanted || !threads || !editor) return
    const thread = threads.find((t) => t.id === wanted)
    if (!thread) return
    done.current = wanted
    openRef.current(wanted)
    let tries = 0
    const attempt = () => {
      tries += 1
      const placed = currentRanges(editor.state).some((range) => range.threadId === wanted)
      if (placed) revealThread(editor, wanted, 'show')
      else if (tries < 120 && thread.anchor.blockId && thread.anchor.state !== 'orphaned') {
        frame.current = requestAnimationFrame(attempt)
        return
      }
      scrollIntoViewIfNeeded(cardOf(wanted))
    }
    frame.current = requestAnimationFrame(attempt)
  }, [wanted, threads, editor])
}
