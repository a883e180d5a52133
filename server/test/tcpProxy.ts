/**
 * A TCP proxy for tests: in front of Redis or PostgreSQL it makes them unreachable and reachable
 * again without touching the machine's own servers; in front of several server instances it is a
 * round-robin load balancer (websockets included) that skips instances that are down.
 */
import net from 'node:net'

export class TcpProxy {
  private readonly sockets = new Set<net.Socket>()
  private next = 0
  private down = false

  private constructor(
    private readonly server: net.Server,
    private readonly targets: number[],
    readonly port: number,
  ) {
    server.on('connection', (client) => this.accept(client))
  }

  /** Listens on a free port of 127.0.0.1 and forwards to these ports of 127.0.0.1, in turn. */
  static async start(targets: number[]): Promise<TcpProxy> {
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return new TcpProxy(server, targets, (server.address() as net.AddressInfo).port)
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Drops every connection and refuses new ones, like a network cut. */
  cut(): void {
    this.down = true
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
  }

  restore(): void {
    this.down = false
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: net.Socket, attempt = 0): void {
    if (this.down) {
      client.destroy()
      return
    }
    this.track(client)
    client.pause()
    const target = this.targets[this.next++ % this.targets.length]
    const upstream = net.connect(target, '127.0.0.1')
    this.track(upstream)
    let connected = false
    upstream.once('connect', () => {
      connected = true
      if (this.down) {
        client.destroy()
        upstream.destroy()
        return
      }
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    })
    upstream.on('error', () => {
      // A target that is down: the next one takes the connection, as a load balancer would.
      if (!connected && attempt + 1 < this.targets.length && !client.destroyed) {
        this.sockets.delete(upstream)
        this.accept(client, attempt + 1)
        return
      }
      client.destroy()
    })
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => {
      if (connected) client.destroy()
    })
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
  }
}
