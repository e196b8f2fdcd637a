// Production's cap: production is never load-tested, so every request to it waits here first. The cap is a
// promise about any one-second window, not an average: a token bucket (even with a burst of one) lets cap + 1
// requests fall within one second as soon as anything delays one of them, which is what the read-only proof
// saw. So callers are released one at a time, first come first served, with a minimum gap between the real
// times they are released: n + 1 releases then span more than a second, with room to spare for delivery.
import { realClock } from './clock.ts'
import type { Clock } from './clock.ts'

/**
 * What a release may lose on its way to the server (signing, the event loop, the socket), ahead of the one
 * released a second later. Part of every gap, so the cap still holds at the server when a request is late.
 */
export const DELIVERY_JITTER_MS = 50

/**
 * The gap between two releases for a cap of `ratePerSecond` in any one-second window: at most
 * floor(rate) requests per second (a fraction of a request cannot be sent; the legs of a sharded run each
 * take rate / legs, and their floors add up to at most the whole), or one per 1 / rate seconds below 1/s.
 */
export function releaseGapMs(ratePerSecond: number): number {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond))
    throw new RangeError(`rate must be a finite number > 0 per second, got ${ratePerSecond}`)
  return ratePerSecond >= 1
    ? (1000 + DELIVERY_JITTER_MS) / Math.floor(ratePerSecond)
    : 1000 / ratePerSecond + DELIVERY_JITTER_MS
}

export class RateLimiter {
  /** Milliseconds between two releases. */
  readonly gapMs: number
  /** The requests per second that gap allows: what a caller pacing itself to the limiter should aim at. */
  readonly ratePerSecond: number
  readonly #clock: Clock
  /** The real time the last caller was released. */
  #last = Number.NEGATIVE_INFINITY
  /** Callers wait their turn in this chain: the next is served only once the one before was released. */
  #tail: Promise<void> = Promise.resolve()

  constructor(ratePerSecond: number, clock: Clock = realClock) {
    this.gapMs = releaseGapMs(ratePerSecond)
    this.ratePerSecond = 1000 / this.gapMs
    this.#clock = clock
  }

  /**
   * Resolves when the caller may send one request; rejects with the signal's reason as soon as it aborts. An
   * aborted caller gives its turn to the next one; a release is never given back: erring towards fewer
   * requests is the safe side for production.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    const turn = this.#tail.then(() => this.#take(signal))
    this.#tail = turn.catch(() => undefined)
    if (!signal) return turn
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error)
      signal.addEventListener('abort', onAbort, { once: true })
      turn.then(
        () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
        (error: Error) => {
          signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  async #take(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted()
      // Measured from when the last caller really went (a late wake-up must not shorten the next gap).
      const at = this.#last + this.gapMs
      const now = this.#clock.now()
      if (now >= at) {
        this.#last = now
        return
      }
      await this.#clock.sleepUntil(at, signal)
    }
  }
}
