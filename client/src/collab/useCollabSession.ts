import { useEffect, useState, useSyncExternalStore } from 'react'
import { CollabSession, type SessionState } from './CollabSession.ts'

/**
 * Opens a session for as long as the component is mounted and these inputs stay the same.
 * `generation` lets the page force a fresh session (a read-only document that diverged).
 */
export function useCollabSession(
  documentId: string,
  participantId: string,
  canEdit: boolean,
  generation: number,
): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null)
  useEffect(() => {
    // `generation` is read so that a new value opens a new session.
    void generation
    const created = new CollabSession({ documentId, participantId, canEdit })
    setSession(created)
    return () => {
      setSession(null)
      created.destroy()
    }
  }, [documentId, participantId, canEdit, generation])
  return session
}

const idle: SessionState = { saveState: 'connecting', closeCode: null, diverged: false }
const noop = () => () => {}

/**
 * One field of the session's state: the component re-renders when that field changes, not when
 * another does. The save state changes twice per keystroke (saving, saved); only the save status
 * shows it, and the page around it (editor, 500 thread cards) is not rendered again for it.
 */
export function useSessionField<K extends keyof SessionState>(
  session: CollabSession | null,
  field: K,
): SessionState[K] {
  return useSyncExternalStore(session?.subscribe ?? noop, () => (session?.getState() ?? idle)[field])
}
