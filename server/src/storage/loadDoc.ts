import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { LoadedDocument, Store } from './Store.ts'

/** Origin of changes read back from the store. */
export const FROM_STORAGE = Symbol('storage')

/** Builds a Y.Doc from a snapshot and its log tail; an update that cannot be applied is logged and skipped. */
export function docFromStored(loaded: LoadedDocument, log: Logger, documentId: string): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
    for (const update of loaded.updates) {
      try {
        Y.applyUpdate(doc, update.data)
      } catch (error) {
        log.error({ err: error, documentId, seq: update.seq }, 'stored update could not be applied')
      }
    }
  }, FROM_STORAGE)
  return doc
}

export async function loadYDoc(store: Store, documentId: string, log: Logger): Promise<Y.Doc> {
  return docFromStored(await store.loadDocument(documentId), log, documentId)
}
