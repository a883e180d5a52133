/**
 * Comments API under load (Plenary only): the thread list of a document with 200 threads, each
 * anchored to a range of its own paragraph (the list resolves every anchor against the live text).
 * Saturation is measured first, closed loop with 4 requests in flight; then, while the "many
 * documents" load runs, the list is requested open loop at half that rate, latency counted from
 * each request's scheduled time.
 */
import { Latency } from './stats.ts'
import { pool } from './wire.ts'

const THREADS = 200
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function call(api: { url: string; token: string }, method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${api.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      // The list as the server makes it. A browser takes it gzip-compressed (a tenth of the bytes,
      // compressed once per version of the list); decompressing 190 KB per answer here would make
      // this load generator, not the server, what the figures measure (saturation 2,145 → 801).
      'accept-encoding': 'identity',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok)
    throw new Error(`threads load: ${method} ${pathname}: ${response.status} ${text.slice(0, 200)}`)
  return text
}

/** A document of 200 paragraphs with a thread on each; returns the list's path. */
export async function prepareThreads(api: { url: string; token: string }): Promise<string> {
  const content = {
    type: 'doc',
    content: Array.from({ length: THREADS }, (_, i) => ({
      type: 'paragraph',
      attrs: { id: `bench-${i}` },
      content: [
        { type: 'text', text: `Paragraph ${i + 1}: the working group shall report on its progress.` },
      ],
    })),
  }
  const created = JSON.parse(
    await call(api, 'POST', '/api/documents', { title: 'Thread list under load', content }),
  ) as { document: { id: string } }
  const id = created.document.id
  await pool(
    Array.from({ length: THREADS }, (_, i) => i),
    8,
    (i) =>
      call(api, 'POST', `/api/documents/${id}/threads`, {
        anchor: { blockId: `bench-${i}`, from: 4, to: 20 },
        kind: 'comment',
        body: `Comment ${i + 1} on this paragraph.`,
      }),
  )
  const path = `/api/documents/${id}/threads`
  const listed = JSON.parse(await call(api, 'GET', path)) as { threads: unknown[] }
  if (listed.threads.length !== THREADS)
    throw new Error(`threads load: ${listed.threads.length} threads listed`)
  return path
}

/** Requests per second the list sustains with 4 in flight, over `seconds`. */
export async function saturation(api: { url: string; token: string }, path: string, seconds = 1.5) {
  const end = performance.now() + seconds * 1000
  let done = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < end) {
        await call(api, 'GET', path)
        done += 1
      }
    }),
  )
  return done / seconds
}

/** Open loop at `perSecond` for `seconds`: latency of each request from its scheduled time. */
export async function listUnderLoad(
  api: { url: string; token: string },
  path: string,
  perSecond: number,
  seconds: number,
) {
  const latency = new Latency()
  const interval = 1000 / perSecond
  const started = performance.now()
  const requests: Promise<void>[] = []
  let errors = 0
  for (let n = 0; started + n * interval < started + seconds * 1000; n++) {
    const scheduled = started + n * interval
    const wait = scheduled - performance.now()
    if (wait > 0) await sleep(wait)
    requests.push(
      call(api, 'GET', path).then(
        () => latency.record(performance.now() - scheduled),
        () => {
          errors += 1
        },
      ),
    )
  }
  await Promise.all(requests)
  return { perSecond, requests: requests.length, errors, latencyMs: latency.summary() }
}
