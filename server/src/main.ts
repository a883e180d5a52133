/** The process: configuration, store, app, listen, demo links, graceful shutdown. */
import fs from 'node:fs'
import path from 'node:path'
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createStore, isStoreStartupError } from './storage/createStore.ts'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  const store = await createStore(config, {
    onIdleError: (error) =>
      console.error(`PostgreSQL connection lost (a new one will be opened): ${error.message}`),
  })
  try {
    await store.migrate()
  } catch (error) {
    if (isStoreStartupError(error)) {
      // One line that says what to fix, no stack trace.
      console.error(error.message)
      await store.close().catch(() => {})
      process.exit(1)
    }
    throw error
  }
  const app = await buildApp({ config, store })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down: storing everything and closing sockets')
    try {
      await app.close()
      await store.close()
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))

  // A restart meets every participant's reconnection at once: with Node's default queue of 511
  // connections waiting to be accepted, the kernel drops the rest, and those clients wait 1 s, then
  // 3 s, for their retransmission (the kernel caps this at net.core.somaxconn).
  const address = await app.listen({ port: config.port, host: config.host, backlog: 4096 })
  const baseUrl = config.publicUrl ?? `http://${config.host}:${new URL(address).port}`

  if (config.demo) {
    // The demo's twenty pages are only loaded when the demo is on.
    const { DEMO_LINKS_FILE, formatLinks, seedDemo, writeLinksFile } = await import('./demo/seed.ts')
    const seeded = await seedDemo(store, baseUrl)
    if (seeded) {
      const file = writeLinksFile(config.dataDir, seeded.links)
      console.log(
        `\nPlenary demo loaded. Sign in as any participant:\n\n${formatLinks(seeded.links)}\n\n(also in ${file})\n`,
      )
    } else if (fs.existsSync(path.join(config.dataDir, DEMO_LINKS_FILE))) {
      console.log(`\nDemo sign-in links: ${path.join(config.dataDir, DEMO_LINKS_FILE)}\n`)
    }
  }
  console.log(`Plenary is serving ${baseUrl}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
