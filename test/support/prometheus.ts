// Debian's Prometheus, Alertmanager and Pushgateway, started by the tests on free loopback ports with temporary
// data directories and short intervals (.ci/run installs the packages). Without the binaries a test skips with
// one line, except under CI=true, where it must run.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../../standin/embedded-postgres.ts'

export const BINARIES = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  pushgateway: '/usr/bin/prometheus-pushgateway',
} as const

/** The `skip` option of a test that needs these binaries: false when present (or CI=true), else why not. */
export function skipUnlessInstalled(...names: Array<keyof typeof BINARIES>): string | false {
  const missing = names.filter((n) => !existsSync(BINARIES[n]))
  if (missing.length === 0 || process.env['CI'] === 'true') return false
  return `${missing.map((n) => BINARIES[n]).join(', ')} not installed (apt-get install -y prometheus prometheus-alertmanager prometheus-pushgateway): skipping`
}

export interface Server {
  url: string
  close(): Promise<void>
}

/** Starts a binary and waits until `ready` answers 200; the output is kept for the error if it never does. */
async function start(
  binary: string,
  args: (port: number, dir: string) => Promise<string[]>,
  ready: string,
): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-canary-prom-'))
  const port = await freePort()
  const child: ChildProcess = spawn(binary, await args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const close = async () => {
    child.kill('SIGTERM')
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))])
    await rm(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) break
    try {
      if ((await fetch(`${url}${ready}`)).ok) return { url, close }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) break
    await sleep(100)
  }
  await close()
  throw new Error(`${binary} did not become ready on ${url}: ${output}`)
}

export interface PrometheusOptions {
  /** Scrape jobs: job name -> host:port of a /metrics. */
  scrape: Record<string, string>
  /** Alerting rules file contents (YAML). */
  rules?: string
  alertmanager?: string
}

/** Prometheus scraping and evaluating every second; resolves once it has scraped every target. */
export async function startPrometheus(opts: PrometheusOptions): Promise<Server> {
  const server = await start(
    BINARIES.prometheus,
    async (port, dir) => {
      const config = {
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        scrape_configs: Object.entries(opts.scrape).map(([job, target]) => ({
          job_name: job,
          static_configs: [{ targets: [target] }],
        })),
        ...(opts.rules ? { rule_files: [join(dir, 'rules.yml')] } : {}),
        ...(opts.alertmanager
          ? {
              alerting: {
                alertmanagers: [{ static_configs: [{ targets: [new URL(opts.alertmanager).host] }] }],
              },
            }
          : {}),
      }
      // JSON is YAML.
      await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config))
      if (opts.rules) await writeFile(join(dir, 'rules.yml'), opts.rules)
      return [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ]
    },
    '/-/ready',
  )
  // Targets are handed to the scrapers a few seconds after start: wait for them, so a test's first requests
  // are not over before Prometheus has looked.
  const jobs = Object.keys(opts.scrape)
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await fetch(`${server.url}/api/v1/query?query=${encodeURIComponent('up == 1')}`)
    const body = (await res.json()) as { data?: { result?: Array<{ metric: { job?: string } }> } }
    const up = new Set((body.data?.result ?? []).map((r) => r.metric.job))
    if (jobs.every((job) => up.has(job))) return server
    if (Date.now() > deadline) {
      await server.close()
      throw new Error(`Prometheus did not scrape ${jobs.filter((j) => !up.has(j)).join(', ')} within 30 s`)
    }
    await sleep(200)
  }
}

/** Alertmanager without clustering, routing everything to a receiver that sends nothing. */
export async function startAlertmanager(): Promise<Server> {
  return start(
    BINARIES.alertmanager,
    async (port, dir) => {
      const config = { route: { receiver: 'none' }, receivers: [{ name: 'none' }] }
      await writeFile(join(dir, 'alertmanager.yml'), JSON.stringify(config))
      return [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ]
    },
    '/-/ready',
  )
}

export async function startPushgateway(): Promise<Server> {
  return start(
    BINARIES.pushgateway,
    async (port) => [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    '/-/ready',
  )
}
