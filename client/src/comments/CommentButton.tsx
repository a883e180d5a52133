import { shortcut } from '../editor/shortcuts.ts'
import { strings } from '../strings.ts'

export const COMMENT_SHORTCUT = shortcut('Mod+Alt+M')

/** Beside the selection, in the page's right margin: starts a thread on it. */
export function CommentButton({ top, onComment }: { top: number; onComment: () => void }) {
  return (
    <button
      type="button"
      className="comment-button"
      data-testid="comment-button"
      style={{ top }}
      aria-keyshortcuts={COMMENT_SHORTCUT.aria}
      title={strings.comments.commentShortcut(COMMENT_SHORTCUT.label)}
      // Keep the selection where it is: it is what the thread will be on.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onComment}
    >
      <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          d="M3 4.5h14v9H9l-4 3v-3H3z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
        <path d="M10 6.5v5M7.5 9h5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <span className="visually-hidden">{strings.comments.commentButton}</span>
    </button>
  )
}
