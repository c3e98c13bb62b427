import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultLossModel, lossHoldMs, releaseAtMs, TcpProxy } from './tcp-proxy.ts'

/** A fixed sequence of draws, repeated. */
const draws = (...values: number[]): (() => number) => {
  let i = 0
  return () => values[i++ % values.length] ?? 0
}

describe('lossHoldMs', () => {
  it('holds nothing at 0% and nothing when the draw says the chunk got through', () => {
    expect(lossHoldMs(1000, 0, draws(0))).toBe(0)
    expect(lossHoldMs(1000, 10, draws(0.5))).toBe(0)
  })

  it('holds one RTO for a lost chunk whose retransmission gets through', () => {
    expect(lossHoldMs(1000, 10, draws(0.05, 0.9))).toBe(defaultLossModel.rtoMs)
  })

  it('doubles the RTO for each lost retransmission', () => {
    // lost, retransmission lost, second retransmission lost, third gets through: 200 + 400 + 800
    expect(lossHoldMs(100, 50, draws(0.1, 0.1, 0.1, 0.9))).toBe(1400)
  })

  it('a larger chunk is more segments, so more likely to lose one', () => {
    // 10% per segment: one segment is lost with 10%, 10 segments with 1 − 0.9^10 ≈ 65%
    expect(lossHoldMs(1460, 10, draws(0.5))).toBe(0)
    expect(lossHoldMs(14_600, 10, draws(0.5, 0.9))).toBe(200)
  })

  it('matches the configured loss rate over many single-segment chunks', () => {
    let seed = 7
    const random = (): number => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    let held = 0
    for (let i = 0; i < 100_000; i++) if (lossHoldMs(500, 5, random) > 0) held++
    expect(held / 100_000).toBeCloseTo(0.05, 2)
  })

  it('stops at a bounded wait at 100% loss', () => {
    const hold = lossHoldMs(100, 100, draws(0))
    expect(hold).toBeGreaterThan(0)
    expect(Number.isFinite(hold)).toBe(true)
  })
})

describe('releaseAtMs', () => {
  it('adds the hold to the arrival time', () => {
    expect(releaseAtMs(1000, 0, 200)).toBe(1200)
  })

  it('never releases a chunk before the one ahead of it', () => {
    // chunk 1 held 600 ms by loss, chunk 2 arrives 10 ms later with no hold: it waits behind chunk 1
    const first = releaseAtMs(1000, 0, 600)
    expect(releaseAtMs(1010, first, 0)).toBe(1600)
  })
})

describe('TcpProxy on loopback', () => {
  let echo: Server | null = null
  let proxy: TcpProxy | null = null
  afterEach(async () => {
    await proxy?.close()
    await new Promise<void>((r) => {
      if (echo === null) r()
      else echo.close(() => { r() })
    })
    proxy = null
    echo = null
  })

  const startEcho = async (): Promise<number> => {
    const server = createServer((s) => { s.on('error', () => undefined); s.pipe(s) })
    echo = server
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    return address.port
  }

  const roundTrip = async (socket: Socket, payload: string): Promise<{ reply: string; ms: number }> => {
    const began = performance.now()
    return new Promise((resolve, reject) => {
      let reply = ''
      const onData = (b: Buffer): void => {
        reply += b.toString()
        if (reply.length >= payload.length) {
          socket.off('data', onData)
          resolve({ reply, ms: performance.now() - began })
        }
      }
      socket.on('data', onData)
      socket.once('error', reject)
      socket.write(payload)
    })
  }

  const open = async (port: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => { resolve(s) })
      s.once('error', reject)
    })

  it('forwards unchanged, then adds the delay in both directions in order, then heals', async () => {
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: await startEcho() })
    const socket = await open(proxy.port)
    const plain = await roundTrip(socket, 'hello')
    expect(plain.reply).toBe('hello')
    proxy.impair({ kind: 'delay', delayMs: 100 })
    const delayed = await roundTrip(socket, 'abcdef')
    expect(delayed.reply).toBe('abcdef')
    // 100 ms each way
    expect(delayed.ms).toBeGreaterThanOrEqual(195)
    proxy.heal()
    const healed = await roundTrip(socket, 'xyz')
    expect(healed.ms).toBeLessThan(100)
    socket.destroy()
  })

  it('a partition resets open connections and refuses new ones until healed', async () => {
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: await startEcho() })
    const socket = await open(proxy.port)
    const closed = new Promise<void>((r) => socket.once('close', () => { r() }))
    socket.on('error', () => undefined)
    proxy.impair({ kind: 'partition' })
    await closed
    const refused = await open(proxy.port).then(
      async (s) => new Promise<boolean>((r) => {
        s.on('error', () => undefined)
        s.once('close', () => { r(true) })
      }),
      () => true,
    )
    expect(refused).toBe(true)
    proxy.heal()
    const again = await open(proxy.port)
    expect((await roundTrip(again, 'back')).reply).toBe('back')
    again.destroy()
    expect(proxy.stats.reset).toBeGreaterThanOrEqual(2)
  })

  it('closes the client side when the target is down, and keeps listening', async () => {
    const port = await startEcho()
    await new Promise<void>((r) => echo?.close(() => { r() }))
    echo = null
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: port })
    const socket = await open(proxy.port)
    socket.on('error', () => undefined)
    await new Promise<void>((r) => socket.once('close', () => { r() }))
    const server = createServer((s) => { s.on('error', () => undefined); s.pipe(s) })
    echo = server
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
    const again = await open(proxy.port)
    expect((await roundTrip(again, 'up')).reply).toBe('up')
    again.destroy()
  })
})
