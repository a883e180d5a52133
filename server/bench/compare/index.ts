/**
 * Plenary side by side with the servers people would otherwise pick, in the same run: Hocuspocus
 * 3.4.4 with its SQLite extension, Hocuspocus 4.7.0 with its SQLite extension under Node 22
 * (installed into bench/.cache on first use, see ./node22.ts) and @y/websocket-server 0.1.1. Each server is its own process
 * pinned to core 0, the load generator to core 1; each scenario runs three times per server
 * (servers interleaved), and the tables give medians with min–max and each baseline's value
 * divided by Plenary's.
 *
 *   node --import tsx bench/compare/index.ts            quick, about two minutes
 *   node --import tsx bench/compare/index.ts --full     500 documents, longer steps
 *   … --only plenary,ywebsocket   --runs 1             a subset, fewer repetitions
 *   node --import tsx bench/compare/index.ts --check    regression check: Plenary alone, one run of
 *                                                       each scenario, compared with the committed
 *                                                       results; exit 1 past the tolerances
 *
 * Results: bench/results/compare.json and compare.md (compare-full.* with --full; a check writes
 * bench/results/tmp/ only).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { hasTaskset, machine, pinLoad } from '../lib.ts'
import { coldLoad } from './coldLoad.ts'
import { hocuspocus4 } from './node22.ts'
import { reconnectStorm } from './reconnectStorm.ts'
import { hotDocument, manyDocuments, PASTE_BYTES } from './scenarios.ts'
import { LABELS, launch, launchPlenary } from './servers.ts'
import { type Spread, spread } from './stats.ts'
import { loadTrace } from './trace.ts'
import type { Kind } from './wire.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const full = args.includes('--full')
const option = (name: string) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const check = args.includes('--check')
const RUNS = Number(option('--runs') ?? (check ? 1 : 3))
const KINDS = (option('--only')?.split(',') ??
  (check ? ['plenary'] : ['plenary', 'hocuspocus', 'hocuspocus4', 'ywebsocket'])) as Kind[]
/** Why Hocuspocus 4 is not in this run, when it was asked for and cannot run here. */
let hocuspocus4NotRun: string | null = null
if (KINDS.includes('hocuspocus4')) {
  const node22 = hocuspocus4()
  if (typeof node22 === 'string') {
    hocuspocus4NotRun = node22
    KINDS.splice(KINDS.indexOf('hocuspocus4'), 1)
    console.error(`compare: Hocuspocus 4 ${node22}`)
  } else console.log(`compare: Hocuspocus 4 under Node ${node22.version} from ${node22.prefix}`)
}
const MANY = {
  documents: Number(option('--documents') ?? (full ? 500 : 40)),
  seconds: Number(option('--seconds') ?? (full ? 30 : 4)),
}
const SCENARIOS = (option('--scenarios')?.split(',') ??
  (full ? ['many', 'hot', 'cold', 'storm', 'two'] : ['many', 'hot'])) as (
  | 'many'
  | 'hot'
  | 'cold'
  | 'storm'
  | 'two'
)[]
const COLD = { loads: full ? 50 : 10 }
const STORM = { documents: 500, perDocument: 5 }
/**
 * The issue's steps (10 → 40 → 100 → 200 typists at 4 edits a second each), then the 200 typing
 * faster: 1,400 and 2,000 edits a second (the rate the room must take), then on to 8,000, room
 * enough above the fastest baseline's highest sustainable step to tell whether Plenary's is twice
 * it. Past 8,000 a second the load generator nears a core of its own (80% at 8,000).
 */
const HOT = {
  clients: 200,
  steps: [
    { typists: 10, editsPerSecond: 4 },
    { typists: 40, editsPerSecond: 4 },
    { typists: 100, editsPerSecond: 4 },
    { typists: 200, editsPerSecond: 4 },
    { typists: 200, editsPerSecond: 7 },
    { typists: 200, editsPerSecond: 10 },
    { typists: 200, editsPerSecond: 14 },
    { typists: 200, editsPerSecond: 20 },
    { typists: 200, editsPerSecond: 28 },
    { typists: 200, editsPerSecond: 40 },
  ],
  secondsPerStep: full ? 10 : 1.5,
}
const stepLabel = ({ typists, editsPerSecond }: { typists: number; editsPerSecond: number }) =>
  editsPerSecond === 4
    ? `${typists} typists (${typists * 4} edits/s)`
    : `${typists} typists at ${editsPerSecond} edits/s each (${(typists * editsPerSecond).toLocaleString('en')} edits/s)`

type Many = Awaited<ReturnType<typeof manyDocuments>>
type Hot = Awaited<ReturnType<typeof hotDocument>>

async function main() {
  const pin = hasTaskset()
  pinLoad(pin)
  const trace = loadTrace()
  const started = Date.now()
  const many: Record<string, Many[]> = {}
  const hot: Record<string, Hot[]> = {}
  const failures: { run: number; kind: Kind; scenario: string; message: string }[] = []
  for (let run = 0; run < RUNS; run++) {
    // Rotate the order so that no server always goes first.
    const order = KINDS.map((_, i) => KINDS[(i + run) % KINDS.length])
    for (const kind of order) {
      for (const scenario of SCENARIOS) {
        if (scenario === 'cold' || scenario === 'storm' || scenario === 'two') continue
        const server = await launch(kind, pin)
        try {
          const t0 = Date.now()
          if (scenario === 'many') {
            const result = await manyDocuments(server, trace, MANY)
            many[kind] = [...(many[kind] ?? []), result]
            console.log(
              `run ${run + 1} ${kind} many documents: p99 ${result.fanoutMs.p99.toFixed(2)} ms, ${result.cpuMicrosPerFrame.toFixed(1)} µs/frame (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
            )
          } else {
            const result = await hotDocument(server, trace, HOT)
            hot[kind] = [...(hot[kind] ?? []), result]
            console.log(
              `run ${run + 1} ${kind} hot document: p99 ${result.steps.map((s) => s.latencyMs.p99.toFixed(1)).join(' / ')} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
            )
          }
        } catch (error) {
          // A run that does not converge fails loudly: reported in the tables, exit code 1 at the end.
          const message = error instanceof Error ? error.message : String(error)
          console.error(`FAILED: run ${run + 1} ${kind} ${scenario}: ${message}`)
          failures.push({ run: run + 1, kind, scenario, message })
        } finally {
          await server.stop()
        }
      }
    }
  }
  // Two instances: the hot document on one Plenary on PostgreSQL, then split over two sharing
  // PostgreSQL and fanning out through Redis (typists alternate), both servers on core 0.
  const two: { one: Hot[]; two: Hot[] } = { one: [], two: [] }
  if (SCENARIOS.includes('two') && KINDS.includes('plenary')) {
    for (let run = 0; run < RUNS; run++) {
      for (const instances of run % 2 === 0 ? [1, 2] : [2, 1]) {
        const t0 = Date.now()
        const server = await launchPlenary(pin, { instances, postgres: true })
        try {
          const result = await hotDocument(server, trace, HOT)
          two[instances === 1 ? 'one' : 'two'].push(result)
          console.log(
            `run ${run + 1} plenary hot document, ${instances} instance(s) on PostgreSQL: p99 ${result.steps.map((s) => s.latencyMs.p99.toFixed(1)).join(' / ')} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
          )
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          console.error(`FAILED: run ${run + 1} plenary two instances (${instances}): ${message}`)
          failures.push({ run: run + 1, kind: 'plenary', scenario: 'two', message })
        } finally {
          await server.stop()
        }
      }
    }
  }
  let cold: Awaited<ReturnType<typeof coldLoad>> | null = null
  if (SCENARIOS.includes('cold') && KINDS.includes('plenary')) {
    const t0 = Date.now()
    try {
      cold = await coldLoad(trace, pin, COLD)
      console.log(
        `plenary cold load: ${cold.updates} updates, uncompacted ${cold.uncompactedMs.toFixed(0)} ms, from snapshot p50 ${cold.fromSnapshotMs.p50.toFixed(1)} p99 ${cold.fromSnapshotMs.p99.toFixed(1)} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      )
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      console.error(`FAILED: plenary cold load: ${message}`)
      failures.push({ run: 1, kind: 'plenary', scenario: 'cold', message })
    }
  }
  let storm: Awaited<ReturnType<typeof reconnectStorm>> | null = null
  if (SCENARIOS.includes('storm') && KINDS.includes('plenary')) {
    const t0 = Date.now()
    try {
      storm = await reconnectStorm(pin, STORM)
      console.log(
        `plenary reconnect storm: ${storm.resyncedWithin5sOfRestart} of ${storm.clients} resynced within 5 s of the restart, ${storm.documentsNotConverged} documents not converged (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      )
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      console.error(`FAILED: plenary reconnect storm: ${message}`)
      failures.push({ run: 1, kind: 'plenary', scenario: 'storm', message })
    }
    if (storm && storm.documentsNotConverged > 0) {
      failures.push({
        run: 1,
        kind: 'plenary',
        scenario: 'storm',
        message: `${storm.documentsNotConverged} documents did not converge`,
      })
    }
  }
  const seconds = (Date.now() - started) / 1000
  const summary = summarise(many, hot)
  const result = {
    date: new Date().toISOString(),
    machine: machine(),
    pinned: pin,
    mode: full ? 'full' : 'quick',
    runs: RUNS,
    seconds,
    trace: { name: trace.name, real: trace.real },
    servers: Object.fromEntries(KINDS.map((k) => [k, LABELS[k]])),
    notRun: hocuspocus4NotRun ? { 'hocuspocus 4': hocuspocus4NotRun } : {},
    scenarios: { manyDocuments: MANY, hotDocument: HOT },
    failures,
    summary,
    coldLoad: cold,
    reconnectStorm: storm,
    raw: { many, hot },
  }
  // A run of other scenarios only (cold, storm, two) has no side-by-side table.
  let md =
    SCENARIOS.includes('many') || SCENARIOS.includes('hot')
      ? markdown(summary, pin, trace.real ? trace.name : 'generated trace', seconds)
      : ''
  let stormMd = ''
  let coldMd = ''
  if (storm) {
    stormMd = `Reconnect storm (Plenary only), ${storm.clients.toLocaleString('en')} clients on ${storm.documents} documents, the server killed with SIGKILL, one edit per client while it is down, restart on the same data (the built server), clients retrying on the web client's schedule (doubling from 200 ms to 2 s, less a random part of up to half):\n\n| figure | measured | target |\n|---|---|---|\n| restart, spawn to /healthz | ${fmt(storm.restartMs)} ms | |\n| clients whose offline edit was stored within 5 s of the restart | ${storm.resyncedWithin5sOfRestart} of ${storm.clients} (${((100 * storm.resyncedWithin5sOfRestart) / storm.clients).toFixed(1)}%) | ≥ 99% |\n| 99th client resynced, from the restart | ${fmt(storm.p99FromRestartMs)} ms | ≤ 5,000 ms |\n| resync after the server was ready: p50 / p99 / max | ${fmt(storm.fromReadyMs.p50)} / ${fmt(storm.fromReadyMs.p99)} / ${fmt(storm.fromReadyMs.max)} ms | |\n| documents not converged (every offline edit at every client) | ${storm.documentsNotConverged} | 0 |\n`
    md += `\n${stormMd}`
  }
  let twoMd = ''
  if (two.one.length > 0 && two.two.length > 0) {
    twoMd = twoInstancesMarkdown(two, pin)
    md += `\n${twoMd}`
  }
  if (cold) {
    coldMd = `Cold load (Plenary only: the baselines would need the same history in their own storage), the ${trace.name} document with its whole history, ${cold.updates.toLocaleString('en')} stored updates (${(cold.documentBytes / 1024).toFixed(0)} KB of document, ${cold.databaseMb.toFixed(0)} MB of database), one client at a time, time from opening the socket to the whole text:\n\n| figure | measured | target |\n|---|---|---|\n| first load, from the uncompacted log (which it compacts) | ${fmt(cold.uncompactedMs)} ms | ≤ 1,200 ms |\n| server CPU for that load and its compaction | ${fmt(cold.uncompactedCpuMs)} ms | |\n| later loads (${COLD.loads}), from snapshot and tail: p50 / p99 | ${fmt(cold.fromSnapshotMs.p50)} / ${fmt(cold.fromSnapshotMs.p99)} ms | ≤ 60 / ≤ 120 ms |\n`
    md += `\n${coldMd}`
  }
  if (failures.length > 0) {
    md += `\n**Failed runs** (figures above are from the other runs):\n\n${failures
      .map(
        (f) => `- run ${f.run}, ${LABELS[f.kind]}, ${SCENARIO_NAMES[f.scenario] ?? f.scenario}: ${f.message}`,
      )
      .join('\n')}\n`
  }
  const resultsDir = path.join(here, '../results')
  if (check) {
    const committed = JSON.parse(fs.readFileSync(path.join(resultsDir, 'compare.json'), 'utf8')) as {
      date: string
      summary: Figure[]
    }
    const outDir = path.join(resultsDir, 'tmp')
    fs.mkdirSync(outDir, { recursive: true })
    fs.writeFileSync(path.join(outDir, 'compare-check.json'), `${JSON.stringify(result, null, 2)}\n`)
    const regressions = regressionCheck(summary, committed)
    process.exit(failures.length > 0 || regressions > 0 ? 1 : 0)
  }
  fs.mkdirSync(resultsDir, { recursive: true })
  // Each part keeps its own files: a run of some scenarios leaves the others' results as they were.
  // The full form (the issue's 500 documents, 10 s steps) beside the quick one, not over it: the
  // regression check compares with the quick form.
  if (SCENARIOS.includes('many') || SCENARIOS.includes('hot')) {
    const base = full ? 'compare-full' : 'compare'
    fs.writeFileSync(path.join(resultsDir, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`)
    fs.writeFileSync(path.join(resultsDir, `${base}.md`), md)
  }
  if (cold) {
    fs.writeFileSync(path.join(resultsDir, 'coldload.json'), `${JSON.stringify(cold, null, 2)}\n`)
    fs.writeFileSync(path.join(resultsDir, 'coldload.md'), coldMd)
  }
  if (twoMd) {
    fs.writeFileSync(
      path.join(resultsDir, 'twoinstances.json'),
      `${JSON.stringify({ date: result.date, machine: result.machine, pinned: pin, hot: HOT, ...two }, null, 2)}\n`,
    )
    fs.writeFileSync(path.join(resultsDir, 'twoinstances.md'), twoMd)
  }
  if (storm) {
    fs.writeFileSync(path.join(resultsDir, 'storm.json'), `${JSON.stringify(storm, null, 2)}\n`)
    fs.writeFileSync(path.join(resultsDir, 'storm.md'), stormMd)
  }
  console.log(md)
  process.exit(failures.length > 0 ? 1 : 0)
}

/**
 * The key figures the regression check compares, with how far past the committed median a short
 * run may land before it counts as a regression (one run on a shared machine is noisy: the
 * tolerances catch a step backwards, not a few per cent).
 */
const CHECKED: {
  scenario: 'many documents' | 'hot document' | 'paste burst'
  figure: string
  factor: number
  slack: number
}[] = [
  { scenario: 'many documents', figure: 'fan-out latency p99 (ms)', factor: 1.5, slack: 10 },
  { scenario: 'many documents', figure: 'CPU µs per accepted update', factor: 1.3, slack: 0 },
  { scenario: 'many documents', figure: 'KB per idle connection (RSS after GC)', factor: 1.5, slack: 4 },
  { scenario: 'many documents', figure: 'KB per loaded document (RSS after GC)', factor: 1.5, slack: 20 },
  { scenario: 'hot document', figure: '40 typists (160 edits/s): latency p99 (ms)', factor: 1.5, slack: 10 },
  { scenario: 'hot document', figure: '100 typists (400 edits/s): latency p99 (ms)', factor: 1.5, slack: 20 },
  {
    scenario: 'hot document',
    figure: '40 typists (160 edits/s): CPU µs per accepted update',
    factor: 1.3,
    slack: 0,
  },
  { scenario: 'hot document', figure: 'highest step with p99 < 100 ms (edits/s)', factor: 0.5, slack: 0 },
  { scenario: 'many documents', figure: 'update to durable (saved) p99 (ms)', factor: 1.5, slack: 20 },
  { scenario: 'paste burst', figure: 'event-loop delay max (ms)', factor: 1.5, slack: 20 },
]

/** Prints Plenary's key figures beside the committed ones; returns how many regressed. */
function regressionCheck(current: Figure[], committed: { date: string; summary: Figure[] }): number {
  const find = (figures: Figure[], scenario: string, figure: string) =>
    figures.find((f) => f.scenario.startsWith(scenario) && f.figure === figure)
  let regressions = 0
  const rows = ['| figure | committed | now | limit | |', '|---|---|---|---|---|']
  for (const c of CHECKED) {
    const before = find(committed.summary, c.scenario, c.figure)
    const now = find(current, c.scenario, c.figure)
    const was = before?.byServer.plenary?.median ?? Number.NaN
    const is = now?.byServer.plenary?.median ?? Number.NaN
    const higher = now?.better === 'higher'
    const limit = higher ? was * c.factor - c.slack : was * c.factor + c.slack
    // A scenario left out with --scenarios is not a regression; one that ran without a figure is.
    const ran = now?.byServer.plenary !== undefined
    const worse = ran && Number.isFinite(was) && (!Number.isFinite(is) || (higher ? is < limit : is > limit))
    if (worse) regressions += 1
    rows.push(
      `| ${c.scenario}: ${c.figure} | ${fmt(was)} | ${fmt(is)} | ${higher ? '≥' : '≤'} ${fmt(limit)} | ${!ran ? 'not run' : worse ? 'REGRESSION' : 'ok'} |`,
    )
  }
  console.log(
    `\nRegression check against the results committed on ${committed.date}:\n\n${rows.join('\n')}\n`,
  )
  console.log(regressions === 0 ? 'No regression.' : `${regressions} figure(s) regressed.`)
  return regressions
}

interface Figure {
  scenario: string
  figure: string
  /** Which way is better, for the reader. */
  better: 'lower' | 'higher'
  byServer: Partial<Record<Kind, Spread>>
}

function summarise(many: Record<string, Many[]>, hot: Record<string, Hot[]>): Figure[] {
  const figures: Figure[] = []
  const add = <T>(
    scenario: string,
    figure: string,
    better: 'lower' | 'higher',
    source: Record<string, T[]>,
    pick: (r: T) => number,
  ) => {
    const byServer: Partial<Record<Kind, Spread>> = {}
    for (const kind of KINDS) if (source[kind]) byServer[kind] = spread(source[kind].map(pick))
    figures.push({ scenario, figure, better, byServer })
  }
  const m = `many documents (${MANY.documents} × 5 clients, ${MANY.seconds} s)`
  add(m, 'fan-out latency p50 (ms)', 'lower', many, (r) => r.fanoutMs.p50)
  add(m, 'fan-out latency p99 (ms)', 'lower', many, (r) => r.fanoutMs.p99)
  add(m, 'fan-out latency max (ms)', 'lower', many, (r) => r.fanoutMs.max)
  add(m, 'update to durable (saved) p50 (ms)', 'lower', many, (r) =>
    r.durableMs.count ? r.durableMs.p50 : Number.NaN,
  )
  add(m, 'update to durable (saved) p99 (ms)', 'lower', many, (r) =>
    r.durableMs.count ? r.durableMs.p99 : Number.NaN,
  )
  add(
    m,
    'thread list of 200 threads: saturation (requests/s, idle)',
    'higher',
    many,
    (r) => r.threads.saturationPerSecond,
  )
  add(
    m,
    'thread list at saturation: server CPU (% of a core)',
    'lower',
    many,
    (r) => r.threads.saturationServerCpuPercent,
  )
  add(
    m,
    'thread list at saturation: load generator CPU (% of a core)',
    'lower',
    many,
    (r) => r.threads.saturationLoadCpuPercent,
  )
  add(m, 'thread list under load at half saturation: p50 (ms)', 'lower', many, (r) => r.threads.latencyMs.p50)
  add(m, 'thread list under load at half saturation: p99 (ms)', 'lower', many, (r) => r.threads.latencyMs.p99)
  add(m, 'server CPU (% of a core)', 'lower', many, (r) => r.cpuPercent)
  add(m, 'CPU µs per delivered frame', 'lower', many, (r) => r.cpuMicrosPerFrame)
  add(m, 'CPU µs per accepted update', 'lower', many, (r) => r.cpuMicrosPerUpdate)
  add(m, 'frames delivered (updates + awareness)', 'lower', many, (r) => r.updateFrames + r.awarenessFrames)
  add(m, 'KB per idle connection (RSS after GC)', 'lower', many, (r) => r.kbPerIdleConnection)
  add(m, 'KB per loaded document (RSS after GC)', 'lower', many, (r) => r.kbPerLoadedDocument)
  add(m, 'event-loop delay p99 under load (ms)', 'lower', many, (r) => r.loopDelayMs.p99)
  add(m, 'event-loop delay max under load (ms)', 'lower', many, (r) => r.loopDelayMs.max)
  add(m, 'load generator CPU (% of a core)', 'lower', many, (r) => r.loadCpuPercent)
  add(m, 'backlog: time to converge after typing stops (ms)', 'lower', many, (r) => r.drainMs)
  const h = `hot document (${HOT.clients} clients, ${HOT.secondsPerStep} s a step)`
  HOT.steps.forEach((hotStep, i) => {
    const none = {
      latencyMs: { p50: Number.NaN, p99: Number.NaN },
      cpuPercent: Number.NaN,
      loadCpuPercent: Number.NaN,
      cpuMicrosPerFrame: Number.NaN,
      cpuMicrosPerUpdate: Number.NaN,
      loopDelayMs: { max: Number.NaN },
    }
    const step = (r: Hot) => r.steps[i] ?? none
    const label = stepLabel(hotStep)
    add(h, `${label}: latency p50 (ms)`, 'lower', hot, (r) => step(r).latencyMs.p50)
    add(h, `${label}: latency p99 (ms)`, 'lower', hot, (r) => step(r).latencyMs.p99)
    add(h, `${label}: server CPU (% of a core)`, 'lower', hot, (r) => step(r).cpuPercent)
    add(h, `${label}: load generator CPU (% of a core)`, 'lower', hot, (r) => step(r).loadCpuPercent)
    add(h, `${label}: CPU µs per delivered frame`, 'lower', hot, (r) => step(r).cpuMicrosPerFrame)
    add(h, `${label}: CPU µs per accepted update`, 'lower', hot, (r) => step(r).cpuMicrosPerUpdate)
    add(h, `${label}: event-loop delay max (ms)`, 'lower', hot, (r) => step(r).loopDelayMs.max)
  })
  add(h, 'highest step with p99 < 100 ms (edits/s)', 'higher', hot, (r) => r.sustainablePerSecond)
  const b = `paste burst (${HOT.clients} clients × ${(PASTE_BYTES / 1024).toFixed(1)} KB within 10 ms)`
  add(b, 'event-loop delay max (ms)', 'lower', hot, (r) => r.burst.loopDelayMs.max)
  add(b, 'latency p50 (ms)', 'lower', hot, (r) => r.burst.latencyMs.p50)
  add(b, 'latency p99 (ms)', 'lower', hot, (r) => r.burst.latencyMs.p99)
  add(b, 'server CPU for the burst (ms)', 'lower', hot, (r) => r.burst.cpuMillis)
  add(h, 'backlog: time to converge after the last step (ms)', 'lower', hot, (r) => r.drainMs)
  return figures
}

const SCENARIO_NAMES: Record<string, string> = {
  many: 'many documents',
  hot: 'hot document',
  two: 'hot document on two instances',
  cold: 'cold load',
  storm: 'reconnect storm',
}

/** One instance against two on the hot document: p99 at each step, and what the second adds. */
function twoInstancesMarkdown(two: { one: Hot[]; two: Hot[] }, pin: boolean): string {
  const rows = [
    `Two instances (Plenary only): the hot document (${HOT.clients} clients, ${HOT.secondsPerStep} s a step) on one instance on PostgreSQL, then split over two instances sharing PostgreSQL and fanning out through Redis, typists and readers alternating between them${pin ? ', both servers on core 0 and the load on core 1' : ''}; ${two.one.length} runs each, median (min–max):`,
    '',
    '| step | one instance: p99 | two instances: p99 | two − one (median) | target |',
    '|---|---|---|---|---|',
  ]
  HOT.steps.forEach((hotStep, i) => {
    const p99 = (runs: Hot[]) => spread(runs.map((r) => r.steps[i]?.latencyMs.p99 ?? Number.NaN))
    const a = p99(two.one)
    const b = p99(two.two)
    const cell = (s: Spread) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}) ms`
    rows.push(`| ${stepLabel(hotStep)} | ${cell(a)} | ${cell(b)} | ${fmt(b.median - a.median)} ms | ≤ 5 ms |`)
  })
  const cpu = (runs: Hot[]) => spread(runs.map((r) => r.steps[1]?.cpuMicrosPerUpdate ?? Number.NaN))
  rows.push(
    `| CPU per accepted update at ${HOT.steps[1].typists} typists, all instances | ${fmt(cpu(two.one).median)} µs | ${fmt(cpu(two.two).median)} µs | | |`,
  )
  return `${rows.join('\n')}\n`
}

const fmt = (n: number) =>
  !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(2)

function markdown(figures: Figure[], pin: boolean, traceName: string, seconds: number) {
  const baselines = KINDS.filter((k) => k !== 'plenary')
  const head = [
    'scenario',
    'figure',
    ...KINDS.flatMap((k) => (k === 'plenary' ? [LABELS[k]] : [LABELS[k], '÷ Plenary'])),
  ]
  const lines = [
    `Quick form${full ? ' (full)' : ''}: ${RUNS} runs of each scenario per server, median (min–max); "÷ Plenary" is the baseline's median divided by Plenary's (above 1: Plenary lower). ${machine()}${pin ? ', each server pinned to core 0 and the load generator to core 1' : ', not pinned (no taskset)'}; edits from ${traceName}; ${Math.round(seconds)} s in all.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ]
  for (const f of figures) {
    const plenary = f.byServer.plenary
    const cells = [f.scenario, f.figure]
    for (const kind of KINDS) {
      const s = f.byServer[kind]
      cells.push(s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '–')
      if (kind !== 'plenary') {
        cells.push(s && plenary && plenary.median !== 0 ? `${fmt(s.median / plenary.median)}` : '–')
      }
    }
    lines.push(`| ${cells.join(' | ')} |`)
  }
  lines.push('')
  if (hocuspocus4NotRun) lines.push(`Not run: Hocuspocus 4.x under Node 22: ${hocuspocus4NotRun}`)
  if (baselines.length === 0) lines.push('(no baseline in this run)')
  return `${lines.join('\n')}\n`
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
