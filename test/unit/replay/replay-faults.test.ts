// Replay and answers that are not reports (issue 11): a 200 with `{}`, another shape or another manifest's hash
// is recorded as not_report on the side that gave it and never stored; records are handed out per manifest.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { replay } from '../../../src/replay/replay.ts'
import { seededRandom } from '../../../src/seeded.ts'
import { FakeClair, indexReport } from './fake-clair.ts'
import { FakeClock } from './fake-clock.ts'
import type { ClairResponse } from '../../../src/clair/api.ts'
import type { IndexReport } from '../../../src/clair/types.ts'
import type { SinkSide } from '../../../src/replay/replay.ts'
import type { ReplayOptions } from '../../../src/config/types.ts'
import type { ManifestRecord, SampledManifest } from '../../../src/rundir/types.ts'

const digest = (i: number): string => `sha256:${i.toString(16).padStart(64, '0')}`
const OPTIONS: ReplayOptions = {
  rate: 10,
  concurrency: 4,
  productionRate: 50,
  deleteFirst: false,
  rereadFraction: 0,
}
const sample = (n: number): SampledManifest[] =>
  Array.from({ length: n }, (_, i) => ({ manifest: { hash: digest(i), layers: [] } }))

/** A Clair that answers 200 with `body` for the index report of manifest 0. */
class Answers extends FakeClair {
  readonly wrong: unknown
  constructor(side: 'canary' | 'production', clock: FakeClock, wrong: unknown) {
    super(side, clock)
    this.wrong = wrong
  }
  override async indexReport(d: string): Promise<ClairResponse<IndexReport>> {
    const answer = await super.indexReport(d)
    return d === digest(0) ? { ...answer, body: this.wrong as IndexReport } : answer
  }
}

const WRONG: Array<[string, unknown]> = [
  ['{}', {}],
  ['an array', []],
  ['another shape', { manifest_hash: digest(0), packages: [] }],
  ["another manifest's hash", indexReport(digest(7))],
]

for (const side of ['canary', 'production'] as const)
  for (const [name, wrong] of WRONG)
    test(`${side}: a 200 with ${name} is not_report on the ${side}, and is not stored`, async () => {
      const clock = new FakeClock()
      const writes: Array<{ side: SinkSide; digest: string }> = []
      const handed: string[] = []
      const faulty = new Answers(side, clock, wrong)
      const other = new FakeClair(side === 'canary' ? 'production' : 'canary', clock)
      const out = await replay(sample(3), OPTIONS, {
        canary: side === 'canary' ? faulty : other,
        production: side === 'production' ? faulty : other,
        store: { write: async (s, _r, d) => void writes.push({ side: s, digest: d }) },
        clock,
        random: seededRandom('faults'),
        onRecord: (record: ManifestRecord) => void handed.push(record.digest),
      })
      const read = out.records[0]!.requests.find((r) => r.op === 'index_report' && r.side === side)
      assert.equal(read?.error, 'not_report')
      assert.equal(read?.status, 200)
      assert.match(read?.message ?? '', /not the index report of sha256:0+/)
      const stored = writes.filter((w) => w.side === side && w.digest === digest(0))
      // The vulnerability report of manifest 0 was fine and is kept; the index answer is not (the canary's
      // POST answer stands in for it, as for any index report no GET returned).
      assert.equal(stored.length, side === 'canary' ? 2 : 1, JSON.stringify(stored))
      assert.deepEqual([...handed].sort(), [digest(0), digest(1), digest(2)])
    })
