// Prints the latency gate's power table (README, "Latency power") from a seeded simulation with the real gate:
// the fraction of runs in which vulnerability-report-latency fails, by planted paired median ratio and number of
// pairs. `npx node scripts/latency-power.ts` (about a minute on one core).
import { vulnerabilityReportLatencyGate } from '../src/judge/latency.ts'
import { DEFAULT_RULES } from '../src/config/default-rules.ts'
import { SIGMA, simulateRun } from '../test/unit/judge/simulate.ts'

export function latencyFailRate(effect: number, manifests: number, runs: number): number {
  let fails = 0
  for (let run = 0; run < runs; run++) {
    const records = simulateRun({ manifests, effect, sigma: SIGMA }, run)
    if (vulnerabilityReportLatencyGate(records, DEFAULT_RULES.gates.latency).gate.decision === 'fail') fails++
  }
  return fails / runs
}

if (import.meta.main) {
  const effects = [1, 1.1, 1.2, 1.3, 1.5]
  const pairs = [50, 100, 200]
  const runs = 2000
  console.log(`| paired median ratio | ${pairs.map((n) => `${n} pairs`).join(' | ')} |`)
  console.log(`| --- | ${pairs.map(() => '---').join(' | ')} |`)
  for (const effect of effects)
    console.log(
      `| ${effect.toFixed(1)}× | ${pairs.map((n) => `${(100 * latencyFailRate(effect, n, runs)).toFixed(1)}%`).join(' | ')} |`,
    )
}
