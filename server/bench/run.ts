/**
 * Fan-out benchmark: many documents, a few clients each, one typist per document at human speed.
 * The server runs as its own process pinned to core 0 (taskset), the load on core 1. Open-loop:
 * each edit's latency counts from its scheduled send time. Reports fan-out latency percentiles,
 * commit latency, CPU per delivered frame and per accepted update, memory per idle connection and
 * per loaded document. Results: bench/results/latest.json and latest.md.
 *
 *   npm run bench            quick: 100 documents × 5 clients, 20 s
 *   npm run bench -- --full  500 documents × 5 clients, 60 s
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageType, YDOC_FIELD } from '@plenary/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const full = process.argv.includes('--full')
const DOCS = full ? 500 : 100
const CLIENTS = 5
const SECONDS = full ? 60 : 20
const EDITS_PER_SECOND = 4

type Sample = number[]
const percentile = (sorted: Sample, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'])
    return true
  } catch {
    return false
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

function procStat(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return { rssKb, cpuMicros: (ticks / 100) * 1e6 }
}

async function startServer(pin: boolean) {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-bench-'))
  const adminToken = randomBytes(32).toString('base64url')
  const tsx = path.join(here, '../../node_modules/.bin/tsx')
  const command = pin ? 'taskset' : tsx
  const args = pin ? ['-c', '0', tsx, 'src/main.ts'] : ['src/main.ts']
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
    },
    stdio: 'inherit',
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  // tsx runs node as a child: measure the node process that listens.
  const pid = Number(
    execFileSync('sh', ['-c', `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`])
      .toString()
      .trim(),
  )
  return { url, adminToken, child, pid, dataDir }
}

async function post<T>(url: string, token: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** A thin reader: speaks the protocol, counts update frames, decodes nothing else. */
function thinClient(
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

async function main() {
  const pin = hasTaskset()
  if (pin) {
    try {
      execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })
    } catch {}
  }
  const server = await startServer(pin)
  const base = procStat(server.pid)
  const facilitator = await post<{ participant: { id: string }; token: string }>(
    `${server.url}/api/participants`,
    server.adminToken,
    { name: 'Bench typist', organisation: 'Bench', organisationKind: 'state_party', role: 'facilitator' },
  )
  const content = {
    type: 'doc',
    content: Array.from({ length: 20 }, (_, i) => ({
      type: 'paragraph',
      content: [{ type: 'text', text: `Paragraph ${i + 1} of a small negotiated text, with a few words.` }],
    })),
  }
  const documents: string[] = []
  for (let i = 0; i < DOCS; i++) {
    const { document } = await post<{ document: { id: string } }>(
      `${server.url}/api/documents`,
      server.adminToken,
      {
        title: `Bench ${i}`,
        content,
        penHolders: [facilitator.participant.id],
      },
    )
    documents.push(document.id)
  }

  // Phase 1: readers connect (idle connections, documents loaded).
  const latencies: number[] = []
  const sendTimes: Map<string, number[]> = new Map(documents.map((id) => [id, []]))
  const received: Map<WebSocket, number> = new Map()
  const readers: WebSocket[] = []
  for (const id of documents) {
    for (let c = 0; c < CLIENTS - 1; c++) {
      let count = 0
      const ws: WebSocket = await thinClient(server.url, id, facilitator.token, () => {
        const sent = sendTimes.get(id)?.[count]
        count += 1
        if (sent !== undefined) latencies.push(performance.now() - sent)
      })
      readers.push(ws)
      received.set(ws, 0)
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const idle = procStat(server.pid)

  // Phase 2: one typist per document (a full Yjs client) at EDITS_PER_SECOND, open loop.
  const typists = await Promise.all(
    documents.map(
      (id) =>
        new Promise<{ id: string; ws: WebSocket; doc: Y.Doc }>((resolve) => {
          const doc = new Y.Doc()
          const ws = new WebSocket(
            `${server.url.replace('http', 'ws')}/collab/${id}?token=${facilitator.token}`,
          )
          ws.on('message', (data: Buffer) => {
            const decoder = decoding.createDecoder(new Uint8Array(data))
            if (decoding.readVarUint(decoder) !== MessageType.sync) return
            const step = decoding.readVarUint(decoder)
            if (step === 1) {
              Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
              resolve({ id, ws, doc })
            }
          })
          ws.on('open', () => {
            const encoder = encoding.createEncoder()
            encoding.writeVarUint(encoder, MessageType.sync)
            encoding.writeVarUint(encoder, 0)
            encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
            ws.send(encoding.toUint8Array(encoder))
          })
        }),
    ),
  )
  const beforeLoad = procStat(server.pid)
  const started = performance.now()
  const interval = 1000 / EDITS_PER_SECOND
  let sent = 0
  await new Promise<void>((resolve) => {
    const timers = typists.map(({ id, ws, doc }, index) => {
      const offset = (index / typists.length) * interval
      let n = 0
      const tick = () => {
        const scheduled = started + offset + n * interval
        if (scheduled - started > SECONDS * 1000) return
        const paragraph = doc.getXmlFragment(YDOC_FIELD).get(n % 20) as Y.XmlElement
        const text = paragraph.get(0) as Y.XmlText
        let update: Uint8Array | null = null
        doc.once('update', (u: Uint8Array) => {
          update = u
        })
        text.insert(text.length, 'x')
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, MessageType.sync)
        encoding.writeVarUint(encoder, 2)
        encoding.writeVarUint8Array(encoder, update as unknown as Uint8Array)
        sendTimes.get(id)?.push(scheduled)
        ws.send(encoding.toUint8Array(encoder))
        sent += 1
        n += 1
        const next = started + offset + n * interval - performance.now()
        timersById[index] = setTimeout(tick, Math.max(0, next))
      }
      return setTimeout(tick, offset)
    })
    const timersById = [...timers]
    setTimeout(resolve, SECONDS * 1000 + 2000)
  })
  const afterLoad = procStat(server.pid)
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  const commits = Number(/^plenary_commits_total (\d+)/m.exec(metrics)?.[1])
  const persistSum = Number(/^plenary_persist_seconds_sum ([\d.e-]+)/m.exec(metrics)?.[1])
  const persistCount = Number(/^plenary_persist_seconds_count (\d+)/m.exec(metrics)?.[1])

  for (const ws of readers) ws.close()
  for (const t of typists) t.ws.close()
  server.child.kill('SIGTERM')

  const sorted = latencies.sort((a, b) => a - b)
  const delivered = latencies.length
  const cpu = afterLoad.cpuMicros - beforeLoad.cpuMicros
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
    pinned: pin,
    scenario: {
      documents: DOCS,
      clientsPerDocument: CLIENTS,
      seconds: SECONDS,
      editsPerSecondPerDocument: EDITS_PER_SECOND,
    },
    updatesSent: sent,
    framesDelivered: delivered,
    fanoutMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1),
    },
    commits,
    updatesPerCommit: sent / commits,
    commitMsMean: (persistSum / persistCount) * 1000,
    cpuMicrosPerDeliveredFrame: cpu / delivered,
    cpuMicrosPerAcceptedUpdate: cpu / sent,
    kbPerIdleConnection: (idle.rssKb - base.rssKb) / readers.length,
    rssMb: { start: base.rssKb / 1024, idle: idle.rssKb / 1024, end: afterLoad.rssKb / 1024 },
  }
  const r = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : String(n))
  const md = `| figure | value |
|---|---|
| scenario | ${DOCS} documents × ${CLIENTS} clients, 1 typist each at ${EDITS_PER_SECOND} edits/s, ${SECONDS} s${pin ? ', server pinned to core 0, load to core 1' : ''} |
| updates sent / frames delivered | ${sent} / ${delivered} |
| fan-out latency p50 / p95 / p99 / max | ${r(result.fanoutMs.p50)} / ${r(result.fanoutMs.p95)} / ${r(result.fanoutMs.p99)} / ${r(result.fanoutMs.max ?? Number.NaN)} ms |
| group commit | ${commits} commits, ${r(result.updatesPerCommit)} updates per commit, ${r(result.commitMsMean)} ms mean (fsync on) |
| server CPU per delivered frame / per accepted update | ${r(result.cpuMicrosPerDeliveredFrame)} µs / ${r(result.cpuMicrosPerAcceptedUpdate)} µs |
| memory per idle connection (documents loaded) | ${r(result.kbPerIdleConnection)} KB |
| server RSS start / idle / end | ${r(result.rssMb.start)} / ${r(result.rssMb.idle)} / ${r(result.rssMb.end)} MB |
`
  const outDir = path.join(here, 'results')
  fs.mkdirSync(outDir, { recursive: true })
  const name = full ? 'full' : 'quick'
  fs.writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`)
  fs.writeFileSync(path.join(outDir, `${name}.md`), md)
  console.log(md)
  fs.rmSync(server.dataDir, { recursive: true, force: true })
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
