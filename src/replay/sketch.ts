// A latency sketch: an HDR histogram (3 significant digits, microsecond resolution) plus exact count, sum,
// min and max: quantiles over any number of requests in fixed memory, within 0.1%.
import * as hdr from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'

/** Recorded unit: microseconds, so sub-millisecond scheduler lag keeps its resolution. */
const US_PER_MS = 1000

function newHistogram(): Histogram {
  return hdr.build({
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 'packed',
    useWebAssembly: false,
  })
}

export class LatencySketch {
  #histogram: Histogram = newHistogram()
  #count = 0
  #sum = 0
  #min = Number.POSITIVE_INFINITY
  #max = Number.NEGATIVE_INFINITY

  /** Records one latency in milliseconds; negative values (clock skew) count as 0, non-finite ones are ignored. */
  record(ms: number): void {
    if (!Number.isFinite(ms)) return
    const value = Math.max(0, ms)
    this.#histogram.recordValue(Math.round(value * US_PER_MS))
    this.#count++
    this.#sum += value
    if (value < this.#min) this.#min = value
    if (value > this.#max) this.#max = value
  }

  get count(): number {
    return this.#count
  }
  get sum(): number {
    return this.#sum
  }
  /** NaN when empty. */
  get min(): number {
    return this.#count === 0 ? Number.NaN : this.#min
  }
  get max(): number {
    return this.#count === 0 ? Number.NaN : this.#max
  }
  get mean(): number {
    return this.#count === 0 ? Number.NaN : this.#sum / this.#count
  }

  /** The q-quantile (0..1) in milliseconds; NaN when empty. Clamped to the exact min/max. */
  quantile(q: number): number {
    if (this.#count === 0) return Number.NaN
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`)
    const value = this.#histogram.getValueAtPercentile(q * 100) / US_PER_MS
    return Math.min(this.#max, Math.max(this.#min, value))
  }
}
