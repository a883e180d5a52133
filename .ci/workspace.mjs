#!/usr/bin/env node
/**
 * The two commands, with nothing installed globally: `npm start` and `npm test` (and `npm run
 * build`). pnpm runs through npx at the pinned version. Plain Node, no dependencies: it runs
 * before anything is installed.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PNPM = ['-y', 'pnpm@12.4.2']
const bin = (name) => path.join(root, 'node_modules', '.bin', name)

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })
  return result.status ?? 1
}

function install() {
  const status = run('npx', [
    ...PNPM,
    'install',
    '--frozen-lockfile',
    '--prefer-offline',
    '--reporter=append-only',
  ])
  if (status !== 0) {
    console.error('Installing dependencies failed (see above).')
    process.exit(status)
  }
}

function buildClient() {
  const vite = path.join(root, 'client', 'node_modules', '.bin', 'vite')
  const status = run(vite, ['build', '--logLevel', 'warn'], { cwd: path.join(root, 'client') })
  if (status !== 0) {
    console.error('Building the client failed (see above).')
    process.exit(status)
  }
}

/** The server as one ES module (server/dist/main.mjs): it starts in under a second, tsx in two. */
function buildServer() {
  const status = run(process.execPath, ['--import', 'tsx', 'src/tools/bundle.ts'], {
    cwd: path.join(root, 'server'),
  })
  if (status !== 0) {
    console.error('Building the server failed (see above).')
    process.exit(status)
  }
}

/** Newest modification time of the files the server bundle is made of. */
function newestServerSource() {
  let newest = 0
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs)
    }
  }
  walk(path.join(root, 'server', 'src'))
  walk(path.join(root, 'shared', 'src'))
  return newest
}

/** The built server when it is newer than its sources; otherwise the sources through tsx. */
function serverEntry() {
  const bundle = path.join(root, 'server', 'dist', 'main.mjs')
  try {
    if (fs.statSync(bundle).mtimeMs >= newestServerSource()) return [bundle]
  } catch {
    // not built
  }
  console.log('The server is not built (or its sources changed since): running it from source with tsx.')
  return ['--import', 'tsx', 'src/main.ts']
}

function start() {
  install()
  buildClient()
  buildServer()
  serve()
}

/** The server alone, for an instance of a deployment already installed and built (`npm run build`). */
function serve() {
  // exec-like: the server is our child with our stdio; signals are passed on.
  // The server runs in server/, but ./data (and any relative DATA_DIR) means the checkout's own.
  const dataDir = path.resolve(root, process.env.DATA_DIR ?? 'data')
  const child = spawn(process.execPath, serverEntry(), {
    cwd: path.join(root, 'server'),
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: 'inherit',
  })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

function ensureSystemPackages() {
  // Chromium for the browser tests; LibreOffice and poppler to open exported DOCX files as Word would.
  const wanted = [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/libreoffice', 'libreoffice-writer-nogui'],
    ['/usr/bin/pdftoppm', 'poppler-utils'],
  ]
  const missing = wanted.filter(([file]) => !fs.existsSync(file)).map(([, pkg]) => pkg)
  if (missing.length === 0) return true
  if (process.getuid?.() !== 0) {
    console.error(
      `Browser tests need ${missing.join(', ')} (Debian packages). Install them as root: apt-get install -y ${missing.join(' ')}`,
    )
    return false
  }
  console.log(`Installing ${missing.join(', ')} from Debian's packages…`)
  run('apt-get', ['update', '-qq'])
  return (
    run('apt-get', ['install', '-y', '-qq', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }) === 0
  )
}

/** Runs vitest in a package and reads its JSON report. */
function vitest(pkg, label) {
  const report = path.join(os.tmpdir(), `plenary-vitest-${pkg}-${process.pid}.json`)
  fs.rmSync(report, { force: true })
  const status = run(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    {
      cwd: path.join(root, pkg),
    },
  )
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'))
    const passed = json.numPassedTests ?? 0
    let failed = (json.numFailedTests ?? 0) + countFilesFailedWithoutFailedTests(json)
    if (status !== 0 && failed === 0) failed = 1
    console.log(`${label}: ${passed} passed, ${failed} failed`)
    return { passed, failed }
  } catch {
    console.log(`${label}: no report (vitest exited with ${status})`)
    return { passed: 0, failed: 1 }
  }
}

/** A test file that failed without a failing test (it did not load, a hook threw) counts once. */
function countFilesFailedWithoutFailedTests(json) {
  return (json.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length
}

function step(label, command, args, options) {
  console.log(`\n▶ ${label}`)
  const ok = run(command, args, options) === 0
  console.log(`${label}: ${ok ? 'passed' : 'FAILED'}`)
  return ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }
}

function test() {
  install()
  const results = []
  // Tools from Debian's packages first: export tests (server) and browser tests need them.
  const systemReady = ensureSystemPackages()
  if (!systemReady) results.push({ passed: 0, failed: 1 })
  results.push(
    step('typecheck', 'sh', [
      '-c',
      ['shared', 'server', 'client', 'e2e'].map((p) => `${bin('tsc')} --noEmit -p ${p}`).join(' && '),
    ]),
  )
  results.push(step('lint', bin('biome'), ['check', '.']))
  console.log('\n▶ unit: shared')
  results.push(vitest('shared', 'shared'))
  console.log('\n▶ unit: client')
  results.push(vitest('client', 'client'))
  console.log('\n▶ unit and integration: server')
  results.push(vitest('server', 'server'))
  console.log('\n▶ browser tests')
  if (systemReady) {
    buildClient()
    results.push(vitest('e2e', 'browser'))
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0)
  const failed = results.reduce((sum, r) => sum + r.failed, 0)
  console.log(`\n${passed} passed, ${failed} failed`)
  process.exit(failed > 0 ? 1 : 0)
}

const command = process.argv[2]
if (command === 'start') start()
else if (command === 'serve') serve()
else if (command === 'test') test()
else if (command === 'build') {
  install()
  buildClient()
  buildServer()
} else {
  console.error('usage: workspace.mjs start|serve|test|build')
  process.exit(2)
}
