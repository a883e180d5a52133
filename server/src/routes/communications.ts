/** Written communications logged by the secretariat, and their acknowledgements of receipt. */
import {
  type CommunicationDTO,
  CreateCommunicationBody,
  ErrorCode,
  IdParams,
  type OrganisationKind,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { acknowledgementText } from '../comments/acknowledgement.ts'
import { newId } from '../ids.ts'
import { requireRole } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'
import type { CommunicationRecord, Store } from '../storage/Store.ts'

const SECRETARIAT_NAME = 'Secretariat of the Arms Trade Treaty'

async function dto(store: Store, c: CommunicationRecord): Promise<CommunicationDTO> {
  const threads = await store.listThreads(c.documentId)
  return {
    id: c.id,
    organisation: c.organisation,
    reference: c.reference,
    sentAt: c.sentAt,
    receivedAt: c.receivedAt,
    channel: c.channel,
    text: c.text,
    documentId: c.documentId,
    createdAt: c.createdAt,
    acknowledgedAt: c.acknowledgedAt,
    acknowledgement: c.acknowledgement,
    threadIds: threads.filter((t) => t.communicationId === c.id).map((t) => t.id),
  }
}

export async function communicationRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services

  app.get('/api/communications', async (request) => {
    requireRole(request, 'secretariat')
    const list = await store.listCommunications()
    return { communications: await Promise.all(list.map((c) => dto(store, c))) }
  })

  app.post('/api/communications', { schema: { body: CreateCommunicationBody } }, async (request, reply) => {
    const actor = requireRole(request, 'secretariat')
    const body = request.body as CreateCommunicationBody
    if (!(await store.getDocument(body.documentId))) {
      throw new HttpError(400, ErrorCode.invalidRequest, 'documentId: no such document')
    }
    if (body.receivedAt < body.sentAt) {
      throw new HttpError(
        400,
        ErrorCode.invalidRequest,
        'receivedAt: a communication cannot arrive before it was sent',
      )
    }
    const record: CommunicationRecord = {
      id: newId(),
      ...body,
      createdBy: actor.id,
      createdAt: new Date().toISOString(),
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgement: null,
    }
    await store.createCommunication(record, {
      actorId: actor.id,
      action: 'communication.logged',
      subjectType: 'communication',
      subjectId: record.id,
      details: { organisation: record.organisation, reference: record.reference },
    })
    rooms.notify(record.documentId, { type: 'communication.changed', communicationId: record.id })
    return reply.code(201).send({ communication: await dto(store, record) })
  })

  app.post('/api/communications/:id/acknowledge', { schema: { params: IdParams } }, async (request) => {
    const actor = requireRole(request, 'secretariat')
    const { id } = request.params as z.infer<typeof IdParams>
    const communication = await store.getCommunication(id)
    if (!communication) throw new HttpError(404, ErrorCode.notFound, 'no such communication')
    if (communication.acknowledgedAt) throw new HttpError(409, ErrorCode.conflict, 'already acknowledged')
    const document = await store.getDocument(communication.documentId)
    const sender = (await store.listParticipants()).find((p) => p.organisation === communication.organisation)
    const acknowledgement = acknowledgementText({
      secretariat: SECRETARIAT_NAME,
      organisation: communication.organisation,
      organisationKind: (sender?.organisationKind as OrganisationKind | undefined) ?? null,
      channel: communication.channel,
      reference: communication.reference,
      sentAt: communication.sentAt,
      documentTitle: document?.title ?? 'draft',
    })
    const updated = (await store.acknowledgeCommunication(
      id,
      { acknowledgedAt: new Date().toISOString(), acknowledgedBy: actor.id, acknowledgement },
      {
        actorId: actor.id,
        action: 'communication.acknowledged',
        subjectType: 'communication',
        subjectId: id,
        details: {},
      },
    )) as CommunicationRecord
    rooms.notify(updated.documentId, { type: 'communication.changed', communicationId: id })
    return { communication: await dto(store, updated), acknowledgement }
  })
}
