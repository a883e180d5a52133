/** The services every route uses, decorated on the Fastify instance with their types declared. */

import type { Fanout } from './cluster/fanout.ts'
import type { Metrics } from './collab/metrics.ts'
import type { RoomManager } from './collab/RoomManager.ts'
import type { Config } from './config.ts'
import type { Store } from './storage/Store.ts'

export type Services = {
  config: Config
  store: Store
  rooms: RoomManager
  metrics: Metrics
  /** The other instances (Redis), or nobody. */
  fanout: Fanout
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}
