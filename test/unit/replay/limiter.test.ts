import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DELIVERY_JITTER_MS, RateLimiter, releaseGapMs } from '../../../src/replay/limiter.ts'
import type { Clock } from '../../../src/replay/clock.ts'
import { peakInWindow } from '../../support/window.ts'
import { FakeClock } from './fake-clock.ts'

/** Releases `count` callers who all ask at once and send at once; returns the times they were released. */
async function releases(limiter: RateLimiter, clock: Clock, count: number): Promise<number[]> {
  const at: number[] = []
  await Promise.all(
    Array.from({ length: count }, async () => {
      ;(await limiter.acquire()).sent()
      at.push(clock.now())
    }),
  )
  return at
}

test('releases concurrent callers one gap apart, first come first served', async () => {
  const clock = new FakeClock()
  const t0 = clock.now()
  const limiter = new RateLimiter(4, clock)
  const gap = (1000 + DELIVERY_JITTER_MS) / 4
  const grants: Array<[number, number]> = []
  await Promise.all(
    [0, 1, 2, 3, 4].map(async (caller) => {
      ;(await limiter.acquire()).sent()
      grants.push([caller, clock.now() - t0])
    }),
  )
  assert.deepEqual(
    grants,
    [0, 1, 2, 3, 4].map((caller) => [caller, caller * gap]),
  )
})

for (const rate of [1, 4, 8, 8.5, 50]) {
  test(`at ${rate}/s, no one-second window holds more than ${Math.floor(rate)}, with room for delivery`, async () => {
    const clock = new FakeClock()
    const limiter = new RateLimiter(rate, clock)
    const at = await releases(limiter, clock, Math.ceil(rate) * 4)
    // A request that is late by up to the allowance still leaves the window within the cap.
    assert.ok(peakInWindow(at, 1000 + DELIVERY_JITTER_MS - 1) <= Math.floor(rate))
    // The allowance costs DELIVERY_JITTER_MS in every 1000 + DELIVERY_JITTER_MS, not more.
    assert.equal(peakInWindow(at, 1000), Math.floor(1000 / limiter.gapMs) + 1)
    assert.ok(limiter.ratePerSecond >= (Math.floor(rate) * 1000) / (1000 + DELIVERY_JITTER_MS))
  })
}

test('below one request per second, one request per 1 / rate seconds', async () => {
  const clock = new FakeClock()
  const at = await releases(new RateLimiter(0.5, clock), clock, 4)
  assert.equal(peakInWindow(at, 2000), 1)
  assert.equal(releaseGapMs(0.5), 2000 + DELIVERY_JITTER_MS)
})

test('the legs of a sharded run, each at its share, stay within the whole cap together', async () => {
  const clock = new FakeClock()
  for (const legs of [2, 3, 5]) {
    const legLimiters = Array.from({ length: legs }, () => new RateLimiter(8 / legs, clock))
    const all = (await Promise.all(legLimiters.map((l) => releases(l, clock, 12)))).flat()
    assert.ok(peakInWindow(all, 1000) <= 8, `${legs} legs: ${peakInWindow(all, 1000)} in one second`)
  }
})

test('a late wake-up never shortens the next gap: gaps are measured from real releases', async () => {
  const fake = new FakeClock()
  let late = 0
  // Wakes 40 ms late once, as a busy event loop would.
  const clock: Clock = {
    now: () => fake.now(),
    sleepUntil: (ms, signal) => fake.sleepUntil(late++ === 1 ? ms + 40 : ms, signal),
  }
  const limiter = new RateLimiter(8, clock)
  const at = await releases(limiter, clock, 8)
  const gaps = at.slice(1).map((t, i) => t - (at[i] as number))
  assert.ok(
    gaps.every((g) => g >= limiter.gapMs),
    `gaps ${gaps.join(', ')}`,
  )
  assert.ok(
    gaps.some((g) => g >= limiter.gapMs + 40),
    'the late release happened',
  )
})

test('an idle limiter does not save up: after a pause, the next two are still a gap apart', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(10, clock)
  ;(await limiter.acquire()).sent()
  await clock.sleep(10_000)
  const at = await releases(limiter, clock, 2)
  assert.equal((at[1] as number) - (at[0] as number), limiter.gapMs)
})

test('an aborted caller rejects at once and gives its turn to the next', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(1, clock)
  const t0 = clock.now()
  ;(await limiter.acquire()).sent()
  const controller = new AbortController()
  const waiting = limiter.acquire(controller.signal)
  const next = limiter.acquire().then((turn) => {
    turn.sent()
    return clock.now() - t0
  })
  controller.abort(new Error('cancelled'))
  await assert.rejects(waiting, /cancelled/)
  assert.equal(await next, limiter.gapMs)
})

test('the next gap counts from when the request went out, not from its release', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(4, clock)
  const t0 = clock.now()
  const first = await limiter.acquire()
  const second = limiter.acquire().then((turn) => {
    turn.sent()
    return clock.now() - t0
  })
  // The first request is held up 400 ms between its release and the wire (a busy loop, a new connection).
  await clock.sleep(400)
  first.sent()
  first.sent() // only the first report counts
  assert.equal(await second, 400 + limiter.gapMs)
})

test('while a released request has not gone out, nobody else is released', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(50, clock)
  const t0 = clock.now()
  await limiter.acquire() // never reports its send: everyone after it waits
  let released = false
  void limiter.acquire().then(() => (released = true))
  await clock.sleep(10 * limiter.gapMs)
  assert.equal(released, false)
  assert.equal(clock.now() - t0, 10 * limiter.gapMs)
})

test('a caller that stops waiting while the one before has not sent gives its turn on: the next is not held', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(4, clock)
  const t0 = clock.now()
  const first = await limiter.acquire()
  const controller = new AbortController()
  const waiting = limiter.acquire(controller.signal)
  const next = limiter.acquire().then((turn) => {
    turn.sent()
    return clock.now() - t0
  })
  controller.abort(new Error('cancelled'))
  await assert.rejects(waiting, /cancelled/)
  await clock.sleep(100)
  first.sent()
  assert.equal(await next, 100 + limiter.gapMs)
})

test('rejects rates that make no sense', () => {
  assert.throws(() => new RateLimiter(0), RangeError)
  assert.throws(() => new RateLimiter(-1), RangeError)
  assert.throws(() => new RateLimiter(Number.NaN), RangeError)
  assert.throws(() => new RateLimiter(Number.POSITIVE_INFINITY), RangeError)
})
