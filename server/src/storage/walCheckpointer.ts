/**
 * Copies SQLite's write-ahead log back into the database file from a worker thread, so that the
 * event loop never waits for it. SQLite's automatic checkpoint runs inside the commit that crosses
 * 1,000 pages of log: it writes those pages to the database and fsyncs it, and with a compaction's
 * snapshot in the log that commit held the event loop for seconds on a busy disk (the hot-document
 * stall of the benchmark). Here the main connection turns automatic checkpoints off and the
 * worker, on its own connection, runs passive checkpoints, which never block a writer; the next
 * commit after a complete checkpoint starts the log from its beginning again, so it stays small.
 *
 * If the worker cannot start or fails, the main connection's automatic checkpoints come back.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

/** How often the worker checkpoints while anything is written. */
const INTERVAL_MS = 1_000
/** SQLite's own default, restored when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1_000

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 5000')
db.pragma('synchronous = FULL')
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)')
      parentPort.postMessage({ ok: true, busy: result.busy, log: result.log, checkpointed: result.checkpointed })
    } catch (error) {
      parentPort.postMessage({ ok: false, error: String(error && error.message || error) })
    }
  } else if (message === 'close') {
    db.close()
    parentPort.postMessage({ closed: true })
    parentPort.close()
  }
})
`

export type CheckpointResult = { ok: true; busy: number; log: number; checkpointed: number }

type Log = { warn(obj: object, msg: string): void }

export class WalCheckpointer {
  private readonly worker: Worker
  private readonly timer: NodeJS.Timeout
  private readonly totalChanges: () => number
  private changesAtLastCheckpoint = -1
  private inFlight = false
  private failed = false
  private waiters: ((result: CheckpointResult | null) => void)[] = []
  /** Checkpoints completed, and the last result (for tests and metrics). */
  completed = 0
  last: CheckpointResult | null = null

  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly log: Log | null = null,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const statement = db.prepare('SELECT total_changes()').pluck()
    this.totalChanges = () => statement.get() as number
    db.pragma('wal_autocheckpoint = 0')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } })
    this.worker.unref()
    this.worker.on(
      'message',
      (message: CheckpointResult | { ok: false; error: string } | { closed: true }) => {
        if ('closed' in message) return
        this.inFlight = false
        if (message.ok) {
          this.completed += 1
          this.last = message
        } else this.log?.warn({ error: message.error }, 'write-ahead log checkpoint failed')
        for (const resolve of this.waiters.splice(0)) resolve(message.ok ? message : null)
      },
    )
    this.worker.on('error', (error) => this.fallBack(error))
    this.worker.on('exit', () => this.fallBack(null))
    // Every second, if anything was written since the last checkpoint (by any statement).
    this.timer = setInterval(() => {
      if (this.inFlight || this.failed || !this.db.open) return
      if (this.totalChanges() !== this.changesAtLastCheckpoint) this.run()
    }, INTERVAL_MS)
    this.timer.unref()
  }

  /** Runs a checkpoint now and resolves with its result (null if it failed or the worker is gone). */
  checkpoint(): Promise<CheckpointResult | null> {
    if (this.failed) return Promise.resolve(null)
    return new Promise((resolve) => {
      this.waiters.push(resolve)
      this.run()
    })
  }

  /** Stops the worker (its connection closes); call before closing the main connection. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    if (this.failed) return
    this.failed = true
    for (const resolve of this.waiters.splice(0)) resolve(null)
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve())
      // Held until it has closed its connection: an unreferenced worker would let the process
      // end (with status 0) in the middle of this await.
      this.worker.ref()
      this.worker.postMessage('close')
    })
  }

  private run(): void {
    if (this.inFlight || this.failed) return
    this.inFlight = true
    this.changesAtLastCheckpoint = this.totalChanges()
    this.worker.postMessage('checkpoint')
  }

  private fallBack(error: unknown): void {
    if (this.failed) return
    this.failed = true
    clearInterval(this.timer)
    for (const resolve of this.waiters.splice(0)) resolve(null)
    if (error)
      this.log?.warn({ err: error }, 'checkpoint worker failed: SQLite checkpoints in the commit again')
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`)
  }
}
