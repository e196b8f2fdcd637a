import { test } from 'node:test'
import assert from 'node:assert/strict'
import { RateLimiter } from '../../../src/replay/limiter.ts'
import { FakeClock } from './fake-clock.ts'

test('grants one token per interval to concurrent callers, first come first served', async () => {
  const clock = new FakeClock()
  const t0 = clock.now()
  const limiter = new RateLimiter(4, 1, clock)
  const grants: Array<[number, number]> = []
  await Promise.all(
    [0, 1, 2, 3, 4].map(async (caller) => {
      await limiter.acquire()
      grants.push([caller, clock.now() - t0])
    }),
  )
  assert.deepEqual(grants, [
    [0, 0],
    [1, 250],
    [2, 500],
    [3, 750],
    [4, 1000],
  ])
})

test('a burst lets that many through at once, then the rate holds', async () => {
  const clock = new FakeClock()
  const t0 = clock.now()
  const limiter = new RateLimiter(10, 3, clock)
  const at: number[] = []
  for (let i = 0; i < 5; i++) {
    await limiter.acquire()
    at.push(clock.now() - t0)
  }
  assert.deepEqual(at, [0, 0, 0, 100, 200])
})

test('an idle limiter does not save up more than its burst', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(10, 2, clock)
  await clock.sleep(10_000)
  const t0 = clock.now()
  const at: number[] = []
  for (let i = 0; i < 4; i++) {
    await limiter.acquire()
    at.push(clock.now() - t0)
  }
  assert.deepEqual(at, [0, 0, 100, 200])
})

test('acquire rejects when aborted while waiting', async () => {
  const clock = new FakeClock()
  const limiter = new RateLimiter(1, 1, clock)
  await limiter.acquire()
  const controller = new AbortController()
  const waiting = limiter.acquire(controller.signal)
  controller.abort(new Error('cancelled'))
  await assert.rejects(waiting, /cancelled/)
})

test('rejects rates and bursts that make no sense', () => {
  assert.throws(() => new RateLimiter(0), RangeError)
  assert.throws(() => new RateLimiter(Number.POSITIVE_INFINITY), RangeError)
  assert.throws(() => new RateLimiter(5, 0), RangeError)
})
