/**
 * The servers under test, each its own process pinned to core 0: Plenary through bench/lib.ts's
 * startServer, the baselines through the launchers in ./servers. Every one loads ./servers/preload.mjs,
 * which reports event-loop delay and memory (after a GC) when sent SIGUSR2.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestDatabase, dropTestDatabase } from '../../src/storage/postgresTestDatabase.ts'
import { freePort, post, procStat, startServer } from '../lib.ts'
import { hocuspocus4 } from './node22.ts'
import type { Kind, Target } from './wire.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const serverDir = path.resolve(here, '../..')
const preload = path.join(here, 'servers/preload.mjs')

export const LABELS: Record<Kind, string> = {
  plenary: 'Plenary',
  hocuspocus: 'Hocuspocus 3.4.4 + SQLite',
  hocuspocus4: 'Hocuspocus 4.7.0 + SQLite (Node 22)',
  ywebsocket: '@y/websocket-server 0.1.1',
}

export interface Probe {
  loop: { p50: number; p99: number; max: number; mean: number }
  memory: { rss: number; heapUsed: number; external: number; arrayBuffers: number }
}

export interface Running {
  kind: Kind
  target: Target
  /** With several instances, one target per instance (the first is `target`); clients spread over them. */
  targets?: Target[]
  pid: number
  /** Creates a document and returns the name clients use for it. */
  createDocument(index: number): Promise<string>
  /** Plenary's HTTP API, as its administrator (the secretariat); absent for the baselines. */
  api?: { url: string; token: string }
  cpuMicros(): number
  /** Event-loop delay since the previous probe, and memory after a full GC. */
  probe(): Promise<Probe>
  stop(): Promise<void>
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(url)
      return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`compare: nothing answers at ${url}`)
}

function prober(pid: number, dir: string) {
  return async (): Promise<Probe> => {
    const file = path.join(dir, `probe-${pid}.json`)
    const before = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
    process.kill(pid, 'SIGUSR2')
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (fs.existsSync(file) && fs.statSync(file).mtimeMs !== before) {
        try {
          return JSON.parse(fs.readFileSync(file, 'utf8')) as Probe
        } catch {}
      }
    }
    throw new Error(`compare: pid ${pid} did not answer the probe`)
  }
}

function stopper(child: ChildProcess) {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      child.kill('SIGTERM')
    })
}

export async function launch(kind: Kind, pin: boolean): Promise<Running> {
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-compare-'))
  const probeEnv = { BENCH_PROBE_DIR: probeDir }
  if (kind === 'plenary') return launchPlenary(pin, { probeDir })
  const port = await freePort()
  let node = process.execPath
  let nodeArgs: string[]
  if (kind === 'ywebsocket') {
    nodeArgs = [
      '--import',
      'tsx',
      '--import',
      preload,
      path.join(here, 'servers/ywebsocket.ts'),
      String(port),
    ]
  } else {
    // Hocuspocus 3 from the workspace under this Node, Hocuspocus 4 from its prefix under Node 22.
    let prefix = serverDir
    if (kind === 'hocuspocus4') {
      const node22 = hocuspocus4()
      if (typeof node22 === 'string') throw new Error(`Hocuspocus 4 ${node22}`)
      node = node22.node
      prefix = node22.prefix
    }
    nodeArgs = ['--import', preload, path.join(here, 'servers/hocuspocus.mjs'), String(port), prefix]
  }
  const [command, args] = pin ? ['taskset', ['-c', '0', node, ...nodeArgs]] : [node, nodeArgs]
  const child = spawn(command, args, {
    cwd: serverDir,
    env: { ...process.env, ...probeEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitForHttp(`http://127.0.0.1:${port}/`)
  const pid = child.pid as number
  const stop = stopper(child)
  return {
    kind,
    target: { kind, origin: `ws://127.0.0.1:${port}`, token: 'bench' },
    pid,
    createDocument: async (index) => `bench-${index}`,
    cpuMicros: () => procStat(pid).cpuMicros,
    probe: prober(pid, probeDir),
    async stop() {
      await stop()
      fs.rmSync(probeDir, { recursive: true, force: true })
    },
  }
}

/**
 * Plenary: one instance on SQLite (its default), or on PostgreSQL, or several instances sharing
 * PostgreSQL and fanning out through Redis (`instances` > 1), all pinned to core 0. With several,
 * `targets` has one per instance; the API, and so document creation, goes to the first.
 */
export async function launchPlenary(
  pin: boolean,
  options: { probeDir?: string; instances?: number; postgres?: boolean } = {},
): Promise<Running> {
  const instances = options.instances ?? 1
  const probeDir = options.probeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'plenary-compare-'))
  const database = options.postgres || instances > 1 ? await createTestDatabase('plenary_bench') : null
  const adminToken = randomBytes(32).toString('base64url')
  const env: Record<string, string> = {
    BENCH_PROBE_DIR: probeDir,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(instances > 1
      ? {
          REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
          PLENARY_REDIS_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
        }
      : {}),
  }
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  for (let i = 0; i < instances; i++) servers.push(await startServer(pin, env, { adminToken }))
  const [first] = servers
  const facilitator = await post<{ participant: { id: string }; token: string }>(
    `${first.url}/api/participants`,
    adminToken,
    { name: 'Bench typist', organisation: 'Bench', organisationKind: 'state_party', role: 'facilitator' },
  )
  const targets = servers.map((server) => ({
    kind: 'plenary' as const,
    origin: server.url.replace('http', 'ws'),
    token: facilitator.token,
  }))
  const probes = servers.map((server) => prober(server.pid, probeDir))
  const stops = servers.map((server) => stopper(server.child))
  return {
    kind: 'plenary',
    target: targets[0],
    targets: instances > 1 ? targets : undefined,
    pid: first.pid,
    api: { url: first.url, token: adminToken },
    async createDocument(index) {
      const { document } = await post<{ document: { id: string } }>(
        `${first.url}/api/documents`,
        adminToken,
        {
          title: `Bench ${index}`,
          penHolders: [facilitator.participant.id],
        },
      )
      return document.id
    },
    cpuMicros: () => servers.reduce((sum, server) => sum + procStat(server.pid).cpuMicros, 0),
    // Several instances: the worst event-loop delay of any, and their memory added up.
    async probe() {
      const all = await Promise.all(probes.map((probe) => probe()))
      return {
        loop: {
          p50: Math.max(...all.map((p) => p.loop.p50)),
          p99: Math.max(...all.map((p) => p.loop.p99)),
          max: Math.max(...all.map((p) => p.loop.max)),
          mean: Math.max(...all.map((p) => p.loop.mean)),
        },
        memory: {
          rss: all.reduce((sum, p) => sum + p.memory.rss, 0),
          heapUsed: all.reduce((sum, p) => sum + p.memory.heapUsed, 0),
          external: all.reduce((sum, p) => sum + p.memory.external, 0),
          arrayBuffers: all.reduce((sum, p) => sum + p.memory.arrayBuffers, 0),
        },
      }
    },
    async stop() {
      await Promise.all(stops.map((stop) => stop()))
      for (const server of servers) fs.rmSync(server.dataDir, { recursive: true, force: true })
      fs.rmSync(probeDir, { recursive: true, force: true })
      if (database) await dropTestDatabase(database.name)
    },
  }
}
