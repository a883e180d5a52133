/**
 * Who made each change of a marked export. Every stored update names the participant who sent it
 * (DESIGN.md, "Persist before broadcast"), so the Yjs items of an inserted word lead to the update
 * that brought them, and a deleted word to the update whose delete set holds it. Where the log has
 * been compacted, automatic checkpoints with a single contributor still tell; failing both, the
 * change is credited to the fallback (the publisher of the revision, or the last editor).
 */
import { findYBlock, YDOC_FIELD } from '@plenary/shared'
import * as Y from 'yjs'
import type { ParticipantRecord, RevisionRecord, StoredUpdate } from '../storage/Store.ts'

export type ChangeAuthor = { name: string; date: string }

export interface Attribution {
  /** Who inserted the characters [from, to) of a block of the exported text. */
  inserted(blockId: string | null, from: number, to: number): ChangeAuthor
  /** Who deleted the characters [from, to) of a block of the text compared against. */
  deleted(blockId: string | null, from: number, to: number): ChangeAuthor
}

export const fixedAttribution = (author: ChangeAuthor): Attribution => ({
  inserted: () => author,
  deleted: () => author,
})

type Origin = { start: number; end: number; who: string; at: string }
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds']
type Deletion = { ds: DeleteSet; who: string | null; at: string }

/** Clock ranges of each Yjs client, with the participant who sent them. */
class Origins {
  private readonly byClient = new Map<number, Origin[]>()

  add(client: number, start: number, end: number, who: string, at: string): void {
    if (end <= start) return
    const list = this.byClient.get(client)
    if (list) list.push({ start, end, who, at })
    else this.byClient.set(client, [{ start, end, who, at }])
  }

  /** Origins overlapping the clocks [start, end) of a client. */
  find(client: number, start: number, end: number): Origin[] {
    return (this.byClient.get(client) ?? []).filter((o) => o.start < end && o.end > start)
  }
}

/** A character run of a block: the Yjs item (or hard-break element) holding it and its text offset. */
type Piece = { client: number; clock: number; offset: number; length: number }

/** The live pieces of a block's text in order: Y.XmlText items and one character per hard break. */
function pieces(doc: Y.Doc, blockId: string): Piece[] | null {
  const block = findYBlock(doc.getXmlFragment(YDOC_FIELD), blockId)
  if (!block) return null
  const out: Piece[] = []
  let offset = 0
  for (const child of block.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item; item = item.right) {
        if (item.deleted || !item.countable) continue
        out.push({ client: item.id.client, clock: item.id.clock, offset, length: item.length })
        offset += item.length
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak' && child._item) {
      out.push({ client: child._item.id.client, clock: child._item.id.clock, offset, length: 1 })
      offset += 1
    }
  }
  return out
}

/** The clock ranges [start, end) of each client that hold the characters [from, to). */
function clocksOf(list: Piece[], from: number, to: number): { client: number; start: number; end: number }[] {
  const out: { client: number; start: number; end: number }[] = []
  for (const p of list) {
    const a = Math.max(from, p.offset)
    const b = Math.min(to, p.offset + p.length)
    if (a < b) out.push({ client: p.client, start: p.clock + (a - p.offset), end: p.clock + (b - p.offset) })
  }
  return out
}

export type AttributionInput = {
  /** The exported text and the text it is compared against, as Yjs documents. */
  target: Y.Doc
  against: Y.Doc
  /** The document's update log (after its last compaction). */
  updates: StoredUpdate[]
  /** Published revisions and checkpoints, any order. */
  revisions: RevisionRecord[]
  people: Map<string, ParticipantRecord>
  fallback: ChangeAuthor
}

export function attributeChanges(input: AttributionInput): Attribution {
  const { target, against, people, fallback } = input
  const againstState = Y.encodeStateVector(against)
  const seen = Y.decodeStateVector(againstState)
  const logged = new Origins()
  const deletions: Deletion[] = []
  for (const update of input.updates) {
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(update.data)
    } catch {
      continue
    }
    if (update.participantId) {
      for (const struct of decoded.structs) {
        if (struct instanceof Y.Item) {
          logged.add(
            struct.id.client,
            struct.id.clock,
            struct.id.clock + struct.length,
            update.participantId,
            update.createdAt,
          )
        }
      }
    }
    if (decoded.ds.clients.size > 0)
      deletions.push({ ds: decoded.ds, who: update.participantId, at: update.createdAt })
  }

  // Checkpoints with one contributor: what changed since the one before is theirs.
  const history = [...input.revisions].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
  const checkpointed = new Origins()
  const vectors = history.map((r) => Y.decodeStateVector(Y.encodeStateVectorFromUpdate(r.state)))
  for (let i = 1; i < history.length; i++) {
    const only = history[i].contributors.length === 1 ? history[i].contributors[0] : null
    if (!only) continue
    for (const [client, clock] of vectors[i]) {
      checkpointed.add(client, vectors[i - 1].get(client) ?? 0, clock, only, history[i].createdAt)
    }
  }
  const revisionDeletes = new Map<number, DeleteSet>()
  const deleteSetOf = (i: number) => {
    let ds = revisionDeletes.get(i)
    if (!ds) {
      ds = Y.decodeUpdate(history[i].state).ds
      revisionDeletes.set(i, ds)
    }
    return ds
  }

  const name = (who: string) => people.get(who)?.name ?? 'Unknown participant'
  const author = (found: { who: string; at: string }[]): ChangeAuthor => {
    if (found.length === 0) return fallback
    const names = [...new Set(found.map((f) => name(f.who)))]
    const date =
      found
        .map((f) => f.at)
        .sort()
        .at(-1) ?? ''
    return { name: names.join('; '), date: date || fallback.date }
  }
  const targetPieces = new Map<string, Piece[] | null>()
  const againstPieces = new Map<string, Piece[] | null>()
  const cached = (cache: Map<string, Piece[] | null>, doc: Y.Doc, id: string) => {
    if (!cache.has(id)) cache.set(id, pieces(doc, id))
    return cache.get(id) ?? null
  }

  return {
    inserted(blockId, from, to) {
      if (!blockId) return fallback
      const list = cached(targetPieces, target, blockId)
      if (!list) return fallback
      const found: Origin[] = []
      for (const range of clocksOf(list, from, to)) {
        const start = Math.max(range.start, seen.get(range.client) ?? 0)
        if (start >= range.end) continue
        const direct = logged.find(range.client, start, range.end)
        found.push(...(direct.length > 0 ? direct : checkpointed.find(range.client, start, range.end)))
      }
      return author(found)
    },
    deleted(blockId, from, to) {
      if (!blockId) return fallback
      const list = cached(againstPieces, against, blockId)
      if (!list) return fallback
      const found: { who: string; at: string }[] = []
      for (const range of clocksOf(list, from, to)) {
        const id = Y.createID(range.client, range.start)
        const direct = deletions.find((d) => d.who && Y.isDeleted(d.ds, id))
        if (direct?.who) {
          found.push({ who: direct.who, at: direct.at })
          continue
        }
        const i = history.findIndex((_, k) => Y.isDeleted(deleteSetOf(k), id))
        const only = i > 0 && history[i].contributors.length === 1 ? history[i].contributors[0] : null
        if (only) found.push({ who: only, at: history[i].createdAt })
      }
      return author(found)
    },
  }
}
