import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { LoadedDocument, Store } from './Store.ts'

/** Origin of changes read back from the store. */
export const FROM_STORAGE = Symbol('storage')

/** Builds a Y.Doc from a snapshot and its log tail; an update that cannot be applied is logged and skipped. */
export function docFromStored(loaded: LoadedDocument, log: Logger, documentId: string): Y.Doc {
  const doc = new Y.Doc()
  doc.transact((transaction) => {
    if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
    for (const update of loaded.updates) {
      try {
        Y.applyUpdate(doc, update.data)
      } catch (error) {
        log.error({ err: error, documentId, seq: update.seq }, 'stored update could not be applied')
      }
    }
    serverDoesNotTidy(transaction)
  }, FROM_STORAGE)
  return doc
}

export async function loadYDoc(store: Store, documentId: string, log: Logger): Promise<Y.Doc> {
  return docFromStored(await store.loadDocument(documentId), log, documentId)
}

/**
 * Keeps a transaction that applies updates from tidying formatting marks: call it at the end of
 * the transaction, after the updates are applied. Yjs marks any transaction that applies an update
 * as remote and, after a remote change, deletes the formatting marks it finds redundant as a change
 * of this document's own. The server's tidy-ups were never stored, so a document loaded from
 * storage read differently from the clients' and the live one (the remaining text bold, its end
 * mark tidied away): found by the convergence soak. The clients tidy and send their tidy-ups,
 * which are stored like edits; the server takes them from there.
 */
export function serverDoesNotTidy(transaction: Y.Transaction): void {
  transaction.local = true
}
