// History records: what a run keeps, the nights its canary index latency is judged against, and the fields
// learned as noisy. Records are built from the real judge's result, never written by hand.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { judge } from '../../../src/judge/judge.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { HISTORY_SCHEMA, parseHistoryRecord, type HistoryRecord } from '../../../src/history/record.ts'
import {
  MIN_NIGHTS,
  NIGHTS_GATE,
  learnNoisy,
  medianAndMad,
  noisyRuleYaml,
  notComparable,
  runHistory,
} from '../../../src/history/baseline.ts'
import { parse as parseYaml } from 'yaml'
import { parseRules } from '../../../src/config/rules.ts'
import { UserError } from '../../../src/errors.ts'
import { diffFor, difference } from '../judge/build.ts'
import { NIGHTLY_CONFIG, NIGHTLY_SETTINGS, night, records, severityChange } from './build.ts'

const severity = severityChange('CVE-2026-1 in openssl')

test('a record keeps the verdict, gates, latency per side, differences by cause and where it ran', () => {
  const diffs = [
    diffFor(1, [severity, difference({ key: 'vim', attribution: 'drift' })]),
    diffFor(2, [{ ...severity, key: 'CVE-2026-2 in openssl' }]),
  ]
  const r = night(3, 2000, diffs)
  assert.equal(r.schema, HISTORY_SCHEMA)
  assert.equal(r.verdict, 'fail')
  assert.deepEqual(
    { branch: r.branch, event: r.event, run_id: r.run_id, time: r.time },
    { branch: 'main', event: 'schedule', run_id: 3, time: '2026-11-03T03:17:00.000Z' },
  )
  assert.equal(r.clair.canary?.revision, 'abc1234')
  assert.deepEqual(r.differences, { code: 2, drift: 1, 'by-design': 0, noise: 0, allowed: 0 })
  assert.equal(r.code_manifests, 2)
  assert.deepEqual(r.fields, [
    {
      report: 'vulnerability',
      kind: 'vulnerability',
      change: 'changed',
      ecosystem: 'dpkg',
      updater: 'debian/updater/bookworm',
      fields: ['severity'],
      attribution: 'code',
      manifests: 2,
    },
  ])
  assert.equal(r.latency.canary.index?.count, 60)
  assert.equal(r.latency.canary.index?.p50, 2003)
  assert.ok(r.latency.production.vulnerability_report)
  assert.ok(r.gates.some((g) => g.name === 'index-differences' || g.name === 'vulnerability-differences'))
  // It survives a round trip through JSON and the parser.
  assert.deepEqual(parseHistoryRecord(JSON.parse(JSON.stringify(r)), 'x'), r)
  assert.ok(JSON.stringify(r).length < 4000, 'a record stays a few kilobytes')
})

test('a record that is not one is refused with one line naming it', () => {
  assert.throws(
    () => parseHistoryRecord({ schema: 'other' }, 'h/1.history.json'),
    (e: unknown) => {
      assert.ok(e instanceof UserError)
      assert.match(
        e.message,
        /^history record h\/1\.history\.json: expected schema "clair-canary\/history\/v1"/,
      )
      return true
    },
  )
  const good = night(1, 2000)
  assert.throws(
    () => parseHistoryRecord({ ...good, verdict: 'maybe' }, 'f'),
    /expected verdict pass, fail or inconclusive/,
  )
  assert.throws(
    () => parseHistoryRecord({ ...good, time: 'yesterday' }, 'f'),
    /expected time to be an ISO 8601 date/,
  )
})

function judgeWithNights(
  nights: HistoryRecord[],
  indexMs: number,
  opts: { time?: string; unavailable?: string; manifests?: number } = {},
) {
  const manifests = opts.manifests ?? 60
  const history = runHistory({
    records: nights,
    depth: 14,
    branch: 'main',
    defaultBranch: 'main',
    source: 'test',
    ...(opts.unavailable !== undefined ? { unavailable: opts.unavailable } : {}),
    current: {
      event: 'push',
      fields: [],
      code: 'x',
      productionCode: '',
      time: opts.time ?? '2026-11-30T03:17:00.000Z',
      settings: NIGHTLY_SETTINGS,
      manifests,
    },
  })
  const result = judge({
    records: records(manifests, indexMs),
    diffs: [],
    rules: DEFAULT_RULES,
    contractViolations: [],
    sample: { requested: 60, drawn: 60 },
    history,
  })
  return { result, gate: result.gates.find((g) => g.name === NIGHTS_GATE)!, history }
}

test('the canary index latency is judged against past nights: slower fails, the usual wobble passes', () => {
  const nights = [1, 2, 3, 4, 5, 6, 7, 8].map((d, i) => night(d, 2000 + (i % 3) * 40))
  const usual = judgeWithNights(nights, 2060)
  assert.equal(usual.gate.decision, 'pass', usual.gate.detail)
  assert.match(usual.gate.detail, /against 8 comparable nights on main: p50 2\.06 s vs median/)
  const slower = judgeWithNights(nights, 2800)
  assert.equal(slower.gate.decision, 'fail', slower.gate.detail)
  assert.equal(slower.result.verdict, 'fail')
  assert.match(
    slower.gate.detail,
    /^slower than past nights \(p50 1\.3\d× the median of the nights, p95 1\.3\d×/,
  )
  assert.ok(slower.result.reasons.some((r) => r.startsWith(`${NIGHTS_GATE} failed`)))
})

test('with too few nights the gate is not judged: the verdict rests on the other gates', () => {
  const few = [1, 2, 3, 4].map((d) => night(d, 2000))
  assert.equal(few.length, MIN_NIGHTS - 1)
  const { gate, result } = judgeWithNights(few, 9000)
  assert.equal(gate.decision, 'not-judged')
  assert.equal(gate.value, null)
  assert.equal(
    gate.detail,
    '4 comparable nights on main with canary index latency, 5 needed: too few to judge against',
  )
  // The first nights of a new setup: nothing else failed, so the run passes, and says what was not judged.
  assert.equal(result.verdict, 'pass')
  assert.ok(result.reasons.includes(`${NIGHTS_GATE} not judged: ${gate.detail}`), result.reasons.join('\n'))
  // Not judged never hides a failure elsewhere.
  const broken = judge({
    records: records(60, 9000),
    diffs: [diffFor(1, [severity])],
    rules: DEFAULT_RULES,
    contractViolations: [],
    sample: { requested: 60, drawn: 60 },
    history: judgeWithNights(few, 9000).history,
  })
  assert.equal(broken.verdict, 'fail')
})

test('history that could not be read leaves only the nights gate not judged', () => {
  const nights = [1, 2, 3, 4, 5, 6].map((d) => night(d, 2000))
  const why = "earlier runs' artifacts could not be listed (HTTP 403: Resource not accessible by integration)"
  const { gate, result } = judgeWithNights([], 9000, { unavailable: why })
  assert.equal(gate.decision, 'not-judged')
  assert.equal(gate.detail, `no history read: ${why}`)
  assert.equal(result.verdict, 'pass')
  assert.equal(judgeWithNights(nights, 9000).result.verdict, 'fail', 'the same run with its nights fails')
})

test('only comparable nights form the baseline; the others are set aside, each with why', () => {
  const at = (config: unknown) => (d: number) => night(d, 1000, [], 'abc1234', { config })
  const same = [10, 11, 12, 13, 14].map((d) => night(d, 2000))
  const slowerRate = [15, 16].map(at({ ...NIGHTLY_CONFIG, replay: { ...NIGHTLY_CONFIG.replay, rate: 2 } }))
  const deleted = [17].map(at({ ...NIGHTLY_CONFIG, replay: { ...NIGHTLY_CONFIG.replay, deleteFirst: true } }))
  const unstratified = [18].map(
    at({ ...NIGHTLY_CONFIG, source: { ...NIGHTLY_CONFIG.source, sampler: { strata: [] } } }),
  )
  const sharded = [19].map(at({ ...NIGHTLY_CONFIG, shard: { index: 0, total: 2 } }))
  const small = [20].map((d) => night(d, 1000, [], 'abc1234', { manifests: 20 }))
  const old = { ...night(21, 1000), run_id: 21 }
  delete old.settings
  const all = [...same, ...slowerRate, ...deleted, ...unstratified, ...sharded, small[0]!, old]
  const { history, gate } = judgeWithNights(all, 2000)
  assert.deepEqual(
    history.nights.map((n) => n.time.slice(8, 10)),
    ['14', '13', '12', '11', '10'],
  )
  assert.deepEqual(
    history.set_aside?.map((n) => `${n.time.slice(8, 10)} ${n.why}`),
    [
      '21 its record keeps no settings (written by an older clair-canary)',
      '20 20 manifests (this run 60; within 2× needed)',
      '19 another load: rate 8/s (this run 4/s), concurrency 32 (this run 16), 2 legs (this run 1)',
      '18 another sample: quay-db, no strata (this run quay-db, strata media_type,recency)',
      '17 delete-first true (this run false)',
      '16 another load: rate 2/s (this run 4/s)',
      '15 another load: rate 2/s (this run 4/s)',
    ],
  )
  // The nights set aside ran 2× faster: had they counted, this run would fail.
  assert.equal(gate.decision, 'pass', gate.detail)
  assert.match(
    gate.detail,
    /^canary index latency against 5 comparable nights on main \(7 set aside: 2026-11-21: its record keeps no settings \(written by an older clair-canary\); 2026-11-20: 20 manifests \(this run 60; within 2× needed\); 2026-11-19: another load: .*; 4 more\): p50 /,
  )
})

test('comparable: the same load, fresh indexing, sample mix and layers, and a sample within 2×', () => {
  const base = night(1, 2000)
  const current = { settings: NIGHTLY_SETTINGS, manifests: 60 }
  assert.equal(notComparable(base, current), undefined)
  assert.equal(notComparable(base, { ...current, manifests: 120 }), undefined)
  assert.equal(notComparable(base, { ...current, manifests: 30 }), undefined)
  assert.match(notComparable(base, { ...current, manifests: 121 }) ?? '', /^60 manifests \(this run 121/)
  assert.match(
    notComparable(base, { ...current, settings: { ...NIGHTLY_SETTINGS, layers: 'registry' } }) ?? '',
    /^layers s3 \(this run registry\)$/,
  )
  // The canary's release is what is judged, and production is only read: neither sets a night aside.
  const otherBuild = night(2, 2000, [], 'def5678')
  assert.equal(notComparable(otherBuild, current), undefined)
})

test('only scheduled runs on the default branch are nights; later records and re-run attempts are left out', () => {
  const nights = [1, 2, 3, 4, 5].map((d) => night(d, 2000))
  const push = { ...night(6, 100), event: 'push', run_id: 60 }
  const otherBranch = { ...night(7, 100), branch: 'feature', run_id: 70 }
  const later = { ...night(30, 100), time: '2026-12-01T00:00:00.000Z', run_id: 99 }
  const attempt = { ...nights[0]!, time: '2026-11-01T04:00:00.000Z' }
  const { history, gate } = judgeWithNights([...nights, push, otherBranch, later, attempt], 2000)
  assert.deepEqual(
    history.nights.map((n) => n.time.slice(0, 10)),
    ['2026-11-05', '2026-11-04', '2026-11-03', '2026-11-02', '2026-11-01'],
  )
  assert.equal(history.nights.at(-1)!.time, '2026-11-01T04:00:00.000Z', 'the newest attempt of a run counts')
  assert.deepEqual(
    history.runs.map((r) => r.event),
    ['push', 'schedule', 'schedule', 'schedule', 'schedule', 'schedule'],
  )
  assert.equal(gate.decision, 'pass')
})

test('median and MAD', () => {
  assert.deepEqual(medianAndMad([1, 2, 3, 4, 100]), { median: 3, mad: 1 })
  assert.deepEqual(medianAndMad([10, 20]), { median: 15, mad: 5 })
})

test('a field that comes back night after night with the same code is learned as noisy, and a rule is suggested', async () => {
  // The nightly runs production's own build on the canary: no night has a code change.
  const withSeverity = (d: number) => night(d, 2000, [diffFor(d, [severity])])
  const nights = [withSeverity(5), night(4, 2000), withSeverity(3), withSeverity(2)]
  const fields = nights.map((n) => ({
    time: n.time,
    fields: n.fields,
    code: 'v4.9.0 abc1234',
    productionCode: 'v4.9.0 abc1234',
  }))
  const noisy = learnNoisy(fields)
  assert.equal(noisy.length, 1)
  assert.deepEqual(
    { text: noisy[0]!.text, nights: noisy[0]!.nights, of: noisy[0]!.of, unchanged: noisy[0]!.unchanged },
    {
      text: 'vulnerability vulnerability changed (dpkg, debian/updater/bookworm): severity',
      nights: 3,
      of: 4,
      unchanged: 3,
    },
  )
  const yaml = ['ignore:', ...noisyRuleYaml(noisy[0]!)].join('\n')
  const rules = parseRules(yaml, 'suggested.yaml')
  assert.equal(rules.ignore.length, 1)
  assert.deepEqual(parseYaml(yaml), {
    ignore: [
      {
        report: 'vulnerability',
        kind: 'vulnerability',
        change: 'changed',
        ecosystem: 'dpkg',
        updater: 'debian/updater/bookworm',
        key: 'CVE-2026-1 in openssl',
        reason: 'noisy: differed on 3 of 4 nights, 3 without a code change (severity)',
      },
    ],
  })
})

test('a difference that starts with a code change and stays is not noise', () => {
  // Each night a new build (canary ahead of production); the difference appears with build b and stays.
  const builds = ['e', 'd', 'c', 'b', 'a']
  const nights = builds.map((code, i) => ({
    time: `2026-11-0${5 - i}T03:00:00Z`,
    fields: code <= 'b' ? [] : night(1, 2000, [diffFor(1, [severity])]).fields,
    code,
    productionCode: 'prod',
  }))
  assert.deepEqual(learnNoisy(nights), [])
})
