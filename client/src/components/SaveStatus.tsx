import type { CollabSession } from '../collab/CollabSession.ts'
import { useSessionField } from '../collab/useCollabSession.ts'
import { strings } from '../strings.ts'

/**
 * One line, announced politely: the text is exactly one of `strings.status`. It follows the
 * session itself, so that its changes (two per keystroke) render this line alone.
 */
export function SaveStatus({ session }: { session: CollabSession }) {
  const state = useSessionField(session, 'saveState')
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
