/**
 * The servers under test, each its own process pinned to core 0: Plenary through bench/lib.ts's
 * startServer, the baselines through the launchers in ./servers. Every one loads ./servers/preload.mjs,
 * which reports event-loop delay and memory (after a GC) when sent SIGUSR2.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
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
  if (kind === 'plenary') {
    const server = await startServer(pin, {
      ...probeEnv,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim(),
    })
    const facilitator = await post<{ participant: { id: string }; token: string }>(
      `${server.url}/api/participants`,
      server.adminToken,
      { name: 'Bench typist', organisation: 'Bench', organisationKind: 'state_party', role: 'facilitator' },
    )
    const stop = stopper(server.child)
    return {
      kind,
      target: { kind, origin: server.url.replace('http', 'ws'), token: facilitator.token },
      pid: server.pid,
      api: { url: server.url, token: server.adminToken },
      async createDocument(index) {
        const { document } = await post<{ document: { id: string } }>(
          `${server.url}/api/documents`,
          server.adminToken,
          { title: `Bench ${index}`, penHolders: [facilitator.participant.id] },
        )
        return document.id
      },
      cpuMicros: () => procStat(server.pid).cpuMicros,
      probe: prober(server.pid, probeDir),
      async stop() {
        await stop()
        fs.rmSync(server.dataDir, { recursive: true, force: true })
        fs.rmSync(probeDir, { recursive: true, force: true })
      },
    }
  }
  const port = await freePort()
  let node = process.execPath
  let nodeArgs: string[]
  if (kind === 'hocuspocus4') {
    const node22 = hocuspocus4()
    if (typeof node22 === 'string') throw new Error(`Hocuspocus 4 ${node22}`)
    node = node22.node
    nodeArgs = ['--import', preload, path.join(here, 'servers/hocuspocus4.mjs'), String(port), node22.prefix]
  } else {
    const script = path.join(here, 'servers', kind === 'hocuspocus' ? 'hocuspocus.ts' : 'ywebsocket.ts')
    nodeArgs = ['--import', 'tsx', '--import', preload, script, String(port)]
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
