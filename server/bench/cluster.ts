/**
 * Two instances against one: the same load (documents with a typist at human speed and readers)
 * on one Plenary process on PostgreSQL, then on two processes sharing PostgreSQL and fanning out
 * through Redis, the typist on the first and the readers spread over both. Reports fan-out latency
 * for readers on the typist's instance and on the other one, and the CPU both processes spend per
 * accepted update: the cost of a second instance. Servers share core 0, the load runs on core 1.
 *
 * Needs the machine's PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL, default
 * redis://127.0.0.1:6379). Results: bench/results/cluster.json and cluster.md.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { YDOC_FIELD } from '@plenary/shared'
import type { WebSocket } from 'ws'
import { createTestDatabase, dropTestDatabase } from '../src/storage/postgresTestDatabase.ts'
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
const DOCS = full ? 200 : 50
const READERS = 5
const SECONDS = full ? 60 : 20
const EDITS_PER_SECOND = 4
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'

type Server = Awaited<ReturnType<typeof startServer>>

type Outcome = {
  instances: number
  updatesSent: number
  framesDelivered: number
  sameInstanceMs: { p50: number; p95: number; p99: number }
  otherInstanceMs: { p50: number; p95: number; p99: number } | null
  allMs: { p50: number; p95: number; p99: number; max: number }
  cpuMicrosPerAcceptedUpdate: number
  cpuMicrosPerDeliveredFrame: number
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) }
}

async function scenario(instances: 1 | 2, pin: boolean): Promise<Outcome> {
  const database = await createTestDatabase('plenary_bench')
  const adminToken = randomBytes(32).toString('base64url')
  const env = {
    DATABASE_URL: database.url,
    PLENARY_ADMIN_TOKEN: adminToken,
    ...(instances === 2
      ? { REDIS_URL, PLENARY_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}` }
      : {}),
  }
  const servers: Server[] = []
  try {
    for (let i = 0; i < instances; i++) servers.push(await startServer(pin, env))
    const [first] = servers
    const { typist, documents } = await createBenchDocuments(first.url, adminToken, DOCS)

    const sendTimes = new Map<string, number[]>(documents.map((id) => [id, []]))
    const same: number[] = []
    const other: number[] = []
    const sockets: WebSocket[] = []
    for (const id of documents) {
      for (let r = 0; r < READERS; r++) {
        // With two instances, readers alternate: the typist's instance, then the other.
        const server = servers[r % instances]
        const bucket = server === first ? same : other
        let count = 0
        sockets.push(
          await thinClient(server.url, id, typist.token, () => {
            const sent = sendTimes.get(id)?.[count]
            count += 1
            if (sent !== undefined) bucket.push(performance.now() - sent)
          }),
        )
      }
    }
    const typists = await Promise.all(
      documents.map(async (id) => ({ id, ...(await typistClient(first.url, id, typist.token)) })),
    )
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const before = servers.map((s) => procStat(s.pid))
    const sent = await typeOpenLoop(
      typists,
      YDOC_FIELD,
      { seconds: SECONDS, editsPerSecond: EDITS_PER_SECOND },
      (id, scheduled) => sendTimes.get(id)?.push(scheduled),
    )
    const after = servers.map((s) => procStat(s.pid))
    for (const ws of sockets) ws.close()
    for (const t of typists) t.ws.close()
    const cpu = after.reduce((sum, a, i) => sum + a.cpuMicros - before[i].cpuMicros, 0)
    const all = [...same, ...other].sort((a, b) => a - b)
    return {
      instances,
      updatesSent: sent,
      framesDelivered: all.length,
      sameInstanceMs: summary(same),
      otherInstanceMs: other.length > 0 ? summary(other) : null,
      allMs: { ...summary(all), max: all.at(-1) ?? Number.NaN },
      cpuMicrosPerAcceptedUpdate: cpu / sent,
      cpuMicrosPerDeliveredFrame: cpu / all.length,
    }
  } finally {
    for (const server of servers) {
      server.child.kill('SIGTERM')
      await new Promise((resolve) => server.child.once('exit', resolve))
      fs.rmSync(server.dataDir, { recursive: true, force: true })
    }
    await dropTestDatabase(database.name)
  }
}

async function main() {
  const pin = hasTaskset()
  pinLoad(pin)
  const one = await scenario(1, pin)
  const two = await scenario(2, pin)
  const r = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(2) : '–')
  const ms = (s: { p50: number; p95: number; p99: number } | null) =>
    s ? `${r(s.p50)} / ${r(s.p95)} / ${r(s.p99)}` : '–'
  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    pinned: pin,
    scenario: {
      documents: DOCS,
      readersPerDocument: READERS,
      seconds: SECONDS,
      editsPerSecondPerDocument: EDITS_PER_SECOND,
    },
    one,
    two,
    p99CostMs: two.allMs.p99 - one.allMs.p99,
    cpuRatio: two.cpuMicrosPerAcceptedUpdate / one.cpuMicrosPerAcceptedUpdate,
  }
  const md = `| ${DOCS} documents × (1 typist at ${EDITS_PER_SECOND} edits/s + ${READERS} readers), ${SECONDS} s, PostgreSQL${pin ? ', servers on core 0, load on core 1' : ''} | one instance | two instances + Redis |
|---|---|---|
| updates sent / frames delivered | ${one.updatesSent} / ${one.framesDelivered} | ${two.updatesSent} / ${two.framesDelivered} |
| fan-out p50 / p95 / p99, readers on the typist's instance | ${ms(one.sameInstanceMs)} ms | ${ms(two.sameInstanceMs)} ms |
| fan-out p50 / p95 / p99, readers on the other instance | – | ${ms(two.otherInstanceMs)} ms |
| fan-out p99 / max, all readers | ${r(one.allMs.p99)} / ${r(one.allMs.max)} ms | ${r(two.allMs.p99)} / ${r(two.allMs.max)} ms |
| server CPU per accepted update (all instances) | ${r(one.cpuMicrosPerAcceptedUpdate)} µs | ${r(two.cpuMicrosPerAcceptedUpdate)} µs (× ${r(result.cpuRatio)}) |
| server CPU per delivered frame | ${r(one.cpuMicrosPerDeliveredFrame)} µs | ${r(two.cpuMicrosPerDeliveredFrame)} µs |
`
  const outDir = path.join(here, 'results')
  fs.mkdirSync(outDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, 'cluster.json'), `${JSON.stringify(result, null, 2)}\n`)
  fs.writeFileSync(path.join(outDir, 'cluster.md'), md)
  console.log(md)
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
