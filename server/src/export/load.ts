/**
 * Gathers what an export needs from the services (the text of the revision or the live room, the
 * revision compared against, the threads the viewer may see resolved against the exported text,
 * the people, the attribution of changes) and builds the export model once.
 */
import {
  ErrorCode,
  type JSONNode,
  jsonDocBlocks,
  type Participant,
  resolveAnchor,
  type ThreadDTO,
  yDocToContent,
} from '@plenary/shared'
import * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import { blockNumbers, ThreadService } from '../comments/ThreadService.ts'
import { HttpError } from '../plugins/errors.ts'
import type { DocumentRecord, RevisionRecord, Store } from '../storage/Store.ts'
import { type Attribution, attributeChanges, type ChangeAuthor, fixedAttribution } from './attribution.ts'
import type { PeopleLookup } from './comments.ts'
import { buildCompilation } from './compilation.ts'
import { fileSlug } from './format.ts'
import { buildExportModel, type ExportModel } from './model.ts'
import type { ExportOptions } from './query.ts'

export type ExportServices = { store: Store; rooms: RoomManager }

export type LoadedExport = { model: ExportModel; document: DocumentRecord; fileBase: string }

const docOf = (state: Uint8Array) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

async function revisionOf(store: Store, documentId: string, id: string): Promise<RevisionRecord> {
  const revision = await store.getRevision(id)
  if (!revision) throw new HttpError(404, ErrorCode.revisionNotFound, 'no such revision')
  if (revision.documentId !== documentId) {
    throw new HttpError(400, ErrorCode.revisionMismatch, 'that revision belongs to another document')
  }
  return revision
}

/** `against=previous`: the published revision before the exported one, or the last one for the live text. */
async function previousOf(
  store: Store,
  documentId: string,
  target: RevisionRecord | null,
): Promise<RevisionRecord> {
  const published = await store.listRevisions(documentId, { checkpoints: false })
  const before = target
    ? published.filter((r) => r.id !== target.id && r.createdAt <= target.createdAt)
    : published
  const found = before.at(-1)
  if (!found) {
    throw new HttpError(
      400,
      ErrorCode.noRevision,
      target
        ? `nothing was published before ${target.label}`
        : 'nothing published yet: give against=<revision>',
    )
  }
  return found
}

/** Threads resolved against a revision's text rather than the live one. */
function resolvedIn(
  doc: Y.Doc,
  threads: ThreadDTO[],
  anchors: Map<string, ThreadDTO['anchor'] | null>,
): ThreadDTO[] {
  const numbers = blockNumbers(doc)
  return threads.map((t) => {
    const stored = anchors.get(t.id)
    if (!stored) return t
    return {
      ...t,
      anchor: {
        ...t.anchor,
        ...stored,
        number: stored.blockId ? (numbers.get(stored.blockId) ?? null) : null,
      },
    }
  })
}

export async function loadExport(
  services: ExportServices,
  documentId: string,
  viewer: Participant,
  options: ExportOptions,
): Promise<LoadedExport> {
  const { store, rooms } = services
  const document = await store.getDocument(documentId)
  if (!document) throw new HttpError(404, ErrorCode.documentNotFound, 'no such document')
  const target = options.revision ? await revisionOf(store, documentId, options.revision) : null
  const against = options.against
    ? options.against === 'previous'
      ? await previousOf(store, documentId, target)
      : await revisionOf(store, documentId, options.against)
    : null

  const targetDoc = target ? docOf(target.state) : await rooms.readDoc(documentId)
  const againstDoc = against ? docOf(against.state) : null
  try {
    const content = target ? (target.content as JSONNode) : yDocToContent(targetDoc)
    const people = new Map((await store.listParticipants()).map((p) => [p.id, p]))
    const lookup: PeopleLookup = (id) => people.get(id) ?? null
    const now = new Date().toISOString()

    let threads: ThreadDTO[] = []
    const received = new Map<string, string>()
    if (options.comments !== 'none' || options.compilation) {
      const records = await store.listThreads(documentId)
      threads = await new ThreadService(store, rooms).view(document, records, viewer)
      if (target) {
        const anchors = new Map(
          records.map((r) => {
            if (!r.anchor) return [r.id, null] as const
            const a = resolveAnchor(targetDoc, r.anchor)
            return [r.id, { ...a, number: null, originalQuote: r.anchor.quote }] as const
          }),
        )
        threads = resolvedIn(targetDoc, threads, anchors)
      }
      // A thread logged from a communication was received (and acknowledged) with it.
      const communications = new Map<string, Awaited<ReturnType<Store['getCommunication']>>>()
      for (const t of threads) {
        if (!t.communicationId) continue
        if (!communications.has(t.communicationId)) {
          communications.set(t.communicationId, await store.getCommunication(t.communicationId))
        }
        const c = communications.get(t.communicationId)
        if (c) received.set(t.id, c.receivedAt)
        if (c?.acknowledgedAt && !t.acknowledgedAt) t.acknowledgedAt = c.acknowledgedAt
      }
    }

    const versionLabel = target ? target.label : 'Live text'
    const date = target ? target.createdAt : now
    let attribution: Attribution = fixedAttribution({ name: 'Plenary', date })
    if (against && againstDoc && options.marks === 'tracked') {
      const byId = target?.createdBy ?? document.lastChangeBy
      const fallback: ChangeAuthor = {
        name: (byId && people.get(byId)?.name) || 'Plenary',
        date: target ? target.createdAt : document.updatedAt,
      }
      attribution = attributeChanges({
        target: targetDoc,
        against: againstDoc,
        updates: (await store.loadDocument(documentId)).updates,
        revisions: await store.listRevisions(documentId, { checkpoints: true }),
        people,
        fallback,
      })
    }

    const compilation = options.compilation
      ? buildCompilation({
          documentTitle: document.title,
          versionLabel,
          date,
          blocks: jsonDocBlocks(content),
          threads,
          people: lookup,
          withNames: options.attribution,
          by: options.by,
          received,
        })
      : null
    const shown = threads.filter(
      (t) =>
        t.status !== 'withdrawn' &&
        (options.comments === 'all' ||
          (options.comments === 'open' && (t.status === 'open' || t.status === 'under_consideration'))),
    )
    const model = buildExportModel({
      title: document.title,
      versionLabel,
      date,
      content,
      symbol: target?.symbol ?? null,
      against: against
        ? {
            content: against.content as JSONNode,
            label: against.label,
            mode: options.marks,
            attribution,
          }
        : null,
      threads: options.comments === 'none' ? [] : shown,
      people: lookup,
      withNames: options.attribution,
      compilation,
    })
    const fileBase = [
      fileSlug(document.title),
      fileSlug(versionLabel),
      against ? `marked-${fileSlug(against.label)}` : '',
    ]
      .filter(Boolean)
      .join('_')
    return { model, document, fileBase }
  } finally {
    targetDoc.destroy()
    againstDoc?.destroy()
  }
}
