/**
 * A store whose appends fail (a disk gone bad, a database down): nothing is acknowledged as saved
 * nor relayed, the sockets close with 1013 ("try again later"), the clients keep their edits and
 * resend them once the store works again; and no room, socket or timer is left behind.
 */
import { createHook } from 'node:async_hooks'
import { CloseCode, YDOC_FIELD } from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { loadYDoc } from '../src/storage/loadDoc.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'
import type { Store } from '../src/storage/Store.ts'
import {
  connectClient,
  createDocument,
  createParticipant,
  type TestClient,
  tempDir,
  textOf,
  typeInto,
  waitFor,
} from './helpers.ts'

const log = pino({ level: 'silent' })
const clients: TestClient[] = []
let app: FastifyInstance | null = null
let real: SqliteStore | null = null

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  await app?.close()
  await real?.close()
  app = null
  real = null
})

/** A server on a fresh SQLite store whose appends `control` can slow down or make fail. */
async function serverOnFailingStore() {
  const config = loadConfig({ DATA_DIR: tempDir(), PORT: '0', LOG_LEVEL: 'silent', PLENARY_DEMO: '0' })
  const sqlite = new SqliteStore(config.sqlitePath)
  real = sqlite
  await sqlite.migrate()
  const { store, control } = failingAppends(sqlite)
  const server = await buildApp({ config, store, logger: false })
  app = server
  const url = await server.listen({ port: 0, host: '127.0.0.1' })
  // Returned as well as kept for afterEach: the tests use them without null checks.
  return { url, control, real: sqlite, server }
}

/** The store, with appends that throw while `failing` is set, and wait `delayMs` first. */
function failingAppends(store: SqliteStore) {
  const control = { failing: false, refused: 0, delayMs: 0 }
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === 'appendUpdates') {
        return async (...args: Parameters<Store['appendUpdates']>) => {
          if (control.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, control.delayMs))
          if (control.failing) {
            control.refused += 1
            throw new Error('injected failure: the disk is full')
          }
          return target.appendUpdates(...args)
        }
      }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { store: proxy as Store, control }
}

/** Open handles and requests of this process, by kind (timers included). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1)
  return counts
}

function exceeding(now: Map<string, number>, baseline: Map<string, number>): string[] {
  return [...now]
    .filter(([kind, count]) => count > (baseline.get(kind) ?? 0))
    .map(([kind, count]) => `${kind}: ${count} (baseline ${baseline.get(kind) ?? 0})`)
}

/**
 * Timers created from now on and still pending (unreferenced ones included, which
 * `getActiveResourcesInfo` does not list), with where each was set.
 */
function trackTimers() {
  const live = new Map<number, string>()
  const hook = createHook({
    init(asyncId, type) {
      if (type !== 'Timeout') return
      const stack = new Error().stack?.split('\n').slice(4, 14).join(' | ') ?? ''
      // The test's own polling is not the server's.
      if (!stack.includes('at waitFor ')) live.set(asyncId, stack)
    },
    destroy(asyncId) {
      live.delete(asyncId)
    },
  })
  hook.enable()
  return { live, stop: () => hook.disable() }
}

describe('a slow store', () => {
  it('says a deletion is saved only once it is stored, though a saved for an earlier commit comes first', async () => {
    const { url, control, real } = await serverOnFailingStore()
    const writer = await createParticipant(real, 'facilitator')
    const documentId = await createDocument(real, [writer.id])
    const typist = connectClient(url, documentId, writer.token)
    clients.push(typist)
    await waitFor(() => typist.provider.synced && typist.allStored(), 'synced')

    // Each commit now takes 300 ms. The typist types, then deletes words while that commit runs:
    // the commit's saved message reaches the typist while the deletion waits for the next one.
    control.delayMs = 300
    typeInto(typist.doc, 1, ' Typed.')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const paragraph = typist.doc.getXmlFragment(YDOC_FIELD).get(1) as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).delete(0, 'First paragraph.'.length)
    const storedText = async () => {
      const doc = await loadYDoc(real, documentId, log)
      const text = textOf(doc)
      doc.destroy()
      return text
    }
    // Whenever the typist is told everything is stored, the store has the deletion.
    const claims: string[] = []
    const started = Date.now()
    while (Date.now() - started < 3_000) {
      if (typist.allStored()) claims.push((await storedText()).split('\n')[1])
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(claims.length).toBeGreaterThan(0)
    for (const text of claims) expect(text).toBe(' Typed.')
    expect(typist.closes).toEqual([])
  })
})

describe('a failing store', () => {
  it('acknowledges nothing, closes with 1013, keeps the edits, stores them once it works again, and leaks nothing', async () => {
    const { url, control, real, server } = await serverOnFailingStore()
    const metric = async (name: string) => {
      const response = await server.inject({ method: 'GET', url: '/metrics' })
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(response.body)?.[1])
    }
    const baseline = resources()
    const timers = trackTimers()

    const writer = await createParticipant(real, 'facilitator')
    const reader = await createParticipant(real, 'delegate')
    const documentId = await createDocument(real, [writer.id])
    const typist = connectClient(url, documentId, writer.token)
    const watcher = connectClient(url, documentId, reader.token)
    clients.push(typist, watcher)
    await waitFor(() => typist.provider.synced && watcher.provider.synced, 'synced')
    typeInto(typist.doc, 1, ' Saved before.')
    await waitFor(() => typist.allSaved() && watcher.text().includes('Saved before.'), 'saved and relayed')

    // The disk fails: edits are refused, never acknowledged, never relayed.
    control.failing = true
    // A deletion while the disk fails is not acknowledged either (it adds nothing to the state
    // vector: only the count of stored messages can tell), and it is stored once the disk is back.
    const deleting = typist.doc.getXmlFragment(YDOC_FIELD).get(1) as Y.XmlElement
    const words = deleting.get(0) as Y.XmlText
    words.delete(0, 'First paragraph.'.length)
    let deletionAcknowledged = false
    const deletingUntil = Date.now() + 2_500
    while (Date.now() < deletingUntil) {
      if (typist.allStored()) deletionAcknowledged = true
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(deletionAcknowledged).toBe(false)

    typeInto(typist.doc, 1, ' Typed while the disk fails.')
    const failingUntil = Date.now() + 2_500
    let acknowledged = false
    while (Date.now() < failingUntil) {
      if (typist.allSaved()) acknowledged = true
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(acknowledged).toBe(false)
    expect(control.refused).toBeGreaterThan(0)
    expect(typist.closes).toContain(CloseCode.tryAgainLater)
    // The reader saw the room close too, and never the refused text.
    expect(watcher.closes).toContain(CloseCode.tryAgainLater)
    expect(watcher.text()).not.toContain('Typed while')
    // The client keeps its edit; the store does not have it.
    expect(typist.text()).toContain('Saved before. Typed while the disk fails.')
    const during = await loadYDoc(real, documentId, log)
    expect(textOf(during)).not.toContain('Typed while')
    during.destroy()
    // Reconnects during the outage reload the room; they do not pile rooms up.
    expect(await metric('plenary_rooms')).toBeLessThanOrEqual(1)

    // The disk is back: the client's own reconnect resends the edit, which is stored and relayed.
    control.failing = false
    await waitFor(
      () =>
        typist.provider.synced &&
        typist.allStored() &&
        watcher.text().includes('Typed while the disk fails.'),
      'stored and relayed once the store works',
      20_000,
    ).catch(async (error: Error) => {
      // What each side was doing, to tell a client that gave up from a room that did not recover.
      const state = (c: typeof typist) =>
        `connected ${c.provider.wsconnected}, synced ${c.provider.synced}, closes [${c.closes.join(' ')}], ` +
        `saved ${c.allSaved()}, stored ${c.allStored()} (${c.storedUpdates}/${c.sentUpdates})`
      throw new Error(
        `${error.message}\ntypist: ${state(typist)}\nwatcher: ${state(watcher)}, text ${JSON.stringify(watcher.text())}` +
          `\nrooms ${await metric('plenary_rooms')}, refused ${control.refused}`,
      )
    })
    const after = await loadYDoc(real, documentId, log)
    expect(textOf(after)).toContain(' Saved before. Typed while the disk fails.')
    expect(textOf(after)).not.toContain('First paragraph.')
    expect(textOf(after)).toBe(typist.text())
    after.destroy()

    // Everyone leaves: the room unloads after its grace period, and nothing is left running.
    for (const client of clients.splice(0)) client.destroy()
    await waitFor(async () => (await metric('plenary_rooms')) === 0, 'no room loaded', 15_000)
    expect(await metric('plenary_connections')).toBe(0)
    await waitFor(
      () => exceeding(resources(), baseline).length === 0,
      'handles back to the baseline',
      15_000,
    ).catch(() => {
      throw new Error(`handles left: ${exceeding(resources(), baseline).join(', ')}`)
    })
    // Every timer set meanwhile, by the server or the clients, has fired or been cleared.
    await waitFor(() => timers.live.size === 0, 'no timer left', 15_000).catch(() => {
      throw new Error(`timers left:\n${[...timers.live.values()].join('\n')}`)
    })
    timers.stop()
  })
})

describe('a room whose commit failed', () => {
  it('sends a socket that reaches it before it is dropped back to reconnect, and stores its edit in the room loaded afresh', async () => {
    const { url, control, real } = await serverOnFailingStore()
    const writer = await createParticipant(real, 'facilitator')
    const documentId = await createDocument(real, [writer.id])
    const first = connectClient(url, documentId, writer.token)
    clients.push(first)
    await waitFor(() => first.provider.synced, 'first synced')
    // The first socket stops reading, so it never answers the room's close frame: the broken room
    // keeps it, and stays loaded, until the close handshake times out (a second).
    ;(first.provider.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    control.failing = true
    typeInto(first.doc, 1, ' Refused.')
    await waitFor(() => control.refused > 0, 'the commit refused')
    control.failing = false

    const second = connectClient(url, documentId, writer.token)
    clients.push(second)
    await waitFor(() => second.closes.length > 0 || second.provider.synced, 'the second socket answered')
    await waitFor(() => second.provider.synced, 'second synced', 20_000)
    typeInto(second.doc, 1, ' From the second socket.')
    await waitFor(() => second.allStored(), 'the second socket’s edit stored', 20_000).catch(
      (error: Error) => {
        throw new Error(
          `${error.message}; closes [${second.closes.join(' ')}], stored ${second.storedUpdates}/${second.sentUpdates}`,
        )
      },
    )
    expect(second.closes).toContain(CloseCode.tryAgainLater)
    const stored = await loadYDoc(real, documentId, log)
    expect(textOf(stored)).toContain('From the second socket.')
    expect(textOf(stored)).not.toContain('Refused.')
    stored.destroy()
  })
})
