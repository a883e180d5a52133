import {
  CreateParticipantBody,
  type CreateParticipantResponse,
  ErrorCode,
  IdParams,
  type ParticipantsResponse,
  PatchParticipantBody,
} from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import type { z } from 'zod'
import { hashSecret, newSecret } from '../auth/tokens.ts'
import { newId } from '../ids.ts'
import { requireRole, toParticipant } from '../plugins/auth.ts'
import { HttpError } from '../plugins/errors.ts'

export async function participantRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms } = app.services

  app.get('/api/participants', async (request): Promise<ParticipantsResponse> => {
    requireRole(request, 'secretariat', 'facilitator')
    const records = await store.listParticipants()
    return { participants: records.filter((p) => !p.revokedAt).map(toParticipant) }
  })

  app.post('/api/participants', { schema: { body: CreateParticipantBody } }, async (request, reply) => {
    requireRole(request, 'secretariat')
    const body = request.body as CreateParticipantBody
    const token = newSecret()
    const record = await store.createParticipant({ id: newId(), ...body, tokenHash: hashSecret(token) })
    const response: CreateParticipantResponse = { participant: toParticipant(record), token }
    return reply.code(201).send(response)
  })

  app.patch(
    '/api/participants/:id',
    { schema: { params: IdParams, body: PatchParticipantBody } },
    async (request) => {
      const actor = requireRole(request, 'secretariat')
      const { id } = request.params as z.infer<typeof IdParams>
      const body = request.body as z.infer<typeof PatchParticipantBody>
      if (id === actor.id && (body.revoked || (body.role && body.role !== 'secretariat'))) {
        throw new HttpError(409, ErrorCode.conflict, 'you cannot revoke or demote yourself')
      }
      const updated = await store.updateParticipant(id, body)
      if (!updated) throw new HttpError(404, ErrorCode.participantNotFound, 'no such participant')
      await rooms.refreshAccess({ participantId: id })
      return { participant: toParticipant(updated), revoked: updated.revokedAt !== null }
    },
  )
}
