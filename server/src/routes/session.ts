/** Sign-in by invitation link, sign-out, and who am I. */
import type { MeResponse } from '@plenary/shared'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { hashSecret, newSecret, TOKEN_PATTERN } from '../auth/tokens.ts'
import { requireParticipant, SESSION_COOKIE } from '../plugins/auth.ts'
import { signInFailedPage } from './pages.ts'

const JoinParams = z.strictObject({ token: z.string().max(300) })
const JoinQuery = z.object({ next: z.string().max(2000).optional() })

/** Only same-origin paths of the app: no `//host`, no scheme, no backslash tricks. */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/'
  if (!/^\/(documents\/[A-Za-z0-9_-]{1,64})?(\?[^#]*)?$/.test(next)) return '/'
  return next
}

export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { store, config } = app.services
  const secure = config.publicUrl?.startsWith('https://') ?? false

  app.get(
    '/join/:token',
    { schema: { params: JoinParams, querystring: JoinQuery } },
    async (request, reply) => {
      const { token } = request.params as z.infer<typeof JoinParams>
      const { next } = request.query as z.infer<typeof JoinQuery>
      const participant = TOKEN_PATTERN.test(token)
        ? await store.findParticipantByTokenHash(hashSecret(token))
        : null
      if (!participant || participant.revokedAt) {
        return reply.code(401).type('text/html; charset=utf-8').send(signInFailedPage())
      }
      const session = newSecret()
      await store.createSession(hashSecret(session), participant.id)
      reply.setCookie(SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: 60 * 60 * 24 * 90,
      })
      return reply.redirect(safeNext(next), 303)
    },
  )

  app.post('/api/logout', async (request, reply) => {
    const session = request.cookies[SESSION_COOKIE]
    if (session && TOKEN_PATTERN.test(session)) await store.deleteSession(hashSecret(session))
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  app.get('/api/me', async (request): Promise<MeResponse> => ({ participant: requireParticipant(request) }))
}
