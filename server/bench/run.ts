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
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { YDOC_FIELD } from '@plenary/shared'
import type { WebSocket } from 'ws'
import {
  createBenchDocuments,
  hasTaskset,
  machine,
  percentile,
  pinLoad,
  procStat,
  startServer,
  thinClient,
  typeOpenLoop,
  typistClient,
} from './lib.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const full = process.argv.includes('--full')
const DOCS = full ? 500 : 100
const CLIENTS = 5
const SECONDS = full ? 60 : 20
const EDITS_PER_SECOND = 4

async function main() {
  const pin = hasTaskset()
  pinLoad(pin)
  const server = await startServer(pin)
  const base = procStat(server.pid)
  const { typist: facilitator, documents } = await createBenchDocuments(server.url, server.adminToken, DOCS)

  // Phase 1: readers connect: first one per document (which loads it), then the others (idle
  // connections to loaded documents), so that each cost is measured apart.
  const created = procStat(server.pid)
  const latencies: number[] = []
  const sendTimes: Map<string, number[]> = new Map(documents.map((id) => [id, []]))
  const readers: WebSocket[] = []
  const connectReader = async (id: string) => {
    let count = 0
    readers.push(
      await thinClient(server.url, id, facilitator.token, () => {
        const sent = sendTimes.get(id)?.[count]
        count += 1
        if (sent !== undefined) latencies.push(performance.now() - sent)
      }),
    )
  }
  for (const id of documents) await connectReader(id)
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const loaded = procStat(server.pid)
  for (const id of documents) for (let c = 1; c < CLIENTS - 1; c++) await connectReader(id)
  await new Promise((resolve) => setTimeout(resolve, 2000))
  const idle = procStat(server.pid)

  // Phase 2: one typist per document (a full Yjs client) at EDITS_PER_SECOND, open loop.
  const typists = await Promise.all(
    documents.map(async (id) => ({ id, ...(await typistClient(server.url, id, facilitator.token)) })),
  )
  const beforeLoad = procStat(server.pid)
  const sent = await typeOpenLoop(
    typists,
    YDOC_FIELD,
    { seconds: SECONDS, editsPerSecond: EDITS_PER_SECOND },
    (id, scheduled) => sendTimes.get(id)?.push(scheduled),
  )
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
    machine: machine(),
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
    kbPerLoadedDocument: (loaded.rssKb - created.rssKb) / DOCS,
    kbPerIdleConnection: (idle.rssKb - loaded.rssKb) / (readers.length - DOCS),
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
| memory per loaded document (with its first reader) / per further idle connection | ${r(result.kbPerLoadedDocument)} KB / ${r(result.kbPerIdleConnection)} KB |
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
