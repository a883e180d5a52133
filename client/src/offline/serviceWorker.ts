/**
 * Registers `/sw.js` (client/public/sw.js), which lets the app open without a network, and tells
 * it which files and API reads this page loaded before it was in control.
 */
const API_READS = /^\/api\/(me|documents(\/[A-Za-z0-9_-]{1,64})?)$/

function loadedUrls(): string[] {
  const urls = new Set<string>()
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name)
    if (url.origin !== window.location.origin) continue
    if (url.pathname.startsWith('/assets/') || API_READS.test(url.pathname)) urls.add(url.pathname)
  }
  return [...urls]
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return
  navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const send = () => registration.active?.postMessage({ type: 'cache', urls: loadedUrls() })
      send()
      // Chunks and reads that were loading while the worker took over.
      navigator.serviceWorker.addEventListener('controllerchange', send, { once: true })
      setTimeout(send, 5000)
    })
    .catch((error: unknown) => console.warn('[plenary] offline support unavailable', error))
}

/** Deletes the caches of the app shell and of API reads (on sign-out). */
export async function deleteCachedResponses(): Promise<void> {
  if (typeof caches === 'undefined') return
  const keys = await caches.keys().catch(() => [] as string[])
  await Promise.all(keys.filter((key) => key.startsWith('plenary-')).map((key) => caches.delete(key)))
}
