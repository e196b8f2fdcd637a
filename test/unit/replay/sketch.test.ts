import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { LatencySketch } from '../../../src/replay/sketch.ts'

/** Exact nearest-rank quantile, to check the sketch against. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number
}

test('count, min, max and mean are exact; quantiles within 0.1%', () => {
  const values = Array.from({ length: 1000 }, (_, i) => 0.5 + i * 1.7)
  const sketch = LatencySketch.of(values)
  assert.equal(sketch.count, 1000)
  assert.equal(sketch.min, 0.5)
  assert.equal(sketch.max, values[999])
  assert.ok(Math.abs(sketch.mean - values.reduce((a, b) => a + b) / 1000) < 1e-9)
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = exactQuantile(values, q)
    assert.ok(
      Math.abs(sketch.quantile(q) - exact) <= exact * 0.001 + 0.001,
      `q${q}: ${sketch.quantile(q)} vs ${exact}`,
    )
  }
})

test('an empty sketch answers NaN, and null in JSON', () => {
  const sketch = new LatencySketch()
  assert.equal(sketch.count, 0)
  assert.ok(Number.isNaN(sketch.quantile(0.5)))
  assert.ok(Number.isNaN(sketch.mean))
  const json = sketch.toJSON()
  assert.equal(json.p99, null)
  assert.equal(LatencySketch.fromJSON(JSON.parse(JSON.stringify(json))).count, 0)
})

test('negative values count as 0 and non-finite ones are ignored', () => {
  const sketch = LatencySketch.of([-3, Number.NaN, Number.POSITIVE_INFINITY, 4])
  assert.equal(sketch.count, 2)
  assert.equal(sketch.min, 0)
  assert.equal(sketch.max, 4)
})

test('merging shards equals recording everything in one sketch', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), { maxLength: 200 }),
      fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), { maxLength: 200 }),
      (a, b) => {
        const merged = LatencySketch.of(a).merge(LatencySketch.of(b))
        const whole = LatencySketch.of([...a, ...b])
        assert.equal(merged.count, whole.count)
        if (whole.count === 0) return
        assert.equal(merged.min, whole.min)
        assert.equal(merged.max, whole.max)
        for (const q of [0, 0.5, 0.9, 0.99, 1]) assert.equal(merged.quantile(q), whole.quantile(q))
      },
    ),
  )
})

test('toJSON / fromJSON round-trips through text and still merges', () => {
  const sketch = LatencySketch.of([1, 2, 3, 40, 500, 6000])
  const copy = LatencySketch.fromJSON(JSON.parse(JSON.stringify(sketch)))
  assert.equal(copy.count, 6)
  assert.equal(copy.min, 1)
  assert.equal(copy.max, 6000)
  assert.equal(copy.mean, sketch.mean)
  for (const q of [0.5, 0.95, 0.99]) assert.equal(copy.quantile(q), sketch.quantile(q))
  copy.merge(LatencySketch.of([7]))
  assert.equal(copy.count, 7)
})

test('fromJSON refuses what is not a sketch', () => {
  assert.throws(() => LatencySketch.fromJSON({ count: 1 }), TypeError)
  assert.throws(() => LatencySketch.fromJSON(null), TypeError)
})

test('quantile rejects q outside [0, 1]', () => {
  assert.throws(() => LatencySketch.of([1]).quantile(50), RangeError)
})
