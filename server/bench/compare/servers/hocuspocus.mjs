/**
 * Baseline: @hocuspocus/server with @hocuspocus/extension-sqlite at its default settings (an
 * in-memory SQLite database, stores debounced), on the port given as the first argument. The
 * packages are resolved from the directory in the second argument: the server workspace for
 * 3.4.4 (its devDependencies, under Node 20), or the prefix bench/compare/node22.ts installs for
 * 4.7.0 (run with that Node 22 binary). Any token is accepted, as an onAuthenticate hook that
 * checks nothing would.
 */
import { createRequire } from 'node:module'
import path from 'node:path'

const port = Number(process.argv[2] ?? 1234)
const prefix = process.argv[3] ?? process.cwd()
const require = createRequire(path.join(prefix, 'package.json'))
const { Server } = require('@hocuspocus/server')
const { SQLite } = require('@hocuspocus/extension-sqlite')

const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  extensions: [new SQLite({})],
  async onAuthenticate() {},
})
await server.listen()
console.log(`hocuspocus on ${port} (Node ${process.version})`)
