// Time from spawning the bundled action (node dist/index.js) to its first request reaching a local server,
// against a bare `node -e` that makes one fetch: what the bundle, its imports and config parsing cost before
// the action does anything useful. Until the action is wired it may say "not measurable yet" instead.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ratioOf } from './figure.ts'
import type { BenchFigure } from './figure.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const RUNS = process.env['BENCH_QUICK'] === '1' ? 2 : 5
const GIVE_UP_MS = 10_000
const GOAL_MS = 300

type Outcome = { ms: number } | { reason: string }

/** A server that notes when the first request arrives; answers like an empty Clair so nothing crashes. */
async function listen(): Promise<{
  url: string
  firstRequest: () => Promise<number>
  reset: () => void
  close: () => Promise<void>
}> {
  let notify: ((at: number) => void) | undefined
  let arrived: Promise<number>
  const reset = (): void => {
    arrived = new Promise((resolve) => (notify = resolve))
  }
  reset()
  const server = createServer((req, res) => {
    notify?.(performance.now())
    notify = undefined
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json', etag: '"bench"' })
    res.end('{"state":"bench"}')
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    firstRequest: () => arrived,
    reset,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** Spawns, waits for the first request (or exit, or GIVE_UP_MS), then ends that child. */
async function timeToFirstRequest(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  server: Awaited<ReturnType<typeof listen>>,
): Promise<Outcome> {
  server.reset()
  const started = performance.now()
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race<Outcome>([
    server.firstRequest().then((at) => ({ ms: at - started })),
    exited.then((code) => {
      const last = output.trim().split('\n').filter(Boolean).at(-1) ?? '(no output)'
      return { reason: `it exited with code ${code} before any request: ${last.slice(0, 200)}` }
    }),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ reason: `no request within ${GIVE_UP_MS / 1000} s` }), GIVE_UP_MS)
    }),
  ])
  clearTimeout(timer)
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await exited
  return outcome
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

export default async function (): Promise<BenchFigure[]> {
  const major = Number(process.versions.node.split('.')[0])
  if (major < 24) {
    console.log(
      `not measurable yet: running on Node ${process.versions.node}; the action runs on Node 24 (use npm run bench)`,
    )
    return []
  }
  if (!existsSync(ACTION)) {
    console.log('not measurable yet: dist/index.js is absent (the integrator builds it)')
    return []
  }
  const server = await listen()
  const dir = await mkdtemp(join(tmpdir(), 'clair-canary-startup-'))
  try {
    const manifests = join(dir, 'manifests.jsonl')
    const hex = (c: string): string => c.repeat(64)
    await writeFile(
      manifests,
      JSON.stringify({
        hash: `sha256:${hex('a')}`,
        layers: [{ hash: `sha256:${hex('b')}`, uri: `${server.url}/blob`, headers: {} }],
      }) + '\n',
    )
    for (const file of ['output', 'summary', 'state', 'env', 'path']) await writeFile(join(dir, file), '')
    // A minimal environment: nothing of ours (tokens, cloud keys) leaks into the child.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      RUNNER_TEMP: dir,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path'),
      'INPUT_CANARY-URL': server.url,
      // Another base URL on the same server: the canary and production must be different Clairs.
      'INPUT_PRODUCTION-URL': `${server.url}/production/`,
      INPUT_MANIFESTS: manifests,
      'INPUT_SAMPLE-SIZE': '1',
      'INPUT_RUN-DIR': join(dir, 'run'),
      INPUT_CHECKS: 'false',
      INPUT_ANNOTATIONS: 'false',
      INPUT_ARTIFACTS: 'false',
    }
    const fetchOnce = `fetch(${JSON.stringify(server.url)}).then((r) => r.arrayBuffer())`
    const action: number[] = []
    const bare: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const a = await timeToFirstRequest([ACTION], env, dir, server)
      if ('reason' in a) {
        console.log(`not measurable yet: node dist/index.js: ${a.reason}`)
        return []
      }
      action.push(a.ms)
      const b = await timeToFirstRequest(['-e', fetchOnce], { PATH: env['PATH'] }, dir, server)
      if ('reason' in b) {
        console.log(`not measurable: the bare node -e fetch: ${b.reason}`)
        return []
      }
      bare.push(b.ms)
    }
    const value = median(action)
    return [
      {
        name: `action start to first request (median of ${RUNS})`,
        value,
        unit: 'ms',
        anchor: 'bare node -e fetch',
        anchorValue: median(bare),
        ratio: ratioOf(value, median(bare)),
        goal: `value <= ${GOAL_MS} ms`,
        met: value <= GOAL_MS,
      },
    ]
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}
