/**
 * Builds the app (used by tests and by main.ts; it does not listen). Plugins load in order:
 * external ones, then services, then routes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import { ErrorCode } from '@plenary/shared'
import Fastify, { type FastifyInstance } from 'fastify'
import type { ZodType } from 'zod'
import { ensureAdmin } from './bootstrap.ts'
import { type Fanout, NoFanout } from './cluster/fanout.ts'
import { collabRoutes } from './collab/collabRoute.ts'
import { Metrics } from './collab/metrics.ts'
import { RoomManager } from './collab/RoomManager.ts'
import type { Config } from './config.ts'
import { authenticate, loggableUrl } from './plugins/auth.ts'
import { errorBody, frameworkErrors, registerErrorHandling, websocketErrorHandler } from './plugins/errors.ts'
import { storeCheckpoint } from './revisions/checkpoints.ts'
import { communicationRoutes } from './routes/communications.ts'
import { documentRoutes } from './routes/documents.ts'
import { exportRoutes } from './routes/exports.ts'
import { healthRoutes } from './routes/health.ts'
import { participantRoutes } from './routes/participants.ts'
import { revisionRoutes } from './routes/revisions.ts'
import { sessionRoutes } from './routes/session.ts'
import { threadRoutes } from './routes/threads.ts'
import './services.ts'
import type { Store } from './storage/Store.ts'

const defaultClientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')

export type BuildOptions = { config: Config; store: Store; logger?: boolean | object }

export async function buildApp({ config, store, logger }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? {
      level: config.logLevel,
      // Tokens never reach the logs: query strings and invitation tokens are dropped from URLs.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: loggableUrl(req.url) }),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    bodyLimit: config.limits.maxJsonBodyBytes,
    routerOptions: { maxParamLength: 300 },
    frameworkErrors,
  })

  // Route schemas are zod schemas: validate with them, keep their parsed (and trimmed) output.
  app.setValidatorCompiler(({ schema }) => (data) => {
    const result = (schema as ZodType).safeParse(data)
    return result.success ? { value: result.data } : { error: result.error }
  })
  // JSON only: no text/plain parser, so cross-site "simple" form posts cannot reach the API.
  app.removeContentTypeParser('text/plain')

  await ensureAdmin(store, config.adminToken)
  const metrics = new Metrics()
  // The Redis client is only loaded when there is a Redis to talk to: a single instance starts
  // faster, which a restart under a reconnect storm feels.
  let fanout: Fanout
  if (config.redisUrl) {
    const { RedisFanout } = await import('./cluster/RedisFanout.ts')
    const redis = new RedisFanout({
      url: config.redisUrl,
      instanceId: config.instanceId,
      prefix: config.redisPrefix,
      log: app.log as never,
      metrics,
    })
    await redis.start()
    fanout = redis
  } else {
    fanout = new NoFanout(config.instanceId)
  }
  metrics.fanoutState = () => fanout.state()
  // After the room manager has stored everything (preClose of the websocket plugin).
  app.addHook('onClose', async () => {
    await fanout.close()
  })
  const rooms = new RoomManager({
    fanout,
    store,
    metrics,
    log: app.log as never,
    documentWarnBytes: config.limits.documentWarnBytes,
    documentMaxBytes: config.limits.documentMaxBytes,
    maxAwarenessBytes: config.limits.maxAwarenessBytes,
    compactAfterUpdates: config.compactAfterUpdates,
    checkpointMs: config.checkpointMinutes * 60_000,
    unloadAfterMs: config.unloadAfterMs,
    checkpoint: (room, contributors) => storeCheckpoint(store, room.id, room.doc, contributors),
  })
  app.decorate('services', { config, store, rooms, metrics, fanout })
  app.decorateRequest('participant', null)

  await app.register(fastifyCookie)
  await app.register(fastifyWebsocket, {
    options: { maxPayload: config.limits.maxMessageBytes },
    errorHandler: websocketErrorHandler,
    // Shutdown: the room manager closes sockets with "going away" after storing everything.
    preClose: async () => {
      await rooms.shutdown()
    },
  })
  registerErrorHandling(app)

  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) {
      request.participant = await authenticate(store, request, { allowQueryToken: false })
    }
  })

  await app.register(healthRoutes)
  await app.register(sessionRoutes)
  await app.register(participantRoutes)
  await app.register(documentRoutes)
  await app.register(threadRoutes)
  await app.register(communicationRoutes)
  await app.register(revisionRoutes)
  await app.register(exportRoutes)
  await app.register(collabRoutes)

  const clientDist = config.clientDist ? path.resolve(config.clientDist) : defaultClientDist
  const hasClient = fs.existsSync(path.join(clientDist, 'index.html'))
  if (hasClient) {
    await app.register(fastifyStatic, { root: clientDist, prefix: '/', wildcard: false, index: false })
  }

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0]
    const isPage = pathname === '/' || /^\/documents\/[A-Za-z0-9_-]{1,64}\/?$/.test(pathname)
    // The page only while its file is there: a client rebuilt under a running server has none
    // for a moment, and the static plugin would answer with a bare text 404.
    if (
      request.method === 'GET' &&
      isPage &&
      hasClient &&
      fs.existsSync(path.join(clientDist, 'index.html'))
    ) {
      reply.header('cache-control', 'no-cache')
      return reply.sendFile('index.html')
    }
    return reply.code(404).send(errorBody(ErrorCode.notFound, `no route ${request.method} ${pathname}`))
  })

  return app
}
