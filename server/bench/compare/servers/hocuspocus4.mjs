/**
 * Baseline: @hocuspocus/server 4.7.0 with @hocuspocus/extension-sqlite 4.7.0 at its default
 * settings (an in-memory SQLite database, stores debounced), under Node 22, on the port given as
 * the first argument. Run by bench/compare/servers.ts with the Node 22 binary that
 * bench/compare/node22.ts installs; the packages come from the prefix in the second argument.
 * Any token is accepted, as an onAuthenticate hook that checks nothing would.
 */
import { createRequire } from 'node:module'
import path from 'node:path'

const port = Number(process.argv[2] ?? 1234)
const prefix = process.argv[3]
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
console.log(`hocuspocus 4 on ${port} (Node ${process.version})`)
