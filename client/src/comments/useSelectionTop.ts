import { selectionToAnchor } from '@plenary/shared/blockOffsets'
import type { Editor } from '@tiptap/core'
import { type RefObject, useEffect, useState } from 'react'

/**
 * Where the button that starts a thread goes: level with the start of the selection (or the
 * caret), relative to the page; null when the selection is not in the text. Read-only editors
 * never have focus, so for them the browser's selection being in the text is what counts.
 */
export function useSelectionTop(
  editor: Editor | null,
  paper: RefObject<HTMLElement | null>,
  enabled: boolean,
): number | null {
  const [top, setTop] = useState<number | null>(null)
  useEffect(() => {
    if (!editor || !enabled) {
      setTop(null)
      return
    }
    let frame: number | null = null
    const compute = () => {
      frame = null
      if (editor.isDestroyed || !paper.current) return setTop(null)
      const { view } = editor
      const selection = window.getSelection()
      const inText =
        !!selection &&
        selection.rangeCount > 0 &&
        !!selection.anchorNode &&
        view.dom.contains(selection.anchorNode) &&
        (!editor.isEditable || view.hasFocus())
      if (!inText) return setTop(null)
      const { from, to } = editor.state.selection
      if (!selectionToAnchor(editor.state.doc, from, to)) return setTop(null)
      try {
        const coords = view.coordsAtPos(from, 1)
        setTop(Math.round(coords.top - paper.current.getBoundingClientRect().top))
      } catch {
        setTop(null)
      }
    }
    const schedule = () => {
      frame ??= requestAnimationFrame(compute)
    }
    document.addEventListener('selectionchange', schedule)
    editor.on('transaction', schedule)
    editor.on('blur', schedule)
    editor.on('focus', schedule)
    window.addEventListener('resize', schedule)
    schedule()
    return () => {
      if (frame !== null) cancelAnimationFrame(frame)
      document.removeEventListener('selectionchange', schedule)
      editor.off('transaction', schedule)
      editor.off('blur', schedule)
      editor.off('focus', schedule)
      window.removeEventListener('resize', schedule)
    }
  }, [editor, paper, enabled])
  return top
}
