// History on disk, through the CLI as a user runs it (`run --history true --history-dir DIR`) against the stand-ins:
// each run adds its record to the directory; with too few nights the canary's index latency is not judged; with
// enough it is judged against them and says so, the summary shows the trend, and re-judging the run directory gives
// the same gate. Whether a given latency passes is the unit tests' job (known latencies): here both runs' latency
// is measured on a shared machine, so the outcome is not asserted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startScenario } from '../../../demo/scenario.ts'
import { runCli } from '../../support/cli.ts'
import { ACTION_ONLY_INPUTS } from '../../../src/config/inputs.ts'
import type { HistoryRecord } from '../../../src/history/record.ts'
import type { Result } from '../../../src/rundir/types.ts'

const COUNT = 30

async function run(profile: string, work: string, historyDir: string, env: Record<string, string>) {
  const scenario = await startScenario({ count: COUNT, canaryProfile: profile })
  try {
    const manifests = join(work, `${profile}.jsonl`)
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const runDir = join(work, `run-${profile}-${env['GITHUB_RUN_ID']}`)
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'history-test',
      'run-dir': runDir,
      history: 'true',
      'history-dir': historyDir,
    }
    // The scenario's publishing inputs belong to the action; the CLI refuses them.
    const flags = Object.entries(inputs)
      .filter(([k]) => !ACTION_ONLY_INPUTS.has(k))
      .flatMap(([k, v]) => [`--${k}`, v])
    const out = await runCli(['run', ...flags], env)
    const result = JSON.parse(await readFile(join(runDir, 'result.json'), 'utf8')) as Result
    const summary = await readFile(join(runDir, 'summary.md'), 'utf8')
    return { ...out, result, summary, runDir }
  } finally {
    await scenario.close()
  }
}

const nightsGate = (result: Result) => result.gates.find((g) => g.name === 'index-latency-nights')

test(
  'history on disk: records accumulate, few nights are not judged, later runs are judged against the nights',
  { timeout: 240_000 },
  async () => {
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-history-'))
    const historyDir = join(work, 'history')
    const night = { GITHUB_EVENT_NAME: 'schedule', GITHUB_REF_NAME: 'main', GITHUB_SHA: 'a'.repeat(40) }

    // The first night has nothing to compare with: the gate is not judged and the other gates decide.
    const first = await run('clean', work, historyDir, { ...night, GITHUB_RUN_ID: '1' })
    assert.equal(nightsGate(first.result)?.decision, 'not-judged')
    assert.match(
      nightsGate(first.result)!.detail,
      /^0 comparable nights on main with canary index latency, 5 needed/,
    )
    const others = first.result.gates.filter((g) => g.name !== 'index-latency-nights')
    assert.equal(first.result.verdict, others.some((g) => g.decision === 'fail') ? 'fail' : 'pass')
    assert.equal(first.code, first.result.verdict === 'pass' ? 0 : 1, first.err)
    const saved = await readdir(historyDir)
    assert.equal(saved.length, 1)
    assert.match(saved[0]!, /\.history\.json$/)
    const record = JSON.parse(await readFile(join(historyDir, saved[0]!), 'utf8')) as HistoryRecord
    assert.deepEqual(record, JSON.parse(await readFile(join(first.runDir, 'history.json'), 'utf8')))
    assert.equal(record.event, 'schedule')
    assert.equal(record.sample.manifests, COUNT)
    assert.ok(record.latency.canary.index && record.latency.canary.index.count === COUNT)

    // Five earlier nights like it (the real record, a day apart each).
    for (let day = 1; day <= 5; day++) {
      const earlier = {
        ...record,
        time: new Date(Date.parse(record.time) - day * 86_400_000).toISOString(),
        run_id: 100 + day,
      }
      await writeFile(join(historyDir, `earlier-${day}.history.json`), JSON.stringify(earlier))
    }

    // A push on main, judged against those six nights.
    const push = await run('clean', work, historyDir, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: 'b'.repeat(40),
      GITHUB_RUN_ID: '2',
    })
    const gate = nightsGate(push.result)!
    assert.notEqual(gate.decision, 'inconclusive', gate.detail)
    assert.match(
      gate.detail,
      /canary index latency against 6 comparable nights on main: p50 \S+ s?\S* vs median \S+ .*\(MAD \S+ \S+, limit \S+ \S+\); p95 /,
    )
    assert.match(push.summary, /### History \(6 earlier runs on `main`\)/)
    assert.match(push.summary, /\| \*\*this run\*\* \| `bbbbbbb` \| push \|/)
    // Re-judging the run directory takes the nights from run.json: the same gate, without the history directory.
    const rejudged = join(work, 'rejudged')
    const again = await runCli(['compare', '--baseline', push.runDir, '--out', rejudged])
    assert.ok([0, 1, 3].includes(again.code ?? -1), again.err)
    const result = JSON.parse(await readFile(join(rejudged, 'result.json'), 'utf8')) as Result
    assert.deepEqual(nightsGate(result), gate)
    assert.equal(result.verdict, push.result.verdict)
    assert.equal((await readdir(historyDir)).length, 7, 'the push added its record too')
  },
)
