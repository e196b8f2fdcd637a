// Time for the scheduler and the limiter, injectable so unit tests run on virtual time.
import { setImmediate as immediate, setTimeout as delay } from 'node:timers/promises'

export interface Clock {
  /** Milliseconds on a monotonic clock (fractional). */
  now(): number
  /** Resolves at or after `ms` on this clock, or as soon as `signal` aborts (it never rejects). */
  sleepUntil(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * setTimeout alone wakes 1–4 ms late, which would smear a 500 req/s schedule. So: sleep with a timer until
 * SPIN_MS before the target, then yield with setImmediate (I/O callbacks still run) until it is reached.
 */
const SPIN_MS = 2

export const realClock: Clock = {
  now: () => performance.now(),
  async sleepUntil(ms: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) return
      const remaining = ms - performance.now()
      if (remaining <= 0) return
      if (remaining > SPIN_MS) {
        try {
          await delay(remaining - SPIN_MS, undefined, signal ? { signal } : undefined)
        } catch {
          return // aborted
        }
      } else {
        await immediate()
      }
    }
  },
}
