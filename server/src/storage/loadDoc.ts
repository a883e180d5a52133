import type { Logger } from 'pino'
import * as Y from 'yjs'
import type { LoadedState, Store } from './Store.ts'

/** Origin of changes read back from the store. */
export const FROM_STORAGE = Symbol('storage')

/**
 * Updates applied per transaction when a log is read. At the end of each transaction Yjs merges
 * the items it touched, so the item lists stay short and the next deletions split them cheaply;
 * in one transaction for the whole log they grow to one item per update and each deletion moves
 * the rest of the list. The automerge-paper history (260,000 updates) applies in about 1.0 s in
 * chunks of 1,000 against 1.7 s in one transaction and 3.8 s in one per update.
 */
const UPDATES_PER_TRANSACTION = 1_000

/** Builds a Y.Doc from a snapshot and its log tail; an update that cannot be applied is logged and skipped. */
export function docFromStored(loaded: LoadedState, log: Logger, documentId: string): Y.Doc {
  // A guid given, not drawn: Yjs draws one with 31 calls to the crypto API, which took 40% of
  // this function's time in a reconnect storm. Server documents are never subdocuments.
  const doc = new Y.Doc({ guid: documentId })
  const { updates } = loaded
  let next = 0
  do {
    doc.transact((transaction) => {
      if (next === 0 && loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
      const end = Math.min(updates.length, next + UPDATES_PER_TRANSACTION)
      for (; next < end; next++) {
        const update = updates[next]
        try {
          Y.applyUpdate(doc, update.data)
        } catch (error) {
          log.error({ err: error, documentId, seq: update.seq }, 'stored update could not be applied')
        }
      }
      serverDoesNotTidy(transaction)
    }, FROM_STORAGE)
  } while (next < updates.length)
  return doc
}

export async function loadYDoc(store: Store, documentId: string, log: Logger): Promise<Y.Doc> {
  return docFromStored(await store.loadDocumentState(documentId), log, documentId)
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
