import { createServer, Socket } from 'node:net'
import { TelcobenchError } from '../errors.ts'

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => {
        resolve(port)
      })
    })
  })
}

/** Throws a clear error when a port the user asked for is already taken. */
export async function assertPortFree(port: number, purpose: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer()
    server.once('error', () => {
      resolve(false)
    })
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true)
      })
    })
  })
  if (!free) {
    throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `port ${port} (${purpose}) is already in use`, {
      fix: `stop what listens there (ss -ltnp 'sport = :${port}') or leave the port unset so telcobench picks a free one`,
    })
  }
}

/** True when something accepts TCP connections on host:port. */
export async function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => {
      done(false)
    })
    socket.once('error', () => {
      done(false)
    })
    socket.connect(port, host, () => {
      done(true)
    })
  })
}
