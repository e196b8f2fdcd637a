// Timing requests as production would count them, on a thread of their own. Its event loop is not the test's,
// so the times stay true while the test's thread is busy (a compare, a collection, a burst of test work): a
// server on the test's own loop would take in requests only after a busy section and record them bunched.
// Two modes:
// - a stand-in that answers a small report and closes each connection, so every request opens a new one (the
//   slow path between a limiter's release and the send);
// - a tap in front of another server (`forwardTo`), passing bytes through untouched and timing each request
//   head as its first byte arrives.
// A thread of its own still stalls when the machine is loaded (the container's CPU quota, other processes): a
// request that arrives during a stall is timed when the stall ends. So the thread also notes the longest it
// went without running, which bounds how late any time can be: a test widens what it calls "together" by it.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { createServer } from 'node:http'
import { connect, createServer as createTcpServer, type AddressInfo, type Server } from 'node:net'
import { performance } from 'node:perf_hooks'
import { peakInWindow } from './window.ts'

export interface Timed {
  /** Arrival times (ms on the thread's own monotonic clock) of every request so far, in order. */
  times: number[]
  /** The longest the thread went without running so far (ms): no time above is later than that, and 1 ms. */
  stallMs: number
}

/**
 * A stall this long leaves the times unable to show a cap: the busy-loop test's violation puts cap + 1
 * requests within about 150 ms, and a window shortened by much more would no longer see it.
 */
export const MAX_STALL_MS = 500

/** The most of `times` that fell within one second however late each was timed (by up to `stallMs`). */
export function peakPerSecond(times: readonly number[], stallMs: number): number {
  return peakInWindow(times, 1000 - stallMs)
}

export interface Arrivals {
  url: string
  timed(): Promise<Timed>
  close(): Promise<void>
}

const REPORT = JSON.stringify({
  manifest_hash: `sha256:${'a'.repeat(64)}`,
  state: 'IndexFinished',
  packages: {},
})
const HEAD_END = '\r\n\r\n'

/** Times each request head in a client's byte stream (bodies by content-length; our clients never chunk). */
function requestHeads(onRequest: () => void): (chunk: Buffer) => void {
  let inHead = false
  let head = ''
  let bodyLeft = 0
  return (chunk) => {
    let at = 0
    while (at < chunk.length) {
      if (bodyLeft > 0) {
        const skip = Math.min(bodyLeft, chunk.length - at)
        bodyLeft -= skip
        at += skip
        continue
      }
      if (!inHead) {
        onRequest()
        inHead = true
      }
      const seen = head.length
      head += chunk.toString('latin1', at)
      const end = head.indexOf(HEAD_END)
      if (end < 0) return
      at += end + HEAD_END.length - seen
      bodyLeft = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head.slice(0, end))?.[1] ?? 0)
      inHead = false
      head = ''
    }
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort
  const times: number[] = []
  const arrived = (): void => void times.push(performance.now())
  // A heartbeat every millisecond: the gaps between beats are the stalls.
  let beat = performance.now()
  let stallMs = 0
  setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - beat)
    beat = now
  }, 1)
  const { forwardTo } = workerData as { forwardTo?: string }
  let server: Server
  if (forwardTo) {
    const target = new URL(forwardTo)
    server = createTcpServer((client) => {
      const upstream = connect(Number(target.port), target.hostname)
      const count = requestHeads(arrived)
      client.on('data', (chunk: Buffer) => {
        count(chunk)
        upstream.write(chunk)
      })
      client.on('end', () => upstream.end())
      upstream.pipe(client)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
      client.on('close', () => upstream.destroy())
    })
  } else {
    server = createServer((req, res) => {
      arrived()
      req.resume()
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' })
      res.end(REPORT)
    })
  }
  server.listen(0, '127.0.0.1', () => {
    port.postMessage({ port: (server.address() as AddressInfo).port })
  })
  port.on('message', (message: string) => {
    if (message === 'timed') port.postMessage({ times, stallMs } satisfies Timed)
  })
}

/** The answering stand-in, or with `forwardTo` a tap in front of that server. */
export async function startArrivals(options: { forwardTo?: string } = {}): Promise<Arrivals> {
  const worker = new Worker(new URL(import.meta.url), { workerData: options })
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  const { port } = await next<{ port: number }>()
  return {
    url: `http://127.0.0.1:${port}`,
    async timed() {
      const answer = next<Timed>()
      worker.postMessage('timed')
      return answer
    },
    async close() {
      await worker.terminate()
    },
  }
}
