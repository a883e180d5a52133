import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { store, metrics, fanout } = app.services

  app.get('/healthz', async () => ({ status: 'ok' }))

  // Storage down: not ready (nothing could be saved). Redis down: still ready, since this
  // instance serves its own clients and they lose nothing, but "degraded": other instances'
  // clients are not seen live until Redis is back (then everything converges).
  app.get('/readyz', async (_request, reply) => {
    const fanoutState = fanout.state()
    const fanoutField = { off: 'off', up: 'ok', down: 'unreachable' }[fanoutState]
    try {
      await store.ping()
    } catch {
      return reply.code(503).send({ status: 'unavailable', storage: 'unreachable', fanout: fanoutField })
    }
    return { status: fanoutState === 'down' ? 'degraded' : 'ready', storage: 'ok', fanout: fanoutField }
  })

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8')
    return metrics.render()
  })
}
