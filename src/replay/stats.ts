// stats.json: quay/clair-load-test's result fields (commit a4081317, stats.go; ../shared/clair/FACTS.md 6.2),
// so dashboards built for it keep working, plus quantiles per operation and side and the achieved rate.
//
// Mapping from records.jsonl (canary side, first reads only: re-reads are a noise probe, not load):
//   *_index_report_*          <- op "index" (POST /indexer/api/v1/index_report)
//   *_vulnerability_report_*  <- op "vulnerability_report" (GET /matcher/api/v1/vulnerability_report/{digest}), only
//                             for manifests whose POST answered 201: clair-load-test asks for the vulnerability
//                             report only after its index POST succeeded (reports.go reportForContainer)
//   total_*_requests          every request, transport errors (status null) included
//   total_*_latency_milliseconds, max_*_request_latency_milliseconds
//                             integer milliseconds (Go int64), transport errors included, open-loop latency_ms
//   latency_per_*_request     float: total latency / total requests (0 when there were none)
//   non_2XX_*_responses       responses whose status is not the one clair-load-test expects: 201 for the index
//                             POST, 200 for the vulnerability report (so a 202 "matcher not ready" counts);
//                             a transport error has no response and is not counted here.
// Where the figures still differ from clair-load-test's (README, "stats.json"): a latency runs from the scheduled
// start to the end of the body of the last attempt (clair-load-test times one attempt to its response headers),
// and a request retried on 429/503/202 counts once, with its final status.
import { LatencySketch } from './sketch.ts'
import type { ManifestRecord, Operation, RequestRecord, Side } from '../rundir/types.ts'

export interface OperationLatency {
  count: number
  mean: number | null
  p50: number | null
  p95: number | null
  p99: number | null
  max: number | null
}

export interface LoadTestStats {
  total_index_report_requests: number
  total_vulnerability_report_requests: number
  total_index_report_latency_milliseconds: number
  total_vulnerability_report_latency_milliseconds: number
  latency_per_index_report_request: number
  latency_per_vulnerability_report_request: number
  non_2XX_index_report_responses: number
  non_2XX_vulnerability_report_responses: number
  max_index_report_request_latency_milliseconds: number
  max_vulnerability_report_request_latency_milliseconds: number
  /** Index POSTs started per second on the canary: (n - 1) / (last start - first start); null below two. */
  achieved_rate: number | null
  /** Latency quantiles in milliseconds per side and operation (first reads), errors included. */
  latency: Record<Side, Partial<Record<Operation, OperationLatency>>>
}

const EXPECTED_STATUS = { index: 201, vulnerability_report: 200 } as const

export function loadTestStats(records: ManifestRecord[]): LoadTestStats {
  const requests = records.flatMap((r) => r.requests).filter((q) => (q.read ?? 0) === 0)
  const canary = (op: Operation): RequestRecord[] =>
    requests.filter((q) => q.side === 'canary' && q.op === op)
  const index = loadTest(canary('index'), EXPECTED_STATUS.index)
  const afterCreated = records
    .filter((r) => r.requests.some((q) => q.side === 'canary' && q.op === 'index' && q.status === 201))
    .flatMap((r) => r.requests)
    .filter((q) => (q.read ?? 0) === 0 && q.side === 'canary' && q.op === 'vulnerability_report')
  const vulnerability = loadTest(afterCreated, EXPECTED_STATUS.vulnerability_report)

  const latency: LoadTestStats['latency'] = { canary: {}, production: {} }
  const sketches = new Map<string, LatencySketch>()
  for (const q of requests) {
    const key = `${q.side}\0${q.op}`
    let sketch = sketches.get(key)
    if (!sketch) sketches.set(key, (sketch = new LatencySketch()))
    sketch.record(q.latency_ms)
  }
  for (const [key, sketch] of sketches) {
    const [side, op] = key.split('\0') as [Side, Operation]
    latency[side][op] = {
      count: sketch.count,
      mean: finite(sketch.mean),
      p50: finite(sketch.quantile(0.5)),
      p95: finite(sketch.quantile(0.95)),
      p99: finite(sketch.quantile(0.99)),
      max: finite(sketch.max),
    }
  }

  return {
    total_index_report_requests: index.total,
    total_vulnerability_report_requests: vulnerability.total,
    total_index_report_latency_milliseconds: index.totalLatency,
    total_vulnerability_report_latency_milliseconds: vulnerability.totalLatency,
    latency_per_index_report_request: index.perRequest,
    latency_per_vulnerability_report_request: vulnerability.perRequest,
    non_2XX_index_report_responses: index.non2xx,
    non_2XX_vulnerability_report_responses: vulnerability.non2xx,
    max_index_report_request_latency_milliseconds: index.max,
    max_vulnerability_report_request_latency_milliseconds: vulnerability.max,
    achieved_rate: achievedRate(canary('index')),
    latency,
  }
}

function loadTest(requests: RequestRecord[], expected: number) {
  const totalLatency = Math.round(requests.reduce((sum, q) => sum + q.latency_ms, 0))
  return {
    total: requests.length,
    totalLatency,
    perRequest: requests.length === 0 ? 0 : totalLatency / requests.length,
    non2xx: requests.filter((q) => q.status !== null && q.status !== expected).length,
    max: Math.round(requests.reduce((max, q) => Math.max(max, q.latency_ms), 0)),
  }
}

function achievedRate(posts: RequestRecord[]): number | null {
  if (posts.length < 2) return null
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const q of posts) {
    const start = q.scheduled_at_ms + q.start_lag_ms
    first = Math.min(first, start)
    last = Math.max(last, start)
  }
  const span = last - first
  return span > 0 ? ((posts.length - 1) * 1000) / span : null
}

function finite(n: number): number | null {
  return Number.isFinite(n) ? n : null
}
