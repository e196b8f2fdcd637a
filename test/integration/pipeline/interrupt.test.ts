// The pipeline under SIGINT/SIGTERM, in process: the first signal (during the comparison, after the replay) still
// lets the run compare and judge, but never pass; the second stops the comparison, and the run judges its records.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startScenario } from '../../../demo/scenario.ts'
import { buildConfig } from '../../../src/config/config.ts'
import { Interrupted } from '../../../src/interrupt.ts'
import { runPipeline } from '../../../src/pipeline.ts'
import { quietLogger } from '../../support/log.ts'
import type { Logger } from '../../../src/log.ts'
import type { RunInfo } from '../../../src/rundir/types.ts'

const COUNT = 12

/** Runs a scenario; when the compare stage starts, the signals named are sent (aborted with their reason). */
async function interruptAtCompare(profile: string, signals: { stop: boolean; force: boolean }) {
  const scenario = await startScenario({ count: COUNT, canaryProfile: profile })
  try {
    const work = await mkdtemp(join(tmpdir(), 'clair-canary-interrupt-'))
    const manifests = join(work, 'manifests.jsonl')
    await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const inputs: Record<string, string> = {
      ...scenario.inputs,
      manifests,
      seed: 'interrupt-test',
      'early-stop': 'false',
      'run-dir': join(work, 'run'),
    }
    const { config } = await buildConfig((name) => inputs[name])
    const stop = new AbortController()
    const force = new AbortController()
    const log: Logger = {
      ...quietLogger,
      group: (name, work) => {
        if (name === 'compare') {
          if (signals.stop) stop.abort(new Interrupted('SIGTERM'))
          if (signals.force) force.abort(new Interrupted('SIGTERM'))
        }
        return work()
      },
    }
    const outcome = await runPipeline(config, { log, signal: stop.signal, force: force.signal })
    const run = JSON.parse(await readFile(join(outcome.runDir, 'run.json'), 'utf8')) as RunInfo
    return { outcome, run }
  } finally {
    await scenario.close()
  }
}

test('a signal after the replay: the comparison still runs, and the clean canary is not passed', async () => {
  const { outcome, run } = await interruptAtCompare('clean', { stop: true, force: false })
  assert.deepEqual(run.cancelled, { signal: 'SIGTERM', second_signal: false })
  assert.deepEqual(run.incomplete, [{ stage: 'judge', reason: 'cancelled by SIGTERM' }])
  assert.equal(outcome.result.counts.manifests, COUNT, 'every manifest had finished')
  assert.equal(outcome.result.counts.compared, COUNT, 'and was compared')
  assert.equal(outcome.result.verdict, 'inconclusive')
})

test('a second signal stops the comparison: the run judges its records, and they can still fail it', async () => {
  const { outcome, run } = await interruptAtCompare('demo', { stop: true, force: true })
  assert.deepEqual(run.cancelled, { signal: 'SIGTERM', second_signal: true })
  assert.deepEqual(
    run.incomplete?.find((s) => s.stage === 'compare'),
    { stage: 'compare', reason: 'cancelled by SIGTERM (the second signal)' },
  )
  assert.deepEqual(outcome.diffs, [], 'nothing was compared')
  assert.equal(outcome.result.counts.manifests, COUNT)
  for (const name of ['index-differences', 'vulnerability-differences']) {
    const gate = outcome.result.gates.find((g) => g.name === name)
    assert.equal(gate?.decision, 'inconclusive', name)
    assert.equal(gate?.detail, 'not judged: the comparison did not complete', name)
  }
  // The demo canary fails to index some manifests: the records alone prove it.
  const failures = outcome.result.gates.find((g) => g.name === 'canary-only-failures')
  assert.equal(failures?.decision, 'fail', JSON.stringify(failures))
  assert.equal(outcome.result.verdict, 'fail')
})
