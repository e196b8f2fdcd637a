// Production's cap: production is never load-tested, so every request to it waits here first. The cap is a
// promise about any one-second window, not an average: a token bucket (even with a burst of one) lets cap + 1
// requests fall within one second as soon as anything delays one of them, which is what the read-only proof
// saw. So callers are released one at a time, first come first served, and each gap is counted from the moment
// the previous request really went out, not from its release: between the two the event loop may be busy
// (comparing a huge report pair, parsing a 45 MB body, a collection) or a new connection may be opening, and a
// request held up there would otherwise land at production closer to the next one than the gap. Gaps between
// actual sends hold whatever delays the sender, so the proof no longer depends on what else runs on the thread
// (a worker-thread compare would move one busy section off it and leave the others).
import { realClock } from './clock.ts'
import type { Clock } from './clock.ts'

/**
 * What a request may lose between our socket and production counting it (the network, production's accept),
 * ahead of the one sent a second later. Part of every gap, so the cap still holds at the server when one
 * request is late there.
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

/** One caller's release. */
export interface Turn {
  /**
   * The request goes to the wire now, or never will (it failed, or was given up): the next caller's gap counts
   * from this moment. Every turn must end with it, once the request has left or failed; later calls do nothing.
   */
  sent(): void
}

export class RateLimiter {
  /** Milliseconds between two releases. */
  readonly gapMs: number
  /** The requests per second that gap allows: what a caller pacing itself to the limiter should aim at. */
  readonly ratePerSecond: number
  readonly #clock: Clock
  /** The real time the last released caller's request went out. */
  #last = Number.NEGATIVE_INFINITY
  /** Callers wait their turn in this chain: the next is served only once the one before has sent. */
  #tail: Promise<void> = Promise.resolve()

  constructor(ratePerSecond: number, clock: Clock = realClock) {
    this.gapMs = releaseGapMs(ratePerSecond)
    this.ratePerSecond = 1000 / this.gapMs
    this.#clock = clock
  }

  /**
   * Resolves when the caller may send one request, with the turn it must end by `sent()`; rejects with the
   * signal's reason as soon as it aborts. An aborted caller gives its turn to the next one; a release is never
   * given back: erring towards fewer requests is the safe side for production.
   */
  acquire(signal?: AbortSignal): Promise<Turn> {
    signal?.throwIfAborted()
    let out!: () => void
    const previous = this.#tail
    // The next caller waits for this one's send, or for this one to give up without being released.
    this.#tail = new Promise<void>((resolve) => (out = resolve))
    const turn = previous.then(() => this.#take(signal, out))
    turn.catch(() => out())
    if (!signal) return turn
    return new Promise<Turn>((resolve, reject) => {
      let abandoned = false
      const onAbort = (): void => {
        abandoned = true
        reject(signal.reason as Error)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      turn.then(
        (released) => {
          signal.removeEventListener('abort', onAbort)
          // Released after its caller stopped waiting: nothing will be sent, so the turn ends here.
          if (abandoned) released.sent()
          else resolve(released)
        },
        (error: Error) => {
          signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  async #take(signal: AbortSignal | undefined, done: () => void): Promise<Turn> {
    for (;;) {
      signal?.throwIfAborted()
      // Measured from when the last request really went (a late send must not shorten the next gap).
      const at = this.#last + this.gapMs
      const now = this.#clock.now()
      if (now >= at) {
        this.#last = now
        let ended = false
        return {
          sent: () => {
            if (ended) return
            ended = true
            this.#last = Math.max(this.#last, this.#clock.now())
            done()
          },
        }
      }
      await this.#clock.sleepUntil(at, signal)
    }
  }
}
