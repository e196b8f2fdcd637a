// Synthetic records, differences and rules for judge and summary tests. Deterministic: every random
// number comes from a seeded source, so golden files stay stable.
import type { Rules } from '../../../src/config/types.ts'
import type {
  Difference,
  ErrorClass,
  ManifestDiff,
  ManifestRecord,
  Operation,
  RequestRecord,
  Side,
} from '../../../src/rundir/types.ts'
import { seededRandom } from '../../../src/seeded.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'

/** The default rules with the judge tests' own thresholds (stricter p95 and error rate, a larger minimum). */
export function testRules(gates: Partial<Rules['gates']> = {}): Rules {
  return {
    ...structuredClone(DEFAULT_RULES),
    gates: {
      ...structuredClone(DEFAULT_RULES.gates),
      latency: { ...DEFAULT_RULES.gates.latency, indexP95Ms: 60_000 },
      minCompared: 30,
      maxProductionErrorRate: 0.05,
      ...gates,
    },
  }
}

export function digestOf(i: number): string {
  return `sha256:${i.toString(16).padStart(8, '0').repeat(8)}`
}

export function request(
  op: Operation,
  side: Side,
  latency_ms: number,
  error?: { class: ErrorClass; status?: number | null; message?: string },
): RequestRecord {
  const ok = op === 'index' ? 201 : op === 'delete_index_report' ? 204 : 200
  return {
    op,
    side,
    status: error ? (error.status === undefined ? 500 : error.status) : ok,
    latency_ms,
    start_lag_ms: 0,
    scheduled_at_ms: 0,
    attempts: 1,
    ...(error ? { error: error.class, ...(error.message ? { message: error.message } : {}) } : {}),
  }
}

export interface ManifestPlan {
  /** Production vulnerability-report latency (ms). */
  productionMs: number
  canaryMs: number
  indexMs?: number
  canaryError?: { op: Operation; class: ErrorClass; message?: string; status?: number | null }
  productionError?: { op: Operation; class: ErrorClass; message?: string; status?: number | null }
  canaryState?: string
  productionState?: string
}

/** One manifest replayed the way the replay stage records it: canary POST + GETs, production GETs. */
export function manifestRecord(i: number, plan: ManifestPlan): ManifestRecord {
  const requests: RequestRecord[] = []
  const err = (side: Side, op: Operation) => {
    const e = side === 'canary' ? plan.canaryError : plan.productionError
    return e && e.op === op ? e : undefined
  }
  const canaryIndexError = err('canary', 'index')
  requests.push(request('index', 'canary', plan.indexMs ?? 2000, canaryIndexError))
  requests.push(request('index_report', 'canary', 20, err('canary', 'index_report')))
  if (!canaryIndexError)
    requests.push(
      request('vulnerability_report', 'canary', plan.canaryMs, err('canary', 'vulnerability_report')),
    )
  requests.push(request('index_report', 'production', 25, err('production', 'index_report')))
  requests.push(
    request(
      'vulnerability_report',
      'production',
      plan.productionMs,
      err('production', 'vulnerability_report'),
    ),
  )
  return {
    digest: digestOf(i),
    requests,
    fresh_index: true,
    canary_state:
      plan.canaryState ?? (canaryIndexError?.class === 'index_error' ? 'IndexError' : 'IndexFinished'),
    production_state: plan.productionState ?? 'IndexFinished',
  }
}

/** A log-normal-ish production latency around 120 ms, with a long right tail. */
export function latencySource(seed: string): () => number {
  const random = seededRandom(seed)
  return () => {
    // Box-Muller from two uniforms.
    const u = Math.max(random(), 1e-12)
    const v = random()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return 120 * Math.exp(0.5 * z)
  }
}

/** n manifests where the canary's vulnerability-report latency is f(production latency, i, noise). */
export function latencyRecords(
  n: number,
  seed: string,
  canary: (productionMs: number, i: number, noise: number) => number,
): ManifestRecord[] {
  const next = latencySource(seed)
  const random = seededRandom(`${seed}/noise`)
  return Array.from({ length: n }, (_, i) => {
    const productionMs = next()
    // Paired noise: each read jitters by up to ±3%, symmetric in log space.
    const noise = Math.exp((random() - 0.5) * 0.06)
    return manifestRecord(i, { productionMs, canaryMs: canary(productionMs, i, noise) })
  })
}

export function difference(d: Partial<Difference> & Pick<Difference, 'key'>): Difference {
  return {
    report: 'index',
    kind: 'package',
    change: 'removed',
    attribution: 'code',
    before: null,
    after: null,
    ...d,
  }
}

export function diffFor(i: number, differences: Difference[]): ManifestDiff {
  return { digest: digestOf(i), differences }
}
