// The latency gates: paired vulnerability-report reads (the canary against production on the same manifest)
// and the canary's own index POSTs. Pure.
import type { LatencyThresholds } from '../config/types.ts'
import type {
  Decision,
  Gate,
  LatencyFigures,
  LatencyQuantiles,
  ManifestRecord,
  Operation,
  PairedLatency,
  RequestRecord,
  TailTest,
} from '../rundir/types.ts'
import { formatMs, formatP, formatRatio, plural } from '../format.ts'
import {
  mcnemarExact,
  medianInterval,
  quantileSorted,
  sortedAscending,
  wilcoxonSignedRank,
} from './statistics.ts'

/** Fewer paired vulnerability-report reads than this and the latency comparison is inconclusive. */
export const MIN_LATENCY_PAIRS = 10
/** Routes in front of Clair cut requests at five minutes, whatever Quay's own 600 s timeout says. */
export const ROUTE_TIMEOUT_MS = 300_000
/** Latencies are floored at this before taking ratios, so a 0 ms read cannot divide by zero. */
const LATENCY_FLOOR_MS = 0.001

/** Error classes of a request that got no answer at all: the side was not reached. */
export const NO_ANSWER: readonly string[] = ['connection']

/** The first read of a report (re-reads carry read: 1). */
export function isFirstRead(r: RequestRecord): boolean {
  return r.read === undefined || r.read === 0
}

function summarize(sorted: number[]): LatencyQuantiles {
  return {
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

const OPS: readonly Operation[] = ['index', 'index_report', 'vulnerability_report', 'delete_index_report']

export function latencyFigures(records: ManifestRecord[]): LatencyFigures[] {
  const values = new Map<string, number[]>()
  for (const record of records)
    for (const r of record.requests) {
      if (!isFirstRead(r)) continue
      const id = `${r.op}/${r.side}`
      const list = values.get(id)
      if (list) list.push(r.latency_ms)
      else values.set(id, [r.latency_ms])
    }
  const out: LatencyFigures[] = []
  for (const op of OPS)
    for (const side of ['canary', 'production'] as const) {
      const list = values.get(`${op}/${side}`)
      if (list) out.push({ op, side, count: list.length, ...summarize(sortedAscending(list)) })
    }
  return out
}

export function startLag(records: ManifestRecord[]): { p95: number; max: number } | null {
  const lags: number[] = []
  for (const record of records) for (const r of record.requests) lags.push(r.start_lag_ms)
  if (lags.length === 0) return null
  const sorted = sortedAscending(lags)
  return { p95: quantileSorted(sorted, 0.95), max: sorted[sorted.length - 1]! }
}

function succeeded(r: RequestRecord | undefined): r is RequestRecord {
  return r !== undefined && r.error === undefined && r.status !== null && r.status >= 200 && r.status < 300
}

/**
 * One manifest's first vulnerability-report reads on both sides, when both succeeded: [canary, production] in
 * ms, floored so a ratio never divides by zero. Null otherwise. The gate and the sequential test read pairs
 * through this.
 */
export function vulnerabilityReportPair(record: ManifestRecord): [number, number] | null {
  const c = record.requests.find(
    (r) => r.op === 'vulnerability_report' && r.side === 'canary' && isFirstRead(r),
  )
  const p = record.requests.find(
    (r) => r.op === 'vulnerability_report' && r.side === 'production' && isFirstRead(r),
  )
  if (!succeeded(c) || !succeeded(p)) return null
  return [Math.max(c.latency_ms, LATENCY_FLOOR_MS), Math.max(p.latency_ms, LATENCY_FLOOR_MS)]
}

/**
 * Paired vulnerability-report latency. Two ways to fail, each needing certainty AND an effect above its
 * floor, so significance alone never fails:
 * - location: the paired ratio (exp of the median of log(canary/production)) is above minEffect, and the
 *   one-sided (1 - alpha/3) lower confidence bound of that median (sign-test interval, distribution-free) is
 *   above 1, so the canary is certainly slower. No separate p50-ratio condition: a 1.3x regression is
 *   caught at 100 pairs with at least 95% power (the power table in the README, test/unit/judge/latency-power);
 * - tail (p95, p99): that quantile's ratio > max(maxRatio, minEffect), and the canary exceeds the pooled
 *   quantile on significantly more pairs than production does (exact McNemar). This catches a slow tail
 *   with an unchanged median, which a location test is blind to.
 * The three tests are each held to alpha / 3 (Bonferroni). Wilcoxon's signed-rank p-value is shown, not judged.
 */
export function vulnerabilityReportLatencyGate(
  records: ManifestRecord[],
  t: LatencyThresholds,
): { gate: Gate; paired: PairedLatency | null } {
  const name = 'vulnerability-report-latency'
  const threshold = `paired ratio ≤ ${t.minEffect}× (or not certainly > 1×), p95/p99 ≤ ${t.maxRatio.p95}×/${t.maxRatio.p99}×, α ${t.alpha}`
  const canary: number[] = []
  const production: number[] = []
  for (const record of records) {
    const pair = vulnerabilityReportPair(record)
    if (!pair) continue
    canary.push(pair[0])
    production.push(pair[1])
  }
  const n = canary.length
  if (n === 0)
    return {
      gate: {
        name,
        value: null,
        threshold,
        decision: 'inconclusive',
        detail: `no vulnerability report was read from both sides`,
      },
      paired: null,
    }

  const logRatios = canary.map((c, i) => Math.log(c / production[i]!))
  const wilcoxon = wilcoxonSignedRank(logRatios)
  const alphaPerTest = t.alpha / 3
  // Two-sided level 1 - 2a gives the one-sided bound at a: the lower end is what the location test judges.
  const interval = medianInterval(logRatios, 1 - 2 * alphaPerTest)
  const medianRatio = Math.exp(interval.median)
  const cq = summarize(sortedAscending(canary))
  const pq = summarize(sortedAscending(production))
  const ratios = { p50: cq.p50 / pq.p50, p95: cq.p95 / pq.p95, p99: cq.p99 / pq.p99 }
  const pooled = sortedAscending([...canary, ...production])
  const tails: TailTest[] = (['p95', 'p99'] as const).map((quantile) => {
    const limit = quantileSorted(pooled, quantile === 'p95' ? 0.95 : 0.99)
    let canaryAbove = 0
    let productionAbove = 0
    canary.forEach((c, i) => {
      const p = production[i]!
      if (c > limit && p <= limit) canaryAbove++
      else if (p > limit && c <= limit) productionAbove++
    })
    return {
      quantile,
      threshold_ms: limit,
      canaryAbove,
      productionAbove,
      p: mcnemarExact(canaryAbove, productionAbove).pGreater,
    }
  })
  const paired: PairedLatency = {
    op: 'vulnerability_report',
    pairs: n,
    canary: cq,
    production: pq,
    ratios,
    medianRatio,
    medianRatioInterval: {
      lower: interval.lower === null ? null : Math.exp(interval.lower),
      upper: interval.upper === null ? null : Math.exp(interval.upper),
      level: interval.level,
    },
    wilcoxon: {
      n: wilcoxon.n,
      zeros: wilcoxon.zeros,
      exact: wilcoxon.exact,
      pGreater: wilcoxon.pGreater,
      pTwoSided: wilcoxon.pTwoSided,
    },
    tails,
    alphaPerTest,
    decidedBy: 'none',
  }

  const quantileText = `p50 ${formatRatio(ratios.p50)}, p95 ${formatRatio(ratios.p95)}, p99 ${formatRatio(ratios.p99)}`
  const value = `median paired ${formatRatio(medianRatio)}; ${quantileText}`
  const alphaText = `${formatAlpha(alphaPerTest)} (α ${t.alpha} / 3 tests)`
  const effectText = `median paired ratio ${formatRatio(medianRatio)}${formatInterval(paired.medianRatioInterval)}`
  const wilcoxonText = `Wilcoxon signed-rank ${formatP(wilcoxon.pGreater)} over ${plural(n, 'pair')}`
  const decided = (decision: Decision, detail: string) => ({
    gate: { name, value, threshold, decision, detail },
    paired,
  })

  if (n < MIN_LATENCY_PAIRS)
    return decided(
      'inconclusive',
      `only ${plural(n, 'paired vulnerability-report read')} (${MIN_LATENCY_PAIRS} needed to compare latency)`,
    )

  const overRatio = (['p95', 'p99'] as const).filter((q) => ratios[q] > t.maxRatio[q])
  const lower = paired.medianRatioInterval.lower
  const certain = lower !== null && lower > 1
  const location = certain && medianRatio > t.minEffect
  if (location) {
    paired.decidedBy = 'location'
    return decided(
      'fail',
      `canary slower: ${effectText} > ${t.minEffect}× floor, and its one-sided ${formatLevel(1 - alphaPerTest)} lower bound ${formatRatio(lower)} > 1× (${alphaText}); ${quantileText}; ${wilcoxonText}`,
    )
  }
  const tailFail = [...tails]
    .reverse()
    .find((tt) => ratios[tt.quantile] > Math.max(t.maxRatio[tt.quantile], t.minEffect) && tt.p < alphaPerTest)
  if (tailFail) {
    const q = tailFail.quantile
    paired.decidedBy = `tail ${q}`
    return decided(
      'fail',
      `slow tail: ${q} ${formatRatio(ratios[q])} > ${t.maxRatio[q]}× (canary ${formatMs(cq[q])} vs production ${formatMs(pq[q])}), ` +
        `and the canary exceeds the pooled ${q} (${formatMs(tailFail.threshold_ms)}) on ${tailFail.canaryAbove} pairs vs production ${tailFail.productionAbove} ` +
        `(exact McNemar ${formatP(tailFail.p)} < ${alphaText}); ${effectText}`,
    )
  }

  // Passing: say which condition held back a failure, so no number shown seems to contradict the decision.
  const parts = [
    overRatio.length === 0
      ? `p95 and p99 ratios within their limits (${quantileText})`
      : `${overRatio.map((q) => `${q} ${formatRatio(ratios[q])} > ${t.maxRatio[q]}×`).join(', ')}`,
    `${effectText} ${medianRatio > t.minEffect ? 'above' : 'within'} the ${t.minEffect}× effect floor`,
    lower === null
      ? `too few pairs for a lower confidence bound at ${alphaText}`
      : `one-sided ${formatLevel(1 - alphaPerTest)} lower bound ${formatRatio(lower)} ${certain ? '>' : '≤'} 1× (${alphaText})`,
  ]
  const tailOver = tails.filter((tt) => ratios[tt.quantile] > t.maxRatio[tt.quantile])
  for (const tt of tailOver)
    parts.push(
      `${tt.quantile} tail: canary above the pooled ${tt.quantile} on ${tt.canaryAbove} pairs vs production ${tt.productionAbove}, ${formatP(tt.p)}, not significant`,
    )
  const why = `no regression both significant and large: ${parts.join('; ')}`
  return decided('pass', why)
}

function formatAlpha(alpha: number): string {
  return Number(alpha.toPrecision(2)).toString()
}

function formatLevel(level: number): string {
  return `${Number((level * 100).toPrecision(3))}%`
}

function formatInterval(i: { lower: number | null; upper: number | null; level: number | null }): string {
  if (i.lower === null || i.upper === null || i.level === null) return ''
  return ` (${Math.floor(i.level * 100)}% CI ${formatRatio(i.lower)}–${formatRatio(i.upper)})`
}

export function indexLatencyGate(records: ManifestRecord[], t: LatencyThresholds): Gate {
  // A request that got no answer (refused, reset, no route) took no indexing time: counting its few
  // milliseconds would let a canary that is down pass on latency. Timeouts stay: they are the slowest answers.
  const values: number[] = []
  let unanswered = 0
  for (const record of records)
    for (const r of record.requests)
      if (r.op === 'index' && r.side === 'canary' && isFirstRead(r)) {
        if (r.error !== undefined && NO_ANSWER.includes(r.error)) unanswered++
        else values.push(r.latency_ms)
      }
  const maxLimit = Math.min(t.indexMaxMs, ROUTE_TIMEOUT_MS)
  const threshold = `p95 ≤ ${formatMs(t.indexP95Ms)}, max ≤ ${formatMs(maxLimit)}${
    maxLimit === ROUTE_TIMEOUT_MS ? ' (route timeout)' : ''
  }`
  if (values.length === 0)
    return {
      name: 'index-latency',
      value: null,
      threshold,
      decision: 'inconclusive',
      detail:
        unanswered > 0
          ? `no canary index request got an answer (${plural(unanswered, 'request')} failed without one), so there is no latency to judge`
          : 'no canary index request was recorded',
    }
  const q = summarize(sortedAscending(values))
  const value = `p95 ${formatMs(q.p95)}, max ${formatMs(q.max)}`
  const problems: string[] = []
  if (q.p95 > t.indexP95Ms) problems.push(`p95 ${formatMs(q.p95)} > ${formatMs(t.indexP95Ms)}`)
  if (q.max > maxLimit) {
    const atRoute = values.filter((v) => v >= ROUTE_TIMEOUT_MS).length
    problems.push(
      `max ${formatMs(q.max)} > ${formatMs(maxLimit)}${atRoute > 0 ? ` (${plural(atRoute, 'request')} at or past the 5 min route timeout)` : ''}`,
    )
  }
  const base = `canary index requests over ${plural(values.length, 'manifest')} (failed answers and timeouts included${unanswered ? `; ${unanswered} without an answer left out` : ''}): p50 ${formatMs(q.p50)}, p95 ${formatMs(q.p95)}, p99 ${formatMs(q.p99)}, max ${formatMs(q.max)}`
  return problems.length > 0
    ? {
        name: 'index-latency',
        value,
        threshold,
        decision: 'fail',
        detail: `${problems.join('; ')} — ${base}`,
      }
    : { name: 'index-latency', value, threshold, decision: 'pass', detail: base }
}
