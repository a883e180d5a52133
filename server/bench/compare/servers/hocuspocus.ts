/**
 * Baseline: @hocuspocus/server 3.4.4 with @hocuspocus/extension-sqlite at its default settings
 * (an in-memory SQLite database, stores debounced 2 s / at most 10 s), on the port given as the
 * first argument. Any token is accepted, as an onAuthenticate hook that checks nothing would.
 */
import { SQLite } from '@hocuspocus/extension-sqlite'
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2] ?? 1234)
const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  extensions: [new SQLite({})],
  async onAuthenticate() {},
})
await server.listen()
console.log(`hocuspocus ${process.env.npm_package_version ?? ''} on ${port}`)
