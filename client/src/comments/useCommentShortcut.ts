import type { Editor } from '@tiptap/core'
import { useEffect, useRef } from 'react'

/**
 * Mod+Alt+M opens the composer: on the selection when it is in the text, else a general comment.
 * Listened for on the window, since read-only editors cannot take focus and so never see keys.
 */
export function useCommentShortcut(
  editor: Editor | null,
  enabled: boolean,
  onSelection: () => void,
  onGeneral: () => void,
): void {
  const handlers = useRef({ onSelection, onGeneral })
  handlers.current = { onSelection, onGeneral }
  useEffect(() => {
    if (!enabled) return
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.shiftKey || event.code !== 'KeyM')
        return
      event.preventDefault()
      const selection = window.getSelection()
      const inText =
        !!editor &&
        !editor.isDestroyed &&
        !!selection?.anchorNode &&
        editor.view.dom.contains(selection.anchorNode)
      if (inText) handlers.current.onSelection()
      else handlers.current.onGeneral()
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [editor, enabled])
}
