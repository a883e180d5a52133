/**
 * Test instrumentation loaded into a spawned server (`spawnServer(…, ['./test/crashHook.ts'])`) for
 * the crash suite: with PLENARY_TEST_PAUSE_IN=compact (or =revision), the first compaction (or
 * revision write) after the process receives SIGUSR2 stops inside its open SQLite transaction,
 * after the store's own statements ran and before the commit, and says so on stderr, so that the
 * test kills the process exactly there. Without that variable it changes nothing.
 */
import fs from 'node:fs'
import { SqliteStore } from '../src/storage/SqliteStore.ts'

export const PAUSED_MARKER = 'PLENARY_TEST_PAUSED_IN'

const where = process.env.PLENARY_TEST_PAUSE_IN
if (where === 'compact' || where === 'revision') {
  const method = where === 'compact' ? 'compact' : 'createRevision'
  // biome-ignore lint/suspicious/noExplicitAny: instrumentation reaches the store's private database
  const proto = SqliteStore.prototype as any
  const original = proto[method] as (...args: unknown[]) => Promise<void>
  let armed = false
  let paused = false
  process.on('SIGUSR2', () => {
    armed = true
  })
  proto[method] = async function (
    this: { db: { transaction(fn: () => void): () => void } },
    ...args: unknown[]
  ) {
    if (!armed || paused) return original.apply(this, args)
    paused = true
    // The store's own transaction becomes a savepoint of this one, which never commits: the
    // process is killed while it waits.
    this.db.transaction(() => {
      void original.apply(this, args)
      fs.writeSync(2, `${PAUSED_MARKER} ${where}\n`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000)
    })()
  }
}
