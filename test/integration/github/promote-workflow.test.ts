// The promotion example (examples/workflows/promote.yml) run as the runner would run it after the canary job:
// each job's `if:` decided from the action's outputs, each actions/github-script step's script executed with an
// Octokit pointed at the GitHub REST stand-in (which checks every write against GitHub's OpenAPI description).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { getOctokit } from '@actions/github'
import { startGitHubRest, type GitHubRestStandIn } from '../../support/github-rest.ts'

interface Step {
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
interface Job {
  needs?: string
  if?: string
  steps: Step[]
}
const workflow = parse(readFileSync('examples/workflows/promote.yml', 'utf8')) as {
  jobs: Record<string, Job>
}

const SHA = '5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f'
const OLD = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff'
const DEPLOY_REPO = 'quay/clair-deploy'
const DEPLOY_FILE = 'clusters/production/clair/deployment.yaml'
const CHECK_URL = 'https://github.example/quay/clair/runs/1001'
const deployment = (tag: string) =>
  [
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: clair',
    `          image: quay.io/projectquay/clair:canary-${tag}`,
    '',
  ].join('\n')

const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: unknown }).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>

/** The runner's side: the canary job's outputs, vars and secrets, and the expressions the example uses. */
function expression(e: string, outputs: Record<string, string>): string {
  const key = e.trim()
  const known: Record<string, string> = {
    'github.sha': SHA,
    'vars.DEPLOY_REPO': DEPLOY_REPO,
    'vars.DEPLOY_IMAGE_FILE': DEPLOY_FILE,
    'secrets.DEPLOY_REPO_TOKEN': 'ghs_deployRepoToken',
    'github.token': 'ghs_workflowToken',
  }
  for (const [name, value] of Object.entries(outputs)) known[`needs.canary.outputs.${name}`] = value
  assert.ok(key in known, `no stand-in for \${{ ${key} }}`)
  return known[key]!
}

const substitute = (value: string, outputs: Record<string, string>) =>
  value.replace(/\$\{\{(.+?)\}\}/g, (_, e: string) => expression(e, outputs))

/** The two forms of `if:` the example uses: an output compared with a string, with or without always(). */
function runs(job: Job, outputs: Record<string, string>): boolean {
  if (!job.if) return true
  const m = /^(?:always\(\) && )?needs\.canary\.outputs\.([\w-]+) == '([^']*)'$/.exec(job.if.trim())
  assert.ok(m, `an if: this test does not evaluate: ${job.if}`)
  return outputs[m[1]!] === m[2]
}

async function runWorkflow(github: GitHubRestStandIn, outputs: Record<string, string>): Promise<string[]> {
  const ran: string[] = []
  for (const [name, job] of Object.entries(workflow.jobs)) {
    if (name === 'canary' || !runs(job, outputs)) continue
    ran.push(name)
    for (const step of job.steps) {
      assert.match(
        step.uses ?? '',
        /^actions\/github-script@v\d+$/,
        `${name}: only github-script steps run here`,
      )
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), outputs)]),
      )
      const token = substitute(step.with?.['github-token'] ?? '${{ github.token }}', outputs)
      const octokit = getOctokit(token, { baseUrl: github.url })
      const context = { repo: { owner: 'quay', repo: 'clair' }, sha: SHA }
      const failures: string[] = []
      const core = {
        info: () => {},
        setFailed: (message: string) => failures.push(message),
      }
      // github-script's script is the body of an async function; `process` carries the step's env.
      const script = new AsyncFunction('github', 'context', 'core', 'process', step.with?.['script'] ?? '')
      await script(octokit, context, core, { env })
      assert.deepEqual(failures, [], `${name}: the script failed`)
    }
  }
  return ran
}

describe('the promotion example against the GitHub REST stand-in', () => {
  let github: GitHubRestStandIn
  before(async () => {
    github = await startGitHubRest()
  })
  after(() => github.close())

  test('pass: a pull request moves production to the canary image, naming the verdict and the check', async () => {
    github.seedRepo(DEPLOY_REPO, 'main', { [DEPLOY_FILE]: deployment(OLD) })
    const ran = await runWorkflow(github, {
      verdict: 'pass',
      'check-run-url': CHECK_URL,
      'canary-revision': SHA,
    })
    assert.deepEqual(ran, ['promote'])
    const [pull, ...more] = github.pulls.get(DEPLOY_REPO) ?? []
    assert.equal(more.length, 0)
    assert.ok(pull)
    assert.match(pull.title, /^Promote Clair 5e1f0c2b9a8d to production \(clair-canary: pass\)$/)
    assert.ok(pull.body.includes(CHECK_URL), 'links the check')
    assert.equal(pull.base, 'main')
    const repo = github.repos.get(DEPLOY_REPO)!
    assert.equal(repo.branches.get(pull.head)?.files.get(DEPLOY_FILE), deployment(SHA))
    assert.equal(repo.branches.get('main')?.files.get(DEPLOY_FILE), deployment(OLD), 'production untouched')
    assert.equal(github.statuses.size, 0)
    assert.deepEqual(github.invalidCalls(), [])
  })

  test('fail: production is left alone and the commit is marked failed', async () => {
    github.seedRepo(DEPLOY_REPO, 'main', { [DEPLOY_FILE]: deployment(OLD) })
    github.pulls.clear()
    const ran = await runWorkflow(github, {
      verdict: 'fail',
      'check-run-url': CHECK_URL,
      'canary-revision': SHA,
    })
    assert.deepEqual(ran, ['mark-failed'])
    assert.equal(github.pulls.size, 0)
    assert.deepEqual(
      [...github.repos.get(DEPLOY_REPO)!.branches.keys()],
      ['main'],
      'no branch in the deployment repository',
    )
    const statuses = github.statuses.get('quay/clair') ?? []
    assert.equal(statuses.length, 1)
    assert.equal(statuses[0]!.sha, SHA)
    assert.equal(statuses[0]!.state, 'failure')
    assert.equal(statuses[0]!.context, 'clair-canary/promotion')
    assert.equal(statuses[0]!.target_url, CHECK_URL)
    assert.deepEqual(github.invalidCalls(), [])
  })

  test('inconclusive: neither promoted nor marked', async () => {
    github.seedRepo(DEPLOY_REPO, 'main', { [DEPLOY_FILE]: deployment(OLD) })
    github.pulls.clear()
    github.statuses.clear()
    const ran = await runWorkflow(github, { verdict: 'inconclusive', 'canary-revision': SHA })
    assert.deepEqual(ran, [])
    assert.equal(github.pulls.size + github.statuses.size, 0)
  })
})
