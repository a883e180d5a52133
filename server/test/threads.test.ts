import http from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { ThreadDTO } from '@plenary/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  api,
  connectClient,
  createDocument,
  createParticipant,
  startServer,
  type TestParticipant,
  type TestServer,
  typeInto,
  waitFor,
} from './helpers.ts'

let server: TestServer
let secretariat: TestParticipant
let facilitator: TestParticipant
let otherFacilitator: TestParticipant
let mexico: TestParticipant
let norland: TestParticipant
let reader: TestParticipant
let documentId: string

const content = {
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { level: 1, id: 'annex-c', numberPrefix: 'C' },
      content: [{ type: 'text', text: 'Annex C' }],
    },
    {
      type: 'paragraph',
      attrs: { id: 'stage-3' },
      content: [
        {
          type: 'text',
          text: 'Stage 3 covers post-delivery cooperation with the consent of the importing State.',
        },
      ],
    },
    {
      type: 'paragraph',
      attrs: { id: 'stage-2' },
      content: [{ type: 'text', text: 'Stage 2 concerns transit and trans-shipment.' }],
    },
  ],
}

beforeAll(async () => {
  server = await startServer()
  secretariat = await createParticipant(server.store, 'secretariat', 'Sam Secretariat')
  facilitator = await createParticipant(server.store, 'facilitator', 'Ana Facilitator')
  otherFacilitator = await createParticipant(server.store, 'facilitator', 'Otto Facilitator')
  mexico = await createParticipant(server.store, 'delegate', 'Maria Delegate')
  norland = await createParticipant(server.store, 'delegate', 'Nils Delegate')
  reader = await createParticipant(server.store, 'reader', 'Rita Reader')
  documentId = await createDocument(server.store, [facilitator.id], content as never)
})

afterAll(() => server.close())

const start = (who: TestParticipant, body: unknown) =>
  api(server.url, 'POST', `/api/documents/${documentId}/threads`, who.token, body)
const threadsAs = async (who: TestParticipant) =>
  (await api(server.url, 'GET', `/api/documents/${documentId}/threads`, who.token)).json
    .threads as ThreadDTO[]
const blockText = async (id: string) => {
  const { json } = await api(server.url, 'GET', `/api/documents/${documentId}/blocks`, secretariat.token)
  return json.blocks.find((b: { id: string }) => b.id === id).text as string
}

describe('starting threads', () => {
  it('a delegate anchors a question to words of a paragraph; everyone sees it with the paragraph number', async () => {
    const created = await start(mexico, {
      anchor: { blockId: 'stage-2', quote: 'transit and trans-shipment' },
      kind: 'question',
      body: 'First or second series of meetings?',
    })
    expect(created.status).toBe(201)
    expect(created.json.thread.anchor).toMatchObject({
      blockId: 'stage-2',
      number: 'C2',
      quote: 'transit and trans-shipment',
      state: 'exact',
    })
    expect(created.json.thread.author.name).toBe('Maria Delegate')
    const seen = await threadsAs(norland)
    expect(seen.map((t) => t.id)).toContain(created.json.thread.id)
  })

  it('anchors by offsets, on the whole document, and refuses bad anchors and readers', async () => {
    const byOffsets = await start(norland, {
      anchor: { blockId: 'stage-2', from: 0, to: 7 },
      kind: 'comment',
      body: 'On Stage 2.',
    })
    expect(byOffsets.json.thread.anchor.quote).toBe('Stage 2')
    const general = await start(mexico, {
      anchor: null,
      kind: 'procedural',
      body: 'Please acknowledge receipt.',
    })
    expect(general.json.thread.anchor).toMatchObject({ blockId: null, state: 'document' })
    const outside = await start(mexico, {
      anchor: { blockId: 'stage-2', from: 5, to: 500 },
      kind: 'comment',
      body: 'x',
    })
    expect(outside.status).toBe(400)
    const missing = await start(mexico, {
      anchor: { blockId: 'stage-2', quote: 'not in the text' },
      kind: 'comment',
      body: 'x',
    })
    expect(missing.status).toBe(400)
    expect((await start(reader, { anchor: null, kind: 'comment', body: 'x' })).status).toBe(403)
    const proposalWithout = await start(mexico, { anchor: null, kind: 'proposal', body: 'x' })
    expect(proposalWithout.status).toBe(400)
    const tooLong = await start(mexico, { anchor: null, kind: 'comment', body: 'x'.repeat(10_001) })
    expect(tooLong.status).toBe(400)
  })

  it('keeps a thread marked for the facilitator and the secretariat from other delegations', async () => {
    const secret = await start(norland, {
      anchor: null,
      kind: 'objection',
      body: 'In confidence.',
      visibility: 'facilitators',
    })
    const id = secret.json.thread.id
    expect((await threadsAs(facilitator)).map((t) => t.id)).toContain(id)
    expect((await threadsAs(secretariat)).map((t) => t.id)).toContain(id)
    expect((await threadsAs(norland)).map((t) => t.id)).toContain(id)
    expect((await threadsAs(mexico)).map((t) => t.id)).not.toContain(id)
    expect((await api(server.url, 'GET', `/api/threads/${id}`, mexico.token)).status).toBe(404)
    expect(
      (await api(server.url, 'POST', `/api/threads/${id}/messages`, mexico.token, { body: 'peek' })).status,
    ).toBe(404)
  })
})

describe('conversation', () => {
  it('replies, edits kept as history, withdrawal, and only authors change their messages', async () => {
    const { json } = await start(mexico, {
      anchor: { blockId: 'stage-2', quote: 'Stage 2' },
      kind: 'comment',
      body: 'First version.',
    })
    const threadId = json.thread.id
    const firstMessage = json.thread.messages[0].id
    const reply = await api(server.url, 'POST', `/api/threads/${threadId}/messages`, facilitator.token, {
      body: 'Thank you, @Maria Delegate.',
    })
    expect(reply.status).toBe(201)
    expect(reply.json.thread.messages).toHaveLength(2)
    expect(
      (await api(server.url, 'PATCH', `/api/messages/${firstMessage}`, norland.token, { body: 'Hijacked' }))
        .status,
    ).toBe(403)
    const edited = await api(server.url, 'PATCH', `/api/messages/${firstMessage}`, mexico.token, {
      body: 'Second version.',
    })
    const message = edited.json.thread.messages[0]
    expect(message.body).toBe('Second version.')
    expect(message.editedAt).not.toBeNull()
    expect(message.history.map((h: { body: string }) => h.body)).toEqual(['First version.'])
    const withdrawn = await api(server.url, 'POST', `/api/messages/${firstMessage}/withdraw`, mexico.token)
    expect(withdrawn.json.thread.messages[0]).toMatchObject({ withdrawn: true, body: '' })
    // The mention reaches Maria's list of mentions.
    const mentions = await api(server.url, 'GET', '/api/me/mentions', mexico.token)
    expect(mentions.json.mentions.map((m: { threadId: string }) => m.threadId)).toContain(threadId)
    const audit = await api(server.url, 'GET', `/api/threads/${threadId}/audit`, secretariat.token)
    expect(audit.json.audit.map((a: { action: string }) => a.action)).toEqual(['thread.created'])
  })

  it('lets the author withdraw a thread, and nobody else', async () => {
    const { json } = await start(norland, { anchor: null, kind: 'comment', body: 'Second thoughts.' })
    const id = json.thread.id
    expect(
      (await api(server.url, 'PATCH', `/api/threads/${id}`, facilitator.token, { status: 'withdrawn' }))
        .status,
    ).toBe(403)
    const withdrawn = await api(server.url, 'PATCH', `/api/threads/${id}`, norland.token, {
      status: 'withdrawn',
    })
    expect(withdrawn.json.thread.status).toBe('withdrawn')
    expect(
      (await api(server.url, 'PATCH', `/api/threads/${id}`, facilitator.token, { status: 'open' })).status,
    ).toBe(409)
    expect((await threadsAs(mexico)).find((t) => t.id === id)?.status).toBe('withdrawn')
  })
})

describe("the facilitator's work", () => {
  it('only the pen holder or the secretariat set status and dispositions', async () => {
    const { json } = await start(mexico, {
      anchor: null,
      kind: 'question',
      body: 'What does voluntary imply?',
    })
    const id = json.thread.id
    const answer = {
      status: 'closed',
      disposition: { outcome: 'answered', response: 'It describes the workplans, not the Treaty.' },
    }
    expect((await api(server.url, 'PATCH', `/api/threads/${id}`, mexico.token, answer)).status).toBe(403)
    expect(
      (await api(server.url, 'PATCH', `/api/threads/${id}`, otherFacilitator.token, answer)).status,
    ).toBe(403)
    const noReason = await api(server.url, 'PATCH', `/api/threads/${id}`, facilitator.token, {
      disposition: { outcome: 'not_incorporated' },
    })
    expect(noReason.status).toBe(400)
    const decided = await api(server.url, 'PATCH', `/api/threads/${id}`, facilitator.token, answer)
    expect(decided.status).toBe(200)
    expect(decided.json.thread).toMatchObject({
      status: 'closed',
      disposition: { outcome: 'answered', decidedBy: facilitator.id },
    })
    const reopened = await api(server.url, 'PATCH', `/api/threads/${id}`, secretariat.token, {
      status: 'open',
    })
    expect(reopened.json.thread.status).toBe('open')
  })

  it('applies proposed wording as an edit, moves the anchor to the new words, and refuses twice', async () => {
    const { json } = await start(mexico, {
      anchor: { blockId: 'stage-3', quote: 'with the consent of the importing State.' },
      kind: 'proposal',
      body: 'Add a delivery verification certificate.',
      proposal: { action: 'insert', text: ' A delivery verification certificate may be discussed.' },
    })
    const id = json.thread.id
    expect((await api(server.url, 'POST', `/api/threads/${id}/apply`, mexico.token)).status).toBe(403)
    const applied = await api(server.url, 'POST', `/api/threads/${id}/apply`, facilitator.token)
    expect(applied.status).toBe(200)
    expect(await blockText('stage-3')).toBe(
      'Stage 3 covers post-delivery cooperation with the consent of the importing State. A delivery verification certificate may be discussed.',
    )
    expect(applied.json.thread.proposal.appliedAt).not.toBeNull()
    expect(applied.json.thread.anchor).toMatchObject({
      state: 'exact',
      quote: ' A delivery verification certificate may be discussed.',
    })
    expect((await api(server.url, 'POST', `/api/threads/${id}/apply`, facilitator.token)).status).toBe(409)
  })

  it('applies a replacement; the edit is attributed to the facilitator', async () => {
    const { json } = await start(norland, {
      anchor: { blockId: 'stage-2', quote: 'transit and trans-shipment' },
      kind: 'proposal',
      body: 'Say it plainly.',
      proposal: { action: 'replace', text: 'transit and trans-shipment, in the first series of meetings' },
    })
    await api(server.url, 'POST', `/api/threads/${json.thread.id}/apply`, secretariat.token)
    expect(await blockText('stage-2')).toBe(
      'Stage 2 concerns transit and trans-shipment, in the first series of meetings.',
    )
    const documents = await api(server.url, 'GET', `/api/documents/${documentId}`, mexico.token)
    expect(documents.json.document.lastChangeBy.id).toBe(secretariat.id)
  })
})

describe('anchors through edits', () => {
  it('stays on the words when text is typed before them, and is orphaned with its quote when they go', async () => {
    const { json } = await start(mexico, {
      anchor: { blockId: 'stage-3', quote: 'post-delivery cooperation' },
      kind: 'comment',
      body: 'On cooperation.',
    })
    const id = json.thread.id
    // Listed before the edit too: the list must not keep what it resolved for the older text.
    const before = (await threadsAs(mexico)).find((t) => t.id === id)
    expect(before?.anchor).toMatchObject({ state: 'exact', from: 'Stage 3 covers '.length })
    const writer = connectClient(server.url, documentId, facilitator.token)
    await waitFor(() => writer.provider.synced, 'synced')
    typeInto(writer.doc, 1, 'Indeed, ', 0)
    await waitFor(() => writer.allSaved(), 'saved')
    const moved = (await threadsAs(mexico)).find((t) => t.id === id)
    expect(moved?.anchor).toMatchObject({
      state: 'exact',
      quote: 'post-delivery cooperation',
      from: 'Indeed, Stage 3 covers '.length,
    })
    // Delete the quoted words.
    const block = writer.doc.getXmlFragment('default').get(1) as Y.XmlElement
    const text = block.get(0) as Y.XmlText
    const at = text.toString().indexOf('post-delivery cooperation')
    writer.doc.transact(() => text.delete(at, 'post-delivery cooperation'.length))
    await waitFor(() => writer.allSaved(), 'saved')
    const gone = (await threadsAs(mexico)).find((t) => t.id === id)
    expect(gone?.anchor).toMatchObject({
      state: 'orphaned',
      quote: 'post-delivery cooperation',
      blockId: 'stage-3',
    })
    writer.destroy()
  })
})

describe('the thread list', () => {
  it('asked again and again, shows every reply, decision and filter at once, to each what they may see', async () => {
    const { json } = await start(mexico, { anchor: null, kind: 'question', body: 'Which meetings?' })
    const id = json.thread.id
    const listed = async (who: TestParticipant, query = '') => {
      const { status, json } = await api(
        server.url,
        'GET',
        `/api/documents/${documentId}/threads${query}`,
        who.token,
      )
      expect(status).toBe(200)
      return (json.threads as ThreadDTO[]).find((t) => t.id === id)
    }
    // The same list twice, then a reply: the third shows it.
    expect((await listed(mexico))?.messages).toHaveLength(1)
    expect((await listed(mexico))?.messages).toHaveLength(1)
    await api(server.url, 'POST', `/api/threads/${id}/messages`, facilitator.token, { body: 'All of them.' })
    expect((await listed(mexico))?.messages.map((m) => m.body)).toEqual(['Which meetings?', 'All of them.'])
    // A decision, seen by the author and by a filter asked for before it.
    expect(await listed(norland, '?status=closed')).toBeUndefined()
    await api(server.url, 'PATCH', `/api/threads/${id}`, facilitator.token, { status: 'closed' })
    expect((await listed(mexico))?.status).toBe('closed')
    expect((await listed(norland, '?status=closed'))?.status).toBe('closed')
    expect(await listed(norland, '?status=open')).toBeUndefined()
    // Marked for the facilitators afterwards: gone from another delegation's list at once.
    const secret = await start(mexico, {
      anchor: null,
      kind: 'comment',
      body: 'Between us.',
      visibility: 'facilitators',
    })
    const secretId = secret.json.thread.id
    const ids = async (who: TestParticipant) => (await threadsAs(who)).map((t) => t.id)
    expect(await ids(facilitator)).toContain(secretId)
    expect(await ids(mexico)).toContain(secretId)
    expect(await ids(norland)).not.toContain(secretId)
  })

  it('answers a page that already holds the list with 304 until something in it changes', async () => {
    const path = `/api/documents/${documentId}/threads`
    const ask = async (etag?: string) => {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${mexico.token}`, ...(etag ? { 'if-none-match': etag } : {}) },
      })
      return { status: response.status, etag: response.headers.get('etag'), text: await response.text() }
    }
    const first = await ask()
    expect(first.status).toBe(200)
    expect(first.etag).toMatch(/^"[\w-]+"$/)
    const again = await ask(first.etag as string)
    expect(again).toEqual({ status: 304, etag: first.etag, text: '' })
    expect((await ask(`"other", W/${first.etag}`)).status).toBe(304)
    expect((await ask('"other"')).status).toBe(200)

    await start(mexico, { anchor: null, kind: 'comment', body: 'One more.' })
    const changed = await ask(first.etag as string)
    expect(changed.status).toBe(200)
    expect(changed.etag).not.toBe(first.etag)
    expect(JSON.parse(changed.text).threads.map((t: ThreadDTO) => t.messages[0].body)).toContain('One more.')
    expect((await ask(changed.etag as string)).status).toBe(304)
  })
  it('sends the list compressed to a client that accepts gzip, under an entity tag of its own', async () => {
    // A list long enough to be worth compressing.
    for (let i = 0; i < 4; i++) await start(mexico, { anchor: null, kind: 'comment', body: `Point ${i}.` })
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const url = `${server.url}/api/documents/${documentId}/threads`
        http
          .get(url, { headers: { authorization: `Bearer ${mexico.token}`, ...headers } }, (response) => {
            const chunks: Buffer[] = []
            response.on('data', (chunk: Buffer) => chunks.push(chunk))
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks),
              }),
            )
          })
          .on('error', reject)
      })
    const plain = await get({})
    const gzipped = await get({ 'accept-encoding': 'br, gzip;q=0.8' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gzipped.headers.vary).toContain('accept-encoding')
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true)
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2)
    // Each encoding revalidates under its own tag; gzip refused (q=0) is the plain list.
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag)
    const tag = gzipped.headers.etag as string
    expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': tag })).status).toBe(304)
    const refused = await get({ 'accept-encoding': 'gzip;q=0', 'if-none-match': tag })
    expect(refused.status).toBe(200)
    expect(refused.headers['content-encoding']).toBeUndefined()
    expect(refused.body.equals(plain.body)).toBe(true)
  })
})

describe('the secretariat', () => {
  it('logs a communication, threads it under the sender, and acknowledges it in the form of a note verbale', async () => {
    const body = {
      organisation: 'Maria Delegate org',
      reference: 'OGE-00421',
      sentAt: '2021-02-15',
      receivedAt: '2021-02-15',
      channel: 'note_verbale',
      text: 'The Permanent Mission presents its compliments…',
      documentId,
    }
    expect((await api(server.url, 'POST', '/api/communications', facilitator.token, body)).status).toBe(403)
    const logged = await api(server.url, 'POST', '/api/communications', secretariat.token, body)
    expect(logged.status).toBe(201)
    const communicationId = logged.json.communication.id
    const thread = await start(secretariat, {
      anchor: null,
      kind: 'procedural',
      body: 'Acknowledge receipt of this message would be highly appreciated.',
      communicationId,
      authorId: mexico.id,
    })
    expect(thread.status).toBe(201)
    expect(thread.json.thread).toMatchObject({ communicationId, author: { participantId: mexico.id } })
    const wrongAuthor = await start(secretariat, {
      anchor: null,
      kind: 'comment',
      body: 'x',
      communicationId,
      authorId: norland.id,
    })
    expect(wrongAuthor.status).toBe(400)
    const pending = await api(server.url, 'GET', '/api/communications', secretariat.token)
    expect(pending.json.communications[0]).toMatchObject({
      acknowledgedAt: null,
      threadIds: [thread.json.thread.id],
    })
    const ack = await api(
      server.url,
      'POST',
      `/api/communications/${communicationId}/acknowledge`,
      secretariat.token,
    )
    expect(ack.json.acknowledgement).toContain(
      'acknowledge receipt of its note verbale OGE-00421 dated 15 February 2021',
    )
    expect(ack.json.acknowledgement).toContain('presents its compliments')
    expect(
      (await api(server.url, 'POST', `/api/communications/${communicationId}/acknowledge`, secretariat.token))
        .status,
    ).toBe(409)
    // Acknowledging a thread: secretariat only; the delegate then sees it.
    const threadId = thread.json.thread.id
    expect(
      (await api(server.url, 'PATCH', `/api/threads/${threadId}`, facilitator.token, { acknowledge: true }))
        .status,
    ).toBe(403)
    await api(server.url, 'PATCH', `/api/threads/${threadId}`, secretariat.token, { acknowledge: true })
    const seen = await api(server.url, 'GET', `/api/threads/${threadId}`, mexico.token)
    expect(seen.json.thread.acknowledgedAt).not.toBeNull()
    expect(seen.json.thread.acknowledgement).toContain('OGE-00421')
  })

  it('marks threads started after the comment deadline as late, without refusing them', async () => {
    const set = await api(server.url, 'PATCH', `/api/documents/${documentId}`, facilitator.token, {
      commentDeadline: '2021-02-15T23:59:00Z',
    })
    expect(set.status).toBe(200)
    expect(set.json.document.commentDeadline).toBe('2021-02-15T23:59:00.000Z')
    const late = await start(norland, { anchor: null, kind: 'comment', body: 'A late remark.' })
    expect(late.status).toBe(201)
    expect(late.json.thread.late).toBe(true)
    await api(server.url, 'PATCH', `/api/documents/${documentId}`, facilitator.token, {
      commentDeadline: null,
    })
    expect((await start(norland, { anchor: null, kind: 'comment', body: 'On time.' })).json.thread.late).toBe(
      false,
    )
  })
})

describe('live', () => {
  it('tells every socket on the document when a thread is created', async () => {
    const watcher = connectClient(server.url, documentId, norland.token)
    await waitFor(() => watcher.provider.synced, 'synced')
    const { json } = await start(mexico, { anchor: null, kind: 'support', body: 'Mexico agrees.' })
    await waitFor(
      () => watcher.events.some((e) => e.type === 'thread.changed' && e.threadId === json.thread.id),
      'thread.changed event',
    )
    watcher.destroy()
  })
})
