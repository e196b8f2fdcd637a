// A production stand-in on its own thread, timing each request as it arrives. It has its own event loop, so
// the times stay true while the test's thread is busy: what it records is what production would count. Each
// answer closes its connection, so every request opens a new one (the slow path between release and send).
import { Worker, isMainThread, parentPort } from 'node:worker_threads'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'

export interface Arrivals {
  url: string
  /** Arrival times (ms on the stand-in's own monotonic clock) of every request so far, in order. */
  times(): Promise<number[]>
  close(): Promise<void>
}

const REPORT = JSON.stringify({
  manifest_hash: `sha256:${'a'.repeat(64)}`,
  state: 'IndexFinished',
  packages: {},
})

if (!isMainThread && parentPort) {
  const port = parentPort
  const times: number[] = []
  const server = createServer((req, res) => {
    times.push(performance.now())
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' })
    res.end(REPORT)
  })
  server.listen(0, '127.0.0.1', () => {
    port.postMessage({ port: (server.address() as AddressInfo).port })
  })
  port.on('message', (message: string) => {
    if (message === 'times') port.postMessage({ times })
  })
}

export async function startArrivals(): Promise<Arrivals> {
  const worker = new Worker(new URL(import.meta.url))
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  const { port } = await next<{ port: number }>()
  return {
    url: `http://127.0.0.1:${port}`,
    async times() {
      const answer = next<{ times: number[] }>()
      worker.postMessage('times')
      return (await answer).times
    },
    async close() {
      await worker.terminate()
    },
  }
}
