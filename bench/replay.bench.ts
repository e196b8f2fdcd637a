// The replay engine's load figures against a local HTTP server in its own process that answers at once:
// (a) sustained request rate when concurrency-bound, against autocannon with as many connections;
// (b) open-loop precision: 500 req/s for 30 s, achieved rate within 1% and p99 start lag under 5 ms.
// (c) the real replay: src/replay/replay.ts driving the real client (src/clair/client.ts: PSK-signed JWTs, parsing
//     and classifying every answer) against the demo's stand-ins in a process of their own, every report written
//     to a run directory, against autocannon sending the same requests (the same POST bodies and GETs, with a
//     token) with as many connections: what the action's own work costs per request; and once more with the
//     report stores left out, to show how that cost splits between the client and the run directory's writes.
// BENCH_QUICK=1 shortens them (2 s and 5 s, 50 manifests) for a quick look; the goals are stated for the full run.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Pool } from 'undici'
import { buildConfig } from '../src/config/config.ts'
import { ClairClient } from '../src/clair/client.ts'
import { PskSigner, decodePsk } from '../src/clair/jwt.ts'
import { replay } from '../src/replay/replay.ts'
import { runOpenLoop } from '../src/replay/scheduler.ts'
import { writeReport } from '../src/rundir/io.ts'
import { storeDir } from '../src/rundir/layout.ts'
import { Secret } from '../src/secret.ts'
import type { Manifest } from '../src/clair/types.ts'
import { ratioOf } from './figure.ts'
import type { BenchFigure } from './figure.ts'

const QUICK = process.env['BENCH_QUICK'] === '1'
const CONNECTIONS = 16
const THROUGHPUT_SECONDS = QUICK ? 1 : 3
/** Engine and autocannon take turns and each figure is the median of its rounds: the machine may be shared. */
const ROUNDS = QUICK ? 1 : 5
const TARGET_RATE = 500
const PRECISION_SECONDS = QUICK ? 5 : 30

const MANIFESTS = QUICK ? 50 : 200
/** Requests per manifest in a replay without re-reads: the canary's POST, and two GETs from each side. */
const REQUESTS_PER_MANIFEST = 5

interface AutocannonResult {
  requests: { total: number; average: number }
  duration: number
  errors: number
  non2xx: number
}
interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest
}
type Autocannon = (opts: {
  url: string
  connections: number
  duration?: number
  amount?: number
  headers?: Record<string, string>
  requests?: AutocannonRequest[]
}) => Promise<AutocannonResult>

const autocannon = (): Autocannon => createRequire(import.meta.url)('autocannon') as Autocannon

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
      if (child.exitCode !== null || child.signalCode !== null) return
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
  const result = await autocannon()({ url, connections, duration: seconds })
  return result.requests.total / result.duration
}

interface Throughput {
  perSecond: number
  /** This process's CPU time (user and system) per request: the client's own work, the stand-ins run apart. */
  cpuMsPerRequest: number
  errors: number
}

interface Standin {
  inputs: Record<string, string>
  manifests: Manifest[]
  close: () => Promise<void>
}

/** The demo's stand-ins (bench/standin-process.ts) in their own process. */
async function startStandins(count: number): Promise<Standin> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'standin-process.ts'), String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = once(child, 'exit')
  const lines = createInterface({ input: child.stdout })
  const first = await Promise.race([
    once(lines, 'line') as Promise<[string]>,
    exited.then(() => {
      throw new Error('the stand-ins exited before they were ready')
    }),
  ])
  const { inputs, manifests } = JSON.parse(first[0]) as Omit<Standin, 'close'>
  return {
    inputs,
    manifests,
    close: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * One replay of every manifest through the action's own clients, built by buildConfig from the scenario's
 * inputs as a run builds them, every report written where a run directory keeps it. Unbounded rates: these are
 * stand-ins, and the figure is what the client can do. Returns requests per second and how many failed.
 */
async function realReplay(standin: Standin, work: string, store = true): Promise<Throughput> {
  const inputs: Record<string, string> = {
    ...standin.inputs,
    manifests: join(work, 'manifests.jsonl'),
    concurrency: String(CONNECTIONS),
  }
  const { config } = await buildConfig((n) => inputs[n])
  const canary = new ClairClient(config.canary, config.client)
  const production = new ClairClient(config.production, config.client)
  const runDir = await mkdtemp(join(work, 'run-'))
  try {
    const started = performance.now()
    const cpu = process.cpuUsage()
    const out = await replay(
      standin.manifests.map((manifest) => ({ manifest })),
      {
        ...config.replay,
        rate: Number.POSITIVE_INFINITY,
        productionRate: 1e6,
        concurrency: CONNECTIONS,
        rereadFraction: 0,
        deleteFirst: false,
      },
      {
        canary,
        production,
        store: {
          // As the pipeline stores them: the bytes that arrived. Without the store, what is left is the client's
          // own work: signing, sending, reading, parsing and checking every answer.
          write: async (side, report, digest, body, text) => {
            if (store) await writeReport(storeDir(runDir, side), report, digest, body, text)
          },
        },
      },
    )
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    const requests = out.records.flatMap((r) => r.requests)
    return {
      perSecond: requests.length / seconds,
      cpuMsPerRequest: (used.user + used.system) / 1000 / requests.length,
      errors: requests.filter((q) => q.error).length,
    }
  } finally {
    await Promise.all([canary.close(), production.close(), rm(runDir, { recursive: true, force: true })])
  }
}

/**
 * The same requests through autocannon: the canary's POSTs with the same bodies, then both sides' GETs of every
 * manifest, each side with half the connections (the replay reads a manifest's four reports one after another,
 * so its 16 manifests in flight are 16 requests spread over the two sides). Requests per second over both.
 */
async function anchorReplay(standin: Standin): Promise<Throughput> {
  const psk = decodePsk(standin.inputs['canary-psk']!, 'canary-psk')
  const token = await new PskSigner(new Secret(psk), 'quay').token()
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json',
  }
  const bodies = standin.manifests.map((m) => JSON.stringify(m))
  const digests = standin.manifests.map((m) => m.hash)
  const n = digests.length
  let posted = 0
  const started = performance.now()
  const cpu = process.cpuUsage()
  const post = await autocannon()({
    url: standin.inputs['canary-url']!,
    connections: CONNECTIONS,
    amount: n,
    headers,
    requests: [
      {
        method: 'POST',
        path: '/indexer/api/v1/index_report',
        setupRequest: (req) => ({ ...req, body: bodies[posted++ % n]! }),
      },
    ],
  })
  const reads = (url: string) => {
    let next = 0
    let digest = digests[0]!
    return autocannon()({
      url,
      connections: CONNECTIONS / 2,
      amount: 2 * n,
      headers,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            digest = digests[next++ % n]!
            return { ...req, path: `/indexer/api/v1/index_report/${digest}` }
          },
        },
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: `/matcher/api/v1/vulnerability_report/${digest}` }),
        },
      ],
    })
  }
  const [canary, production] = await Promise.all([
    reads(standin.inputs['canary-url']!),
    reads(standin.inputs['production-url']!),
  ])
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const all = [post, canary, production]
  const total = all.reduce((sum, r) => sum + r.requests.total, 0)
  return {
    perSecond: total / seconds,
    cpuMsPerRequest: (used.user + used.system) / 1000 / total,
    errors: all.reduce((total, r) => total + r.errors + r.non2xx, 0),
  }
}

/** Figures (c): the real replay against autocannon, interleaved, median of the rounds. */
async function realClientFigures(): Promise<BenchFigure[]> {
  const standin = await startStandins(MANIFESTS)
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-bench-replay-'))
  try {
    await writeFile(
      join(work, 'manifests.jsonl'),
      standin.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n',
    )
    // Warm-up: the canary indexes every manifest once (its POSTs then answer from the stored report, as Clair's
    // do for a manifest it has indexed), and both paths open their connections and get compiled.
    await realReplay(standin, work)
    await anchorReplay(standin)
    const values: Throughput[] = []
    const anchors: Throughput[] = []
    const unstored: Throughput[] = []
    for (let round = 0; round < ROUNDS; round++) {
      anchors.push(await anchorReplay(standin))
      values.push(await realReplay(standin, work))
      unstored.push(await realReplay(standin, work, false))
    }
    const errors = [...values, ...anchors, ...unstored].reduce((n, t) => n + t.errors, 0)
    if (errors > 0) throw new Error(`replay bench: ${errors} requests failed against the stand-ins`)
    const rate = median(values.map((t) => t.perSecond))
    const anchorRate = median(anchors.map((t) => t.perSecond))
    const cpu = median(values.map((t) => t.cpuMsPerRequest))
    const anchorCpu = median(anchors.map((t) => t.cpuMsPerRequest))
    const unstoredCpu = median(unstored.map((t) => t.cpuMsPerRequest))
    const what = `${MANIFESTS} manifests x ${REQUESTS_PER_MANIFEST} requests, ${CONNECTIONS} in flight, stand-ins in their own process, median of ${values.length}`
    const anchor = `autocannon, the same requests and bodies with a token, ${CONNECTIONS} connections`
    return [
      {
        name: `replay through the real client (JWT, parsing, run-directory writes; ${what})`,
        value: rate,
        unit: 'req/s',
        anchor,
        anchorValue: anchorRate,
        ratio: ratioOf(rate, anchorRate),
        goal: 'ratio >= 0.7',
        met: ratioOf(rate, anchorRate) >= 0.7,
      },
      {
        // The stand-ins bound both rates; the client's own CPU per request says what it would cost against a
        // faster server. 1 / 0.7: the rate goal, were the client the bottleneck.
        name: `replay through the real client, its own CPU per request (${what})`,
        value: cpu,
        unit: 'ms',
        anchor,
        anchorValue: anchorCpu,
        ratio: ratioOf(cpu, anchorCpu),
        goal: 'ratio <= 1.43',
        met: ratioOf(cpu, anchorCpu) <= 1 / 0.7,
      },
      {
        // The same replay with the report stores left out: how the CPU above splits between the client and the
        // run directory's writes (a temporary file and a rename per report, mostly the kernel's time).
        name: `replay through the real client, its own CPU per request, reports not written (${what})`,
        value: unstoredCpu,
        unit: 'ms',
        anchor,
        anchorValue: anchorCpu,
        ratio: ratioOf(unstoredCpu, anchorCpu),
        goal: 'ratio <= 1.43',
        met: ratioOf(unstoredCpu, anchorCpu) <= 1 / 0.7,
      },
    ]
  } finally {
    await standin.close()
    await rm(work, { recursive: true, force: true })
  }
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
    await server.close()
    const real = await realClientFigures()
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
      ...real,
    ]
  } finally {
    await server.close()
  }
}
