/** What the benchmarks share: the server as a pinned process, its CPU and memory, thin clients. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageType } from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'

const here = path.dirname(fileURLToPath(import.meta.url))

export type Sample = number[]
export const percentile = (sorted: Sample, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'])
    return true
  } catch {
    return false
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export function procStat(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return { rssKb, cpuMicros: (ticks / 100) * 1e6 }
}

/**
 * Starts the server pinned to core 0 (when `pin`). `at` restarts one on the same port, data
 * directory and administrator token; `built` runs the bundle (dist/main.mjs, built when stale), as
 * `npm start` does, instead of the sources through tsx.
 */
export async function startServer(
  pin: boolean,
  env: Record<string, string> = {},
  at: { port?: number; dataDir?: string; adminToken?: string; built?: boolean } = {},
) {
  const port = at.port ?? (await freePort())
  const dataDir = at.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-bench-'))
  const adminToken = at.adminToken ?? randomBytes(32).toString('base64url')
  const tsx = path.join(here, '../../node_modules/.bin/tsx')
  let entry = [tsx, 'src/main.ts']
  if (at.built) {
    const { bundleIsCurrent, bundlePath, bundleServer } = await import('../src/tools/bundle.ts')
    if (!bundleIsCurrent()) await bundleServer()
    entry = [process.execPath, bundlePath]
  }
  const command = pin ? 'taskset' : entry[0]
  const args = pin ? ['-c', '0', ...entry] : entry.slice(1)
  const child: ChildProcess = spawn(command, args, {
    cwd: path.join(here, '..'),
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      PLENARY_DEMO: '0',
      PLENARY_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'error',
      PLENARY_MAX_CONNECTIONS_PER_PARTICIPANT: '100000',
      ...env,
    },
    stdio: 'inherit',
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  // tsx runs node as a child: measure the node process that listens.
  const pid = Number(
    execFileSync('sh', ['-c', `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`])
      .toString()
      .trim(),
  )
  return { url, adminToken, child, pid, dataDir }
}

export async function post<T>(url: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** A thin reader: speaks the protocol, counts update frames, decodes nothing else. */
export function thinClient(
  url: string,
  documentId: string,
  token: string,
  onUpdate: () => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/collab/${documentId}?token=${token}`)
    ws.binaryType = 'nodebuffer'
    ws.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
      ws.send(encoding.toUint8Array(encoder))
      resolve(ws)
    })
    ws.on('message', (data: Buffer) => {
      if (data[0] === MessageType.sync && data[1] === 2) onUpdate()
    })
    ws.on('error', reject)
  })
}

/** A full Yjs client that has received the document (sync step 2). */
export function typistClient(
  url: string,
  documentId: string,
  token: string,
): Promise<{ ws: WebSocket; doc: Y.Doc }> {
  return new Promise((resolve, reject) => {
    const doc = new Y.Doc()
    const ws = new WebSocket(`${url.replace('http', 'ws')}/collab/${documentId}?token=${token}`)
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarUint(decoder) !== MessageType.sync) return
      const step = decoding.readVarUint(decoder)
      if (step === 1) {
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
        resolve({ ws, doc })
      }
    })
    ws.on('open', () => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
      ws.send(encoding.toUint8Array(encoder))
    })
    ws.on('error', reject)
  })
}

/** Appends one character to a paragraph and returns the sync message carrying that update. */
export function typeOne(doc: Y.Doc, field: string, paragraph: number): Uint8Array {
  const element = doc.getXmlFragment(field).get(paragraph) as Y.XmlElement
  const text = element.get(0) as Y.XmlText
  let update: Uint8Array | null = null
  const listener = (u: Uint8Array) => {
    update = u
  }
  doc.once('update', listener)
  text.insert(text.length, 'x')
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, 2)
  encoding.writeVarUint8Array(encoder, update as unknown as Uint8Array)
  return encoding.toUint8Array(encoder)
}

/** Pins this process (the load) to core 1 when the server is pinned to core 0. */
export function pinLoad(pin: boolean): void {
  if (!pin) return
  try {
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })
  } catch {}
}

export const machine = () =>
  `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`

/** A pen holder and `count` documents of twenty short paragraphs, created over the HTTP API. */
export async function createBenchDocuments(url: string, adminToken: string, count: number) {
  const typist = await post<{ participant: { id: string }; token: string }>(
    `${url}/api/participants`,
    adminToken,
    {
      name: 'Bench typist',
      organisation: 'Bench',
      organisationKind: 'state_party',
      role: 'facilitator',
    },
  )
  const content = {
    type: 'doc',
    content: Array.from({ length: 20 }, (_, i) => ({
      type: 'paragraph',
      content: [{ type: 'text', text: `Paragraph ${i + 1} of a small negotiated text, with a few words.` }],
    })),
  }
  const documents: string[] = []
  for (let i = 0; i < count; i++) {
    const { document } = await post<{ document: { id: string } }>(`${url}/api/documents`, adminToken, {
      title: `Bench ${i}`,
      content,
      penHolders: [typist.participant.id],
    })
    documents.push(document.id)
  }
  return { typist: { id: typist.participant.id, token: typist.token }, documents }
}

/**
 * Open loop: each typist appends one character every 1/`editsPerSecond` s for `seconds`, the
 * typists spread evenly over the interval; `onSend` hears each edit's scheduled time (latency
 * counts from it, not from when the send happened). Resolves 2 s after the last edit, with the
 * number sent.
 */
export async function typeOpenLoop(
  typists: { id: string; ws: WebSocket; doc: Y.Doc }[],
  field: string,
  { seconds, editsPerSecond }: { seconds: number; editsPerSecond: number },
  onSend: (documentId: string, scheduled: number) => void,
): Promise<number> {
  const started = performance.now()
  const interval = 1000 / editsPerSecond
  let sent = 0
  await new Promise<void>((resolve) => {
    typists.forEach(({ id, ws, doc }, index) => {
      const offset = (index / typists.length) * interval
      let n = 0
      const tick = () => {
        const scheduled = started + offset + n * interval
        if (scheduled - started > seconds * 1000) return
        const message = typeOne(doc, field, n % 20)
        onSend(id, scheduled)
        ws.send(message)
        sent += 1
        n += 1
        setTimeout(tick, Math.max(0, started + offset + n * interval - performance.now()))
      }
      setTimeout(tick, offset)
    })
    setTimeout(resolve, seconds * 1000 + 2000)
  })
  return sent
}
