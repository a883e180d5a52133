import { useMemo, useSyncExternalStore } from 'react'
import { currentPath, subscribeToPath } from './history.ts'
import { matchRoute, type Route } from './routes.ts'

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribeToPath, currentPath)
  return useMemo(() => matchRoute(path), [path])
}
