/**
 * Access: every role (plus the pen holder, signed out and revoked) against every HTTP route the
 * server registers and every websocket message type, with the expected answer of each cell
 * written out. A route registered without a row here fails the test.
 */

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CloseCode, MessageType } from '@plenary/shared'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { hashSecret } from '../src/auth/tokens.ts'
import { type AwarenessEntry, encodeAwarenessUpdate } from '../src/collab/awareness.ts'
import {
  api,
  connectClient,
  createDocument,
  createParticipant,
  sampleContent,
  startServer,
  type TestClient,
  type TestParticipant,
  type TestServer,
  tempDir,
  typeInto,
  waitFor,
} from './helpers.ts'
import { freePort, spawnServer } from './process.ts'

const Subjects = [
  'secretariat',
  'penHolder',
  'facilitator',
  'delegate',
  'reader',
  'signedOut',
  'revoked',
] as const
type Subject = (typeof Subjects)[number]

let server: TestServer
const people = {} as Record<Exclude<Subject, 'signedOut'>, TestParticipant>
const tokenOf = (subject: Subject) => (subject === 'signedOut' ? undefined : people[subject].token)

beforeAll(async () => {
  // No client build: only the server's own routes.
  server = await startServer({ PLENARY_CLIENT_DIST: tempDir('plenary-no-client-') })
  people.secretariat = await createParticipant(server.store, 'secretariat', 'Secretariat')
  people.penHolder = await createParticipant(server.store, 'facilitator', 'Pen holder')
  people.facilitator = await createParticipant(server.store, 'facilitator', 'Other facilitator')
  people.delegate = await createParticipant(server.store, 'delegate', 'Delegate')
  people.reader = await createParticipant(server.store, 'reader', 'Reader')
  people.revoked = await createParticipant(server.store, 'delegate', 'Revoked')
  await server.store.updateParticipant(people.revoked.id, { revoked: true })
})

afterAll(async () => {
  await new Promise((resolve) => setTimeout(resolve, 300))
  await server?.close()
})

type Fixture = {
  doc: string
  thread: string
  message: string
  revision: string
  communication: string
  participant: string
}

/** A document with the pen holder's pen, a proposal by the delegate, a revision, a communication. */
async function fixture(): Promise<Fixture> {
  const sec = people.secretariat.token
  const doc = await createDocument(server.store, [people.penHolder.id])
  const thread = await api(server.url, 'POST', `/api/documents/${doc}/threads`, people.delegate.token, {
    kind: 'proposal',
    body: 'Please change this.',
    anchor: { blockId: 'p-one', quote: 'First' },
    proposal: { action: 'replace', text: 'Initial' },
  })
  expect(thread.status, JSON.stringify(thread.json)).toBe(201)
  const revision = await api(server.url, 'POST', `/api/documents/${doc}/revisions`, sec, {})
  expect(revision.status).toBe(201)
  const communication = await api(server.url, 'POST', '/api/communications', sec, {
    organisation: 'Delegate org',
    sentAt: '2025-01-01',
    receivedAt: '2025-01-02',
    channel: 'email',
    text: 'Our comments.',
    documentId: doc,
  })
  expect(communication.status).toBe(201)
  const spare = await createParticipant(server.store, 'delegate', 'Spare')
  return {
    doc,
    thread: thread.json.thread.id,
    message: thread.json.thread.messages[0].id,
    revision: revision.json.revision.id,
    communication: communication.json.communication.id,
    participant: spare.id,
  }
}

type Row = {
  /** Expected status for secretariat, pen holder, facilitator, delegate, reader, signed out, revoked. */
  expect: [number, number, number, number, number, number, number]
  body?: (f: Fixture) => unknown
  /** The path with its parameters filled in, when they are not the fixture's obvious ones. */
  path?: (f: Fixture, subject: Subject) => string
}

const all = (status: number): Row['expect'] => [status, status, status, status, status, status, status]
const signedIn = (status: number): Row['expect'] => [status, status, status, status, status, 401, 401]

/** Every route, every subject. 401 signed out or revoked, 403 signed in but not allowed. */
const matrix: Record<string, Row> = {
  'GET /healthz': { expect: all(200) },
  'GET /readyz': { expect: all(200) },
  'GET /metrics': { expect: all(200) },
  'GET /join/:token': {
    expect: [303, 303, 303, 303, 303, 401, 401],
    path: (_f, s) => `/join/${tokenOf(s) ?? 'A'.repeat(43)}`,
  },
  'POST /api/logout': { expect: all(204) },
  'GET /api/me': { expect: signedIn(200) },
  'GET /api/me/mentions': { expect: signedIn(200) },
  'PATCH /api/messages/:id': {
    // Nobody edits another's messages: only the delegate wrote this one.
    expect: [403, 403, 403, 200, 403, 401, 401],
    body: () => ({ body: 'Edited.' }),
  },
  'POST /api/messages/:id/withdraw': { expect: [403, 403, 403, 200, 403, 401, 401] },
  'GET /api/participants': { expect: [200, 200, 200, 403, 403, 401, 401] },
  'POST /api/participants': {
    expect: [201, 403, 403, 403, 403, 401, 401],
    body: () => ({ name: 'New', organisation: 'New org', organisationKind: 'state_party', role: 'delegate' }),
  },
  'PATCH /api/participants/:id': {
    expect: [200, 403, 403, 403, 403, 401, 401],
    body: () => ({ role: 'reader' }),
    path: (f) => `/api/participants/${f.participant}`,
  },
  'GET /api/documents': { expect: signedIn(200) },
  'POST /api/documents': {
    expect: [201, 403, 403, 403, 403, 401, 401],
    body: () => ({ title: 'New draft' }),
  },
  'POST /api/documents/import': {
    // The secretariat passes the role check and is told to send a DOCX.
    expect: [415, 403, 403, 403, 403, 401, 401],
    body: () => ({}),
  },
  'GET /api/documents/:id': { expect: signedIn(200) },
  'PATCH /api/documents/:id': {
    expect: [200, 200, 403, 403, 403, 401, 401],
    body: () => ({ commentDeadline: '2030-01-01T00:00:00.000Z' }),
  },
  'GET /api/documents/:id/content': { expect: signedIn(200) },
  'GET /api/documents/:id/compare': { expect: signedIn(200) },
  'GET /api/documents/:id/compilation.docx': { expect: signedIn(200) },
  'GET /api/documents/:id/compilation.csv': { expect: signedIn(200) },
  'GET /api/documents/:id/blocks': { expect: signedIn(200) },
  'GET /api/documents/:id/threads': { expect: signedIn(200) },
  'POST /api/documents/:id/threads': {
    expect: [201, 201, 201, 201, 403, 401, 401],
    body: () => ({ kind: 'comment', body: 'A comment.', anchor: null }),
  },
  'GET /api/documents/:id/revisions': { expect: signedIn(200) },
  'POST /api/documents/:id/revisions': { expect: [201, 201, 403, 403, 403, 401, 401], body: () => ({}) },
  'GET /api/documents/:id/revisions/:rev/content': { expect: signedIn(200) },
  'POST /api/documents/:id/revisions/:rev/restore': { expect: [200, 200, 403, 403, 403, 401, 401] },
  'GET /api/documents/:id/export.docx': { expect: signedIn(200) },
  'GET /api/documents/:id/export.html': { expect: signedIn(200) },
  'GET /api/documents/:id/export.md': { expect: signedIn(200) },
  'GET /api/threads/:id': { expect: signedIn(200) },
  'PATCH /api/threads/:id': {
    // Dispose: the secretariat and the document's facilitator only.
    expect: [200, 200, 403, 403, 403, 401, 401],
    body: () => ({ disposition: { outcome: 'incorporated', response: '' } }),
  },
  'POST /api/threads/:id/messages': {
    expect: [201, 201, 201, 201, 403, 401, 401],
    body: () => ({ body: 'A reply.' }),
  },
  'POST /api/threads/:id/apply': { expect: [200, 200, 403, 403, 403, 401, 401] },
  'GET /api/threads/:id/audit': { expect: [200, 200, 200, 403, 403, 401, 401] },
  'GET /api/communications': { expect: [200, 403, 403, 403, 403, 401, 401] },
  'POST /api/communications': {
    expect: [201, 403, 403, 403, 403, 401, 401],
    body: (f) => ({
      organisation: 'Delegate org',
      sentAt: '2025-01-01',
      receivedAt: '2025-01-02',
      channel: 'letter',
      text: 'More.',
      documentId: f.doc,
    }),
  },
  'POST /api/communications/:id/acknowledge': { expect: [200, 403, 403, 403, 403, 401, 401] },
  // A plain GET (no upgrade) of the websocket route: refused by its checks, or not a websocket.
  'GET /collab/:documentId': { expect: [426, 426, 426, 426, 426, 401, 401] },
}

/** The routes the server registers (HEAD aside), read from Fastify's route tree. */
function registeredRoutes(): string[] {
  const tree = server.app.printRoutes({ commonPrefix: false })
  const stack: string[] = []
  const routes: string[] = []
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?) \(([A-Z, ]+)\)$/.exec(line)
    if (!match) continue
    const depth = match[1].length / 4
    stack.length = depth
    const path = (stack[depth - 1] ?? '') + match[2]
    stack[depth] = path
    for (const method of match[3].split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`)
  }
  return routes.sort()
}

function fillPath(route: string, f: Fixture): string {
  const [, path] = route.split(' ')
  const idFor = path.startsWith('/api/threads')
    ? f.thread
    : path.startsWith('/api/messages')
      ? f.message
      : path.startsWith('/api/communications')
        ? f.communication
        : path.startsWith('/api/participants')
          ? f.participant
          : f.doc
  return path.replace(':documentId', f.doc).replace(':id', idFor).replace(':rev', f.revision)
}

describe('access matrix', () => {
  it('has a row for every route the server registers', () => {
    const routes = registeredRoutes()
    expect(routes.length).toBeGreaterThan(30)
    expect(routes).toEqual(Object.keys(matrix).sort())
  })

  it('answers every role on every route as written', async () => {
    const shared = await fixture()
    const mismatches: string[] = []
    for (const [route, row] of Object.entries(matrix)) {
      const [method] = route.split(' ')
      for (const [i, subject] of Subjects.entries()) {
        // What changes something gets a fixture of its own, so that cells do not depend on each other.
        const f = method === 'GET' ? shared : await fixture()
        const path = row.path ? row.path(f, subject) : fillPath(route, f)
        const response = await api(server.url, method, path, tokenOf(subject), row.body?.(f))
        if (response.status !== row.expect[i]) {
          mismatches.push(
            `${route} as ${subject}: ${response.status} (expected ${row.expect[i]}) ${JSON.stringify(response.json).slice(0, 160)}`,
          )
        }
        if (response.status >= 400 && !route.startsWith('GET /join')) {
          expect(response.json?.error?.code, `${route} as ${subject}`).toBeTypeOf('string')
        }
      }
    }
    expect(mismatches, mismatches.join('\n')).toEqual([])
  }, 120_000)
})

// ---------------------------------------------------------------------------------------------
// Websocket.

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.sync)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.awareness)
  encoding.writeVarUint8Array(e, encodeAwarenessUpdate(entries as AwarenessEntry[]))
  return encoding.toUint8Array(e)
}

function newText(): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('intrusion').insert(0, 'written')
  return Y.encodeStateAsUpdate(doc)
}

const wsMessages: Record<string, () => Uint8Array> = {
  'sync step 1': () => syncFrame(0, Uint8Array.of(0)),
  'sync step 2 (a write)': () => syncFrame(1, newText()),
  'sync update (a write)': () => syncFrame(2, newText()),
  'sync update (nothing new)': () => syncFrame(2, Uint8Array.of(0, 0)),
  awareness: () => awarenessFrame([{ clientId: 4242, clock: 1, state: { cursor: null } }]),
  'query awareness': () => Uint8Array.of(MessageType.queryAwareness),
  'auth (server to client only)': () => Uint8Array.of(MessageType.auth, 0),
  'saved (server to client only)': () => Uint8Array.of(MessageType.saved, 0),
  'event (server to client only)': () => Uint8Array.of(MessageType.event, 0),
}

type WsExpect = 'open' | number
const F = CloseCode.forbidden
const M = CloseCode.malformed
/** Columns: secretariat, pen holder, facilitator, delegate, reader. Signed out and revoked: 401. */
const wsMatrix: Record<string, WsExpect[]> = {
  'sync step 1': ['open', 'open', 'open', 'open', 'open'],
  'sync step 2 (a write)': ['open', 'open', F, F, F],
  'sync update (a write)': ['open', 'open', F, F, F],
  'sync update (nothing new)': ['open', 'open', 'open', 'open', 'open'],
  awareness: ['open', 'open', 'open', 'open', 'open'],
  'query awareness': ['open', 'open', 'open', 'open', 'open'],
  'auth (server to client only)': [M, M, M, M, M],
  'saved (server to client only)': [M, M, M, M, M],
  'event (server to client only)': [M, M, M, M, M],
}

function open(doc: string, token: string | undefined, headers: Record<string, string> = {}) {
  const url = `${server.url.replace(/^http/, 'ws')}/collab/${doc}${token ? `?token=${token}` : ''}`
  const ws = new WebSocket(url, { headers })
  const messages: Uint8Array[] = []
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)))
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  const opened = new Promise<number>((resolve) => {
    ws.on('open', () => resolve(101))
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => resolve(0))
  })
  return { ws, messages, closed, opened }
}

describe('websocket access', () => {
  it('answers every role on every message type as written, and stores no refused write', async () => {
    const f = await fixture()
    const before = Y.encodeStateAsUpdate(await server.app.services.rooms.readDoc(f.doc)).length
    const mismatches: string[] = []
    for (const subject of ['signedOut', 'revoked'] as const) {
      const { opened } = open(f.doc, tokenOf(subject))
      const status = await opened
      if (status !== 401) mismatches.push(`upgrade as ${subject}: ${status} (expected 401)`)
    }
    let writesAccepted = 0
    for (const [name, make] of Object.entries(wsMessages)) {
      for (const [i, subject] of Subjects.slice(0, 5).entries()) {
        const expected = wsMatrix[name][i]
        const socket = open(f.doc, tokenOf(subject))
        expect(await socket.opened).toBe(101)
        await waitFor(() => socket.messages.length >= 2, 'greeting')
        socket.ws.send(make())
        if (expected === 'open') {
          // Still open and answering.
          const count = socket.messages.length
          socket.ws.send(Uint8Array.of(MessageType.queryAwareness))
          const code = await Promise.race([
            socket.closed,
            waitFor(() => socket.messages.length > count, 'an answer', 3000).then(() => 'open' as const),
          ])
          if (code !== 'open') mismatches.push(`${name} as ${subject}: closed ${code} (expected open)`)
          if (name.includes('(a write)')) writesAccepted += 1
          socket.ws.close()
        } else {
          const code = await Promise.race([
            socket.closed,
            new Promise((r) => setTimeout(() => r('open'), 3000)),
          ])
          if (code !== expected) mismatches.push(`${name} as ${subject}: ${code} (expected ${expected})`)
          socket.ws.terminate()
        }
      }
    }
    expect(mismatches, mismatches.join('\n')).toEqual([])
    // Only the secretariat's and the pen holder's writes were stored (each of a new client).
    const stored = await server.store.loadDocument(f.doc)
    const writers = new Set(stored.updates.map((u) => u.participantId))
    expect([...writers].sort()).toEqual([people.penHolder.id, people.secretariat.id].sort())
    expect(stored.updates.length).toBe(writesAccepted)
    expect(Y.encodeStateAsUpdate(await server.app.services.rooms.readDoc(f.doc)).length).toBeGreaterThan(
      before,
    )
  }, 120_000)

  it('closes a delegate or reader socket that writes, relays and stores nothing', async () => {
    const f = await fixture()
    const watcher = connectClient(server.url, f.doc, people.secretariat.token)
    const clients: TestClient[] = [watcher]
    try {
      await waitFor(() => watcher.provider.synced, 'watcher synced')
      const text = () => JSON.stringify(watcher.doc.getXmlFragment('prosemirror').toJSON())
      const seen = text()
      for (const subject of ['delegate', 'reader', 'facilitator'] as const) {
        const client = connectClient(server.url, f.doc, people[subject].token)
        clients.push(client)
        await waitFor(() => client.provider.synced, `${subject} synced`)
        typeInto(client.doc, 1, ` ${subject} wrote this`)
        await waitFor(() => client.closes.includes(CloseCode.forbidden), `${subject} closed with 4403`)
      }
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(text()).toBe(seen)
      expect((await server.store.loadDocument(f.doc)).updates).toEqual([])
    } finally {
      for (const c of clients) c.destroy()
    }
  })

  it('a revoked participant loses access within a second, open sockets included', async () => {
    const f = await fixture()
    const victim = await createParticipant(server.store, 'delegate', 'To be revoked')
    const socket = open(f.doc, victim.token)
    expect(await socket.opened).toBe(101)
    const started = Date.now()
    const patch = await api(server.url, 'PATCH', `/api/participants/${victim.id}`, people.secretariat.token, {
      revoked: true,
    })
    expect(patch.status).toBe(200)
    const code = await Promise.race([socket.closed, new Promise((r) => setTimeout(() => r('open'), 1000))])
    expect(code).toBe(CloseCode.forbidden)
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await api(server.url, 'GET', '/api/me', victim.token)).status).toBe(401)
    expect(await open(f.doc, victim.token).opened).toBe(401)
  })

  it('a demoted pen holder loses the pen within a second, open sockets included', async () => {
    const pen = await createParticipant(server.store, 'facilitator', 'Demoted facilitator')
    const doc = await createDocument(server.store, [pen.id])
    const client = connectClient(server.url, doc, pen.token)
    try {
      await waitFor(() => client.provider.synced, 'synced')
      const started = Date.now()
      const patch = await api(server.url, 'PATCH', `/api/participants/${pen.id}`, people.secretariat.token, {
        role: 'delegate',
      })
      expect(patch.status).toBe(200)
      await waitFor(
        () => client.events.some((e) => e.type === 'access.changed' && !e.canEdit),
        'access.changed',
        1000,
      )
      expect(Date.now() - started).toBeLessThan(1000)
      typeInto(client.doc, 1, ' after demotion')
      await waitFor(() => client.closes.includes(CloseCode.forbidden), 'closed with 4403', 1000)
      expect((await server.store.loadDocument(doc)).updates).toEqual([])
      const session = await api(server.url, 'PATCH', `/api/documents/${doc}`, pen.token, {
        commentDeadline: null,
      })
      expect(session.status).toBe(403)
    } finally {
      client.destroy()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Awareness spoofing.

describe('awareness identity', () => {
  it('1,000 attempts to speak for other clients or as other people never reach anyone', async () => {
    const f = await fixture()
    const victim = connectClient(server.url, f.doc, people.penHolder.token)
    const observer = connectClient(server.url, f.doc, people.reader.token)
    try {
      await waitFor(() => victim.provider.synced && observer.provider.synced, 'synced')
      victim.provider.awareness.setLocalStateField('cursor', { anchor: 1 })
      await waitFor(() => observer.provider.awareness.getStates().has(victim.doc.clientID), 'victim seen')
      const seen: { clientId: number; user: unknown }[] = []
      observer.provider.awareness.on('change', () => {
        for (const [clientId, state] of observer.provider.awareness.getStates()) {
          seen.push({ clientId, user: (state as { user?: unknown }).user })
        }
      })
      const attacker = open(f.doc, people.delegate.token)
      expect(await attacker.opened).toBe(101)
      const victimUser = observer.provider.awareness.getStates().get(victim.doc.clientID)?.user as {
        id: string
        name: string
      }
      expect(victimUser.id).toBe(people.penHolder.id)
      let attempts = 0
      let clock = 1_000
      // 20 frames of 50 states each, within the rate limit.
      for (let frame = 0; frame < 20; frame++) {
        const entries = Array.from({ length: 50 }, (_, i) => {
          attempts += 1
          clock += 1
          switch (i % 4) {
            case 0: // the victim's client id, with the victim's identity
              return {
                clientId: victim.doc.clientID,
                clock,
                state: { user: victimUser, cursor: { anchor: 99 } },
              }
            case 1: // the victim's client id, removing it
              return { clientId: victim.doc.clientID, clock, state: null }
            case 2: // the observer's client id
              return { clientId: observer.doc.clientID, clock, state: { user: { name: 'Spoof' } } }
            default: // a client id of its own, claiming to be the victim
              return {
                clientId: 77_000 + (i % 8),
                clock,
                state: { user: { ...victimUser }, name: victimUser.name },
              }
          }
        })
        // 50 states: over the 64-per-frame limit is malformed, so stay under it.
        attacker.ws.send(awarenessFrame(entries))
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(attempts).toBe(1000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(attacker.ws.readyState).toBe(WebSocket.OPEN)
      const states = observer.provider.awareness.getStates()
      // The victim is still there, as the victim.
      expect((states.get(victim.doc.clientID)?.user as { id: string } | undefined)?.id).toBe(
        people.penHolder.id,
      )
      expect(states.get(victim.doc.clientID)?.cursor).toEqual({ anchor: 1 })
      for (const entry of seen) {
        const user = entry.user as { id?: string; name?: string } | undefined
        if (entry.clientId === victim.doc.clientID) expect(user?.id).toBe(people.penHolder.id)
        else if (entry.clientId === observer.doc.clientID) continue
        else {
          // Whatever the attacker's own ids carry, it is labelled as the attacker.
          expect(user?.id).toBe(people.delegate.id)
          expect(user?.name).toBe(people.delegate.name)
        }
      }
      attacker.ws.close()
    } finally {
      victim.destroy()
      observer.destroy()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Cross-origin requests.

describe('cross-origin', () => {
  it('refuses cross-origin websocket upgrades and cookie requests; form posts do not parse', async () => {
    const f = await fixture()
    // A session cookie, as a browser holds it after the invitation link.
    const join = await fetch(`${server.url}/join/${people.secretariat.token}`, { redirect: 'manual' })
    const setCookie = join.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const cookie = setCookie.split(';')[0]
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server.url}/api/documents`, { method: 'POST', headers: { cookie, ...headers }, body })
    const json = JSON.stringify({ title: 'Cross-site' })
    // Same origin: fine.
    expect((await post({ origin: server.url, 'content-type': 'application/json' }, json)).status).toBe(201)
    // Another origin, with the cookie: refused, whatever the content type.
    for (const type of [
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await post({ origin: 'https://evil.example', 'content-type': type }, json)
      expect(response.status, type).toBeGreaterThanOrEqual(400)
      expect(response.status, type).toBeLessThan(500)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBeTypeOf('string')
    }
    expect(
      (await post({ origin: 'https://evil.example', 'content-type': 'application/json' }, json)).status,
    ).toBe(403)
    // A form post without an Origin (old browsers): its content types are not parsed.
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      expect((await post({ 'content-type': type }, 'title=x')).status, type).toBe(415)
    }
    // A body-less cross-origin POST with the cookie changes nothing either.
    const withdraw = await fetch(`${server.url}/api/communications/${f.communication}/acknowledge`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    })
    expect(withdraw.status).toBe(403)
    // Websocket: a foreign Origin is refused, with the cookie or a token.
    expect(await open(f.doc, people.secretariat.token, { Origin: 'https://evil.example' }).opened).toBe(403)
    expect(await open(f.doc, undefined, { Origin: 'https://evil.example', Cookie: cookie }).opened).toBe(403)
    expect(await open(f.doc, undefined, { Origin: server.url, Cookie: cookie }).opened).toBe(101)
  })

  it('with PUBLIC_URL set, only that origin may open a websocket (no Host-header fallback)', async () => {
    const other = await startServer({ PUBLIC_URL: 'https://plenary.example' })
    try {
      const who = await createParticipant(other.store, 'reader', 'Reader')
      const doc = await createDocument(other.store, [])
      const upgrade = (origin: string, host?: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${other.url.replace(/^http/, 'ws')}/collab/${doc}?token=${who.token}`, {
            headers: { Origin: origin, ...(host ? { Host: host } : {}) },
          })
          ws.on('open', () => {
            ws.close()
            resolve(101)
          })
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
          ws.on('error', () => resolve(0))
        })
      expect(await upgrade('https://plenary.example')).toBe(101)
      // A page on a rebinding domain reaches the server with its own name as Host and Origin.
      expect(await upgrade('http://rebound.example', 'rebound.example')).toBe(403)
      expect(await upgrade('http://plenary.example')).toBe(403)
      expect(await upgrade(other.url)).toBe(403)
    } finally {
      await other.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Tokens.

const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src')

describe('tokens', () => {
  it('are looked up by their SHA-256 hash, never compared as strings', async () => {
    const spy = vi.spyOn(server.store, 'findParticipantByTokenHash')
    try {
      await api(server.url, 'GET', '/api/me', people.reader.token)
      expect(spy).toHaveBeenCalledWith(hashSecret(people.reader.token))
      expect(hashSecret('x')).toMatch(/^[0-9a-f]{64}$/)
    } finally {
      spy.mockRestore()
    }
    // No source file compares a token, secret or session with == or !== (which stop at the
    // first differing character); the only token comparison is the store's lookup of the hash.
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const [i, line] of fs.readFileSync(full, 'utf8').split('\n').entries()) {
            if (
              /\b(token|secret|session|adminToken)\w*\s*[!=]==?\s*[a-z]/i.test(line) &&
              !/typeof|undefined|null/.test(line)
            ) {
              offenders.push(`${path.relative(serverSrc, full)}:${i + 1}: ${line.trim()}`)
            }
          }
        }
      }
    }
    walk(serverSrc)
    expect(offenders).toEqual([])
  })

  it('never reach the logs', async () => {
    const dataDir = tempDir()
    const child = await spawnServer(dataDir, await freePort(), undefined, { LOG_LEVEL: 'trace' })
    try {
      const admin = child.adminToken
      const created = await api(child.url, 'POST', '/api/participants', admin, {
        name: 'Logged',
        organisation: 'Org',
        organisationKind: 'state_party',
        role: 'secretariat',
      })
      expect(created.status).toBe(201)
      const token = created.json.token as string
      const doc = (
        await api(child.url, 'POST', '/api/documents', token, { title: 'Logs', content: sampleContent })
      ).json.document.id
      const join = await fetch(`${child.url}/join/${token}?next=/documents/${doc}`, { redirect: 'manual' })
      const session = (join.headers.get('set-cookie') ?? '').split(';')[0].split('=')[1]
      expect(session).toBeTruthy()
      await fetch(`${child.url}/api/me`, { headers: { cookie: `plenary_session=${session}` } })
      await fetch(`${child.url}/join/${'A'.repeat(43)}`)
      await api(child.url, 'GET', '/api/documents/nosuch', token)
      await api(child.url, 'POST', '/api/documents', token, '{bad json')
      const client = connectClient(child.url, doc, token)
      await waitFor(() => client.provider.synced, 'synced')
      typeInto(client.doc, 0, 'logged?')
      await waitFor(() => client.allSaved(), 'saved')
      client.destroy()
      // A refused upgrade and a bad frame, with the token in the query.
      const bad = new WebSocket(`${child.url.replace(/^http/, 'ws')}/collab/${doc}?token=${token}`)
      await new Promise((resolve) => bad.on('open', resolve))
      bad.send('text frame')
      await new Promise((resolve) => bad.on('close', resolve))
      await fetch(`${child.url}/collab/${doc}?token=${token}`)
      await new Promise((resolve) => setTimeout(resolve, 300))
      const output = child.output()
      expect(output.length).toBeGreaterThan(1000) // trace logging was on
      for (const [name, secret] of [
        ['admin token', admin],
        ['participant token', token],
        ['session', session],
      ] as const) {
        expect(output.includes(secret), `${name} in the logs`).toBe(false)
      }
    } finally {
      child.child.kill('SIGTERM')
      await child.exited
    }
  }, 60_000)
})
