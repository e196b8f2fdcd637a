// An open-loop scheduler (constant arrival rate, like vegeta and k6's constant-arrival-rate): item i is due
// at t0 + i/rate whatever earlier responses did. A closed loop would wait for slow responses before sending
// more and so hide exactly the slowness we look for (coordinated omission). When `concurrency` requests are
// in flight the next one waits for a slot; that wait is its start lag, which callers add to latency.
import { realClock } from './clock.ts'
import type { Clock } from './clock.ts'
import { LatencySketch } from './sketch.ts'

export type { Clock } from './clock.ts'

export interface Slot {
  index: number
  /** When the item was due, on the scheduler's clock. */
  scheduledAtMs: number
  /** When work(item) was called, on the scheduler's clock. */
  startedAtMs: number
  /** startedAtMs - scheduledAtMs, never negative. */
  startLagMs: number
}

export interface OpenLoopOptions {
  /** Items per second; Infinity starts items as fast as the concurrency cap allows. */
  rate: number
  /** At most this many items in flight. */
  concurrency: number
  /** Stops scheduling new items; items already started run to completion and their results are kept. */
  signal?: AbortSignal
  clock?: Clock
}

export interface OpenLoopResult<R> {
  /** Results of the items that were started, in item order (all items unless aborted). */
  results: R[]
  startedAtMs: number
  finishedAtMs: number
  /** Starts per second between the first and the last start: (n - 1) / span; NaN with fewer than two. */
  achievedRate: number
  startLag: LatencySketch
}

/**
 * Runs work(item, slot) for each item on an open-loop schedule. `work` should record its own failures and
 * resolve; if it throws anyway (a bug), scheduling stops and the error is rethrown once started work settles.
 */
export async function runOpenLoop<T, R>(
  items: readonly T[],
  opts: OpenLoopOptions,
  work: (item: T, slot: Slot) => Promise<R>,
): Promise<OpenLoopResult<R>> {
  const { rate, concurrency, signal } = opts
  if (!(rate > 0)) throw new RangeError(`rate must be > 0 per second, got ${rate}`)
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}`)
  }
  const clock = opts.clock ?? realClock
  const intervalMs = 1000 / rate
  const startLag = new LatencySketch()
  const results: R[] = []
  // Counted, not kept: holding every request's promise until the end only feeds the garbage collector.
  let started = 0
  let inFlight = 0
  let drained: (() => void) | undefined
  let failure: { error: unknown } | undefined
  let wakeScheduler: (() => void) | undefined
  const wake = (): void => {
    const w = wakeScheduler
    wakeScheduler = undefined
    w?.()
  }
  const stopped = (): boolean => signal?.aborted === true || failure !== undefined
  signal?.addEventListener('abort', wake)

  const startedAtMs = clock.now()
  let firstStart = Number.NaN
  let lastStart = Number.NaN
  try {
    for (let index = 0; index < items.length && !stopped(); index++) {
      const scheduledAtMs = startedAtMs + index * intervalMs
      if (clock.now() < scheduledAtMs) await clock.sleepUntil(scheduledAtMs, signal)
      while (inFlight >= concurrency && !stopped())
        await new Promise<void>((resolve) => (wakeScheduler = resolve))
      if (stopped()) break

      const now = clock.now()
      const slot: Slot = {
        index,
        scheduledAtMs,
        startedAtMs: now,
        startLagMs: Math.max(0, now - scheduledAtMs),
      }
      startLag.record(slot.startLagMs)
      if (index === 0) firstStart = now
      lastStart = now
      inFlight++
      started++
      void (async () => {
        try {
          results[index] = await work(items[index] as T, slot)
        } catch (error) {
          failure ??= { error }
        } finally {
          inFlight--
          wake()
          if (inFlight === 0) drained?.()
        }
      })()
    }
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve))
  } finally {
    signal?.removeEventListener('abort', wake)
  }
  if (failure) throw failure.error

  const n = started
  return {
    results,
    startedAtMs,
    finishedAtMs: clock.now(),
    achievedRate: n < 2 ? Number.NaN : ((n - 1) * 1000) / (lastStart - firstStart),
    startLag,
  }
}
