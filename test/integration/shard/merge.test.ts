// mergeRunDirs over real run directories written to a temp dir, laid out as the legs of a matrix leave them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserError } from '../../../src/errors.ts'
import { openReportStore, readJson, readJsonl, writeJson, writeJsonl } from '../../../src/rundir/io.ts'
import {
  RUN_FILES,
  STORE_FILES,
  indexReportFile,
  storeDir,
  vulnerabilityReportFile,
} from '../../../src/rundir/layout.ts'
import { mergeRunDirs } from '../../../src/shard/merge.ts'
import { partition } from '../../../src/shard/partition.ts'
import type { ManifestRecord, RunInfo, SampledManifest } from '../../../src/rundir/types.ts'

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`

const sampleOf = (ns: number[]): SampledManifest[] =>
  ns.map((n) => ({
    manifest: {
      hash: digest(n),
      layers: [{ hash: digest(1000 + n), uri: `https://blobs/${n}`, headers: {} }],
    },
    origin: { stratum: n % 2 ? 'oci/recent' : 'docker/old' },
  }))

const recordOf = (hash: string): ManifestRecord => ({
  digest: hash,
  fresh_index: true,
  canary_state: 'IndexFinished',
  production_state: 'IndexFinished',
  requests: [
    {
      op: 'index',
      side: 'canary',
      status: 201,
      latency_ms: 12,
      start_lag_ms: 0,
      scheduled_at_ms: 0,
      attempts: 1,
    },
  ],
})

const ops = (fingerprint: string) => ({
  'RHEL8-rhel-8': [
    { ref: 'a', updater: 'RHEL8-rhel-8', fingerprint, date: '2026-11-22T00:00:00Z', kind: 'vulnerability' },
    {
      ref: 'b',
      updater: 'RHEL8-rhel-8',
      fingerprint: 'old',
      date: '2026-11-01T00:00:00Z',
      kind: 'vulnerability',
    },
  ],
  'alpine-main-v3.20': [
    {
      ref: 'c',
      updater: 'alpine-main-v3.20',
      fingerprint: 'alp1',
      date: '2026-11-20T00:00:00Z',
      kind: 'vulnerability',
    },
  ],
})

interface LegOptions {
  shard?: { index: number; total: number }
  digests: string[]
  /** Which leg wrote it, so a test can tell whose report was kept. */
  tag: string
  canaryState?: string
  productionState?: string
  canaryFingerprint?: string
  run?: Partial<RunInfo>
  rereads?: string[]
}

/** A leg's run directory as the pipeline leaves it: run.json, sample, records and four report stores. */
async function writeLeg(dir: string, o: LegOptions): Promise<void> {
  const sample = o.digests.map((hash) => ({
    manifest: { hash, layers: [] },
    origin: { stratum: 'oci/recent' },
  }))
  const run: RunInfo = {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: '0.1.0' },
    started_at: '2026-11-22T10:00:00.000Z',
    finished_at: '2026-11-22T10:05:00.000Z',
    seed: 'seed-1',
    config: { sampleSize: 6, tag: o.tag },
    sides: {
      canary: { url: 'https://canary.example', index_state: o.canaryState ?? 'state-c' },
      production: { url: 'https://production.example', index_state: o.productionState ?? 'state-p' },
    },
    sample: {
      source: 'jsonl',
      requested: o.digests.length,
      drawn: o.digests.length,
      strata: { 'oci/recent': o.digests.length },
    },
    timings: { sample: 10, replay: 100, 'replay.index': 60 },
    incomplete: [],
    ...(o.shard ? { shard: o.shard } : {}),
    ...o.run,
  }
  await writeJson(join(dir, RUN_FILES.run), run)
  await writeJsonl(join(dir, RUN_FILES.sample), sample)
  await writeJsonl(join(dir, RUN_FILES.records), o.digests.map(recordOf))
  for (const side of ['canary', 'production'] as const) {
    const store = storeDir(dir, side)
    for (const hash of o.digests) {
      await writeJson(indexReportFile(store, hash), {
        manifest_hash: hash,
        state: 'IndexFinished',
        leg: o.tag,
      })
      await writeJson(vulnerabilityReportFile(store, hash), {
        manifest_hash: hash,
        packages: {},
        vulnerabilities: {},
        leg: o.tag,
      })
    }
    const state = side === 'canary' ? (o.canaryState ?? 'state-c') : (o.productionState ?? 'state-p')
    await writeJson(join(store, STORE_FILES.indexState), { state })
    await writeJson(
      join(store, STORE_FILES.updateOperations),
      ops(side === 'canary' ? (o.canaryFingerprint ?? 'fp1') : 'fp1'),
    )
    await writeJson(join(store, STORE_FILES.enrichmentUpdateOperations), {})
  }
  for (const side of ['canary-reread', 'production-reread']) {
    const store = join(dir, 'reports', side)
    await mkdir(store, { recursive: true })
    for (const hash of o.rereads ?? [])
      await writeJson(indexReportFile(store, hash), {
        manifest_hash: hash,
        state: 'IndexFinished',
        leg: o.tag,
        reread: true,
      })
  }
}

async function lines(path: string): Promise<unknown[]> {
  const rows: unknown[] = []
  for await (const [, row] of readJsonl(path)) rows.push(row)
  return rows
}

async function tempRoot(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'clair-canary-merge-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  return root
}

/** Nine manifests split over three legs the way the legs split them (partition). */
function threeLegs() {
  const sample = sampleOf([1, 2, 3, 4, 5, 6, 7, 8, 9])
  return [0, 1, 2].map((index) => ({
    shard: { index, total: 3 },
    digests: partition(sample, { index, total: 3 }).map((s) => s.manifest.hash),
    tag: `leg${index}`,
  }))
}

test('merge: three legs become one run directory that holds every manifest once', async (t) => {
  const root = await tempRoot(t)
  const legs = threeLegs()
  assert.ok(
    legs.every((l) => l.digests.length > 0),
    'each leg has manifests (else pick other digests)',
  )
  const all = legs.flatMap((l) => l.digests)
  for (const leg of legs)
    await writeLeg(join(root, `leg${leg.shard.index}`), {
      ...leg,
      rereads: leg.digests.slice(0, 1),
      run: {
        started_at: `2026-11-22T10:0${leg.shard.index}:00.000Z`,
        finished_at: `2026-11-22T10:1${2 - leg.shard.index}:00.000Z`,
        incomplete:
          leg.shard.index === 1
            ? [{ stage: 'replay', reason: 'cancelled before every manifest was replayed' }]
            : [],
      },
    })
  const out = join(root, 'merged')
  // Given in reverse: the legs are taken in shard order all the same.
  const merged = await mergeRunDirs(
    [2, 1, 0].map((i) => join(root, `leg${i}`)),
    out,
  )

  assert.deepEqual(merged.conflicts, [])
  assert.deepEqual(
    merged.records.map((r) => r.digest),
    all,
  )
  const sample = (await lines(join(out, RUN_FILES.sample))) as SampledManifest[]
  assert.deepEqual(
    sample.map((s) => s.manifest.hash),
    all,
  )
  assert.deepEqual(await lines(join(out, RUN_FILES.records)), merged.records)

  for (const side of ['canary', 'production'] as const) {
    const store = await openReportStore(storeDir(out, side))
    assert.deepEqual(store.digests, [...all].sort())
    for (const hash of all) {
      assert.equal(((await store.indexReport(hash)) as { manifest_hash?: string })?.manifest_hash, hash)
      assert.ok(await store.vulnerabilityReport(hash))
    }
    assert.deepEqual(store.indexState, { state: side === 'canary' ? 'state-c' : 'state-p' })
    assert.equal(store.updateOperations?.['RHEL8-rhel-8']?.[0]?.fingerprint, 'fp1')
    assert.deepEqual(store.enrichmentUpdateOperations, {})
  }
  const rereads = await openReportStore(join(out, 'reports', 'canary-reread'))
  assert.deepEqual(rereads.digests, legs.map((l) => l.digests[0]!).sort())
  assert.ok((await readdir(join(out, 'reports', 'production-reread'))).length === 3)

  const run = await readJson<RunInfo>(join(out, RUN_FILES.run))
  assert.deepEqual(run, merged.run)
  assert.equal(run.schema, 'clair-canary/run/v1')
  assert.equal(run.shard, undefined)
  assert.equal(run.started_at, '2026-11-22T10:00:00.000Z')
  assert.equal(run.finished_at, '2026-11-22T10:12:00.000Z')
  assert.deepEqual(run.sample, {
    source: 'jsonl',
    requested: all.length,
    drawn: all.length,
    strata: { 'oci/recent': all.length },
  })
  assert.deepEqual(run.timings, { sample: 30, replay: 300, 'replay.index': 180 })
  assert.deepEqual(run.config, { sampleSize: 6, tag: 'leg0' })
  assert.equal(run.sides.canary.index_state, 'state-c')
  assert.deepEqual(run.incomplete, [
    { stage: 'replay', reason: 'cancelled before every manifest was replayed (shard 2 of 3)' },
  ])
})

test('merge: a folder of run directories, as download-artifact leaves them', async (t) => {
  const root = await tempRoot(t)
  const legs = threeLegs()
  for (const leg of legs)
    await writeLeg(join(root, 'shards', `canary-shard-${leg.shard.index + 1}-of-3`), { ...leg })
  await mkdir(join(root, 'shards', 'not-a-run'))
  await writeFile(join(root, 'shards', 'stray.txt'), 'x')
  const out = join(root, 'run')
  const merged = await mergeRunDirs([join(root, 'shards')], out)
  assert.deepEqual(merged.conflicts, [])
  const canary = await openReportStore(storeDir(out, 'canary'))
  assert.deepEqual(canary.digests, legs.flatMap((l) => l.digests).sort())
  assert.equal(merged.run.sample.drawn, 9)
})

test('merge: a digest in two legs is a conflict and the first leg keeps it', async (t) => {
  const root = await tempRoot(t)
  const shared = digest(42)
  await writeLeg(join(root, 'a'), { shard: { index: 0, total: 2 }, digests: [digest(1), shared], tag: 'a' })
  await writeLeg(join(root, 'b'), { shard: { index: 1, total: 2 }, digests: [shared, digest(2)], tag: 'b' })
  const out = join(root, 'out')
  const merged = await mergeRunDirs([join(root, 'b'), join(root, 'a')], out)

  assert.equal(merged.conflicts.length, 1)
  assert.match(merged.conflicts[0]!, new RegExp(`${shared}.*shard 1 of 2.*shard 2 of 2`))
  assert.deepEqual(
    merged.records.map((r) => r.digest),
    [digest(1), shared, digest(2)],
  )
  const sample = (await lines(join(out, RUN_FILES.sample))) as SampledManifest[]
  assert.deepEqual(
    sample.map((s) => s.manifest.hash),
    [digest(1), shared, digest(2)],
  )
  const canary = await openReportStore(storeDir(out, 'canary'))
  assert.deepEqual(canary.digests, [digest(1), digest(2), shared])
  assert.equal(((await canary.indexReport(shared)) as { leg?: string })?.leg, 'a')
  assert.equal(((await canary.vulnerabilityReport(shared)) as { leg?: string })?.leg, 'a')
  assert.equal(((await canary.indexReport(digest(2))) as { leg?: string })?.leg, 'b')
})

test('merge: a leg downloaded twice is one conflict line, not one per manifest', async (t) => {
  const root = await tempRoot(t)
  const digests = Array.from({ length: 8 }, (_, n) => digest(n + 1))
  await writeLeg(join(root, 'a'), { shard: { index: 0, total: 1 }, digests, tag: 'a' })
  await writeLeg(join(root, 'copy'), { shard: { index: 0, total: 1 }, digests, tag: 'copy' })
  const merged = await mergeRunDirs([join(root, 'a'), join(root, 'copy')], join(root, 'out'))
  assert.equal(merged.records.length, 8)
  assert.equal(merged.conflicts.length, 2, merged.conflicts.join('\n'))
  assert.match(
    merged.conflicts[0]!,
    /^8 manifests are in shard 1 of 1 .* and in shard 1 of 1 .*\(sha256:.* and 3 more\)/,
  )
  assert.match(merged.conflicts[1]!, /shard index 0 appears 2 times/)
})

test('merge: a canary whose index state or vulnerability data changed between legs is a conflict', async (t) => {
  const root = await tempRoot(t)
  await writeLeg(join(root, 'a'), { shard: { index: 0, total: 2 }, digests: [digest(1)], tag: 'a' })
  await writeLeg(join(root, 'b'), {
    shard: { index: 1, total: 2 },
    digests: [digest(2)],
    tag: 'b',
    canaryState: 'state-c2',
    canaryFingerprint: 'fp2',
  })
  const merged = await mergeRunDirs([join(root, 'a'), join(root, 'b')], join(root, 'out'))
  assert.equal(merged.conflicts.length, 2, merged.conflicts.join('\n'))
  assert.match(
    merged.conflicts[0]!,
    /canary's index state differs between legs: "state-c" in shard 1 of 2.*"state-c2" in shard 2/,
  )
  assert.match(
    merged.conflicts[1]!,
    /canary's updater RHEL8-rhel-8 has different latest fingerprints: "fp1".*"fp2"/,
  )
  assert.ok(!merged.conflicts.some((c) => c.includes('production')), 'production did not change')
  // The first leg's store files are kept; the conflict is what says the second leg differs.
  const canary = await openReportStore(storeDir(join(root, 'out'), 'canary'))
  assert.deepEqual(canary.indexState, { state: 'state-c' })
})

test('merge: without store files, run.json sides decide; a new updater in one leg is a conflict', async (t) => {
  const root = await tempRoot(t)
  for (const [name, index, fingerprints] of [
    ['a', 0, { 'RHEL8-rhel-8': { fingerprint: 'x' } }],
    ['b', 1, { 'RHEL8-rhel-8': { fingerprint: 'x' }, 'debian-bookworm': { fingerprint: 'y' } }],
  ] as const) {
    await writeLeg(join(root, name), {
      shard: { index, total: 2 },
      digests: [digest(index + 1)],
      tag: name,
      run: {
        sides: {
          canary: { url: 'https://canary.example', index_state: 'same', updaters: fingerprints },
          production: { url: 'https://production.example', index_state: 'same' },
        },
      },
    })
    for (const side of ['canary', 'production'])
      for (const file of Object.values(STORE_FILES)) await rm(join(root, name, 'reports', side, file))
  }
  const merged = await mergeRunDirs([join(root, 'a'), join(root, 'b')], join(root, 'out'))
  assert.deepEqual(merged.conflicts.length, 1, merged.conflicts.join('\n'))
  assert.match(
    merged.conflicts[0]!,
    /canary's updater debian-bookworm .*"\(absent\)" in shard 1 of 2.*"y" in shard 2/,
  )
  const canary = await openReportStore(storeDir(join(root, 'out'), 'canary'))
  assert.equal(canary.indexState, undefined)
})

test('merge: legs that do not belong together, and a leg that never came', async (t) => {
  const root = await tempRoot(t)
  await writeLeg(join(root, 'a'), { shard: { index: 0, total: 4 }, digests: [digest(1)], tag: 'a' })
  await writeLeg(join(root, 'b'), {
    shard: { index: 2, total: 4 },
    digests: [digest(2)],
    tag: 'b',
    run: { seed: 'seed-2' },
  })
  const merged = await mergeRunDirs([join(root, 'a'), join(root, 'b')], join(root, 'out'))
  assert.equal(merged.conflicts.length, 1, merged.conflicts.join('\n'))
  assert.match(merged.conflicts[0]!, /different seeds \("seed-1" in shard 1 of 4.*"seed-2" in shard 3 of 4/)
  assert.deepEqual(merged.run.incomplete, [
    { stage: 'merge', reason: 'shards 2, 4 of 4 are missing: the merged run holds 2 of 4 legs' },
  ])

  await writeLeg(join(root, 'c'), { shard: { index: 0, total: 3 }, digests: [digest(3)], tag: 'c' })
  const again = await mergeRunDirs([join(root, 'a'), join(root, 'c')], join(root, 'out2'))
  assert.ok(
    again.conflicts.some((c) => /shard index 0 appears 2 times/.test(c)),
    again.conflicts.join('\n'),
  )
  assert.ok(
    again.conflicts.some((c) => /different shard totals/.test(c)),
    again.conflicts.join('\n'),
  )
})

test('merge: unsharded run directories merge without a missing-leg note', async (t) => {
  const root = await tempRoot(t)
  await writeLeg(join(root, 'a'), { digests: [digest(1)], tag: 'a' })
  await writeLeg(join(root, 'b'), {
    digests: [digest(2)],
    tag: 'b',
    run: { finished_at: undefined },
  })
  const merged = await mergeRunDirs([join(root, 'a'), join(root, 'b')], join(root, 'out'))
  assert.deepEqual(merged.conflicts, [])
  // No missing-leg note; but a leg that never finished (killed?) is missing evidence, and says so.
  assert.deepEqual(merged.run.incomplete, [
    { stage: 'merge', reason: `${join(root, 'b')} did not finish (its run.json has no finished_at)` },
  ])
  assert.equal(merged.run.finished_at, '2026-11-22T10:05:00.000Z')
  assert.deepEqual(
    merged.records.map((r) => r.digest),
    [digest(1), digest(2)],
  )
})

test('merge: what an earlier run left in the output directory is gone', async (t) => {
  const root = await tempRoot(t)
  const out = join(root, 'out')
  await writeJson(indexReportFile(storeDir(out, 'canary'), digest(99)), { stale: true })
  await writeJsonl(join(out, RUN_FILES.diffs), [{ digest: digest(99), differences: [] }])
  await writeLeg(join(root, 'a'), { digests: [digest(1)], tag: 'a' })
  await mergeRunDirs([join(root, 'a')], out)
  assert.deepEqual((await openReportStore(storeDir(out, 'canary'))).digests, [digest(1)])
  await assert.rejects(readFile(join(out, RUN_FILES.diffs)), { code: 'ENOENT' })
})

test('merge: a missing or unreadable leg is a UserError that names it', async (t) => {
  const root = await tempRoot(t)
  await writeLeg(join(root, 'good'), { digests: [digest(1)], tag: 'good' })
  const out = join(root, 'out')
  const refuses = (dirs: string[], pattern: RegExp, to = out) =>
    assert.rejects(mergeRunDirs(dirs, to), (error: unknown) => {
      assert.ok(error instanceof UserError, String(error))
      assert.match(error.message, pattern)
      return true
    })

  await refuses([], /no run directories given/)
  await refuses(
    [join(root, 'good'), join(root, 'absent')],
    new RegExp(`${join(root, 'absent')} is not a directory`),
  )
  await mkdir(join(root, 'empty', 'sub'), { recursive: true })
  await refuses([join(root, 'empty')], new RegExp(`${join(root, 'empty')} holds no run directory`))

  await mkdir(join(root, 'broken-run'))
  await writeFile(join(root, 'broken-run', RUN_FILES.run), '{"schema": "clair-canary/run/v1",')
  await refuses(
    [join(root, 'broken-run')],
    new RegExp(`${join(root, 'broken-run', RUN_FILES.run)} is unreadable`),
  )

  await mkdir(join(root, 'other'))
  await writeJson(join(root, 'other', RUN_FILES.run), { schema: 'something/else' })
  await refuses([join(root, 'other')], /is not a clair-canary\/run\/v1 run.json/)

  await writeLeg(join(root, 'broken-records'), { digests: [digest(2)], tag: 'x' })
  await writeFile(join(root, 'broken-records', RUN_FILES.records), '{"digest": "sha256:00"}\n{not json\n')
  await refuses(
    [join(root, 'broken-records')],
    new RegExp(`${join(root, 'broken-records', RUN_FILES.records)}`),
  )

  await writeLeg(join(root, 'no-digest'), { digests: [digest(3)], tag: 'x' })
  await writeFile(join(root, 'no-digest', RUN_FILES.sample), '{"manifest": {}}\n')
  await refuses([join(root, 'no-digest')], /sample\.jsonl:1: a line without a manifest digest/)

  await refuses([join(root, 'good')], /output directory .* is also an input/, join(root, 'good'))
})
