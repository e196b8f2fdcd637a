// Anytime-valid early stop: sequential tests checked after every finished manifest, so a run whose
// regression is already certain stops and fails there instead of waiting for its planned sample. A pass
// still needs the planned sample: nothing here ever stops a run to pass it.
//
// - canary-only failures and code-attributed differences are counts judged against a maximum: once the
//   count exceeds it, the gate fails whatever the rest of the sample holds (a count never shrinks and a
//   failed gate decides the verdict), so stopping there gives the verdict the full sample would.
// - latency is a mixture sequential probability ratio test (mSPRT; Lindon, Sanden and Shirikian, "Rapid
//   Regression Detection in Software Deployments through Sequential Testing", KDD 2022) on the signs of
//   log(canary / production) - log(minEffect): under "the paired median ratio is at most the effect floor"
//   a pair lands above the floor with probability q <= 1/2. The likelihood ratio of q mixed uniformly over
//   (1/2, 1] against q = 1/2 is a nonnegative supermartingale under that hypothesis, so by Ville's
//   inequality it ever reaches 1/alpha with probability at most alpha, however often it is looked at.
import { sideOutcome } from './judge.ts'
import { vulnerabilityReportPair } from './latency.ts'
import { binomialCdf, lnGamma } from './statistics.ts'
import { formatRatio, plural } from '../format.ts'
import type { Rules } from '../config/types.ts'
import type { EarlyStop, ManifestDiff, ManifestRecord } from '../rundir/types.ts'

/**
 * log of the mixture likelihood ratio for k pairs above the floor out of n:
 * 2 * integral over q in (1/2, 1] of q^k (1-q)^(n-k) dq / (1/2)^n, where the integral is
 * B(k+1, n-k+1) * P(Binomial(n+1, 1/2) <= k) (the regularized incomplete beta at 1/2 as a binomial tail).
 */
export function signMixtureLogRatio(k: number, n: number): number {
  if (n === 0) return 0
  const logBeta = lnGamma(k + 1) + lnGamma(n - k + 1) - lnGamma(n + 2)
  return Math.LN2 * (n + 1) + logBeta + Math.log(binomialCdf(k, n + 1))
}

export class SequentialJudge {
  private readonly rules: Rules
  private readonly planned: number
  private manifests = 0
  private canaryOnly = 0
  private readonly code = { index: new Set<string>(), vulnerability: new Set<string>() }
  private above = 0
  private pairs = 0
  private logRatios: number[] = []
  private stopped: EarlyStop | null = null

  constructor(rules: Rules, planned: number) {
    this.rules = rules
    this.planned = planned
  }

  /** The stop, once one was found. */
  get stop(): EarlyStop | null {
    return this.stopped
  }

  /**
   * One finished manifest (its first reads of both sides are in). Returns the early stop once a regression is
   * certain, and keeps returning it.
   */
  addRecord(record: ManifestRecord): EarlyStop | null {
    if (this.stopped) return this.stopped
    this.manifests++
    const canary = sideOutcome(record, 'canary')
    const production = sideOutcome(record, 'production')
    if (canary.status === 'failed' && production.status === 'ok') {
      this.canaryOnly++
      const max = this.rules.gates.maxCanaryOnlyFailures
      if (this.canaryOnly > max)
        return this.halt(
          'canary-only-failures',
          record.digest,
          `${plural(this.canaryOnly, 'manifest')} production indexed but the canary did not (the latest ${canary.class}), more than the ${max} allowed: no further manifest can undo that`,
        )
    }
    const pair = vulnerabilityReportPair(record)
    if (pair) return this.addPair(record.digest, Math.log(pair[0] / pair[1]))
    return null
  }

  /** One manifest's differences, once compared. Only differences attributed to code count. */
  addDiff(diff: ManifestDiff): EarlyStop | null {
    if (this.stopped) return this.stopped
    for (const report of ['index', 'vulnerability'] as const) {
      if (!diff.differences.some((d) => d.report === report && d.attribution === 'code')) continue
      const seen = this.code[report]
      seen.add(diff.digest)
      const max = this.rules.gates.maxCodeDifferences[report]
      if (seen.size > max)
        return this.halt(
          `${report}-differences`,
          diff.digest,
          `${plural(seen.size, 'manifest')} with unexplained ${report} report differences, more than the ${max} allowed`,
        )
    }
    return null
  }

  private addPair(digest: string, logRatio: number): EarlyStop | null {
    const t = this.rules.gates.latency
    const floor = Math.log(t.minEffect)
    this.logRatios.push(logRatio)
    // A pair exactly on the floor says nothing either way (the sign test drops zeros).
    if (logRatio === floor) return null
    this.pairs++
    if (logRatio > floor) this.above++
    const logLr = signMixtureLogRatio(this.above, this.pairs)
    if (logLr < Math.log(1 / t.alpha)) return null
    const sorted = Float64Array.from(this.logRatios).sort()
    const median = Math.exp(sorted[Math.floor((sorted.length - 1) / 2)]!)
    return this.halt(
      'vulnerability-report-latency',
      digest,
      `the canary is slower by more than the ${t.minEffect}× effect floor on ${this.above} of ${plural(this.pairs, 'pair')} (median paired ratio ${formatRatio(median)}); ` +
        `sequential sign test (mSPRT) likelihood ratio ${Math.exp(logLr).toPrecision(3)} ≥ 1/α = ${1 / t.alpha}, valid however often it is checked`,
    )
  }

  private halt(gate: string, digest: string, why: string): EarlyStop {
    this.stopped = { gate, manifest: this.manifests, planned: this.planned, digest, why }
    return this.stopped
  }
}
