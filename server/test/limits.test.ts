import { CloseCode, MessageType } from '@plenary/shared'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  api,
  connectClient,
  createDocument,
  createParticipant,
  startServer,
  type TestParticipant,
  type TestServer,
  waitFor,
} from './helpers.ts'

let server: TestServer
let facilitator: TestParticipant
let documentId: string

beforeEach(async () => {
  server = await startServer({ PLENARY_MAX_MESSAGE_BYTES: '65536', PLENARY_MAX_MESSAGES_PER_SECOND: '50' })
  facilitator = await createParticipant(server.store, 'facilitator', 'Facilitator')
  documentId = await createDocument(server.store, [facilitator.id])
})

afterEach(() => server.close())

function rawSocket(): Promise<{ ws: WebSocket; received: number[]; closed: Promise<number> }> {
  const ws = new WebSocket(
    `${server.url.replace('http', 'ws')}/collab/${documentId}?token=${facilitator.token}`,
  )
  const received: number[] = []
  ws.on('message', () => received.push(Date.now()))
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  return new Promise((resolve) => ws.on('open', () => resolve({ ws, received, closed })))
}

function queryAwarenessFrame(): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.queryAwareness)
  return encoding.toUint8Array(encoder)
}

describe('limits and liveness', () => {
  it('accepts a frame at the size limit and closes a socket whose frame is one byte over with 1009', async () => {
    // A sync step 1 whose state vector is padded with zeros: valid, and exactly `size` bytes long.
    const syncStep1Of = (size: number) => {
      const padding = size - 5
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint8Array(encoder, new Uint8Array(padding))
      const frame = encoding.toUint8Array(encoder)
      expect(frame.length).toBe(size)
      return frame
    }
    const atLimit = await rawSocket()
    await new Promise((resolve) => setTimeout(resolve, 200))
    const before = atLimit.received.length
    atLimit.ws.send(syncStep1Of(65536))
    await waitFor(() => atLimit.received.length > before, 'an answer to the frame at the limit')
    const over = await rawSocket()
    over.ws.send(syncStep1Of(65537))
    expect(await over.closed).toBe(CloseCode.messageTooBig)
    expect(atLimit.ws.readyState).toBe(WebSocket.OPEN)
    atLimit.ws.close()
  })

  it('closes a socket that sends too many messages per second with 4429', async () => {
    const { ws, closed } = await rawSocket()
    for (let i = 0; i < 80; i++) ws.send(queryAwarenessFrame())
    expect(await closed).toBe(CloseCode.tooFast)
  })

  it('lets a socket send at the rate limit', async () => {
    const { ws, closed } = await rawSocket()
    let code: number | null = null
    closed.then((c) => {
      code = c
    })
    for (let i = 0; i < 45; i++) ws.send(queryAwarenessFrame())
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(code).toBeNull()
    ws.close()
  })

  it('sends every socket something at least every 15 seconds', async () => {
    const { ws, received } = await rawSocket()
    await new Promise((resolve) => setTimeout(resolve, 500))
    const greeting = received.length
    expect(greeting).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 15_500))
    const later = received.slice(greeting)
    expect(later.length).toBeGreaterThan(0)
    ws.close()
  }, 30_000)

  it('unloads a room after its last client leaves', async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text()
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1])
    }
    const client = connectClient(server.url, documentId, facilitator.token)
    await waitFor(() => client.provider.synced, 'synced')
    expect(await metric('plenary_rooms')).toBe(1)
    expect(await metric('plenary_connections')).toBe(1)
    client.destroy()
    await waitFor(async () => (await metric('plenary_rooms')) === 0, 'room unloaded')
    expect(await metric('plenary_connections')).toBe(0)
    // The document is still there, loaded afresh for the next reader.
    const blocks = await api(server.url, 'GET', `/api/documents/${documentId}/blocks`, facilitator.token)
    expect(blocks.json.blocks[1].text).toBe('First paragraph.')
  })
})
