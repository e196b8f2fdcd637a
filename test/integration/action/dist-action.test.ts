// The bundled action (dist/index.js) run the way the runner runs a `node24` action: inputs as INPUT_<NAME>
// variables, outputs and the job summary through the files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, the check run
// against a GitHub REST stand-in validated with GitHub's OpenAPI description, Clair stand-ins for both sides.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startScenario } from '../../../demo/scenario.ts'
import { startGitHubRest } from '../../support/github-rest.ts'
import { ACTION_SHA, DIST, parseOutputs, spawnAction } from '../../support/action.ts'
import type { Scenario } from '../../../demo/scenario.ts'
import type { GitHubRestStandIn } from '../../support/github-rest.ts'
import type { ManifestDiff, Result } from '../../../src/rundir/types.ts'
import { readJson } from '../../../src/rundir/io.ts'

const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz01'

interface ActionRun {
  code: number | null
  stdout: string
  outputs: Record<string, string>
  summary: string
}

async function runAction(inputs: Record<string, string>, github: GitHubRestStandIn): Promise<ActionRun> {
  const { child, files } = await spawnAction(inputs, github.url)
  let stdout = ''
  child.stdout?.on('data', (b) => (stdout += b))
  child.stderr?.on('data', (b) => (stdout += b))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return {
    code,
    stdout,
    outputs: parseOutputs(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  }
}

describe(
  'the bundled action',
  { skip: existsSync(DIST) ? false : 'dist/index.js is missing: run npm run build' },
  () => {
    let scenario: Scenario
    let github: GitHubRestStandIn
    let manifests: string
    before(async () => {
      scenario = await startScenario({ count: 30, canaryProfile: 'demo' })
      github = await startGitHubRest()
      const dir = await mkdtemp(join(tmpdir(), 'clair-canary-action-manifests-'))
      manifests = join(dir, 'manifests.jsonl')
      await writeFile(manifests, scenario.manifests.map((m) => JSON.stringify(m)).join('\n') + '\n')
    })
    after(async () => {
      await scenario?.close()
      await github?.close()
    })

    test('fails the step on a planted regression, with outputs, a job summary and a completed check run', async () => {
      const run = await runAction(
        {
          ...scenario.inputs,
          manifests,
          seed: 'action',
          token: TOKEN,
          checks: 'true',
          artifacts: 'true',
          'sample-size': '30',
          // Outputs recounted over the whole sample: an early stop would end it at the first failure.
          'early-stop': 'false',
        },
        github,
      )
      assert.equal(run.code, 1, run.stdout)
      assert.equal(run.outputs['verdict'], 'fail')
      assert.equal(run.outputs['conclusion'], 'failure')
      assert.equal(run.outputs['manifests'], '30')
      // Exact, and one set of numbers: the outputs are result.json's counts, in manifests as action.yml documents
      // (the judge's unit test pins what each counts; here, that the action publishes those very numbers).
      const runDir = run.outputs['run-dir']!
      const result = await readJson<Result>(join(runDir, 'result.json'))
      const diffs = (await readFile(join(runDir, 'diffs.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ManifestDiff)
      const withCode = diffs.filter((d) => d.differences.some((x) => x.attribution === 'code')).length
      assert.ok(Number(run.outputs['code-differences']) > 0)
      assert.ok(Number(run.outputs['code-differences']) <= withCode, 'counts manifests, never differences')
      assert.equal(run.outputs['code-differences'], String(result.counts.code_different))
      assert.equal(run.outputs['different'], String(result.counts.different))
      assert.equal(run.outputs['errors'], String(result.counts.errors))
      assert.equal(run.outputs['compared'], String(result.counts.compared))
      assert.ok(run.outputs['summary-path']?.endsWith('summary.md'))
      assert.match(run.summary, /fail/i)
      assert.match(run.summary, /canary-only-failures/)
      // Artifacts need the runner's results service; without it the upload is a warning, not a failed run.
      assert.match(run.stdout, /::warning::.*not uploaded/)
      // The check run was created in progress and completed with the verdict.
      assert.deepEqual(github.invalidCalls(), [])
      const checks = [...github.checkRuns.values()]
      assert.equal(checks.length, 1)
      assert.equal(checks[0]!.head_sha, ACTION_SHA)
      assert.equal(checks[0]!.status, 'completed')
      assert.equal(checks[0]!.conclusion, 'failure')
      assert.ok(checks[0]!.annotations.length > 0, 'annotations point at the worst differences')
      assert.equal(run.outputs['check-run-url'] !== undefined, true)
      // Secrets never reach the log, the summary, the outputs or the check.
      // ::add-mask:: lines are how a secret is handed to the runner, which masks it and never shows the line.
      const log = run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n')
      for (const text of [log, run.summary, JSON.stringify(run.outputs), JSON.stringify(checks)]) {
        assert.ok(!text.includes(scenario.psk), 'PSK leaked')
        assert.ok(!text.includes(TOKEN), 'token leaked')
      }
    })

    test('with a read-only token, warns and still writes the job summary and annotations', async () => {
      github.readOnly = true
      try {
        const run = await runAction(
          { ...scenario.inputs, manifests, seed: 'ro', token: TOKEN, checks: 'true', 'sample-size': '30' },
          github,
        )
        assert.equal(run.outputs['verdict'], 'fail')
        assert.match(
          run.stdout,
          /::warning::No check run: the token cannot write checks.*checks: write/,
          run.stdout.slice(0, 3000),
        )
        assert.match(run.summary, /canary-only-failures/)
        assert.match(run.stdout, /::error /, 'workflow-command annotations carry the result')
      } finally {
        github.readOnly = false
      }
    })

    test('bad input fails the step with one line naming the input, and no stack', async () => {
      const run = await runAction({ ...scenario.inputs, manifests, rate: '0', checks: 'false' }, github)
      assert.equal(run.code, 1)
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'))
      assert.equal(errors.length, 1, run.stdout)
      assert.match(errors[0]!, /input rate: expected a number above 0/)
      assert.ok(!/\n\s+at /.test(run.stdout), 'no stack trace')
    })

    test('a configuration error reads as one: one line, a summary saying what and how to fix it, a check titled so', async () => {
      const before = new Set(github.checkRuns.keys())
      const run = await runAction(
        { ...scenario.inputs, manifests, 'sample-size': 'lots', token: TOKEN, checks: 'true' },
        github,
      )
      assert.equal(run.code, 1)
      const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'))
      assert.deepEqual(errors, [
        '::error::clair-canary: configuration error: input sample-size: expected a number, got "lots"',
      ])
      assert.match(run.summary, /configuration error/)
      assert.match(run.summary, /What was wrong:\*\* input sample-size/)
      assert.match(run.summary, /How to fix it/)
      // Nothing was uploaded, so nothing points at an artifact, and nothing calls it an internal error.
      for (const text of [run.summary, run.stdout]) {
        assert.doesNotMatch(text, /artifact/i)
        assert.doesNotMatch(text, /internal error/i)
      }
      const created = [...github.checkRuns.values()].filter((c) => !before.has(c.id))
      assert.equal(created.length, 1)
      assert.equal(created[0]!.conclusion, 'failure')
      assert.equal(
        created[0]!.output.title,
        'configuration error: input sample-size: expected a number, got "lots"',
      )
      assert.doesNotMatch(created[0]!.output.summary ?? '', /artifact/i)
    })
  },
)
