/**
 * Configuration: the only module that reads process.env. Every value is validated at start and a
 * bad one stops the process with a message that names the variable. `.env.example` lists them.
 */
import path from 'node:path'
import { Limits } from '@plenary/shared'
import { z } from 'zod'

const bool = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true')

const positiveInt = z.coerce.number().int().positive()

const EnvSchema = z.object({
  // An empty PORT means "not set", not port 0 (which would pick a random port).
  PORT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(65535).default(8080),
  ),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^sqlite:/.test(url), {
      message: 'only sqlite: URLs are supported by this version (PostgreSQL arrives with the scale-out work)',
    })
    .refine((url) => !url || !/^sqlite:/.test(url) || url.replace(/^sqlite:(\/\/)?/, '').length > 0, {
      message: 'a sqlite: URL needs a file path, e.g. sqlite:/var/lib/plenary/plenary.sqlite',
    }),
  REDIS_URL: z
    .string()
    .optional()
    .refine((url) => !url, {
      message: 'Redis fan-out is not supported by this version; leave REDIS_URL unset',
    }),
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
  PLENARY_CLIENT_DIST: z.string().optional(),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  /** SQLite file path. */
  sqlitePath: string
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
  const dataDir = path.resolve(e.DATA_DIR)
  const sqlitePath = e.DATABASE_URL
    ? path.resolve(e.DATABASE_URL.replace(/^sqlite:(\/\/)?/, ''))
    : path.join(dataDir, 'plenary.sqlite')
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    sqlitePath,
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
    clientDist: e.PLENARY_CLIENT_DIST,
  }
}
