// Virtual time for scheduler, limiter and replay tests. Timers fire one at a time in time order, each after
// the microtask queue has drained (setImmediate), so code reacting to one timer has registered its next
// sleep before time moves on. No real time passes; tests never depend on the machine's speed.
import type { Clock } from '../../../src/replay/clock.ts'

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

export class FakeClock implements Clock {
  #now: number
  #seq = 0
  #timers: Timer[] = []
  #ticking = false

  constructor(start = 1000) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  sleepUntil(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= this.#now || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const timer: Timer = { at: ms, seq: this.#seq++, resolve }
      this.#timers.push(timer)
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer)
          resolve()
        },
        { once: true },
      )
      this.#tick()
    })
  }

  /** Sleeps `ms` of virtual time: what a fake server does to "take" that long. */
  sleep(ms: number): Promise<void> {
    return this.sleepUntil(this.#now + ms)
  }

  #tick(): void {
    if (this.#ticking) return
    this.#ticking = true
    setImmediate(() => {
      this.#ticking = false
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.#timers.shift()
      if (!next) return
      this.#now = Math.max(this.#now, next.at)
      next.resolve()
      if (this.#timers.length > 0) this.#tick()
    })
  }
}
