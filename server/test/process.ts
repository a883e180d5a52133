/**
 * The server as a real process, for tests that kill it: the built bundle (`dist/main.mjs`, what
 * `npm start` runs; test/globalSetup.ts builds it), or the sources through tsx when instrumentation
 * must be preloaded into the server's own modules.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { newSecret } from '../src/auth/tokens.ts'
import { bundleIsCurrent, bundlePath } from '../src/tools/bundle.ts'

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
    probe.on('error', reject)
  })
}

export type ServerProcess = {
  url: string
  adminToken: string
  child: ChildProcess
  output(): string
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>
}

export async function spawnServer(
  dataDir: string,
  port: number,
  adminToken = newSecret(),
  env: Record<string, string> = {},
  /** Modules loaded before the server (after tsx), e.g. test instrumentation: paths from server/. */
  preload: string[] = [],
) {
  let output = ''
  // Node itself (not the tsx wrapper) is the child, so SIGKILL and SIGSTOP reach the server.
  const fromSource = preload.length > 0 || !bundleIsCurrent()
  const args = fromSource
    ? [...['tsx', ...preload].flatMap((module) => ['--import', module]), 'src/main.ts']
    : [bundlePath]
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PLENARY_DEMO: '0',
      PLENARY_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${output}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { url, adminToken, child, output: () => output, exited } satisfies ServerProcess
}
