/**
 * Which blocks of a room's document need a fresh id, found from what the transactions since the
 * last check added, not by walking the whole document after every commit that changes its
 * structure (each Enter): that walk read the id of every block, about a tenth of the server's time
 * in a 200-typist room, and more on a long draft.
 *
 * It keeps the block holding each id. A block a transaction created, or whose id a transaction
 * changed, is a candidate; at the check, a candidate whose id is missing or malformed needs a
 * fresh one, and one whose id is free (or held by a block since deleted or renamed) takes it. Two
 * live blocks sharing an id are a matter of document order (the first keeps it, as
 * `elementsNeedingIds` decides), so the check then walks the whole document, as it does at first
 * and whenever the index may have lost track.
 */
import { BLOCK_ID_PATTERN, elementsNeedingIds, isBlockNodeType } from '@plenary/shared'
import * as Y from 'yjs'

/** Candidates kept between checks; past this, the next check walks the document instead. */
const MAX_CANDIDATES = 10_000
/** Ids kept for blocks since deleted, beyond those live at the last walk, before walking again. */
const STALE_SLACK = 1_000

export class BlockIdIndex {
  private holders = new Map<string, Y.XmlElement>()
  private candidates = new Set<Y.XmlElement>()
  /** A walk of the whole document is due: at first, and when the index cannot vouch for an id. */
  private walkDue = true
  private liveAtLastWalk = 0
  /** Whole-document walks made (for tests). */
  walks = 0

  constructor(private readonly fragment: Y.XmlFragment) {}

  /**
   * Notes the blocks a transaction created or re-identified. Call it for every transaction, from
   * `afterTransaction`, whoever made it: the index must know every block's id.
   */
  observe(transaction: Y.Transaction): void {
    if (this.walkDue) return
    const store = transaction.doc.store
    transaction.afterState.forEach((after, client) => {
      const before = transaction.beforeState.get(client) ?? 0
      if (after === before) return
      const structs = store.clients.get(client)
      if (!structs) return
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const struct = structs[i]
        if (struct.id.clock >= after) break
        if (
          struct instanceof Y.Item &&
          !struct.deleted &&
          struct.content instanceof Y.ContentType &&
          struct.content.type instanceof Y.XmlElement
        )
          this.candidates.add(struct.content.type)
      }
    })
    transaction.changed.forEach((keys, type) => {
      if (type instanceof Y.XmlElement && keys.has('id')) this.candidates.add(type)
    })
    if (this.candidates.size > MAX_CANDIDATES) this.dueForWalk()
  }

  /**
   * The blocks that need a fresh id now (missing, malformed, or taken by a block before them in
   * the document); the caller gives them one, in a transaction, which this then observes.
   */
  needingIds(): Y.XmlElement[] {
    if (!this.walkDue) {
      const bad: Y.XmlElement[] = []
      for (const element of this.candidates) {
        if (!isBlockNodeType(element.nodeName) || !this.inDocument(element)) continue
        const id = element.getAttribute('id') as unknown
        if (typeof id !== 'string' || !BLOCK_ID_PATTERN.test(id)) {
          bad.push(element)
          continue
        }
        const holder = this.holders.get(id)
        if (holder === undefined || holder === element || !this.holds(holder, id)) {
          this.holders.set(id, element)
          continue
        }
        this.walkDue = true
        break
      }
      this.candidates.clear()
      if (!this.walkDue) {
        if (this.holders.size > 2 * this.liveAtLastWalk + STALE_SLACK) this.walkDue = true
        else return bad
      }
    }
    this.walks += 1
    this.walkDue = false
    this.candidates.clear()
    this.holders = new Map()
    const bad = elementsNeedingIds(this.fragment, this.holders)
    this.liveAtLastWalk = this.holders.size
    return bad
  }

  /** Forgets what it noted: the next check walks the whole document. */
  dueForWalk(): void {
    this.walkDue = true
    this.candidates.clear()
  }

  /** Whether `element` still holds `id`: in the document (not deleted, nor inside a deleted block), and not renamed. */
  private holds(element: Y.XmlElement, id: string): boolean {
    return element.getAttribute('id') === id && this.inDocument(element)
  }

  private inDocument(element: Y.XmlElement): boolean {
    let item = element._item
    let top: unknown = element
    while (item !== null) {
      if (item.deleted) return false
      top = item.parent
      item = (item.parent as { _item: Y.Item | null })._item
    }
    return top === this.fragment
  }
}
