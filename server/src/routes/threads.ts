/** Comment threads: start, read, reply, edit, withdraw, dispose, apply, acknowledge. */
import {
  AnchorError,
  CreateThreadBody,
  createAnchor,
  createAnchorFromQuote,
  EditMessageBody,
  ErrorCode,
  findYBlock,
  IdParams,
  type Participant,
  PatchThreadBody,
  ReplyBody,
  resolveAnchor,
  type ThreadDTO,
  YDOC_FIELD,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import * as Y from 'yjs'
import { z } from 'zod'
import { acknowledgementText } from '../comments/acknowledgement.ts'
import { findMentions } from '../comments/mentions.ts'
import { canDispose, canSeeThread, gzippedList, ThreadService } from '../comments/ThreadService.ts'
import { newId } from '../ids.ts'
import { requireParticipant, requireRole } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'
import type {
  AuditEntry,
  DocumentRecord,
  MessageRecord,
  ThreadPatch,
  ThreadRecord,
} from '../storage/Store.ts'

const ThreadFilters = z.strictObject({
  status: z.string().max(100).optional(),
  kind: z.string().max(200).optional(),
  organisation: z.string().max(200).optional(),
  organisationKind: z.string().max(200).optional(),
})

const SECRETARIAT_NAME = 'Secretariat of the Arms Trade Treaty'

/** Whether an Accept-Encoding header accepts gzip (by name or `*`, with a q-value above 0). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase())
    if (name !== 'gzip' && name !== '*') return false
    const q = params.find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as for GET). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

export async function threadRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services
  const threads = new ThreadService(store, rooms)

  const documentOf = async (id: string): Promise<DocumentRecord> => {
    const document = await store.getDocument(id)
    if (!document) throw new HttpError(404, ErrorCode.documentNotFound, 'no such document')
    return document
  }

  /** A thread the viewer may see, with its document; 404 for both unknown and hidden threads. */
  const threadFor = async (id: string, viewer: Participant) => {
    const thread = await store.getThread(id)
    const document = thread ? await store.getDocument(thread.documentId) : null
    if (!thread || !document || !canSeeThread(viewer, thread, document)) {
      throw new HttpError(404, ErrorCode.notFound, 'no such thread')
    }
    return { thread, document }
  }

  const one = async (
    thread: ThreadRecord,
    document: DocumentRecord,
    viewer: Participant,
  ): Promise<ThreadDTO> => {
    const [dto] = await threads.view(document, [thread], viewer)
    return dto
  }

  const changed = (thread: ThreadRecord) =>
    rooms.notify(thread.documentId, { type: 'thread.changed', threadId: thread.id })

  const audit = (
    actor: Participant,
    action: string,
    thread: ThreadRecord,
    details: Record<string, unknown> = {},
  ): AuditEntry => ({
    actorId: actor.id,
    action,
    subjectType: 'thread',
    subjectId: thread.id,
    details,
  })

  const noReaders = (viewer: Participant) => {
    if (viewer.role === 'reader') throw new HttpError(403, ErrorCode.forbidden, 'readers cannot comment')
  }

  app.get(
    '/api/documents/:id/threads',
    { schema: { params: IdParams, querystring: ThreadFilters } },
    async (request, reply) => {
      const viewer = requireParticipant(request)
      const { id } = request.params as z.infer<typeof IdParams>
      const filters = request.query as z.infer<typeof ThreadFilters>
      const document = await documentOf(id)
      // Serialized already (and kept while nothing in it changes): sent as it is. A page asks
      // again after every change anyone makes; its browser revalidates with the entity tag, and an
      // unchanged list costs a 304 instead of the whole list (190 KB for 200 threads).
      // Compressed for clients that accept it, once per kept list: 190 KB of JSON is about 20.
      // Each encoding has its own entity tag.
      const list = await threads.listBody(document, viewer, filters)
      const gzip = acceptsGzip(request.headers['accept-encoding']) ? gzippedList(list) : null
      const etag = gzip ? `${list.etag.slice(0, -1)}-gz"` : list.etag
      reply
        .header('cache-control', 'private, no-cache')
        .header('etag', etag)
        .header('vary', 'accept-encoding')
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send()
      reply.type('application/json; charset=utf-8')
      if (!gzip) return reply.send(list.body)
      return reply.header('content-encoding', 'gzip').send(gzip)
    },
  )

  app.post(
    '/api/documents/:id/threads',
    { schema: { params: IdParams, body: CreateThreadBody } },
    async (request, reply) => {
      const actor = requireParticipant(request)
      noReaders(actor)
      const { id } = request.params as z.infer<typeof IdParams>
      const body = request.body as CreateThreadBody
      const document = await documentOf(id)
      const people = await threads.people()

      // The secretariat may log a thread from a communication on behalf of the sender.
      let authorId = actor.id
      if (body.communicationId !== undefined || body.authorId !== undefined) {
        if (actor.role !== 'secretariat') {
          throw new HttpError(
            403,
            ErrorCode.forbidden,
            'only the secretariat logs threads from communications',
          )
        }
        const communication = body.communicationId ? await store.getCommunication(body.communicationId) : null
        if (body.communicationId && (!communication || communication.documentId !== id)) {
          throw new HttpError(
            400,
            ErrorCode.invalidRequest,
            'communicationId: no such communication on this document',
          )
        }
        if (body.authorId) {
          const author = people.get(body.authorId)
          if (!author || author.revokedAt)
            throw new HttpError(400, ErrorCode.invalidRequest, 'authorId: no such participant')
          if (communication && author.organisation !== communication.organisation) {
            throw new HttpError(
              400,
              ErrorCode.invalidRequest,
              'authorId: not of the organisation that sent the communication',
            )
          }
          authorId = author.id
        }
      }

      let anchor: ThreadRecord['anchor'] = null
      if (body.anchor) {
        const input = body.anchor
        try {
          anchor = await rooms.readLive(id, (doc) =>
            'quote' in input
              ? createAnchorFromQuote(doc, input.blockId, input.quote)
              : createAnchor(doc, input.blockId, input.from, input.to),
          )
        } catch (error) {
          if (error instanceof AnchorError)
            throw new HttpError(400, ErrorCode.invalidRequest, `anchor: ${error.message}`)
          throw error
        }
      }
      const now = new Date().toISOString()
      const thread: ThreadRecord = {
        id: newId(),
        documentId: id,
        kind: body.kind,
        status: 'open',
        visibility: body.visibility ?? 'everyone',
        authorId,
        anchor,
        proposal: body.proposal ?? null,
        appliedAt: null,
        appliedBy: null,
        disposition: null,
        communicationId: body.communicationId ?? null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgement: null,
        late: document.commentDeadline !== null && now > document.commentDeadline,
        createdAt: now,
        updatedAt: now,
        // The revision the author was reading: the last one published when the thread was started.
        createdInRevision: (await store.listRevisions(id, { checkpoints: false })).at(-1)?.label ?? null,
        reflectedIn: null,
      }
      const first: MessageRecord = {
        id: newId(),
        threadId: thread.id,
        authorId,
        body: body.body,
        createdAt: now,
        editedAt: null,
        withdrawnAt: null,
        history: [],
        mentions: findMentions(body.body, [...people.values()]),
      }
      await store.createThread(
        thread,
        first,
        audit(actor, 'thread.created', thread, { kind: thread.kind, authorId }),
      )
      changed(thread)
      return reply.code(201).send({ thread: await one(thread, document, actor) })
    },
  )

  app.get('/api/threads/:id', { schema: { params: IdParams } }, async (request) => {
    const viewer = requireParticipant(request)
    const { thread, document } = await threadFor((request.params as z.infer<typeof IdParams>).id, viewer)
    return { thread: await one(thread, document, viewer) }
  })

  app.post(
    '/api/threads/:id/messages',
    { schema: { params: IdParams, body: ReplyBody } },
    async (request, reply) => {
      const actor = requireParticipant(request)
      noReaders(actor)
      const { thread, document } = await threadFor((request.params as z.infer<typeof IdParams>).id, actor)
      const { body } = request.body as z.infer<typeof ReplyBody>
      const people = await threads.people()
      const message: MessageRecord = {
        id: newId(),
        threadId: thread.id,
        authorId: actor.id,
        body,
        createdAt: new Date().toISOString(),
        editedAt: null,
        withdrawnAt: null,
        history: [],
        mentions: findMentions(body, [...people.values()]),
      }
      await store.addMessage(message, {
        actorId: actor.id,
        action: 'message.created',
        subjectType: 'message',
        subjectId: message.id,
        details: { threadId: thread.id },
      })
      changed(thread)
      return reply
        .code(201)
        .send({ thread: await one((await store.getThread(thread.id)) as ThreadRecord, document, actor) })
    },
  )

  const messageFor = async (id: string, actor: Participant) => {
    const message = await store.getMessage(id)
    if (!message) throw new HttpError(404, ErrorCode.notFound, 'no such message')
    const { thread, document } = await threadFor(message.threadId, actor)
    if (message.authorId !== actor.id) {
      throw new HttpError(403, ErrorCode.forbidden, 'only the author of a message may change it')
    }
    if (message.withdrawnAt) throw new HttpError(409, ErrorCode.conflict, 'this message was withdrawn')
    return { message, thread, document }
  }

  app.patch('/api/messages/:id', { schema: { params: IdParams, body: EditMessageBody } }, async (request) => {
    const actor = requireParticipant(request)
    const { message, thread, document } = await messageFor(
      (request.params as z.infer<typeof IdParams>).id,
      actor,
    )
    const { body } = request.body as z.infer<typeof EditMessageBody>
    const people = await threads.people()
    await store.updateMessage(
      message.id,
      { body, mentions: findMentions(body, [...people.values()]) },
      {
        actorId: actor.id,
        action: 'message.edited',
        subjectType: 'message',
        subjectId: message.id,
        details: { previous: message.body },
      },
    )
    changed(thread)
    return { thread: await one(thread, document, actor) }
  })

  app.post('/api/messages/:id/withdraw', { schema: { params: IdParams } }, async (request) => {
    const actor = requireParticipant(request)
    const { message, thread, document } = await messageFor(
      (request.params as z.infer<typeof IdParams>).id,
      actor,
    )
    await store.updateMessage(
      message.id,
      { withdrawn: true },
      {
        actorId: actor.id,
        action: 'message.withdrawn',
        subjectType: 'message',
        subjectId: message.id,
        details: {},
      },
    )
    changed(thread)
    return { thread: await one(thread, document, actor) }
  })

  app.patch('/api/threads/:id', { schema: { params: IdParams, body: PatchThreadBody } }, async (request) => {
    const actor = requireParticipant(request)
    const { thread, document } = await threadFor((request.params as z.infer<typeof IdParams>).id, actor)
    const body = request.body as PatchThreadBody
    const patch: ThreadPatch = {}
    const now = new Date().toISOString()

    if (body.status !== undefined) {
      if (body.status === 'withdrawn') {
        if (thread.authorId !== actor.id)
          throw new HttpError(403, ErrorCode.forbidden, 'only the author may withdraw a thread')
      } else if (!canDispose(actor, document)) {
        throw new HttpError(
          403,
          ErrorCode.forbidden,
          'only the facilitator of this document or the secretariat sets the status',
        )
      }
      if (thread.status === 'withdrawn' && body.status !== 'withdrawn') {
        throw new HttpError(409, ErrorCode.conflict, 'a withdrawn thread stays withdrawn')
      }
      patch.status = body.status
    }
    if (body.disposition !== undefined) {
      if (!canDispose(actor, document)) {
        throw new HttpError(
          403,
          ErrorCode.forbidden,
          'only the facilitator of this document or the secretariat decides dispositions',
        )
      }
      patch.disposition = body.disposition && { ...body.disposition, decidedAt: now, decidedBy: actor.id }
    }
    if (body.acknowledge) {
      if (actor.role !== 'secretariat')
        throw new HttpError(403, ErrorCode.forbidden, 'only the secretariat acknowledges receipt')
      if (thread.acknowledgedAt) throw new HttpError(409, ErrorCode.conflict, 'already acknowledged')
      const author = await store.getParticipant(thread.authorId)
      const communication = thread.communicationId
        ? await store.getCommunication(thread.communicationId)
        : null
      patch.acknowledgedAt = now
      patch.acknowledgedBy = actor.id
      patch.acknowledgement = acknowledgementText({
        secretariat: SECRETARIAT_NAME,
        organisation: author?.organisation ?? communication?.organisation ?? 'the sender',
        organisationKind: author?.organisationKind ?? null,
        channel: communication?.channel ?? 'comment',
        reference: communication?.reference ?? '',
        sentAt: communication?.sentAt ?? thread.createdAt,
        documentTitle: document.title,
      })
    }
    const updated = await store.updateThread(
      thread.id,
      patch,
      audit(actor, 'thread.updated', thread, { ...body }),
    )
    changed(thread)
    return { thread: await one(updated as ThreadRecord, document, actor) }
  })

  app.post('/api/threads/:id/apply', { schema: { params: IdParams } }, async (request) => {
    const actor = requireParticipant(request)
    const { thread, document } = await threadFor((request.params as z.infer<typeof IdParams>).id, actor)
    if (!canDispose(actor, document)) {
      throw new HttpError(
        403,
        ErrorCode.forbidden,
        'only the facilitator of this document or the secretariat applies proposals',
      )
    }
    const proposal = thread.proposal
    if (!proposal || !thread.anchor)
      throw new HttpError(409, ErrorCode.conflict, 'this thread proposes no wording to apply')
    if (thread.appliedAt) throw new HttpError(409, ErrorCode.conflict, 'this proposal was already applied')

    let newRange: { blockId: string; from: number; to: number } | null = null
    await rooms.withRoom(document.id, (room) =>
      room.serverEdit(actor.id, (doc) => {
        const anchor = thread.anchor as NonNullable<ThreadRecord['anchor']>
        const at = resolveAnchor(doc, anchor)
        if (at.blockId === null || at.from === null || at.to === null) {
          throw new HttpError(
            409,
            ErrorCode.conflict,
            'the words this proposal is on are no longer in the text',
          )
        }
        const block = findYBlock(doc.getXmlFragment(YDOC_FIELD), at.blockId) as Y.XmlElement
        const { text, offset, length } = textRunAt(block, at.from, at.to)
        if (proposal.action === 'insert') {
          text.insert(offset + length, proposal.text)
          newRange = { blockId: at.blockId, from: at.to, to: at.to + proposal.text.length }
        } else {
          text.delete(offset, length)
          if (proposal.action === 'replace') text.insert(offset, proposal.text)
          newRange = {
            blockId: at.blockId,
            from: at.from,
            to: at.from + (proposal.action === 'replace' ? proposal.text.length : 0),
          }
        }
      }),
    )
    const range = newRange as { blockId: string; from: number; to: number } | null
    const anchor = range
      ? await rooms.readLive(document.id, (doc) => createAnchor(doc, range.blockId, range.from, range.to))
      : thread.anchor
    const updated = await store.updateThread(
      thread.id,
      { anchor, appliedAt: new Date().toISOString(), appliedBy: actor.id },
      audit(actor, 'thread.applied', thread, { action: proposal.action }),
    )
    changed(thread)
    return { thread: await one(updated as ThreadRecord, document, actor) }
  })

  app.get('/api/me/mentions', async (request) => {
    const viewer = requireParticipant(request)
    const messages = await store.listMentions(viewer.id, viewer.organisation)
    const out: {
      threadId: string
      documentId: string
      messageId: string
      body: string
      createdAt: string
      authorId: string
    }[] = []
    for (const m of messages) {
      const thread = await store.getThread(m.threadId)
      const document = thread ? await store.getDocument(thread.documentId) : null
      if (!thread || !document || !canSeeThread(viewer, thread, document) || m.withdrawnAt) continue
      out.push({
        threadId: thread.id,
        documentId: document.id,
        messageId: m.id,
        body: m.body,
        createdAt: m.createdAt,
        authorId: m.authorId,
      })
    }
    return { mentions: out }
  })

  app.get('/api/threads/:id/audit', { schema: { params: IdParams } }, async (request) => {
    const actor = requireRole(request, 'secretariat', 'facilitator')
    const { thread } = await threadFor((request.params as z.infer<typeof IdParams>).id, actor)
    return { audit: await store.listAudit(thread.id) }
  })
}

/**
 * The Y.XmlText run holding [from, to) of a block, with the offset in that run. A proposal applies
 * within one run of text (a hard break inside the quoted words is refused).
 */
function textRunAt(
  block: Y.XmlElement,
  from: number,
  to: number,
): { text: Y.XmlText; offset: number; length: number } {
  let at = 0
  for (const child of block.toArray()) {
    const length = child instanceof Y.XmlText ? child.length : 1
    if (child instanceof Y.XmlText && from >= at && to <= at + length) {
      return { text: child, offset: from - at, length: to - from }
    }
    at += length
  }
  throw new HttpError(
    409,
    ErrorCode.conflict,
    'the quoted words span a line break; apply the wording by hand',
  )
}
