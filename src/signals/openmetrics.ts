// The run's figures as Prometheus metrics, so Grafana can show canary runs over time: metrics.txt in the run
// directory (OpenMetrics text, every sample stamped with the run's end, ready for `promtool tsdb
// create-blocks-from openmetrics`), and optionally a push to a Pushgateway (which refuses timestamps: it stamps
// samples itself). Gauges only, so the same lines are valid OpenMetrics and Prometheus text format 0.0.4.
import type { Logger } from '../log.ts'
import type { Result, RunInfo, Verdict } from '../rundir/types.ts'
import { errorMessage } from '../errors.ts'
import { request } from './http.ts'

interface Family {
  name: string
  help: string
  samples: Array<{ labels: Record<string, string>; value: number }>
}

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'inconclusive']
const DECISIONS = ['pass', 'fail', 'inconclusive', 'not-judged'] as const
// Not `quantile`: Prometheus keeps that label name for summaries.
const PERCENTILES = ['p50', 'p95', 'p99', 'max'] as const

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function families(result: Result, run: RunInfo): Family[] {
  const a = result.aggregates
  const out: Family[] = []
  const family = (name: string, help: string, samples: Family['samples']) =>
    out.push({ name: `clair_canary_${name}`, help, samples })

  const canary = run.sides.canary.version
  family('run_info', 'The run: seed and the versions both sides served.', [
    {
      labels: {
        seed: run.seed,
        canary_version: canary?.version ?? '',
        canary_revision: canary?.revision ?? '',
        production_version: run.sides.production.version?.version ?? '',
      },
      value: 1,
    },
  ])
  family(
    'verdict',
    'The verdict: 1 for the one reached, 0 for the others.',
    VERDICTS.map((v) => ({ labels: { verdict: v }, value: Number(result.verdict === v) })),
  )
  family(
    'gate_decision',
    'Each gate: 1 for its decision, 0 for the others.',
    result.gates.flatMap((g) =>
      DECISIONS.map((d) => ({ labels: { gate: g.name, decision: d }, value: Number(g.decision === d) })),
    ),
  )
  family(
    'gate_value',
    'The number each gate decided on (gates whose value is not a number are left out).',
    result.gates.flatMap((g) =>
      typeof g.value === 'number' && Number.isFinite(g.value)
        ? [{ labels: { gate: g.name }, value: g.value }]
        : [],
    ),
  )
  family(
    'counts',
    "result.json's counts: manifests, compared, different, errors, and differences by attribution.",
    Object.entries(result.counts).map(([count, value]) => ({ labels: { count }, value })),
  )
  // Summed over ecosystems: the cause (report, kind, change, attribution) is what a dashboard plots.
  const differences = new Map<string, { labels: Record<string, string>; value: number }>()
  for (const g of a.differences) {
    const labels = { report: g.report, kind: g.kind, change: g.change, attribution: g.attribution }
    const key = Object.values(labels).join('\0')
    const entry = differences.get(key) ?? { labels, value: 0 }
    entry.value += g.differences
    differences.set(key, entry)
  }
  family('differences', 'Differences between production and the canary, by cause.', [...differences.values()])
  family(
    'latency_seconds',
    'Latency of first reads, by operation, side and percentile (p50, p95, p99, max).',
    a.latency.requests.flatMap((l) =>
      PERCENTILES.map((percentile) => ({
        labels: { op: l.op, side: l.side, percentile },
        value: l[percentile] / 1000,
      })),
    ),
  )
  family(
    'errors',
    'Requests that ended in an error, by side, operation and class.',
    a.errors.map((e) => ({ labels: { side: e.side, op: e.op, class: e.class }, value: e.requests })),
  )
  if (a.signals)
    family('alerts', 'Alerts that fired for the canary during the run.', [
      { labels: {}, value: a.signals.alerts.length },
    ])
  family('run_end_timestamp_seconds', 'When the run ended.', [
    { labels: {}, value: Date.parse(run.finished_at ?? run.started_at) / 1000 },
  ])
  return out
}

function render(result: Result, run: RunInfo, timestamp: string | undefined): string {
  const lines: string[] = []
  for (const f of families(result, run)) {
    lines.push(`# TYPE ${f.name} gauge`, `# HELP ${f.name} ${f.help}`)
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`)
      lines.push(
        `${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${s.value}${timestamp ? ` ${timestamp}` : ''}`,
      )
    }
  }
  return lines.join('\n') + '\n'
}

/** metrics.txt: OpenMetrics, every sample stamped with the run's end (seconds). */
export function renderOpenMetrics(result: Result, run: RunInfo): string {
  const end = Date.parse(run.finished_at ?? run.started_at) / 1000
  return `${render(result, run, String(end))}# EOF\n`
}

/** What is pushed: Prometheus text format 0.0.4 without timestamps (the Pushgateway refuses them). */
export function renderExposition(result: Result, run: RunInfo): string {
  return render(result, run, undefined)
}

export const PUSH_JOB = 'clair-canary'

/** Pushes the run's metrics; a failure is one warning line, never a failed run. */
export async function pushMetrics(url: string, result: Result, run: RunInfo, log: Logger): Promise<boolean> {
  const target = new URL(`metrics/job/${PUSH_JOB}`, url.endsWith('/') ? url : `${url}/`).toString()
  try {
    const answer = await request(target, {
      method: 'PUT',
      body: renderExposition(result, run),
      headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
    })
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(`it answered ${answer.status}: ${answer.text.trim().split('\n')[0]}`)
    log.info(`signals: pushed the run's metrics to ${target}`)
    return true
  } catch (error) {
    log.warning(
      `signals: could not push the run's metrics to the Pushgateway at ${target}: ${errorMessage(error)}`,
    )
    return false
  }
}
