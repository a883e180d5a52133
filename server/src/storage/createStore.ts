/** Opens the store DATABASE_URL names: SQLite (the default) or PostgreSQL. */
import type { Config } from '../config.ts'
import { PostgresConnectionError, PostgresVersionError } from './postgresErrors.ts'
import { SqliteStore } from './SqliteStore.ts'
import type { Store } from './Store.ts'

export type StoreConfig = Pick<Config, 'storeKind' | 'databaseUrl' | 'sqlitePath'>

/**
 * The store for a configuration, not yet migrated (call `migrate()` before use). The PostgreSQL
 * client is loaded only when it is the store.
 */
export async function createStore(
  config: StoreConfig,
  options: { onIdleError?: (error: Error) => void } = {},
): Promise<Store> {
  if (config.storeKind === 'postgres' || /^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    const { PostgresStore } = await import('./PostgresStore.ts')
    return new PostgresStore(config.databaseUrl, { onIdleError: options.onIdleError })
  }
  return new SqliteStore(config.sqlitePath)
}

/**
 * An error at start that a person can act on from its message alone (the database cannot be
 * reached, or is too old): print the message, not a stack trace.
 */
export function isStoreStartupError(error: unknown): error is Error {
  return error instanceof PostgresConnectionError || error instanceof PostgresVersionError
}
