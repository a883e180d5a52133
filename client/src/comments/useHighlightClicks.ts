import type { Editor } from '@tiptap/core'
import { useEffect, useRef } from 'react'

/**
 * A click on highlighted words opens their thread's card; a click elsewhere in the text closes
 * the open one. A drag that selects words is not a click on a thread.
 */
export function useHighlightClicks(editor: Editor | null, onThread: (threadId: string | null) => void): void {
  const handler = useRef(onThread)
  handler.current = onThread
  useEffect(() => {
    if (!editor) return
    const dom = editor.view.dom
    const onClick = (event: MouseEvent) => {
      if (window.getSelection()?.isCollapsed === false) return
      const highlight = (event.target as HTMLElement | null)?.closest<HTMLElement>('[data-thread-id]')
      handler.current(highlight?.dataset.threadId ?? null)
    }
    dom.addEventListener('click', onClick)
    return () => dom.removeEventListener('click', onClick)
  }, [editor])
}
