import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { store, metrics } = app.services

  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    try {
      await store.ping()
      return { status: 'ready', storage: 'ok' }
    } catch {
      return reply.code(503).send({ status: 'unavailable', storage: 'unreachable' })
    }
  })

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8')
    return metrics.render()
  })
}
