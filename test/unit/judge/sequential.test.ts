// Early stop: the sequential tests are checked after every manifest, and the false-alarm rate of the whole
// judge (early stops plus the final verdict) stays at or below alpha over 10,000 clean simulated runs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { judge } from '../../../src/judge/judge.ts'
import { SequentialJudge, signMixtureLogRatio } from '../../../src/judge/sequential.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { diffFor, difference, digestOf, testRules } from './build.ts'
import { SIGMA, simulateRun } from './simulate.ts'
import type { RunModel } from './simulate.ts'
import type { EarlyStop, ManifestRecord } from '../../../src/rundir/types.ts'

const rules = DEFAULT_RULES

function judgeRecords(records: ManifestRecord[], earlyStop?: EarlyStop) {
  return judge({
    records,
    diffs: [],
    rules,
    contractViolations: [],
    sample: { requested: records.length, drawn: records.length },
    ...(earlyStop ? { earlyStop } : {}),
  })
}

/** Feeds the records one by one as the pipeline does; the records up to the stop and the stop. */
function replay(records: ManifestRecord[]): { seen: ManifestRecord[]; stop: EarlyStop | null } {
  const sequential = new SequentialJudge(rules, records.length)
  for (let i = 0; i < records.length; i++) {
    const stop = sequential.addRecord(records[i]!)
    if (stop) return { seen: records.slice(0, i + 1), stop }
  }
  return { seen: records, stop: null }
}

test('the mixture likelihood ratio matches numeric integration of its definition', () => {
  for (const [k, n] of [
    [0, 1],
    [7, 10],
    [30, 40],
    [55, 100],
  ] as const) {
    const steps = 200_000
    let sum = 0
    for (let s = 0; s < steps; s++) {
      const q = 0.5 + (s + 0.5) / steps / 2
      sum += q ** k * (1 - q) ** (n - k)
    }
    const expected = Math.log((2 * (sum / steps / 2)) / 0.5 ** n)
    assert.ok(Math.abs(signMixtureLogRatio(k, n) - expected) < 1e-6, `k ${k} n ${n}`)
  }
})

test('continuous looking: over 10,000 clean runs, early stops plus final fails stay at or below alpha', () => {
  const model: RunModel = { manifests: 40, effect: 1, sigma: SIGMA }
  const runs = 10_000
  let falseAlarms = 0
  let stops = 0
  for (let run = 0; run < runs; run++) {
    const { seen, stop } = replay(simulateRun(model, run))
    if (stop) stops++
    if (judgeRecords(seen, stop ?? undefined).verdict === 'fail') falseAlarms++
  }
  assert.ok(falseAlarms / runs <= rules.gates.latency.alpha, `false alarms ${falseAlarms} of ${runs}`)
  assert.ok(stops <= falseAlarms, 'every early stop is a fail')
})

test('a 1.5x latency regression stops early, and the verdict fails on the sequential test', () => {
  const records = simulateRun({ manifests: 1000, effect: 1.5, sigma: SIGMA }, 7)
  const { seen, stop } = replay(records)
  assert.ok(stop, 'should stop')
  assert.equal(stop.gate, 'vulnerability-report-latency')
  assert.ok(stop.manifest < 200, `stopped at ${stop.manifest}`)
  assert.match(stop.why, /mSPRT.* ≥ 1\/α = 100/)
  const result = judgeRecords(seen, stop)
  assert.equal(result.verdict, 'fail')
  assert.match(result.reasons[0]!, new RegExp(`^stopped early at manifest ${stop.manifest} of 1000 \\(`))
  const gate = result.gates.find((g) => g.name === 'vulnerability-report-latency')!
  assert.equal(gate.decision, 'fail')
})

test('canary-only failures stop at the first one past the maximum, naming the manifest', () => {
  const records = simulateRun({ manifests: 400, effect: 1, sigma: SIGMA, canaryFailures: 0.05 }, 3)
  const first = records.findIndex((r) => r.canary_state === 'IndexError')
  const { seen, stop } = replay(records)
  assert.ok(stop)
  assert.equal(stop.gate, 'canary-only-failures')
  assert.equal(stop.manifest, first + 1)
  assert.equal(stop.digest, records[first]!.digest)
  assert.match(stop.why, /^1 manifest production indexed but the canary did not \(the latest index_error\)/)
  // The fixed-sample judge of the manifests read so far agrees: the stop never invents a failure.
  const result = judgeRecords(seen, stop)
  assert.equal(result.gates.find((g) => g.name === 'canary-only-failures')!.decision, 'fail')
  // With a larger allowance it waits for one more than allowed.
  const lenient = new SequentialJudge(testRules({ maxCanaryOnlyFailures: 2 }), records.length)
  let at = 0
  for (const r of records) if (lenient.addRecord(r)) break
  for (let i = 0, n = 0; i < records.length; i++)
    if (records[i]!.canary_state === 'IndexError' && ++n === 3) at = i + 1
  assert.equal(lenient.stop?.manifest, at)
})

test('code-attributed differences stop; drift, noise and allowed ones never do', () => {
  const sequential = new SequentialJudge(rules, 100)
  for (const attribution of ['drift', 'noise', 'allowed', 'by-design'] as const)
    assert.equal(sequential.addDiff(diffFor(1, [difference({ key: 'a', attribution })])), null)
  const stop = sequential.addDiff(diffFor(2, [difference({ key: 'b', report: 'vulnerability' })]))
  assert.equal(stop?.gate, 'vulnerability-differences')
  assert.equal(stop?.digest, digestOf(2))
})

test('a clean run never stops: a pass needs the planned sample', () => {
  const { stop } = replay(simulateRun({ manifests: 2000, effect: 1, sigma: SIGMA }, 11))
  assert.equal(stop, null)
})
