/**
 * Client-side navigation without a router library: the history API plus one event that tells
 * subscribers the path changed.
 */
const NAVIGATE_EVENT = 'plenary:navigate'

export function currentPath(): string {
  return window.location.pathname
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentPath() && !options.replace) return
  if (options.replace) window.history.replaceState(null, '', path)
  else window.history.pushState(null, '', path)
  window.scrollTo(0, 0)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

export function subscribeToPath(listener: () => void): () => void {
  window.addEventListener('popstate', listener)
  window.addEventListener(NAVIGATE_EVENT, listener)
  return () => {
    window.removeEventListener('popstate', listener)
    window.removeEventListener(NAVIGATE_EVENT, listener)
  }
}
