// A sharded run end to end: two legs of the real pipeline against the same stand-ins, merged by
// `clair-canary merge`, judge like one unsharded run of the same sample.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../../src/config/config.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { startScenario } from '../../../demo/scenario.ts'
import { runCli } from '../../support/cli.ts'
import type { Scenario } from '../../../demo/scenario.ts'
import type { ManifestDiff, Result, RunInfo } from '../../../src/rundir/types.ts'
import { readJson } from '../../../src/rundir/io.ts'
import { quietLogger } from '../../support/log.ts'

const quiet = quietLogger
let scenario: Scenario
let work: string
let inputs: Record<string, string>

before(async () => {
  scenario = await startScenario({ count: 40, canaryProfile: 'regression' })
  work = await mkdtemp(join(tmpdir(), 'clair-canary-sharded-'))
  const manifests = join(work, 'm.jsonl')
  await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
  inputs = { ...scenario.inputs, manifests, seed: 'sharded', 'reread-fraction': '0' }
})
after(async () => {
  await scenario?.close()
})

async function run(extra: Record<string, string>) {
  const all: Record<string, string> = { ...inputs, ...extra }
  const { config } = await buildConfig((name) => all[name])
  return runPipeline(config, { log: quiet })
}

const codeKeys = (diffs: ManifestDiff[]) =>
  diffs
    .flatMap((d) =>
      d.differences
        .filter((x) => x.attribution === 'code')
        .map((x) => `${d.digest} ${x.kind} ${x.change} ${x.key}`),
    )
    .sort()

test('two legs merged give the verdict, gates and differences of one run', async () => {
  // Legs never stop early, so the whole run replays its whole sample too.
  const whole = await run({ 'run-dir': join(work, 'whole'), 'early-stop': 'false' })
  const legs = join(work, 'legs')
  const leg0 = await run({ 'run-dir': join(legs, 'leg-0'), 'shard-index': '0', 'shard-total': '2' })
  const leg1 = await run({ 'run-dir': join(legs, 'leg-1'), 'shard-index': '1', 'shard-total': '2' })
  assert.equal(leg0.records.length + leg1.records.length, 40, 'the legs split the sample')
  assert.ok(leg0.records.length > 0 && leg1.records.length > 0)

  const merged = join(work, 'merged')
  const { code, out, err } = await runCli(['merge', '--out', merged, legs])
  assert.equal(code, 1, `${out}\n${err}`)
  const result = await readJson<Result>(join(merged, 'result.json'))
  assert.equal(result.verdict, whole.result.verdict)
  assert.equal(result.counts.manifests, 40)
  assert.deepEqual(
    result.gates.map((g) => [g.name, g.decision]),
    whole.result.gates.map((g) => [g.name, g.decision]),
  )
  const diffs = (await readFile(join(merged, 'diffs.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ManifestDiff)
  assert.deepEqual(codeKeys(diffs), codeKeys(whole.diffs))
  const runJson = JSON.parse(await readFile(join(merged, 'run.json'), 'utf8')) as RunInfo
  assert.equal(runJson.sample.requested, 40)
  assert.equal(runJson.sample.drawn, 40)
})
