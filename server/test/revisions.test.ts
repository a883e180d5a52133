import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
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
let delegate: TestParticipant
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
      attrs: { id: 'stage-1' },
      content: [{ type: 'text', text: 'Stage 1 covers the assessment before export.' }],
    },
    {
      type: 'paragraph',
      attrs: { id: 'stage-2' },
      content: [{ type: 'text', text: 'Stage 2 concerns transit and trans-shipment.' }],
    },
    {
      type: 'paragraph',
      attrs: { id: 'stage-3' },
      content: [{ type: 'text', text: 'Stage 3 covers post-delivery cooperation.' }],
    },
  ],
}

beforeAll(async () => {
  server = await startServer()
  secretariat = await createParticipant(server.store, 'secretariat', 'Sam Secretariat')
  facilitator = await createParticipant(server.store, 'facilitator', 'Ana Facilitator')
  delegate = await createParticipant(server.store, 'delegate', 'Maria Delegate')
  documentId = await createDocument(server.store, [facilitator.id], content as never)
})

afterAll(() => server.close())

const blocks = async () =>
  (await api(server.url, 'GET', `/api/documents/${documentId}/blocks`, secretariat.token)).json.blocks as {
    id: string
    text: string
  }[]

describe('revisions', () => {
  it('publishes the live text as Draft then Rev.1, immutable, hashed, listed for everyone, announced live', async () => {
    expect(
      (await api(server.url, 'POST', `/api/documents/${documentId}/revisions`, delegate.token, {})).status,
    ).toBe(403)
    const watcher = connectClient(server.url, documentId, delegate.token)
    await waitFor(() => watcher.provider.synced, 'synced')
    const draft = await api(server.url, 'POST', `/api/documents/${documentId}/revisions`, facilitator.token, {
      symbol: 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft',
      note: 'Circulated for written comments.',
    })
    expect(draft.status).toBe(201)
    expect(draft.json.revision).toMatchObject({
      label: 'Draft',
      symbol: 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft',
      createdBy: facilitator.id,
    })
    expect(draft.json.revision.hash).toMatch(/^[0-9a-f]{64}$/)
    await waitFor(
      () => watcher.events.some((e) => e.type === 'revision.published' && e.label === 'Draft'),
      'event',
    )
    watcher.destroy()

    const writer = connectClient(server.url, documentId, facilitator.token)
    await waitFor(() => writer.provider.synced, 'synced')
    typeInto(writer.doc, 2, ' In the first series.')
    await waitFor(() => writer.allSaved(), 'saved')
    writer.destroy()
    const rev1 = await api(
      server.url,
      'POST',
      `/api/documents/${documentId}/revisions`,
      secretariat.token,
      {},
    )
    expect(rev1.json.revision).toMatchObject({
      label: 'Rev.1',
      symbol: 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft.Rev1',
    })
    expect(rev1.json.revision.hash).not.toBe(draft.json.revision.hash)
    expect(rev1.json.revision.contributors.map((c: { name: string }) => c.name)).toContain('Ana Facilitator')

    const list = await api(server.url, 'GET', `/api/documents/${documentId}/revisions`, delegate.token)
    expect(list.json.revisions.map((r: { label: string }) => r.label)).toEqual(['Draft', 'Rev.1'])
    // A thread incorporated after Rev.1 is linked to the next revision when it is published.
    const thread = await api(server.url, 'POST', `/api/documents/${documentId}/threads`, delegate.token, {
      anchor: null,
      kind: 'comment',
      body: 'Please say which series.',
    })
    expect(thread.json.thread.createdInRevision).toBe('Rev.1')
    await api(server.url, 'PATCH', `/api/threads/${thread.json.thread.id}`, facilitator.token, {
      disposition: { outcome: 'incorporated', response: 'Done in paragraph C2.' },
    })
    const rev2 = await api(
      server.url,
      'POST',
      `/api/documents/${documentId}/revisions`,
      facilitator.token,
      {},
    )
    expect(rev2.json.revision.label).toBe('Rev.2')
    const linked = await api(server.url, 'GET', `/api/threads/${thread.json.thread.id}`, delegate.token)
    expect(linked.json.thread.reflectedIn).toBe('Rev.2')
    expect(list.json.next.label).toBe('Rev.2')
    const old = await api(
      server.url,
      'GET',
      `/api/documents/${documentId}/revisions/${draft.json.revision.id}/content`,
      delegate.token,
    )
    expect(JSON.stringify(old.json.content)).not.toContain('In the first series.')
    expect(old.json.content.content[2].attrs.id).toBe('stage-2')
    const duplicate = await api(
      server.url,
      'POST',
      `/api/documents/${documentId}/revisions`,
      facilitator.token,
      { label: 'Draft' },
    )
    expect(duplicate.status).toBe(409)
  })

  it('refuses a revision of another document with a clear code', async () => {
    const other = await createDocument(server.store, [facilitator.id], content as never)
    const published = await api(
      server.url,
      'POST',
      `/api/documents/${other}/revisions`,
      facilitator.token,
      {},
    )
    const crossed = await api(
      server.url,
      'GET',
      `/api/documents/${documentId}/revisions/${published.json.revision.id}/content`,
      delegate.token,
    )
    expect(crossed.status).toBe(400)
    expect(crossed.json.error.code).toBe('revision_mismatch')
    expect(
      (await api(server.url, 'GET', `/api/documents/${documentId}/revisions/nosuch/content`, delegate.token))
        .status,
    ).toBe(404)
  })

  it('restores a revision as a new change, keeping block ids and the threads on them', async () => {
    const list = await api(server.url, 'GET', `/api/documents/${documentId}/revisions`, delegate.token)
    const draftId = list.json.revisions[0].id
    // A thread on Stage 3's words, then an edit of that paragraph after the Draft.
    const thread = await api(server.url, 'POST', `/api/documents/${documentId}/threads`, delegate.token, {
      anchor: { blockId: 'stage-3', quote: 'post-delivery cooperation' },
      kind: 'comment',
      body: 'On cooperation.',
    })
    const writer = connectClient(server.url, documentId, facilitator.token)
    await waitFor(() => writer.provider.synced, 'synced')
    const stage3 = writer.doc.getXmlFragment('default').get(3) as Y.XmlElement
    writer.doc.transact(() => (stage3.get(0) as Y.XmlText).insert(0, 'Revised: '))
    await waitFor(() => writer.allSaved(), 'saved')

    expect(
      (
        await api(
          server.url,
          'POST',
          `/api/documents/${documentId}/revisions/${draftId}/restore`,
          delegate.token,
        )
      ).status,
    ).toBe(403)
    const restored = await api(
      server.url,
      'POST',
      `/api/documents/${documentId}/revisions/${draftId}/restore`,
      facilitator.token,
    )
    expect(restored.status).toBe(200)
    expect(restored.json.changed).toBe(true)
    const after = await blocks()
    expect(after.map((b) => b.id)).toEqual(['annex-c', 'stage-1', 'stage-2', 'stage-3'])
    expect(after.find((b) => b.id === 'stage-2')?.text).toBe('Stage 2 concerns transit and trans-shipment.')
    expect(after.find((b) => b.id === 'stage-3')?.text).toBe('Stage 3 covers post-delivery cooperation.')
    // Everyone's editor received the restore live.
    await waitFor(() => !writer.text().includes('Revised: '), 'the restore reached the editor')
    writer.destroy()
    // The thread is found again on its words and re-anchored.
    const seen = await api(server.url, 'GET', `/api/threads/${thread.json.thread.id}`, delegate.token)
    expect(seen.json.thread.anchor).toMatchObject({ blockId: 'stage-3', quote: 'post-delivery cooperation' })
    expect(['exact', 'moved']).toContain(seen.json.thread.anchor.state)
    const again = await api(server.url, 'GET', `/api/threads/${thread.json.thread.id}`, delegate.token)
    expect(again.json.thread.anchor.state).toBe('exact')
    // The restore is itself in the history.
    const history = await api(
      server.url,
      'GET',
      `/api/documents/${documentId}/revisions?checkpoints=1`,
      delegate.token,
    )
    expect(history.json.revisions.at(-1).label).toBe('Restored Draft')
  })
})

describe('compare', () => {
  it('shows word changes, removed and added paragraphs since the last published revision, with their threads', async () => {
    const id = await createDocument(server.store, [facilitator.id], content as never)
    const rev1 = await api(server.url, 'POST', `/api/documents/${id}/revisions`, facilitator.token, {
      label: 'Rev.1',
    })
    const thread = await api(server.url, 'POST', `/api/documents/${id}/threads`, delegate.token, {
      anchor: { blockId: 'stage-2', quote: 'transit' },
      kind: 'question',
      body: 'Which series?',
    })
    const writer = connectClient(server.url, id, facilitator.token)
    await waitFor(() => writer.provider.synced, 'synced')
    const fragment = writer.doc.getXmlFragment('default')
    writer.doc.transact(() => {
      ;((fragment.get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(
        'Stage 2 concerns'.length,
        ' the role of',
      )
      fragment.delete(1, 1) // Stage 1 goes
      const added = new Y.XmlElement('paragraph')
      added.setAttribute('id', 'stage-4')
      added.insert(0, [new Y.XmlText('Cross-cutting detection and response.')])
      fragment.push([added])
    })
    await waitFor(() => writer.allSaved(), 'saved')
    writer.destroy()
    const compared = await api(server.url, 'GET', `/api/documents/${id}/compare`, delegate.token)
    expect(compared.status).toBe(200)
    expect(compared.json.from.id).toBe(rev1.json.revision.id)
    const byId = new Map(compared.json.blocks.map((b: { blockId: string }) => [b.blockId, b]))
    expect(byId.get('stage-1')).toMatchObject({
      change: 'removed',
      fromNumber: 'C1',
      toNumber: null,
      toText: null,
    })
    expect(byId.get('stage-2')).toMatchObject({ change: 'changed', fromNumber: 'C2', toNumber: 'C1' })
    expect((byId.get('stage-2') as { ops: unknown[] }).ops).toContainEqual({
      op: 'insert',
      text: 'the role of ',
    })
    expect((byId.get('stage-2') as { threadIds: string[] }).threadIds).toEqual([thread.json.thread.id])
    expect(byId.get('stage-4')).toMatchObject({ change: 'added', toNumber: 'C3' })
    expect(byId.get('stage-3')).toMatchObject({ change: 'unchanged' })
    // Deletions are never hidden: the removed paragraph stands where it was.
    expect(compared.json.blocks.map((b: { blockId: string }) => b.blockId)).toEqual([
      'annex-c',
      'stage-1',
      'stage-2',
      'stage-3',
      'stage-4',
    ])
    expect(compared.json.stats).toEqual({ added: 1, removed: 1, changed: 1, moved: 0, unchanged: 2 })
    // The same revision on both sides: nothing changed.
    const same = await api(
      server.url,
      'GET',
      `/api/documents/${id}/compare?from=${rev1.json.revision.id}&to=${rev1.json.revision.id}`,
      delegate.token,
    )
    expect(same.json.blocks.every((b: { change: string }) => b.change === 'unchanged')).toBe(true)
  })

  it('asks for a revision when nothing is published, and refuses another document’s', async () => {
    const id = await createDocument(server.store, [facilitator.id], content as never)
    const none = await api(server.url, 'GET', `/api/documents/${id}/compare`, delegate.token)
    expect(none.status).toBe(400)
    expect(none.json.error.code).toBe('no_revision')
    const other = await createDocument(server.store, [facilitator.id], content as never)
    const foreign = await api(server.url, 'POST', `/api/documents/${other}/revisions`, facilitator.token, {})
    const crossed = await api(
      server.url,
      'GET',
      `/api/documents/${id}/compare?from=${foreign.json.revision.id}`,
      delegate.token,
    )
    expect(crossed.status).toBe(400)
    expect(crossed.json.error.code).toBe('revision_mismatch')
    const bad = await api(server.url, 'GET', `/api/documents/${id}/compare?from=../../x`, delegate.token)
    expect(bad.status).toBe(400)
  })
})

describe('automatic checkpoints', () => {
  it('takes a checkpoint of an edited document at most once per interval, naming who edited', async () => {
    const local = await startServer({ PLENARY_CHECKPOINT_MINUTES: '0.005' })
    try {
      const writerParticipant = await createParticipant(local.store, 'facilitator', 'Ana Facilitator')
      const id = await createDocument(local.store, [writerParticipant.id], content as never)
      const writer = connectClient(local.url, id, writerParticipant.token)
      await waitFor(() => writer.provider.synced, 'synced')
      typeInto(writer.doc, 1, ' first')
      await waitFor(() => writer.allSaved(), 'saved')
      await new Promise((resolve) => setTimeout(resolve, 400))
      typeInto(writer.doc, 1, ' second')
      await waitFor(() => writer.allSaved(), 'saved')
      writer.destroy()
      const history = await api(
        local.url,
        'GET',
        `/api/documents/${id}/revisions?checkpoints=1`,
        writerParticipant.token,
      )
      const checkpoints = history.json.revisions.filter((r: { kind: string }) => r.kind === 'checkpoint')
      expect(checkpoints.length).toBeGreaterThanOrEqual(1)
      expect(checkpoints[0].contributors.map((c: { name: string }) => c.name)).toEqual(['Ana Facilitator'])
      const published = await api(local.url, 'GET', `/api/documents/${id}/revisions`, writerParticipant.token)
      expect(published.json.revisions).toEqual([])
    } finally {
      await local.close()
    }
  })
})
