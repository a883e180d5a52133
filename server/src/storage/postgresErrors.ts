/**
 * The errors PostgreSQL's store throws at start, in a module of their own: the process tells them
 * apart without loading the PostgreSQL client (which it only loads when DATABASE_URL names one).
 */

/** The database cannot be reached (refused, unknown host, timeout, authentication, no such database). */
export class PostgresConnectionError extends Error {
  override name = 'PostgresConnectionError'
}

/** The server is older than PostgreSQL 13. */
export class PostgresVersionError extends Error {
  override name = 'PostgresVersionError'
}
