// The live-signal inputs and the rules file's `signals` section: defaults, overrides, and one line per mistake.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { buildConfig } from '../../../src/config/config.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { parseRules } from '../../../src/config/rules.ts'
import { UserError } from '../../../src/errors.ts'
import { expandQuery } from '../../../src/signals/prometheus.ts'

const base: Record<string, string> = {
  'canary-url': 'http://127.0.0.1:6060',
  'production-url': 'https://clair.example/',
  manifests: 'manifests.jsonl',
}

async function userError(inputs: Record<string, string>): Promise<string> {
  try {
    await buildConfig((name) => inputs[name], { cwd: '/tmp' })
  } catch (error) {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`)
    assert.ok(!error.message.includes('\n'), 'one line')
    return error.message
  }
  assert.fail('expected a UserError')
}

function rulesError(text: string): string {
  try {
    parseRules(text, 'rules.yml')
  } catch (error) {
    assert.ok(error instanceof UserError, String(error))
    return error.message
  }
  assert.fail('expected a UserError')
}

test('no signal input: every signal is off', async () => {
  const { config } = await buildConfig((name) => base[name], { cwd: '/tmp' })
  assert.deepEqual(config.signals, { incubationMs: 0 })
})

test('signal inputs are read as URLs and seconds', async () => {
  const inputs: Record<string, string> = {
    ...base,
    'prometheus-url': 'http://prometheus.example:9090/prom',
    'alertmanager-url': 'http://alertmanager.example:9093',
    'pushgateway-url': 'http://pushgateway.example:9091',
    incubation: '300',
  }
  const { config } = await buildConfig((name) => inputs[name], { cwd: '/tmp' })
  assert.deepEqual(config.signals, {
    prometheusUrl: 'http://prometheus.example:9090/prom/',
    alertmanagerUrl: 'http://alertmanager.example:9093/',
    pushgatewayUrl: 'http://pushgateway.example:9091/',
    incubationMs: 300_000,
  })
})

test('bad signal inputs get one line naming the input', async () => {
  assert.match(
    await userError({ ...base, 'prometheus-url': 'not a url' }),
    /^input prometheus-url: expected an http\(s\) URL with a scheme, e\.g\. http:\/\/prometheus/,
  )
  assert.match(
    await userError({ ...base, 'alertmanager-url': 'http://user:pw@am.example' }),
    /^input alertmanager-url: credentials in the URL are not allowed \(the URL is logged\)$/,
  )
  assert.match(await userError({ ...base, incubation: '10' }), /^input incubation needs alertmanager-url/)
  assert.match(
    await userError({ ...base, 'alertmanager-url': 'http://am.example', incubation: 'soon' }),
    /^input incubation: expected a number/,
  )
})

test('the example rules file states the default signals', () => {
  const example = parseRules(readFileSync('examples/clair-canary.rules.yml', 'utf8'), 'example').signals
  const squash = (q: string) => q.replace(/\s+/g, '')
  assert.deepEqual(
    example.queries.map((q) => ({ ...q, query: squash(q.query) })),
    DEFAULT_RULES.signals.queries.map((q) => ({ ...q, query: squash(q.query) })),
  )
  assert.deepEqual({ ...example, queries: [] }, { ...DEFAULT_RULES.signals, queries: [] })
})

test('signals in the rules file override the defaults', () => {
  const { signals } = parseRules(
    [
      'signals:',
      '  selector: \'namespace="clair-canary",app="clair"\'',
      '  queries:',
      '    - name: matcher-p99',
      '      query: histogram_quantile(0.99, sum by (le) (rate(x_bucket{$selector}[$window])))',
      '      max: 2',
      '    - name: throughput',
      '      query: sum(rate(clair_http_indexerv1_request_total{$selector}[$window]))',
      '      min: 0.5',
      '  alerts: { matchers: [\'namespace="clair-canary"\', \'severity=~"critical|warning"\'] }',
    ].join('\n'),
    'rules.yml',
  )
  assert.equal(signals.selector, 'namespace="clair-canary",app="clair"')
  assert.deepEqual(
    signals.queries.map((q) => [q.name, q.max, q.min]),
    [
      ['matcher-p99', 2, undefined],
      ['throughput', undefined, 0.5],
    ],
  )
  assert.equal(signals.settleSeconds, DEFAULT_RULES.signals.settleSeconds)
  assert.equal(signals.alerts.pollSeconds, DEFAULT_RULES.signals.alerts.pollSeconds)
  assert.equal(
    expandQuery(signals.queries[1]!.query, signals.selector, { start: 0, end: 124_500 }),
    'sum(rate(clair_http_indexerv1_request_total{namespace="clair-canary",app="clair"}[125s]))',
  )
})

test('mistakes in the signals section name file, line, column and path', () => {
  assert.equal(
    rulesError('signals:\n  selector: \'{job="x"}\'\n'),
    'rules.yml:2:13: signals.selector must be label matchers without braces, e.g. job="clair-canary"',
  )
  assert.equal(
    rulesError('signals:\n  queries:\n    - { name: a, query: up, max: 1, min: 0 }\n'),
    'rules.yml:3:7: signals.queries[0] must be a query with exactly one of max and min',
  )
  assert.match(
    rulesError(
      'signals:\n  queries:\n    - { name: a, query: up, max: 1 }\n    - { name: a, query: up, max: 1 }\n',
    ),
    /^rules\.yml:4:15: signals\.queries\[1\]\.name must be a unique gate name/,
  )
  assert.match(
    rulesError('signals:\n  queries:\n    - { name: a, max: 1 }\n'),
    /signals\.queries\[0\]\.query must be given/,
  )
  assert.match(
    rulesError('signals:\n  alerts: { matchers: [] }\n'),
    /^rules\.yml:2:23: signals\.alerts\.matchers must be at least one matcher/,
  )
  assert.match(
    rulesError('signals:\n  promql: up\n'),
    /^rules\.yml:2:3: signals\.promql must be one of the known keys/,
  )
})
