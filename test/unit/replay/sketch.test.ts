import { test } from 'node:test'
import assert from 'node:assert/strict'
import { LatencySketch } from '../../../src/replay/sketch.ts'

function sketchOf(values: Iterable<number>): LatencySketch {
  const sketch = new LatencySketch()
  for (const v of values) sketch.record(v)
  return sketch
}

/** Exact nearest-rank quantile, to check the sketch against. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number
}

test('count, min, max and mean are exact; quantiles within 0.1%', () => {
  const values = Array.from({ length: 1000 }, (_, i) => 0.5 + i * 1.7)
  const sketch = sketchOf(values)
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

test('an empty sketch answers NaN', () => {
  const sketch = new LatencySketch()
  assert.equal(sketch.count, 0)
  assert.ok(Number.isNaN(sketch.quantile(0.5)))
  assert.ok(Number.isNaN(sketch.mean))
})

test('negative values count as 0 and non-finite ones are ignored', () => {
  const sketch = sketchOf([-3, Number.NaN, Number.POSITIVE_INFINITY, 4])
  assert.equal(sketch.count, 2)
  assert.equal(sketch.min, 0)
  assert.equal(sketch.max, 4)
})

test('quantile rejects q outside [0, 1]', () => {
  assert.throws(() => sketchOf([1]).quantile(50), RangeError)
})
