import { useSyncExternalStore } from 'react'
import { subscribeToPath } from '../navigation/history.ts'

const readParam = () => new URLSearchParams(window.location.search).get('thread')

/** `?thread=<id>` in the address (links from mentions): the thread to open. */
export function useThreadParam(): string | null {
  return useSyncExternalStore(subscribeToPath, readParam)
}
