import path from 'node:path'
import { yDocBlocks } from '@plenary/shared'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../src/auth/tokens.ts'
import { demoParticipants } from '../src/demo/participants.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { demoBlockIds, demoQuotes } from '../src/demo/workplan.ts'
import { loadYDoc } from '../src/storage/loadDoc.ts'
import { SqliteStore } from '../src/storage/SqliteStore.ts'
import { tempDir } from './helpers.ts'

let store: SqliteStore
let seeded: Awaited<ReturnType<typeof seedDemo>>

beforeAll(async () => {
  store = new SqliteStore(path.join(tempDir(), 'demo.sqlite'))
  await store.migrate()
  seeded = await seedDemo(store, 'http://127.0.0.1:8080')
})

afterAll(() => store.close())

describe('the demo', () => {
  it('creates one sign-in link per participant, each a working token', async () => {
    expect(seeded?.links).toHaveLength(demoParticipants.length)
    for (const link of seeded?.links ?? []) {
      const token = link.url.split('/join/')[1]
      const participant = await store.findParticipantByTokenHash(hashSecret(token))
      expect(participant?.name).toBe(link.name)
    }
  })

  it('gives the pen to the Chair and the three facilitators, and the secretariat edits anyway', async () => {
    const [document] = await store.listDocuments()
    const holders = await Promise.all(document.penHolders.map((id) => store.getParticipant(id)))
    expect(holders.map((p) => p?.role)).toEqual(['facilitator', 'facilitator', 'facilitator', 'facilitator'])
    const mexico = (await store.listParticipants()).find((p) => p.organisation === 'Mexico')
    expect(mexico?.role).toBe('delegate')
    expect(document.penHolders).not.toContain(mexico?.id)
  })

  it('numbers Part I and the annexes as a delegation would cite them', async () => {
    const doc = await loadYDoc(store, seeded?.documentId as string, pino({ level: 'silent' }))
    const blocks = yDocBlocks(doc)
    const numberOf = (id: string) => blocks.find((b) => b.id === id)?.number
    expect(numberOf(demoBlockIds.purpose)).toBe('1')
    expect(numberOf(demoBlockIds.annexAFirstSeries)).toMatch(/^A\d+$/)
    expect(numberOf(demoBlockIds.annexBFirstSeries)).toMatch(/^B\d+$/)
    expect(numberOf(demoBlockIds.stage2)).toMatch(/^C\d+$/)
    expect(blocks.find((b) => b.id === demoBlockIds.voluntaryNature)?.text).toContain(
      'living documents of a voluntary nature to be reviewed and updated regularly by the WGETI',
    )
    for (const [key, quote] of Object.entries(demoQuotes)) {
      const id = demoBlockIds[key as keyof typeof demoBlockIds]
      expect(blocks.find((b) => b.id === id)?.text, key).toContain(quote)
    }
  })

  it('is not loaded twice', async () => {
    expect(await seedDemo(store, 'http://127.0.0.1:8080')).toBeNull()
    expect(await store.listDocuments()).toHaveLength(1)
  })

  it("carries Mexico's note as a communication and its five points as threads on the right paragraphs", async () => {
    const documentId = seeded?.documentId as string
    const communications = await store.listCommunications()
    const note = communications.find((c) => c.organisation === 'Mexico')
    expect(note?.text).toContain('page 17 of the draft multi-year workplan')
    expect(note?.acknowledgement).toContain(note?.reference as string)
    expect(communications.length).toBeGreaterThanOrEqual(4)
    const threads = (await store.listThreads(documentId)).filter((t) => t.communicationId === note?.id)
    expect(threads.map((t) => t.kind).sort()).toEqual([
      'procedural',
      'proposal',
      'question',
      'question',
      'support',
    ])
    const on = (blockId: string) => threads.filter((t) => t.anchor?.blockId === blockId).map((t) => t.kind)
    expect(on(demoBlockIds.stage3)).toEqual(['proposal'])
    expect(on(demoBlockIds.stage2)).toEqual(['question'])
    expect(on(demoBlockIds.voluntaryNature)).toEqual(['question'])
    expect(threads.find((t) => t.kind === 'procedural')?.anchor).toBeNull()
  })
})
