// The replay engine's load figures against a local HTTP server in its own process that answers at once:
// (a) sustained request rate when concurrency-bound, against autocannon with as many connections;
// (b) open-loop precision: 500 req/s for 30 s, achieved rate within 1% and p99 start lag under 5 ms.
// BENCH_QUICK=1 shortens both (2 s and 5 s) for a quick look; the goals are stated for the full run.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { once } from 'node:events'
import { Pool } from 'undici'
import { runOpenLoop } from '../src/replay/scheduler.ts'
import { ratioOf } from './figure.ts'
import type { BenchFigure } from './figure.ts'

const QUICK = process.env['BENCH_QUICK'] === '1'
const CONNECTIONS = 16
const THROUGHPUT_SECONDS = QUICK ? 1 : 3
/** Engine and autocannon take turns and each figure is the median of its rounds: the machine may be shared. */
const ROUNDS = QUICK ? 1 : 5
const TARGET_RATE = 500
const PRECISION_SECONDS = QUICK ? 5 : 30

interface AutocannonResult {
  requests: { total: number; average: number }
  duration: number
  errors: number
  non2xx: number
}
type Autocannon = (opts: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>

// Its own process, so the server's work does not eat into the event loop being measured.
const SERVER = `
const http = require('node:http')
const body = JSON.stringify({ state: 'bench' })
const server = http.createServer((req, res) => {
  req.resume()
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`

async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer]
  const port = Number(chunk.toString().trim())
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** The engine, concurrency-bound: an unbounded rate, `connections` in flight, for `seconds`. */
async function engineThroughput(url: string, connections: number, seconds: number): Promise<number> {
  const pool = new Pool(url, { connections })
  try {
    const items = new Array<number>(2_000_000).fill(0)
    const out = await runOpenLoop(
      items,
      {
        rate: Number.POSITIVE_INFINITY,
        concurrency: connections,
        signal: AbortSignal.timeout(seconds * 1000),
      },
      async () => {
        const { statusCode, body } = await pool.request({ path: '/', method: 'GET' })
        await body.dump()
        return statusCode
      },
    )
    return (out.results.length * 1000) / (out.finishedAtMs - out.startedAtMs)
  } finally {
    await pool.close()
  }
}

async function autocannonThroughput(url: string, connections: number, seconds: number): Promise<number> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
  const result = await autocannon({ url, connections, duration: seconds })
  return result.requests.total / result.duration
}

async function precision(url: string): Promise<{ achieved: number; p99LagMs: number; errors: number }> {
  const pool = new Pool(url, { connections: 64 })
  try {
    // Open the connections first: connection setup is the client's cost, not the scheduler's precision.
    await runOpenLoop(
      new Array<number>(TARGET_RATE).fill(0),
      { rate: TARGET_RATE, concurrency: 64 },
      async () => {
        const { body } = await pool.request({ path: '/', method: 'GET' })
        await body.dump()
      },
    )
    let errors = 0
    const out = await runOpenLoop(
      new Array<number>(TARGET_RATE * PRECISION_SECONDS).fill(0),
      { rate: TARGET_RATE, concurrency: 64 },
      async () => {
        try {
          const { body } = await pool.request({ path: '/', method: 'GET' })
          await body.dump()
        } catch {
          errors++
        }
      },
    )
    return { achieved: out.achievedRate, p99LagMs: out.startLag.quantile(0.99), errors }
  } finally {
    await pool.close()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export default async function (): Promise<BenchFigure[]> {
  const server = await startServer()
  try {
    // Warm both paths (JIT, keep-alive sockets) before measuring.
    await engineThroughput(server.url, CONNECTIONS, 1)
    await autocannonThroughput(server.url, CONNECTIONS, 1)
    const engines: number[] = []
    const anchors: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      anchors.push(await autocannonThroughput(server.url, CONNECTIONS, THROUGHPUT_SECONDS))
      engines.push(await engineThroughput(server.url, CONNECTIONS, THROUGHPUT_SECONDS))
    }
    const engine = median(engines)
    const anchor = median(anchors)
    const throughputRatio = ratioOf(engine, anchor)

    const p = await precision(server.url)
    const rateRatio = ratioOf(p.achieved, TARGET_RATE)
    return [
      {
        name: `replay engine sustained rate (${CONNECTIONS} in flight, median of ${ROUNDS} x ${THROUGHPUT_SECONDS} s)`,
        value: engine,
        unit: 'req/s',
        anchor: `autocannon, ${CONNECTIONS} connections`,
        anchorValue: anchor,
        ratio: throughputRatio,
        goal: 'ratio >= 0.7',
        met: throughputRatio >= 0.7,
      },
      {
        name: `open-loop achieved rate (target ${TARGET_RATE} req/s, ${PRECISION_SECONDS} s${p.errors ? `, ${p.errors} errors` : ''})`,
        value: p.achieved,
        unit: 'req/s',
        anchor: 'target',
        anchorValue: TARGET_RATE,
        ratio: rateRatio,
        goal: '0.99 <= ratio <= 1.01',
        met: Math.abs(rateRatio - 1) <= 0.01,
      },
      {
        name: `open-loop p99 start lag (target ${TARGET_RATE} req/s, ${PRECISION_SECONDS} s)`,
        value: p.p99LagMs,
        unit: 'ms',
        anchor: 'goal',
        anchorValue: 5,
        ratio: ratioOf(p.p99LagMs, 5),
        goal: 'ratio < 1 (p99 < 5 ms)',
        met: p.p99LagMs < 5,
      },
    ]
  } finally {
    await server.close()
  }
}
