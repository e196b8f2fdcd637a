// metrics.txt and the Grafana dashboard over it. That the text loads into Prometheus is checked with promtool in
// test/integration/signals/signals.test.ts; here: what it says, and that the dashboard reads only what it says.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { renderExposition, renderOpenMetrics } from '../../../src/signals/openmetrics.ts'
import { failingResult, runInfo } from '../../golden/summary/fixtures.ts'

const run = runInfo({ finished_at: '2026-11-30T23:00:00.000Z' })
const result = failingResult()
result.aggregates = {
  ...result.aggregates,
  signals: { alerts: [], window: { start: '2026-11-30T22:50:00.000Z', end: '2026-11-30T22:59:00.000Z' } },
}

test('metrics.txt: the verdict, every gate, stamped with the run end, ending # EOF', () => {
  const text = renderOpenMetrics(result, run)
  assert.ok(text.endsWith('\n# EOF\n'))
  const samples = text.split('\n').filter((l) => l && !l.startsWith('#'))
  const end = String(Date.parse(run.finished_at!) / 1000)
  for (const line of samples) assert.ok(line.endsWith(` ${end}`), line)
  assert.ok(samples.includes(`clair_canary_verdict{verdict="fail"} 1 ${end}`))
  assert.ok(samples.includes(`clair_canary_verdict{verdict="pass"} 0 ${end}`))
  for (const gate of result.gates)
    assert.ok(
      samples.includes(
        `clair_canary_gate_decision{gate="${gate.name}",decision="${gate.decision}"} 1 ${end}`,
      ),
      gate.name,
    )
  // Every family is declared once, before its samples.
  const types = text.match(/^# TYPE \S+/gm) ?? []
  assert.equal(new Set(types).size, types.length)
})

test('what is pushed carries no timestamps (the Pushgateway refuses them)', () => {
  const text = renderExposition(result, run)
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
    assert.match(line, /^[a-z_]+(\{.*\})? -?[0-9.e+-]+$/, line)
})

test('the Grafana dashboard queries only metrics the run writes', () => {
  const dashboard = JSON.parse(readFileSync('examples/grafana/clair-canary.json', 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>
  }
  const written = new Set(
    [...renderOpenMetrics(result, run).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] as string),
  )
  const queried = dashboard.panels.flatMap((p) =>
    p.targets.flatMap((t) => [...t.expr.matchAll(/clair_canary_[a-z_]+/g)].map((m) => m[0])),
  )
  assert.ok(queried.length >= 8)
  for (const metric of queried) assert.ok(written.has(metric), `${metric} is not in metrics.txt`)
})
