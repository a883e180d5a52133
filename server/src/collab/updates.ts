/**
 * What an incoming Yjs update would do to the room's document, decided without applying it: the
 * room's document holds only committed state, and a read-only participant's update must be told
 * apart from the stock client's harmless replies.
 */
import * as Y from 'yjs'

/**
 * What an update would do: `write` when it carries structs the document lacks or deletes items the
 * document still shows; `pendingDelete` when it changes nothing the document holds but deletes
 * items the document does not have yet (content still being committed, or not yet heard from
 * another instance): from a writer that is a write, since the deletion must be stored; `tidy`
 * when all it does to what the document shows is delete formatting markers (Yjs tidies redundant
 * marks after remote changes on every client, readers' included, and sends the tidying like any
 * edit); `none` otherwise. Throws when the update cannot be decoded.
 */
export function classifyUpdate(doc: Y.Doc, update: Uint8Array): 'write' | 'tidy' | 'pendingDelete' | 'none' {
  const decoded = Y.decodeUpdate(update)
  for (const struct of decoded.structs) {
    // Skip structs are gaps, not content; GC structs stand for content deleted elsewhere.
    if (struct instanceof Y.Skip) continue
    const known = Y.getState(doc.store, struct.id.client)
    if (struct.id.clock + struct.length > known) return 'write'
  }
  let pendingDelete = false
  let tidy = false
  for (const [client, deletes] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    const known = structs ? Y.getState(doc.store, client) : 0
    for (const { clock, len } of deletes) {
      if (clock + len > known) pendingDelete = true
      const end = Math.min(clock + len, known)
      if (!structs || clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]
        if (struct.id.clock >= end) break
        if (struct.deleted) continue
        if (struct instanceof Y.Item && struct.content instanceof Y.ContentFormat) tidy = true
        else return 'write'
      }
    }
  }
  return tidy ? 'tidy' : pendingDelete ? 'pendingDelete' : 'none'
}

/**
 * Whether applying `update` (a `tidy` one) leaves the text and its formatting as they read: tried
 * on a copy of the document, so that nothing is applied unless it changes nothing visible.
 */
export function changesNothingVisible(doc: Y.Doc, field: string, update: Uint8Array): boolean {
  const copy = new Y.Doc({ gc: false })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = copy.getXmlFragment(field).toString()
  Y.applyUpdate(copy, update)
  const after = copy.getXmlFragment(field).toString()
  copy.destroy()
  return before === after
}
