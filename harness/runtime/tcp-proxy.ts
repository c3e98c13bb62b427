import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * What the proxy does to the traffic it forwards. Every kind applies to both directions.
 * - `delay`: every chunk is held `delayMs` before it is forwarded; order is kept.
 * - `loss`: packet loss as TCP shows it to the application (see {@link lossHoldMs}): bytes are never
 *   dropped, a "lost" chunk and everything behind it wait for retransmission timeouts.
 * - `partition`: open connections are reset and new ones are accepted and reset at once (the broker
 *   host answering with TCP RST, like `iptables -j REJECT --reject-with tcp-reset`; not a silent black hole).
 */
export type Impairment = { kind: 'none' } | { kind: 'delay'; delayMs: number } | { kind: 'loss'; lossPercent: number } | { kind: 'partition' }

/** TCP parameters of the loss model. */
export interface LossModel {
  /** Segment size the chunk is cut into (Ethernet MSS). @default 1460 */
  mssBytes: number
  /** First retransmission timeout (Linux TCP_RTO_MIN). @default 200 */
  rtoMs: number
  /** Cap of the doubling retransmission timeout (Linux TCP_RTO_MAX). @default 120000 */
  maxRtoMs: number
}

export const defaultLossModel: LossModel = { mssBytes: 1460, rtoMs: 200, maxRtoMs: 120_000 }

/**
 * How long a chunk of `bytes` waits before it gets through a link that loses `lossPercent` % of its
 * segments. The chunk is `ceil(bytes / mss)` segments; if any is lost, the chunk waits one RTO, and each
 * retransmission is itself lost with the same probability, doubling the RTO (exponential backoff).
 * It models timeout-driven recovery only (the tail-loss case); fast retransmit after 3 duplicate ACKs,
 * which a real stack uses when more segments follow, would recover a mid-stream loss in about one RTT.
 */
export function lossHoldMs(bytes: number, lossPercent: number, random: () => number, model: LossModel = defaultLossModel): number {
  const p = Math.min(1, Math.max(0, lossPercent / 100))
  if (p === 0) return 0
  const segments = Math.max(1, Math.ceil(bytes / model.mssBytes))
  const chunkLost = 1 - (1 - p) ** segments
  if (random() >= chunkLost) return 0
  let hold = 0
  let rto = model.rtoMs
  // p = 1 never gets through; cap the wait at one capped RTO beyond the maximum rather than loop forever.
  for (let attempts = 0; attempts < 16; attempts++) {
    hold += rto
    rto = Math.min(rto * 2, model.maxRtoMs)
    if (random() >= p) break
  }
  return hold
}

/**
 * When a chunk that arrives at `nowMs` may be forwarded: after its own delay, and never before the
 * chunk ahead of it in the same direction (TCP delivers in order, so a held chunk blocks the rest).
 */
export function releaseAtMs(nowMs: number, previousReleaseMs: number, holdMs: number): number {
  return Math.max(nowMs + holdMs, previousReleaseMs)
}

/** Counters of what the proxy did, for the run's results. */
export interface ProxyStats {
  connections: number
  /** Connections reset because of a partition (open ones cut plus new ones refused). */
  reset: number
  chunks: number
  bytes: number
  /** Chunks held by the loss model, and their total hold time. */
  lossHeldChunks: number
  lossHeldMs: number
}

export interface TcpProxyOptions {
  targetHost: string
  targetPort: number
  listenHost?: string
  /** @default 0 (a free port) */
  listenPort?: number
  /** Random source of the loss model (seeded in tests). @default Math.random */
  random?: () => number
  lossModel?: LossModel
}

interface Queued {
  atMs: number
  chunk: Buffer | null
}

/** One direction of one connection: a FIFO of chunks released at their times. */
class DelayedPipe {
  private readonly queue: Queued[] = []
  private timer: NodeJS.Timeout | null = null
  private lastReleaseMs = 0
  private readonly from: Socket
  private readonly to: Socket
  private readonly holdFor: (bytes: number) => number

  constructor(from: Socket, to: Socket, holdFor: (bytes: number) => number) {
    this.from = from
    this.to = to
    this.holdFor = holdFor
    from.on('data', (chunk: Buffer) => {
      this.push(chunk)
    })
    from.on('end', () => {
      this.push(null)
    })
  }

  private push(chunk: Buffer | null): void {
    const now = performance.now()
    const hold = chunk === null ? 0 : this.holdFor(chunk.length)
    const atMs = releaseAtMs(now, this.lastReleaseMs, hold)
    this.lastReleaseMs = atMs
    if (this.queue.length === 0 && atMs <= now) {
      this.forward(chunk)
      return
    }
    this.queue.push({ atMs, chunk })
    this.schedule()
  }

  private schedule(): void {
    const head = this.queue[0]
    if (this.timer !== null || head === undefined) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, Math.max(0, head.atMs - performance.now()))
  }

  private flush(): void {
    const now = performance.now()
    while (this.queue.length > 0 && (this.queue[0]?.atMs ?? Infinity) <= now) {
      const item = this.queue.shift()
      if (item !== undefined) this.forward(item.chunk)
    }
    this.schedule()
  }

  private forward(chunk: Buffer | null): void {
    if (this.to.destroyed) return
    if (chunk === null) {
      this.to.end()
      return
    }
    if (!this.to.write(chunk) && !this.from.isPaused()) {
      this.from.pause()
      this.to.once('drain', () => this.from.resume())
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.queue.length = 0
  }
}

/**
 * A TCP proxy on loopback that the run puts between the Kafka clients and the broker so network faults
 * can be injected in user space (no root, no netem). It survives the broker going away: connections to a
 * dead broker are closed, the listener stays, and clients reconnect through it once the broker is back.
 */
export class TcpProxy {
  readonly stats: ProxyStats = { connections: 0, reset: 0, chunks: 0, bytes: 0, lossHeldChunks: 0, lossHeldMs: 0 }
  private impairment: Impairment = { kind: 'none' }
  private readonly server: Server
  private readonly o: TcpProxyOptions
  private readonly sockets = new Set<Socket>()
  private readonly pipes = new Set<DelayedPipe>()

  private constructor(server: Server, o: TcpProxyOptions) {
    this.server = server
    this.o = o
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(o: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer()
    const proxy = new TcpProxy(server, o)
    server.on('connection', (client) => {
      proxy.accept(client)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(o.listenPort ?? 0, o.listenHost ?? '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    return proxy
  }

  get port(): number {
    const address = this.server.address()
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening')
    return address.port
  }

  get current(): Impairment {
    return this.impairment
  }

  /** Applies an impairment to every open and future connection; a partition cuts the open ones. */
  impair(impairment: Impairment): void {
    this.impairment = impairment
    if (impairment.kind === 'partition') {
      for (const socket of this.sockets) {
        this.stats.reset++
        socket.resetAndDestroy()
      }
    }
  }

  /** Back to plain forwarding; chunks already held are still released in order. */
  heal(): void {
    this.impairment = { kind: 'none' }
  }

  private holdMs(bytes: number): number {
    this.stats.chunks++
    this.stats.bytes += bytes
    const i = this.impairment
    if (i.kind === 'delay') return i.delayMs
    if (i.kind === 'loss') {
      const hold = lossHoldMs(bytes, i.lossPercent, this.o.random ?? Math.random, this.o.lossModel)
      if (hold > 0) {
        this.stats.lossHeldChunks++
        this.stats.lossHeldMs += hold
      }
      return hold
    }
    return 0
  }

  private accept(client: Socket): void {
    this.stats.connections++
    if (this.impairment.kind === 'partition') {
      this.stats.reset++
      client.resetAndDestroy()
      return
    }
    const upstream = connect(this.o.targetPort, this.o.targetHost)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const pipes = [new DelayedPipe(client, upstream, (n) => this.holdMs(n)), new DelayedPipe(upstream, client, (n) => this.holdMs(n))]
    for (const s of [client, upstream]) this.sockets.add(s)
    for (const p of pipes) this.pipes.add(p)
    const teardown = (): void => {
      for (const p of pipes) {
        p.stop()
        this.pipes.delete(p)
      }
      for (const s of [client, upstream]) {
        this.sockets.delete(s)
        s.destroy()
      }
    }
    // An error on either side (broker killed, refused, client reset) ends the pair at once. A clean close
    // lets the other direction flush what it holds first: its end marker closes the peer in order.
    client.on('error', teardown)
    upstream.on('error', teardown)
    for (const s of [client, upstream]) {
      s.on('close', (hadError) => {
        this.sockets.delete(s)
        if (hadError || (!this.sockets.has(client) && !this.sockets.has(upstream))) teardown()
      })
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const p of this.pipes) p.stop()
    this.pipes.clear()
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve()
      })
    })
  }
}
