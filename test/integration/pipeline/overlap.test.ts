// Comparing as reports arrive, against the stand-ins: a planted code regression stops the run at the manifest that
// made it certain; the differences found on the fly are the ones a later compare of the run directory finds; the
// stores hold the reports as they arrived.
import { before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../../src/config/config.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { ClairClient } from '../../../src/clair/client.ts'
import { compareStores } from '../../../src/compare/stores.ts'
import { openReportStore, readJsonl } from '../../../src/rundir/io.ts'
import { indexReportFile, storeDir, vulnerabilityReportFile } from '../../../src/rundir/layout.ts'
import { startScenario } from '../../../demo/scenario.ts'
import { quietLogger } from '../../support/log.ts'
import type { ClairApi, ClairResponse } from '../../../src/clair/api.ts'
import type { Config } from '../../../src/config/types.ts'
import type { PipelineOutcome } from '../../../src/pipeline.ts'
import type { ScenarioProfile } from '../../../standin/profiles.ts'
import type { RunInfo } from '../../../src/rundir/types.ts'

const COUNT = 40

/** Runs the pipeline against a fresh scenario; `inspect` sees the outcome while the stand-ins still run. */
async function run(
  profile: string | ScenarioProfile,
  extra: Record<string, string>,
  inspect: (outcome: PipelineOutcome, config: Config) => Promise<void> = async () => {},
  clients?: (config: Config) => { canary: ClairApi; production: ClairApi },
): Promise<PipelineOutcome> {
  const scenario = await startScenario({ count: COUNT, canaryProfile: profile })
  try {
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-overlap-'))
    const manifests = join(work, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'overlap-test',
      'run-dir': join(work, 'run'),
      ...extra,
    }
    const { config } = await buildConfig((name) => inputs[name])
    const outcome = await runPipeline(config, {
      log: quietLogger,
      ...(clients ? { clients: clients(config) } : {}),
    })
    await inspect(outcome, config)
    return outcome
  } finally {
    await scenario.close()
  }
}

describe('a planted code regression (the Python scanner finds nothing), early stop on', () => {
  let outcome: PipelineOutcome
  before(async () => {
    outcome = await run({ name: 'python-gone', description: 'test', dropEcosystems: ['python'] }, {})
  })
  test('stops at the manifest that made the index differences certain, and says so first', async () => {
    const { result } = outcome
    assert.equal(result.verdict, 'fail')
    const saved = JSON.parse(await readFile(join(outcome.runDir, 'run.json'), 'utf8')) as RunInfo
    const stop = saved.early_stop
    assert.ok(stop, 'run.json keeps the stop')
    assert.equal(stop.gate, 'index-differences')
    assert.equal(stop.planned, COUNT)
    assert.match(
      result.reasons[0]!,
      new RegExp(
        `^stopped early at manifest ${stop.manifest} of ${COUNT} \\(${stop.digest.slice(0, 19)}\\): index-differences is certain to fail`,
      ),
    )
    // The manifest named is one whose index report really lost Python packages, attributed to code.
    const named = outcome.diffs.find((d) => d.digest === stop.digest)
    assert.ok(named, 'the manifest named has differences')
    assert.ok(
      named.differences.some(
        (d) => d.report === 'index' && d.attribution === 'code' && d.ecosystem === 'python',
      ),
      JSON.stringify(named.differences.slice(0, 3)),
    )
    const gate = result.gates.find((g) => g.name === 'index-differences')!
    assert.equal(gate.decision, 'fail')
    assert.equal(saved.incomplete?.length ?? 0, 0, 'a deliberate stop is not an incomplete stage')
  })
  test('fewer manifests are read than planned', () => {
    const read = outcome.records.filter((r) =>
      r.requests.some((q) => q.side === 'production' && q.error === undefined),
    )
    assert.ok(read.length < COUNT, `${read.length} of ${COUNT} read`)
  })
})

describe('differences found as reports arrive', () => {
  test('equal what a compare of the run directory finds, noise from later re-reads included', async () => {
    let rules: Config['rules'] | undefined
    const outcome = await run(
      'nondeterministic',
      { 'early-stop': 'false', 'reread-fraction': '0.5' },
      async (_, config) => {
        rules = config.rules
      },
    )
    const dir = (side: string) => join(outcome.runDir, 'reports', side)
    const again = await compareStores(
      await openReportStore(dir('production')),
      await openReportStore(dir('canary')),
      {
        rules: rules!,
        today: new Date().toISOString().slice(0, 10),
        rereads: {
          production: await openReportStore(dir('production-reread')),
          canary: await openReportStore(dir('canary-reread')),
        },
      },
    )
    const written = []
    for await (const [, row] of readJsonl(join(outcome.runDir, 'diffs.jsonl'))) written.push(row)
    assert.deepEqual(outcome.diffs, again.diffs)
    assert.deepEqual(written, again.diffs)
    // Re-reads found noise, and some differences were attributed to it only after their manifest was compared.
    const noise = outcome.diffs.flatMap((d) => d.differences).filter((d) => d.attribution === 'noise')
    assert.ok(noise.length > 0, 'the nondeterministic canary shows noise')
    assert.equal(outcome.result.aggregates.coverage?.manifests, again.coverage.manifests)
  })
})

describe('report stores', () => {
  test('hold each report as the bytes that arrived', async () => {
    // Clair's maps come in a random order on every answer: the bytes are those of the answer the run received.
    const arrived = new Map<string, string>()
    const outcome = await run('clean', { 'early-stop': 'false' }, undefined, (config) => {
      const production = new ClairClient(config.production, config.client)
      const keep =
        <T>(kind: string, read: (digest: string) => Promise<ClairResponse<T>>) =>
        async (digest: string) => {
          const response = await read(digest)
          // The first answer is the one stored; a re-read goes to another store.
          const key = `${kind} ${digest}`
          if (response.text !== undefined && !arrived.has(key)) arrived.set(key, response.text)
          return response
        }
      const recording: ClairApi = {
        side: production.side,
        readOnly: production.readOnly,
        indexState: () => production.indexState(),
        index: (manifest, resign) => production.index(manifest, resign),
        indexReport: keep('index', (d) => production.indexReport(d)),
        deleteIndexReport: (d) => production.deleteIndexReport(d),
        vulnerabilityReport: keep('vulnerability', (d) => production.vulnerabilityReport(d)),
        updateOperations: (kind) => production.updateOperations(kind),
        readyz: () => production.readyz(),
        metrics: () => production.metrics(),
        close: () => production.close(),
      }
      return { canary: new ClairClient(config.canary, config.client), production: recording }
    })
    const store = storeDir(outcome.runDir, 'production')
    let checked = 0
    for (const { digest } of outcome.records) {
      for (const [kind, file] of [
        ['index', indexReportFile(store, digest)],
        ['vulnerability', vulnerabilityReportFile(store, digest)],
      ] as const) {
        const text = arrived.get(`${kind} ${digest}`)
        assert.ok(text, `the ${kind} report of ${digest} arrived`)
        assert.ok((await readFile(file, 'utf8')) === text, `${file} holds the bytes that arrived`)
        checked++
      }
    }
    assert.equal(checked, 2 * COUNT)
  })
})
