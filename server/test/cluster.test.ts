/**
 * Several server processes on one PostgreSQL and one Redis (the machine's own, reached through
 * TCP proxies where a test cuts them off): clients spread over the instances converge, events and
 * access changes cross instances, an instance killed with SIGKILL loses nothing anyone saw, and an
 * outage of Redis or of PostgreSQL ends with every client converged and nothing lost.
 *
 * With CI=1 nothing is skipped; elsewhere the file skips, saying why, when PostgreSQL or Redis
 * cannot be reached.
 */
import { randomBytes } from 'node:crypto'
import { CloseCode } from '@plenary/shared'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  createTestDatabase,
  dropTestDatabase,
  postgresUnavailable,
} from '../src/storage/postgresTestDatabase.ts'
import { api, connectClient, type TestClient, tempDir, typeInto, waitFor } from './helpers.ts'
import { freePort, type ServerProcess, spawnServer } from './process.ts'
import { TcpProxy } from './tcpProxy.ts'

const REDIS_PORT = Number(process.env.TEST_REDIS_PORT || 6379)

async function redisUnavailable(): Promise<string | null> {
  const redis = new Redis(REDIS_PORT, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    await redis.ping()
    return null
  } catch (error) {
    return `cannot reach Redis at 127.0.0.1:${REDIS_PORT}: ${(error as Error).message}`
  } finally {
    redis.disconnect()
  }
}

const unavailable = (await postgresUnavailable()) ?? (await redisUnavailable())
const ci = Boolean(process.env.CI) && !['0', 'false'].includes(process.env.CI as string)
if (unavailable && ci) throw new Error(`The several-instances tests cannot be skipped in CI: ${unavailable}`)
if (unavailable) console.warn(`Skipping the several-instances tests: ${unavailable}`)

const database = unavailable ? null : await createTestDatabase()
afterAll(async () => {
  if (database) await dropTestDatabase(database.name)
})

type Cluster = {
  servers: ServerProcess[]
  ports: number[]
  adminToken: string
  /** Round-robin load balancer in front of every instance. */
  balancer: TcpProxy
  redis: TcpProxy
  postgres: TcpProxy
  start(index: number): Promise<void>
}

const clients: TestClient[] = []
const running: Cluster[] = []
const proxies: TcpProxy[] = []

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  for (const cluster of running.splice(0)) {
    for (const server of cluster.servers) server.child.kill('SIGKILL')
    await Promise.all(cluster.servers.map((s) => s.exited))
  }
  for (const proxy of proxies.splice(0)) await proxy.close()
})

/** Three instances (or `count`) with Redis and PostgreSQL each behind a proxy of their own. */
async function startCluster(
  count = 3,
  env: Record<string, string> = {},
  { together = false, db = database as { url: string } } = {},
): Promise<Cluster> {
  const redis = await TcpProxy.start([REDIS_PORT])
  const pgUrl = new URL(db.url)
  const postgres = await TcpProxy.start([Number(pgUrl.port || 5432)])
  pgUrl.hostname = '127.0.0.1'
  pgUrl.port = String(postgres.port)
  proxies.push(redis, postgres)
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()))
  const adminToken = randomBytes(24).toString('base64url')
  const prefix = `plenary-test-${randomBytes(4).toString('hex')}`
  const cluster: Cluster = {
    servers: [],
    ports,
    adminToken,
    balancer: await TcpProxy.start(ports),
    redis,
    postgres,
    async start(index) {
      cluster.servers[index] = await spawnServer(tempDir(), ports[index], adminToken, {
        DATABASE_URL: pgUrl.toString(),
        REDIS_URL: `redis://127.0.0.1:${redis.port}`,
        PLENARY_REDIS_PREFIX: prefix,
        PLENARY_INSTANCE_ID: `instance-${index}`,
        ...env,
      })
    },
  }
  proxies.push(cluster.balancer)
  running.push(cluster)
  if (together) await Promise.all(ports.map((_, i) => cluster.start(i)))
  else for (let i = 0; i < count; i++) await cluster.start(i)
  return cluster
}

async function setUp(cluster: Cluster, writers = 3) {
  const url = cluster.servers[0].url
  const participants: { id: string; token: string; name: string }[] = []
  for (let i = 0; i < writers; i++) {
    const created = await api(url, 'POST', '/api/participants', cluster.adminToken, {
      name: `Writer ${i}`,
      organisation: `State ${i}`,
      organisationKind: 'state_party',
      role: 'facilitator',
    })
    expect(created.status).toBe(201)
    participants.push({ id: created.json.participant.id, token: created.json.token, name: `Writer ${i}` })
  }
  const paragraphs = Array.from({ length: writers }, (_, i) => ({
    type: 'paragraph',
    content: [{ type: 'text', text: `Paragraph ${i}.` }],
  }))
  const created = await api(url, 'POST', '/api/documents', cluster.adminToken, {
    title: 'Shared draft',
    penHolders: participants.map((p) => p.id),
    content: { type: 'doc', content: paragraphs },
  })
  expect(created.status).toBe(201)
  return { participants, documentId: created.json.document.id as string }
}

function connect(url: string, documentId: string, token: string): TestClient {
  const client = connectClient(url, documentId, token)
  clients.push(client)
  return client
}

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean))

async function blocksText(url: string, documentId: string, token: string): Promise<string> {
  const blocks = await api(url, 'GET', `/api/documents/${documentId}/blocks`, token)
  expect(blocks.status).toBe(200)
  return blocks.json.blocks.map((b: { text: string }) => b.text).join('\n')
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line ? Number(line.split(' ')[1]) : Number.NaN
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(Boolean(unavailable))('several instances on PostgreSQL and Redis', () => {
  it("clients spread over three instances converge, and see each other's carets and names", async () => {
    const cluster = await startCluster()
    const { participants, documentId } = await setUp(cluster)
    // Two clients on each instance; each writer types into its own paragraph and into the first.
    const all = cluster.servers
      .slice(0, 2)
      .flatMap((server, i) => [
        connect(server.url, documentId, participants[i].token),
        connect(server.url, documentId, participants[i].token),
      ])
    await waitFor(() => all.every((c) => c.provider.synced), 'first clients synced')
    // A caret already there when instance 2 loads the document: it learns of it when it does.
    all[0].provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 })
    await waitFor(() => all[2].provider.awareness.getStates().has(all[0].doc.clientID), 'caret on instance 1')
    all.push(
      connect(cluster.servers[2].url, documentId, participants[2].token),
      connect(cluster.servers[2].url, documentId, participants[2].token),
    )
    await waitFor(() => all.every((c) => c.provider.synced), 'all synced')
    await waitFor(() => {
      const state = all[4].provider.awareness.getStates().get(all[0].doc.clientID) as
        | { user?: { name?: string }; cursor?: unknown }
        | undefined
      return state?.user?.name === 'Writer 0' && state.cursor !== undefined
    }, 'a late instance learned of the caret already there')
    for (let round = 0; round < 15; round++) {
      all.forEach((client, i) => {
        typeInto(client.doc, round % 2 === 0 ? 0 : Math.floor(i / 2), ` r${round}c${i}`)
      })
      await sleep(20)
    }
    const expected = all.flatMap((_, i) => Array.from({ length: 15 }, (_, r) => `r${r}c${i}`))
    await waitFor(
      () => all.every((c) => expected.every((w) => words(c.text()).has(w))),
      'every client has every word',
      20_000,
    )
    await waitFor(() => all.every((c) => c.text() === all[0].text()), 'identical texts', 10_000)
    await waitFor(() => all.every((c) => c.allSaved()), 'everything acknowledged as saved')
    for (const server of cluster.servers) {
      expect(await blocksText(server.url, documentId, cluster.adminToken)).toBe(all[0].text())
    }
    // Each of the 90 edits was stored once, by the instance its writer is on: no instance
    // re-stored what it heard from another, nor its own echo.
    const stored = await Promise.all(cluster.servers.map((s) => metric(s.url, 'plenary_updates_total')))
    expect(stored.reduce((sum, n) => sum + n, 0)).toBe(90)
    expect(stored.every((n) => n === 30)).toBe(true)

    // A caret on instance 2 reaches a client on instance 0, with the name the server set.
    all[4].provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 3 })
    await waitFor(() => {
      const state = all[0].provider.awareness.getStates().get(all[4].doc.clientID) as
        | { user?: { name?: string }; cursor?: unknown }
        | undefined
      return state?.user?.name === 'Writer 2' && state.cursor !== undefined
    }, 'the caret crossed instances')
    // The client leaves: its caret disappears on the other instances too.
    const leaving = all[4].doc.clientID
    all[4].provider.disconnect()
    await waitFor(() => !all[0].provider.awareness.getStates().has(leaving), 'the caret left everywhere')
  })

  it('thread, revision and access changes reach sockets on other instances within a second', async () => {
    const cluster = await startCluster()
    const { participants, documentId } = await setUp(cluster)
    const [a, b, c] = cluster.servers
    const onB = connect(b.url, documentId, participants[1].token)
    const onC = connect(c.url, documentId, participants[2].token)
    await waitFor(() => onB.provider.synced && onC.provider.synced, 'synced')

    const started = Date.now()
    const thread = await api(a.url, 'POST', `/api/documents/${documentId}/threads`, participants[0].token, {
      kind: 'comment',
      body: 'Could the facilitator clarify paragraph 2?',
      anchor: null,
    })
    expect(thread.status).toBe(201)
    await waitFor(
      () => onB.events.some((e) => e.type === 'thread.changed' && e.threadId === thread.json.thread.id),
      'thread event on instance 1',
      1_000,
    )
    expect(Date.now() - started).toBeLessThan(1_000)

    const published = await api(
      a.url,
      'POST',
      `/api/documents/${documentId}/revisions`,
      participants[0].token,
      {
        label: 'Rev.1',
        note: 'After the first reading',
      },
    )
    expect(published.status).toBe(201)
    await waitFor(
      () => onC.events.some((e) => e.type === 'revision.published' && e.label === 'Rev.1'),
      'revision event on instance 2',
      1_000,
    )

    // Revoked on instance 0: the socket on instance 2 closes within a second.
    const revoked = await api(a.url, 'PATCH', `/api/participants/${participants[2].id}`, cluster.adminToken, {
      revoked: true,
    })
    expect(revoked.status).toBe(200)
    await waitFor(
      () => onC.closes.includes(CloseCode.forbidden),
      'revoked socket closed on instance 2',
      1_000,
    )
  })

  it('an instance killed with SIGKILL while its clients type: they reconnect to another and nothing anyone saw is lost', async () => {
    const cluster = await startCluster()
    const { participants, documentId } = await setUp(cluster)
    // Through the load balancer: round robin puts one writer on each instance.
    const writers = participants.map((p) => connect(cluster.balancer.url, documentId, p.token))
    await waitFor(() => writers.every((w) => w.provider.synced), 'writers synced')
    // A watcher straight on instance 2, which survives.
    const watcher = connect(cluster.servers[2].url, documentId, cluster.adminToken)
    await waitFor(() => watcher.provider.synced, 'watcher synced')

    let typing = true
    let n = 0
    const typed: string[] = []
    const loop = (async () => {
      while (typing) {
        writers.forEach((w, i) => {
          const word = `k${n}w${i}`
          typed.push(word)
          typeInto(w.doc, i, ` ${word}`)
        })
        n += 1
        await sleep(15)
      }
    })()
    await waitFor(() => words(watcher.text()).has('k10w0'), 'typing under way')
    cluster.servers[0].child.kill('SIGKILL')
    await cluster.servers[0].exited
    const seenAtKill = watcher.text()
    await sleep(500)
    typing = false
    await loop

    await waitFor(
      () => [...writers, watcher].every((c) => typed.every((w) => words(c.text()).has(w))),
      'every typed word everywhere',
      20_000,
    )
    for (const word of words(seenAtKill)) expect(words(watcher.text()).has(word)).toBe(true)
    await waitFor(() => writers.every((w) => w.allSaved()), 'every writer acknowledged as saved', 10_000)
    const stored = await blocksText(cluster.servers[1].url, documentId, cluster.adminToken)
    for (const word of typed) expect(words(stored).has(word), word).toBe(true)
    // The writer that was on the killed instance did lose its socket, and came back elsewhere.
    expect(writers.some((w) => w.closes.length > 0)).toBe(true)
  })

  it('Redis unreachable in the middle of editing: each instance keeps its clients, says so, and all converge when it returns', async () => {
    const cluster = await startCluster(2)
    const { participants, documentId } = await setUp(cluster, 3)
    const [a, b] = cluster.servers
    const onA = connect(a.url, documentId, participants[0].token)
    const onB = connect(b.url, documentId, participants[1].token)
    const leaving = connect(b.url, documentId, participants[2].token)
    await waitFor(() => onA.provider.synced && onB.provider.synced && leaving.provider.synced, 'synced')
    typeInto(onA.doc, 0, ' before')
    await waitFor(() => words(onB.text()).has('before'), 'fan-out works')

    cluster.redis.cut()
    await waitFor(async () => (await metric(a.url, 'plenary_fanout_up')) === 0, 'instance 0 noticed')
    const ready = await api(a.url, 'GET', '/readyz')
    expect(ready.status).toBe(200)
    expect(ready.json).toMatchObject({ status: 'degraded', storage: 'ok', fanout: 'unreachable' })

    for (let i = 0; i < 10; i++) {
      typeInto(onB.doc, 1, ` b${i}`)
      await sleep(20)
    }
    // Each instance still saves its own clients' edits; the other does not hear of them.
    await waitFor(() => onB.allSaved(), 'saved during the outage')
    await sleep(500)
    expect(words(onA.text()).has('b9')).toBe(false)
    // An instance whose own clients write meanwhile sees gaps in the shared sequence numbers and
    // catches up from the database even before Redis returns; the idle one waits for Redis.
    for (let i = 0; i < 10; i++) {
      typeInto(onA.doc, 0, ` a${i}`)
      await sleep(20)
    }
    await waitFor(() => onA.allSaved(), 'saved during the outage')
    // Revoked on instance 0 while Redis is away: instance 1 cannot hear of it yet.
    const revoked = await api(a.url, 'PATCH', `/api/participants/${participants[2].id}`, cluster.adminToken, {
      revoked: true,
    })
    expect(revoked.status).toBe(200)
    await waitFor(() => words(onA.text()).has('b9'), 'instance 0 caught up through the gap')
    expect(await metric(a.url, 'plenary_fanout_gaps_total')).toBeGreaterThan(0)
    await sleep(300)
    expect(words(onB.text()).has('a9')).toBe(false)

    cluster.redis.restore()
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `a${i}`),
      ...Array.from({ length: 10 }, (_, i) => `b${i}`),
    ]
    await waitFor(
      () => [onA, onB].every((c) => expected.every((w) => words(c.text()).has(w))),
      'converged after Redis returned',
      15_000,
    )
    expect(onA.text()).toBe(onB.text())
    // No reload: the sockets stayed open throughout.
    expect([...onA.closes, ...onB.closes]).toEqual([])
    // And the revocation made during the outage reached the socket on instance 1.
    await waitFor(
      () => leaving.closes.includes(CloseCode.forbidden),
      'revoked socket closed after Redis returned',
    )
    // Each instance reconnects to Redis on its own schedule: the other may have been first.
    await waitFor(
      async () => (await api(a.url, 'GET', '/readyz')).json.status === 'ready',
      'instance 0 ready again',
      5_000,
    )
    expect(await metric(b.url, 'plenary_fanout_catchups_total')).toBeGreaterThan(0)
  })

  it('PostgreSQL unreachable: nothing is acknowledged as saved, clients keep their edits, and nothing is lost when it returns', async () => {
    const cluster = await startCluster(2)
    const { participants, documentId } = await setUp(cluster, 2)
    const [a, b] = cluster.servers
    const onA = connect(a.url, documentId, participants[0].token)
    const onB = connect(b.url, documentId, participants[1].token)
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'synced')

    cluster.postgres.cut()
    for (let i = 0; i < 8; i++) {
      typeInto(onA.doc, 0, ` pa${i}`)
      typeInto(onB.doc, 1, ` pb${i}`)
      await sleep(25)
    }
    await sleep(1_000)
    expect(onA.allSaved()).toBe(false)
    expect(onB.allSaved()).toBe(false)
    expect((await api(a.url, 'GET', '/readyz')).status).toBe(503)

    cluster.postgres.restore()
    const expected = [
      ...Array.from({ length: 8 }, (_, i) => `pa${i}`),
      ...Array.from({ length: 8 }, (_, i) => `pb${i}`),
    ]
    await waitFor(
      () => [onA, onB].every((c) => expected.every((w) => words(c.text()).has(w))),
      'converged after PostgreSQL returned',
      20_000,
    )
    await waitFor(() => onA.allSaved() && onB.allSaved(), 'saved after PostgreSQL returned', 15_000)
    const stored = await blocksText(b.url, documentId, cluster.adminToken)
    for (const word of expected) expect(words(stored).has(word), word).toBe(true)
  })

  it('three instances started at once on an empty database migrate it once and load the demo once', async () => {
    const empty = await createTestDatabase()
    try {
      const cluster = await startCluster(3, { PLENARY_DEMO: '1' }, { together: true, db: empty })
      for (const server of cluster.servers) {
        expect((await api(server.url, 'GET', '/readyz')).json.status).toBe('ready')
      }
      // The demo is loaded just after the server starts listening.
      const list = async () =>
        (await api(cluster.servers[2].url, 'GET', '/api/documents', cluster.adminToken)).json.documents
      await waitFor(async () => (await list()).length > 0, 'the demo loaded', 20_000)
      await waitFor(
        () => cluster.servers.every((s) => /Plenary is serving/.test(s.output())),
        'every instance done starting',
        20_000,
      )
      expect(await list()).toHaveLength(1)
      for (const server of cluster.servers) expect(server.child.exitCode).toBeNull()
      for (const server of cluster.servers) server.child.kill('SIGKILL')
      await Promise.all(cluster.servers.map((s) => s.exited))
    } finally {
      await dropTestDatabase(empty.name)
    }
  })

  it('checkpoints and compactions are taken once per document, not once per instance', async () => {
    const cluster = await startCluster(3, {
      PLENARY_COMPACT_AFTER_UPDATES: '20',
      PLENARY_CHECKPOINT_MINUTES: '0.01',
    })
    const { participants, documentId } = await setUp(cluster)
    const writers = cluster.servers.map((s, i) => connect(s.url, documentId, participants[i].token))
    await waitFor(() => writers.every((w) => w.provider.synced), 'synced')
    const started = Date.now()
    for (let round = 0; round < 40; round++) {
      writers.forEach((w, i) => {
        typeInto(w.doc, i, ` t${round}`)
      })
      await sleep(50)
    }
    await waitFor(() => writers.every((w) => w.allSaved()), 'saved')
    const seconds = (Date.now() - started) / 1000

    const compactions = (
      await Promise.all(cluster.servers.map((s) => metric(s.url, 'plenary_compactions_total')))
    ).reduce((sum, n) => sum + n, 0)
    // 120 updates seen by three instances: alone, each would fold its log six times (18 in all).
    // Claimed, at most one compaction per second of editing happens, by whichever instance claims it.
    expect(compactions).toBeGreaterThanOrEqual(1)
    expect(compactions).toBeLessThanOrEqual(Math.ceil(seconds) + 1)

    const history = await api(
      cluster.servers[0].url,
      'GET',
      `/api/documents/${documentId}/revisions?checkpoints=1`,
      cluster.adminToken,
    )
    const times = history.json.revisions
      .filter((r: { kind: string }) => r.kind === 'checkpoint')
      .map((r: { createdAt: string }) => Date.parse(r.createdAt))
    expect(times.length).toBeGreaterThanOrEqual(1)
    // Never two checkpoints within the interval (0.6 s, claimed with 10 % slack).
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(500)
    for (const w of writers) expect(w.text()).toBe(writers[0].text())
  })
})
