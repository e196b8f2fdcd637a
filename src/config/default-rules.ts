// The rules in force without a rules file. Apart from rules.ts so that reading them does not load the YAML parser.
import type { PromQuery, Rules } from './types.ts'

// Clair's own request counters and duration histograms (httptransport/instrumentation.go): code is the status as
// a string, method lower-case. What the window added is the sum now minus the sum $window ago: unlike increase(),
// that counts a series born inside the window (the first 5xx creates the code="500" series) from zero.
const added = (metric: string, matchers: string, by = '') => {
  const sum = (offset: string) => `sum${by}(${metric}{${matchers}$selector}${offset})`
  return by
    ? `(${sum('')} - ${sum(' offset $window')}) or ${sum('')}`
    : `((${sum('')} or vector(0)) - (${sum(' offset $window')} or vector(0)))`
}
const requests = (code: string) =>
  `${added('clair_http_indexerv1_request_total', code)} + ${added('clair_http_matcherv1_request_total', code)}`

/** Fewer nights than this cannot make a robust baseline: the gate is inconclusive. */
export const MIN_NIGHTS = 5

export const DEFAULT_QUERIES: PromQuery[] = [
  {
    name: 'canary-5xx-ratio',
    query: `(${requests('code=~"5..",')}) / (${requests('')})`,
    max: 0.01,
  },
  {
    name: 'canary-index-p95-seconds',
    query: `histogram_quantile(0.95, ${added('clair_http_indexerv1_request_duration_seconds_bucket', 'handler="/indexer/api/v1/index_report",method="post",', ' by (le) ')})`,
    max: 120,
  },
]

export const DEFAULT_RULES: Rules = Object.freeze({
  ignore: [],
  expected: [],
  byDesign: { allow: ['added'] },
  ignoreDetector: true,
  gates: {
    maxCanaryOnlyFailures: 0,
    maxCodeDifferences: { index: 0, vulnerability: 0 },
    latency: {
      maxRatio: { p50: 1.25, p95: 1.5, p99: 2 },
      alpha: 0.01,
      minEffect: 1.1,
      indexP95Ms: 120000,
      indexMaxMs: 300000,
    },
    minCompared: 20,
    maxProductionErrorRate: 0.1,
    maxContractViolations: 0,
  },
  signals: {
    selector: 'job="clair-canary"',
    queries: DEFAULT_QUERIES,
    settleSeconds: 30,
    alerts: { matchers: ['job="clair-canary"'], pollSeconds: 5 },
  },
}) as Rules
