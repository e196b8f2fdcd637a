import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chooseRereads, replay } from '../../../src/replay/replay.ts'
import { seededRandom } from '../../../src/seeded.ts'
import { FakeClair, indexReport } from './fake-clair.ts'
import { FakeClock } from './fake-clock.ts'
import type { ReplayOptions } from '../../../src/config/types.ts'
import type { ReportSink, SinkSide } from '../../../src/replay/replay.ts'
import type { ManifestRecord, SampledManifest } from '../../../src/rundir/types.ts'
import { recordingLogger } from '../../support/log.ts'

const digest = (i: number): string => `sha256:${i.toString(16).padStart(64, '0')}`

function sample(n: number): SampledManifest[] {
  return Array.from({ length: n }, (_, i) => ({
    manifest: {
      hash: digest(i),
      layers: [{ hash: digest(1000 + i), uri: `https://blobs.example/${i}`, headers: {} }],
    },
  }))
}

const OPTIONS: ReplayOptions = {
  rate: 10,
  concurrency: 4,
  productionRate: 50,
  deleteFirst: false,
  rereadFraction: 0,
}

class MemorySink implements ReportSink {
  readonly writes: Array<{
    side: SinkSide
    report: 'index' | 'vulnerability'
    digest: string
    body: unknown
  }> = []
  async write(
    side: SinkSide,
    report: 'index' | 'vulnerability',
    digest: string,
    body: unknown,
  ): Promise<void> {
    this.writes.push({ side, report, digest, body })
  }
  keys(side: SinkSide): string[] {
    return this.writes
      .filter((w) => w.side === side)
      .map((w) => `${w.report} ${w.digest}`)
      .sort()
  }
}

function setup(seed = 'seed-1') {
  const clock = new FakeClock()
  const canary = new FakeClair('canary', clock)
  const production = new FakeClair('production', clock, 8)
  const store = new MemorySink()
  const log = recordingLogger()
  const deps = {
    canary,
    production,
    store,
    clock,
    random: seededRandom(seed),
    log,
  }
  return { clock, canary, production, store, deps, lines: log.infos }
}

const recordOf = (records: ManifestRecord[], i: number): ManifestRecord => {
  const r = records.find((x) => x.digest === digest(i))
  assert.ok(r, `no record for manifest ${i}`)
  return r
}

test('production only ever sees GETs; the canary gets the POSTs', async () => {
  const { canary, production, deps } = setup()
  const out = await replay(sample(6), { ...OPTIONS, deleteFirst: true, rereadFraction: 0.5 }, deps)
  assert.deepEqual(production.forbidden, [])
  assert.ok(production.calls.length > 0)
  assert.ok(production.calls.every((c) => c.method.startsWith('GET')))
  assert.equal(canary.calls.filter((c) => c.method === 'POST index_report').length, 6)
  for (const r of out.records) {
    for (const q of r.requests.filter((q) => q.side === 'production')) {
      assert.ok(q.op === 'index_report' || q.op === 'vulnerability_report', `production ${q.op}`)
    }
  }
})

test('every manifest: one POST, then both reports from both sides, written to the sink as they arrive', async () => {
  const { store, deps } = setup()
  const n = 5
  const out = await replay(sample(n), OPTIONS, deps)
  assert.equal(out.aborted, false)
  assert.deepEqual(
    out.records.map((r) => r.digest),
    sample(n).map((s) => s.manifest.hash),
  )
  const expected = Array.from({ length: n }, (_, i) => [`index ${digest(i)}`, `vulnerability ${digest(i)}`])
    .flat()
    .sort()
  assert.deepEqual(store.keys('canary'), expected)
  assert.deepEqual(store.keys('production'), expected)
  for (const r of out.records) {
    assert.deepEqual(r.requests.map((q) => `${q.side} ${q.op}`).sort(), [
      'canary index',
      'canary index_report',
      'canary vulnerability_report',
      'production index_report',
      'production vulnerability_report',
    ])
    assert.equal(r.canary_state, 'IndexFinished')
    assert.equal(r.production_state, 'IndexFinished')
    assert.equal(r.fresh_index, null)
  }
  assert.ok(out.timings['index'] !== undefined && out.timings['fetch'] !== undefined)
})

test('deleteFirst: DELETE precedes each POST and a successful POST is a fresh index', async () => {
  const { canary, deps } = setup()
  const out = await replay(sample(4), { ...OPTIONS, deleteFirst: true }, deps)
  for (let i = 0; i < 4; i++) {
    const methods = canary.calls.filter((c) => c.digest === digest(i)).map((c) => c.method)
    assert.deepEqual(methods.slice(0, 2), ['DELETE index_report', 'POST index_report'])
    const r = recordOf(out.records, i)
    assert.equal(r.fresh_index, true)
    assert.deepEqual(
      r.requests.slice(0, 2).map((q) => q.op),
      ['delete_index_report', 'index'],
    )
  }
})

test('a failed DELETE leaves freshness unknown', async () => {
  const { canary, deps } = setup()
  canary.fault('DELETE index_report', digest(1), { status: 500, error: 'http_5xx' })
  const out = await replay(sample(2), { ...OPTIONS, deleteFirst: true }, deps)
  assert.equal(recordOf(out.records, 0).fresh_index, true)
  assert.equal(recordOf(out.records, 1).fresh_index, null)
})

test('429 and 500 on the POST are recorded with their class, and the run goes on', async () => {
  const { canary, deps } = setup()
  canary
    .fault('POST index_report', digest(1), { status: 429, error: 'rate_limited' })
    .fault('POST index_report', digest(2), {
      status: 500,
      error: 'index_error',
      body: { code: 'internal-error', message: 'failed to start scan: fetch layer' },
    })
    .fault('GET index_report', digest(2), {
      status: 200,
      error: 'index_error',
      body: indexReport(digest(2), 'IndexError'),
    })
    .fault('GET vulnerability_report', digest(2), { status: 404, error: 'not_found' })
  const out = await replay(sample(4), { ...OPTIONS, deleteFirst: true }, deps)
  assert.equal(out.records.length, 4)

  const limited = recordOf(out.records, 1).requests.find((q) => q.op === 'index')
  assert.equal(limited?.status, 429)
  assert.equal(limited?.error, 'rate_limited')
  assert.equal(limited?.attempts, 3)
  assert.equal(recordOf(out.records, 1).fresh_index, null)

  const failed = recordOf(out.records, 2)
  assert.equal(failed.requests.find((q) => q.op === 'index')?.error, 'index_error')
  assert.equal(
    failed.requests.find((q) => q.op === 'vulnerability_report' && q.side === 'canary')?.status,
    404,
  )
  assert.equal(failed.canary_state, 'IndexError')
  assert.equal(failed.fresh_index, null)
  assert.equal(recordOf(out.records, 3).fresh_index, true)
})

test('a client that throws fails that request only, recorded as a connection error', async () => {
  const { canary, store, deps } = setup()
  canary.fault('GET vulnerability_report', digest(0), { status: null, error: 'connection', throws: true })
  const out = await replay(sample(3), OPTIONS, deps)
  const q = recordOf(out.records, 0).requests.find(
    (q) => q.side === 'canary' && q.op === 'vulnerability_report',
  )
  assert.equal(q?.status, null)
  assert.equal(q?.error, 'connection')
  assert.match(q?.message ?? '', /client failed/)
  assert.ok(store.keys('canary').includes(`vulnerability ${digest(1)}`))
})

test("the POST's index report stands in when the canary's GET fails", async () => {
  const { canary, store, deps } = setup()
  canary.fault('GET index_report', digest(0), { status: null, error: 'timeout' })
  await replay(sample(2), OPTIONS, deps)
  const written = store.writes.filter(
    (w) => w.side === 'canary' && w.report === 'index' && w.digest === digest(0),
  )
  assert.equal(written.length, 1)
  assert.equal((written[0]?.body as { manifest_hash: string }).manifest_hash, digest(0))
  // Where the GET worked, the report is written once (no duplicate from the POST).
  assert.equal(
    store.writes.filter((w) => w.side === 'canary' && w.report === 'index' && w.digest === digest(1)).length,
    1,
  )
})

test('re-reads: a seeded fraction, the same for the same seed, read again from both sides into the re-read sinks', async () => {
  const run = async (seed: string) => {
    const { store, deps } = setup(seed)
    const out = await replay(sample(20), { ...OPTIONS, rereadFraction: 0.25 }, deps)
    const reread = out.records.filter((r) => r.requests.some((q) => q.read === 1)).map((r) => r.digest)
    return { out, store, reread }
  }
  const a = await run('alpha')
  const b = await run('alpha')
  assert.equal(a.reread.length, 5)
  assert.deepEqual(a.reread, b.reread)
  const expected = a.reread.flatMap((d) => [`index ${d}`, `vulnerability ${d}`]).sort()
  assert.deepEqual(a.store.keys('canary-reread'), expected)
  assert.deepEqual(a.store.keys('production-reread'), expected)
  for (const d of a.reread) {
    const second = a.out.records.find((r) => r.digest === d)?.requests.filter((q) => q.read === 1) ?? []
    assert.deepEqual(second.map((q) => `${q.side} ${q.op}`).sort(), [
      'canary index_report',
      'canary vulnerability_report',
      'production index_report',
      'production vulnerability_report',
    ])
  }
})

test('chooseRereads: deterministic per seed, sized by the fraction, at least one when positive', () => {
  assert.deepEqual(chooseRereads(100, 0.1, seededRandom('x')), chooseRereads(100, 0.1, seededRandom('x')))
  assert.notDeepEqual(chooseRereads(100, 0.1, seededRandom('x')), chooseRereads(100, 0.1, seededRandom('y')))
  assert.equal(chooseRereads(100, 0.1, seededRandom('x')).length, 10)
  assert.equal(chooseRereads(3, 0.01, seededRandom('x')).length, 1)
  assert.deepEqual(chooseRereads(3, 0, seededRandom('x')), [])
  assert.deepEqual(chooseRereads(4, 1, seededRandom('x')), [0, 1, 2, 3])
})

test('reads are interleaved in a random order per manifest, so neither side is always first', async () => {
  const { deps } = setup()
  const out = await replay(sample(30), OPTIONS, deps)
  const firstSide = out.records.map((r) => r.requests.find((q) => q.op !== 'index')?.side)
  assert.ok(firstSide.includes('canary') && firstSide.includes('production'), firstSide.join(','))
})

test('production GETs are paced by productionRate', async () => {
  const { production, deps } = setup()
  await replay(sample(6), { ...OPTIONS, rate: 100, concurrency: 6, productionRate: 4 }, deps)
  const times = production.calls.map((c) => c.at).sort((a, b) => a - b)
  assert.equal(times.length, 12)
  for (let i = 1; i < times.length; i++) {
    assert.ok((times[i] as number) - (times[i - 1] as number) >= 250 - 1e-9, `gap ${i}: ${times.join(',')}`)
  }
})

test('index requests carry the open-loop schedule: latency counts the start lag', async () => {
  const { deps } = setup()
  // One slot, responses of 5 ms, due every 2 ms: the queue grows and so does the latency.
  const out = await replay(sample(5), { ...OPTIONS, rate: 500, concurrency: 1 }, deps)
  const posts = out.records.map((r) => r.requests.find((q) => q.op === 'index'))
  posts.forEach((q, i) => {
    assert.ok(q)
    assert.equal(q.scheduled_at_ms, i * 2)
    assert.equal(q.start_lag_ms, i * 3)
    assert.equal(q.latency_ms, q.start_lag_ms + 5)
  })
  // Reads are not load: scheduled when sent, latency is the client's own.
  for (const q of out.records.flatMap((r) => r.requests).filter((q) => q.op !== 'index')) {
    assert.equal(q.start_lag_ms, 0)
  }
})

test('abort keeps what was learned and says so', async () => {
  const { canary, deps, clock } = setup()
  const controller = new AbortController()
  const original = canary.index.bind(canary)
  let posts = 0
  canary.index = async (m) => {
    if (++posts === 3) controller.abort()
    return original(m)
  }
  const out = await replay(sample(10), OPTIONS, { ...deps, clock, signal: controller.signal })
  assert.equal(out.aborted, true)
  assert.equal(out.records.length, 3)
  assert.ok(out.records.every((r) => r.requests.some((q) => q.op === 'index')))
})

test('a sink that fails is logged and does not stop the run', async () => {
  const { deps, lines } = setup()
  const out = await replay(sample(2), OPTIONS, {
    ...deps,
    store: {
      write: async () => {
        throw new Error('disk full')
      },
    },
  })
  assert.equal(out.records.length, 2)
  assert.ok(lines.some((l) => /could not store/.test(l) && /disk full/.test(l)))
})

test("reads overlap the indexing: a manifest's reads start once its POST is answered, not after the last POST", async () => {
  const { canary, production, deps } = setup()
  const out = await replay(sample(10), { ...OPTIONS, rate: 10, productionRate: 50 }, deps)
  assert.equal(out.records.length, 10)
  const posts = canary.calls.filter((c) => c.method === 'POST index_report')
  const lastPost = Math.max(...posts.map((c) => c.at))
  const firstProductionRead = Math.min(...production.calls.map((c) => c.at))
  assert.ok(
    firstProductionRead < lastPost,
    `first production GET at ${firstProductionRead}, last POST at ${lastPost}`,
  )
  // The canary is read only after it answered that manifest's POST (5 ms each).
  for (const post of posts) {
    const reads = canary.calls.filter((c) => c.digest === post.digest && c.method.startsWith('GET'))
    assert.equal(reads.length, 2)
    for (const read of reads)
      assert.ok(read.at >= post.at + 5, `${post.digest}: read at ${read.at}, POST at ${post.at}`)
  }
})

test('onRecord says which manifests will be re-read, and onReread follows their re-reads', async () => {
  const { deps } = setup()
  const events: string[] = []
  const out = await replay(
    sample(8),
    { ...OPTIONS, rereadFraction: 0.25 },
    {
      ...deps,
      onRecord: (record, plan) => {
        events.push(`record ${record.digest}${plan.reread ? ' reread' : ''}`)
      },
      onReread: (record) => {
        assert.equal(record.requests.filter((q) => q.read === 1).length, 4)
        events.push(`reread ${record.digest}`)
      },
    },
  )
  const reread = out.records.filter((r) => r.requests.some((q) => q.read === 1)).map((r) => r.digest)
  assert.equal(reread.length, 2)
  for (const d of reread) {
    const planned = events.indexOf(`record ${d} reread`)
    assert.ok(planned >= 0 && events.indexOf(`reread ${d}`) > planned, events.join('\n'))
  }
  assert.equal(events.filter((e) => e.startsWith('record')).length, 8)
  assert.equal(events.filter((e) => e.endsWith(' reread')).length, 2)
})
