import type { Editor } from '@tiptap/core'
import { strings } from '../strings.ts'
import type { TextStyle } from './useToolbarState.ts'

const options: { value: Exclude<TextStyle, 'other'>; label: string }[] = [
  { value: 'paragraph', label: strings.toolbar.paragraph },
  { value: 'heading1', label: strings.toolbar.heading1 },
  { value: 'heading2', label: strings.toolbar.heading2 },
  { value: 'heading3', label: strings.toolbar.heading3 },
]

/** Applies the style but leaves focus here, so arrowing through the options does not jump away. */
function apply(editor: Editor, value: string): void {
  const chain = editor.chain()
  if (value === 'heading1') chain.setHeading({ level: 1 }).run()
  else if (value === 'heading2') chain.setHeading({ level: 2 }).run()
  else if (value === 'heading3') chain.setHeading({ level: 3 }).run()
  else chain.setParagraph().run()
}

/** Paragraph or heading level of the block at the caret. */
export function TextStyleSelect({ editor, value }: { editor: Editor; value: TextStyle }) {
  return (
    <select
      className="toolbar__select"
      aria-label={strings.toolbar.textStyle}
      title={strings.toolbar.textStyle}
      value={value === 'other' ? '' : value}
      onChange={(event) => apply(editor, event.target.value)}
    >
      {value === 'other' && <option value="" disabled hidden />}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  )
}
