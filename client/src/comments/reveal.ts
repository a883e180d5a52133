import type { Editor } from '@tiptap/core'
import { currentRanges } from './threadHighlights.ts'

/**
 * How a thread is brought forward: `show` scrolls its words into view; `select` also selects
 * them (a click on the card, as in Docs). Editors with the pen take focus for that, or their
 * next click would land on the stale selection; read-only ones get the browser's selection.
 */
export type Reveal = 'none' | 'show' | 'select'

/** Space kept under the sticky bars when text is scrolled into view. */
function topClearance(): number {
  const bar = document.querySelector('.doc-bar')
  return (bar ? bar.getBoundingClientRect().bottom : 0) + 24
}

function select(editor: Editor, from: number, to: number): void {
  if (editor.isEditable) {
    editor.chain().setTextSelection({ from, to }).focus(undefined, { scrollIntoView: false }).run()
    return
  }
  const start = editor.view.domAtPos(from)
  const end = editor.view.domAtPos(to)
  const range = document.createRange()
  range.setStart(start.node, start.offset)
  range.setEnd(end.node, end.offset)
  const selection = window.getSelection()
  selection?.removeAllRanges()
  selection?.addRange(range)
}

/** Shows a thread's words in the text, scrolling them into view when they are off screen. */
export function revealThread(editor: Editor | null, threadId: string, how: Reveal): void {
  if (!editor || editor.isDestroyed || how === 'none') return
  const range = currentRanges(editor.state).find((r) => r.threadId === threadId)
  if (!range) return
  const { view } = editor
  let top: number
  let bottom: number
  try {
    top = view.coordsAtPos(range.from).top
    bottom = view.coordsAtPos(range.to).bottom
  } catch {
    return
  }
  const clearance = topClearance()
  if (top < clearance || bottom > window.innerHeight - 24) {
    window.scrollBy({ top: top - clearance - 40, behavior: 'instant' })
  }
  if (how === 'select' && range.to > range.from) {
    try {
      select(editor, range.from, range.to)
    } catch {
      // The words moved under us; showing them is enough.
    }
  }
}

/** Scrolls an element of the margin into view when it is hidden under the bars or below. */
export function scrollIntoViewIfNeeded(element: HTMLElement | null): void {
  if (!element) return
  const rect = element.getBoundingClientRect()
  const clearance = topClearance()
  if (rect.top < clearance) window.scrollBy({ top: rect.top - clearance, behavior: 'instant' })
  else if (rect.top > window.innerHeight - 80)
    window.scrollBy({ top: rect.top - clearance - 40, behavior: 'instant' })
}
