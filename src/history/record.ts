// A run's history record (history.json): a few kilobytes that outlive the run directory, so later runs can show
// trends, judge the canary's index latency against past nights and learn which fields are noisy. Pure.
import { UserError } from '../errors.ts'
import { countByCause } from '../compare/attribute.ts'
import type {
  Attribution,
  Decision,
  FieldSignature,
  GateDecision,
  ManifestDiff,
  Result,
  RunInfo,
  SideInfo,
} from '../rundir/types.ts'

export type { FieldSignature }

export const HISTORY_SCHEMA = 'clair-canary/history/v1'

/** Where and why the run ran: the branch and commit under test and the event (push, schedule, pull_request…). */
export interface HistoryContext {
  branch: string
  commit: string
  event: string
  /** The workflow run, when on GitHub. */
  runId?: number
}

export interface Quantiles {
  p50: number
  p95: number
  p99: number
  count: number
}

export interface FieldDifference extends FieldSignature {
  attribution: Attribution
  /** Manifests with this difference in the run. */
  manifests: number
  /** The content key, when every difference of this signature had the same one. */
  key?: string
}

export interface HistoryRecord {
  schema: typeof HISTORY_SCHEMA
  /** When the run started (ISO 8601). */
  time: string
  branch: string
  commit: string
  event: string
  run_id?: number
  tool_version: string
  /** The Clair builds as their /metrics named them. */
  clair: { canary: SideInfo['version'] | null; production: SideInfo['version'] | null }
  sample: { requested: number; manifests: number; compared: number }
  verdict: Decision
  gates: Array<{ name: string; decision: GateDecision; value: number | string | null }>
  /** First-read latency per side and operation, as the judge summarised it. */
  latency: {
    canary: { index?: Quantiles; vulnerability_report?: Quantiles }
    production: { index_report?: Quantiles; vulnerability_report?: Quantiles }
  }
  /** Differences by attribution (each difference counted once). */
  differences: Record<Attribution, number>
  /** Manifests with at least one code-attributed difference. */
  code_manifests: number
  /** Code and noise differences by signature, most manifests first (at most MAX_FIELDS). */
  fields: FieldDifference[]
  /** Signatures learned as noisy when this run was judged (see noise.ts), by signatureText. */
  noisy: string[]
  /** What the canary's index latency depends on besides its code (baseline.ts compares them); absent in old records. */
  settings?: RunSettings
}

/**
 * The settings a run's canary index latency depends on, besides the code under test: the load the canary was
 * given (all legs of a sharded run together), whether it indexed afresh, and where the manifests and their layers
 * came from. Null when run.json did not say.
 */
export interface RunSettings {
  /** Index requests started per second, all legs together. */
  rate: number | null
  /** Requests in flight on the canary, all legs together. */
  concurrency: number | null
  legs: number
  /** Each manifest deleted from the canary first: without it, Clair answers a known manifest from its store. */
  delete_first: boolean | null
  /** The sample: "quay-db, strata media_type,recency" or "manifests file". */
  source: string | null
  /** How layer URLs were made (s3, registry, template), or "as given". */
  layers: string | null
}

/** A run's settings, from run.json's config (the merge job's is its first leg's, with the legs counted). */
export function runSettings(config: unknown): RunSettings {
  const c = (config ?? {}) as {
    replay?: { rate?: unknown; concurrency?: unknown; deleteFirst?: unknown }
    shard?: { total?: unknown }
    source?: { kind?: unknown; sampler?: { strata?: unknown }; layers?: { mode?: unknown } }
  }
  const legs = typeof c.shard?.total === 'number' ? c.shard.total : 1
  const num = (v: unknown) => (typeof v === 'number' ? v * legs : null)
  const source = c.source
  const strata = Array.isArray(source?.sampler?.strata) ? source.sampler.strata.join(',') : ''
  return {
    rate: num(c.replay?.rate),
    concurrency: num(c.replay?.concurrency),
    legs,
    delete_first: typeof c.replay?.deleteFirst === 'boolean' ? c.replay.deleteFirst : null,
    source:
      source?.kind === 'quay-db'
        ? `quay-db${strata ? `, strata ${strata}` : ', no strata'}`
        : source?.kind === 'jsonl'
          ? 'manifests file'
          : null,
    layers: typeof source?.layers?.mode === 'string' ? source.layers.mode : source ? 'as given' : null,
  }
}

/** Enough for every distinct kind of difference a real run shows; the record stays a few kilobytes. */
export const MAX_FIELDS = 50

/** One line naming a signature: "vulnerability vulnerability changed (dpkg, debian/updater): severity". */
export function signatureText(s: FieldSignature): string {
  const scope = [s.ecosystem, s.updater].filter(Boolean).join(', ')
  return `${s.report} ${s.kind} ${s.change}${scope ? ` (${scope})` : ''}${s.fields?.length ? `: ${s.fields.join(', ')}` : ''}`
}

/** The record of a judged run. */
export function historyRecord(input: {
  result: Result
  run: RunInfo
  diffs: ManifestDiff[]
  context: HistoryContext
  noisy?: string[]
}): HistoryRecord {
  const { result, run, diffs, context } = input
  const figures = result.aggregates.latency.requests
  const quantiles = (op: string, side: string): Quantiles | undefined => {
    const f = figures.find((x) => x.op === op && x.side === side)
    return f ? { p50: f.p50, p95: f.p95, p99: f.p99, count: f.count } : undefined
  }
  const { differences, codeManifests, fields } = differencesByCause(diffs)
  const canaryIndex = quantiles('index', 'canary')
  const canaryVuln = quantiles('vulnerability_report', 'canary')
  const productionIndex = quantiles('index_report', 'production')
  const productionVuln = quantiles('vulnerability_report', 'production')
  return {
    schema: HISTORY_SCHEMA,
    time: run.started_at,
    branch: context.branch,
    commit: context.commit,
    event: context.event,
    ...(context.runId !== undefined ? { run_id: context.runId } : {}),
    tool_version: run.tool.version,
    clair: { canary: run.sides.canary.version ?? null, production: run.sides.production.version ?? null },
    sample: {
      requested: run.sample.requested,
      manifests: result.counts.manifests,
      compared: result.counts.compared,
    },
    verdict: result.verdict,
    gates: result.gates.map((g) => ({ name: g.name, decision: g.decision, value: g.value })),
    latency: {
      canary: {
        ...(canaryIndex ? { index: canaryIndex } : {}),
        ...(canaryVuln ? { vulnerability_report: canaryVuln } : {}),
      },
      production: {
        ...(productionIndex ? { index_report: productionIndex } : {}),
        ...(productionVuln ? { vulnerability_report: productionVuln } : {}),
      },
    },
    differences,
    code_manifests: codeManifests,
    fields,
    noisy: input.noisy ?? [],
    settings: runSettings(run.config),
  }
}

/** Differences by attribution, manifests with code differences, and code and noise differences by signature. */
export function differencesByCause(diffs: ManifestDiff[]): {
  differences: Record<Attribution, number>
  codeManifests: number
  fields: FieldDifference[]
} {
  const differences = countByCause(diffs.flatMap((d) => d.differences))
  const bySignature = new Map<string, FieldDifference & { digests: Set<string>; keys: Set<string> }>()
  let codeManifests = 0
  for (const d of diffs) {
    if (d.differences.some((x) => x.attribution === 'code')) codeManifests++
    for (const x of d.differences) {
      if (x.attribution !== 'code' && x.attribution !== 'noise') continue
      const signature: FieldSignature = {
        report: x.report,
        kind: x.kind,
        change: x.change,
        ...(x.ecosystem ? { ecosystem: x.ecosystem } : {}),
        ...(x.updater ? { updater: x.updater } : {}),
        ...(x.change === 'changed' ? changedFields(x.before, x.after) : {}),
      }
      const id = `${x.attribution}\n${signatureText(signature)}`
      let entry = bySignature.get(id)
      if (!entry) {
        entry = {
          ...signature,
          attribution: x.attribution,
          manifests: 0,
          digests: new Set(),
          keys: new Set(),
        }
        bySignature.set(id, entry)
      }
      entry.digests.add(d.digest)
      entry.keys.add(x.key)
    }
  }
  const fields = [...bySignature.values()]
    .map(({ digests, keys, ...f }): FieldDifference => ({
      ...f,
      manifests: digests.size,
      ...(keys.size === 1 ? { key: [...keys][0]! } : {}),
    }))
    .sort((a, b) => b.manifests - a.manifests || signatureText(a).localeCompare(signatureText(b)))
    .slice(0, MAX_FIELDS)
  return { differences, codeManifests, fields }
}

/** The field names of a `changed` difference: before and after hold only what changed. */
function changedFields(before: unknown, after: unknown): { fields?: string[] } {
  const names = new Set<string>()
  for (const side of [before, after])
    if (side && typeof side === 'object' && !Array.isArray(side))
      for (const k of Object.keys(side)) names.add(k)
  return names.size > 0 ? { fields: [...names].sort() } : {}
}

/** The code under test on the canary: version, revision and claircore as /metrics named them, else the commit. */
export function canaryCode(record: Pick<HistoryRecord, 'clair' | 'commit'>): string {
  const v = record.clair.canary
  const named = [v?.version, v?.revision, v?.claircore_version].filter(Boolean).join(' ')
  return named || `commit ${record.commit}`
}

/** A history record read from `where` (a file or an artifact), or a UserError naming it and what was expected. */
export function parseHistoryRecord(value: unknown, where: string): HistoryRecord {
  const fail = (what: string): never => {
    throw new UserError(`history record ${where}: ${what}`)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('expected a JSON object')
  const r = value as Record<string, unknown>
  if (r['schema'] !== HISTORY_SCHEMA)
    return fail(`expected schema ${JSON.stringify(HISTORY_SCHEMA)}, got ${JSON.stringify(r['schema'])}`)
  for (const key of ['time', 'branch', 'commit', 'event', 'verdict'] as const)
    if (typeof r[key] !== 'string') fail(`expected ${key} to be a string`)
  if (!Number.isFinite(Date.parse(r['time'] as string))) fail(`expected time to be an ISO 8601 date`)
  if (!['pass', 'fail', 'inconclusive'].includes(r['verdict'] as string))
    fail(`expected verdict pass, fail or inconclusive, got ${JSON.stringify(r['verdict'])}`)
  for (const key of ['gates', 'fields', 'noisy'] as const)
    if (!Array.isArray(r[key])) fail(`expected ${key} to be an array`)
  for (const key of ['latency', 'differences', 'sample', 'clair'] as const)
    if (!r[key] || typeof r[key] !== 'object') fail(`expected ${key} to be an object`)
  return value as HistoryRecord
}
