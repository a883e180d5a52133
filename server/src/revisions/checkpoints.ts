import type * as Y from 'yjs'
import type { Store } from '../storage/Store.ts'
import { revisionOf } from './snapshot.ts'

/** Stores an automatic checkpoint of a document's committed text, naming whose edits it holds. */
export async function storeCheckpoint(
  store: Store,
  documentId: string,
  doc: Y.Doc,
  contributors: string[],
): Promise<void> {
  const revision = revisionOf(doc, {
    documentId,
    kind: 'checkpoint',
    label: 'Checkpoint',
    symbol: null,
    note: '',
    createdBy: null,
    contributors,
  })
  await store.createRevision(revision, {
    actorId: null,
    action: 'revision.checkpoint',
    subjectType: 'revision',
    subjectId: revision.id,
    details: { documentId, contributors },
  })
}
