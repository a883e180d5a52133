import path from 'node:path'
import { CloseCode } from '@plenary/shared'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { api, connectClient, type TestClient, tempDir, typeInto, waitFor } from './helpers.ts'
import { freePort, type ServerProcess, spawnServer } from './process.ts'

const clients: TestClient[] = []
let server: ServerProcess | null = null

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy()
  server?.child.kill('SIGKILL')
  server = null
})

async function setUp(url: string, adminToken: string) {
  const facilitator = await api(url, 'POST', '/api/participants', adminToken, {
    name: 'Facilitator',
    organisation: 'Ruritania',
    organisationKind: 'state_party',
    role: 'facilitator',
  })
  expect(facilitator.status).toBe(201)
  const created = await api(url, 'POST', '/api/documents', adminToken, {
    title: 'Crash draft',
    penHolders: [facilitator.json.participant.id],
    content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Start.' }] }] },
  })
  expect(created.status).toBe(201)
  return {
    facilitatorToken: facilitator.json.token as string,
    documentId: created.json.document.id as string,
  }
}

describe('crash safety', () => {
  it('loses nothing that was broadcast when the server is killed with SIGKILL', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    server = await spawnServer(dataDir, port)
    const { adminToken } = server
    const { facilitatorToken, documentId } = await setUp(server.url, adminToken)

    for (let cycle = 0; cycle < 3; cycle++) {
      const writer = connectClient(server.url, documentId, facilitatorToken)
      const watcher = connectClient(server.url, documentId, adminToken)
      clients.push(writer, watcher)
      await waitFor(() => writer.provider.synced && watcher.provider.synced, 'synced')
      for (let i = 0; i < 20; i++) typeInto(writer.doc, 0, ` c${cycle}w${i}`)
      const last = ` c${cycle}w19`
      await waitFor(() => watcher.text().includes(last), 'broadcast reached the watcher')
      // The watcher has seen the text: kill at once, with no chance to flush anything.
      server.child.kill('SIGKILL')
      await server.exited
      const seen = watcher.text()
      writer.provider.disconnect()
      watcher.provider.disconnect()

      server = await spawnServer(dataDir, port, adminToken)
      const blocks = await api(server.url, 'GET', `/api/documents/${documentId}/blocks`, adminToken)
      expect(blocks.status).toBe(200)
      expect(blocks.json.blocks[0].text).toBe(seen)
    }

    server.child.kill('SIGKILL')
    await server.exited
    server = null
    const db = new Database(path.join(dataDir, 'plenary.sqlite'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })

  it('SIGTERM stores everything and closes sockets with "going away"; clients reconnect by themselves', async () => {
    const dataDir = tempDir()
    const port = await freePort()
    server = await spawnServer(dataDir, port)
    const { adminToken } = server
    const { facilitatorToken, documentId } = await setUp(server.url, adminToken)
    const writer = connectClient(server.url, documentId, facilitatorToken)
    clients.push(writer)
    await waitFor(() => writer.provider.synced, 'synced')
    typeInto(writer.doc, 0, ' Before the restart.')
    await waitFor(() => writer.allSaved(), 'saved')
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    expect(writer.closes).toContain(CloseCode.goingAway)

    // Edits made while the server is away are kept by the client and arrive when it is back.
    typeInto(writer.doc, 0, ' While it was down.')
    server = await spawnServer(dataDir, port, adminToken)
    await waitFor(() => writer.provider.synced && writer.allSaved(), 'reconnected and saved', 20_000)
    const blocks = await api(server.url, 'GET', `/api/documents/${documentId}/blocks`, adminToken)
    expect(blocks.json.blocks[0].text).toBe('Start. Before the restart. While it was down.')
  })
})
