/**
 * Who is asking: a session cookie (browsers), `Authorization: Bearer <token>` (scripts), or a
 * `token` query parameter (websocket clients that cannot set headers). Tokens are looked up by
 * hash; revoked participants are nobody.
 */
import { ErrorCode, type Participant, type Role } from '@plenary/shared'
import type { FastifyRequest } from 'fastify'
import { hashSecret, TOKEN_PATTERN } from '../auth/tokens.ts'
import type { ParticipantRecord, Store } from '../storage/Store.ts'
import { HttpError } from './errors.ts'

export const SESSION_COOKIE = 'plenary_session'

declare module 'fastify' {
  interface FastifyRequest {
    participant: Participant | null
  }
}

export const toParticipant = (record: ParticipantRecord): Participant => ({
  id: record.id,
  name: record.name,
  organisation: record.organisation,
  organisationKind: record.organisationKind,
  role: record.role,
})

async function byToken(store: Store, token: string): Promise<ParticipantRecord | null> {
  if (!TOKEN_PATTERN.test(token)) return null
  return store.findParticipantByTokenHash(hashSecret(token))
}

/** Resolves the participant of a request, or null. */
export async function authenticate(
  store: Store,
  request: FastifyRequest,
  options: { allowQueryToken: boolean },
): Promise<Participant | null> {
  let record: ParticipantRecord | null = null
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) {
    record = await byToken(store, header.slice('Bearer '.length).trim())
  } else {
    const session = request.cookies?.[SESSION_COOKIE]
    if (session && TOKEN_PATTERN.test(session)) {
      const participantId = await store.findSession(hashSecret(session))
      record = participantId ? await store.getParticipant(participantId) : null
    }
    const query = request.query as Record<string, unknown> | undefined
    if (!record && options.allowQueryToken && typeof query?.token === 'string') {
      record = await byToken(store, query.token)
    }
  }
  if (!record || record.revokedAt) return null
  return toParticipant(record)
}

/** The signed-in participant, or a 401. */
export function requireParticipant(request: FastifyRequest): Participant {
  if (!request.participant)
    throw new HttpError(401, ErrorCode.notSignedIn, 'sign in with your invitation link')
  return request.participant
}

/** The signed-in participant if their role is one of `roles`, or a 401/403. */
export function requireRole(request: FastifyRequest, ...roles: Role[]): Participant {
  const participant = requireParticipant(request)
  if (!roles.includes(participant.role)) {
    throw new HttpError(403, ErrorCode.forbidden, `only ${roles.join(' or ')} participants may do this`)
  }
  return participant
}
