import type { SaveState } from '../collab/CollabSession.ts'
import { strings } from '../strings.ts'

/** One line, announced politely: the text is exactly one of `strings.status`. */
export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <p
      className={`save-status save-status--${state}`}
      data-testid="save-status"
      role="status"
      aria-live="polite"
      aria-atomic="true"
    >
      {strings.status[state]}
    </p>
  )
}
