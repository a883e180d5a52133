import { useCallback, useState } from 'react'

/**
 * A polite announcement for screen readers (render `message` in a `role="status"` region). The
 * same words said twice are still announced: every other time a no-break space is appended.
 */
export function useAnnouncer(): [string, (message: string) => void] {
  const [state, setState] = useState({ text: '', n: 0 })
  const announce = useCallback((text: string) => setState((current) => ({ text, n: current.n + 1 })), [])
  return [state.text ? `${state.text}${state.n % 2 ? '\u00a0' : ''}` : '', announce]
}
