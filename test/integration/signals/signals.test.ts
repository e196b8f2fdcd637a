// Live signals against Debian's real Prometheus, Alertmanager and Pushgateway. Prometheus scrapes two canary
// stand-ins (Clair's own metric names) and fires an alert on 5xx answers: a planted error burst fails the run
// through the Prometheus gate and the Alertmanager gate, a clean run passes both, and the run's metrics file
// loads into Prometheus's own tools.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildConfig } from '../../../src/config/config.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { AlertWatch } from '../../../src/signals/alertmanager.ts'
import { pushMetrics, renderExposition } from '../../../src/signals/openmetrics.ts'
import { prometheusGates } from '../../../src/signals/prometheus.ts'
import { startScenario, type Scenario } from '../../../demo/scenario.ts'
import type { PipelineOutcome } from '../../../src/pipeline.ts'
import {
  BINARIES,
  skipUnlessInstalled,
  startAlertmanager,
  startPrometheus,
  startPushgateway,
  type Server,
} from '../../support/prometheus.ts'
import { recordingLogger } from '../../support/log.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'

const run = promisify(execFile)
const skip = skipUnlessInstalled('prometheus', 'alertmanager', 'pushgateway', 'promtool')

// What a Clair team would alert on: the canary answering 5xx to index requests.
const ALERT_RULES = JSON.stringify({
  groups: [
    {
      name: 'clair-canary',
      interval: '1s',
      rules: [
        {
          alert: 'ClairCanaryIndexErrors',
          expr: 'sum by (job) (clair_http_indexerv1_request_total{code=~"5.."}) > 0',
          labels: { severity: 'critical' },
          annotations: { summary: 'the canary answers 5xx to index requests' },
        },
      ],
    },
  ],
})

const host = (url: string) => new URL(url).host

describe('live signals against real Prometheus and Alertmanager', { skip, timeout: 300_000 }, () => {
  let clean: Scenario
  let burst: Scenario
  let alertmanager: Server
  let prometheus: Server
  let work: string
  const log = recordingLogger()

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'clair-canary-signals-'))
    ;[clean, burst, alertmanager] = await Promise.all([
      startScenario({ count: 30, canaryProfile: 'clean' }),
      startScenario({ count: 30, canaryProfile: 'error-burst' }),
      startAlertmanager(),
    ])
    prometheus = await startPrometheus({
      scrape: {
        'canary-clean': host(clean.canary.introspectionUrl),
        'canary-burst': host(burst.canary.introspectionUrl),
      },
      rules: ALERT_RULES,
      alertmanager: alertmanager.url,
    })
  })
  after(async () => {
    await Promise.allSettled([clean?.close(), burst?.close(), prometheus?.close(), alertmanager?.close()])
  })

  async function judged(scenario: Scenario, job: string): Promise<PipelineOutcome> {
    const dir = await mkdtemp(join(work, `${job}-`))
    const manifests = join(dir, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const rules = join(dir, 'rules.yml')
    await writeFile(
      rules,
      [
        'gates:',
        '  minCompared: 5',
        'signals:',
        `  selector: 'job="${job}"'`,
        '  settleSeconds: 3',
        `  alerts: { matchers: ['job="${job}"'], pollSeconds: 1 }`,
      ].join('\n'),
    )
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      rules,
      rate: '6',
      seed: 'signals-test',
      'run-dir': join(dir, 'run'),
      'prometheus-url': prometheus.url,
      'alertmanager-url': alertmanager.url,
      incubation: '6',
    }
    const { config } = await buildConfig((name) => inputs[name])
    return runPipeline(config, { log })
  }

  let burstRun: PipelineOutcome | undefined
  test('a planted error burst fails the run through the Prometheus gate and the Alertmanager gate', async () => {
    const outcome = await judged(burst, 'canary-burst')
    burstRun = outcome
    const gate = (name: string) => outcome.result.gates.find((g) => g.name === name)
    assert.equal(outcome.result.verdict, 'fail')
    assert.equal(gate('canary-5xx-ratio')?.decision, 'fail', gate('canary-5xx-ratio')?.detail)
    assert.ok((gate('canary-5xx-ratio')?.value as number) > 0.1, 'about half the index requests answered 500')
    assert.equal(gate('alerts')?.decision, 'fail', gate('alerts')?.detail)
    assert.match(gate('alerts')!.detail, /ClairCanaryIndexErrors.*the canary answers 5xx/)
    // Clair's index request-duration histogram is there, so the latency query has a value (and a fast one).
    assert.equal(gate('canary-index-p95-seconds')?.decision, 'pass', gate('canary-index-p95-seconds')?.detail)
    const summary = await readFile(outcome.summaryPath, 'utf8')
    assert.match(summary, /ClairCanaryIndexErrors/, 'the summary lists the alert')
  })

  test('a clean run trips neither gate', async () => {
    const outcome = await judged(clean, 'canary-clean')
    const gate = (name: string) => outcome.result.gates.find((g) => g.name === name)
    assert.equal(gate('canary-5xx-ratio')?.decision, 'pass', gate('canary-5xx-ratio')?.detail)
    assert.equal(gate('canary-5xx-ratio')?.value, 0)
    assert.equal(gate('alerts')?.decision, 'pass', gate('alerts')?.detail)
    assert.equal(outcome.result.verdict, 'pass', outcome.result.reasons.join('\n'))
  })

  test("the run's metrics file loads into Prometheus's tools", async () => {
    assert.ok(burstRun, 'needs the burst run')
    const file = join(burstRun.runDir, 'metrics.txt')
    const text = await readFile(file, 'utf8')
    assert.match(text, /^clair_canary_verdict\{verdict="fail"\} 1 /m)
    assert.match(text, /^clair_canary_gate_decision\{gate="alerts",decision="fail"\} 1 /m)
    assert.match(
      text,
      /^clair_canary_errors\{side="canary",op="index_report",class="(index_error|http_5xx)"\} \d+ /m,
    )
    // What is pushed (no timestamps) passes promtool's linter; the file (stamped) backfills into a TSDB.
    const pushed = join(work, 'pushed.prom')
    await writeFile(pushed, renderExposition(burstRun.result, burstRun.run))
    const lint: { code?: number; stdout: string; stderr: string } = await run('sh', [
      '-c',
      `${BINARIES.promtool} check metrics < "${pushed}"`,
    ]).catch((e: { code?: number; stdout: string; stderr: string }) => e)
    assert.equal(lint.code ?? 0, 0, `promtool check metrics: ${lint.stdout}${lint.stderr}`)
    const blocks = join(work, 'blocks')
    await run(BINARIES.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', file, blocks])
    await mkdir(join(blocks, 'wal'), { recursive: true }) // dump reads a WAL too; a backfill leaves none
    const dump = await run(BINARIES.promtool, ['tsdb', 'dump', blocks], { maxBuffer: 16 << 20 })
    assert.match(dump.stdout, /clair_canary_verdict.*verdict="fail".* 1 /)
  })

  describe('bad input gets one line, and never a pass', () => {
    const window = () => ({ start: Date.now() - 60_000, end: Date.now() })
    let closed: string
    before(async () => {
      // A port nothing listens on.
      closed = `http://127.0.0.1:${await freePort()}`
    })

    test('a query Prometheus cannot parse: its own parse error', async () => {
      const rules = {
        ...DEFAULT_RULES.signals,
        selector: '',
        queries: [{ name: 'bad', query: 'sum(rate(', max: 1 }],
      }
      const [gate] = await prometheusGates(prometheus.url, rules, window())
      assert.equal(gate?.decision, 'inconclusive')
      assert.match(gate.detail, /^Prometheus rejected the query \(bad_data: .*parse error/)
      assert.doesNotMatch(gate.detail, /\n/)
    })

    test('an unreachable Prometheus', async () => {
      const gates = await prometheusGates(`${closed}/`, DEFAULT_RULES.signals, window())
      assert.equal(gates.length, DEFAULT_RULES.signals.queries.length)
      for (const g of gates) {
        assert.equal(g.decision, 'inconclusive')
        assert.equal(g.detail, `Prometheus at ${closed}/ is unreachable (ECONNREFUSED)`)
      }
    })

    test('a selector that matches no series', async () => {
      const rules = { ...DEFAULT_RULES.signals, selector: 'job="no-such-canary"' }
      const gates = await prometheusGates(prometheus.url, rules, window())
      for (const g of gates) {
        assert.equal(g.decision, 'inconclusive')
        assert.match(g.detail, /selector \{job="no-such-canary"\} .* matches no series/)
      }
    })

    test('a matcher Alertmanager refuses, and an unreachable Alertmanager', async () => {
      const refused = await new AlertWatch(alertmanager.url, ['job=~"("']).stop()
      assert.equal(refused.gate.decision, 'inconclusive')
      assert.match(refused.gate.detail, /Alertmanager answered 400: .+/)
      const away = await new AlertWatch(closed, ['job="x"']).stop()
      assert.equal(away.gate.decision, 'inconclusive')
      assert.match(away.gate.detail, /failed \(ECONNREFUSED\)/)
    })

    test("the run's metrics reach a Pushgateway; an unreachable one is a warning", async () => {
      assert.ok(burstRun, 'needs the burst run')
      const pushgateway = await startPushgateway()
      try {
        const sink = recordingLogger()
        const lines = sink.warnings
        assert.equal(await pushMetrics(pushgateway.url, burstRun.result, burstRun.run, sink), true)
        const scraped = await (await fetch(`${pushgateway.url}/metrics`)).text()
        assert.match(scraped, /clair_canary_verdict\{.*job="clair-canary".*verdict="fail"\} 1/)
        assert.equal(await pushMetrics(closed, burstRun.result, burstRun.run, sink), false)
        assert.equal(lines.length, 1)
        assert.match(lines[0]!, /could not push .* ECONNREFUSED/)
      } finally {
        await pushgateway.close()
      }
    })
  })
})
