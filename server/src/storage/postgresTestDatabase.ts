/**
 * Throwaway PostgreSQL databases for tests: each test file creates its own
 * (`plenary_test_<random>`) through an admin connection to TEST_DATABASE_URL (default: the
 * machine's local server) and drops it afterwards, so runs never see each other's data.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describeTarget } from './PostgresStore.ts'

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'

/** The same server and credentials as TEST_DATABASE_URL, another database. */
export function databaseUrl(database: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

/** Why PostgreSQL cannot be used for tests, or null when it can. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return null
  } catch (error) {
    const reason =
      error instanceof AggregateError
        ? String(error.errors[0]?.message)
        : (error as Error).message || String(error)
    return `cannot reach PostgreSQL at ${describeTarget(TEST_DATABASE_URL)} (TEST_DATABASE_URL): ${reason}`
  } finally {
    await client.end().catch(() => {})
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 10_000 })
  client.on('error', () => {})
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Creates an empty database and returns its name and URL. */
export async function createTestDatabase(prefix = 'plenary_test'): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  // Identifiers cannot be parameters; the name is made here of [a-z0-9_] only.
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`)
  await admin((client) => client.query(`CREATE DATABASE ${name}`))
  return { name, url: databaseUrl(name) }
}

export async function dropTestDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`)
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}
