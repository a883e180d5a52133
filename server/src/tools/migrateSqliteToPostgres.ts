/**
 * Moves a deployment from SQLite to PostgreSQL, then checks the move.
 *
 *   npm run migrate:sqlite-to-postgres -- --from data/plenary.sqlite --to postgres://user:pw@host:5432/plenary
 *   node --import tsx src/tools/migrateSqliteToPostgres.ts --from … --to … [--force]
 *
 * Stop the server first. Every table's rows (participants with their token hashes, sessions,
 * documents, snapshots, updates, threads, messages, mentions, communications, audit, revisions)
 * are copied in dependency order inside ONE PostgreSQL transaction, from one consistent read of
 * the SQLite file, so the target holds all of it or none of it. A target that already holds
 * documents is refused unless `--force`, which empties it first.
 *
 * Then every document is read back through both stores and compared: the text (Yjs state loaded
 * and turned into TipTap JSON), the document record, its threads with their messages, and its
 * revisions and checkpoints; also participants, token hashes, sessions, communications and the
 * row count of every table. Any difference is printed and the exit status is 1.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { yDocToContent } from '@plenary/shared'
import pino, { type Logger } from 'pino'
import { canonicalJson } from '../revisions/snapshot.ts'
import { loadYDoc } from '../storage/loadDoc.ts'
import {
  describeTarget,
  PostgresConnectionError,
  PostgresStore,
  PostgresVersionError,
  valuesList,
} from '../storage/PostgresStore.ts'
import { postgresTables, RECOMPUTE_LAST_SEQ } from '../storage/postgresMigrations.ts'
import { SqliteStore } from '../storage/SqliteStore.ts'
import type { Store } from '../storage/Store.ts'

export type MigrateOptions = {
  /** The SQLite file. */
  from: string
  /** The PostgreSQL URL. */
  to: string
  /** Replace whatever the target holds. */
  force?: boolean
  /** Progress lines (default: none). */
  log?: (line: string) => void
  /** Logs updates that cannot be applied while loading documents (default: silent). */
  logger?: Logger
}

export type VerifyResult = {
  documents: number
  threads: number
  messages: number
  revisions: number
  differences: string[]
}

export type MigrateResult = VerifyResult & { copied: Record<string, number> }

/** The target is not empty and --force was not given, or the source is missing. */
export class MigrationRefused extends Error {
  override name = 'MigrationRefused'
}

/** Converts a SQLite value for PostgreSQL where the column types differ. */
const convert: Partial<Record<string, Record<string, (value: unknown) => unknown>>> = {
  threads: { late: (value) => value === 1 || value === true },
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/** Rows of one table, in insertion (rowid) order, a page at a time. */
function* sqlitePages(
  db: SqliteStore['db'],
  table: string,
  pageSize: number,
): Generator<Record<string, unknown>[]> {
  const statement = db.prepare(
    `SELECT rowid AS "__rowid", * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  )
  let after = Number.MIN_SAFE_INTEGER
  for (;;) {
    const rows = statement.all(after, pageSize) as Record<string, unknown>[]
    if (rows.length === 0) return
    after = rows[rows.length - 1].__rowid as number
    yield rows
    if (rows.length < pageSize) return
  }
}

/** Copies every table inside one PostgreSQL transaction; returns the rows copied per table. */
async function copyAll(
  source: SqliteStore,
  target: PostgresStore,
  options: { force: boolean; log: (line: string) => void },
): Promise<Record<string, number>> {
  const copied: Record<string, number> = {}
  const client = await target.pool.connect()
  let failed = false
  // One read transaction on SQLite: the copy is of one moment, even if something still writes.
  source.db.exec('BEGIN')
  try {
    await client.query('BEGIN')
    const existing = Number((await client.query('SELECT COUNT(*) AS n FROM documents')).rows[0].n)
    if (existing > 0) {
      if (!options.force) {
        throw new MigrationRefused(
          `PostgreSQL at ${target.target} already holds ${existing} document(s); nothing was copied. Use --force to replace everything it holds.`,
        )
      }
      options.log(`--force: emptying the ${existing} document(s) and everything else PostgreSQL holds`)
      await client.query(`TRUNCATE ${postgresTables.join(', ')} RESTART IDENTITY CASCADE`)
    }
    for (const table of postgresTables) {
      const columns = (source.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
        (c) => c.name,
      )
      if (columns.length === 0) throw new Error(`the SQLite file has no ${table} table`)
      for (const column of columns) {
        if (!IDENTIFIER.test(column)) throw new Error(`unexpected column name ${table}.${column}`)
      }
      const converters = convert[table] ?? {}
      const pageSize = Math.max(1, Math.min(500, Math.floor(60_000 / columns.length)))
      let count = 0
      for (const rows of sqlitePages(source.db, table, pageSize)) {
        const params: unknown[] = []
        for (const row of rows) {
          for (const column of columns) {
            const value = row[column]
            params.push(converters[column] ? converters[column](value) : value)
          }
        }
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesList(rows.length, columns.length)}`,
          params,
        )
        count += rows.length
      }
      copied[table] = count
      options.log(`  ${table.padEnd(15)} ${count}`)
    }
    // SQLite keeps no last_seq column: each document's is set from the log just copied.
    await client.query(RECOMPUTE_LAST_SEQ)
    // Audit ids were copied as they were: new entries continue after the last one.
    await client.query(
      `SELECT setval(pg_get_serial_sequence('audit', 'id'), COALESCE((SELECT MAX(id) FROM audit), 1),
                     (SELECT COUNT(*) > 0 FROM audit))`,
    )
    await client.query('COMMIT')
    return copied
  } catch (error) {
    failed = true
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    source.db.exec('COMMIT')
    // After a failure the connection is closed rather than reused.
    client.release(failed)
  }
}

const describeValue = (value: unknown): string => {
  const text = canonicalJson(value)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Compares what both stores return for everything the application reads. */
export async function verifyMigration(
  source: Store,
  target: Store,
  logger: Logger = pino({ level: 'silent' }),
): Promise<VerifyResult> {
  const differences: string[] = []
  const same = (what: string, a: unknown, b: unknown) => {
    if (!isDeepStrictEqual(a, b)) {
      differences.push(
        `${what} differ:\n    SQLite:     ${describeValue(a)}\n    PostgreSQL: ${describeValue(b)}`,
      )
      return false
    }
    return true
  }

  same('participants', await source.listParticipants(), await target.listParticipants())
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1))
  same('communications', byId(await source.listCommunications()), byId(await target.listCommunications()))

  const documents = await source.listDocuments()
  same('the document list', documents, await target.listDocuments())
  let threads = 0
  let messages = 0
  let revisions = 0
  for (const document of documents) {
    const name = `document ${document.id} (${document.title})`
    same(`${name}: the record`, document, await target.getDocument(document.id))

    const [a, b] = [await loadYDoc(source, document.id, logger), await loadYDoc(target, document.id, logger)]
    const [contentA, contentB] = [canonicalJson(yDocToContent(a)), canonicalJson(yDocToContent(b))]
    if (contentA !== contentB) differences.push(`${name}: the text differs`)
    a.destroy()
    b.destroy()

    const threadsA = await source.listThreads(document.id)
    same(`${name}: threads`, threadsA, await target.listThreads(document.id))
    const ids = threadsA.map((t) => t.id)
    const messagesA = await source.listMessages(ids)
    same(`${name}: messages`, messagesA, await target.listMessages(ids))

    const revisionsA = await source.listRevisions(document.id, { checkpoints: true })
    same(`${name}: revisions`, revisionsA, await target.listRevisions(document.id, { checkpoints: true }))
    same(
      `${name}: published revisions`,
      (await source.listRevisions(document.id, { checkpoints: false })).map((r) => r.id),
      (await target.listRevisions(document.id, { checkpoints: false })).map((r) => r.id),
    )
    threads += threadsA.length
    messages += messagesA.length
    revisions += revisionsA.length
  }
  return { documents: documents.length, threads, messages, revisions, differences }
}

/** What only the tables show: row counts, token hashes, sessions. */
async function verifyTables(source: SqliteStore, target: PostgresStore): Promise<string[]> {
  const differences: string[] = []
  for (const table of postgresTables) {
    const a = (source.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    const b = Number((await target.pool.query(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0].n)
    if (a !== b) differences.push(`${table}: ${a} rows in SQLite, ${b} in PostgreSQL`)
  }
  const tokens = (rows: { id: string; token_hash: string }[]) =>
    rows.map((r) => `${r.id} ${r.token_hash}`).sort()
  const tokensA = tokens(source.db.prepare('SELECT id, token_hash FROM participants').all() as never)
  const tokensB = tokens((await target.pool.query('SELECT id, token_hash FROM participants')).rows)
  if (!isDeepStrictEqual(tokensA, tokensB)) differences.push('participants: the token hashes differ')
  const sessions = (rows: { hash: string; participant_id: string }[]) =>
    rows.map((r) => `${r.hash} ${r.participant_id}`).sort()
  const sessionsA = sessions(source.db.prepare('SELECT hash, participant_id FROM sessions').all() as never)
  const sessionsB = sessions((await target.pool.query('SELECT hash, participant_id FROM sessions')).rows)
  if (!isDeepStrictEqual(sessionsA, sessionsB)) differences.push('sessions differ')
  const auditA = source.db.prepare('SELECT MAX(id) AS id FROM audit').get() as { id: number | null }
  const auditB = (await target.pool.query('SELECT MAX(id) AS id FROM audit')).rows[0]
  if ((auditA.id ?? null) !== (auditB.id === null ? null : Number(auditB.id))) {
    differences.push('audit: the last entry ids differ')
  }
  return differences
}

export async function migrateSqliteToPostgres(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {})
  const from = path.resolve(options.from)
  if (!fs.existsSync(from) || !fs.statSync(from).isFile()) {
    throw new MigrationRefused(`no SQLite file at ${from}`)
  }
  const source = new SqliteStore(from)
  const target = new PostgresStore(options.to)
  try {
    // Brings an older file to the current schema, as the server would at start.
    await source.migrate()
    const held = source.db
      .prepare(
        'SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM participants) AS participants',
      )
      .get() as { documents: number; participants: number }
    if (held.documents === 0 && held.participants === 0) {
      // Most likely the wrong file (a path typo creates nothing, but a fresh DATA_DIR holds an
      // empty store): never let it replace a database with --force.
      throw new MigrationRefused(
        `the SQLite file ${from} holds no documents and no participants: nothing to move`,
      )
    }
    await target.migrate()
    log(`Copying ${from} into PostgreSQL at ${describeTarget(options.to)}${databaseOf(options.to)}:`)
    const copied = await copyAll(source, target, { force: options.force ?? false, log })
    log(
      'Verifying: every document’s text, record, threads, messages and revisions, read through both stores…',
    )
    const result = await verifyMigration(source, target, options.logger)
    result.differences.push(...(await verifyTables(source, target)))
    return { ...result, copied }
  } finally {
    await source.close()
    await target.close()
  }
}

function databaseOf(url: string): string {
  try {
    const name = new URL(url).pathname.replace(/^\//, '')
    return name ? `/${name}` : ''
  } catch {
    return ''
  }
}

const USAGE = `Usage: migrate-sqlite-to-postgres --from <plenary.sqlite> --to <postgres://user:password@host:5432/db> [--force]

Copies a Plenary deployment from SQLite to PostgreSQL in one transaction, then compares every
document's text, threads and revisions read through both stores. Stop the server first.
  --from   the SQLite file (DATA_DIR/plenary.sqlite)
  --to     the PostgreSQL URL (default: DATABASE_URL when it is a postgres:// URL)
  --force  replace what the PostgreSQL database already holds`

/** The command line; returns the exit status. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let values: { from?: string; to?: string; force?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      // `npm run x -- …` through pnpm may pass the separator on.
      args: argv.filter((arg) => arg !== '--'),
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const to = values.to ?? (/^postgres(ql)?:\/\//.test(env.DATABASE_URL ?? '') ? env.DATABASE_URL : undefined)
  if (!values.from || !to) {
    console.error(`${!values.from ? '--from' : '--to'} is missing.\n\n${USAGE}`)
    return 2
  }
  if (!/^postgres(ql)?:\/\//.test(to)) {
    console.error('--to must be a postgres:// or postgresql:// URL')
    return 2
  }
  try {
    const started = Date.now()
    const result = await migrateSqliteToPostgres({
      from: values.from,
      to,
      force: values.force,
      log: (line) => console.log(line),
      logger: pino({ level: 'error' }, pino.destination(2)),
    })
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    if (result.differences.length > 0) {
      console.error(`\nDIFFERENT: ${result.differences.length} difference(s) between SQLite and PostgreSQL:`)
      for (const difference of result.differences) console.error(`  - ${difference}`)
      console.error('\nThe PostgreSQL copy is not faithful: keep running on SQLite and report this.')
      return 1
    }
    const total = Object.values(result.copied).reduce((sum, n) => sum + n, 0)
    console.log(
      `\nOK in ${seconds} s: ${total} rows copied; ${result.documents} document(s), ${result.threads} thread(s), ` +
        `${result.messages} message(s) and ${result.revisions} revision(s) read back identical from both stores.\n` +
        `Start the server with DATABASE_URL set to this PostgreSQL URL.`,
    )
    return 0
  } catch (error) {
    if (
      error instanceof MigrationRefused ||
      error instanceof PostgresConnectionError ||
      error instanceof PostgresVersionError
    ) {
      console.error(error.message)
    } else {
      console.error('The migration failed; PostgreSQL was left as it was (the copy is one transaction).')
      console.error(error)
    }
    return 1
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((status) => process.exit(status))
}
