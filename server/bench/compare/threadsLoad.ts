/**
 * Comments API under load (Plenary only): the thread list of a document with 200 threads, each
 * anchored to a range of its own paragraph (the list resolves every anchor against the live text).
 * Saturation is measured first, closed loop with 4 requests in flight; then, while the "many
 * documents" load runs, the list is requested open loop at half that rate, latency counted from
 * each request's scheduled time.
 */
import http from 'node:http'
import { Latency } from './stats.ts'
import { pool } from './wire.ts'

const THREADS = 200
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// node:http, not fetch: fetch's streams cost this process about 1.5 ms of CPU per 187 KB answer,
// so a fetch-driven generator on its own core saturated at 450 to 700 requests/s with the server
// at a third of its core, and its "saturation" and latencies measured the generator.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

/** One request; resolves with the body as text ('' when `discard`: the loads) and its length. */
function call(
  api: { url: string; token: string },
  method: string,
  pathname: string,
  body?: unknown,
  discard = false,
) {
  const url = new URL(pathname, api.url)
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
  return new Promise<{ text: string; bytes: number }>((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        agent,
        headers: {
          authorization: `Bearer ${api.token}`,
          // The list as the server makes it. A browser takes it gzip-compressed (a tenth of the
          // bytes, compressed once per version of the list); decompressing 190 KB per answer here
          // would make this load generator, not the server, what the figures measure.
          'accept-encoding': 'identity',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0
        const ok = status >= 200 && status < 300
        const chunks: Buffer[] = []
        let bytes = 0
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length
          if (!ok || !discard) chunks.push(chunk)
        })
        response.on('error', reject)
        response.on('end', () => {
          const text = ok && discard ? '' : Buffer.concat(chunks).toString()
          if (ok) resolve({ text, bytes })
          else reject(new Error(`threads load: ${method} ${pathname}: ${status} ${text.slice(0, 200)}`))
        })
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
}

/** A document of 200 paragraphs with a thread on each; returns the list's path and length. */
export async function prepareThreads(api: { url: string; token: string }): Promise<List> {
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
    (await call(api, 'POST', '/api/documents', { title: 'Thread list under load', content })).text,
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
  const { text: body, bytes } = await call(api, 'GET', path)
  const listed = JSON.parse(body) as { threads: unknown[] }
  if (listed.threads.length !== THREADS)
    throw new Error(`threads load: ${listed.threads.length} threads listed`)
  return { path, bytes }
}

type List = { path: string; bytes: number }

/** The whole list, as long as the first one: anything else is an error (and no measure). */
async function getList(api: { url: string; token: string }, list: List) {
  const { bytes } = await call(api, 'GET', list.path, undefined, true)
  if (bytes !== list.bytes) throw new Error(`threads load: a list of ${bytes} bytes, not ${list.bytes}`)
}

/** Requests per second the list sustains with 4 in flight, over `seconds`. */
export async function saturation(api: { url: string; token: string }, list: List, seconds = 1.5) {
  const end = performance.now() + seconds * 1000
  let done = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < end) {
        await getList(api, list)
        done += 1
      }
    }),
  )
  return done / seconds
}

/** Open loop at `perSecond` for `seconds`: latency of each request from its scheduled time. */
export async function listUnderLoad(
  api: { url: string; token: string },
  list: List,
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
      getList(api, list).then(
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
