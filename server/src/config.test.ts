import path from 'node:path'
import { Limits } from '@plenary/shared'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

/** The ConfigError thrown for an environment (fails the test when nothing is thrown). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`)
}

describe('loadConfig defaults', () => {
  const config = loadConfig({})

  it('serves on 127.0.0.1:8080', () => {
    expect(config.port).toBe(8080)
    expect(config.host).toBe('127.0.0.1')
  })

  it('keeps data in ./data, resolved to an absolute path, with the SQLite file inside it', () => {
    expect(path.isAbsolute(config.dataDir)).toBe(true)
    expect(config.dataDir).toBe(path.join(process.cwd(), 'data'))
    expect(config.sqlitePath).toBe(path.join(config.dataDir, 'plenary.sqlite'))
  })

  it('loads the demo, logs at info, has no admin token and no public URL', () => {
    expect(config.demo).toBe(true)
    expect(config.logLevel).toBe('info')
    expect(config.adminToken).toBeUndefined()
    expect(config.publicUrl).toBeUndefined()
  })

  it('takes its limits from the shared Limits', () => {
    expect(config.limits).toMatchObject({
      maxMessageBytes: Limits.maxMessageBytes,
      documentWarnBytes: Limits.documentWarnBytes,
      documentMaxBytes: Limits.documentMaxBytes,
      maxMessagesPerSecond: Limits.maxMessagesPerSecond,
    })
  })

  it('does not read process.env when an environment is given', () => {
    const saved = process.env.PORT
    process.env.PORT = '9999'
    try {
      expect(loadConfig({}).port).toBe(8080)
    } finally {
      if (saved === undefined) delete process.env.PORT
      else process.env.PORT = saved
    }
  })
})

describe('loadConfig values', () => {
  it('reads PORT, HOST, DATA_DIR and LOG_LEVEL', () => {
    const config = loadConfig({ PORT: '3000', HOST: '0.0.0.0', DATA_DIR: '/srv/plenary', LOG_LEVEL: 'debug' })
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', dataDir: '/srv/plenary', logLevel: 'debug' })
    expect(config.sqlitePath).toBe('/srv/plenary/plenary.sqlite')
  })

  it.each([
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('PLENARY_DEMO=%s sets demo to %s', (value, demo) => {
    expect(loadConfig({ PLENARY_DEMO: value }).demo).toBe(demo)
  })

  it('strips the trailing slash of PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://plenary.example.org/' }).publicUrl).toBe(
      'https://plenary.example.org',
    )
    expect(loadConfig({ PUBLIC_URL: 'https://plenary.example.org' }).publicUrl).toBe(
      'https://plenary.example.org',
    )
    expect(loadConfig({ PUBLIC_URL: 'https://example.org/plenary/' }).publicUrl).toBe(
      'https://example.org/plenary',
    )
  })

  it('DATABASE_URL=sqlite:/tmp/x.sqlite stores in that file', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).sqlitePath).toBe('/tmp/x.sqlite')
    expect(loadConfig({ DATABASE_URL: 'sqlite:///tmp/y.sqlite' }).sqlitePath).toBe('/tmp/y.sqlite')
  })

  it('SQLite is the default store', () => {
    const config = loadConfig({ DATA_DIR: '/srv/plenary' })
    expect(config.storeKind).toBe('sqlite')
    expect(config.databaseUrl).toBe('sqlite:/srv/plenary/plenary.sqlite')
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).storeKind).toBe('sqlite')
  })

  it.each([
    'postgres://plenary:secret@db.example.org:5432/plenary',
    'postgresql://plenary@127.0.0.1/plenary?sslmode=require',
  ])('DATABASE_URL=%s selects PostgreSQL', (url) => {
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: '/srv/plenary' })
    expect(config.storeKind).toBe('postgres')
    expect(config.databaseUrl).toBe(url)
    // The SQLite path stays defined (and unused).
    expect(config.sqlitePath).toBe('/srv/plenary/plenary.sqlite')
  })

  it('a relative sqlite: path is resolved to an absolute one', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/plenary.sqlite' }).sqlitePath).toBe(
      path.join(process.cwd(), 'db', 'plenary.sqlite'),
    )
  })

  it('keeps a long enough admin token', () => {
    const token = 'a'.repeat(24)
    expect(loadConfig({ PLENARY_ADMIN_TOKEN: token }).adminToken).toBe(token)
  })

  it('reads the limits from their variables', () => {
    const config = loadConfig({ PLENARY_MAX_MESSAGE_BYTES: '1024', PLENARY_COMPACT_AFTER_UPDATES: '50' })
    expect(config.limits.maxMessageBytes).toBe(1024)
    expect(config.compactAfterUpdates).toBe(50)
  })
})

describe('loadConfig refuses bad values with a message naming the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PLENARY_ADMIN_TOKEN', 'too-short'],
    ['LOG_LEVEL', 'loud'],
    ['PLENARY_DEMO', 'maybe'],
    ['PLENARY_DEMO', 'yes'],
    ['PUBLIC_URL', 'not a url'],
    ['HOST', ''],
    ['PLENARY_MAX_MESSAGE_BYTES', '0'],
    ['PLENARY_COMPACT_AFTER_UPDATES', 'many'],
  ])('%s=%j', (name, value) => {
    const error = configError({ [name]: value })
    expect(error.message).toContain(name)
  })

  it('names every bad variable at once', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', PLENARY_DEMO: 'maybe' })
    for (const name of ['PORT', 'LOG_LEVEL', 'PLENARY_DEMO']) expect(error.message).toContain(name)
  })

  it('refuses a DATABASE_URL of another database with a clear message, without repeating it', () => {
    const error = configError({ DATABASE_URL: 'mysql://plenary:secret@localhost:3306/plenary' })
    expect(error.message).toContain('DATABASE_URL')
    expect(error.message).toMatch(/sqlite/i)
    expect(error.message).toMatch(/postgres/i)
    expect(error.message).not.toContain('secret')
  })

  it('refuses a PostgreSQL DATABASE_URL that is not a URL, without repeating it', () => {
    const error = configError({ DATABASE_URL: 'postgres://plenary:secret@[bad/plenary' })
    expect(error.message).toContain('DATABASE_URL')
    expect(error.message).not.toContain('secret')
  })

  it('takes REDIS_URL with a PostgreSQL DATABASE_URL, and refuses it with SQLite or when it is not a Redis URL', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://plenary@127.0.0.1/plenary',
      PLENARY_INSTANCE_ID: 'web-1',
    })
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379')
    expect(config.instanceId).toBe('web-1')
    expect(config.redisPrefix).toBe('plenary')
    // Several instances on SQLite files would each see their own documents.
    const alone = configError({ REDIS_URL: 'redis://localhost:6379' }).message
    expect(alone).toContain('REDIS_URL')
    expect(alone).toMatch(/PostgreSQL/)
    const bad = configError({
      REDIS_URL: 'http://:secret@localhost',
      DATABASE_URL: 'postgres://a@b/c',
    }).message
    expect(bad).toContain('REDIS_URL')
    expect(bad).not.toContain('secret')
    expect(configError({ PLENARY_INSTANCE_ID: 'a b' }).message).toContain('PLENARY_INSTANCE_ID')
  })

  it('gives every process its own instance id when none is set', () => {
    expect(loadConfig({}).instanceId).not.toBe(loadConfig({}).instanceId)
  })

  it('refuses a PUBLIC_URL that is not an http(s) address', () => {
    // `localhost:8080` parses as a URL whose scheme is "localhost:" and whose host is empty, so it
    // passes a bare URL check; the sign-in links printed from it ("localhost:8080/join/…") do not
    // open, and the websocket origin check compares against an empty host.
    for (const value of ['localhost:8080', 'ftp://plenary.example.org', 'javascript:alert(1)']) {
      expect(() => loadConfig({ PUBLIC_URL: value }), `PUBLIC_URL=${value}`).toThrow(/PUBLIC_URL/)
    }
  })

  it('refuses a sqlite: DATABASE_URL that names no file', () => {
    // Without a path the store tries to open the working directory itself as a database and the
    // process dies with SQLITE_CANTOPEN instead of a message naming the variable.
    for (const value of ['sqlite:', 'sqlite://']) {
      expect(() => loadConfig({ DATABASE_URL: value }), `DATABASE_URL=${value}`).toThrow(/DATABASE_URL/)
    }
  })

  it('an empty PORT does not silently become port 0 (a random port)', () => {
    let port: number | undefined
    try {
      port = loadConfig({ PORT: '' }).port
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).message).toContain('PORT')
      return
    }
    // Treated as unset: the default port.
    expect(port).toBe(8080)
  })
})
