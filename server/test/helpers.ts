/** Real servers on free ports and Node y-websocket clients, for integration tests. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  contentToYDoc,
  type JSONNode,
  MessageType,
  normalizeContent,
  type OrganisationKind,
  type Role,
  readEvent,
  readSaved,
  readSavedCount,
  type ServerEvent,
  stateVectorCovers,
  YDOC_FIELD,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { buildApp } from '../src/app.ts'
import { hashSecret, newSecret } from '../src/auth/tokens.ts'
import { loadConfig } from '../src/config.ts'
import { newId } from '../src/ids.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'

export type TestParticipant = { id: string; token: string; name: string; role: Role }

export function tempDir(prefix = 'plenary-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export async function createParticipant(
  store: SqliteStore,
  role: Role,
  name = `${role} ${Math.random().toString(36).slice(2, 6)}`,
  organisationKind: OrganisationKind = role === 'secretariat' ? 'secretariat' : 'state_party',
): Promise<TestParticipant> {
  const token = newSecret()
  const id = newId()
  await store.createParticipant({
    id,
    name,
    organisation: `${name} org`,
    organisationKind,
    role,
    tokenHash: hashSecret(token),
  })
  return { id, token, name, role }
}

export const sampleContent: JSONNode = {
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { level: 1, id: 'h-part1', numberPrefix: '' },
      content: [{ type: 'text', text: 'Part I' }],
    },
    { type: 'paragraph', attrs: { id: 'p-one' }, content: [{ type: 'text', text: 'First paragraph.' }] },
    { type: 'paragraph', attrs: { id: 'p-two' }, content: [{ type: 'text', text: 'Second paragraph.' }] },
  ],
}

export async function createDocument(
  store: SqliteStore,
  penHolders: string[],
  content: JSONNode = sampleContent,
) {
  const doc = contentToYDoc(normalizeContent(content))
  const id = newId()
  await store.createDocument({
    id,
    title: 'Test draft',
    penHolders,
    createdBy: null,
    initialState: Y.encodeStateAsUpdate(doc),
  })
  return id
}

export type TestServer = {
  app: FastifyInstance
  store: SqliteStore
  url: string
  dataDir: string
  close(): Promise<void>
}

export async function startServer(
  env: Record<string, string> = {},
  dataDir = tempDir(),
): Promise<TestServer> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', PLENARY_DEMO: '0', ...env })
  const store = new SqliteStore(config.sqlitePath)
  await store.migrate()
  const app = await buildApp({ config, store, logger: false })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    app,
    store,
    url: address,
    dataDir,
    async close() {
      await app.close()
      await store.close()
    },
  }
}

export type TestClient = {
  doc: Y.Doc
  provider: WebsocketProvider
  events: ServerEvent[]
  closes: number[]
  /** The last state vector the server said is stored. */
  saved: Map<number, number>
  /** Sync step 2 and update messages sent on the current socket, and how many the server stored. */
  sentUpdates: number
  storedUpdates: number | null
  text(): string
  allSaved(): boolean
  /** allSaved, and every message sent on this socket stored too: deletions included. */
  allStored(): boolean
  destroy(): void
}

/** A stock y-websocket client, as a browser would run it, plus Plenary's saved/event handlers. */
export function connectClient(url: string, documentId: string, token: string, doc = new Y.Doc()): TestClient {
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/collab`, documentId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    maxBackoffTime: 300,
  })
  const client: TestClient = {
    doc,
    provider,
    events: [],
    closes: [],
    saved: new Map(),
    text: () => textOf(doc),
    sentUpdates: 0,
    storedUpdates: null,
    allSaved: () =>
      provider.wsconnected &&
      stateVectorCovers(client.saved, doc.clientID, Y.getState(doc.store, doc.clientID)),
    allStored: () =>
      client.allSaved() && client.storedUpdates !== null && client.storedUpdates >= client.sentUpdates,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
  provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
    client.saved = Y.decodeStateVector(readSaved(decoder))
    client.storedUpdates = readSavedCount(decoder)
  }
  provider.on('status', ({ status }: { status: string }) => {
    const ws = provider.ws
    if (status !== 'connected' || !ws) return
    client.sentUpdates = 0
    client.storedUpdates = null
    const send = ws.send.bind(ws)
    ws.send = ((data: Uint8Array) => {
      if (data[0] === MessageType.sync && (data[1] === 1 || data[1] === 2)) client.sentUpdates += 1
      send(data)
    }) as typeof ws.send
  })
  provider.messageHandlers[MessageType.event] = (_encoder, decoder) => {
    const event = readEvent(decoder)
    if (event) client.events.push(event)
  }
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event) client.closes.push(event.code)
  })
  return client
}

/** The plain text of every block of a shared document, one per line. */
export function textOf(doc: Y.Doc): string {
  const lines: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) lines.push(child.toString().replace(/<[^>]+>/g, ''))
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(doc.getXmlFragment(YDOC_FIELD))
  return lines.join('\n')
}

/** Types text at the end of the n-th top-level block, as an editor would. */
export function typeInto(doc: Y.Doc, blockIndex: number, text: string, at?: number): void {
  const block = doc.getXmlFragment(YDOC_FIELD).get(blockIndex) as Y.XmlElement
  const xmlText = block.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText
  doc.transact(() => xmlText.insert(at ?? xmlText.length, text))
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

export async function api(
  url: string,
  method: string,
  pathname: string,
  token?: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  })
  const text = await response.text()
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  let json: any = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = text
  }
  return { status: response.status, json, headers: response.headers }
}
