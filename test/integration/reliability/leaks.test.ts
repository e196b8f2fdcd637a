// The leak scan and the read-only proof (issue 11), on a whole run against the stand-in behind fault proxies.
// Leaks: the canary's index reports come back IndexError with an err quoting the run's PSK raw, URL-encoded,
// base64 and JSON-escaped, and a presigned URL with its signature; no file of the run directory and no log line
// may hold any of them in any encoding. Read-only: production receives GETs only, at no more than its cap (a
// leg of a sharded run: its share of it), timed by a tap on its own thread: the fault proxy shares the run's
// event loop, and a busy loop would make it take in requests late and record them bunched.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../../src/config/config.ts'
import { secretEncodings } from '../../../src/clair/redact.ts'
import { listFiles } from '../../../src/github/artifacts.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { startScenario, type Scenario } from '../../../demo/scenario.ts'
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts'
import { MAX_STALL_MS, peakPerSecond, startArrivals, type Arrivals } from '../../support/arrivals.ts'

const COUNT = 12
const SIGNATURE = 'c0ffee00deadbeef1234567890abcdef1234567890abcdef1234567890abcdef'

describe('leak scan and read-only proof', () => {
  let scenario: Scenario
  let work: string
  let canary: FaultProxy
  let production: FaultProxy
  let arrivals: Arrivals
  const figures: string[] = []

  before(async () => {
    scenario = await startScenario({ count: COUNT, canaryProfile: 'clean' })
    work = await mkdtemp(join(tmpdir(), 'clair-canary-leaks-'))
    canary = await startFaultProxy(scenario.inputs['canary-url']!)
    production = await startFaultProxy(scenario.inputs['production-url']!)
    arrivals = await startArrivals({ forwardTo: production.url })
    await writeFile(
      join(work, 'manifests.jsonl'),
      scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n',
    )
  })
  after(async () => {
    await Promise.allSettled([arrivals?.close(), canary?.close(), production?.close(), scenario?.close()])
    await rm(work, { recursive: true, force: true })
    if (figures.length > 0) console.log(`reliability figures:\n${figures.join('\n')}`)
  })

  async function run(name: string, extra: Record<string, string> = {}) {
    const lines: string[] = []
    const log = {
      info: (l: string) => void lines.push(l),
      warning: (l: string) => void lines.push(l),
      debug: (l: string) => void lines.push(l),
      group: <T>(_name: string, work: () => Promise<T>) => work(),
    }
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      'canary-url': canary.url,
      'production-url': arrivals.url,
      manifests: join(work, 'manifests.jsonl'),
      seed: name,
      'run-dir': join(work, name),
      ...extra,
    }
    const { config, secrets } = await buildConfig((n) => inputs[n])
    const outcome = await runPipeline(config, { log })
    return { outcome, lines, secrets, runDir: join(work, name) }
  }

  test('no secret, in any encoding, in any file of the run directory or any log line', async () => {
    const psk = scenario.inputs['canary-psk']!
    const err = [
      `fetch https://blobs.example/layer?X-Amz-Credential=AKIAEXAMPLE%2F20261130&X-Amz-Signature=${SIGNATURE}: 403`,
      `raw ${psk}`,
      `url ${encodeURIComponent(psk)}`,
      `base64 ${Buffer.from(psk).toString('base64')}`,
      `json ${JSON.stringify(psk).slice(1, -1)}`,
      `bearer Bearer ${psk}`,
    ].join('; ')
    canary.plant('index-error', undefined, err)
    try {
      const { outcome, lines, secrets, runDir } = await run('leaks')
      assert.ok(secrets.includes(psk), 'the PSK is one of the run secrets')
      // The planted reports did reach the run: the canary failed on them, and the text was stored.
      // (early stop may end the replay once the failures gate is certain to fail)
      assert.ok(outcome.result.counts.canary_only_failures >= 1, outcome.result.reasons.join('\n'))
      const needles = [...secrets, SIGNATURE].flatMap((s) => secretEncodings(s).map((form) => ({ s, form })))
      const files = await listFiles(runDir)
      let scanned = 0
      for (const file of files) {
        const text = await readFile(file, 'utf8')
        scanned++
        for (const { form } of needles) assert.ok(!text.includes(form), `${file} holds a secret's form`)
      }
      for (const line of lines) for (const { form } of needles) assert.ok(!line.includes(form), line)
      const stored = await readFile(join(runDir, 'records.jsonl'), 'utf8')
      assert.match(stored, /\[redacted\]/, 'the texts were kept, with the secrets taken out')
      figures.push(
        `  leak scan: ${scanned} files and ${lines.length} log lines, ${needles.length} secret forms: 0 found`,
      )
    } finally {
      canary.plant(undefined)
    }
  })

  test('production receives GETs only, never more per second than its cap; a leg takes its share', async (t) => {
    for (const [name, extra, cap] of [
      ['read-only', { 'production-rate': '8' }, 8],
      ['read-only-leg', { 'production-rate': '8', 'shard-index': '0', 'shard-total': '2' }, 4],
    ] as const) {
      production.seen.length = 0
      const before = (await arrivals.timed()).times.length
      // Transient faults make the client retry: every retry goes through the limiter too.
      production.plant('http-503-once')
      try {
        await run(name, extra)
      } finally {
        production.plant(undefined)
      }
      const methods = [...new Set(production.seen.map((s) => s.method))]
      assert.deepEqual(methods, ['GET'], `production received ${methods.join(', ')}`)
      // As production counts them: when they arrived, in any one-second window, retries included.
      const timed = await arrivals.timed()
      const times = timed.times.slice(before)
      assert.equal(times.length, production.seen.length, 'the tap timed every request the proxy saw')
      if (timed.stallMs >= MAX_STALL_MS) {
        t.diagnostic(
          `${name}: the tap's thread stalled ${timed.stallMs.toFixed(0)} ms: its times cannot show the cap`,
        )
        continue
      }
      const peak = peakPerSecond(times, timed.stallMs)
      // On failure, every arrival (ms from the first) says which requests bunched together.
      const spread = (): string => times.map((time) => (time - (times[0] ?? 0)).toFixed(0)).join(' ')
      assert.ok(
        peak <= cap,
        `${peak} requests within one second, cap ${cap}/s (times late by up to ${timed.stallMs.toFixed(0)} ms); arrivals (ms): ${spread()}`,
      )
      figures.push(
        `  read-only: ${production.seen.length} production requests, methods ${methods.join(',')}, peak ${peak} in any 1 s (cap ${cap}/s${name.endsWith('leg') ? ', a leg of 2 sharing 8/s' : ''}), timed within ${timed.stallMs.toFixed(0)} ms`,
      )
    }
  })
})
