// A sharded run end to end: two legs of the real pipeline against the same stand-ins, merged by
// `clair-canary merge`, judge like one unsharded run of the same sample.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildConfig } from '../../../src/config/config.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { startScenario } from '../../../demo/scenario.ts'
import { runCli } from '../../support/cli.ts'
import type { Scenario } from '../../../demo/scenario.ts'
import type { ManifestDiff, Result, RunInfo } from '../../../src/rundir/types.ts'
import type { HistoryRecord } from '../../../src/history/record.ts'
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

test('a sharded run keeps one history record, from the merged result, and is judged against the nights', async () => {
  const legs = join(work, 'history-legs')
  await run({ 'run-dir': join(legs, 'leg-0'), 'shard-index': '0', 'shard-total': '2' })
  await run({ 'run-dir': join(legs, 'leg-1'), 'shard-index': '1', 'shard-total': '2' })
  // A leg keeps no record: it holds part of the evidence.
  await assert.rejects(readFile(join(legs, 'leg-0', 'history.json')), { code: 'ENOENT' })
  const historyDir = join(work, 'history')
  const night = { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF_NAME: 'main', GITHUB_SHA: 'd'.repeat(40) }
  const merge = async (out: string, runId: string) => {
    const dir = join(work, out)
    const cli = await runCli(['merge', '--out', dir, '--history-dir', historyDir, legs], {
      ...night,
      GITHUB_RUN_ID: runId,
    })
    assert.equal(cli.code, 1, `${cli.out}\n${cli.err}`)
    return { dir, result: await readJson<Result>(join(dir, 'result.json')) }
  }
  const nightsGate = (r: Result) => r.gates.find((g) => g.name === 'index-latency-nights')!

  // The first night: its record, for the whole run, and nothing to judge against yet.
  const first = await merge('merged-night-1', '1')
  assert.equal(nightsGate(first.result).decision, 'not-judged')
  const record = await readJson<HistoryRecord>(join(first.dir, 'history.json'))
  assert.deepEqual((await readdir(historyDir)).length, 1)
  assert.equal(record.event, 'schedule')
  assert.equal(record.sample.manifests, 40, 'the whole run, both legs')
  assert.equal(record.verdict, first.result.verdict)
  assert.equal(record.settings?.legs, 2)
  assert.equal(record.settings?.rate, Number(inputs['rate']) * 2, 'the load of both legs together')

  // Five earlier nights like it, and one unsharded night (another load): merging the same legs again is judged on
  // the five (the first record is of this same run, not an earlier one).
  const day = 86_400_000
  for (let d = 1; d <= 5; d++)
    await writeFile(
      join(historyDir, `earlier-${d}.history.json`),
      JSON.stringify({
        ...record,
        time: new Date(Date.parse(record.time) - d * day).toISOString(),
        run_id: 100 + d,
      }),
    )
  const unsharded = {
    ...record,
    time: new Date(Date.parse(record.time) - 6 * day).toISOString(),
    run_id: 106,
    settings: { ...record.settings, legs: 1 },
  }
  await writeFile(join(historyDir, 'unsharded.history.json'), JSON.stringify(unsharded))
  const second = await merge('merged-night-2', '2')
  const gate = nightsGate(second.result)
  assert.notEqual(gate.decision, 'not-judged', gate.detail)
  assert.match(
    gate.detail,
    /against 5 comparable nights on main \(1 set aside: \S+: another load: 1 leg \(this run 2\)\): p50 /,
  )
  const summary = await readFile(join(second.dir, 'summary.md'), 'utf8')
  assert.match(summary, /### History \(6 earlier runs on `main`\)/)
  // Merging the same legs again is the same run: its record replaces the first one, never a second copy.
  assert.equal((await readdir(historyDir)).length, 7)
})
