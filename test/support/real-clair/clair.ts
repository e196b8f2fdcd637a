// One real Clair process, offline: combo mode on its own database, PSK auth, the introspection server with
// Prometheus metrics, indexer.airgap (layers only from loopback/private addresses), updaters off, the RHEL
// scanners reading local empty mapping files instead of fetching them, and the Java scanner's Maven look-ups
// off. Vulnerability data comes only from `clairctl import-updaters` (see importUpdates).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { UserError } from '../../../src/errors.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import type { ClairBuild } from './build.ts'

export interface RealClair {
  build: ClairBuild
  url: string
  introspectionUrl: string
  /** Base64 PSK (auth.psk.key). */
  psk: string
  configPath: string
  /** The last lines Clair logged. */
  logTail(lines?: number): string[]
  stop(): Promise<void>
}

export interface ClairOptions {
  /** Connection string of this Clair's own database (indexer, matcher and notifier share it). */
  database: string
  psk?: string
  port?: number
  introspectionPort?: number
  /** Seconds to wait for /readyz. */
  readyTimeout?: number
}

/** The config a test Clair runs with; documented in README ("Real Clair"). */
export function clairConfig(opts: {
  database: string
  psk: string
  port: number
  introspectionPort: number
  dir: string
}): Record<string, unknown> {
  return {
    http_listen_addr: `127.0.0.1:${opts.port}`,
    introspection_addr: `127.0.0.1:${opts.introspectionPort}`,
    log_level: 'info',
    auth: { psk: { key: opts.psk, iss: ['quay', 'clairctl'] } },
    indexer: {
      connstring: opts.database,
      migrations: true,
      airgap: true,
      scanner: {
        package: {
          java: { disable_api: true },
          rhel_containerscanner: { name2repos_mapping_file: join(opts.dir, 'container-name-repos-map.json') },
        },
        repo: {
          'rhel-repository-scanner': { repo2cpe_mapping_file: join(opts.dir, 'repository-to-cpe.json') },
        },
      },
    },
    matcher: { connstring: opts.database, migrations: true, disable_updaters: true },
    // No webhook, AMQP or STOMP target: Clair logs "notifier disabled" and runs without one.
    notifier: { connstring: opts.database, migrations: true },
    metrics: { name: 'prometheus' },
  }
}

/**
 * The lines that say why Clair stopped: its error and fatal log entries and a panic's message (without the
 * goroutine dump that follows it); else its last lines.
 */
export function whyStopped(log: readonly string[], count = 5): string[] {
  const picked: string[] = []
  for (let i = 0; i < log.length; i++) {
    const line = log[i]!
    if (line.startsWith('panic:')) {
      picked.push(line)
      for (let j = i + 1; j < log.length && !/^(goroutine |\s*$)/.test(log[j]!); j++) picked.push(log[j]!)
    } else if (/^\{.*"level":"(error|fatal|panic)"/.test(line)) {
      picked.push(line)
    }
  }
  return (picked.length ? picked : log).slice(-count)
}

/** Refuses a port something already listens on, before Clair would fail on it. */
async function assertFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`${what}: port ${port} on 127.0.0.1 is taken; give a free port`)
          : error,
      ),
    )
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

export async function startClair(build: ClairBuild, opts: ClairOptions): Promise<RealClair> {
  const psk = opts.psk ?? randomBytes(32).toString('base64')
  const port = opts.port ?? (await freePort())
  const introspectionPort = opts.introspectionPort ?? (await freePort())
  await assertFree(port, `Clair ${build.release.name} API`)
  await assertFree(introspectionPort, `Clair ${build.release.name} introspection`)
  const dir = join(tmpdir(), `clair-canary-clair-${randomBytes(6).toString('hex')}`)
  await mkdir(dir, { recursive: true })
  // Empty mappings: no repository or container name maps to a CPE, and nothing is fetched.
  await writeFile(join(dir, 'repository-to-cpe.json'), '{"data":{}}\n')
  await writeFile(join(dir, 'container-name-repos-map.json'), '{"data":{}}\n')
  const configPath = join(dir, 'config.yaml')
  await writeFile(
    configPath,
    stringify(clairConfig({ database: opts.database, psk, port, introspectionPort, dir })),
  )

  const log: string[] = []
  const child: ChildProcess = spawn(build.clair, ['-conf', configPath, '-mode', 'combo'], {
    // Layers are spooled in TMPDIR; keep them with the config so stop() removes both.
    env: { ...process.env, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Whole lines only: a chunk may end mid-line.
  const partial = { out: '', err: '' }
  const collect = (stream: 'out' | 'err') => (chunk: Buffer) => {
    const lines = (partial[stream] + chunk.toString()).split('\n')
    partial[stream] = lines.pop() ?? ''
    for (const line of lines) if (line.trim()) log.push(line)
    if (log.length > 400) log.splice(0, log.length - 400)
  }
  child.stdout?.on('data', collect('out'))
  child.stderr?.on('data', collect('err'))
  // 'close' comes after the output streams end, so the log is complete once it has fired.
  let closed = false
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      for (const rest of [partial.out, partial.err]) if (rest.trim()) log.push(rest)
      closed = true
      resolve()
    }),
  )
  const logTail = (lines = 5) => log.slice(-lines)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }

  const introspectionUrl = `http://127.0.0.1:${introspectionPort}`
  const deadline = Date.now() + (opts.readyTimeout ?? 60) * 1000
  for (;;) {
    if (closed) {
      await stop()
      throw new UserError(
        `Clair ${build.release.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; ` +
          `its log says:\n${whyStopped(log).join('\n')}`,
      )
    }
    try {
      const res = await fetch(`${introspectionUrl}/readyz`)
      await res.arrayBuffer()
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new UserError(
        `Clair ${build.release.name} was not ready within ${opts.readyTimeout ?? 60} s; its log says:\n` +
          whyStopped(log).join('\n'),
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return { build, url: `http://127.0.0.1:${port}`, introspectionUrl, psk, configPath, logTail, stop }
}

/** Loads a claircore update-operation file (JSON lines) with this Clair's own clairctl. */
export async function importUpdates(clair: RealClair, file: string): Promise<void> {
  const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(clair.build.clairctl, ['--config', clair.configPath, 'import-updaters', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
  if (result.code !== 0)
    throw new Error(
      `clairctl import-updaters ${file} failed (${result.code}):\n${result.output.slice(-2000)}`,
    )
}
