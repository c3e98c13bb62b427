import { readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { TelcobenchError } from '../../harness/errors.ts'
import type { LiveSnapshot } from '../../harness/results/index.ts'
import { dashboardPage } from './page.ts'
import { liveSpecs } from './specs.ts'

/**
 * The live dashboard's web server (docs/serving.md "Dashboard"): 127.0.0.1 only, one page, vega and vega-lite
 * from the installed npm packages, and server-sent events carrying one snapshot (with its chart specs) a second.
 */

/** A browser that does not keep up gets no more snapshots until its socket has drained below this many bytes. */
const slowClientBytes = 1_000_000

/** The browser builds of vega and vega-lite, resolved from the installed packages (never a CDN). */
function assetFiles(): Record<string, string> {
  const vega = fileURLToPath(import.meta.resolve('vega'))
  const vegaLite = fileURLToPath(import.meta.resolve('vega-lite'))
  return {
    '/assets/vega.min.js': vega.replace(/build\/vega\.module\.js$|index\.js$/, 'build/vega.min.js'),
    '/assets/vega-lite.min.js': vegaLite.replace(/build\/index\.js$/, 'build/vega-lite.min.js'),
  }
}

export interface Dashboard {
  /** http://127.0.0.1:<port>/ */
  readonly url: string
  /** Sends a snapshot to every connected page (and keeps it as /snapshot.json). */
  publish(snapshot: LiveSnapshot): void
  /** Snapshots published so far. */
  readonly published: number
  /** Ends every page's event stream and closes the server. */
  close(): Promise<void>
}

/** Starts the dashboard on 127.0.0.1 (`port` 0: a free port). */
export async function startDashboard(port = 0): Promise<Dashboard> {
  const assets = new Map<string, Buffer>()
  for (const [path, file] of Object.entries(assetFiles())) {
    try {
      assets.set(path, readFileSync(file))
    } catch (error) {
      throw new TelcobenchError('TB_INFRA_UNAVAILABLE', `the dashboard cannot read ${file}`, { cause: error, fix: 'reinstall telcobench (npm ci): vega and vega-lite are among its dependencies' })
    }
  }
  const clients = new Set<ServerResponse>()
  let last = ''
  let seq = 0
  const page = dashboardPage('telcobench live')
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(page)
    } else if (assets.has(path)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' })
      res.end(assets.get(path))
    } else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      // The headers go out now, not with the first snapshot: the page's EventSource is open at once.
      res.flushHeaders()
      if (last !== '') res.write(`data: ${last}\n\n`)
      clients.add(res)
      req.on('close', () => clients.delete(res))
    } else if (path === '/snapshot.json') {
      res.writeHead(last === '' ? 204 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      res.end(last)
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new TelcobenchError('TB_INFRA_UNAVAILABLE', `the dashboard cannot listen on 127.0.0.1:${port} (${error.code ?? error.message})`, { cause: error, fix: 'pick another port, or leave it to the system (0)' }))
    })
    server.listen(port, '127.0.0.1', resolve)
  })
  // The dashboard must never keep a finished run's process alive.
  server.unref()
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}/`,
    publish(snapshot) {
      seq++
      last = JSON.stringify({ seq, snapshot, charts: liveSpecs(snapshot) })
      for (const client of clients) if (client.writableLength < slowClientBytes) client.write(`data: ${last}\n\n`)
    },
    get published() {
      return seq
    },
    async close() {
      for (const client of clients) client.end('event: end\ndata: {}\n\n')
      clients.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => { resolve() }))
    },
  }
}
