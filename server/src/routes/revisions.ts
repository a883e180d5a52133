/** Revisions: publish the live text, list history, read any revision, restore one as a new change. */
import {
  CompareQuery,
  diffBlocks,
  diffStats,
  ErrorCode,
  IdParams,
  type JSONNode,
  jsonDocBlocks,
  nextRevisionLabel,
  nextRevisionSymbol,
  type Participant,
  PublishRevisionBody,
  type RevisionDTO,
  RevisionListQuery,
  replaceContent,
  yDocBlocks,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { canDispose, ThreadService } from '../comments/ThreadService.ts'
import { requireParticipant } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'
import { revisionOf } from '../revisions/snapshot.ts'
import type { DocumentRecord, ParticipantRecord, RevisionRecord } from '../storage/Store.ts'

const RevisionParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  rev: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
})

export function revisionDTO(r: RevisionRecord, people: Map<string, ParticipantRecord>): RevisionDTO {
  const person = (id: string) => people.get(id)
  return {
    id: r.id,
    documentId: r.documentId,
    kind: r.kind,
    label: r.label,
    symbol: r.symbol,
    note: r.note,
    hash: r.hash,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    createdByName: r.createdBy ? (person(r.createdBy)?.name ?? null) : null,
    contributors: r.contributors.flatMap((id) => {
      const p = person(id)
      return p ? [{ id: p.id, name: p.name, organisation: p.organisation }] : []
    }),
  }
}

export async function revisionRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services
  const people = async () => new Map((await store.listParticipants()).map((p) => [p.id, p]))

  const documentOf = async (id: string): Promise<DocumentRecord> => {
    const document = await store.getDocument(id)
    if (!document) throw new HttpError(404, ErrorCode.documentNotFound, 'no such document')
    return document
  }

  /** A revision of this document; one of another document is a 400, as comparing across documents is. */
  const revisionOfDocument = async (documentId: string, revisionId: string) => {
    const revision = await store.getRevision(revisionId)
    if (!revision) throw new HttpError(404, ErrorCode.revisionNotFound, 'no such revision')
    if (revision.documentId !== documentId) {
      throw new HttpError(400, ErrorCode.revisionMismatch, 'that revision belongs to another document')
    }
    return revision
  }

  const mayRevise = (actor: Participant, document: DocumentRecord) => {
    if (!canDispose(actor, document)) {
      throw new HttpError(
        403,
        ErrorCode.forbidden,
        'only the facilitator of this document or the secretariat may do this',
      )
    }
  }

  app.get(
    '/api/documents/:id/revisions',
    { schema: { params: IdParams, querystring: RevisionListQuery } },
    async (request) => {
      requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      const { checkpoints } = request.query as z.infer<typeof RevisionListQuery>
      await documentOf(id)
      const [list, known] = await Promise.all([
        store.listRevisions(id, { checkpoints: checkpoints === '1' }),
        people(),
      ])
      const published = list.filter((r) => r.kind === 'published')
      return {
        revisions: list.map((r) => revisionDTO(r, known)),
        next: {
          label: nextRevisionLabel(published.length),
          symbol: nextRevisionSymbol(published.at(-1)?.symbol ?? null, published.length),
        },
      }
    },
  )

  app.post(
    '/api/documents/:id/revisions',
    { schema: { params: IdParams, body: PublishRevisionBody } },
    async (request, reply) => {
      const actor = requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      const body = request.body as PublishRevisionBody
      const document = await documentOf(id)
      mayRevise(actor, document)
      const all = await store.listRevisions(id, { checkpoints: true })
      const published = all.filter((r) => r.kind === 'published')
      if (body.label && published.some((r) => r.label === body.label)) {
        throw new HttpError(409, ErrorCode.conflict, `a revision named ${body.label} exists already`)
      }
      // Who changed the text since the last published revision: its checkpoints and the room's own.
      const since = published.at(-1)?.createdAt ?? ''
      const contributors = new Set(
        all.filter((r) => r.kind === 'checkpoint' && r.createdAt > since).flatMap((r) => r.contributors),
      )
      const revision = await rooms.withRoom(id, async (room) => {
        await room.idle
        for (const who of room.contributors) contributors.add(who)
        return revisionOf(room.doc, {
          documentId: id,
          kind: 'published',
          label: body.label ?? nextRevisionLabel(published.length),
          symbol: body.symbol ?? nextRevisionSymbol(published.at(-1)?.symbol ?? null, published.length),
          note: body.note ?? '',
          createdBy: actor.id,
          contributors: [...contributors],
        })
      })
      await store.createRevision(revision, {
        actorId: actor.id,
        action: 'revision.published',
        subjectType: 'revision',
        subjectId: revision.id,
        details: { documentId: id, label: revision.label, hash: revision.hash },
      })
      rooms.notify(id, { type: 'revision.published', revisionId: revision.id, label: revision.label })
      // Threads incorporated since the last revision are reflected in this one.
      for (const thread of await store.listThreads(id)) {
        const outcome = thread.disposition?.outcome
        if (thread.reflectedIn || (outcome !== 'incorporated' && outcome !== 'incorporated_as_modified'))
          continue
        await store.updateThread(
          thread.id,
          { reflectedIn: revision.label },
          {
            actorId: actor.id,
            action: 'thread.reflected',
            subjectType: 'thread',
            subjectId: thread.id,
            details: { revisionId: revision.id },
          },
        )
        rooms.notify(id, { type: 'thread.changed', threadId: thread.id })
      }
      return reply.code(201).send({ revision: revisionDTO(revision, await people()) })
    },
  )

  /** The blocks of one side of a comparison: a revision's content, or the live text. */
  const side = async (documentId: string, ref: string) => {
    if (ref === 'current') return { blocks: await rooms.readLive(documentId, yDocBlocks), revision: null }
    const revision = await revisionOfDocument(documentId, ref)
    return { blocks: jsonDocBlocks(revision.content as JSONNode), revision }
  }

  app.get(
    '/api/documents/:id/compare',
    { schema: { params: IdParams, querystring: CompareQuery } },
    async (request) => {
      const viewer = requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      const query = request.query as z.infer<typeof CompareQuery>
      const document = await documentOf(id)
      let fromRef = query.from
      if (!fromRef) {
        const lastPublished = (await store.listRevisions(id, { checkpoints: false })).at(-1)
        if (!lastPublished) {
          throw new HttpError(
            400,
            ErrorCode.noRevision,
            'nothing published yet: give from=<revision> to compare',
          )
        }
        fromRef = lastPublished.id
      }
      const toRef = query.to ?? 'current'
      const [from, to, known] = await Promise.all([side(id, fromRef), side(id, toRef), people()])
      const diff = diffBlocks(from.blocks, to.blocks)
      // Each changed paragraph lists the threads on it, so a facilitator sees which comments a change answered.
      const threads = await new ThreadService(store, rooms).view(
        document,
        await store.listThreads(id),
        viewer,
      )
      const onBlock = new Map<string, string[]>()
      for (const t of threads) {
        if (t.anchor.blockId) onBlock.set(t.anchor.blockId, [...(onBlock.get(t.anchor.blockId) ?? []), t.id])
      }
      return {
        from: from.revision ? revisionDTO(from.revision, known) : null,
        to: to.revision ? revisionDTO(to.revision, known) : null,
        stats: diffStats(diff),
        blocks: diff.map((b) => ({ ...b, threadIds: b.blockId ? (onBlock.get(b.blockId) ?? []) : [] })),
      }
    },
  )

  app.get(
    '/api/documents/:id/revisions/:rev/content',
    { schema: { params: RevisionParams } },
    async (request) => {
      requireParticipant(request)
      const { id, rev } = request.params as z.infer<typeof RevisionParams>
      await documentOf(id)
      const revision = await revisionOfDocument(id, rev)
      return { content: revision.content, revision: revisionDTO(revision, await people()) }
    },
  )

  app.post(
    '/api/documents/:id/revisions/:rev/restore',
    { schema: { params: RevisionParams } },
    async (request) => {
      const actor = requireParticipant(request)
      const { id, rev } = request.params as z.infer<typeof RevisionParams>
      const document = await documentOf(id)
      mayRevise(actor, document)
      const revision = await revisionOfDocument(id, rev)
      // Restoring changes the live text to the revision's, as one attributed edit: paragraphs that
      // are the same keep their Yjs items (and so their threads' exact anchors); others are rewritten
      // with their block ids, so threads are found again through their quotes.
      const changed = await rooms.withRoom(id, (room) =>
        room.serverEdit(actor.id, (doc) => {
          replaceContent(doc, revision.content as JSONNode)
        }),
      )
      // The restore is itself in the history, as a checkpoint of the text it produced.
      const restoredText = await rooms.readLive(id, (doc) =>
        revisionOf(doc, {
          documentId: id,
          kind: 'checkpoint',
          label: `Restored ${revision.label}`,
          symbol: null,
          note: `Restored from ${revision.label} (${revision.createdAt})`,
          createdBy: actor.id,
          contributors: [actor.id],
        }),
      )
      await store.createRevision(restoredText, {
        actorId: actor.id,
        action: 'revision.restored',
        subjectType: 'revision',
        subjectId: revision.id,
        details: { documentId: id, label: revision.label, changed },
      })
      rooms.notify(id, {
        type: 'revision.restored',
        revisionId: revision.id,
        label: revision.label,
        by: actor.name,
      })
      return { restored: revisionDTO(revision, await people()), changed }
    },
  )
}
