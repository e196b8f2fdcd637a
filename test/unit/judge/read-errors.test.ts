// A read that fails is not an index that failed (issue 11): how the judge classifies each side's errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { judge } from '../../../src/judge/judge.ts'
import type { JudgeInput } from '../../../src/judge/judge.ts'
import type { ManifestRecord } from '../../../src/rundir/types.ts'
import { diffFor, difference, latencyRecords, manifestRecord, request, testRules } from './build.ts'

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

const healthy = (n = 100) => latencyRecords(n, 'read-errors', (p, _i, noise) => p * noise)
const gate = (r: ReturnType<typeof judge>, name: string) => r.gates.find((g) => g.name === name)!

test('a canary report that could not be read is no canary failure; a few of them still pass', () => {
  const records = healthy().map((rec, i) =>
    i < 2
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'vulnerability_report', class: 'truncated', status: 200 },
        })
      : rec,
  )
  // The half-read report differs from production's: that is the failed read again, not a code difference.
  const diffs = [diffFor(0, [difference({ key: 'openssl 3.0.11-1 (dpkg)' })])]
  const r = judge(input(records, { diffs }))
  assert.equal(r.verdict, 'pass', r.reasons.join('\n'))
  assert.equal(gate(r, 'canary-only-failures').value, 0)
  assert.equal(gate(r, 'index-differences').value, 0)
  assert.equal(r.counts.compared, 98)
  assert.equal(r.counts.canary_errors, 2)
  assert.equal(r.aggregates.outcomes.canaryUnread, 2)
})

test('canary reads failing on every manifest make the run inconclusive, never a pass or a fail', () => {
  for (const cls of ['connection', 'truncated', 'timeout', 'cancelled'] as const) {
    const records = healthy(60).map((_, i) =>
      manifestRecord(i, {
        productionMs: 100,
        canaryMs: 100,
        canaryError: { op: 'index_report', class: cls, status: null },
      }),
    )
    const r = judge(input(records))
    assert.equal(r.verdict, 'inconclusive', `${cls}: ${r.reasons.join('\n')}`)
    assert.equal(gate(r, 'canary-only-failures').decision, 'pass')
    assert.match(gate(r, 'evidence').detail, new RegExp(`could not be read \\(${cls} 60\\)`))
  }
})

test("a POST whose answer was lost, while both reports were then read, is judged by the reports' state", () => {
  const records = healthy().map((rec, i) =>
    i < 3
      ? manifestRecord(i, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'index', class: 'connection', status: null },
        })
      : rec,
  )
  // manifestRecord leaves out the canary's vulnerability read after a failed POST; put it back.
  for (const rec of records.slice(0, 3)) rec.requests.push(request('vulnerability_report', 'canary', 100))
  const r = judge(input(records))
  assert.equal(r.verdict, 'pass', r.reasons.join('\n'))
  assert.equal(r.counts.compared, 100)
  // The same POST failure with an IndexError report read back is the canary's failure.
  records[0]!.canary_state = 'IndexError'
  assert.equal(judge(input(records)).verdict, 'fail')
})

test('a POST that failed for real is not excused by a failed read', () => {
  const records = healthy().map((rec, i) =>
    i === 0
      ? manifestRecord(0, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'index', class: 'http_5xx', status: 500 },
        })
      : rec,
  )
  records[0]!.requests.push(
    request('vulnerability_report', 'canary', 100, { class: 'truncated', status: 200 }),
  )
  const r = judge(input(records))
  assert.equal(r.verdict, 'fail')
  assert.match(gate(r, 'canary-only-failures').detail, /http_5xx 1/)
})

test('an answer that is not a report: the canary failed with its own class; production is no baseline', () => {
  const canary = healthy().map((rec, i) =>
    i === 0
      ? manifestRecord(0, {
          productionMs: 100,
          canaryMs: 100,
          canaryError: { op: 'index_report', class: 'not_report', status: 200 },
        })
      : rec,
  )
  const c = judge(input(canary, { diffs: [diffFor(0, [difference({ key: 'bash 5.2 (dpkg)' })])] }))
  assert.equal(gate(c, 'canary-only-failures').decision, 'fail')
  assert.match(gate(c, 'canary-only-failures').detail, /not_report 1/)
  assert.equal(gate(c, 'index-differences').value, 0, 'never a code difference')

  const production = healthy().map((_, i) =>
    manifestRecord(i, {
      productionMs: 100,
      canaryMs: 100,
      productionError: { op: 'vulnerability_report', class: 'not_report', status: 200 },
    }),
  )
  const p = judge(input(production))
  assert.equal(p.verdict, 'inconclusive', p.reasons.join('\n'))
  assert.equal(gate(p, 'canary-only-failures').value, 0)
  assert.match(gate(p, 'evidence').detail, /production failed on 100/)
})

test('production reads that fail count towards its error rate, never against the canary', () => {
  const records = healthy().map((_, i) =>
    manifestRecord(i, {
      productionMs: 100,
      canaryMs: 100,
      productionError: { op: 'index_report', class: 'timeout', status: null },
    }),
  )
  const r = judge(input(records))
  assert.equal(r.verdict, 'inconclusive')
  assert.equal(gate(r, 'canary-only-failures').value, 0)
  assert.equal(r.counts.production_errors, 100)
})
