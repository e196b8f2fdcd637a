// The whole pipeline against local stand-ins (demo/scenario.ts): each planted scenario must give exactly the
// verdict and the differences it planted, and the run directory must be complete and free of secrets.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../../src/config/config.ts'
import { UserError } from '../../../src/errors.ts'
import { assertNoSecrets, listFiles } from '../../../src/github/artifacts.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { compareRunDirs } from '../../../src/compare-command.ts'
import { buildAnnotations } from '../../../src/github/annotations.ts'
import { ClairClient } from '../../../src/clair/client.ts'
import { ecosystemOf } from '../../../src/compare/ecosystem.ts'
import { hashFraction } from '../../../standin/rng.ts'
import { startScenario } from '../../../demo/scenario.ts'
import type { Scenario } from '../../../demo/scenario.ts'
import type { ScenarioProfile } from '../../../standin/profiles.ts'
import type { IndexReport, VulnerabilityReport } from '../../../src/clair/types.ts'
import type {
  ManifestDiff,
  ManifestRecord,
  Result,
  RunInfo,
  SampledManifest,
} from '../../../src/rundir/types.ts'
import type { LoadTestStats } from '../../../src/replay/stats.ts'
import { quietLogger, recordingLogger } from '../../support/log.ts'
import type { Logger } from '../../../src/log.ts'

const COUNT = 40
const quiet = quietLogger

interface Run {
  scenario: Scenario
  runDir: string
  result: Result
  diffs: ManifestDiff[]
  records: ManifestRecord[]
}

async function runScenario(
  profile: string | ScenarioProfile,
  extra: Record<string, string> = {},
  options: Partial<Parameters<typeof startScenario>[0]> = {},
  log: Logger = quiet,
): Promise<Run> {
  const scenario = await startScenario({ count: COUNT, canaryProfile: profile, ...options })
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-'))
  const manifests = join(work, 'manifests.jsonl')
  await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
  const inputs: Record<string, string> = {
    ...scenario.inputs,
    manifests,
    seed: 'pipeline-test',
    'run-dir': join(work, 'run'),
    ...extra,
  }
  try {
    const { config } = await buildConfig((name) => inputs[name])
    const outcome = await runPipeline(config, { log })
    return {
      scenario,
      runDir: outcome.runDir,
      result: outcome.result,
      diffs: outcome.diffs,
      records: outcome.records,
    }
  } finally {
    await scenario.close()
  }
}

const code = (diffs: ManifestDiff[]) =>
  diffs.flatMap((d) => d.differences.filter((x) => x.attribution === 'code'))

async function productionIndexReports(runDir: string): Promise<IndexReport[]> {
  const dir = join(runDir, 'reports', 'production')
  const names = (await readdir(dir)).filter((n) => n.endsWith('.index.json'))
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as IndexReport))
}

describe('a canary whose Python scanner finds nothing', () => {
  let run: Run
  before(async () => {
    // The whole sample, to find every planted difference (early stop would end the replay at the first).
    run = await runScenario(
      { name: 'python-gone', description: 'test', dropEcosystems: ['python'] },
      { 'early-stop': 'false' },
    )
  })

  test('fails, on index differences, naming the dropped ecosystem', () => {
    assert.equal(run.result.verdict, 'fail')
    const gate = run.result.gates.find((g) => g.name === 'index-differences')
    assert.equal(gate?.decision, 'fail')
    assert.match(gate.detail, /python/)
  })

  test('reports exactly every Python package production found (and the pypi repository), removed by code', async () => {
    const expected = new Set<string>()
    for (const report of await productionIndexReports(run.runDir)) {
      for (const [id, pkg] of Object.entries(report.packages ?? {})) {
        const env = report.environments?.[id]?.[0]
        if (ecosystemOf(pkg, env) === 'python')
          expected.add(`${report.manifest_hash} ${pkg.name} ${pkg.version}`)
      }
    }
    assert.ok(expected.size > 0, 'the corpus has Python packages')
    const found = new Set<string>()
    for (const diff of run.diffs) {
      for (const d of diff.differences) {
        if (d.attribution !== 'code') continue
        if (d.kind === 'repository') {
          // With no Python package left, the index report has no pypi repository either.
          assert.equal(d.change, 'removed')
          assert.match(d.key, /pypi/)
          continue
        }
        assert.equal(d.kind, 'package', `unexpected ${d.kind} difference: ${d.key}`)
        assert.equal(d.change, 'removed')
        assert.equal(d.ecosystem, 'python')
        const name = d.key.split(' ')[0]
        const pkg = d.before as { name: string; version: string }
        assert.equal(pkg.name, name)
        found.add(`${diff.digest} ${pkg.name} ${pkg.version}`)
      }
    }
    assert.deepEqual([...found].sort(), [...expected].sort())
  })
})

describe('a canary whose vulnerability data drifted (debian-updater)', () => {
  let run: Run
  before(async () => {
    run = await runScenario('drift')
  })
  test('passes: drift never fails the verdict', () => {
    assert.equal(run.result.verdict, 'pass', run.result.reasons.join('\n'))
  })
  test('every difference is drift from debian-updater, and the reasons say so', () => {
    const all = run.diffs.flatMap((d) => d.differences)
    assert.ok(all.length > 0, 'the drift shows up as differences')
    for (const d of all) {
      assert.equal(d.attribution, 'drift', `${d.key}: ${d.why}`)
      assert.equal(d.updater, 'debian-updater')
    }
    assert.ok(run.result.reasons.some((r) => /drift/.test(r) && /debian-updater/.test(r)))
  })
})

describe('a canary whose indexer fails on some manifests', () => {
  let run: Run
  before(async () => {
    // The whole sample, to count every planted failure (early stop would end the replay at the first).
    run = await runScenario(
      { name: 'index-errors', description: 'test', indexErrorFraction: 0.2 },
      { 'early-stop': 'false' },
    )
  })
  test('fails on canary-only failures, counting exactly the planted manifests', () => {
    const planted = run.scenario.manifests
      .filter((m) => hashFraction('index-error', m.hash) < 0.2)
      .map((m) => m.hash)
    assert.ok(planted.length > 0)
    const gate = run.result.gates.find((g) => g.name === 'canary-only-failures')!
    assert.equal(gate.decision, 'fail')
    assert.equal(gate.value, planted.length)
    const failed = run.records.filter((r) => r.canary_state === 'IndexError').map((r) => r.digest)
    assert.deepEqual(failed.sort(), planted.sort())
    for (const digest of planted) {
      const post = run.records.find((r) => r.digest === digest)!.requests.find((q) => q.op === 'index')!
      assert.equal(post.status, 500)
      assert.equal(post.error, 'index_error')
    }
  })
  test('does not count a failed manifest as every package removed', () => {
    assert.equal(code(run.diffs).filter((d) => d.kind === 'package').length, 0)
  })
})

describe('a canary whose indexer fails on some manifests, with early stop (the default)', () => {
  let run: Run
  const log = recordingLogger()
  before(async () => {
    run = await runScenario(
      { name: 'index-errors', description: 'test', indexErrorFraction: 0.2 },
      {},
      {},
      log,
    )
  })
  test('the log says how many manifests were read, not how many were planned', () => {
    const line = log.infos.find((l) => l.startsWith('replay: read reports of'))
    const m =
      /^replay: read reports of (\d+) of (\d+) manifests from both sides, \d+ errors \(the replay was stopped\)$/.exec(
        line ?? '',
      )
    assert.ok(m, line)
    assert.equal(Number(m[2]), COUNT)
    assert.ok(Number(m[1]) < COUNT, line)
  })
  test('stops at the first canary-only failure and fails, saying at which manifest and why', () => {
    assert.equal(run.result.verdict, 'fail')
    const [first] = run.result.reasons
    assert.match(
      first!,
      new RegExp(
        `^stopped early at manifest \\d+ of ${COUNT} \\(sha256:[0-9a-f]{12}\\): canary-only-failures is certain to fail`,
      ),
    )
    // Fewer manifests were read than planned: the ones after the stop have no production read.
    const read = run.records.filter((r) => r.requests.some((q) => q.side === 'production'))
    assert.ok(read.length < COUNT, `${read.length} of ${COUNT} read`)
    const gate = run.result.gates.find((g) => g.name === 'canary-only-failures')!
    assert.equal(gate.decision, 'fail')
  })
  test('run.json keeps the stop, so a re-judge of the run directory gives the same verdict', async () => {
    const saved = JSON.parse(await readFile(join(run.runDir, 'run.json'), 'utf8')) as RunInfo
    assert.equal(saved.early_stop?.gate, 'canary-only-failures')
    assert.match(
      run.result.reasons[0]!,
      new RegExp(`^stopped early at manifest ${saved.early_stop.manifest} `),
    )
    assert.equal(saved.incomplete?.length ?? 0, 0, 'a deliberate stop is not an incomplete stage')
  })
})

describe('a clean canary', () => {
  let run: Run
  before(async () => {
    run = await runScenario('clean')
  })
  test('passes with no code difference and a complete run directory', async () => {
    assert.equal(run.result.verdict, 'pass', run.result.reasons.join('\n'))
    assert.equal(code(run.diffs).length, 0)
    const files = await readdir(run.runDir)
    for (const f of [
      'run.json',
      'sample.jsonl',
      'records.jsonl',
      'diffs.jsonl',
      'result.json',
      'stats.json',
      'summary.md',
      'report.html',
    ])
      assert.ok(files.includes(f), `${f} is written`)
    const runJson = JSON.parse(await readFile(join(run.runDir, 'run.json'), 'utf8')) as RunInfo
    assert.equal(runJson.seed, 'pipeline-test')
    assert.ok(runJson.sides.canary.index_state, 'index state recorded')
    assert.ok(runJson.sides.canary.version?.revision, 'canary revision recorded')
    assert.ok(
      Object.keys(runJson.sides.production.updaters ?? {}).length > 0,
      'updater fingerprints recorded',
    )
    assert.deepEqual(runJson.incomplete, [])
  })
  test('the PSK appears in no file of the run directory', async () => {
    const psk = run.scenario.psk
    for (const file of await listFiles(run.runDir))
      assert.ok(!(await readFile(file, 'utf8')).includes(psk), file)
  })
  test('stats.json uses clair-load-test field names', async () => {
    const stats = JSON.parse(await readFile(join(run.runDir, 'stats.json'), 'utf8')) as LoadTestStats
    assert.equal(stats.total_index_report_requests, COUNT)
    assert.equal(stats.non_2XX_index_report_responses, 0)
    assert.equal(typeof stats.max_vulnerability_report_request_latency_milliseconds, 'number')
  })
})

describe('a canary that never serves the expected revision', () => {
  let run: Run
  before(async () => {
    run = await runScenario('clean', { 'expect-revision': 'deadbeef', 'ready-timeout': '1' })
  })
  test('is inconclusive, never pass, and says why; partial results are still written', async () => {
    assert.equal(run.result.verdict, 'inconclusive')
    assert.ok(
      run.result.reasons.some((r) => /revision/.test(r)),
      run.result.reasons.join('\n'),
    )
    const runJson = JSON.parse(await readFile(join(run.runDir, 'run.json'), 'utf8')) as RunInfo
    assert.equal(runJson.incomplete?.[0]?.stage, 'target')
    assert.ok((await readFile(join(run.runDir, 'summary.md'), 'utf8')).length > 0)
  })
})

describe('the log of a run', () => {
  test('folds each stage under a group, in order, and says nothing twice', async () => {
    const scenario = await startScenario({ count: 12, canaryProfile: 'clean' })
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-log-'))
    const manifests = join(work, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'log',
      'run-dir': join(work, 'run'),
    }
    try {
      const { config } = await buildConfig((name) => inputs[name])
      const log = recordingLogger()
      await runPipeline(config, { log })
      assert.deepEqual(log.groups, [
        'sample and target (wait for the canary)',
        'sides',
        'replay',
        'compare',
        'judge and write the report',
      ])
      assert.equal(new Set(log.infos).size, log.infos.length, log.infos.join('\n'))
      assert.deepEqual(log.warnings, [])
    } finally {
      await scenario.close()
    }
  })
})

describe('a canary rolled out to another revision during the replay', () => {
  test('is inconclusive and says the canary changed revision, never judging two images as one', async () => {
    const scenario = await startScenario({ count: 8, canaryProfile: 'clean' })
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-rollout-'))
    const manifests = join(work, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'rollout',
      'expect-revision': 'c1a1c4a',
      'run-dir': join(work, 'run'),
    }
    try {
      const { config } = await buildConfig((name) => inputs[name])
      const real = new ClairClient(config.canary, config.client)
      let indexed = false
      // Once the first manifest is indexed, /metrics reports another revision: someone deployed.
      const canary = new Proxy(real, {
        get(target, prop) {
          if (prop === 'index')
            return (m: Parameters<ClairClient['index']>[0]) => {
              indexed = true
              return target.index(m)
            }
          if (prop === 'metrics')
            return async () => {
              const r = await target.metrics()
              return indexed && r.body
                ? { ...r, body: r.body.replace(/revision="[^"]*"/, 'revision="0123456789abcdef"') }
                : r
            }
          const value: unknown = Reflect.get(target, prop, target)
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
        },
      })
      const production = new ClairClient(config.production, config.client)
      const outcome = await runPipeline(config, { log: quiet, clients: { canary, production } })
      assert.equal(outcome.result.verdict, 'inconclusive')
      assert.ok(
        outcome.result.reasons.some((r) =>
          /changed revision during the replay: it serves revision 0123456789abcdef/.test(r),
        ),
        outcome.result.reasons.join('\n'),
      )
    } finally {
      await scenario.close()
    }
  })
})

after(() => {})

describe('a sample drawn from a Quay database with presigned S3 layer URLs', () => {
  let run: Run
  before(async () => {
    const scenario = await startScenario({ count: 30, canaryProfile: 'clean', quayDb: true })
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-quaydb-'))
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      seed: 'quay-db',
      'run-dir': join(work, 'run'),
    }
    try {
      const { config } = await buildConfig((name) => inputs[name])
      const outcome = await runPipeline(config, { log: quiet })
      run = {
        scenario,
        runDir: outcome.runDir,
        result: outcome.result,
        diffs: outcome.diffs,
        records: outcome.records,
      }
    } finally {
      await scenario.close()
    }
  })
  test('the canary fetched every layer through a verified signature and the clean canary passes', () => {
    assert.equal(run.result.verdict, 'pass', run.result.reasons.join('\n'))
    const posts = run.records.flatMap((r) => r.requests.filter((q) => q.op === 'index'))
    assert.equal(posts.length, 30)
    for (const post of posts) assert.equal(post.status, 201, post.message)
  })
  test('sample.jsonl and run.json keep no signature, key or password', async () => {
    const sample = await readFile(join(run.runDir, 'sample.jsonl'), 'utf8')
    assert.doesNotMatch(sample, /X-Amz-|Signature|\?/)
    const runJson = await readFile(join(run.runDir, 'run.json'), 'utf8')
    assert.ok(!runJson.includes(run.scenario.inputs['aws-secret-access-key']!))
    assert.ok(!runJson.includes(run.scenario.inputs['quay-db-dsn']!))
    assert.equal((JSON.parse(runJson) as RunInfo).sample.source, 'quay-db')
  })
  test('no file of the run directory names a Quay namespace or repository (publish-repository-names is off)', async () => {
    const lines = (await readFile(join(run.runDir, 'sample.jsonl'), 'utf8')).trim().split('\n')
    assert.equal(lines.length, 30)
    for (const line of lines) {
      const { origin } = JSON.parse(line) as SampledManifest
      assert.ok(origin?.storage && origin.manifest_id, 'the storage identity stays')
      assert.equal(origin.namespace, undefined)
      assert.equal(origin.repository, undefined)
    }
    const names = run.scenario.images.map((i) => ({
      name: 'a repository name',
      value: `${i.namespace}/${i.repository}`,
    }))
    await assertNoSecrets(run.runDir, names)
  })
})

describe('a regression drawn from the Quay database, names unpublished: each repository has an opaque label', () => {
  let run: Run
  let rejudged: Result
  /** Each sampled digest's Quay repository, as the scenario planted it (never read from the run directory). */
  let nameOf: Map<string, string>
  before(async () => {
    const scenario = await startScenario({ count: 30, canaryProfile: 'regression', quayDb: true })
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-labels-'))
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      seed: 'labels',
      'early-stop': 'false',
      'run-dir': join(work, 'run'),
    }
    try {
      const { config } = await buildConfig((name) => inputs[name])
      const outcome = await runPipeline(config, { log: quiet })
      run = {
        scenario,
        runDir: outcome.runDir,
        result: outcome.result,
        diffs: outcome.diffs,
        records: outcome.records,
      }
      rejudged = (await compareRunDirs({ baseline: outcome.runDir, out: join(work, 'rejudged'), log: quiet }))
        .result
    } finally {
      await scenario.close()
    }
    nameOf = new Map(run.scenario.images.map((i) => [i.digest, `${i.namespace}/${i.repository}`]))
  })

  /** Every labelled manifest's label, from records.jsonl as written. */
  async function labels(): Promise<Map<string, string>> {
    const lines = (await readFile(join(run.runDir, 'records.jsonl'), 'utf8')).trim().split('\n')
    return new Map(
      lines.map((l) => JSON.parse(l) as ManifestRecord).map((r) => [r.digest, r.repository ?? '']),
    )
  }

  test('records name each manifest by "repository N": one label per repository, and one repository per label', async () => {
    const byDigest = await labels()
    assert.equal(byDigest.size, run.records.length)
    const labelOf = new Map<string, string>()
    const repositoryOf = new Map<string, string>()
    for (const [digest, label] of byDigest) {
      assert.match(label, /^repository \d+$/)
      const name = nameOf.get(digest)!
      assert.equal(labelOf.get(name) ?? label, label, `${name} has one label`)
      assert.equal(repositoryOf.get(label) ?? name, name, `${label} is one repository`)
      labelOf.set(name, label)
      repositoryOf.set(label, name)
    }
    assert.ok(labelOf.size < byDigest.size, 'the sample holds a repository with several manifests')
    for (const line of (await readFile(join(run.runDir, 'sample.jsonl'), 'utf8')).trim().split('\n')) {
      const { manifest, origin } = JSON.parse(line) as SampledManifest
      assert.equal(origin?.repository_label, byDigest.get(manifest.hash))
    }
  })

  test('result.json, diffs.jsonl, summary.md, report.html and the annotations show the labels', async () => {
    const byDigest = await labels()
    assert.equal(run.result.verdict, 'fail', run.result.reasons.join('\n'))
    const examples = run.result.aggregates.differences.flatMap((g) => g.examples)
    assert.ok(examples.length > 0)
    for (const e of examples) assert.equal(e.repository, byDigest.get(e.digest))
    for (const g of run.result.aggregates.differences)
      assert.ok(g.repositories && g.repositories <= g.manifests)
    for (const e of run.result.aggregates.canaryOnlyFailures)
      assert.equal(e.repository, byDigest.get(e.digest))
    for (const d of (await readFile(join(run.runDir, 'diffs.jsonl'), 'utf8')).trim().split('\n'))
      assert.equal(
        (JSON.parse(d) as ManifestDiff).repository,
        byDigest.get((JSON.parse(d) as ManifestDiff).digest),
      )
    const first = examples[0]!
    const shown = `${first.digest.slice(0, 19)}\` in ${first.repository}`
    assert.ok((await readFile(join(run.runDir, 'summary.md'), 'utf8')).includes(shown), shown)
    const html = await readFile(join(run.runDir, 'report.html'), 'utf8')
    assert.ok(html.includes(`${first.digest.slice(0, 19)}</code> in ${first.repository}</td>`))
    const annotations = buildAnnotations(run.result, run.diffs, {
      path: 'clair-canary.yml',
      records: run.records,
    })
    const text = JSON.stringify(annotations)
    assert.ok(text.includes(`${first.digest} in ${first.repository}`), text.slice(0, 400))
    for (const name of nameOf.values()) assert.ok(!text.includes(name), `the annotations name ${name}`)
  })

  test('re-judging the run directory keeps the labels (compare --baseline RUN_DIR)', async () => {
    const byDigest = await labels()
    const examples = rejudged.aggregates.differences.flatMap((g) => g.examples)
    assert.ok(examples.length > 0)
    for (const e of examples) assert.equal(e.repository, byDigest.get(e.digest))
  })

  test('no file of the run directory names a Quay namespace or repository', async () => {
    await assertNoSecrets(
      run.runDir,
      [...new Set(nameOf.values())].map((value) => ({ name: 'a repository name', value })),
    )
  })
})

describe('layer URLs that expire before the canary is ready and the replay ends (url-expiry 2 s)', () => {
  // Sampling signs every URL at once; the canary answers /readyz only after 3 s and 20 manifests at 6/s take
  // another 3 s: only URLs signed again just before each POST are still valid when the canary fetches them.
  // The storage's clock stops when the replay starts, in a later second than every signature before it (a presigned
  // URL's date has whole seconds): a URL signed while sampling has expired then, and one signed for its POST has
  // not, however long a loaded machine takes to deliver it (on the real clock, over a second could expire it).
  let frozen: number | undefined
  const storageNow = () => new Date(frozen ?? Date.now())
  const log: Logger = {
    ...quiet,
    group: async (name, work) => {
      if (name === 'replay') {
        frozen = undefined
        const before = Math.floor(Date.now() / 1000)
        while (Math.floor(Date.now() / 1000) === before) await new Promise((r) => setTimeout(r, 10))
        frozen = (Math.floor(Date.now() / 1000) + 2) * 1000
      }
      return work()
    },
  }
  let scenario: Scenario
  let work: string
  let inputs: Record<string, string>
  let run: Run
  before(async () => {
    scenario = await startScenario({
      count: 20,
      canaryProfile: 'clean',
      quayDb: true,
      canaryReadyAfterMs: 3000,
      storageNow,
    })
    work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-expiry-'))
    inputs = {
      ...scenario.inputs,
      seed: 'expiry',
      rate: '6',
      'url-expiry': '2',
      'run-dir': join(work, 'run'),
    }
    const { config } = await buildConfig((name) => inputs[name])
    const outcome = await runPipeline(config, { log })
    run = { scenario, ...outcome }
  })
  after(() => scenario?.close())

  test('a healthy canary passes: every POST is 201 through the blob server that verifies signatures', () => {
    assert.equal(run.result.verdict, 'pass', run.result.reasons.join('\n'))
    const posts = run.records.flatMap((r) => r.requests.filter((q) => q.op === 'index'))
    assert.equal(posts.length, 20)
    for (const post of posts) assert.equal(post.status, 201, post.message)
    assert.ok(run.records.every((r) => r.canary_state === 'IndexFinished'))
  })

  test("the run's sample.jsonl replays with run --manifests: its URLs are signed again from the blobs' storage", async () => {
    const sample = await readFile(join(run.runDir, 'sample.jsonl'), 'utf8')
    assert.doesNotMatch(sample, /X-Amz-|Signature/)
    const replayInputs: Record<string, string> = {
      ...inputs,
      'quay-db-dsn': '',
      manifests: join(run.runDir, 'sample.jsonl'),
      'run-dir': join(work, 'replayed'),
      'delete-first': 'true',
    }
    const { config } = await buildConfig((name) => replayInputs[name])
    // Anything signed before this replay has expired by the storage's clock.
    const outcome = await runPipeline(config, { log })
    assert.equal(outcome.result.verdict, 'pass', outcome.result.reasons.join('\n'))
    assert.ok(outcome.records.every((r) => r.canary_state === 'IndexFinished'))
  })

  test('without the layer-URI inputs the file is refused, saying why', async () => {
    const bare: Record<string, string> = {
      ...scenario.inputs,
      'quay-db-dsn': '',
      's3-bucket': '',
      manifests: join(run.runDir, 'sample.jsonl'),
      'run-dir': join(work, 'refused'),
    }
    const { config } = await buildConfig((name) => bare[name])
    await assert.rejects(runPipeline(config, { log: quiet }), (error: Error) => {
      assert.ok(error instanceof UserError)
      assert.match(
        error.message,
        /sample\.jsonl holds sampled manifests whose layer URLs must be signed afresh.*s3-bucket/,
      )
      return true
    })
  })
})

describe('a layer the canary cannot fetch, behind a signed URL', () => {
  test("Clair's error text keeps the URL but the run directory never keeps its signature", async () => {
    const scenario = await startScenario({ count: 3, canaryProfile: 'clean' })
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-pipeline-signed-'))
    try {
      const signature = 'X-Amz-Signature=0123456789deadbeefsecret'
      const broken = structuredClone(scenario.manifests[0]!)
      broken.hash = `sha256:${'e'.repeat(64)}`
      // Nothing listens on port 9: the fetch fails in transport, and Go's error text quotes the whole URL.
      broken.layers[0]!.uri = `http://127.0.0.1:9/blobs/sha256:${'f'.repeat(64)}?${signature}&X-Amz-Expires=600`
      const manifests = join(work, 'm.jsonl')
      await writeFile(
        manifests,
        [broken, ...scenario.manifests].map((m) => JSON.stringify(m)).join('\n') + '\n',
      )
      const inputs: Record<string, string> = {
        ...scenario.inputs,
        manifests,
        'run-dir': join(work, 'run'),
        'sample-size': '4',
      }
      const { config } = await buildConfig((name) => inputs[name])
      const outcome = await runPipeline(config, { log: quiet })
      const record = outcome.records.find((r) => r.digest === broken.hash)!
      assert.equal(record.canary_state, 'IndexError', 'the canary stored an IndexError for it')
      const stored = await readFile(
        join(outcome.runDir, 'reports/canary', `sha256-${'e'.repeat(64)}.index.json`),
        'utf8',
      )
      assert.match(stored, /\/blobs\/sha256:f+/, 'the error still names the layer URL')
      for (const file of await listFiles(outcome.runDir))
        assert.ok(!(await readFile(file, 'utf8')).includes('deadbeefsecret'), `signature leaked into ${file}`)
    } finally {
      await scenario.close()
    }
  })
})

describe('a canary behind a misbehaving proxy (HTML pages, empty 401s, truncated bodies, resets)', () => {
  let run: Run
  before(async () => {
    run = await runScenario(
      {
        name: 'very-faulty',
        description: 'test',
        faults: { html: 0.15, emptyUnauthorized: 0.1, truncated: 0.1, reset: 0.05 },
        // Every manifest is replayed: the test looks at each fault's class, not at how soon the run can fail.
      },
      { 'early-stop': 'false' },
    )
  })
  test('records each failure as its error class on its manifest, and the run goes on to a verdict', async () => {
    assert.equal(run.records.length, COUNT, 'every manifest has a record')
    const classes = new Set(
      run.records.flatMap((r) =>
        r.requests.filter((q) => q.side === 'canary' && q.error).map((q) => q.error),
      ),
    )
    for (const expected of ['not_json', 'unauthorized'])
      assert.ok(classes.has(expected as never), `${expected} recorded; saw ${[...classes].join(', ')}`)
    // A cut body is read again: on a GET it is left recorded only when every attempt was cut; a POST is not
    // sent twice. Either way a cut body happened on some request, and some GET healed on a later attempt.
    const gets = run.records.flatMap((r) => r.requests.filter((q) => q.side === 'canary' && q.op !== 'index'))
    for (const q of gets.filter((x) => x.error === 'truncated'))
      assert.equal(q.attempts, 4, `a cut ${q.op} was given up after ${q.attempts} attempts`)
    assert.ok(
      gets.some((q) => q.error === undefined && q.attempts > 1),
      'some read succeeded on a later attempt',
    )
    for (const r of run.records)
      for (const q of r.requests.filter((x) => x.error === 'unauthorized')) assert.equal(q.status, 401)
    const runJson = JSON.parse(await readFile(join(run.runDir, 'run.json'), 'utf8')) as RunInfo
    assert.deepEqual(runJson.incomplete, [], 'no stage was cut short')
    assert.notEqual(run.result.verdict, 'pass')
    // nothing a faulty proxy sent is mistaken for a dropped package
    assert.equal(code(run.diffs).filter((d) => d.kind === 'package').length, 0)
  })
})

describe("a canary that breaks Quay's contract outside the schema (a 201 without ETag, an empty 200)", () => {
  let run: Run
  before(async () => {
    run = await runScenario(
      {
        name: 'quay-contract',
        description: 'test',
        faults: { noEtag: 0.15, emptyOk: 0.1 },
      },
      // The test looks for both faults across the whole sample: an early stop could end it before either shows.
      { 'early-stop': 'false' },
    )
  })
  test('the quay-contract gate fails, naming both, as Quay would have refused those answers', () => {
    const gate = run.result.gates.find((g) => g.name === 'quay-contract')
    assert.equal(gate?.decision, 'fail', gate?.detail)
    const { examples } = run.result.aggregates.contractViolations
    // The POSTs come first, so the first examples are theirs; the empty 200s are in the records.
    assert.match(examples.map((e) => e.message).join('\n'), /no ETag header on the POST/)
    const empty = run.records.flatMap((r) =>
      r.requests.filter((q) => q.status === 200 && q.error === 'contract'),
    )
    assert.ok(empty.length > 0, 'empty 200s are recorded as contract errors')
    assert.ok(run.result.aggregates.contractViolations.canary > examples.length)
    assert.equal(run.result.verdict, 'fail')
  })
})

describe('production on claircore v1.5.48 (Clair v4.9.0), the canary on v1.5.52 (Clair main)', () => {
  // v1.5.52 adds a package's `detector` and a vulnerability's Self and Aliases (claircore package.go, vulnerability.go).
  let run: Run
  before(async () => {
    run = await runScenario('clean', {}, { claircore: { production: 'v1.5.48', canary: 'v1.5.52' } })
  })
  test('the JSON a newer claircore adds is no difference: a clean canary passes', async () => {
    assert.equal(run.result.verdict, 'pass', run.result.reasons.join('\n'))
    assert.deepEqual(run.diffs, [])
    const vuln = (await readdir(join(run.runDir, 'reports', 'canary'))).find((n) => n.endsWith('.vuln.json'))!
    const report = JSON.parse(
      await readFile(join(run.runDir, 'reports', 'canary', vuln), 'utf8'),
    ) as VulnerabilityReport
    const some = Object.values(report.vulnerabilities as Record<string, Record<string, unknown>>)[0]
    if (some) assert.ok('Aliases' in some && 'Self' in some, 'the canary rendered the newer fields')
  })
})
