// The example workflows: valid YAML, only inputs action.yml declares, and the least permissions each needs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = new URL('../../../', import.meta.url).pathname
const dir = join(root, 'examples/workflows')

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Job {
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({ file: f, wf: parse(readFileSync(join(dir, f), 'utf8')) as Workflow }))

test('the example workflows exist', () => {
  assert.deepEqual(workflows.map((w) => w.file).sort(), [
    'fork-pr-report.yml',
    'nightly.yml',
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

test('least privilege: contents read at the top; checks write only where a check is created; actions read only to download', () => {
  for (const { file, wf } of workflows) {
    assert.deepEqual(wf.permissions, { contents: 'read' }, `${file}: top-level permissions`)
    for (const [name, job] of Object.entries(wf.jobs)) {
      const perms = job.permissions ?? {}
      // A leg of a sharded run replays with checks: 'false' and needs no write access.
      const runsCanary = job.steps.some(
        (s) => s.uses === 'quay/clair-canary@v1' && s.with?.['checks'] !== 'false',
      )
      const downloads = job.steps.some(
        (s) => s.uses?.startsWith('actions/download-artifact@') && s.with?.['run-id'],
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
            (scope === 'actions' && level === 'read'),
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
