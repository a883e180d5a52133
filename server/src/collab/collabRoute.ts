/**
 * The one file of collab/ that knows Fastify: authenticates the upgrade (cookie or `token` query
 * parameter, checked before the upgrade completes), refuses cross-origin pages, and hands the
 * socket to the room manager.
 */
import { ErrorCode } from '@plenary/shared'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { authenticate, isSameOrigin } from '../plugins/auth.ts'
import { errorBody } from '../plugins/errors.ts'

const CollabParams = z.strictObject({ documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) })

export async function collabRoutes(app: FastifyInstance): Promise<void> {
  const { store, rooms, config } = app.services

  const refuse = (reply: FastifyReply, status: number, code: ErrorCode, message: string) =>
    reply.code(status).send(errorBody(code, message))

  app.route({
    method: 'GET',
    url: '/collab/:documentId',
    schema: { params: CollabParams },
    preValidation: async (request, reply) => {
      if (!isSameOrigin(request, config.publicUrl)) {
        return refuse(reply, 403, ErrorCode.forbidden, 'cross-origin websocket refused')
      }
      const participant = await authenticate(store, request, { allowQueryToken: true })
      if (!participant) return refuse(reply, 401, ErrorCode.notSignedIn, 'sign in with your invitation link')
      const { documentId } = request.params as z.infer<typeof CollabParams>
      const document = await store.getDocument(documentId)
      if (!document) return refuse(reply, 404, ErrorCode.documentNotFound, 'no such document')
      if ((await rooms.connectionCount(documentId)) >= config.limits.maxConnectionsPerDocument) {
        return refuse(reply, 429, ErrorCode.tooManyRequests, 'too many connections to this document')
      }
      if (
        (await rooms.participantConnections(participant.id)) >= config.limits.maxConnectionsPerParticipant
      ) {
        return refuse(reply, 429, ErrorCode.tooManyRequests, 'too many open connections for this participant')
      }
      request.participant = participant
      ;(request as FastifyRequest & { penHolders: string[] }).penHolders = document.penHolders
    },
    // A plain GET that passed the checks: say what this address is for, in the API's shape.
    handler: (_request, reply) =>
      refuse(reply, 426, ErrorCode.invalidRequest, 'this address takes a websocket upgrade only'),
    wsHandler: (socket, request) => {
      const { documentId } = request.params as z.infer<typeof CollabParams>
      const participant = request.participant
      if (!participant) return socket.close(4401)
      // Frames arriving before the room is ready wait in ws's buffer: pause until joined.
      socket.pause?.()
      rooms
        .join({
          documentId,
          socket,
          participant,
          penHolders: (request as FastifyRequest & { penHolders: string[] }).penHolders,
          maxMessagesPerSecond: config.limits.maxMessagesPerSecond,
          maxMessageBytes: config.limits.maxMessageBytes,
        })
        .then(
          () => socket.resume?.(),
          (error) => {
            request.log.error({ err: error, documentId }, 'could not open the document')
            socket.close(1013, 'storage unavailable, try again')
          },
        )
    },
  })
}
