/**
 * Loads the demo into an empty store: the draft workplans and their participants, each with an
 * invitation link. Links are printed once and kept in DATA_DIR/demo-links.txt (readable only by
 * the owner) so a restarted demo can still be entered.
 */
import fs from 'node:fs'
import path from 'node:path'
import { contentToYDoc, normalizeContent } from '@plenary/shared'
import * as Y from 'yjs'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { newId } from '../ids.ts'
import { revisionOf } from '../revisions/snapshot.ts'
import type { Store } from '../storage/Store.ts'
import { seedConsultation } from './consultation.ts'
import { demoParticipants } from './participants.ts'
import { demoWorkplan, demoWorkplanTitle } from './workplan.ts'

export type SignInLink = { name: string; organisation: string; role: string; url: string }

export const DEMO_LINKS_FILE = 'demo-links.txt'

/** Creates the demo when the store has no documents; returns the new sign-in links, or null. */
export async function seedDemo(
  store: Store,
  baseUrl: string,
): Promise<{ links: SignInLink[]; documentId: string } | null> {
  if ((await store.listDocuments()).length > 0) return null
  const links: SignInLink[] = []
  const ids = new Map<string, string>()
  for (const [index, person] of demoParticipants.entries()) {
    const token = newSecret()
    const id = `demo-${person.key}`
    try {
      await store.createParticipant({
        id,
        name: person.name,
        organisation: person.organisation,
        organisationKind: person.organisationKind,
        role: person.role,
        tokenHash: hashSecret(token),
      })
    } catch (error) {
      // Several instances started at once on one database: another one is loading the demo.
      if (index === 0 && error instanceof Error && error.name === 'StoreConflictError') return null
      throw error
    }
    ids.set(person.key, id)
    links.push({
      name: person.name,
      organisation: person.organisation,
      role: person.role,
      url: `${baseUrl}/join/${token}`,
    })
  }
  const doc = contentToYDoc(normalizeContent(demoWorkplan))
  const documentId = newId()
  await store.createDocument({
    id: documentId,
    title: demoWorkplanTitle,
    penHolders: demoParticipants.filter((p) => p.penHolder).map((p) => ids.get(p.key) as string),
    createdBy: ids.get('secretariat') ?? null,
    initialState: Y.encodeStateAsUpdate(doc),
  })
  // The draft as circulated on 29 January 2021 is the published "Draft" the comments were written on.
  const draft = revisionOf(doc, {
    documentId,
    kind: 'published',
    label: 'Draft',
    symbol: 'ATT/CSP7.WGETI/2021/CHAIR/DEMO/Draft',
    note: 'Circulated by the CSP7 President on 29 January 2021 for written comments.',
    createdBy: ids.get('chair') ?? null,
    contributors: [],
  })
  await store.createRevision(
    { ...draft, createdAt: '2021-01-29T09:00:00.000Z' },
    {
      actorId: null,
      action: 'revision.published',
      subjectType: 'revision',
      subjectId: draft.id,
      details: { demo: true },
    },
  )
  await seedConsultation(store, doc, documentId, demoWorkplanTitle, ids)
  doc.destroy()
  return { links, documentId }
}

export function formatLinks(links: SignInLink[]): string {
  const width = Math.max(...links.map((l) => `${l.name} (${l.organisation}, ${l.role})`.length))
  return links.map((l) => `${`${l.name} (${l.organisation}, ${l.role})`.padEnd(width)}  ${l.url}`).join('\n')
}

export function writeLinksFile(dataDir: string, links: SignInLink[]): string {
  const file = path.join(dataDir, DEMO_LINKS_FILE)
  fs.mkdirSync(dataDir, { recursive: true })
  fs.writeFileSync(file, `Plenary demo sign-in links (keep private)\n\n${formatLinks(links)}\n`, {
    mode: 0o600,
  })
  return file
}
