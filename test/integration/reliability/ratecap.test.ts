// Production's cap holds whatever the event loop does (issue 11, item 3). A synchronous busy section (as
// comparing a huge report pair is, on the same thread as production's sends) lands between the limiter's
// release of a request and its send: the request opens a new connection, and the loop is busy before it is
// made. Production, on its own thread, times the arrivals; no one-second window may hold more than the cap.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { performance } from 'node:perf_hooks'
import { ClairClient } from '../../../src/clair/client.ts'
import type { ClientOptions } from '../../../src/clair/client.ts'
import { RateLimiter } from '../../../src/replay/limiter.ts'
import { MAX_STALL_MS, peakPerSecond, startArrivals } from '../../support/arrivals.ts'
import { shortestSpan } from '../../support/window.ts'

const OPTIONS: ClientOptions = {
  timeouts: { indexMs: 10_000, otherMs: 10_000 },
  retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100, budgetMs: 0 },
  maxResponseBytes: 64 * 1024,
  connections: 8,
}
/**
 * Nearly a gap at 1/s (1050 ms). Counted from its release, the held-up request goes out at about 900 ms and the
 * next one at its own release, 1050 ms: two within 150 ms at a cap of one a second. That margin is wide enough
 * that production's thread, itself stalled up to about 100 ms at a time on a loaded machine, cannot hide it.
 */
const BUSY_MS = 900
const READS_PER_LEG = 3

/** Keeps the thread busy for `ms`, as a synchronous compare does; nothing else on the loop runs meanwhile. */
function busy(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spin
  }
}

for (const { name, legs, cap } of [
  { name: 'one run at 1/s', legs: 1, cap: 1 },
  { name: 'two legs of a sharded run sharing 2/s', legs: 2, cap: 2 },
]) {
  test(`${name}: production never counts more than ${cap} in a second, though the loop is busy before a send`, async (t) => {
    const production = await startArrivals()
    t.after(() => production.close())
    const port = new URL(production.url).port
    // The first connection to production is held up: the loop is busy between the release and the send.
    let connects = 0
    const onConnect = (message: unknown): void => {
      const params = (message as { connectParams?: { port?: string | number } }).connectParams
      if (String(params?.port) === port && connects++ === 0) busy(BUSY_MS)
    }
    subscribe('undici:client:beforeConnect', onConnect)
    t.after(() => unsubscribe('undici:client:beforeConnect', onConnect))

    // As the pipeline wires it: each leg has its own limiter at its share, gating its production client.
    const clients = Array.from({ length: legs }, () => {
      const limiter = new RateLimiter(cap / legs)
      return new ClairClient({ side: 'production', url: production.url, issuer: 'quay' }, OPTIONS, {
        gate: (signal) => limiter.acquire(signal),
      })
    })
    t.after(() => Promise.all(clients.map((c) => c.close())))
    const answers = await Promise.all(
      clients.flatMap((client) =>
        Array.from({ length: READS_PER_LEG }, (_, i) =>
          client.vulnerabilityReport(`sha256:${String(i).repeat(64)}`),
        ),
      ),
    )
    for (const answer of answers) assert.equal(answer.error, undefined, answer.message)
    assert.ok(connects > 0, 'the busy section ran')

    const { times, stallMs } = await production.timed()
    assert.equal(times.length, legs * READS_PER_LEG)
    if (stallMs >= MAX_STALL_MS)
      return t.skip(`production's thread stalled ${stallMs.toFixed(0)} ms: its times cannot show the cap`)
    const peak = peakPerSecond(times, stallMs)
    // cap + 1 arrivals must span a second or more; the limiter leaves them 1000 + DELIVERY_JITTER_MS apart.
    const span = shortestSpan(times, cap + 1)
    const arrivals = times.map((time) => (time - (times[0] ?? 0)).toFixed(0)).join(' ')
    assert.ok(
      peak <= cap,
      `${peak} requests within one second at production, cap ${cap}/s (times late by up to ${stallMs.toFixed(0)} ms); arrivals (ms): ${arrivals}`,
    )
    console.log(
      `ratecap: ${name}, loop busy ${BUSY_MS} ms before a send: peak ${peak} in any 1 s (cap ${cap}/s), ` +
        `${cap + 1} arrivals span at least ${span.toFixed(0)} ms, timed within ${stallMs.toFixed(0)} ms`,
    )
  })
}
