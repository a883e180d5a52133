/**
 * Threads as the API shows them: anchors resolved against the live text (and re-anchored when
 * found again through their quote), visibility applied, authors and mentions named.
 */

import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import {
  type AuthorDTO,
  canEditDocument,
  createAnchor,
  indexBlocks,
  type MessageDTO,
  type Participant,
  paragraphNumbers,
  type ResolvedAnchor,
  resolveAnchor,
  type StoredAnchor,
  type ThreadDTO,
  YDOC_FIELD,
  yTextUnits,
} from '@plenary/shared'
import type * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import type {
  DocumentRecord,
  MessageRecord,
  ParticipantRecord,
  Store,
  ThreadRecord,
} from '../storage/Store.ts'

export type People = Map<string, ParticipantRecord>

/** May this participant see this thread? Private threads: author, pen holders, secretariat. */
export function canSeeThread(viewer: Participant, thread: ThreadRecord, document: DocumentRecord): boolean {
  if (thread.visibility === 'everyone') return true
  return thread.authorId === viewer.id || canEditDocument(viewer, document.penHolders)
}

/** Pen holders of the document and the secretariat dispose of threads and apply proposals. */
export const canDispose = (viewer: Participant, document: DocumentRecord) =>
  canEditDocument(viewer, document.penHolders)

function author(people: People, id: string): AuthorDTO {
  const p = people.get(id)
  return {
    participantId: id,
    name: p?.name ?? 'Unknown participant',
    organisation: p?.organisation ?? '',
    organisationKind: p?.organisationKind ?? 'state_party',
  }
}

function messageDTO(m: MessageRecord, people: People): MessageDTO {
  return {
    id: m.id,
    author: author(people, m.authorId),
    body: m.withdrawnAt ? '' : m.body,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    withdrawn: m.withdrawnAt !== null,
    history: m.withdrawnAt ? [] : m.history,
    mentions: m.mentions,
  }
}

export function threadDTO(
  t: ThreadRecord,
  messages: MessageRecord[],
  people: People,
  resolved: ResolvedAnchor,
  numbers: Map<string, string | null>,
): ThreadDTO {
  return {
    id: t.id,
    documentId: t.documentId,
    kind: t.kind,
    status: t.status,
    visibility: t.visibility,
    author: author(people, t.authorId),
    anchor: {
      blockId: resolved.blockId,
      number: resolved.blockId ? (numbers.get(resolved.blockId) ?? null) : null,
      quote: resolved.quote,
      state: resolved.state,
      from: resolved.from,
      to: resolved.to,
      originalQuote: t.anchor?.quote ?? '',
    },
    proposal: t.proposal ? { ...t.proposal, appliedAt: t.appliedAt } : null,
    disposition: t.disposition,
    messages: messages.map((m) => messageDTO(m, people)),
    communicationId: t.communicationId,
    acknowledgedAt: t.acknowledgedAt,
    acknowledgement: t.acknowledgement,
    late: t.late,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    createdInRevision: t.createdInRevision,
    reflectedIn: t.reflectedIn,
  }
}

const DOCUMENT_WIDE: ResolvedAnchor = { state: 'document', blockId: null, from: null, to: null, quote: '' }

export function blockNumbers(doc: Y.Doc): Map<string, string | null> {
  const units = yTextUnits(doc.getXmlFragment(YDOC_FIELD))
  const numbers = paragraphNumbers(units)
  return new Map(units.flatMap((u, i) => (u.id ? [[u.id, numbers[i]] as const] : [])))
}

/**
 * What one state of a document's text gives the thread list: paragraph numbers, the index of its
 * blocks and each anchor resolved. Kept until the text changes (any update to the document), so
 * that the list asked for again and again over an unchanged text does not resolve 200 anchors
 * anew each time. Anchors are kept by identity: the store hands out the same anchor object until
 * the thread is written.
 */
type LiveText = {
  /** A number no other state of any document's text has had (the thread lists' stamps use it). */
  version: number
  numbers: Map<string, string | null> | null
  blocks: ReturnType<typeof indexBlocks> | null
  anchors: WeakMap<StoredAnchor, ResolvedAnchor>
}
const liveTexts = new WeakMap<Y.Doc, LiveText>()
let textVersions = 0

function liveText(doc: Y.Doc): LiveText {
  let live = liveTexts.get(doc)
  if (!live) {
    textVersions += 1
    const created: LiveText = { version: textVersions, numbers: null, blocks: null, anchors: new WeakMap() }
    doc.on('update', () => {
      textVersions += 1
      created.version = textVersions
      created.numbers = null
      created.blocks = null
      created.anchors = new WeakMap()
    })
    liveTexts.set(doc, created)
    live = created
  }
  return live
}

/** What a thread list may be narrowed to; each a comma-separated list of accepted values. */
export type ThreadListFilters = {
  status?: string
  kind?: string
  organisation?: string
  organisationKind?: string
}

/** A thread list as sent: its JSON body, and an entity tag made from that body. */
export type ThreadList = { body: Buffer; etag: string }

/** Lists smaller than this are sent as they are: compressing them saves next to nothing. */
const GZIP_FROM_BYTES = 1024

/**
 * A list's body compressed with gzip, made once per list (a kept list is compressed once for all
 * the requests it answers), or null when the list is too small to be worth it.
 */
const gzipped = new WeakMap<ThreadList, Buffer>()
export function gzippedList(list: ThreadList): Buffer | null {
  if (list.body.length < GZIP_FROM_BYTES) return null
  let body = gzipped.get(list)
  if (!body) {
    body = gzipSync(list.body)
    gzipped.set(list, body)
  }
  return body
}

/** Thread lists kept serialized: at most this many bytes in all. */
const LIST_CACHE_BYTES = 16 * 1024 * 1024

export class ThreadService {
  /**
   * Serialized thread lists, each with the stamp of what it was made from: the store's comments
   * stamp and the version of the document's text. Every open page asks for the list again after
   * each pause in someone's typing; most of those times nothing in it has changed.
   */
  private readonly lists = new Map<string, { stamp: string; list: ThreadList }>()
  private listBytes = 0

  constructor(
    private readonly store: Store,
    private readonly rooms: RoomManager,
  ) {}

  /**
   * The thread list of a document as this viewer sees it, as the JSON body of the response
   * (`{ threads }`) and its entity tag. Kept and answered again while no thread, message,
   * participant or text it was made from has changed; made afresh when the store cannot tell
   * (PostgreSQL).
   */
  async listBody(
    document: DocumentRecord,
    viewer: Participant,
    filters: ThreadListFilters,
  ): Promise<ThreadList> {
    // Both stamps are read before anything the list is made of: a change made meanwhile leaves
    // the kept list with an older stamp, so it is made afresh next time, never kept stale.
    const comments = this.store.commentsStamp?.() ?? null
    const text =
      comments === null ? null : await this.rooms.readLive(document.id, (doc) => liveText(doc).version)
    const sees = canEditDocument(viewer, document.penHolders) ? 'all' : `own:${viewer.id}`
    const key = JSON.stringify([
      document.id,
      sees,
      filters.status,
      filters.kind,
      filters.organisation,
      filters.organisationKind,
    ])
    const stamp = comments === null ? null : `${comments}/${text}`
    const kept = stamp === null ? undefined : this.lists.get(key)
    if (kept && kept.stamp === stamp) {
      // Most recently used last: the oldest are dropped first.
      this.lists.delete(key)
      this.lists.set(key, kept)
      return kept.list
    }
    const wanted = (value: string, filter: string | undefined) => !filter || filter.split(',').includes(value)
    const list = (await this.view(document, await this.store.listThreads(document.id), viewer)).filter(
      (t) =>
        wanted(t.status, filters.status) &&
        wanted(t.kind, filters.kind) &&
        wanted(t.author.organisation, filters.organisation) &&
        wanted(t.author.organisationKind, filters.organisationKind),
    )
    const body = Buffer.from(JSON.stringify({ threads: list }))
    const made = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }
    if (stamp !== null) this.keep(key, stamp, made)
    return made
  }

  private keep(key: string, stamp: string, list: ThreadList): void {
    const old = this.lists.get(key)
    if (old) {
      this.lists.delete(key)
      this.listBytes -= old.list.body.length
    }
    if (list.body.length > LIST_CACHE_BYTES / 4) return
    for (const [oldest, entry] of this.lists) {
      if (this.listBytes + list.body.length <= LIST_CACHE_BYTES) break
      this.lists.delete(oldest)
      this.listBytes -= entry.list.body.length
    }
    this.lists.set(key, { stamp, list })
    this.listBytes += list.body.length
  }

  async people(): Promise<People> {
    return new Map((await this.store.listParticipants()).map((p) => [p.id, p]))
  }

  /**
   * The visible threads of a document as DTOs, resolved against the committed live text. Threads
   * found again through their quote are re-anchored, so they are exact from then on.
   */
  async view(document: DocumentRecord, threads: ThreadRecord[], viewer: Participant): Promise<ThreadDTO[]> {
    const visible = threads.filter((t) => canSeeThread(viewer, t, document))
    if (visible.length === 0) return []
    const [people, messages] = await Promise.all([
      this.people(),
      this.store.listMessages(visible.map((t) => t.id)),
    ])
    // Every anchor resolved in one synchronous pass over the live text, with one index of its
    // blocks; the anchors found again through their quote are made afresh in the same pass.
    const { numbers, resolved, found } = await this.rooms.readLive(document.id, (doc) => {
      const live = liveText(doc)
      const resolved = new Map<string, ResolvedAnchor>()
      const found: { thread: ThreadRecord; fresh: StoredAnchor; state: ResolvedAnchor['state'] }[] = []
      for (const thread of visible) {
        let at = DOCUMENT_WIDE
        if (thread.anchor) {
          const known = live.anchors.get(thread.anchor)
          if (known) at = known
          else {
            live.blocks ??= indexBlocks(doc)
            at = resolveAnchor(doc, thread.anchor, live.blocks)
            live.anchors.set(thread.anchor, at)
          }
        }
        resolved.set(thread.id, at)
        if ((at.state === 'moved' || at.state === 'fuzzy') && at.blockId && at.from !== null) {
          const fresh = createAnchor(doc, at.blockId, at.from, at.to as number)
          found.push({ thread, fresh, state: at.state })
        }
      }
      live.numbers ??= blockNumbers(doc)
      return { numbers: live.numbers, resolved, found }
    })
    for (const { thread, fresh, state } of found) await this.reanchor(thread, fresh, state)
    const byThread = new Map<string, MessageRecord[]>()
    for (const m of messages) {
      const list = byThread.get(m.threadId)
      if (list) list.push(m)
      else byThread.set(m.threadId, [m])
    }
    return visible.map((thread) =>
      threadDTO(
        thread,
        byThread.get(thread.id) ?? [],
        people,
        resolved.get(thread.id) as ResolvedAnchor,
        numbers,
      ),
    )
  }

  private async reanchor(
    thread: ThreadRecord,
    fresh: StoredAnchor,
    state: ResolvedAnchor['state'],
  ): Promise<void> {
    await this.store.updateThread(
      thread.id,
      { anchor: fresh },
      {
        actorId: null,
        action: 'thread.reanchored',
        subjectType: 'thread',
        subjectId: thread.id,
        details: { from: thread.anchor?.blockId ?? null, to: fresh.blockId, state },
      },
    )
    thread.anchor = fresh
  }
}
