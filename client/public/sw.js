/*
 * Plenary's service worker: the app opens without a network, so a facilitator who loses the
 * hotel Wi-Fi can reload and keep working on the offline copy of the text (IndexedDB). It keeps
 * the app shell and its hashed assets (cache first), and the last answer of the few API reads the
 * app needs to start (network first). The text itself never passes through here: it lives in the
 * Yjs offline copy and travels over the websocket. Signing out deletes these caches.
 */
const SHELL_CACHE = 'plenary-shell-v1'
const DATA_CACHE = 'plenary-data-v1'
const SHELL_KEY = '/'
const PAGE = /^\/(documents\/[A-Za-z0-9_-]{1,64}\/?)?$/
const API_READS = /^\/api\/(me|documents(\/[A-Za-z0-9_-]{1,64})?)$/

const isAsset = (url) => url.pathname.startsWith('/assets/')

async function putIfOk(cacheName, key, response) {
  if (!response.ok || response.type !== 'basic') return
  const cache = await caches.open(cacheName)
  await cache.put(key, response)
}

/** The shell and every built asset (asset-manifest.json, written by vite.config.ts). */
async function precacheShell() {
  const cache = await caches.open(SHELL_CACHE)
  await putIfOk(SHELL_CACHE, SHELL_KEY, await fetch(SHELL_KEY, { cache: 'no-cache' }))
  const manifest = await fetch('/asset-manifest.json', { cache: 'no-cache' })
  if (!manifest.ok) return
  const { files } = await manifest.json()
  await Promise.allSettled(files.map(async (href) => (await cache.match(href)) ?? cache.add(href)))
}

/** Assets of earlier builds are dropped once this one is active. */
async function pruneOldAssets() {
  const manifest = await fetch('/asset-manifest.json', { cache: 'no-cache' }).catch(() => null)
  if (!manifest?.ok) return
  const current = new Set((await manifest.json()).files)
  const cache = await caches.open(SHELL_CACHE)
  for (const request of await cache.keys()) {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/assets/') && !current.has(pathname)) await cache.delete(request)
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precacheShell().then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('plenary-') && key !== SHELL_CACHE && key !== DATA_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim())
      .then(() => pruneOldAssets()),
  )
})

async function page(request) {
  try {
    const response = await fetch(request)
    if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
      await putIfOk(SHELL_CACHE, SHELL_KEY, response.clone())
    }
    return response
  } catch (error) {
    const cached = await caches.match(SHELL_KEY, { cacheName: SHELL_CACHE })
    if (cached) return cached
    throw error
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE })
  if (cached) return cached
  const response = await fetch(request)
  await putIfOk(SHELL_CACHE, request, response.clone())
  return response
}

async function apiRead(request) {
  try {
    const response = await fetch(request)
    if (response.status === 401) await caches.delete(DATA_CACHE)
    else await putIfOk(DATA_CACHE, request, response.clone())
    return response
  } catch (error) {
    const cached = await caches.match(request, { cacheName: DATA_CACHE })
    if (cached) return cached
    throw error
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate') {
    if (PAGE.test(url.pathname)) event.respondWith(page(request))
  } else if (isAsset(url)) {
    event.respondWith(asset(request))
  } else if (API_READS.test(url.pathname)) {
    event.respondWith(apiRead(request))
  }
})

/** The page names what it loaded before this worker controlled it, so it is kept too. */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache' || !Array.isArray(event.data.urls)) return
  const work = event.data.urls.map(async (href) => {
    const url = new URL(href, self.location.origin)
    if (url.origin !== self.location.origin) return
    try {
      if (isAsset(url)) {
        if (!(await caches.match(url.href, { cacheName: SHELL_CACHE }))) {
          await putIfOk(SHELL_CACHE, url.href, await fetch(url.href))
        }
      } else if (API_READS.test(url.pathname)) {
        await putIfOk(DATA_CACHE, url.href, await fetch(url.href, { credentials: 'same-origin' }))
      }
    } catch {
      // Offline or gone: the next load will fetch it through the worker anyway.
    }
  })
  event.waitUntil(Promise.all(work))
})
