// The whole action from source through @github/local-action, which stubs the toolkit: the job summary goes to a
// file and artifacts become zip files in a local folder. Clair stand-ins on both sides, a clean canary.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startScenario } from '../../../demo/scenario.ts'
import type { Scenario } from '../../../demo/scenario.ts'

const ROOT = join(import.meta.dirname, '../../..')
let scenario: Scenario

before(async () => {
  scenario = await startScenario({ count: 25, canaryProfile: 'clean' })
})
after(async () => {
  await scenario?.close()
})

/** Runs src/main.ts through local-action with the clean scenario's inputs and these; its stdout and work dir. */
async function runLocalAction(
  inputs: Record<string, string>,
  extraEnv: string[],
): Promise<{ stdout: string; work: string; artifacts: string }> {
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-local-action-'))
  const artifacts = join(work, 'artifacts')
  await mkdir(artifacts)
  const manifests = join(work, 'manifests.jsonl')
  await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
  const all: Record<string, string> = {
    ...scenario.inputs,
    manifests,
    seed: 'local-action',
    'sample-size': '25',
    'run-dir': join(work, 'run'),
    artifacts: 'true',
    'artifact-name': 'canary-run',
    ...inputs,
  }
  const env = [
    ...Object.entries(all).map(([k, v]) => `INPUT_${k.toUpperCase()}=${v}`),
    `GITHUB_STEP_SUMMARY=${join(work, 'summary.md')}`,
    `LOCAL_ACTION_WORKSPACE=${work}`,
    `LOCAL_ACTION_ARTIFACT_PATH=${artifacts}`,
    'GITHUB_REPOSITORY=quay/clair',
    ...extraEnv,
  ].join('\n')
  await writeFile(join(work, '.env'), env + '\n')
  const { stdout } = await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/local-action'),
    ['.', 'src/main.ts', join(work, '.env')],
    { cwd: ROOT, maxBuffer: 32 * 1024 * 1024, timeout: 240_000 },
  )
  return { stdout, work, artifacts }
}

test('local-action runs src/main.ts: outputs, job summary and both artifacts', async () => {
  const { stdout, work, artifacts } = await runLocalAction({}, ['GITHUB_RUN_ID=7'])
  assert.match(stdout, /'verdict'\s*│\s*'pass'/, stdout.slice(-3000))
  assert.match(stdout, /'artifact-id'/)
  const summary = await readFile(join(work, 'summary.md'), 'utf8')
  assert.match(summary, /clair-canary: PASS/)
  const zips = (await readdir(artifacts)).sort()
  assert.deepEqual(zips, ['canary-run-report.html.zip', 'canary-run.zip'])
  assert.ok(
    !stdout.split('\n').some((l) => l.includes(scenario.psk) && !l.startsWith('::add-mask::')),
    'PSK leaked',
  )
})

test('local-action with history: the record is written and uploaded on its own, named for a night', async () => {
  const { stdout, work, artifacts } = await runLocalAction({ history: 'true' }, [
    'GITHUB_RUN_ID=8',
    'GITHUB_EVENT_NAME=schedule',
    'GITHUB_REF_NAME=main',
    `GITHUB_SHA=${'c'.repeat(40)}`,
  ])
  // No token, so no earlier runs to read: a warning with the fix, the nights gate is not judged, and the clean
  // canary passes on every other gate.
  assert.match(stdout, /no token to read earlier runs' artifacts: give the action token: .* actions: read/)
  assert.match(stdout, /'verdict'\s*│\s*'pass'/, stdout.slice(-3000))
  const summary = await readFile(join(work, 'summary.md'), 'utf8')
  assert.match(summary, /### History \(0 earlier runs on `main`\)/)
  assert.match(summary, /all 7 judged gates passed, 1 not judged/)
  assert.match(
    summary,
    /index-latency-nights not judged: no history read: no token to read earlier runs(&#x27;|')? artifacts/,
  )
  assert.match(summary, /No earlier run could be read: no token/)
  const record = JSON.parse(await readFile(join(work, 'run', 'history.json'), 'utf8')) as {
    event: string
    branch: string
    commit: string
    run_id: number
  }
  assert.deepEqual(
    { event: record.event, branch: record.branch, commit: record.commit, run_id: record.run_id },
    { event: 'schedule', branch: 'main', commit: 'c'.repeat(40), run_id: 8 },
  )
  const uploaded = await readdir(artifacts)
  assert.ok(
    uploaded.some((f) => f.startsWith('canary-run-history-nights.json')),
    `the record is its own artifact: ${uploaded.join(', ')}`,
  )
})
