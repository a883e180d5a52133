import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'

export type TextStyle = 'paragraph' | 'heading1' | 'heading2' | 'heading3' | 'other'

export type ToolbarState = {
  textStyle: TextStyle
  bold: boolean
  italic: boolean
  underline: boolean
  strike: boolean
  bulletList: boolean
  orderedList: boolean
  blockquote: boolean
  inTable: boolean
  link: boolean
  canUndo: boolean
  canRedo: boolean
}

function textStyleOf(editor: Editor): TextStyle {
  for (const level of [1, 2, 3] as const) {
    if (editor.isActive('heading', { level })) return `heading${level}`
  }
  return editor.isActive('paragraph') ? 'paragraph' : 'other'
}

const empty: ToolbarState = {
  textStyle: 'paragraph',
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  bulletList: false,
  orderedList: false,
  blockquote: false,
  inTable: false,
  link: false,
  canUndo: false,
  canRedo: false,
}

/** Which marks and blocks are active at the caret, re-read after every transaction. */
export function useToolbarState(editor: Editor | null): ToolbarState {
  return (
    useEditorState({
      editor,
      selector: ({ editor: current }): ToolbarState => {
        if (!current) return empty
        return {
          textStyle: textStyleOf(current),
          bold: current.isActive('bold'),
          italic: current.isActive('italic'),
          underline: current.isActive('underline'),
          strike: current.isActive('strike'),
          bulletList: current.isActive('bulletList'),
          orderedList: current.isActive('orderedList'),
          blockquote: current.isActive('blockquote'),
          inTable: current.isActive('table'),
          link: current.isActive('link'),
          canUndo: current.can().undo(),
          canRedo: current.can().redo(),
        }
      },
    }) ?? empty
  )
}
