/** Shutdown and closing never wait on a peer that stopped answering. */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { createDocument, createParticipant, startServer } from './helpers.ts'

/** Opens a websocket by hand and then never reads or answers anything, like a frozen peer. */
async function frozenPeer(url: string, path: string): Promise<net.Socket> {
  const { port } = new URL(url)
  const socket = net.connect(Number(port), '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.write(
    [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  )
  await new Promise<void>((resolve) => {
    socket.once('data', (data) => {
      expect(data.toString()).toMatch(/^HTTP\/1\.1 101/)
      resolve()
    })
  })
  // From now on nothing is read: the server's close frame is never answered.
  socket.pause()
  return socket
}

describe('shutdown', () => {
  it('closes within seconds even when a peer never answers the close handshake', async () => {
    const server = await startServer()
    const writer = await createParticipant(server.store, 'facilitator', 'Frozen')
    const id = await createDocument(server.store, [writer.id])
    const peers = await Promise.all(
      [0, 1, 2].map(() => frozenPeer(server.url, `/collab/${id}?token=${writer.token}`)),
    )
    const started = Date.now()
    await server.close()
    const took = Date.now() - started
    for (const peer of peers) peer.destroy()
    // ws alone would wait 30 s for each close frame to be answered.
    expect(took).toBeLessThan(5_000)
  }, 60_000)
})
