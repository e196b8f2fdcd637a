// The Prometheus gates: each PromQL query of the rules file, evaluated through Prometheus's HTTP API over the
// replay window, is a gate with a value, a threshold and a decision. Missing evidence (Prometheus unreachable,
// a query it rejects, a selector that matches no series, no data) is inconclusive, never pass, and the gate's
// one line carries Prometheus's own error.
import type { PromQuery, SignalRules } from '../config/types.ts'
import type { Decision, Gate } from '../rundir/types.ts'
import { errorMessage } from '../errors.ts'
import { formatMs } from '../format.ts'
import { getJson, type HttpGet } from './http.ts'

/** Epoch milliseconds. */
export interface SignalWindow {
  start: number
  end: number
}

interface ApiAnswer<T> {
  status: 'success' | 'error'
  data?: T
  errorType?: string
  error?: string
}

type Sample = { metric: Record<string, string>; value: [number, string] }
type QueryData =
  { resultType: 'vector'; result: Sample[] } | { resultType: 'scalar'; result: [number, string] }

/** "125s": the window rounded up to whole seconds, at least one. */
export function windowDuration(window: SignalWindow): string {
  return `${Math.max(1, Math.ceil((window.end - window.start) / 1000))}s`
}

/** The query as sent: $selector and $window filled in. */
export function expandQuery(query: string, selector: string, window: SignalWindow): string {
  return query.replaceAll('$selector', selector).replaceAll('$window', windowDuration(window))
}

function threshold(q: PromQuery): string {
  return q.max !== undefined ? `≤ ${q.max}` : `≥ ${q.min}`
}

function passes(q: PromQuery, value: number): boolean {
  return q.max !== undefined ? value <= q.max : value >= (q.min as number)
}

/** The worse of two values for this query's bound. */
function worse(q: PromQuery, a: number, b: number): boolean {
  return q.max !== undefined ? a > b : a < b
}

function labels(metric: Record<string, string>): string {
  const pairs = Object.entries(metric).map(([k, v]) => `${k}=${JSON.stringify(v)}`)
  return pairs.length ? `{${pairs.join(',')}}` : ''
}

function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(4))
}

/** Prometheus's own error from an API answer (or the HTTP failure), on one line. */
function apiError(answer: { status: number | null; body?: unknown; error?: string }): string {
  const body = answer.body as ApiAnswer<unknown> | undefined
  if (body?.status === 'error') return `${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`
  if (answer.error) return answer.error
  return `HTTP ${answer.status}`
}

export async function prometheusGates(
  url: string,
  rules: SignalRules,
  window: SignalWindow,
  get: HttpGet = getJson,
): Promise<Gate[]> {
  const inconclusive = (q: PromQuery, detail: string): Gate => ({
    name: q.name,
    value: null,
    threshold: threshold(q),
    decision: 'inconclusive',
    detail,
  })
  const seconds = (ms: number) => String(ms / 1000)

  // A selector that matches nothing would make every default query "no data": say why once, plainly.
  if (rules.selector) {
    const series = await get(
      apiUrl(url, 'series', {
        'match[]': `{${rules.selector}}`,
        start: seconds(window.start),
        end: seconds(window.end),
      }),
    ).catch((error: unknown) => ({ status: null, error: errorMessage(error) }))
    const body = 'body' in series ? (series.body as ApiAnswer<unknown[]> | undefined) : undefined
    if (series.status !== 200 || body?.status !== 'success') {
      const why =
        series.status === null
          ? `Prometheus at ${url} is unreachable (${apiError(series)})`
          : `Prometheus refused the selector {${rules.selector}} (${apiError(series)})`
      return rules.queries.map((q) => inconclusive(q, why))
    }
    if ((body.data ?? []).length === 0)
      return rules.queries.map((q) =>
        inconclusive(
          q,
          `the selector {${rules.selector}} (rules signals.selector) matches no series in Prometheus during the replay window: is Prometheus scraping the canary under these labels?`,
        ),
      )
  }

  const gates: Gate[] = []
  for (const q of rules.queries) {
    const query = expandQuery(q.query, rules.selector, window)
    const answer = await get(apiUrl(url, 'query', { query, time: seconds(window.end) })).catch(
      (error: unknown) => ({ status: null, error: errorMessage(error) }),
    )
    const body = 'body' in answer ? (answer.body as ApiAnswer<QueryData> | undefined) : undefined
    if (answer.status === null) {
      gates.push(inconclusive(q, `Prometheus at ${url} is unreachable (${apiError(answer)})`))
      continue
    }
    if (answer.status !== 200 || body?.status !== 'success' || !body.data) {
      gates.push(inconclusive(q, `Prometheus rejected the query (${apiError(answer)})`))
      continue
    }
    const samples: Array<{ metric: Record<string, string>; value: number }> =
      body.data.resultType === 'scalar'
        ? [{ metric: {}, value: Number(body.data.result[1]) }]
        : body.data.resultType === 'vector'
          ? body.data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }))
          : []
    if (body.data.resultType !== 'vector' && body.data.resultType !== 'scalar') {
      gates.push(
        inconclusive(
          q,
          `the query returned a ${String((body.data as { resultType: unknown }).resultType)}, expected an instant vector or scalar`,
        ),
      )
      continue
    }
    const numbers = samples.filter((s) => !Number.isNaN(s.value))
    if (numbers.length === 0) {
      gates.push(
        inconclusive(
          q,
          samples.length === 0
            ? `no data over the replay window (${formatMs(window.end - window.start)})`
            : `no data over the replay window (${formatMs(window.end - window.start)}): the query is NaN, e.g. no requests to divide by`,
        ),
      )
      continue
    }
    // Several series: the worst one decides, and the line names it.
    const decisive = numbers.reduce((a, b) => (worse(q, b.value, a.value) ? b : a))
    const decision: Decision = passes(q, decisive.value) ? 'pass' : 'fail'
    const which =
      numbers.length > 1 ? ` (the worst of ${numbers.length} series: ${labels(decisive.metric)})` : ''
    const bound = q.max !== undefined ? `at most ${q.max}` : `at least ${q.min}`
    gates.push({
      name: q.name,
      value: round(decisive.value),
      threshold: threshold(q),
      decision,
      detail: `${round(decisive.value)} over the replay window (${formatMs(window.end - window.start)})${which}; ${decision === 'pass' ? 'within' : 'beyond'} the ${bound} allowed`,
    })
  }
  return gates
}

function apiUrl(base: string, endpoint: string, params: Record<string, string>): string {
  const url = new URL(`api/v1/${endpoint}`, base.endsWith('/') ? base : `${base}/`)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return url.toString()
}
