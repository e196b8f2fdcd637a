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
  type RunSettings,
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

/** A night's sample within this factor of this run's, either way, gives quantiles of like precision. */
const SAMPLE_FACTOR = 2

/**
 * Why a night's canary index latency cannot be a baseline for this run's, or undefined when it can. Besides the
 * code under test, index latency depends on the load the canary is given (rate and concurrency: Clair's indexer
 * and its database queue), on whether it indexes afresh (without delete-first, Clair answers a manifest it knows
 * from its store), on the mix of manifests (source and strata) and where their layers come from (fetching is most
 * of an index), and, for p95, on the sample size. The canary's release is what is judged, so it is not compared;
 * production's does not matter, since production is only read. Both runs' settings must be known.
 */
export function notComparable(
  night: Pick<HistoryRecord, 'settings' | 'sample'>,
  current: { settings: RunSettings; manifests: number },
): string | undefined {
  const s = night.settings
  const c = current.settings
  if (!s) return 'its record keeps no settings (written by an older clair-canary)'
  const load = [
    s.rate !== c.rate ? `rate ${s.rate ?? '?'}/s (this run ${c.rate ?? '?'}/s)` : '',
    s.concurrency !== c.concurrency
      ? `concurrency ${s.concurrency ?? '?'} (this run ${c.concurrency ?? '?'})`
      : '',
    s.legs !== c.legs ? `${plural(s.legs, 'leg')} (this run ${c.legs})` : '',
  ].filter(Boolean)
  if (load.length > 0) return `another load: ${load.join(', ')}`
  if (s.delete_first !== c.delete_first)
    return `delete-first ${s.delete_first ?? '?'} (this run ${c.delete_first ?? '?'})`
  if (s.source !== c.source) return `another sample: ${s.source ?? '?'} (this run ${c.source ?? '?'})`
  if (s.layers !== c.layers) return `layers ${s.layers ?? '?'} (this run ${c.layers ?? '?'})`
  const n = night.sample.manifests
  if (n * SAMPLE_FACTOR < current.manifests || n > current.manifests * SAMPLE_FACTOR)
    return `${plural(n, 'manifest')} (this run ${current.manifests}; within ${SAMPLE_FACTOR}× needed)`
  return undefined
}

/**
 * What a run on `branch` takes from earlier records: its branch's last `depth` runs, the default branch's last
 * `depth` nights (those comparable with this run as its latency baseline, the others set aside with why), and the
 * fields noisy on those nights (with this run's own differences, when it is a night).
 */
export function runHistory(opts: {
  records: HistoryRecord[]
  depth: number
  branch: string
  defaultBranch: string
  source: string
  /** This run: its event, code and noise differences, settings and manifests. */
  current: {
    event: string
    fields: FieldDifference[]
    code: string
    productionCode: string
    time: string
    settings: RunSettings
    manifests: number
  }
  /** Why the records could not be read, when they could not. */
  unavailable?: string
}): RunHistory {
  const records = newestFirst(opts.records).filter((r) => Date.parse(r.time) < Date.parse(opts.current.time))
  const nights = records.filter((r) => isNight(r, opts.defaultBranch)).slice(0, opts.depth)
  const currentIsNight = isNight({ event: opts.current.event, branch: opts.branch }, opts.defaultBranch)
  const comparable: HistoryRecord[] = []
  const setAside: NonNullable<RunHistory['set_aside']> = []
  for (const night of nights) {
    const why = notComparable(night, opts.current)
    if (why === undefined) comparable.push(night)
    else
      setAside.push({
        time: night.time,
        ...(night.run_id !== undefined ? { run_id: night.run_id } : {}),
        why,
      })
  }
  return {
    depth: opts.depth,
    branch: opts.branch,
    defaultBranch: opts.defaultBranch,
    source: opts.source,
    ...(opts.unavailable !== undefined ? { unavailable: opts.unavailable } : {}),
    runs: records
      .filter((r) => r.branch === opts.branch)
      .slice(0, opts.depth)
      .map(trendPoint),
    nights: comparable.map(trendPoint),
    set_aside: setAside,
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
      // Noise in the reports does not depend on load: every night counts.
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
 * "6 comparable nights on main (2 set aside: 2026-11-03 another load: …; …)": the baseline and what was left out.
 * `shown` set-aside nights are named; the rest are counted.
 */
export function nightsUsed(
  history: Pick<RunHistory, 'nights' | 'set_aside' | 'defaultBranch'>,
  shown = 1,
): string {
  const aside = history.set_aside ?? []
  const named = aside
    .slice(0, shown)
    .map((n) => `${n.time.slice(0, 10)}: ${n.why}`)
    .join('; ')
  const more = aside.length > shown ? `; ${aside.length - shown} more` : ''
  return `${plural(history.nights.length, 'comparable night')} on ${history.defaultBranch}${
    aside.length > 0 ? ` (${aside.length} set aside: ${named}${more})` : ''
  }`
}

/**
 * The canary's own index latency (first-read p50 and p95) against the last comparable nights: each quantile fails
 * when it is above both the nights' median times the effect floor and the median plus MAD_BAND scaled MADs. The
 * floor keeps a quiet baseline (MAD near 0) from failing on a few milliseconds; the MAD band keeps a noisy one
 * from failing on its own wobble. With too few comparable nights, or no history read, it is not judged: the
 * verdict rests on the other gates (the paired latency gate judges every run against production).
 */
export function nightsLatencyGate(
  current: { p50: number; p95: number } | undefined,
  history: Pick<RunHistory, 'nights' | 'set_aside' | 'unavailable' | 'defaultBranch' | 'depth'>,
  minEffect: number,
): Gate {
  const nights = history.nights.filter((n) => n.canary_index && n.canary_index.count > 0)
  const threshold = `p50 and p95 ≤ max(median × ${minEffect}, median + ${MAD_BAND} MAD) of the last ${plural(history.depth, 'night')}, comparable ones only`
  const base = { name: NIGHTS_GATE, threshold }
  const notJudged = (why: string): Gate => ({ ...base, value: null, decision: 'not-judged', detail: why })
  if (history.unavailable !== undefined) return notJudged(`no history read: ${history.unavailable}`)
  const used = nightsUsed({ ...history, nights }, 3)
  if (nights.length < MIN_NIGHTS)
    return notJudged(`${used} with canary index latency, ${MIN_NIGHTS} needed: too few to judge against`)
  if (!current) return notJudged('no canary index latency in this run to judge')
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
  const over = `canary index latency against ${used}: ${parts.join('; ')}`
  return {
    ...base,
    value: formatRatio(worst),
    decision: above.length > 0 ? 'fail' : 'pass',
    detail: above.length > 0 ? `slower than past nights (${above.join(', ')}): ${over}` : over,
  }
}
