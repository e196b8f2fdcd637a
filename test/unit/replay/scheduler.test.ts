import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runOpenLoop } from '../../../src/replay/scheduler.ts'
import type { Slot } from '../../../src/replay/scheduler.ts'
import { FakeClock } from './fake-clock.ts'

const items = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

test('starts follow the schedule, not the responses (open loop)', async () => {
  const clock = new FakeClock()
  const t0 = clock.now()
  // Responses take 250 ms, far longer than the 100 ms interval: a closed loop would start every 250 ms.
  const out = await runOpenLoop(items(10), { rate: 10, concurrency: 100, clock }, async (i, slot) => {
    await clock.sleep(250)
    return { i, slot }
  })
  assert.equal(out.results.length, 10)
  for (const { i, slot } of out.results) {
    assert.equal(slot.index, i)
    assert.equal(slot.scheduledAtMs, t0 + i * 100)
    assert.equal(slot.startedAtMs, slot.scheduledAtMs)
    assert.equal(slot.startLagMs, 0)
  }
  assert.equal(out.startedAtMs, t0)
  assert.equal(out.finishedAtMs, t0 + 900 + 250)
  assert.ok(Math.abs(out.achievedRate - 10) < 1e-9, `achieved ${out.achievedRate}`)
  assert.equal(out.startLag.count, 10)
  assert.equal(out.startLag.max, 0)
})

test('never more than `concurrency` in flight; capped items wait and their lag is recorded', async () => {
  const clock = new FakeClock()
  let inFlight = 0
  let peak = 0
  const out = await runOpenLoop(items(6), { rate: 100, concurrency: 2, clock }, async (_i, slot: Slot) => {
    inFlight++
    peak = Math.max(peak, inFlight)
    await clock.sleep(100)
    inFlight--
    return slot
  })
  assert.equal(peak, 2)
  // Due every 10 ms; each busy 100 ms. Item 0 runs 0-100 and item 1 10-110, so item 2 (due 20) starts at 100,
  // item 3 (due 30) at 110, item 4 (due 40) at 200 and item 5 (due 50) at 210.
  const lags = out.results.map((s) => s.startLagMs)
  assert.deepEqual(lags, [0, 0, 80, 80, 160, 160])
  assert.equal(out.startLag.count, 6)
  assert.ok(out.startLag.max >= 159 && out.startLag.max <= 161)
  for (const s of out.results) assert.equal(s.startedAtMs - s.scheduledAtMs, s.startLagMs)
})

test('abort stops scheduling and keeps the results of what started', async () => {
  const clock = new FakeClock()
  const controller = new AbortController()
  const out = await runOpenLoop(
    items(100),
    { rate: 10, concurrency: 5, clock, signal: controller.signal },
    async (i) => {
      if (i === 3) controller.abort()
      await clock.sleep(500)
      return i * 2
    },
  )
  assert.deepEqual(out.results, [0, 2, 4, 6])
})

test('an already aborted signal starts nothing', async () => {
  const controller = new AbortController()
  controller.abort()
  let calls = 0
  const out = await runOpenLoop(
    items(3),
    { rate: 10, concurrency: 1, clock: new FakeClock(), signal: controller.signal },
    async () => calls++,
  )
  assert.equal(calls, 0)
  assert.deepEqual(out.results, [])
  assert.ok(Number.isNaN(out.achievedRate))
})

test('a throwing work function stops scheduling and rethrows after started work settles', async () => {
  const clock = new FakeClock()
  const finished: number[] = []
  await assert.rejects(
    runOpenLoop(items(10), { rate: 100, concurrency: 3, clock }, async (i) => {
      if (i === 1) throw new Error('boom')
      await clock.sleep(50)
      finished.push(i)
    }),
    /boom/,
  )
  assert.deepEqual(finished, [0])
})

test('rejects a rate or concurrency that cannot be scheduled', async () => {
  await assert.rejects(
    runOpenLoop([1], { rate: 0, concurrency: 1 }, async () => 1),
    RangeError,
  )
  await assert.rejects(
    runOpenLoop([1], { rate: 1, concurrency: 0 }, async () => 1),
    RangeError,
  )
})

test('real clock: an infinite rate is bound by concurrency only', async () => {
  let inFlight = 0
  let peak = 0
  const out = await runOpenLoop(items(50), { rate: Number.POSITIVE_INFINITY, concurrency: 4 }, async (i) => {
    inFlight++
    peak = Math.max(peak, inFlight)
    await new Promise((resolve) => setImmediate(resolve))
    inFlight--
    return i
  })
  assert.equal(peak, 4)
  assert.deepEqual(out.results, items(50))
})
