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

/**
 * A request's URL as it may be logged: without its query (websocket tokens travel there) and
 * without the token of an invitation link (`/join/<token>`).
 */
export function loggableUrl(url: string): string {
  return url.split('?')[0].replace(/^\/join\/[^/]*/, '/join/[token]')
}

/**
 * Is the request from a page of this app, or from no page at all? Browsers send `Origin` with
 * every cross-origin request, websocket upgrades and POSTs included; scripts and Node clients
 * send none. With PUBLIC_URL set, the app's origin is that one, scheme and port included, and
 * nothing else: the Host header is not trusted, since a page on a rebinding domain (one that
 * resolves to this server) sends its own name as both Origin and Host. Without PUBLIC_URL, the
 * origin must name the host the request was sent to. `Origin: null` (sandboxed frames, opaque
 * redirects) is never the app.
 */
export function isSameOrigin(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    if (publicUrl !== undefined) return new URL(origin).origin === new URL(publicUrl).origin
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
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
    // The browser attaches the cookie to requests from any page: only the app's own count.
    if (session && !isSameOrigin(request, request.server.services?.config.publicUrl)) {
      throw new HttpError(403, ErrorCode.forbidden, 'cross-origin request refused')
    }
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
