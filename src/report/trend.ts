// The trend over this run and the earlier runs of its branch (result.aggregates.history), shared by summary.md
// and report.html. Pure.
import { medianAndMad, nightsUsed } from '../history/baseline.ts'
import { formatMs } from '../format.ts'
import type { Attribution, Decision, NoisyField, Result, RunHistory, RunInfo } from '../rundir/types.ts'

export interface TrendRow {
  /** "this run" or the day (YYYY-MM-DD) of an earlier run. */
  when: string
  commit: string
  event: string
  verdict: Decision
  differences: Record<Attribution, number>
  canaryIndex?: { p50: number; p95: number }
}

export interface Trend {
  branch: string
  defaultBranch: string
  depth: number
  /** This run first, then earlier runs newest first. */
  rows: TrendRow[]
  nights: number
  /** "6 comparable nights on main (2 set aside: …)": what the nights gate judged against, and what it left out. */
  baseline: string
  /** Why no earlier records could be read, when they could not. */
  unavailable?: string
  noisy: NoisyField[]
}

/** The trend of a result judged with history, or undefined when the run kept none. */
export function trendOf(result: Result, run: RunInfo): Trend | undefined {
  const a = result.aggregates
  const history: RunHistory | undefined = a.history ?? run.history
  if (!history) return undefined
  const { code, drift, noise, allowed } = result.counts
  const differences = { code, drift, 'by-design': result.counts['by-design'], noise, allowed }
  const index = a.latency.requests.find((f) => f.op === 'index' && f.side === 'canary')
  // run.json's config holds the history options: this run's commit and event.
  const own = (run.config as { history?: { commit?: string; event?: string } } | undefined)?.history
  return {
    branch: history.branch,
    defaultBranch: history.defaultBranch,
    depth: history.depth,
    rows: [
      {
        when: 'this run',
        commit: own?.commit ?? '',
        event: own?.event ?? '',
        verdict: result.verdict,
        differences,
        ...(index ? { canaryIndex: { p50: index.p50, p95: index.p95 } } : {}),
      },
      ...history.runs.map((r): TrendRow => ({
        when: r.time.slice(0, 10),
        commit: r.commit,
        event: r.event,
        verdict: r.verdict,
        differences: r.differences,
        ...(r.canary_index ? { canaryIndex: { p50: r.canary_index.p50, p95: r.canary_index.p95 } } : {}),
      })),
    ],
    nights: history.nights.length,
    baseline: baselineText(history),
    ...(history.unavailable !== undefined ? { unavailable: history.unavailable } : {}),
    noisy: history.noisy,
  }
}

/** The nights the index latency is judged against, what was set aside, and where the baseline stands. */
function baselineText(history: RunHistory): string {
  const latencies = history.nights.flatMap((n) => (n.canary_index?.count ? [n.canary_index] : []))
  if (latencies.length === 0) return nightsUsed(history, 3)
  const p50 = medianAndMad(latencies.map((l) => l.p50)).median
  const p95 = medianAndMad(latencies.map((l) => l.p95)).median
  return `${nightsUsed(history, 3)}; their median canary index p50 / p95: ${formatMs(p50)} / ${formatMs(p95)}`
}
