/**
 * What an incoming Yjs update would do to the room's document, decided without applying it: the
 * room's document holds only committed state, and a read-only participant's update must be told
 * apart from the stock client's harmless replies.
 */
import * as Y from 'yjs'

/**
 * True when the update carries structs the document lacks, or deletes items the document still
 * shows. Throws when the update cannot be decoded.
 */
export function isWrite(doc: Y.Doc, update: Uint8Array): boolean {
  const decoded = Y.decodeUpdate(update)
  for (const struct of decoded.structs) {
    // Skip structs are gaps, not content; GC structs stand for content deleted elsewhere.
    if (struct instanceof Y.Skip) continue
    const known = Y.getState(doc.store, struct.id.client)
    if (struct.id.clock + struct.length > known) return true
  }
  for (const [client, deletes] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    const known = Y.getState(doc.store, client)
    for (const { clock, len } of deletes) {
      const end = Math.min(clock + len, known)
      if (clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]
        if (struct.id.clock >= end) break
        if (!struct.deleted) return true
      }
    }
  }
  return false
}
