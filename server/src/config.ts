/**
 * Configuration: the only module that reads process.env. Every value is validated at start and a
 * bad one stops the process with a message that names the variable. `.env.example` lists them.
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { Limits } from '@plenary/shared'
import { z } from 'zod'

const bool = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true')

const positiveInt = z.coerce.number().int().positive()

const POSTGRES_URL = /^postgres(ql)?:\/\//

function isParsableUrl(url: string): boolean {
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}

const EnvSchema = z.object({
  // An empty PORT means "not set", not port 0 (which would pick a random port).
  PORT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(65535).default(8080),
  ),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  // Messages never repeat the value: a PostgreSQL URL may hold a password.
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^sqlite:/.test(url) || POSTGRES_URL.test(url), {
      message:
        'must be a sqlite: URL (sqlite:/var/lib/plenary/plenary.sqlite) or a PostgreSQL URL (postgres://user:password@host:5432/plenary)',
    })
    .refine((url) => !url || !/^sqlite:/.test(url) || url.replace(/^sqlite:(\/\/)?/, '').length > 0, {
      message: 'a sqlite: URL needs a file path, e.g. sqlite:/var/lib/plenary/plenary.sqlite',
    })
    .refine((url) => !url || !POSTGRES_URL.test(url) || isParsableUrl(url), {
      message: 'is not a valid PostgreSQL URL, e.g. postgres://user:password@host:5432/plenary',
    }),
  REDIS_URL: z
    .string()
    .optional()
    .refine((url) => !url || (/^rediss?:\/\//.test(url) && isParsableUrl(url)), {
      message: 'must be a Redis URL, e.g. redis://127.0.0.1:6379 (rediss:// for TLS)',
    }),
  PLENARY_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only, at most 64')
    .default('plenary'),
  PLENARY_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits and _ . - only, at most 64')
    .optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, hostname: /.+/ })
    .optional()
    .describe('the http(s) address people reach the app at'),
  PLENARY_ADMIN_TOKEN: z.string().min(24, 'PLENARY_ADMIN_TOKEN must be at least 24 characters').optional(),
  PLENARY_DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PLENARY_MAX_MESSAGE_BYTES: positiveInt.default(Limits.maxMessageBytes),
  PLENARY_DOCUMENT_WARN_BYTES: positiveInt.default(Limits.documentWarnBytes),
  PLENARY_DOCUMENT_MAX_BYTES: positiveInt.default(Limits.documentMaxBytes),
  PLENARY_MAX_MESSAGES_PER_SECOND: positiveInt.default(Limits.maxMessagesPerSecond),
  PLENARY_MAX_CONNECTIONS_PER_PARTICIPANT: positiveInt.default(Limits.maxConnectionsPerParticipant),
  PLENARY_MAX_CONNECTIONS_PER_DOCUMENT: positiveInt.default(Limits.maxConnectionsPerDocument),
  PLENARY_COMPACT_AFTER_UPDATES: positiveInt.default(500),
  PLENARY_CHECKPOINT_MINUTES: z.coerce.number().positive().default(5),
  PLENARY_UNLOAD_AFTER_SECONDS: z.coerce.number().min(0).max(3600).default(2),
  PLENARY_CLIENT_DIST: z.string().optional(),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  /** Which store DATABASE_URL selects: the embedded SQLite file (default) or PostgreSQL. */
  storeKind: 'sqlite' | 'postgres'
  /**
   * The store's URL: DATABASE_URL as given, or `sqlite:<sqlitePath>` when unset. It may hold a
   * password: never log it.
   */
  databaseUrl: string
  /** SQLite file path (used when storeKind is 'sqlite'). */
  sqlitePath: string
  /** Redis for the fan-out between instances; unset for a single instance. May hold a password. */
  redisUrl: string | undefined
  /** Prefix of this deployment's Redis channels. */
  redisPrefix: string
  /** This process among the instances: tags what it publishes so that it ignores its own echo. */
  instanceId: string
  publicUrl: string | undefined
  adminToken: string | undefined
  demo: boolean
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL']
  limits: {
    maxMessageBytes: number
    documentWarnBytes: number
    documentMaxBytes: number
    maxMessagesPerSecond: number
    maxAwarenessBytes: number
    maxConnectionsPerParticipant: number
    maxConnectionsPerDocument: number
    maxJsonBodyBytes: number
  }
  /** Updates in the log after which a document is compacted into a snapshot. */
  compactAfterUpdates: number
  /** Least minutes between two automatic checkpoints of a document being edited. */
  /** How long a document stays loaded after its last socket leaves. */
  unloadAfterMs: number
  checkpointMinutes: number
  /** Where the built client lives (served as static files), if anywhere. */
  clientDist: string | undefined
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Reads and validates configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.REDIS_URL && !(e.DATABASE_URL && POSTGRES_URL.test(e.DATABASE_URL))) {
    throw new ConfigError(
      'Invalid configuration:\n  REDIS_URL: several instances share one database: set DATABASE_URL to PostgreSQL (postgres://…) too',
    )
  }
  const dataDir = path.resolve(e.DATA_DIR)
  const storeKind = e.DATABASE_URL && POSTGRES_URL.test(e.DATABASE_URL) ? 'postgres' : 'sqlite'
  const sqlitePath =
    e.DATABASE_URL && storeKind === 'sqlite'
      ? path.resolve(e.DATABASE_URL.replace(/^sqlite:(\/\/)?/, ''))
      : path.join(dataDir, 'plenary.sqlite')
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    storeKind,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${sqlitePath}`,
    sqlitePath,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.PLENARY_REDIS_PREFIX,
    instanceId:
      e.PLENARY_INSTANCE_ID ??
      `${
        os
          .hostname()
          .replace(/[^A-Za-z0-9_.-]/g, '')
          .slice(0, 40) || 'plenary'
      }-${process.pid}-${randomBytes(3).toString('hex')}`,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    adminToken: e.PLENARY_ADMIN_TOKEN,
    demo: e.PLENARY_DEMO,
    logLevel: e.LOG_LEVEL,
    limits: {
      maxMessageBytes: e.PLENARY_MAX_MESSAGE_BYTES,
      documentWarnBytes: e.PLENARY_DOCUMENT_WARN_BYTES,
      documentMaxBytes: e.PLENARY_DOCUMENT_MAX_BYTES,
      maxMessagesPerSecond: e.PLENARY_MAX_MESSAGES_PER_SECOND,
      maxAwarenessBytes: Limits.maxAwarenessBytes,
      maxConnectionsPerParticipant: e.PLENARY_MAX_CONNECTIONS_PER_PARTICIPANT,
      maxConnectionsPerDocument: e.PLENARY_MAX_CONNECTIONS_PER_DOCUMENT,
      maxJsonBodyBytes: Limits.maxJsonBodyBytes,
    },
    compactAfterUpdates: e.PLENARY_COMPACT_AFTER_UPDATES,
    checkpointMinutes: e.PLENARY_CHECKPOINT_MINUTES,
    unloadAfterMs: Math.round(e.PLENARY_UNLOAD_AFTER_SECONDS * 1000),
    clientDist: e.PLENARY_CLIENT_DIST,
  }
}
