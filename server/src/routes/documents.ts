import {
  type BlocksResponse,
  type ContentResponse,
  CreateDocumentBody,
  canEditDocument,
  contentToYDoc,
  type DocumentDTO,
  type DocumentResponse,
  type DocumentsResponse,
  ErrorCode,
  emptyContent,
  IdParams,
  InvalidContentError,
  normalizeContent,
  type Participant,
  PatchDocumentBody,
  yDocBlocks,
  yDocToContent,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import * as Y from 'yjs'
import type { z } from 'zod'
import { newId } from '../ids.ts'
import { requireParticipant, requireRole } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'
import type { DocumentRecord, ParticipantRecord } from '../storage/Store.ts'

export function documentDTO(
  record: DocumentRecord,
  people: Map<string, ParticipantRecord>,
  viewer: Participant,
): DocumentDTO {
  const person = (id: string | null) => (id ? people.get(id) : undefined)
  const last = person(record.lastChangeBy)
  return {
    id: record.id,
    title: record.title,
    penHolders: record.penHolders,
    commentDeadline: record.commentDeadline,
    penHolderNames: record.penHolders.flatMap((id) => {
      const p = person(id)
      return p ? [{ id: p.id, name: p.name, organisation: p.organisation, role: p.role }] : []
    }),
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    lastChangeBy: last ? { id: last.id, name: last.name, organisation: last.organisation } : null,
    canEdit: canEditDocument(viewer, record.penHolders),
  }
}

export async function documentRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services

  const people = async () => new Map((await store.listParticipants()).map((p) => [p.id, p]))

  const getDocument = async (id: string) => {
    const record = await store.getDocument(id)
    if (!record) throw new HttpError(404, ErrorCode.documentNotFound, 'no such document')
    return record
  }

  /** Pen holders must be live facilitators or secretariat members. */
  const checkPenHolders = async (ids: string[]) => {
    const known = await people()
    for (const id of ids) {
      const p = known.get(id)
      if (!p || p.revokedAt)
        throw new HttpError(400, ErrorCode.invalidRequest, `penHolders: no participant ${id}`)
      if (p.role !== 'facilitator' && p.role !== 'secretariat') {
        throw new HttpError(
          400,
          ErrorCode.invalidRequest,
          `penHolders: ${p.name} is a ${p.role}, not a facilitator`,
        )
      }
    }
    return [...new Set(ids)]
  }

  app.get('/api/documents', async (request): Promise<DocumentsResponse> => {
    const viewer = requireParticipant(request)
    const [records, known] = await Promise.all([store.listDocuments(), people()])
    return { documents: records.map((r) => documentDTO(r, known, viewer)) }
  })

  app.post('/api/documents', { schema: { body: CreateDocumentBody } }, async (request, reply) => {
    const actor = requireRole(request, 'secretariat')
    const body = request.body as CreateDocumentBody
    let content: ReturnType<typeof normalizeContent>
    try {
      content = body.content ? normalizeContent(body.content) : emptyContent()
    } catch (error) {
      if (error instanceof InvalidContentError)
        throw new HttpError(400, ErrorCode.invalidContent, error.message)
      throw error
    }
    const penHolders = await checkPenHolders(body.penHolders ?? [])
    const doc = contentToYDoc(content)
    const initialState = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    if (initialState.length > app.services.config.limits.documentMaxBytes) {
      throw new HttpError(
        413,
        ErrorCode.documentTooLarge,
        'the content is larger than the document size limit',
      )
    }
    const record = await store.createDocument({
      id: newId(),
      title: body.title,
      penHolders,
      createdBy: actor.id,
      initialState,
    })
    const response: DocumentResponse = { document: documentDTO(record, await people(), actor) }
    return reply.code(201).send(response)
  })

  app.get(
    '/api/documents/:id',
    { schema: { params: IdParams } },
    async (request): Promise<DocumentResponse> => {
      const viewer = requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      return { document: documentDTO(await getDocument(id), await people(), viewer) }
    },
  )

  app.patch(
    '/api/documents/:id',
    { schema: { params: IdParams, body: PatchDocumentBody } },
    async (request): Promise<DocumentResponse> => {
      const actor = requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      const body = request.body as PatchDocumentBody
      const current = await getDocument(id)
      // The secretariat renames and gives the pen; the pen holders may set the comment deadline.
      if (actor.role !== 'secretariat' && (body.title !== undefined || body.penHolders !== undefined)) {
        throw new HttpError(
          403,
          ErrorCode.forbidden,
          'only the secretariat renames documents or changes pen holders',
        )
      }
      if (!canEditDocument(actor, current.penHolders)) {
        throw new HttpError(
          403,
          ErrorCode.forbidden,
          'only the pen holders or the secretariat change this document',
        )
      }
      const penHolders = body.penHolders ? await checkPenHolders(body.penHolders) : undefined
      const commentDeadline =
        body.commentDeadline === undefined || body.commentDeadline === null
          ? body.commentDeadline
          : new Date(body.commentDeadline).toISOString()
      const updated = (await store.updateDocument(id, {
        title: body.title,
        penHolders,
        commentDeadline,
      })) as DocumentRecord
      await rooms.refreshAccess({ documentId: id })
      rooms.notify(id, { type: 'document.updated', title: updated.title, penHolders: updated.penHolders })
      return { document: documentDTO(updated, await people(), actor) }
    },
  )

  app.get(
    '/api/documents/:id/content',
    { schema: { params: IdParams } },
    async (request): Promise<ContentResponse> => {
      requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      await getDocument(id)
      return { content: await rooms.readLive(id, yDocToContent) }
    },
  )

  app.get(
    '/api/documents/:id/blocks',
    { schema: { params: IdParams } },
    async (request): Promise<BlocksResponse> => {
      requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      await getDocument(id)
      return { blocks: await rooms.readLive(id, yDocBlocks) }
    },
  )
}
