// The latency gate's power and false alarms, from a seeded simulation with the real gate: a 1.3x paired
// median regression is caught at 100 pairs in at least 95% of runs, and an unchanged canary fails at most 1%.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { latencyFailRate as failRate } from '../../../scripts/latency-power.ts'

test('latency power: a 1.3x paired median regression fails at 100 pairs in at least 95% of 2,000 runs', () => {
  const power = failRate(1.3, 100, 2000)
  assert.ok(power >= 0.95, `power ${power}`)
})

test('latency false alarms: an unchanged canary fails at 100 pairs in at most 1% of 4,000 runs', () => {
  const rate = failRate(1, 100, 4000)
  assert.ok(rate <= 0.01, `false-alarm rate ${rate}`)
})

test('latency: a slowdown under the 1.1x effect floor rarely fails, however certain', () => {
  // 1.05x is real but too small to matter: the floor holds it back even with 1,000 pairs.
  assert.ok(failRate(1.05, 1000, 200) <= 0.01)
})
