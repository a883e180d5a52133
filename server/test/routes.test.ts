import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  api,
  createDocument,
  createParticipant,
  startServer,
  type TestParticipant,
  type TestServer,
  tempDir,
} from './helpers.ts'

let server: TestServer
let secretariat: TestParticipant
let facilitator: TestParticipant
let delegate: TestParticipant
let documentId: string

beforeAll(async () => {
  server = await startServer({ PLENARY_ADMIN_TOKEN: 'admin-token-for-tests-0123456789' })
  secretariat = await createParticipant(server.store, 'secretariat', 'Secretariat')
  facilitator = await createParticipant(server.store, 'facilitator', 'Facilitator')
  delegate = await createParticipant(server.store, 'delegate', 'Delegate')
  documentId = await createDocument(server.store, [facilitator.id])
})

afterAll(() => server.close())

describe('health', () => {
  it('answers /healthz, /readyz and /metrics without signing in', async () => {
    expect((await api(server.url, 'GET', '/healthz')).json).toEqual({ status: 'ok' })
    expect((await api(server.url, 'GET', '/readyz')).json.storage).toBe('ok')
    const metrics = await fetch(`${server.url}/metrics`)
    expect(metrics.headers.get('content-type')).toContain('text/plain')
    const text = await metrics.text()
    expect(text).toMatch(/^plenary_connections \d+$/m)
    expect(text).toMatch(/^plenary_persist_seconds_count \d+$/m)
  })
})

describe('sign-in', () => {
  it('GET /api/me needs a participant', async () => {
    const anonymous = await api(server.url, 'GET', '/api/me')
    expect(anonymous.status).toBe(401)
    expect(anonymous.json.error.code).toBe('not_signed_in')
    const me = await api(server.url, 'GET', '/api/me', delegate.token)
    expect(me.json.participant).toMatchObject({ id: delegate.id, name: 'Delegate', role: 'delegate' })
  })

  it('exchanges an invite token for an httpOnly session cookie and redirects to a safe next page', async () => {
    const response = await fetch(`${server.url}/join/${delegate.token}?next=/documents/${documentId}`, {
      redirect: 'manual',
    })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`/documents/${documentId}`)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/plenary_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const session = cookie.split(';')[0]
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie: session } })
    expect(((await me.json()) as { participant: { id: string } }).participant.id).toBe(delegate.id)
    // Signing out ends that session.
    const out = await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { cookie: session } })
    expect(out.status).toBe(204)
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: session } })).status).toBe(401)
  })

  it('never redirects off-site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/api/me']) {
      const response = await fetch(`${server.url}/join/${delegate.token}?next=${encodeURIComponent(next)}`, {
        redirect: 'manual',
      })
      expect(response.headers.get('location')).toBe('/')
    }
  })

  it('shows a 401 page for a bad or revoked token', async () => {
    const response = await fetch(`${server.url}/join/not-a-valid-token-xxxxxxxxxxxxxxxxxxx`, {
      redirect: 'manual',
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toContain('not valid')
  })

  it('PLENARY_ADMIN_TOKEN signs in as a secretariat participant', async () => {
    const me = await api(server.url, 'GET', '/api/me', 'admin-token-for-tests-0123456789')
    expect(me.json.participant.role).toBe('secretariat')
  })
})

describe('participants', () => {
  it('lets only the secretariat create participants; the token is shown once and works', async () => {
    const body = {
      name: 'New Delegate',
      organisation: 'Freedonia',
      organisationKind: 'state_party',
      role: 'delegate',
    }
    expect((await api(server.url, 'POST', '/api/participants', facilitator.token, body)).status).toBe(403)
    expect((await api(server.url, 'POST', '/api/participants', delegate.token, body)).status).toBe(403)
    const created = await api(server.url, 'POST', '/api/participants', secretariat.token, body)
    expect(created.status).toBe(201)
    expect(created.json.participant).toMatchObject({ name: 'New Delegate', role: 'delegate' })
    expect(typeof created.json.token).toBe('string')
    const me = await api(server.url, 'GET', '/api/me', created.json.token)
    expect(me.json.participant.id).toBe(created.json.participant.id)
    const list = await api(server.url, 'GET', '/api/participants', secretariat.token)
    expect(JSON.stringify(list.json)).not.toContain(created.json.token)
  })

  it('rejects bad participant bodies with stable codes', async () => {
    const cases: [unknown, number, string][] = [
      [
        { name: 'X', organisation: 'Y', organisationKind: 'state_party', role: 'emperor' },
        400,
        'invalid_request',
      ],
      [
        { name: '', organisation: 'Y', organisationKind: 'state_party', role: 'delegate' },
        400,
        'invalid_request',
      ],
      [
        { name: 'X', organisation: 'Y', organisationKind: 'state_party', role: 'delegate', admin: true },
        400,
        'invalid_request',
      ],
      ['{"name": ', 400, 'invalid_json'],
    ]
    for (const [body, status, code] of cases) {
      const response = await api(server.url, 'POST', '/api/participants', secretariat.token, body)
      expect(response.status).toBe(status)
      expect(response.json.error.code).toBe(code)
      expect(typeof response.json.error.message).toBe('string')
    }
  })

  it('revoking a participant signs them out at once', async () => {
    const body = { name: 'Short-lived', organisation: 'Z', organisationKind: 'igo', role: 'reader' }
    const created = await api(server.url, 'POST', '/api/participants', secretariat.token, body)
    const id = created.json.participant.id
    expect(
      (await api(server.url, 'PATCH', `/api/participants/${id}`, secretariat.token, { revoked: true }))
        .status,
    ).toBe(200)
    expect((await api(server.url, 'GET', '/api/me', created.json.token)).status).toBe(401)
  })
})

describe('documents', () => {
  it('lists documents with their pen holders and whether the viewer may edit', async () => {
    const asFacilitator = await api(server.url, 'GET', '/api/documents', facilitator.token)
    const doc = asFacilitator.json.documents.find((d: { id: string }) => d.id === documentId)
    expect(doc.penHolderNames.map((p: { name: string }) => p.name)).toEqual(['Facilitator'])
    expect(doc.canEdit).toBe(true)
    const asDelegate = await api(server.url, 'GET', `/api/documents/${documentId}`, delegate.token)
    expect(asDelegate.json.document.canEdit).toBe(false)
  })

  it('creates a document from TipTap JSON keeping block ids, and numbers its paragraphs', async () => {
    const content = {
      type: 'doc',
      content: [
        {
          type: 'heading',
          attrs: { level: 1, id: 'annex-c', numberPrefix: 'C' },
          content: [{ type: 'text', text: 'Annex C' }],
        },
        { type: 'paragraph', attrs: { id: 'c-one' }, content: [{ type: 'text', text: 'Stage 1.' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Stage 2.' }] },
      ],
    }
    const created = await api(server.url, 'POST', '/api/documents', secretariat.token, {
      title: 'Annex C draft',
      content,
      penHolders: [facilitator.id],
    })
    expect(created.status).toBe(201)
    const id = created.json.document.id
    const blocks = await api(server.url, 'GET', `/api/documents/${id}/blocks`, delegate.token)
    expect(blocks.json.blocks.map((b: { number: string | null }) => b.number)).toEqual([null, 'C1', 'C2'])
    expect(blocks.json.blocks[1]).toEqual({ id: 'c-one', type: 'paragraph', number: 'C1', text: 'Stage 1.' })
    expect(blocks.json.blocks[2].id).toMatch(/^[A-Za-z0-9_-]+$/)
    const stored = await api(server.url, 'GET', `/api/documents/${id}/content`, delegate.token)
    expect(stored.json.content.content[1].attrs.id).toBe('c-one')
    expect(stored.json.content.content[2].attrs.id).toBe(blocks.json.blocks[2].id)
  })

  it('refuses creation by non-secretariat, bad content and bad pen holders', async () => {
    expect((await api(server.url, 'POST', '/api/documents', facilitator.token, { title: 'X' })).status).toBe(
      403,
    )
    const badContent = await api(server.url, 'POST', '/api/documents', secretariat.token, {
      title: 'X',
      content: { type: 'doc', content: [{ type: 'text', text: 'loose text' }] },
    })
    expect(badContent.status).toBe(400)
    expect(badContent.json.error.code).toBe('invalid_content')
    const badHolder = await api(server.url, 'POST', '/api/documents', secretariat.token, {
      title: 'X',
      penHolders: [delegate.id],
    })
    expect(badHolder.status).toBe(400)
    expect(badHolder.json.error.message).toContain('not a facilitator')
  })

  it('answers bad ids, unknown documents, wrong content types and oversize bodies with clear errors', async () => {
    const badId = await api(server.url, 'GET', '/api/documents/..%2F..%2Fetc', delegate.token)
    expect(badId.status).toBe(400)
    expect(badId.json.error.code).toBe('invalid_id')
    const unknown = await api(server.url, 'GET', '/api/documents/nosuchdocument', delegate.token)
    expect(unknown.status).toBe(404)
    expect(unknown.json.error.code).toBe('document_not_found')
    const form = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretariat.token}`, 'content-type': 'text/plain' },
      body: '{"title":"x"}',
    })
    expect(form.status).toBe(415)
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type')
    const huge = await api(server.url, 'POST', '/api/documents', secretariat.token, {
      title: 'x'.repeat(5 * 1024 * 1024),
    })
    expect(huge.status).toBe(413)
    expect(huge.json.error.code).toBe('payload_too_large')
    const unknownRoute = await api(server.url, 'GET', '/api/nothing-here', delegate.token)
    expect(unknownRoute.status).toBe(404)
    expect(unknownRoute.json.error.code).toBe('not_found')
  })

  it('lets the secretariat rename a document and change its pen holders', async () => {
    const patched = await api(server.url, 'PATCH', `/api/documents/${documentId}`, secretariat.token, {
      title: 'Renamed draft',
      penHolders: [facilitator.id, secretariat.id],
    })
    expect(patched.status).toBe(200)
    expect(patched.json.document).toMatchObject({
      title: 'Renamed draft',
      penHolders: [facilitator.id, secretariat.id],
    })
    expect(
      (await api(server.url, 'PATCH', `/api/documents/${documentId}`, facilitator.token, { title: 'Mine' }))
        .status,
    ).toBe(403)
    expect(
      (await api(server.url, 'PATCH', `/api/documents/${documentId}`, secretariat.token, {})).status,
    ).toBe(400)
  })
})

describe('the client pages', () => {
  it('a page asked for while the client is being rebuilt (no index.html) gets a JSON 404, not a bare text one', async () => {
    const dist = tempDir('plenary-dist-')
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Plenary</title>')
    const own = await startServer({ PLENARY_CLIENT_DIST: dist })
    try {
      const page = await fetch(`${own.url}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<title>Plenary</title>')
      fs.rmSync(path.join(dist, 'index.html'))
      for (const pathname of ['/', '/join/%2e%2e']) {
        const missing = await fetch(`${own.url}${pathname}`, { redirect: 'manual' })
        expect(missing.status).toBe(404)
        expect(missing.headers.get('content-type')).toContain('application/json')
        expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found')
      }
    } finally {
      await own.close()
      fs.rmSync(dist, { recursive: true, force: true })
    }
  })
})
