// The example workflows and the README's snippet: valid YAML, only inputs action.yml declares, the least
// permissions each needs, and each one gets past the action's real input validation (stand-in values for
// secrets, variables and contexts), so a user who copies one does not stop at start-up.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, copyFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { buildActionConfig } from '../../../src/config/config.ts'
import { artifactName } from '../../../src/github/artifacts.ts'

const root = new URL('../../../', import.meta.url).pathname
const dir = join(root, 'examples/workflows')

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  permissions?: Record<string, string>
  environment?: string
  concurrency?: { group: string; 'cancel-in-progress'?: boolean }
  strategy?: { matrix: Record<string, unknown[]> }
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  concurrency?: { group: string; 'cancel-in-progress'?: boolean }
  jobs: Record<string, Job>
}

const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({ file: f, wf: parse(readFileSync(join(dir, f), 'utf8')) as Workflow }))

test('the example workflows exist', () => {
  assert.deepEqual(workflows.map((w) => w.file).sort(), [
    'fork-pr-report.yml',
    'nightly.yml',
    'promote.yml',
    'pull-request.yml',
    'push-main.yml',
    'sharded.yml',
  ])
})

test('every input they pass to clair-canary is declared in action.yml', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }
  const declared = new Set(Object.keys(action.inputs))
  for (const { file, wf } of workflows) {
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps.filter((s) => s.uses === 'quay/clair-canary@v1')) {
        for (const input of Object.keys(step.with ?? {}))
          assert.ok(declared.has(input), `${file}: unknown input ${input}`)
      }
    }
  }
})

test('least privilege: contents read at the top; checks write only where a check is created; actions read only to read other runs’ artifacts', () => {
  for (const { file, wf } of workflows) {
    assert.deepEqual(wf.permissions, { contents: 'read' }, `${file}: top-level permissions`)
    for (const [name, job] of Object.entries(wf.jobs)) {
      const perms = job.permissions ?? {}
      // A leg of a sharded run replays with checks: 'false' and needs no write access.
      const runsCanary = job.steps.some(
        (s) => s.uses === 'quay/clair-canary@v1' && s.with?.['checks'] !== 'false',
      )
      // Another run's artifacts: download-artifact with a run-id, or history records read back (history: true).
      const downloads = job.steps.some(
        (s) =>
          (s.uses?.startsWith('actions/download-artifact@') && s.with?.['run-id']) ||
          (s.uses === 'quay/clair-canary@v1' && s.with?.['history'] === 'true'),
      )
      assert.equal(
        perms['checks'] === 'write',
        runsCanary,
        `${file}/${name}: checks: write iff it creates a check`,
      )
      assert.equal(perms['actions'] === 'read', downloads, `${file}/${name}: actions: read iff it downloads`)
      for (const [scope, level] of Object.entries(perms)) {
        assert.ok(
          (scope === 'contents' && level === 'read') ||
            (scope === 'checks' && level === 'write') ||
            (scope === 'actions' && level === 'read') ||
            // promote.yml marks a failed image with a commit status, from github-script.
            (scope === 'statuses' &&
              level === 'write' &&
              job.steps.some((s) => JSON.stringify(s.with?.['script'] ?? '').includes('createCommitStatus'))),
          `${file}/${name}: ${scope}: ${level} is more than it needs`,
        )
      }
    }
  }
})

test('the fork workflow runs on workflow_run and never checks out the fork', () => {
  const fork = workflows.find((w) => w.file === 'fork-pr-report.yml')!.wf
  assert.ok('workflow_run' in fork.on)
  for (const job of Object.values(fork.jobs)) {
    for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'))) {
      assert.equal(step.with?.['ref'], undefined, 'checks out the base repository only')
      assert.equal(step.with?.['repository'], undefined)
    }
  }
})

// --- Every example starts --------------------------------------------------------------------------------

const ACTION = 'quay/clair-canary@v1'
const SHA = 'c0ffee'.repeat(6) + 'c0ff'
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string; required: boolean }>
}

/** What the runner would substitute for each expression the examples use; anything else fails the test. */
function standIn(expression: string, ctx: { shard: number; total: number; wf: Workflow }): string {
  const e = expression.trim()
  const alt = /^(.+?)\s*\|\|\s*'([^']*)'$/.exec(e)
  if (alt) return standIn(alt[1]!, ctx) || alt[2]!
  let m: RegExpExecArray | null
  if ((m = /^secrets\.(\w+)$/.exec(e))) {
    if (m[1]!.endsWith('PSK')) return Buffer.from(`stand-in key for ${m[1]}`).toString('base64')
    if (m[1]!.endsWith('DSN')) return 'postgresql://quay:stand-in@replica.invalid:5432/quay'
    return `stand-in-${m[1]!.toLowerCase()}`
  }
  if ((m = /^vars\.(\w+)$/.exec(e)))
    return m[1]!.endsWith('_URL')
      ? `https://${m[1]!.toLowerCase().replace(/_/g, '-')}.invalid:6060`
      : `stand-in-${m[1]!.toLowerCase()}`
  if ((m = /^inputs\.([\w-]+)$/.exec(e))) {
    const dispatch = ctx.wf.on['workflow_dispatch'] as { inputs?: Record<string, { default?: string }> }
    return dispatch?.inputs?.[m[1]!]?.default ?? ''
  }
  const contexts: Record<string, string> = {
    'github.sha': SHA,
    'github.event.pull_request.head.sha': SHA,
    'github.event.workflow_run.head_sha': SHA,
    'github.token': 'ghs_standInToken0000',
    'github.run_id': '4242',
    'strategy.job-index': String(ctx.shard),
    'strategy.job-total': String(ctx.total),
    'steps.production.outputs.revision': SHA,
  }
  assert.ok(e in contexts, `no stand-in for the expression \${{ ${e} }}: add one to this test`)
  return contexts[e]!
}

function substitute(value: string, ctx: Parameters<typeof standIn>[1]): string {
  return value.replace(/\$\{\{(.+?)\}\}/g, (_, e: string) => standIn(e, ctx))
}

/** The README's workflow snippet, parsed. */
function readmeSnippet(): Workflow {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Using the action'))
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1]
  assert.ok(yaml, 'the README shows a workflow under "Using the action"')
  return parse(yaml) as Workflow
}

const everyWorkflow = () => [...workflows, { file: 'README.md', wf: readmeSnippet() }]

function actionSteps(wf: Workflow) {
  return Object.entries(wf.jobs).flatMap(([name, job]) =>
    job.steps.filter((s) => s.uses === ACTION).map((step) => ({ name, job, step })),
  )
}

test("every example workflow and the README snippet get past the action's input validation", async (t) => {
  const cwd = await mkdtemp(join(tmpdir(), 'cc-examples-'))
  t.after(() => rm(cwd, { recursive: true, force: true }))
  let checked = 0
  for (const { file, wf } of everyWorkflow()) {
    for (const { name, job, step } of actionSteps(wf)) {
      const legs = job.strategy ? Object.values(job.strategy.matrix)[0]!.length : 1
      for (let shard = 0; shard < legs; shard++) {
        const ctx = { shard, total: legs, wf }
        const given = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]),
        )
        // The runner fills in action.yml's defaults, expressions included (token: github.token).
        const read = (input: string) => given[input] ?? substitute(action.inputs[input]?.default ?? '', ctx)
        // The rules file the job checks out: the project's example stands in for it.
        const rules = given['rules']
        if (rules) {
          await mkdir(dirname(join(cwd, rules)), { recursive: true })
          await copyFile(join(root, 'examples/clair-canary.rules.yml'), join(cwd, rules))
          const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'))
          assert.ok(checkout, `${file}/${name}: reads ${rules} but checks nothing out`)
          const sparse = checkout.with?.['sparse-checkout']
          if (sparse)
            assert.ok(
              JSON.stringify(sparse).includes(rules),
              `${file}/${name}: sparse checkout misses ${rules}`,
            )
        }
        try {
          await buildActionConfig(read, { cwd, env: {} })
        } catch (error) {
          assert.fail(`${file}/${name}: the action stops at start-up: ${(error as Error).message}`)
        }
        checked++
      }
    }
  }
  assert.equal(checked, 5 + 4 + 1 + 1, 'five single jobs, four legs, a merge job and the README')
})

test('the README snippet passes what push-main.yml passes', () => {
  const push = workflows.find((w) => w.file === 'push-main.yml')!.wf
  const fromExample = actionSteps(push)[0]!.step.with!
  const fromReadme = actionSteps(readmeSnippet())[0]!.step.with!
  for (const [input, value] of Object.entries(fromReadme))
    assert.equal(fromExample[input], value, `README's ${input} differs from push-main.yml's`)
})

test("no run is cancelled half-way, and PR runs and main's runs never share a canary or a queue", () => {
  // A job's environment holds the variables and secrets that name its canary.
  const isPr = (environment: string) => /(^|-)pr$/.test(environment)
  const groups = new Map<string, boolean>()
  for (const { file, wf } of workflows) {
    assert.ok(wf.concurrency, `${file}: runs on a shared canary, so it needs a concurrency group`)
    assert.equal(wf.concurrency['cancel-in-progress'], false, `${file}: never cancels a run in progress`)
    const environments = new Set(
      actionSteps(wf)
        .filter(({ step }) => !step.with?.['merge'])
        .map(({ job }) => job.environment ?? ''),
    )
    assert.equal(environments.size, 1, `${file}: one canary environment`)
    const pr = isPr([...environments][0]!)
    assert.equal(pr, file === 'pull-request.yml' || file === 'fork-pr-report.yml', `${file}: its canary`)
    const seen = groups.get(wf.concurrency.group)
    assert.ok(seen === undefined || seen === pr, `${file}: shares a concurrency group with the other canary`)
    groups.set(wf.concurrency.group, pr)
  }
})

test('every replay states the revision it expects', () => {
  for (const { file, wf } of everyWorkflow())
    for (const { name, step } of actionSteps(wf))
      if (!step.with?.['merge'])
        assert.match(
          String((step.with?.['expect-revision'] as string | undefined) ?? ''),
          // A commit, or (nightly.yml) the revision production reports.
          /sha|outputs\.revision/,
          `${file}/${name}: expect-revision`,
        )
})

test("sharded legs share one seed across attempts and production's rate cap; the judge downloads run directories only", () => {
  const wf = workflows.find((w) => w.file === 'sharded.yml')!.wf
  const steps = actionSteps(wf)
  const leg = steps.find(({ step }) => step.with?.['shard-index'])!
  const judge = steps.find(({ step }) => step.with?.['merge'])!
  const legs = Object.values(leg.job.strategy!.matrix)[0]!.length
  assert.doesNotMatch(String(leg.step.with!['seed']), /attempt/)
  assert.match(String(leg.step.with!['seed']), /github\.run_id/)
  // Each leg takes production-rate / shard-total (the pipeline divides), so together they stay under the cap.
  assert.equal(String(leg.step.with!['shard-total']), '${{ strategy.job-total }}')
  assert.ok(
    Number(leg.step.with!['production-rate']) <= Number(action.inputs['production-rate']!.default),
    "the legs together stay under one run's cap",
  )
  // The merge job needs no canary, production or Quay input, and action.yml does not claim it does.
  for (const input of Object.keys(judge.step.with!))
    assert.ok(
      ['merge', 'rules', 'token', 'check-name', 'history', 'history-depth'].includes(input),
      `merge job passes ${input}`,
    )
  for (const [input, spec] of Object.entries(action.inputs))
    assert.equal(
      spec.required,
      false,
      `action.yml marks ${input} required, but the merge job goes without it`,
    )
  // The download pattern matches each leg's run directory and nothing else a leg could upload.
  const download = judge.job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!
  const pattern = new RegExp(
    `^${String(download.with!['pattern'])
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  )
  for (let i = 0; i < legs; i++) {
    const name = artifactName(String(leg.step.with!['artifact-name']), { shard: { index: i, total: legs } })
    assert.match(name, pattern)
  }
  assert.equal(leg.step.with!['checks'], 'false')
  // One history record for the whole run: the merge job keeps it, a leg never (the config refuses it).
  assert.equal(judge.step.with!['history'], 'true')
  assert.equal(leg.step.with!['history'], undefined)
})
