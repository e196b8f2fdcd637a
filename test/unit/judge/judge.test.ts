import { test } from 'node:test'
import assert from 'node:assert/strict'
import { judge, MIN_LATENCY_PAIRS, ROUTE_TIMEOUT_MS } from '../../../src/judge/judge.ts'
import type { JudgeInput } from '../../../src/judge/judge.ts'
import type { Gate, ManifestRecord, Result } from '../../../src/rundir/types.ts'
import { diffFor, difference, latencyRecords, manifestRecord, testRules } from './build.ts'

function input(records: ManifestRecord[], extra: Partial<JudgeInput> = {}): JudgeInput {
  return {
    records,
    diffs: [],
    rules: testRules(),
    contractViolations: [],
    sample: { requested: records.length, drawn: records.length },
    ...extra,
  }
}

function gate(result: Result, name: string): Gate {
  const g = result.gates.find((x) => x.name === name)
  assert.ok(g, `no gate ${name} in ${result.gates.map((x) => x.name).join(', ')}`)
  return g
}

/** 100 healthy manifests: equal latency up to symmetric noise. */
function healthy(n = 100): ManifestRecord[] {
  return latencyRecords(n, 'healthy', (p, _i, noise) => p * noise)
}

test('a healthy run passes every gate', () => {
  const r = judge(input(healthy()))
  assert.equal(r.verdict, 'pass', r.reasons.join('\n'))
  for (const g of r.gates) assert.equal(g.decision, 'pass', `${g.name}: ${g.detail}`)
  assert.equal(r.counts.compared, 100)
  assert.equal(r.counts.manifests, 100)
})

test('0 vs 3 canary-only failures fails, on counts, although McNemar alone is not significant', () => {
  const records = healthy().map((rec, i) =>
    i < 3
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'index', class: 'index_error', message: 'failed to fetch layer' },
        })
      : rec,
  )
  const r = judge(input(records))
  const g = gate(r, 'canary-only-failures')
  assert.equal(r.verdict, 'fail')
  assert.equal(g.decision, 'fail')
  assert.equal(g.value, 3)
  assert.match(g.detail, /3 manifests production indexed but the canary did not \(index_error 3\)/)
  assert.match(g.detail, /production-only failures: 0/)
  assert.match(g.detail, /McNemar p = 0\.25/)
  assert.equal(r.counts.canary_only_failures, 3)
  assert.match(r.reasons[0]!, /^canary-only-failures failed/)
  assert.equal(r.aggregates.canaryOnlyFailures.length, 3)
  assert.equal(r.aggregates.errors[0]?.class, 'index_error')
})

test("the failure's example gives Clair's text to its cause, without the request the gate already names", () => {
  // The demo's planted failure: the label and Clair's error code take 68 characters before what went wrong.
  const message =
    'canary POST /indexer/api/v1/index_report: HTTP 500: internal-error: failed to start scan: failed to scan all layer contents: scanner: python/3: unexpected EOF reading METADATA'
  const records = healthy().map((rec, i) =>
    i === 0
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'index', class: 'index_error', message },
        })
      : rec,
  )
  const g = gate(judge(input(records)), 'canary-only-failures')
  assert.match(
    g.detail,
    /\(HTTP 500: internal-error: failed to start scan: .*python\/3: unexpected EOF reading METADATA\)/,
  )
  assert.doesNotMatch(g.detail, /POST \/indexer/)
})

test('a canary report in IndexError without a request error still counts as a canary failure', () => {
  const records = healthy().map((rec, i) => (i === 7 ? { ...rec, canary_state: 'IndexError' } : rec))
  const g = gate(judge(input(records)), 'canary-only-failures')
  assert.equal(g.value, 1)
  assert.equal(g.decision, 'fail')
})

test('production-only failures do not fail the canary', () => {
  const records = healthy().map((rec, i) =>
    i < 3
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          productionError: { op: 'vulnerability_report', class: 'timeout', status: null },
        })
      : rec,
  )
  const r = judge(input(records))
  assert.equal(r.verdict, 'pass', r.reasons.join('\n'))
  assert.equal(gate(r, 'canary-only-failures').value, 0)
  assert.equal(r.counts.production_only_failures, 3)
  assert.ok(r.reasons.some((x) => /3 manifests failed only on production/.test(x)))
})

test('a production error rate over the limit makes the run inconclusive, not pass', () => {
  const records = healthy().map((rec, i) =>
    i < 10
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          productionError: { op: 'index_report', class: 'connection', status: null },
        })
      : rec,
  )
  const r = judge(input(records))
  assert.equal(r.verdict, 'inconclusive')
  assert.match(gate(r, 'evidence').detail, /production failed on 10% of manifests/)
})

test('drift-only differences pass and are explained as drift', () => {
  const diffs = Array.from({ length: 40 }, (_, i) =>
    diffFor(i, [
      difference({
        report: 'vulnerability',
        kind: 'vulnerability',
        change: 'added',
        key: `CVE-2026-${1000 + i} openssl 3.0.11-1~deb12u2 (debian-updater)`,
        attribution: 'drift',
        updater: 'debian-updater',
        why: 'debian-updater fingerprints differ',
      }),
    ]),
  )
  const r = judge(input(healthy(), { diffs }))
  assert.equal(r.verdict, 'pass', r.reasons.join('\n'))
  assert.equal(gate(r, 'vulnerability-differences').value, 0)
  assert.equal(r.counts.drift, 40)
  assert.equal(r.counts.different, 40)
  assert.ok(
    r.reasons.some((x) =>
      /40 vulnerability differences explained by vulnerability-data drift \(updater debian-updater fingerprints differ\) — not a code change/.test(
        x,
      ),
    ),
    r.reasons.join('\n'),
  )
})

test('a code removal fails with a why naming the biggest cause', () => {
  const diffs = [
    ...Array.from({ length: 18 }, (_, i) =>
      diffFor(i, [
        difference({
          key: 'requests 2.31.0 (python, /usr/lib/python3.11/site-packages)',
          ecosystem: 'python',
          before: { name: 'requests', version: '2.31.0' },
        }),
      ]),
    ),
    diffFor(50, [
      difference({ key: 'zlib 1.2.13 (dpkg, var/lib/dpkg/status)', ecosystem: 'dpkg', change: 'added' }),
    ]),
  ]
  const r = judge(input(healthy(), { diffs }))
  const g = gate(r, 'index-differences')
  assert.equal(r.verdict, 'fail')
  assert.equal(g.value, 19)
  assert.match(g.detail, /python packages removed on 18 manifests \(e\.g\. requests 2\.31\.0 \(python/)
  // up to three causes are named, the biggest first
  assert.match(g.detail, /; dpkg packages added on 1 manifest \(e\.g\. zlib 1\.2\.13/)
  assert.doesNotMatch(g.detail, /other cause/)
  assert.equal(r.aggregates.differences[0]?.ecosystem, 'python')
  assert.equal(r.aggregates.differences[0]?.examples.length, 5)
})

test('differences are ordered code first, then by manifests affected', () => {
  const diffs = [
    ...Array.from({ length: 30 }, (_, i) =>
      diffFor(i, [
        difference({ report: 'vulnerability', kind: 'vulnerability', key: `CVE-${i}`, attribution: 'drift' }),
      ]),
    ),
    diffFor(40, [difference({ key: 'a 1', ecosystem: 'apk' })]),
    diffFor(41, [difference({ key: 'b 1', ecosystem: 'rpm' }), difference({ key: 'c 1', ecosystem: 'rpm' })]),
    diffFor(42, [difference({ key: 'c 1', ecosystem: 'rpm' })]),
  ]
  const order = judge(input(healthy(), { diffs })).aggregates.differences.map(
    (g) => `${g.attribution}/${g.ecosystem}`,
  )
  assert.deepEqual(order, ['code/rpm', 'code/apk', 'drift/null'])
})

test('code differences within the allowed count pass and still say what they are', () => {
  const diffs = [diffFor(1, [difference({ key: 'musl 1.2.4 (apk)', ecosystem: 'apk' })])]
  const rules = testRules({ maxCodeDifferences: { index: 2, vulnerability: 0 } })
  const g = gate(judge(input(healthy(), { diffs, rules })), 'index-differences')
  assert.equal(g.decision, 'pass')
  assert.match(g.detail, /within the 2 allowed: apk packages removed on 1 manifest/)
})

test('differences on a manifest the canary failed to index are judged once, by the failures gate', () => {
  const records = healthy().map((rec, i) =>
    i === 0
      ? manifestRecord(0, {
          productionMs: 1,
          canaryMs: 1,
          canaryError: { op: 'index', class: 'index_error' },
        })
      : rec,
  )
  const diffs = [
    diffFor(0, [
      difference({ kind: 'state', change: 'changed', key: 'state' }),
      difference({ key: 'bash 5.2 (dpkg)', ecosystem: 'dpkg' }),
    ]),
  ]
  const r = judge(input(records, { diffs }))
  assert.equal(gate(r, 'index-differences').value, 0)
  assert.equal(r.counts.different, 0)
  assert.equal(gate(r, 'canary-only-failures').value, 1)
})

test('latency: a 1.05x uniform slowdown over thousands of pairs is significant but under the effect floor: pass', () => {
  const r = judge(input(latencyRecords(3000, 'uniform', (p, _i, noise) => p * 1.05 * noise)))
  const g = gate(r, 'vulnerability-report-latency')
  const paired = r.aggregates.latency.vulnerabilityReport!
  assert.ok(paired.wilcoxon.pGreater < paired.alphaPerTest, 'the slowdown should be significant')
  assert.ok(paired.medianRatio > 1.03 && paired.medianRatio < 1.1)
  assert.equal(g.decision, 'pass', g.detail)
  assert.match(g.detail, /within the 1\.1× effect floor/)
  assert.match(g.detail, /lower bound 1\.0\d× > 1×/)
  assert.equal(paired.decidedBy, 'none')
})

test('latency: a 3x slowdown of the slowest manifests with the median unchanged fails on the p99 tail', () => {
  // The biggest manifests (production above ~p97) become three times slower; the rest are untouched.
  const r = judge(input(latencyRecords(2000, 'tail', (p, _i, noise) => (p > 300 ? 3 * p : p) * noise)))
  const g = gate(r, 'vulnerability-report-latency')
  const paired = r.aggregates.latency.vulnerabilityReport!
  assert.ok(paired.medianRatio < 1.02, `median paired ratio ${paired.medianRatio} should be unchanged`)
  assert.ok(paired.ratios.p99 > 2)
  assert.equal(g.decision, 'fail', g.detail)
  assert.equal(paired.decidedBy, 'tail p99')
  assert.match(g.detail, /^slow tail: p99 \d\.\d\d× > 2×/)
  assert.match(g.detail, /exact McNemar p < 0\.0001/)
})

test('latency: a broad 1.5x slowdown fails on location, and the detail names the deciding numbers', () => {
  const r = judge(input(latencyRecords(500, 'broad', (p, _i, noise) => p * 1.5 * noise)))
  const g = gate(r, 'vulnerability-report-latency')
  assert.equal(g.decision, 'fail')
  assert.equal(r.aggregates.latency.vulnerabilityReport!.decidedBy, 'location')
  assert.match(
    g.detail,
    /^canary slower: median paired ratio 1\.\d\d× \(99% CI 1\.\d\d×–1\.\d\d×\) > 1\.1× floor, and its one-sided 99\.7% lower bound 1\.\d\d× > 1×/,
  )
})

test('latency: a large ratio on too few pairs to be significant passes, and says it was not significant', () => {
  const r = judge(
    input(
      latencyRecords(12, 'few', (p, i, noise) => (i === 0 ? 10 * p : p) * noise),
      {
        rules: testRules({ minCompared: 10 }),
      },
    ),
  )
  const g = gate(r, 'vulnerability-report-latency')
  assert.equal(g.decision, 'pass', g.detail)
  assert.match(g.detail, /not significant/)
})

test('latency: fewer than 10 pairs is inconclusive, never pass', () => {
  const records = latencyRecords(MIN_LATENCY_PAIRS - 1, 'small', (p) => p)
  const r = judge(input(records, { rules: testRules({ minCompared: 1 }) }))
  assert.equal(gate(r, 'vulnerability-report-latency').decision, 'inconclusive')
  assert.equal(r.verdict, 'inconclusive')
})

test('a small sample is inconclusive, never pass', () => {
  const r = judge(input(healthy(12)))
  assert.equal(r.verdict, 'inconclusive')
  assert.equal(gate(r, 'evidence').decision, 'inconclusive')
  assert.match(gate(r, 'evidence').detail, /only 12 of 12 manifests compared \(30 needed\)/)
  assert.match(r.reasons[0]!, /^evidence inconclusive/)
})

test('an incomplete stage is inconclusive', () => {
  const r = judge(input(healthy(), { incomplete: [{ stage: 'replay', reason: 'cancelled' }] }))
  assert.equal(r.verdict, 'inconclusive')
  assert.match(gate(r, 'evidence').detail, /stage replay did not complete: cancelled/)
})

test('a failing gate wins over an inconclusive one', () => {
  const diffs = [diffFor(1, [difference({ key: 'x 1' })])]
  const r = judge(input(healthy(5), { diffs }))
  assert.equal(r.verdict, 'fail')
  assert.match(r.reasons[0]!, /failed/)
  assert.match(r.reasons[1]!, /inconclusive/)
})

test('index latency: the p95 limit and the route timeout', () => {
  const slow = healthy().map((rec, i) => ({
    ...rec,
    requests: rec.requests.map((q) =>
      q.op === 'index' ? { ...q, latency_ms: i === 0 ? ROUTE_TIMEOUT_MS + 1 : 1000 } : q,
    ),
  }))
  const g = gate(judge(input(slow)), 'index-latency')
  assert.equal(g.decision, 'fail')
  assert.match(g.detail, /1 request at or past the 5 min route timeout/)

  const p95 = healthy().map((rec, i) => ({
    ...rec,
    requests: rec.requests.map((q) => (q.op === 'index' ? { ...q, latency_ms: i < 10 ? 90_000 : 1000 } : q)),
  }))
  const g2 = gate(judge(input(p95)), 'index-latency')
  assert.equal(g2.decision, 'fail')
  assert.match(g2.detail, /^p95 1\.5 min > 1 min/)
})

test('quay-contract: canary violations fail, production ones are only mentioned', () => {
  const violation = {
    digest: 'sha256:ab',
    op: 'vulnerability_report',
    message: "must have required property 'links'",
  }
  const r = judge(
    input(healthy(), {
      contractViolations: [
        { ...violation, side: 'canary' },
        { ...violation, side: 'production' },
      ],
    }),
  )
  const g = gate(r, 'quay-contract')
  assert.equal(g.decision, 'fail')
  assert.equal(g.value, 1)
  assert.match(
    g.detail,
    /1 canary response break.*required property 'links'.*production itself has 1 violation/,
  )
})

test('re-judging report stores (no records) leaves out the error and latency gates and says so', () => {
  const r = judge({
    records: [],
    diffs: [],
    rules: testRules(),
    contractViolations: [],
    sample: { requested: 40, drawn: 40 },
    coverage: { manifests: 40, distributions: {}, ecosystems: {}, updaters: {} },
  })
  assert.deepEqual(
    r.gates.map((g) => g.name),
    ['index-differences', 'vulnerability-differences', 'quay-contract', 'evidence'],
  )
  assert.equal(r.verdict, 'pass')
  assert.equal(r.counts.compared, 40)
  assert.ok(r.reasons.some((x) => /errors and latency not judged/.test(x)))
})

test('expired rules, new fields and a short sample appear as information', () => {
  const r = judge(
    input(healthy(), {
      sample: { requested: 120, drawn: 100 },
      expiredRules: [
        { reason: 'python scanner rewrite', expires: '2026-01-01' },
        { reason: 'rpm ndb', expires: '2026-02-01' },
        { reason: 'go stdlib', expires: '2026-03-01' },
      ],
      newFields: ['Self', 'Aliases'],
    }),
  )
  assert.equal(r.verdict, 'pass')
  assert.ok(
    r.reasons.some((x) =>
      /^3 expected-change rules expired.*python scanner rewrite \(expired 2026-01-01\)/.test(x),
    ),
  )
  assert.ok(r.reasons.some((x) => x === 'new fields in the reports, not compared: Aliases, Self'))
  assert.ok(r.reasons.some((x) => /100 of the 120 manifests requested/.test(x)))
})

test('every gate has a value, a threshold, a decision and a one-line detail', () => {
  const r = judge(input(healthy(), { diffs: [diffFor(1, [difference({ key: 'a\nb 1' })])] }))
  for (const g of r.gates) {
    assert.ok(g.threshold.length > 0)
    assert.ok(g.detail.length > 0)
    assert.ok(!/[\n\r]/.test(g.detail), `${g.name}: ${g.detail}`)
  }
})

test('late starts are said, not silently folded into latency', () => {
  const records = healthy().map((rec, i) => ({
    ...rec,
    requests: rec.requests.map((q) => ({ ...q, start_lag_ms: i % 10 === 0 ? 4000 : 0 })),
  }))
  const r = judge(input(records))
  assert.ok(
    r.reasons.some((x) => /started requests late \(start lag p95 4 s, max 4 s\)/.test(x)),
    r.reasons.join('\n'),
  )
  assert.equal(r.aggregates.startLag?.max, 4000)
})

test('canary setup errors (401, matcher not ready) are inconclusive, not a canary failure', () => {
  const records = healthy().map((rec, i) =>
    i < 20
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: {
            op: 'vulnerability_report',
            class: i % 2 ? 'unauthorized' : 'not_ready',
            status: 401,
          },
        })
      : rec,
  )
  const r = judge(input(records))
  assert.equal(gate(r, 'canary-only-failures').value, 0)
  assert.equal(r.verdict, 'inconclusive')
  assert.match(
    gate(r, 'evidence').detail,
    /the canary refused 20% of manifests for setup reasons \(not_ready 10, unauthorized 10\)/,
  )
  assert.equal(r.counts.canary_errors, 20)
})

test('when evidence is missing, that is the first reason given', () => {
  const r = judge(input([], { sample: { requested: 50, drawn: 50 } }))
  assert.equal(r.verdict, 'inconclusive')
  assert.match(r.reasons[0]!, /^evidence inconclusive/)
})

test('vulnerability differences with a side whose update operations are unknown are inconclusive, not a failure', () => {
  const vulnDiff = (i: number) =>
    diffFor(i, [
      difference({
        report: 'vulnerability',
        kind: 'vulnerability',
        change: 'added',
        key: 'CVE-2026-0001 on openssl 3.0.11 (dpkg, var/lib/dpkg/status)',
        updater: 'debian-updater',
      }),
    ])
  const diffs = [vulnDiff(1), vulnDiff(2)]
  const known = judge(input(healthy(), { diffs }))
  assert.equal(gate(known, 'vulnerability-differences').decision, 'fail')
  const unknown = judge(input(healthy(), { diffs, unknownUpdateOperations: ['production'] }))
  const g = gate(unknown, 'vulnerability-differences')
  assert.equal(g.decision, 'inconclusive')
  assert.match(g.detail, /update operations of production could not be read/)
  assert.equal(unknown.verdict, 'inconclusive')
  // index differences do not depend on vulnerability data: they still fail
  const index = judge(
    input(healthy(), {
      diffs: [...diffs, diffFor(3, [difference({ key: 'zlib 1.2.13 (dpkg, var/lib/dpkg/status)' })])],
      unknownUpdateOperations: ['production'],
    }),
  )
  assert.equal(index.verdict, 'fail')
})

test('the outputs count manifests exactly: code-differences, different and errors', async () => {
  const { verdictOutputs } = await import('../../../src/github/output.ts')
  const { OUTPUTS } = await import('../../../src/config/inputs.ts')
  const records = healthy().map((rec, i) =>
    i === 5
      ? manifestRecord(5, {
          productionMs: 1,
          canaryMs: 1,
          canaryError: { op: 'index', class: 'index_error' },
        })
      : i === 6
        ? manifestRecord(6, {
            productionMs: 1,
            canaryMs: 1,
            productionError: { op: 'vulnerability_report', class: 'timeout', status: null },
          })
        : rec,
  )
  const diffs = [
    // three code differences on one manifest count one manifest
    diffFor(0, [difference({ key: 'a' }), difference({ key: 'b' }), difference({ key: 'c' })]),
    diffFor(1, [difference({ key: 'a' }), difference({ key: 'x', attribution: 'drift' })]),
    diffFor(2, [difference({ key: 'x', attribution: 'drift' })]),
    // the canary failed manifest 5: its differences are that failure, judged by the failures gate
    diffFor(5, [difference({ key: 'a' })]),
  ]
  const r = judge(input(records, { diffs }))
  assert.deepEqual(verdictOutputs(r, 'failure'), {
    verdict: 'fail',
    conclusion: 'failure',
    manifests: '100',
    compared: '98',
    different: '3',
    'code-differences': '2',
    errors: '2',
  })
  assert.equal(r.counts.code, 4, 'the attribution counts still count differences')
  const published = new Set(Object.keys(verdictOutputs(r, 'failure')))
  for (const o of OUTPUTS)
    // canary-revision comes from run.json, not result.json.
    if (!/url|id$|path|run-dir|revision/.test(o.name)) assert.ok(published.has(o.name), `output ${o.name}`)
})

test('a canary that answers nothing is blamed by name, and no latency or difference gate passes', () => {
  const records = Array.from({ length: 40 }, (_, i) =>
    manifestRecord(i, {
      productionMs: 100,
      canaryMs: 1,
      indexMs: 3,
      canaryError: { op: 'index', class: 'connection', status: null, message: 'connect ECONNREFUSED' },
    }),
  )
  const r = judge(input(records))
  assert.equal(
    r.reasons[0],
    "the canary could not be reached: every one of its requests for 40 manifests failed without an answer (connection 40); production answered, so this is the canary's side",
  )
  assert.ok(!r.reasons.some((x) => /production failed/.test(x)), r.reasons.join('\n'))
  assert.equal(gate(r, 'index-latency').decision, 'inconclusive')
  assert.match(
    gate(r, 'index-latency').detail,
    /no canary index request got an answer \(40 requests failed without one\)/,
  )
  for (const name of [
    'index-differences',
    'vulnerability-differences',
    'quay-contract',
    'vulnerability-report-latency',
  ])
    assert.notEqual(gate(r, name).decision, 'pass', name)
  assert.equal(r.counts.canary_errors, 40)
  assert.equal(r.counts.production_errors, 0)
})

test('a canary whose every request fails with an answer is named too; its failed answers count as latency', () => {
  const records = Array.from({ length: 40 }, (_, i) =>
    manifestRecord(i, {
      productionMs: 100,
      canaryMs: 1,
      canaryError: { op: 'index', class: 'http_5xx', status: 500 },
    }),
  )
  const r = judge(input(records))
  assert.equal(r.verdict, 'fail')
  assert.match(r.reasons[0]!, /^every canary request failed, for all 40 manifests \(http_5xx 40\)/)
  assert.equal(gate(r, 'index-latency').decision, 'pass')
})

test('when nothing was replayed, the reasons say so and do not speak of re-judged stores', () => {
  const r = judge(
    input([], {
      sample: { requested: 50, drawn: 50 },
      incomplete: [{ stage: 'target', reason: 'the canary did not become ready within 600 s' }],
    }),
  )
  assert.equal(r.verdict, 'inconclusive')
  assert.match(
    r.reasons[0]!,
    /^evidence inconclusive: stage target did not complete: the canary did not become ready/,
  )
  assert.ok(r.reasons.includes('errors and latency not judged: nothing was replayed'), r.reasons.join('\n'))
  assert.ok(!r.reasons.some((x) => /re-judged/.test(x)))
  assert.ok(!r.reasons.some((x) => /not judged: no manifest was compared/.test(x)), 'said once, by evidence')
})
