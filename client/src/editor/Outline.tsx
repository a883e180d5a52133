import type { Editor } from '@tiptap/core'
import { strings } from '../strings.ts'
import { type OutlineEntry, useOutline } from './useOutline.ts'

/** Scrolls to a heading; for people who hold the pen, the caret goes there too. */
function goTo(editor: Editor, entry: OutlineEntry): void {
  if (editor.isDestroyed) return
  const element = editor.view.nodeDOM(entry.pos)
  if (editor.isEditable) {
    editor
      .chain()
      .setTextSelection(entry.pos + 1)
      .focus(undefined, { scrollIntoView: false })
      .run()
  }
  if (element instanceof HTMLElement) element.scrollIntoView({ block: 'start' })
}

/** A live table of contents of the text, for moving around a long draft. */
export function Outline({ editor }: { editor: Editor | null }) {
  const entries = useOutline(editor)
  return (
    <nav className="outline" aria-labelledby="outline-heading" data-testid="outline">
      <h2 id="outline-heading" className="sidebar-heading">
        {strings.outline.heading}
      </h2>
      {entries.length === 0 ? (
        <p className="quiet outline__empty">{strings.outline.empty}</p>
      ) : (
        <ol className="outline__list" aria-label={strings.outline.label}>
          {entries.map((entry) => (
            <li key={entry.key} className={`outline__item outline__item--level-${entry.level}`}>
              <button
                type="button"
                className="outline__link"
                onClick={() => editor && goTo(editor, entry)}
                title={entry.text || strings.outline.untitled}
              >
                {entry.text || strings.outline.untitled}
              </button>
            </li>
          ))}
        </ol>
      )}
    </nav>
  )
}
