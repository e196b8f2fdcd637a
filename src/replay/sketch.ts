// A latency sketch: an HDR histogram (3 significant digits, microsecond resolution) plus exact count, sum,
// min and max. Shards merge sketches instead of re-reading every record, and quantiles stay within 0.1%.
import * as hdr from 'hdr-histogram-js'
import type { Histogram } from 'hdr-histogram-js'

const SCHEMA = 'clair-canary/latency-sketch/v1'
/** Recorded unit: microseconds, so sub-millisecond scheduler lag keeps its resolution. */
const US_PER_MS = 1000

export interface LatencySketchJson {
  schema: typeof SCHEMA
  unit: 'ms'
  count: number
  sum: number
  min: number | null
  max: number | null
  mean: number | null
  p50: number | null
  p95: number | null
  p99: number | null
  /** The histogram in HdrHistogram's compressed base64 encoding (microseconds). */
  hdr: string
}

function newHistogram(): Histogram {
  return hdr.build({
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 'packed',
    useWebAssembly: false,
  })
}

function orNull(n: number): number | null {
  return Number.isFinite(n) ? n : null
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

  /** Adds another sketch's observations into this one (shards, per-side totals). */
  merge(other: LatencySketch): this {
    if (other.#count === 0) return this
    this.#histogram.add(other.#histogram)
    this.#count += other.#count
    this.#sum += other.#sum
    this.#min = Math.min(this.#min, other.#min)
    this.#max = Math.max(this.#max, other.#max)
    return this
  }

  toJSON(): LatencySketchJson {
    return {
      schema: SCHEMA,
      unit: 'ms',
      count: this.#count,
      sum: this.#sum,
      min: orNull(this.min),
      max: orNull(this.max),
      mean: orNull(this.mean),
      p50: orNull(this.quantile(0.5)),
      p95: orNull(this.quantile(0.95)),
      p99: orNull(this.quantile(0.99)),
      hdr: hdr.encodeIntoCompressedBase64(this.#histogram),
    }
  }

  static fromJSON(json: unknown): LatencySketch {
    const j = json as Partial<LatencySketchJson> | null
    if (!j || j.schema !== SCHEMA || typeof j.hdr !== 'string' || typeof j.count !== 'number') {
      throw new TypeError(`not a latency sketch (expected schema ${SCHEMA})`)
    }
    const sketch = new LatencySketch()
    if (j.count === 0) return sketch
    sketch.#histogram = hdr.decodeFromCompressedBase64(j.hdr, 'packed', false)
    sketch.#count = j.count
    sketch.#sum = j.sum ?? 0
    sketch.#min = j.min ?? 0
    sketch.#max = j.max ?? 0
    return sketch
  }

  static of(values: Iterable<number>): LatencySketch {
    const sketch = new LatencySketch()
    for (const v of values) sketch.record(v)
    return sketch
  }
}
