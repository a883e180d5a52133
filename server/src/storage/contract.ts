/**
 * The storage contract: every Store (SQLite today, PostgreSQL later) must pass this one suite.
 * It speaks to the `Store` interface only. Rules are numbered (S1, S2, …) so a failure names the
 * rule it breaks; keep the numbers stable and add new rules at the end.
 *
 * `makeStore` returns a migrated, empty store; `cleanup` closes it and removes what it left behind
 * (the default only closes it).
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '@plenary/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type {
  AuditEntry,
  CommunicationRecord,
  MessageRecord,
  NewParticipant,
  RevisionRecord,
  Store,
  ThreadRecord,
  UpdateRow,
} from './Store.ts'

const uid = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`

/** Enough time for two ISO timestamps (millisecond precision) to differ. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 15))

const newParticipant = (role: Role = 'delegate', name = 'Delegate of Norway'): NewParticipant => ({
  id: uid('p'),
  name,
  organisation: 'Norway',
  organisationKind: 'state_party',
  role,
  tokenHash: uid('hash'),
})

const FIELD = 'body'

/** A real Yjs document: its initial state, and a clone on which edits produce updates. */
function draft(initialText = 'Draft workplan.') {
  const initial = new Y.Doc()
  initial.getText(FIELD).insert(0, initialText)
  const initialState = Y.encodeStateAsUpdate(initial)
  const editor = new Y.Doc()
  Y.applyUpdate(editor, initialState)
  const captured: Uint8Array[] = []
  editor.on('update', (update: Uint8Array) => captured.push(update))
  return {
    initialState,
    editor,
    /** Makes one edit and returns the update it produced. */
    edit(change: (text: Y.Text) => void): Uint8Array {
      const before = captured.length
      editor.transact(() => change(editor.getText(FIELD)))
      expect(captured.length).toBe(before + 1)
      return captured[captured.length - 1]
    },
    text: () => editor.getText(FIELD).toString(),
  }
}

const bytes = (data: Uint8Array) => Array.from(data)

/** The text a fresh Y.Doc holds after applying what the store returns, in order. */
async function storedText(store: Store, documentId: string): Promise<string> {
  const loaded = await store.loadDocument(documentId)
  // What a room loads is the same snapshot and updates, without the authorship.
  const state = await store.loadDocumentState(documentId)
  expect({
    snapshot: state.snapshot && bytes(state.snapshot),
    snapshotSeq: state.snapshotSeq,
    updates: state.updates.map((u) => ({ seq: u.seq, data: bytes(u.data) })),
  }).toEqual({
    snapshot: loaded.snapshot && bytes(loaded.snapshot),
    snapshotSeq: loaded.snapshotSeq,
    updates: loaded.updates.map((u) => ({ seq: u.seq, data: bytes(u.data) })),
  })
  const doc = new Y.Doc()
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
  for (const update of loaded.updates) Y.applyUpdate(doc, update.data)
  return doc.getText(FIELD).toString()
}

/** A question on the words "words" of block b1, with its first message: for store tests. */
export function newThread(documentId: string, authorId: string, at = new Date().toISOString()) {
  const record: ThreadRecord = {
    id: uid('t'),
    documentId,
    kind: 'question',
    status: 'open',
    visibility: 'everyone',
    authorId,
    anchor: {
      blockId: 'b1',
      start: 'AA==',
      end: 'AA==',
      quote: 'words',
      prefix: '',
      suffix: '',
      offset: 0,
    },
    proposal: null,
    appliedAt: null,
    appliedBy: null,
    disposition: null,
    communicationId: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgement: null,
    late: false,
    createdAt: at,
    updatedAt: at,
    createdInRevision: null,
    reflectedIn: null,
  }
  const first: MessageRecord = {
    id: uid('m'),
    threadId: record.id,
    authorId,
    body: 'First or second series?',
    createdAt: at,
    editedAt: null,
    withdrawnAt: null,
    history: [],
    mentions: [{ participantId: null, organisation: 'Mexico' }],
  }
  return { record, first }
}

export function storeContract(
  name: string,
  makeStore: () => Promise<Store>,
  cleanup?: (store: Store) => Promise<void>,
): void {
  describe(`${name} store contract`, () => {
    let store: Store

    beforeEach(async () => {
      store = await makeStore()
    })

    afterEach(async () => {
      if (cleanup) await cleanup(store)
      else await store.close()
    })

    async function createDocument(overrides: { title?: string; penHolders?: string[]; text?: string } = {}) {
      const d = draft(overrides.text)
      const id = uid('doc')
      const record = await store.createDocument({
        id,
        title: overrides.title ?? 'Draft workplan',
        penHolders: overrides.penHolders ?? [],
        createdBy: null,
        initialState: d.initialState,
      })
      return { id, record, draft: d }
    }

    // ------------------------------------------------------------ basics

    it('S0 basics: ping answers and migrating again changes nothing', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
      const participant = await store.createParticipant(newParticipant())
      await store.migrate()
      expect(await store.getParticipant(participant.id)).toEqual(participant)
    })

    // ------------------------------------------------------------ participants

    describe('participants', () => {
      it('S1 participants: created participant is found by id and by token hash', async () => {
        const input = newParticipant('facilitator', 'Ms Ana Ruiz')
        const created = await store.createParticipant(input)
        expect(created).toMatchObject({
          id: input.id,
          name: 'Ms Ana Ruiz',
          organisation: 'Norway',
          organisationKind: 'state_party',
          role: 'facilitator',
          revokedAt: null,
        })
        expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false)
        // The token hash is a secret: it is not part of the record handed around.
        expect(created).not.toHaveProperty('tokenHash')
        expect(await store.getParticipant(input.id)).toEqual(created)
        expect(await store.findParticipantByTokenHash(input.tokenHash)).toEqual(created)
      })

      it('S2 participants: an unknown id or token hash finds nobody', async () => {
        await store.createParticipant(newParticipant())
        expect(await store.getParticipant('nobody')).toBeNull()
        expect(await store.findParticipantByTokenHash('no-such-hash')).toBeNull()
      })

      it('S3 participants: two participants cannot share a token hash', async () => {
        const first = newParticipant()
        await store.createParticipant(first)
        await expect(
          store.createParticipant({ ...newParticipant(), tokenHash: first.tokenHash }),
        ).rejects.toThrow()
        expect((await store.findParticipantByTokenHash(first.tokenHash))?.id).toBe(first.id)
      })

      it('S4 participants: the list holds every participant once', async () => {
        expect(await store.listParticipants()).toEqual([])
        const created = [
          await store.createParticipant(newParticipant('secretariat', 'Secretariat')),
          await store.createParticipant(newParticipant('facilitator', 'Facilitator')),
          await store.createParticipant(newParticipant('reader', 'Reader')),
        ]
        const listed = await store.listParticipants()
        expect(listed).toHaveLength(3)
        expect(listed).toEqual(expect.arrayContaining(created))
      })

      it('S5 participants: a role change is stored and leaves the rest alone', async () => {
        const input = newParticipant('delegate')
        const created = await store.createParticipant(input)
        const updated = await store.updateParticipant(input.id, { role: 'facilitator' })
        expect(updated).toEqual({ ...created, role: 'facilitator' })
        expect(await store.getParticipant(input.id)).toEqual(updated)
        expect(await store.findParticipantByTokenHash(input.tokenHash)).toEqual(updated)
      })

      it('S6 participants: updating an unknown participant gives null', async () => {
        expect(await store.updateParticipant('nobody', { role: 'reader' })).toBeNull()
      })

      it("S7 participants: revoking marks the participant and ends that participant's sessions only", async () => {
        const revoked = newParticipant()
        const other = newParticipant()
        await store.createParticipant(revoked)
        await store.createParticipant(other)
        await store.createSession('s-revoked-1', revoked.id)
        await store.createSession('s-revoked-2', revoked.id)
        await store.createSession('s-other', other.id)

        const record = await store.updateParticipant(revoked.id, { revoked: true })
        expect(record?.revokedAt).not.toBeNull()
        expect(Number.isNaN(Date.parse(String(record?.revokedAt)))).toBe(false)
        expect(await store.findSession('s-revoked-1')).toBeNull()
        expect(await store.findSession('s-revoked-2')).toBeNull()
        expect(await store.findSession('s-other')).toBe(other.id)
        // A revoked participant is still found by token hash, so sign-in can say "revoked".
        expect((await store.findParticipantByTokenHash(revoked.tokenHash))?.revokedAt).not.toBeNull()
      })

      it('S8 participants: reinstating clears revokedAt', async () => {
        const input = newParticipant()
        await store.createParticipant(input)
        await store.updateParticipant(input.id, { revoked: true })
        const back = await store.updateParticipant(input.id, { revoked: false })
        expect(back?.revokedAt).toBeNull()
        expect((await store.getParticipant(input.id))?.revokedAt).toBeNull()
      })

      it('S9 participants: a new token hash replaces the old one', async () => {
        const input = newParticipant()
        await store.createParticipant(input)
        await store.updateParticipant(input.id, { tokenHash: 'rotated-hash' })
        expect(await store.findParticipantByTokenHash(input.tokenHash)).toBeNull()
        expect((await store.findParticipantByTokenHash('rotated-hash'))?.id).toBe(input.id)
      })
    })

    // ------------------------------------------------------------ sessions

    describe('sessions', () => {
      it('S10 sessions: a created session names its participant until it is deleted', async () => {
        const a = newParticipant()
        const b = newParticipant()
        await store.createParticipant(a)
        await store.createParticipant(b)
        await store.createSession('session-a', a.id)
        await store.createSession('session-b', b.id)
        expect(await store.findSession('session-a')).toBe(a.id)
        expect(await store.findSession('session-b')).toBe(b.id)

        await store.deleteSession('session-a')
        expect(await store.findSession('session-a')).toBeNull()
        expect(await store.findSession('session-b')).toBe(b.id)
      })

      it('S11 sessions: an unknown session finds nobody and deleting it is harmless', async () => {
        expect(await store.findSession('no-such-session')).toBeNull()
        await expect(store.deleteSession('no-such-session')).resolves.toBeUndefined()
      })
    })

    // ------------------------------------------------------------ documents

    describe('documents', () => {
      it('S12 documents: a created document is stored with its title, pen holders and creator', async () => {
        const creator = await store.createParticipant(newParticipant('secretariat'))
        const id = uid('doc')
        const record = await store.createDocument({
          id,
          title: 'Draft workplan 2026–2027',
          penHolders: ['p-1', 'p-2'],
          createdBy: creator.id,
          initialState: draft().initialState,
        })
        expect(record).toMatchObject({
          id,
          title: 'Draft workplan 2026–2027',
          penHolders: ['p-1', 'p-2'],
          createdBy: creator.id,
        })
        expect(Number.isNaN(Date.parse(record.createdAt))).toBe(false)
        expect(Number.isNaN(Date.parse(record.updatedAt))).toBe(false)
        expect(await store.getDocument(id)).toEqual(record)
        expect(await store.getDocument('no-such-document')).toBeNull()
      })

      it('S13 documents: the initial state is the first snapshot, with no updates after it', async () => {
        const { id, draft: d } = await createDocument({ text: 'Initial text of the draft.' })
        const loaded = await store.loadDocument(id)
        expect(bytes(loaded.snapshot ?? new Uint8Array())).toEqual(bytes(d.initialState))
        expect(loaded.snapshotSeq).toBe(0)
        expect(loaded.updates).toEqual([])
        expect(await store.countUpdates(id)).toBe(0)
        expect(await storedText(store, id)).toBe('Initial text of the draft.')
      })

      it('S14 documents: the list puts the most recently changed document first', async () => {
        const older = await createDocument({ title: 'Older' })
        await tick()
        const newer = await createDocument({ title: 'Newer' })
        expect((await store.listDocuments()).map((d) => d.title)).toEqual(['Newer', 'Older'])

        await tick()
        await store.appendUpdates(older.id, [
          { data: older.draft.edit((t) => t.insert(0, 'Revised. ')), participantId: null },
        ])
        const listed = await store.listDocuments()
        expect(listed.map((d) => d.id)).toEqual([older.id, newer.id])
        for (let i = 1; i < listed.length; i++) {
          expect(Date.parse(listed[i - 1].updatedAt)).toBeGreaterThanOrEqual(Date.parse(listed[i].updatedAt))
        }
      })

      it('S15 documents: title and pen holders can be changed, one without the other', async () => {
        const { id, record } = await createDocument({ title: 'Draft', penHolders: ['a'] })
        const retitled = await store.updateDocument(id, { title: 'Draft, rev. 1' })
        expect(retitled).toMatchObject({
          title: 'Draft, rev. 1',
          penHolders: ['a'],
          createdAt: record.createdAt,
        })
        const repenned = await store.updateDocument(id, { penHolders: ['b', 'c'] })
        expect(repenned).toMatchObject({ title: 'Draft, rev. 1', penHolders: ['b', 'c'] })
        expect(await store.getDocument(id)).toEqual(repenned)
        const cleared = await store.updateDocument(id, { penHolders: [] })
        expect(cleared?.penHolders).toEqual([])
        expect(await store.updateDocument('no-such-document', { title: 'x' })).toBeNull()
      })
    })

    // ------------------------------------------------------------ updates

    describe('updates', () => {
      it('S16 updates: appendUpdates returns the seq of the last update, increasing across calls', async () => {
        const { id, draft: d } = await createDocument()
        const first = await store.appendUpdates(id, [
          { data: d.edit((t) => t.insert(0, 'A')), participantId: null },
        ])
        const second = await store.appendUpdates(id, [
          { data: d.edit((t) => t.insert(0, 'B')), participantId: null },
          { data: d.edit((t) => t.insert(0, 'C')), participantId: null },
          { data: d.edit((t) => t.insert(0, 'D')), participantId: null },
        ])
        const third = await store.appendUpdates(id, [
          { data: d.edit((t) => t.insert(0, 'E')), participantId: null },
        ])
        expect(second).toBeGreaterThan(first)
        expect(third).toBeGreaterThan(second)
        const seqs = (await store.loadDocument(id)).updates.map((u) => u.seq)
        expect(seqs).toHaveLength(5)
        expect(seqs[0]).toBeGreaterThan(0)
        expect(seqs[3]).toBe(second)
        expect(seqs[4]).toBe(third)
        expect(seqs[0]).toBe(first)
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1])
      })

      it('S17 updates: loading gives the snapshot and every update in order, with who sent it', async () => {
        const author = await store.createParticipant(newParticipant('facilitator'))
        const { id, draft: d } = await createDocument({ text: 'The Conference decides.' })
        const rows: UpdateRow[] = [
          {
            data: d.edit((t) => t.insert(t.length, ' It requests the secretariat.')),
            participantId: author.id,
          },
          { data: d.edit((t) => t.delete(4, 10)), participantId: author.id },
          { data: d.edit((t) => t.insert(4, 'Meeting of the Parties')), participantId: null },
        ]
        await store.appendUpdates(id, rows.slice(0, 2))
        await store.appendUpdates(id, rows.slice(2))

        const loaded = await store.loadDocument(id)
        expect(loaded.updates.map((u) => bytes(u.data))).toEqual(rows.map((r) => bytes(r.data)))
        expect(loaded.updates.map((u) => u.participantId)).toEqual([author.id, author.id, null])
        for (const update of loaded.updates) expect(Number.isNaN(Date.parse(update.createdAt))).toBe(false)
        expect(await store.countUpdates(id)).toBe(3)
        expect(d.text()).toBe('The Meeting of the Parties decides. It requests the secretariat.')
        expect(await storedText(store, id)).toBe(d.text())
      })

      it('S18 updates: updatedAt moves forward and lastChangeBy names the last author', async () => {
        const first = await store.createParticipant(newParticipant('facilitator', 'First'))
        const second = await store.createParticipant(newParticipant('secretariat', 'Second'))
        const { id, record, draft: d } = await createDocument()
        await tick()
        await store.appendUpdates(id, [{ data: d.edit((t) => t.insert(0, '1 ')), participantId: first.id }])
        const afterFirst = await store.getDocument(id)
        expect(Date.parse(String(afterFirst?.updatedAt))).toBeGreaterThan(Date.parse(record.updatedAt))
        expect(afterFirst?.lastChangeBy).toBe(first.id)

        await tick()
        await store.appendUpdates(id, [
          { data: d.edit((t) => t.insert(0, '2 ')), participantId: first.id },
          { data: d.edit((t) => t.insert(0, '3 ')), participantId: second.id },
        ])
        const afterSecond = await store.getDocument(id)
        expect(Date.parse(String(afterSecond?.updatedAt))).toBeGreaterThan(
          Date.parse(String(afterFirst?.updatedAt)),
        )
        expect(afterSecond?.lastChangeBy).toBe(second.id)
        // createdAt never moves.
        expect(afterSecond?.createdAt).toBe(record.createdAt)
      })

      it("S19 updates: the server's own writes (no participant) do not erase who last changed the text", async () => {
        const author = await store.createParticipant(newParticipant('facilitator'))
        const { id, draft: d } = await createDocument()
        await store.appendUpdates(id, [{ data: d.edit((t) => t.insert(0, 'x')), participantId: author.id }])
        await store.appendUpdates(id, [{ data: d.edit((t) => t.insert(0, 'y')), participantId: null }])
        expect((await store.getDocument(id))?.lastChangeBy).toBe(author.id)
      })

      it('S20 updates: the logs of two documents are kept apart', async () => {
        const a = await createDocument({ text: 'Document A.' })
        const b = await createDocument({ text: 'Document B.' })
        await store.appendUpdates(a.id, [
          { data: a.draft.edit((t) => t.insert(0, 'Edited ')), participantId: null },
        ])
        await store.appendUpdates(b.id, [
          { data: b.draft.edit((t) => t.insert(0, 'Changed ')), participantId: null },
        ])
        await store.appendUpdates(a.id, [
          { data: a.draft.edit((t) => t.insert(0, 'Twice ')), participantId: null },
        ])
        expect(await store.countUpdates(a.id)).toBe(2)
        expect(await store.countUpdates(b.id)).toBe(1)
        expect(await storedText(store, a.id)).toBe('Twice Edited Document A.')
        expect(await storedText(store, b.id)).toBe('Changed Document B.')
      })

      it('S21 updates: edits of two people merge when loaded', async () => {
        const { id, draft: d } = await createDocument({ text: 'Paragraph.' })
        const other = new Y.Doc()
        Y.applyUpdate(other, d.initialState)
        const otherUpdates: Uint8Array[] = []
        other.on('update', (update: Uint8Array) => otherUpdates.push(update))
        other.getText(FIELD).insert(0, 'Second ')
        const mine = d.edit((t) => t.insert(t.length, ' First'))
        await store.appendUpdates(id, [{ data: mine, participantId: null }])
        await store.appendUpdates(id, [{ data: otherUpdates[0], participantId: null }])
        Y.applyUpdate(d.editor, otherUpdates[0])
        expect(await storedText(store, id)).toBe(d.text())
        expect(d.text()).toBe('Second Paragraph. First')
      })

      it('S22 updates: updates for an unknown document are refused', async () => {
        const d = draft()
        await expect(
          store.appendUpdates('no-such-document', [
            { data: d.edit((t) => t.insert(0, 'x')), participantId: null },
          ]),
        ).rejects.toThrow()
      })
    })

    // ------------------------------------------------------------ compaction

    describe('compaction', () => {
      async function documentWithLog(count: number) {
        const { id, draft: d } = await createDocument({ text: 'Base.' })
        let seq = 0
        for (let i = 0; i < count; i++) {
          seq = await store.appendUpdates(id, [
            { data: d.edit((t) => t.insert(t.length, ` ${i}`)), participantId: null },
          ])
        }
        return { id, d, seq }
      }

      it('S23 compaction: afterwards loading gives the new snapshot and only the later updates', async () => {
        const { id, d } = await documentWithLog(5)
        const loaded = await store.loadDocument(id)
        const throughSeq = loaded.updates[2].seq
        // The state through the third update: the initial state plus the first three updates.
        const partial = new Y.Doc()
        Y.applyUpdate(partial, loaded.snapshot as Uint8Array)
        for (const update of loaded.updates.slice(0, 3)) Y.applyUpdate(partial, update.data)
        const state = Y.encodeStateAsUpdate(partial)

        await store.compact(id, state, throughSeq)
        const after = await store.loadDocument(id)
        expect(bytes(after.snapshot ?? new Uint8Array())).toEqual(bytes(state))
        expect(after.snapshotSeq).toBe(throughSeq)
        expect(after.updates.map((u) => u.seq)).toEqual(loaded.updates.slice(3).map((u) => u.seq))
        expect(after.updates.map((u) => bytes(u.data))).toEqual(
          loaded.updates.slice(3).map((u) => bytes(u.data)),
        )
        expect(await store.countUpdates(id)).toBe(2)
        expect(await storedText(store, id)).toBe(d.text())
        expect(d.text()).toBe('Base. 0 1 2 3 4')
      })

      it('S24 compaction: compacting everything leaves the same text and an empty log', async () => {
        const { id, d, seq } = await documentWithLog(4)
        const before = await storedText(store, id)
        const full = new Y.Doc()
        const loaded = await store.loadDocument(id)
        Y.applyUpdate(full, loaded.snapshot as Uint8Array)
        for (const update of loaded.updates) Y.applyUpdate(full, update.data)
        await store.compact(id, Y.encodeStateAsUpdate(full), seq)

        expect(await store.countUpdates(id)).toBe(0)
        const after = await store.loadDocument(id)
        expect(after.updates).toEqual([])
        expect(after.snapshotSeq).toBe(seq)
        expect(await storedText(store, id)).toBe(before)
        expect(before).toBe(d.text())
      })

      it('S25 compaction: updates appended afterwards continue the sequence and survive', async () => {
        const { id, d, seq } = await documentWithLog(3)
        await store.compact(id, Y.encodeStateAsUpdate(d.editor), seq)
        const next = await store.appendUpdates(id, [
          { data: d.edit((t) => t.insert(0, 'New. ')), participantId: null },
        ])
        expect(next).toBeGreaterThan(seq)
        const loaded = await store.loadDocument(id)
        expect(loaded.updates.map((u) => u.seq)).toEqual([next])
        expect(await store.countUpdates(id)).toBe(1)
        expect(await storedText(store, id)).toBe('New. Base. 0 1 2')
      })

      it('S26 compaction: a late compaction through an older seq does not replace a newer snapshot', async () => {
        const { id, d } = await documentWithLog(4)
        const loaded = await store.loadDocument(id)
        const oldDoc = new Y.Doc()
        Y.applyUpdate(oldDoc, loaded.snapshot as Uint8Array)
        Y.applyUpdate(oldDoc, loaded.updates[0].data)
        const oldState = Y.encodeStateAsUpdate(oldDoc)

        await store.compact(id, Y.encodeStateAsUpdate(d.editor), loaded.updates[3].seq)
        await store.compact(id, oldState, loaded.updates[0].seq)
        expect(await storedText(store, id)).toBe('Base. 0 1 2 3')
        expect((await store.loadDocument(id)).snapshotSeq).toBe(loaded.updates[3].seq)
      })
    })

    // ------------------------------------------------------------ several instances

    describe('several instances', () => {
      it('S36 catch-up: what a copy through a seq lacks is the later updates, or the snapshot and its tail after a compaction', async () => {
        const { id, draft: d } = await createDocument({ text: 'Base.' })
        const seqs: number[] = []
        for (const word of [' one', ' two', ' three']) {
          seqs.push(
            await store.appendUpdates(id, [
              { data: d.edit((t) => t.insert(t.length, word)), participantId: null },
            ]),
          )
        }
        const tail = await store.loadDocumentSince(id, seqs[0])
        expect(tail.snapshot).toBeNull()
        expect(tail.updates.map((u) => u.seq)).toEqual(seqs.slice(1))
        expect(await store.loadDocumentSince(id, seqs[2])).toMatchObject({ snapshot: null, updates: [] })

        // A copy holding only the first update: apply what it lacks and it reads like the store.
        const copy = new Y.Doc()
        const first = await store.loadDocument(id)
        Y.applyUpdate(copy, first.snapshot as Uint8Array)
        Y.applyUpdate(copy, first.updates[0].data)
        await store.compact(id, Y.encodeStateAsUpdate(d.editor), seqs[1])
        const lacking = await store.loadDocumentSince(id, seqs[0])
        expect(lacking.snapshotSeq).toBe(seqs[1])
        expect(lacking.snapshot).not.toBeNull()
        expect(lacking.updates.map((u) => u.seq)).toEqual([seqs[2]])
        Y.applyUpdate(copy, lacking.snapshot as Uint8Array)
        for (const update of lacking.updates) Y.applyUpdate(copy, update.data)
        expect(copy.getText(FIELD).toString()).toBe('Base. one two three')
        // Past the snapshot, only the tail again.
        expect((await store.loadDocumentSince(id, seqs[1])).snapshot).toBeNull()
      })

      it('S37 tasks: of several claims at once exactly one wins; another wins only after the interval', async () => {
        const { id } = await createDocument()
        const { id: other } = await createDocument()
        const claims = await Promise.all(
          ['a', 'b', 'c', 'd'].map((owner) => store.claimTask(id, 'compact', owner, 60_000)),
        )
        expect(claims.filter(Boolean)).toHaveLength(1)
        expect(await store.claimTask(id, 'compact', 'b', 60_000)).toBe(false)
        // Tasks and documents are claimed apart.
        expect(await store.claimTask(id, 'checkpoint', 'b', 60_000)).toBe(true)
        expect(await store.claimTask(other, 'compact', 'b', 60_000)).toBe(true)
        await new Promise((resolve) => setTimeout(resolve, 30))
        expect(await store.claimTask(id, 'compact', 'c', 20)).toBe(true)
        expect(await store.claimTask(id, 'compact', 'd', 60_000)).toBe(false)
      })
    })

    // ------------------------------------------------------------ atomicity

    describe('atomicity', () => {
      it('S27 atomicity: a batch that fails part-way stores none of its updates', async () => {
        const author = await store.createParticipant(newParticipant('facilitator'))
        const { id, record, draft: d } = await createDocument({ text: 'Kept.' })
        const good = d.edit((t) => t.insert(0, 'Lost? '))
        // The second row is not an update at all, so the store fails while writing the batch.
        const broken = [
          { data: good, participantId: author.id },
          { data: undefined as unknown as Uint8Array, participantId: author.id },
        ]
        await expect(store.appendUpdates(id, broken)).rejects.toThrow()

        expect(await store.countUpdates(id)).toBe(0)
        expect((await store.loadDocument(id)).updates).toEqual([])
        expect(await storedText(store, id)).toBe('Kept.')
        expect((await store.getDocument(id))?.lastChangeBy).toBe(record.lastChangeBy)

        // The store goes on working, and the next batch is stored whole.
        await store.appendUpdates(id, [{ data: good, participantId: author.id }])
        expect(await storedText(store, id)).toBe('Lost? Kept.')
      })

      it('S28 atomicity: concurrent batches are never interleaved and each keeps its order', async () => {
        const { id, draft: d } = await createDocument({ text: '' })
        const batches = Array.from({ length: 5 }, (_, b) =>
          Array.from({ length: 4 }, (_, i) => ({
            data: d.edit((t) => t.insert(t.length, `${b}.${i} `)),
            participantId: null,
          })),
        )
        const lastSeqs = await Promise.all(batches.map((batch) => store.appendUpdates(id, batch)))
        const loaded = await store.loadDocument(id)
        expect(loaded.updates).toHaveLength(20)
        expect(new Set(loaded.updates.map((u) => u.seq)).size).toBe(20)
        const seqOf = new Map(loaded.updates.map((u) => [bytes(u.data).join(','), u.seq]))
        const runs = batches.map((batch, b) => {
          const seqs = batch.map((row) => seqOf.get(bytes(row.data).join(',')) as number)
          for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1])
          expect(seqs[seqs.length - 1]).toBe(lastSeqs[b])
          return { first: seqs[0], last: seqs[seqs.length - 1] }
        })
        runs.sort((x, y) => x.first - y.first)
        for (let i = 1; i < runs.length; i++) expect(runs[i].first).toBeGreaterThan(runs[i - 1].last)
        expect(await storedText(store, id)).toBe(d.text())
      })
    })

    // ------------------------------------------------------------ threads, messages, communications

    describe('comments', () => {
      const audit = (subjectId: string, action = 'test'): AuditEntry => ({
        actorId: null,
        action,
        subjectType: 'thread',
        subjectId,
        details: { note: action },
      })

      async function thread(documentId: string, authorId: string, at = new Date().toISOString()) {
        const { record, first } = newThread(documentId, authorId, at)
        await store.createThread(record, first, audit(record.id, 'thread.created'))
        return { record, first }
      }

      it('S29 threads: a created thread comes back whole with its first message, listed in creation order', async () => {
        const { id } = await createDocument()
        const author = await store.createParticipant(newParticipant())
        const a = await thread(id, author.id, '2021-02-15T10:00:00.000Z')
        const b = await thread(id, author.id, '2021-02-16T10:00:00.000Z')
        expect(await store.getThread(a.record.id)).toEqual(a.record)
        expect((await store.listThreads(id)).map((t) => t.id)).toEqual([a.record.id, b.record.id])
        expect(await store.listMessages([a.record.id])).toEqual([a.first])
      })

      it('S30 threads: updates change only what they name, and leave an audit entry', async () => {
        const { id } = await createDocument()
        const author = await store.createParticipant(newParticipant())
        const { record } = await thread(id, author.id)
        const disposition = {
          outcome: 'answered' as const,
          response: 'In the first series.',
          decidedAt: 'x',
          decidedBy: author.id,
        }
        const updated = await store.updateThread(
          record.id,
          { status: 'closed', disposition },
          audit(record.id, 'thread.updated'),
        )
        expect(updated).toMatchObject({
          status: 'closed',
          disposition,
          kind: 'question',
          anchor: record.anchor,
        })
        expect((await store.listAudit(record.id)).map((e) => e.action)).toEqual([
          'thread.created',
          'thread.updated',
        ])
        expect(await store.updateThread('nope', { status: 'open' }, audit('nope'))).toBeNull()
      })

      it('S31 messages: an edit keeps the earlier body in the history; a withdrawal keeps the row', async () => {
        const { id } = await createDocument()
        const author = await store.createParticipant(newParticipant())
        const { first } = await thread(id, author.id)
        const edited = await store.updateMessage(first.id, { body: 'Second version' }, audit(first.id))
        expect(edited?.body).toBe('Second version')
        expect(edited?.history.map((h) => h.body)).toEqual(['First or second series?'])
        expect(edited?.editedAt).not.toBeNull()
        const withdrawn = await store.updateMessage(first.id, { withdrawn: true }, audit(first.id))
        expect(withdrawn?.withdrawnAt).not.toBeNull()
        expect(await store.listMessages([first.threadId])).toHaveLength(1)
      })

      it('S32 mentions: messages mentioning a participant or their organisation are found, newest first', async () => {
        const { id } = await createDocument()
        const author = await store.createParticipant(newParticipant())
        const { first, record } = await thread(id, author.id, '2021-02-15T10:00:00.000Z')
        const reply: MessageRecord = {
          ...first,
          id: uid('m'),
          body: 'Thank you @Norway',
          createdAt: '2021-02-16T10:00:00.000Z',
          mentions: [{ participantId: author.id, organisation: null }],
        }
        await store.addMessage(reply, audit(record.id))
        expect((await store.listMentions(author.id, 'Norway')).map((m) => m.id)).toEqual([reply.id])
        expect((await store.listMentions('someone-else', 'Mexico')).map((m) => m.id)).toEqual([first.id])
      })

      it('S33 communications: logged, listed, acknowledged once with its text', async () => {
        const { id } = await createDocument()
        const communication: CommunicationRecord = {
          id: uid('c'),
          organisation: 'Mexico',
          reference: 'OGE-00421',
          sentAt: '2021-02-15',
          receivedAt: '2021-02-15',
          channel: 'note_verbale',
          text: 'The Permanent Mission of Mexico presents its compliments…',
          documentId: id,
          createdBy: 'secretariat',
          createdAt: '2021-02-15T10:00:00.000Z',
          acknowledgedAt: null,
          acknowledgedBy: null,
          acknowledgement: null,
        }
        await store.createCommunication(communication, audit(communication.id))
        expect(await store.listCommunications()).toEqual([communication])
        const ack = {
          acknowledgedAt: '2021-02-17T09:00:00.000Z',
          acknowledgedBy: 'secretariat',
          acknowledgement: 'Receipt acknowledged.',
        }
        expect(await store.acknowledgeCommunication(communication.id, ack, audit(communication.id))).toEqual({
          ...communication,
          ...ack,
        })
        expect(await store.getCommunication(communication.id)).toEqual({ ...communication, ...ack })
      })

      it('S35 revisions: stored whole, listed oldest first, checkpoints only when asked', async () => {
        const { id, draft: d } = await createDocument()
        const revision = (kind: 'published' | 'checkpoint', label: string, at: string): RevisionRecord => ({
          id: uid('r'),
          documentId: id,
          kind,
          label,
          symbol: kind === 'published' ? `ATT/${label}` : null,
          note: '',
          state: d.initialState,
          content: { type: 'doc', content: [{ type: 'paragraph', attrs: { id: 'b1' } }] },
          hash: 'a'.repeat(64),
          createdAt: at,
          createdBy: null,
          contributors: ['p1'],
        })
        const draftRevision = revision('published', 'Draft', '2021-01-29T10:00:00.000Z')
        const checkpoint = revision('checkpoint', 'Checkpoint', '2021-02-01T10:00:00.000Z')
        const rev1 = revision('published', 'Rev.1', '2021-03-01T10:00:00.000Z')
        for (const r of [rev1, draftRevision, checkpoint])
          await store.createRevision(r, audit(r.id, 'revision'))
        expect((await store.listRevisions(id, { checkpoints: false })).map((r) => r.label)).toEqual([
          'Draft',
          'Rev.1',
        ])
        expect((await store.listRevisions(id, { checkpoints: true })).map((r) => r.label)).toEqual([
          'Draft',
          'Checkpoint',
          'Rev.1',
        ])
        const stored = await store.getRevision(rev1.id)
        expect(stored).toEqual(rev1)
        expect(Array.from(stored?.state ?? [])).toEqual(Array.from(d.initialState))
      })

      it('S34 documents: a comment deadline is set and cleared', async () => {
        const { id } = await createDocument()
        expect(
          (await store.updateDocument(id, { commentDeadline: '2021-02-15T23:59:00.000Z' }))?.commentDeadline,
        ).toBe('2021-02-15T23:59:00.000Z')
        expect((await store.updateDocument(id, { commentDeadline: null }))?.commentDeadline).toBeNull()
      })
    })
  })
}
