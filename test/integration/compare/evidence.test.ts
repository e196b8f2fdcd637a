// Merge and compare never pass on missing evidence (issue 11): a store file that is not a report is exit 2 naming
// it; a missing canary report is counted and never a pass; a leg without records or unfinished is inconclusive.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../../../src/cli.ts'
import { writeJson, writeJsonl } from '../../../src/rundir/io.ts'
import { RUN_FILES, indexReportFile, storeDir, vulnerabilityReportFile } from '../../../src/rundir/layout.ts'
import type { Result, RunInfo } from '../../../src/rundir/types.ts'
import { readJson } from '../../../src/rundir/io.ts'

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`
const indexReport = (d: string) => ({
  manifest_hash: d,
  state: 'IndexFinished',
  success: true,
  packages: {},
  distributions: {},
  repository: {},
  environments: {},
  err: '',
})
const vulnerabilityReport = (d: string) => ({
  ...indexReport(d),
  vulnerabilities: {},
  package_vulnerabilities: {},
  enrichments: {},
})

async function store(dir: string, digests: number[]): Promise<void> {
  await mkdir(dir, { recursive: true })
  for (const n of digests) {
    await writeJson(indexReportFile(dir, digest(n)), indexReport(digest(n)))
    await writeJson(vulnerabilityReportFile(dir, digest(n)), vulnerabilityReport(digest(n)))
  }
  await writeJson(join(dir, 'update_operations.json'), {})
}

/** Runs the CLI in this process; returns its exit code and what it printed on stderr and stdout. */
async function run(
  t: { mock: { method: (o: object, m: string, f: () => void) => unknown } },
  args: string[],
): Promise<{ code: number; err: string[]; out: string[] }> {
  const err: string[] = []
  const out: string[] = []
  t.mock.method(console, 'error', (...a: unknown[]) => void err.push(a.join(' ')))
  t.mock.method(console, 'log', (...a: unknown[]) => void out.push(a.join(' ')))
  const code = await cli(args)
  return { code, err, out }
}

async function tempRoot(t: { after: (f: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'clair-canary-evidence-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  return root
}

const BROKEN: Array<[string, (path: string) => Promise<void>]> = [
  ['truncated JSON', (p) => writeFile(p, '{"manifest_hash":"sha256:')],
  ['[]', (p) => writeFile(p, '[]')],
  ['null', (p) => writeFile(p, 'null')],
  ['binary', (p) => writeFile(p, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00]))],
  ['{}', (p) => writeFile(p, '{}')],
  ["another manifest's report", (p) => writeFile(p, JSON.stringify(indexReport(digest(99))))],
  ['a symlink loop', (p) => symlink(p, p)],
  ['a directory', (p) => mkdir(p)],
]

for (const [name, breakIt] of BROKEN)
  test(`compare: a store file that is ${name} is exit 2, one line naming the file`, async (t) => {
    const root = await tempRoot(t)
    const baseline = join(root, 'production')
    const candidate = join(root, 'canary')
    await store(baseline, [1, 2])
    await store(candidate, [1])
    const bad = indexReportFile(candidate, digest(2))
    await breakIt(bad)
    const { code, err } = await run(t, [
      'compare',
      '--baseline',
      baseline,
      '--candidate',
      candidate,
      '--out',
      join(root, 'out'),
    ])
    assert.equal(code, 2, err.join('\n'))
    assert.equal(err.length, 1, err.join('\n'))
    assert.ok(err[0]!.startsWith(`clair-canary: report store file ${bad} `), err[0])
  })

test('compare: a report only production has is counted as missing, and the run is inconclusive, never pass', async (t) => {
  const root = await tempRoot(t)
  await store(join(root, 'p'), [1, 2, 3])
  await store(join(root, 'c'), [1, 2])
  // Manifest 2: the canary has the index report but lost the vulnerability report.
  await rm(vulnerabilityReportFile(join(root, 'c'), digest(2)))
  const out = join(root, 'out')
  const args = ['compare', '--baseline', join(root, 'p'), '--candidate', join(root, 'c'), '--out', out]
  const { code } = await run(t, args)
  assert.equal(code, 3)
  const result = await readJson<Result>(join(out, 'result.json'))
  assert.equal(result.verdict, 'inconclusive')
  assert.equal(result.counts.missing_canary_reports, 2)
  const evidence = result.gates.find((g: { name: string }) => g.name === 'evidence')
  assert.match(evidence?.detail ?? '', /2 manifests with a production report lack the canary's/)
})

async function leg(dir: string, shard: number, digests: number[], run: Partial<RunInfo> = {}) {
  const info: RunInfo = {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: '0.1.0' },
    started_at: '2026-11-22T10:00:00.000Z',
    finished_at: '2026-11-22T10:05:00.000Z',
    seed: 'seed',
    config: {},
    sides: { canary: { url: 'https://c.example' }, production: { url: 'https://p.example' } },
    sample: { source: 'jsonl', requested: digests.length, drawn: digests.length },
    timings: {},
    incomplete: [],
    shard: { index: shard, total: 2 },
    ...run,
  }
  await writeJson(join(dir, RUN_FILES.run), info)
  await writeJsonl(
    join(dir, RUN_FILES.sample),
    digests.map((n) => ({ manifest: { hash: digest(n), layers: [] } })),
  )
  await writeJsonl(
    join(dir, RUN_FILES.records),
    digests.map((n) => ({
      digest: digest(n),
      requests: [],
      canary_state: 'IndexFinished',
      production_state: 'IndexFinished',
    })),
  )
  await store(storeDir(dir, 'canary'), digests)
  await store(storeDir(dir, 'production'), digests)
}

const LEG_FAULTS: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
  ['has no records.jsonl', (dir) => rm(join(dir, RUN_FILES.records)), /has no records\.jsonl rows/],
  [
    'was killed before it finished',
    async (dir) => {
      const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo
      delete run.finished_at
      await writeJson(join(dir, RUN_FILES.run), run)
    },
    /did not finish/,
  ],
  [
    'recorded a stage that did not complete',
    async (dir) => {
      const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunInfo
      run.incomplete = [{ stage: 'replay', reason: 'cancelled before every manifest was replayed' }]
      await writeJson(join(dir, RUN_FILES.run), run)
    },
    /cancelled before every manifest/,
  ],
]

for (const [name, breakIt, why] of LEG_FAULTS)
  test(`merge: a leg that ${name} makes the merged run inconclusive`, async (t) => {
    const root = await tempRoot(t)
    await leg(join(root, 'leg0'), 0, [1, 2, 3])
    await leg(join(root, 'leg1'), 1, [4, 5, 6])
    await breakIt(join(root, 'leg1'))
    const out = join(root, 'out')
    const { code, out: lines } = await run(t, ['merge', '--out', out, join(root, 'leg0'), join(root, 'leg1')])
    assert.equal(code, 3, lines.join('\n'))
    assert.ok(
      lines.some((l) => why.test(l)),
      lines.join('\n'),
    )
  })

/** Every file under `dir` with its content: what a later command must leave exactly as it was. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)
      files[path.slice(dir.length + 1)] = await readFile(path, 'utf8')
    }
  return files
}

// Issue 11: a bad input found part-way through must not have cost the previous results. compare and merge read
// every store file before their output directory is readied.
test('compare: a broken store file found while judging leaves the previous result in --out as it was', async (t) => {
  const root = await tempRoot(t)
  await store(join(root, 'p'), [1, 2])
  await store(join(root, 'c'), [1, 2])
  const out = join(root, 'out')
  const args = ['compare', '--baseline', join(root, 'p'), '--candidate', join(root, 'c'), '--out', out]
  // Two manifests are too few to judge: inconclusive, with every result file written.
  assert.equal((await run(t, args)).code, 3)
  const before = await snapshot(out)
  assert.ok('result.json' in before && 'diffs.jsonl' in before, Object.keys(before).join(' '))

  const bad = vulnerabilityReportFile(join(root, 'c'), digest(2))
  await writeFile(bad, '{"manifest_hash":')
  const { code, err } = await run(t, args)
  assert.equal(code, 2, err.join('\n'))
  assert.deepEqual(err, [`clair-canary: report store file ${bad} is not JSON (truncated or not a report?)`])
  assert.deepEqual(await snapshot(out), before)
})

test('merge: a leg with a broken report leaves the previous merged run directory as it was', async (t) => {
  const root = await tempRoot(t)
  await leg(join(root, 'leg0'), 0, [1, 2])
  await leg(join(root, 'leg1'), 1, [3, 4])
  const out = join(root, 'out')
  const args = ['merge', '--out', out, join(root, 'leg0'), join(root, 'leg1')]
  assert.equal((await run(t, args)).code, 3)
  const before = await snapshot(out)
  assert.ok(
    ['result.json', 'records.jsonl', `reports/canary/sha256-${'0'.repeat(63)}4.index.json`].every(
      (f) => f in before,
    ),
    Object.keys(before).join(' '),
  )

  const bad = indexReportFile(storeDir(join(root, 'leg1'), 'canary'), digest(4))
  await writeFile(bad, JSON.stringify(indexReport(digest(9))))
  const { code, err } = await run(t, args)
  assert.equal(code, 2, err.join('\n'))
  assert.deepEqual(err, [
    `clair-canary: report store file ${bad} is not the index report of ${digest(4)}: the report of another manifest (sha256:000000000000…)`,
  ])
  assert.deepEqual(await snapshot(out), before)
})

test('compare: --out that is a run directory, or holds an input store in its reports/, is refused before anything', async (t) => {
  const root = await tempRoot(t)
  await leg(join(root, 'run'), 0, [1])
  await store(join(root, 'p'), [1])
  const before = await snapshot(join(root, 'run'))
  const intoRun = await run(t, [
    'compare',
    '--baseline',
    join(root, 'p'),
    '--candidate',
    join(root, 'run'),
    '--out',
    join(root, 'run'),
  ])
  assert.equal(intoRun.code, 2)
  assert.deepEqual(intoRun.err, [
    `clair-canary: compare: --out ${join(root, 'run')} is a run directory (it holds reports/); write the result to another directory`,
  ])
  const holds = join(root, 'holder')
  await store(join(holds, 'reports', 'mine'), [1])
  const holding = await run(t, [
    'compare',
    '--baseline',
    join(root, 'p'),
    '--candidate',
    join(holds, 'reports', 'mine'),
    '--out',
    holds,
  ])
  assert.equal(holding.code, 2)
  assert.deepEqual(holding.err, [
    `clair-canary: compare: --out ${holds} holds the report store ${join(holds, 'reports', 'mine')} in its reports/; write the result to another directory`,
  ])
  assert.deepEqual(await snapshot(join(root, 'run')), before)
})
