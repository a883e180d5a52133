/**
 * Threads as the API shows them: anchors resolved against the live text (and re-anchored when
 * found again through their quote), visibility applied, authors and mentions named.
 */
import {
  type AuthorDTO,
  canEditDocument,
  createAnchor,
  type MessageDTO,
  type Participant,
  paragraphNumbers,
  type ResolvedAnchor,
  resolveAnchor,
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

export function blockNumbers(doc: Y.Doc): Map<string, string | null> {
  const units = yTextUnits(doc.getXmlFragment(YDOC_FIELD))
  const numbers = paragraphNumbers(units)
  return new Map(units.flatMap((u, i) => (u.id ? [[u.id, numbers[i]] as const] : [])))
}

export class ThreadService {
  constructor(
    private readonly store: Store,
    private readonly rooms: RoomManager,
  ) {}

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
    const [doc, people, messages] = await Promise.all([
      this.rooms.readDoc(document.id),
      this.people(),
      this.store.listMessages(visible.map((t) => t.id)),
    ])
    try {
      const numbers = blockNumbers(doc)
      const byThread = new Map<string, MessageRecord[]>()
      for (const m of messages) byThread.set(m.threadId, [...(byThread.get(m.threadId) ?? []), m])
      const out: ThreadDTO[] = []
      for (const thread of visible) {
        const resolved = thread.anchor
          ? resolveAnchor(doc, thread.anchor)
          : ({ state: 'document', blockId: null, from: null, to: null, quote: '' } as const)
        if (
          (resolved.state === 'moved' || resolved.state === 'fuzzy') &&
          resolved.blockId &&
          resolved.from !== null
        ) {
          await this.reanchor(thread, doc, resolved)
        }
        out.push(threadDTO(thread, byThread.get(thread.id) ?? [], people, resolved, numbers))
      }
      return out
    } finally {
      doc.destroy()
    }
  }

  private async reanchor(thread: ThreadRecord, doc: Y.Doc, resolved: ResolvedAnchor): Promise<void> {
    const fresh = createAnchor(
      doc,
      resolved.blockId as string,
      resolved.from as number,
      resolved.to as number,
    )
    await this.store.updateThread(
      thread.id,
      { anchor: fresh },
      {
        actorId: null,
        action: 'thread.reanchored',
        subjectType: 'thread',
        subjectId: thread.id,
        details: { from: thread.anchor?.blockId ?? null, to: fresh.blockId, state: resolved.state },
      },
    )
    thread.anchor = fresh
  }
}
