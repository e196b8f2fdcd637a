import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadTestStats } from '../../../src/replay/stats.ts'
import type { ManifestRecord, RequestRecord } from '../../../src/rundir/types.ts'

function q(partial: Partial<RequestRecord> & Pick<RequestRecord, 'op' | 'side'>): RequestRecord {
  return { status: 200, latency_ms: 10, start_lag_ms: 0, scheduled_at_ms: 0, attempts: 1, ...partial }
}

const CLAIR_LOAD_TEST_FIELDS = [
  'total_index_report_requests',
  'total_vulnerability_report_requests',
  'total_index_report_latency_milliseconds',
  'total_vulnerability_report_latency_milliseconds',
  'latency_per_index_report_request',
  'latency_per_vulnerability_report_request',
  'non_2XX_index_report_responses',
  'non_2XX_vulnerability_report_responses',
  'max_index_report_request_latency_milliseconds',
  'max_vulnerability_report_request_latency_milliseconds',
]

const records: ManifestRecord[] = [
  {
    digest: 'sha256:a',
    requests: [
      q({ op: 'index', side: 'canary', status: 201, latency_ms: 100.4, scheduled_at_ms: 0 }),
      q({ op: 'vulnerability_report', side: 'canary', status: 200, latency_ms: 20 }),
      q({ op: 'vulnerability_report', side: 'production', status: 200, latency_ms: 30 }),
    ],
  },
  {
    digest: 'sha256:b',
    requests: [
      // 200 is not what clair-load-test expects from the POST (201): non-2XX.
      q({ op: 'index', side: 'canary', status: 200, latency_ms: 300, scheduled_at_ms: 500 }),
      q({ op: 'vulnerability_report', side: 'canary', status: 202, latency_ms: 40, error: 'not_ready' }),
    ],
  },
  {
    digest: 'sha256:c',
    requests: [
      // A transport error: counted in totals and latency, not in non_2XX.
      q({
        op: 'index',
        side: 'canary',
        status: null,
        latency_ms: 600,
        scheduled_at_ms: 1000,
        error: 'timeout',
      }),
      q({ op: 'vulnerability_report', side: 'canary', status: null, latency_ms: 30000, error: 'timeout' }),
      // Re-reads are a noise probe, not load: left out.
      q({ op: 'vulnerability_report', side: 'canary', status: 500, latency_ms: 99999, read: 1 }),
    ],
  },
  {
    digest: 'sha256:d',
    requests: [
      q({ op: 'index', side: 'canary', status: 201, latency_ms: 0, scheduled_at_ms: 1000 }),
      q({ op: 'vulnerability_report', side: 'canary', status: 202, latency_ms: 7, error: 'not_ready' }),
    ],
  },
]

test("stats.json carries clair-load-test's field names with its numeric types", () => {
  const stats = loadTestStats(records) as unknown as Record<string, unknown>
  for (const field of CLAIR_LOAD_TEST_FIELDS) assert.equal(typeof stats[field], 'number', field)
  for (const field of CLAIR_LOAD_TEST_FIELDS.filter((f) => !f.startsWith('latency_per_'))) {
    assert.ok(Number.isInteger(stats[field]), `${field} is an integer (Go int64)`)
  }
})

test('totals count transport errors; non_2XX counts only responses that are not the expected status', () => {
  const stats = loadTestStats(records)
  assert.equal(stats.total_index_report_requests, 4)
  assert.equal(stats.non_2XX_index_report_responses, 1)
  assert.equal(stats.total_index_report_latency_milliseconds, 1000)
  assert.equal(stats.latency_per_index_report_request, 1000 / 4)
  assert.equal(stats.max_index_report_request_latency_milliseconds, 600)

  // As clair-load-test: a vulnerability report is read only after a 201, so b's (POST 200) and c's (POST timed
  // out) are not its figures; d's 202 is a non-2XX answer.
  assert.equal(stats.total_vulnerability_report_requests, 2)
  assert.equal(stats.non_2XX_vulnerability_report_responses, 1)
  assert.equal(stats.total_vulnerability_report_latency_milliseconds, 27)
  assert.equal(stats.max_vulnerability_report_request_latency_milliseconds, 20)
})

test('quantiles per side and operation, and the achieved index rate', () => {
  const stats = loadTestStats(records)
  assert.equal(stats.latency.canary.index?.count, 4)
  assert.equal(stats.latency.canary.index?.max, 600)
  assert.equal(stats.latency.production.vulnerability_report?.count, 1)
  assert.ok(Math.abs((stats.latency.production.vulnerability_report?.p50 ?? 0) - 30) < 0.05)
  assert.equal(stats.latency.production.index, undefined)
  // POSTs started at 0, 500, 1000 and 1000 ms: three intervals in one second.
  assert.equal(stats.achieved_rate, 3)
})

test('no records: zeros, not NaN (JSON has no NaN)', () => {
  const stats = loadTestStats([])
  assert.equal(stats.total_index_report_requests, 0)
  assert.equal(stats.latency_per_index_report_request, 0)
  assert.equal(stats.latency_per_vulnerability_report_request, 0)
  assert.equal(stats.achieved_rate, null)
  assert.deepEqual(JSON.parse(JSON.stringify(stats)), stats)
})
