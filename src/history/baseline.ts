// What a run takes from earlier runs' history records: the trend of its branch, the nights its canary index
// latency is judged against (a robust baseline: median and MAD), and the fields learned as noisy. Pure.
import { formatMs, formatRatio, plural } from '../format.ts'
import type { Gate, NoisyField, RunHistory, TrendPoint } from '../rundir/types.ts'
import {
  canaryCode,
  signatureText,
  type FieldDifference,
  type FieldSignature,
  type HistoryRecord,
} from './record.ts'
import { MIN_NIGHTS } from '../config/default-rules.ts'

// The shapes run.json and result.json hold are part of the run directory's contract.
export type { NoisyField, RunHistory, TrendPoint }
export { MIN_NIGHTS }

/** How far above the nights' median, in MADs (scaled to a normal sd), a night-to-night wobble can reach. */
const MAD_BAND = 3
/** MAD to a normal distribution's standard deviation. */
const MAD_SCALE = 1.4826
/** A night counts as a scheduled run. */
export const NIGHT_EVENT = 'schedule'
/** A signature that differed on this many nights without a code change is noisy. */
const NOISY_NIGHTS = 2

export function trendPoint(record: HistoryRecord): TrendPoint {
  const index = record.latency.canary.index
  return {
    time: record.time,
    commit: record.commit,
    event: record.event,
    ...(record.run_id !== undefined ? { run_id: record.run_id } : {}),
    verdict: record.verdict,
    differences: record.differences,
    code_manifests: record.code_manifests,
    ...(index ? { canary_index: { p50: index.p50, p95: index.p95, count: index.count } } : {}),
    code: canaryCode(record),
  }
}

/** Newest first; records of the same run (a re-run attempt) count once, the newest attempt. */
function newestFirst(records: HistoryRecord[]): HistoryRecord[] {
  const sorted = [...records].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
  const seen = new Set<string>()
  return sorted.filter((r) => {
    const id = r.run_id !== undefined ? `run ${r.run_id}` : `${r.time} ${r.commit}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

export function isNight(record: Pick<HistoryRecord, 'event' | 'branch'>, defaultBranch: string): boolean {
  return record.event === NIGHT_EVENT && record.branch === defaultBranch
}

/**
 * What a run on `branch` takes from earlier records: its branch's last `depth` runs, the default branch's last
 * `depth` nights, and the fields noisy on those nights (with this run's own differences, when it is a night).
 */
export function runHistory(opts: {
  records: HistoryRecord[]
  depth: number
  branch: string
  defaultBranch: string
  source: string
  /** This run: its event and its code and noise differences. */
  current: { event: string; fields: FieldDifference[]; code: string; productionCode: string; time: string }
}): RunHistory {
  const records = newestFirst(opts.records).filter((r) => Date.parse(r.time) < Date.parse(opts.current.time))
  const nights = records.filter((r) => isNight(r, opts.defaultBranch)).slice(0, opts.depth)
  const currentIsNight = isNight({ event: opts.current.event, branch: opts.branch }, opts.defaultBranch)
  return {
    depth: opts.depth,
    branch: opts.branch,
    defaultBranch: opts.defaultBranch,
    source: opts.source,
    runs: records
      .filter((r) => r.branch === opts.branch)
      .slice(0, opts.depth)
      .map(trendPoint),
    nights: nights.map(trendPoint),
    noisy: learnNoisy([
      ...(currentIsNight
        ? [
            {
              time: opts.current.time,
              fields: opts.current.fields,
              code: opts.current.code,
              productionCode: opts.current.productionCode,
            },
          ]
        : []),
      ...nights.map((r) => ({
        time: r.time,
        fields: r.fields,
        code: canaryCode(r),
        productionCode: productionCode(r),
      })),
    ]),
  }
}

function productionCode(record: HistoryRecord): string {
  const v = record.clair.production
  return [v?.version, v?.revision, v?.claircore_version].filter(Boolean).join(' ')
}

/**
 * Signatures that differed on at least NOISY_NIGHTS nights without a code change: nights whose canary ran
 * production's own build (the nightly's design), or the same build as the night before. A difference a code
 * change brought would need that change; one that comes back with the same code is the data or the environment.
 * Nights newest first.
 */
export function learnNoisy(
  nights: Array<{ time: string; fields: FieldDifference[]; code: string; productionCode: string }>,
): NoisyField[] {
  const found = new Map<string, NoisyField & { keys: Set<string | undefined> }>()
  nights.forEach((night, i) => {
    const before = nights[i + 1]
    const unchanged =
      (night.productionCode !== '' && night.code === night.productionCode) ||
      (before !== undefined && before.code === night.code)
    const seenTonight = new Set<string>()
    for (const f of night.fields) {
      const text = signatureText(f)
      if (seenTonight.has(text)) continue
      seenTonight.add(text)
      let entry = found.get(text)
      if (!entry) {
        entry = {
          signature: signatureOf(f),
          text,
          nights: 0,
          of: nights.length,
          unchanged: 0,
          last: night.time,
          keys: new Set(),
        }
        found.set(text, entry)
      }
      entry.nights++
      if (unchanged) entry.unchanged++
      entry.keys.add(f.key)
    }
  })
  return [...found.values()]
    .filter((f) => f.unchanged >= NOISY_NIGHTS)
    .map(({ keys, ...f }): NoisyField => {
      const [key] = [...keys]
      return keys.size === 1 && key !== undefined ? { ...f, key } : f
    })
    .sort((a, b) => b.nights - a.nights || a.text.localeCompare(b.text))
}

function signatureOf(f: FieldDifference): FieldSignature {
  return {
    report: f.report,
    kind: f.kind,
    change: f.change,
    ...(f.ecosystem ? { ecosystem: f.ecosystem } : {}),
    ...(f.updater ? { updater: f.updater } : {}),
    ...(f.fields ? { fields: f.fields } : {}),
  }
}

/** The rules-file entry that would allow a noisy field (ignore matches whole differences, not single fields). */
export function noisyRuleYaml(f: NoisyField): string[] {
  const s = f.signature
  return [
    `  - report: ${s.report}`,
    `    kind: ${s.kind}`,
    `    change: ${s.change}`,
    ...(s.ecosystem ? [`    ecosystem: ${s.ecosystem}`] : []),
    ...(s.updater ? [`    updater: ${s.updater}`] : []),
    ...(f.key ? [`    key: ${JSON.stringify(f.key)}`] : []),
    `    reason: ${JSON.stringify(`noisy: differed on ${f.nights} of ${plural(f.of, 'night')}, ${f.unchanged} without a code change${s.fields?.length ? ` (${s.fields.join(', ')})` : ''}`)}`,
  ]
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Median and MAD (unscaled) of some values. */
export function medianAndMad(values: number[]): { median: number; mad: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const m = median(sorted)
  return { median: m, mad: median(sorted.map((v) => Math.abs(v - m)).sort((a, b) => a - b)) }
}

export const NIGHTS_GATE = 'index-latency-nights'

/**
 * The canary's own index latency (first-read p50 and p95) against the last nights: each quantile fails when it
 * is above both the nights' median times the effect floor and the median plus MAD_BAND scaled MADs. The floor
 * keeps a quiet baseline (MAD near 0) from failing on a few milliseconds; the MAD band keeps a noisy one from
 * failing on its own wobble. Too few nights is inconclusive, never a pass.
 */
export function nightsLatencyGate(
  current: { p50: number; p95: number } | undefined,
  history: Pick<RunHistory, 'nights' | 'defaultBranch' | 'depth'>,
  minEffect: number,
): Gate {
  const nights = history.nights.filter((n) => n.canary_index && n.canary_index.count > 0)
  const threshold = `p50 and p95 ≤ max(median × ${minEffect}, median + ${MAD_BAND} MAD) of the last ${plural(history.depth, 'night')}`
  const base = { name: NIGHTS_GATE, threshold }
  if (nights.length < MIN_NIGHTS)
    return {
      ...base,
      value: null,
      decision: 'inconclusive',
      detail: `${plural(nights.length, 'night')} on ${history.defaultBranch} with canary index latency, ${MIN_NIGHTS} needed: too few to judge against`,
    }
  if (!current)
    return {
      ...base,
      value: null,
      decision: 'inconclusive',
      detail: 'no canary index latency in this run to judge',
    }
  const parts: string[] = []
  const above: string[] = []
  let worst = 0
  for (const q of ['p50', 'p95'] as const) {
    const { median: m, mad } = medianAndMad(nights.map((n) => n.canary_index![q]))
    const limit = Math.max(m * minEffect, m + MAD_BAND * MAD_SCALE * mad)
    const ratio = m > 0 ? current[q] / m : Number.POSITIVE_INFINITY
    worst = Math.max(worst, ratio)
    parts.push(
      `${q} ${formatMs(current[q])} vs median ${formatMs(m)} (MAD ${formatMs(mad)}, limit ${formatMs(limit)})`,
    )
    if (current[q] > limit) above.push(`${q} ${formatRatio(ratio)} the median of the nights`)
  }
  const over = `canary index latency against ${plural(nights.length, 'night')} on ${history.defaultBranch}: ${parts.join('; ')}`
  return {
    ...base,
    value: formatRatio(worst),
    decision: above.length > 0 ? 'fail' : 'pass',
    detail: above.length > 0 ? `slower than past nights (${above.join(', ')}): ${over}` : over,
  }
}
