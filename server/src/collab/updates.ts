/**
 * What an incoming Yjs update would do to the room's document, decided without applying it: the
 * room's document holds only committed state, and a read-only participant's update must be told
 * apart from the stock client's harmless replies.
 */
import { equalityDeep } from 'lib0/function'
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

type DeltaOp = { insert: unknown; attributes?: Record<string, unknown> }

const opLength = (op: DeltaOp) => (typeof op.insert === 'string' ? op.insert.length : 1)

/** Every formatted text under a node, in document order. */
function textsUnder(node: Y.XmlFragment | Y.XmlElement, out: Y.XmlText[] = []): Y.XmlText[] {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlText) out.push(child)
    else if (child instanceof Y.XmlElement) textsUnder(child, out)
  }
  return out
}

/** Formats `text` back to how `before` read it (the same characters: only marks were removed). */
function reformat(text: Y.XmlText, before: DeltaOp[], after: DeltaOp[]): void {
  let i = 0
  let j = 0
  let intoBefore = 0
  let intoAfter = 0
  let index = 0
  while (i < before.length && j < after.length) {
    const length = Math.min(opLength(before[i]) - intoBefore, opLength(after[j]) - intoAfter)
    const was = before[i].attributes ?? {}
    const is = after[j].attributes ?? {}
    if (!equalityDeep(was, is)) {
      const attributes: Record<string, unknown> = { ...was }
      for (const key of Object.keys(is)) if (!(key in was)) attributes[key] = null
      text.format(index, length, attributes)
    }
    index += length
    intoBefore += length
    intoAfter += length
    if (intoBefore === opLength(before[i])) {
      i++
      intoBefore = 0
    }
    if (intoAfter === opLength(after[j])) {
      j++
      intoAfter = 0
    }
  }
}

/**
 * A read-only participant's tidying of formatting marks (`tidy`), and what makes it harmless.
 * Yjs on the reader's copy found those marks redundant; on the server's copy, which may hold
 * changes the reader has not seen yet, removing them can change how the text reads. Refusing it
 * left that reader apart for good (its copy had deleted what no one else had): the convergence
 * soak found it once in 100,000 runs. So the tidying is stored, followed by an update that puts
 * the formatting back as it read, made on a copy by an actor of its own, and relayed to everyone,
 * the reader included: every copy converges and nothing anyone reads changed.
 *
 * Returns `harmless` when the tidying changes nothing visible, `restore` with the update that
 * puts the formatting back, or `refuse` when that cannot be done (then it is a write without the
 * pen).
 */
export function tidyRestore(
  doc: Y.Doc,
  field: string,
  update: Uint8Array,
): { kind: 'harmless' } | { kind: 'restore'; update: Uint8Array } | { kind: 'refuse' } {
  const copy = new Y.Doc({ gc: false, guid: doc.guid })
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const root = copy.getXmlFragment(field)
    const before = root.toString()
    const deltas = new Map(textsUnder(root).map((text) => [text, text.toDelta() as DeltaOp[]]))
    // As the server applies updates: without a tidying of its own (see serverDoesNotTidy).
    copy.transact((transaction) => {
      Y.applyUpdate(copy, update)
      transaction.local = true
    })
    if (root.toString() === before) return { kind: 'harmless' }
    const tidied = Y.encodeStateVector(copy)
    copy.transact(() => {
      for (const [text, delta] of deltas) {
        if (text._item?.deleted) continue
        const now = text.toDelta() as DeltaOp[]
        if (!equalityDeep(delta, now)) reformat(text, delta, now)
      }
    })
    if (root.toString() !== before) return { kind: 'refuse' }
    return { kind: 'restore', update: Y.encodeStateAsUpdate(copy, tidied) }
  } catch {
    return { kind: 'refuse' }
  } finally {
    copy.destroy()
  }
}
