/**
 * `npm run soak`: the long forms of the reliability suites, then the "many documents" load for a
 * while, after which every client leaves. Writes bench/results/soak.md and soak.json.
 *
 *   1. crash: test/crashCycles.test.ts with PLENARY_CRASH_CYCLES kills -9 (default 200)
 *   2. fuzz: test/hostile.test.ts with PLENARY_FUZZ_CASES cases (default 1,000,000)
 *   3. convergence: every test file that reads PLENARY_CONVERGENCE_RUNS (default 100,000 runs),
 *      found when the soak runs (none is reported as such)
 *   4. load: 100 documents × (5 readers + 1 typist at 4 edits/s) for --minutes (default 30), then
 *      everyone leaves: memory back within 10% of the start, no room loaded (plenary_rooms 0), no
 *      file descriptor leaked (/proc/<pid>/fd). The start is measured after a warm-up round of the
 *      same load (a quarter of the duration, at most 2 minutes) and its leaving, so that what the
 *      first load allocates for good (compiled code, pools) is not taken for a leak; the figures
 *      of the cold start are reported too. Memory is measured after a full garbage collection
 *      (the server runs with --heapsnapshot-signal: a heap snapshot collects first).
 *
 *   npm run soak                                     the whole soak (hours: the fuzzer dominates)
 *   npm run soak -- --minutes 2                      a short load
 *   npm run soak -- --minutes 2 --crash-cycles 20 --fuzz-cases 10000 --convergence-runs 100
 *   npm run soak -- --only load,crash                some of the parts
 *   npm run soak -- --only fuzz --report soak-fuzz   a report of its own (bench/results/soak-fuzz.md)
 *
 * A run with any figure below its long default says in its report that it was a short run. The
 * exit code is 1 when any part failed.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { YDOC_FIELD } from '@plenary/shared'
import type { WebSocket } from 'ws'
import {
  createBenchDocuments,
  hasTaskset,
  machine,
  pinLoad,
  procStat,
  startServer,
  thinClient,
  typeOpenLoop,
  typistClient,
} from './lib.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const serverDir = path.join(here, '..')
const root = path.join(serverDir, '..')
const resultsDir = path.join(here, 'results')

const LONG = { minutes: 30, crashCycles: 200, fuzzCases: 1_000_000, convergenceRuns: 100_000 }
const PARTS = ['crash', 'fuzz', 'convergence', 'load'] as const
type Part = (typeof PARTS)[number]

function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const at = args.indexOf(`--${name}`)
  if (at >= 0) return args[at + 1]
  return args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
}
function numberOption(name: string, fallback: number): number {
  const value = option(name)
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`)
  return parsed
}

const settings = {
  minutes: numberOption('minutes', LONG.minutes),
  crashCycles: Math.round(numberOption('crash-cycles', LONG.crashCycles)),
  fuzzCases: Math.round(numberOption('fuzz-cases', LONG.fuzzCases)),
  convergenceRuns: Math.round(numberOption('convergence-runs', LONG.convergenceRuns)),
  documents: Math.round(numberOption('documents', 100)),
}
const only = (option('only')?.split(',') ?? [...PARTS]) as Part[]
/** Where the report goes (bench/results/<name>.md and .json): a rerun of some parts keeps the last full report. */
const reportName = option('report') ?? 'soak'
if (!/^[a-z0-9-]+$/.test(reportName)) throw new Error('--report: letters, digits and dashes only')
for (const part of only) if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part}`)
const short =
  settings.minutes < LONG.minutes ||
  settings.crashCycles < LONG.crashCycles ||
  settings.fuzzCases < LONG.fuzzCases ||
  settings.convergenceRuns < LONG.convergenceRuns ||
  only.length < PARTS.length

type SuiteResult = {
  ok: boolean
  seconds: number
  /** The suite's own summary lines (what it prints with its figures). */
  summary: string[]
  figures?: unknown
  note?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs vitest on some files of a package, with an environment; keeps the output's summary lines. */
function vitest(
  cwd: string,
  files: string[],
  env: Record<string, string>,
  keep: RegExp,
): Promise<SuiteResult> {
  const started = performance.now()
  const bin = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', ...files], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const collect = (chunk: Buffer) => {
      output += chunk
      process.stdout.write(chunk)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('exit', (code) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '')
      const summary = plain
        .split('\n')
        .filter(
          (line) => keep.test(line) || /Tests\s+\d/.test(line) || /FAIL|AssertionError|Error:/.test(line),
        )
        .map((line) => line.trim())
        .slice(0, 20)
      resolve({ ok: code === 0, seconds: (performance.now() - started) / 1000, summary })
    })
  })
}

async function crash(): Promise<SuiteResult> {
  const report = path.join(os.tmpdir(), `plenary-crash-${process.pid}.json`)
  const result = await vitest(
    serverDir,
    ['test/crashCycles.test.ts'],
    { PLENARY_CRASH_CYCLES: String(settings.crashCycles), PLENARY_CRASH_REPORT: report },
    /crash cycles:/,
  )
  if (fs.existsSync(report)) {
    const figures = JSON.parse(fs.readFileSync(report, 'utf8'))
    fs.rmSync(report)
    return { ...result, figures }
  }
  return result
}

function fuzz(): Promise<SuiteResult> {
  return vitest(
    serverDir,
    ['test/hostile.test.ts'],
    { PLENARY_FUZZ_CASES: String(settings.fuzzCases) },
    /hostile input:/,
  )
}

/** Test files (server/, shared/) that read PLENARY_CONVERGENCE_RUNS. */
function convergenceFiles(): { cwd: string; file: string }[] {
  const found: { cwd: string; file: string }[] = []
  for (const pkg of ['server', 'shared']) {
    const dir = path.join(root, pkg)
    const walk = (at: string) => {
      for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
        const full = path.join(at, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (
          /\.test\.ts$/.test(entry.name) &&
          fs.readFileSync(full, 'utf8').includes('PLENARY_CONVERGENCE_RUNS')
        ) {
          found.push({ cwd: dir, file: path.relative(dir, full) })
        }
      }
    }
    walk(dir)
  }
  return found
}

async function convergence(): Promise<SuiteResult> {
  const files = convergenceFiles()
  if (files.length === 0) {
    return {
      ok: true,
      seconds: 0,
      summary: [],
      note: 'no convergence suite reads PLENARY_CONVERGENCE_RUNS yet: nothing run',
    }
  }
  // Each run mostly waits on sockets and uses about one core: two shards with different seeds
  // share the runs and both cores.
  const shards = settings.convergenceRuns >= 1_000 ? 2 : 1
  const baseSeed = Date.now() % 2 ** 30
  const results: SuiteResult[] = []
  for (const { cwd, file } of files) {
    results.push(
      ...(await Promise.all(
        Array.from({ length: shards }, (_, shard) => {
          const runs = Math.ceil(settings.convergenceRuns / shards)
          return vitest(
            cwd,
            [file],
            { PLENARY_CONVERGENCE_RUNS: String(runs), PLENARY_CONVERGENCE_SEED: String(baseSeed + shard) },
            /converg/i,
          )
        }),
      )),
    )
  }
  return {
    ok: results.every((r) => r.ok),
    seconds: Math.max(...results.map((r) => r.seconds)),
    summary: results.flatMap((r) => r.summary),
    note: `files: ${files.map((f) => path.join(path.basename(f.cwd), f.file)).join(', ')}; ${shards} shards at once, seeds ${baseSeed}…`,
  }
}

/** GET without keep-alive, so that the measuring leaves no socket open on the server. */
function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => {
          body += chunk
        })
        response.on('end', () => resolve(body))
      })
      .on('error', reject)
  })
}

async function metric(url: string, name: string): Promise<number> {
  const body = await getText(`${url}/metrics`)
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? Number.NaN)
}

const fdCount = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length

type Point = { rssMb: number; heapMb: number; fds: number; rooms: number; connections: number }
type Sample = Point & { atSeconds: number }

async function point(url: string, pid: number): Promise<Point> {
  return {
    rssMb: procStat(pid).rssKb / 1024,
    heapMb: (await metric(url, 'nodejs_heap_used_bytes')) / 2 ** 20,
    fds: fdCount(pid),
    rooms: await metric(url, 'plenary_rooms'),
    connections: await metric(url, 'plenary_connections'),
  }
}

async function load(): Promise<SuiteResult & { figures: Record<string, unknown> }> {
  const started = performance.now()
  const pin = hasTaskset()
  pinLoad(pin)
  // A heap snapshot starts with a full garbage collection: SIGUSR2 asks for one before each
  // measure, so that garbage not yet collected is not taken for memory held.
  const snapshots = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-soak-heap-'))
  const server = await startServer(pin, {
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`.trim(),
  })
  const { url, pid } = server
  const collectGarbage = async () => {
    process.kill(pid, 'SIGUSR2')
    let size = -1
    for (let i = 0; i < 600; i++) {
      await sleep(500)
      const files = fs.readdirSync(snapshots).map((f) => fs.statSync(path.join(snapshots, f)).size)
      const now = files.reduce((a, b) => a + b, 0)
      if (files.length > 0 && now === size && now > 0) break
      size = now
    }
    for (const file of fs.readdirSync(snapshots)) fs.rmSync(path.join(snapshots, file))
    await sleep(1_000)
  }
  const cold = await point(url, pid)
  const { typist, documents } = await createBenchDocuments(url, server.adminToken, settings.documents)
  const samples: Sample[] = []
  let delivered = 0
  let sent = 0

  /** One round of the load: everyone joins, types for `seconds`, then everyone leaves. */
  const round = async (seconds: number, sample: boolean) => {
    const readers: WebSocket[] = []
    for (const id of documents) {
      for (let i = 0; i < 5; i++)
        readers.push(await thinClient(url, id, typist.token, () => (delivered += 1)))
    }
    const typists = await Promise.all(
      documents.map(async (id) => ({ id, ...(await typistClient(url, id, typist.token)) })),
    )
    const roundStart = performance.now()
    const sampler = sample
      ? setInterval(() => {
          void point(url, pid).then((p) =>
            samples.push({ ...p, atSeconds: Math.round((performance.now() - roundStart) / 1000) }),
          )
        }, 30_000)
      : null
    sent += await typeOpenLoop(typists, YDOC_FIELD, { seconds, editsPerSecond: 4 }, () => {})
    if (sampler) clearInterval(sampler)
    for (const ws of readers) ws.close()
    for (const { ws } of typists) ws.close()
  }

  /** After everyone left: rooms unloaded, then the lowest memory within half a minute. */
  const settle = async (): Promise<Point & { unloadSeconds: number }> => {
    const leftAt = performance.now()
    for (let i = 0; i < 600; i++) {
      if ((await metric(url, 'plenary_rooms')) === 0 && (await metric(url, 'plenary_connections')) === 0)
        break
      await sleep(100)
    }
    const unloadSeconds = (performance.now() - leftAt) / 1000
    // Idle keep-alive sockets of the document creation close by themselves within seconds.
    await sleep(6_000)
    await collectGarbage()
    let best = await point(url, pid)
    for (let i = 0; i < 6; i++) {
      await sleep(5_000)
      const now = await point(url, pid)
      if (now.rssMb < best.rssMb) best = { ...now }
      best.fds = Math.min(best.fds, now.fds)
    }
    return { ...best, unloadSeconds }
  }

  const warmupSeconds = Math.min(120, (settings.minutes * 60) / 4)
  console.log(`soak load: warm-up round of ${warmupSeconds} s, ${documents.length} documents`)
  await round(warmupSeconds, false)
  const start = await settle()
  console.log(`soak load: start ${JSON.stringify(start)}; ${settings.minutes} minutes of load`)
  await round(settings.minutes * 60, true)
  const end = await settle()
  console.log(`soak load: end ${JSON.stringify(end)}`)
  server.child.kill('SIGTERM')
  await new Promise((resolve) => server.child.once('exit', resolve))
  fs.rmSync(snapshots, { recursive: true, force: true })

  const memoryGrowth = (end.rssMb - start.rssMb) / start.rssMb
  const heapGrowth = (end.heapMb - start.heapMb) / start.heapMb
  const checks = {
    memoryWithin10Percent: memoryGrowth <= 0.1,
    heapWithin10Percent: heapGrowth <= 0.1,
    noRoomLoaded: end.rooms === 0 && end.connections === 0,
    noFdLeaked: end.fds <= start.fds,
  }
  return {
    ok: Object.values(checks).every(Boolean),
    seconds: (performance.now() - started) / 1000,
    summary: [
      `load: ${documents.length} documents × (5 readers + 1 typist at 4 edits/s), ${settings.minutes} min; ` +
        `${sent} edits sent, ${delivered} updates delivered to readers`,
      `memory: RSS ${start.rssMb.toFixed(1)} MB at the start, ${end.rssMb.toFixed(1)} MB after everyone left ` +
        `(${(memoryGrowth * 100).toFixed(1)}%); heap ${start.heapMb.toFixed(1)} → ${end.heapMb.toFixed(1)} MB (${(heapGrowth * 100).toFixed(1)}%)`,
      `rooms ${end.rooms}, connections ${end.connections} (unloaded within ${end.unloadSeconds.toFixed(1)} s); ` +
        `file descriptors ${start.fds} → ${end.fds}`,
    ],
    figures: {
      documents: documents.length,
      readersPerDocument: 5,
      editsPerSecondPerDocument: 4,
      minutes: settings.minutes,
      warmupSeconds,
      editsSent: sent,
      updatesDelivered: delivered,
      cold,
      start,
      end,
      memoryGrowthPercent: Math.round(memoryGrowth * 1000) / 10,
      heapGrowthPercent: Math.round(heapGrowth * 1000) / 10,
      checks,
      samples,
    },
  }
}

function gitCommit(): string {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' })
  return result.stdout.trim() || 'unknown'
}

function crashTable(figures: unknown): string[] {
  const f = figures as {
    cycles: number
    kills: Record<string, number>
    wordsSeen: number
    wordsLost: number
    updatesLost: number
    integrityOk: boolean
    restartMs: { median: number; max: number }
    convergeMs: { median: number; max: number }
  }
  return [
    '| figure | measured | target |',
    '|---|---|---|',
    `| kills -9 | ${f.cycles} (${f.kills.compaction} inside a compaction, ${f.kills.publish} during a revision publish) | |`,
    `| words any client had seen, checked after the kill | ${f.wordsSeen} | |`,
    `| words lost | ${f.wordsLost} | 0 |`,
    `| updates lost (received by a client, missing from the store) | ${f.updatesLost} | 0 |`,
    `| SQLite integrity_check | ${f.integrityOk ? 'ok every time' : 'FAILED'} | ok |`,
    `| restart, spawn to /healthz ok: median / max | ${f.restartMs.median} / ${f.restartMs.max} ms | ≤ 3,000 ms |`,
    `| every client converged after the restart: median / max | ${f.convergeMs.median} / ${f.convergeMs.max} ms | ≤ 5,000 ms |`,
  ]
}

async function main() {
  fs.mkdirSync(resultsDir, { recursive: true })
  const began = new Date()
  const results: Partial<Record<Part, SuiteResult>> = {}
  const runners: Record<Part, () => Promise<SuiteResult>> = { crash, fuzz, convergence, load }
  for (const part of PARTS) {
    if (!only.includes(part)) continue
    console.log(`\n=== soak: ${part} ===`)
    try {
      results[part] = await runners[part]()
    } catch (error) {
      results[part] = { ok: false, seconds: 0, summary: [String((error as Error).stack ?? error)] }
    }
  }
  const ok = Object.values(results).every((r) => r?.ok)
  const json = {
    date: began.toISOString(),
    commit: gitCommit(),
    machine: machine(),
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 10) / 10),
    short,
    settings,
    parts: only,
    ok,
    results,
  }
  fs.writeFileSync(path.join(resultsDir, `${reportName}.json`), `${JSON.stringify(json, null, 2)}\n`)

  const md: string[] = [
    '# Soak',
    '',
    `${began.toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${json.commit}, ${json.machine}; ` +
      `load average at the end ${json.loadAverageAtEnd.join(' / ')} (other work shares the machine).`,
    '',
  ]
  if (short) {
    const ran = {
      load: `${settings.minutes} min of load (full: ${LONG.minutes})`,
      crash: `${settings.crashCycles} crash cycles (full: ${LONG.crashCycles})`,
      fuzz: `${settings.fuzzCases.toLocaleString('en')} fuzz cases (full: ${LONG.fuzzCases.toLocaleString('en')})`,
      convergence: `${settings.convergenceRuns.toLocaleString('en')} convergence runs (full: ${LONG.convergenceRuns.toLocaleString('en')})`,
    }
    const skipped = PARTS.filter((part) => !only.includes(part))
    md.push(
      `**A short run**, not the full soak: ${only.map((part) => ran[part]).join(', ')}` +
        `${skipped.length > 0 ? `; not run: ${skipped.join(', ')}` : ''}. Run \`npm run soak\` for the full one.`,
      '',
    )
  }
  md.push(`Outcome: **${ok ? 'all parts passed' : 'FAILED'}**.`, '')
  for (const part of PARTS) {
    const result = results[part]
    if (!result) continue
    md.push(`## ${part}`, '', `${result.ok ? 'passed' : '**FAILED**'} in ${result.seconds.toFixed(0)} s.`, '')
    if (result.note) md.push(result.note, '')
    if (part === 'crash' && result.figures) md.push(...crashTable(result.figures), '')
    if (result.summary.length > 0) md.push('```', ...result.summary, '```', '')
    if (part === 'load' && result.figures) {
      const f = result.figures as { checks: Record<string, boolean>; samples: Sample[] }
      md.push(
        '| check | outcome |',
        '|---|---|',
        ...Object.entries(f.checks).map(([name, passed]) => `| ${name} | ${passed ? 'yes' : '**no**'} |`),
        '',
      )
      if (f.samples.length > 0) {
        md.push(
          'During the load (every 30 s):',
          '',
          '| s | RSS MB | heap MB | fds | rooms | connections |',
          '|---|---|---|---|---|---|',
          ...f.samples.map(
            (s) =>
              `| ${s.atSeconds} | ${s.rssMb.toFixed(1)} | ${s.heapMb.toFixed(1)} | ${s.fds} | ${s.rooms} | ${s.connections} |`,
          ),
          '',
        )
      }
    }
  }
  fs.writeFileSync(path.join(resultsDir, `${reportName}.md`), `${md.join('\n')}\n`)
  console.log(`\nsoak: ${ok ? 'passed' : 'FAILED'}; report in bench/results/soak.md`)
  process.exit(ok ? 0 : 1)
}

await main()
