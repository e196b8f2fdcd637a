// A token bucket for production GETs: production is never load-tested, so every request to it waits for a
// token. Implemented as GCRA (a reservation per caller), so waiters are served first come, first served.
import { realClock } from './clock.ts'
import type { Clock } from './clock.ts'

export class RateLimiter {
  readonly #intervalMs: number
  readonly #burst: number
  readonly #clock: Clock
  /** Theoretical arrival time of the next request when the bucket is empty. */
  #tat: number

  constructor(ratePerSecond: number, burst = 1, clock: Clock = realClock) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`rate must be a finite number > 0 per second, got ${ratePerSecond}`)
    }
    if (!Number.isInteger(burst) || burst < 1)
      throw new RangeError(`burst must be an integer >= 1, got ${burst}`)
    this.#intervalMs = 1000 / ratePerSecond
    this.#burst = burst
    this.#clock = clock
    this.#tat = clock.now()
  }

  /**
   * Resolves when the caller may send one request; rejects with the signal's reason if it aborts first. An
   * aborted reservation is not given back: erring towards fewer requests is the safe side for production.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    const now = this.#clock.now()
    const tat = Math.max(this.#tat, now) + this.#intervalMs
    const allowedAt = tat - this.#burst * this.#intervalMs
    this.#tat = tat
    if (allowedAt > now) await this.#clock.sleepUntil(allowedAt, signal)
    signal?.throwIfAborted()
  }
}
