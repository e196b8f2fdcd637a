// The check-run lifecycle through a real Octokit (retry + throttling plugins) against the REST stand-in,
// whose requests are validated against GitHub's OpenAPI description.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { CheckRun, createOctokit, type CheckRunOptions } from '../../../src/github/checks.ts'
import { buildAnnotations, emitWorkflowAnnotations } from '../../../src/github/annotations.ts'
import type { RenderSummary } from '../../../src/github/output.ts'
import { Secret } from '../../../src/secret.ts'
import { startGitHubRest, type GitHubRestStandIn, type RecordedCall } from '../../support/github-rest.ts'
import { makeDiffs, makeRecords, makeResult, makeRun } from '../../unit/github/fixtures.ts'
import { recordingLogger } from '../../support/log.ts'

const TOKEN = 'ghs_standInToken0123456789'

/** A renderer with a table per difference group; it honours maxBytes only by dropping to fewer rows. */
const tableRender: RenderSummary = (result, _run, opts = {}) => {
  const rows = opts.detail === 'counts' ? 0 : opts.detail === 'top' ? 20 : 5000
  const lines = [`## ${result.verdict}`, '', '| gate | value |', '|---|---|']
  for (const g of result.gates) lines.push(`| ${g.name} | ${String(g.value)} |`)
  for (let i = 0; i < rows; i++) lines.push(`| row ${i} | ${'x'.repeat(40)} |`)
  if (opts.artifactUrl) lines.push('', `[artifact](${opts.artifactUrl})`)
  return lines.join('\n')
}

/** The real renderer once src/report/summary.ts is in the tree; the table renderer until then. */
async function renderer(): Promise<RenderSummary> {
  const path = new URL('../../../src/report/summary.ts', import.meta.url)
  if (!existsSync(path)) return tableRender
  const mod = (await import(path.href)) as { renderSummary?: RenderSummary }
  return mod.renderSummary ?? tableRender
}

function logger() {
  const log = recordingLogger()
  return { warnings: log.warnings, infos: log.infos, log }
}

async function setup(opts: { throttle?: boolean; readOnly?: boolean } = {}) {
  const gh = await startGitHubRest({ readOnly: opts.readOnly ?? false })
  const { log, warnings, infos } = logger()
  const octokit = createOctokit(new Secret(TOKEN), {
    baseUrl: gh.url,
    log,
    retryAfterBaseValue: 1,
    throttle: opts.throttle ?? false,
  })
  const base: CheckRunOptions = {
    owner: 'quay',
    repo: 'clair',
    headSha: 'a'.repeat(40),
    name: 'clair-canary',
    renderSummary: await renderer(),
    log,
  }
  return { gh, octokit, base, warnings, infos }
}

function assertWithinLimits(calls: RecordedCall[]): void {
  for (const call of calls) {
    const output = (
      call.body as { output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] } }
    )?.output
    if (!output) continue
    assert.ok(
      Buffer.byteLength(output.summary ?? '') <= 65_535,
      `summary is ${Buffer.byteLength(output.summary ?? '')} bytes`,
    )
    assert.ok(
      Buffer.byteLength(output.text ?? '') <= 65_535,
      `text is ${Buffer.byteLength(output.text ?? '')} bytes`,
    )
    assert.ok([...(output.title ?? '')].length <= 255)
    assert.ok((output.annotations ?? []).length <= 50)
  }
}

test('lifecycle: created in progress, annotations appended, completed with the verdict', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  assert.ok(check.available)
  assert.match(check.htmlUrl ?? '', /\/quay\/clair\/runs\/\d+$/)
  const stored = gh.checkRuns.get(check.id!)!
  assert.equal(stored.status, 'in_progress')
  assert.equal(stored.head_sha, base.headSha)

  const diffs = makeDiffs(300)
  const records = makeRecords(100)
  const result = makeResult('pass', diffs, records)
  const annotations = buildAnnotations(result, diffs, { path: '.github/workflows/canary.yml', records })
  const done = await check.completeOnce({
    status: 'verdict',
    result,
    run: makeRun(),
    annotations,
    artifactUrl: 'https://github.example/quay/clair/actions/runs/1/artifacts/2',
  })
  assert.deepEqual(done, { posted: true, conclusion: 'success', annotationsPosted: annotations.length })
  assert.equal(stored.status, 'completed')
  assert.equal(stored.conclusion, 'success')
  assert.equal(stored.annotations.length, annotations.length)
  assert.deepEqual(
    stored.annotations.map((a) => a['title']),
    annotations.map((a) => a.title),
    'annotations arrive most important first',
  )
  assert.match(stored.output.title ?? '', /^pass: 100\/\d+ compared/)
  assert.deepEqual(gh.invalidCalls(), [])
  assertWithinLimits(gh.calls)
})

test('20,000 differences stay within every GitHub limit', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  const diffs = makeDiffs(20_000, 7, 2000)
  const records = makeRecords(2000)
  const result = makeResult('fail', diffs, records)
  result.reasons.unshift('x'.repeat(1000))
  const annotations = buildAnnotations(result, diffs, { path: 'rules.yaml', records })
  const done = await check.completeOnce({ status: 'verdict', result, run: makeRun(), annotations })
  assert.equal(done.conclusion, 'failure')
  assert.deepEqual(gh.invalidCalls(), [])
  assertWithinLimits(gh.calls)
  const stored = gh.checkRuns.get(check.id!)!
  assert.equal(stored.conclusion, 'failure')
  assert.equal(stored.annotations.length, Math.min(annotations.length, 250))
  const patches = gh.calls.filter((c) => c.method === 'PATCH')
  assert.equal(patches.length, Math.ceil(stored.annotations.length / 50))
  assert.ok(Buffer.byteLength(stored.output.text ?? '') > 0)
  assert.match(stored.output.summary ?? '', /artifact/i, 'the summary points at the artifact')
})

test('a read-only token (fork PR, Dependabot) is a warning, and workflow annotations carry the result', async (t) => {
  const { gh, octokit, base, warnings } = await setup({ readOnly: true })
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  assert.equal(check.available, false)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /Resource not accessible by integration/)
  assert.match(warnings[0]!, /forks/)
  assert.ok(!warnings[0]!.includes(TOKEN))
  const diffs = makeDiffs(50)
  const result = makeResult('fail', diffs)
  const annotations = buildAnnotations(result, diffs, { path: 'x' })
  const done = await check.completeOnce({ status: 'verdict', result, run: makeRun(), annotations })
  assert.deepEqual(done, { posted: false, conclusion: 'failure', annotationsPosted: 0 })
  assert.equal(gh.calls.length, 1, 'no further calls once the token is known to be read-only')
  const emitted: string[] = []
  const record = (m: string) => emitted.push(m)
  emitWorkflowAnnotations({ error: record, warning: record, notice: record }, annotations)
  assert.ok(emitted.length > 0)
})

test('a 500 on create is retried and the check is created', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  gh.faults.push({ method: 'POST', status: 500 })
  const check = await CheckRun.start(octokit.rest.checks, base)
  assert.ok(check.available)
  assert.deepEqual(
    gh.calls.map((c) => `${c.method} ${c.status}`),
    ['POST 500', 'POST 201'],
  )
})

test('a primary rate limit is waited out and retried, with a warning', async (t) => {
  const { gh, octokit, base, warnings } = await setup({ throttle: true })
  t.after(() => gh.close())
  gh.faults.push({
    method: 'POST',
    status: 403,
    message: 'API rate limit exceeded for installation ID 1.',
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
  })
  const check = await CheckRun.start(octokit.rest.checks, base)
  assert.ok(check.available)
  assert.deepEqual(
    gh.calls.map((c) => `${c.method} ${c.status}`),
    ['POST 403', 'POST 201'],
  )
  assert.ok(warnings.some((w) => /rate limit/.test(w)))
})

test('a crash midway still completes the check, once, as a failure that says it is not a verdict', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  const pipeline = async () => {
    throw new Error('replay: socket hang up')
  }
  await assert.rejects(async () => {
    try {
      await pipeline()
    } catch (error) {
      await check.completeOnce({ status: 'crashed', reason: (error as Error).message })
      throw error
    } finally {
      await check.completeOnce({ status: 'cancelled', reason: 'finally' })
    }
  }, /socket hang up/)
  const stored = gh.checkRuns.get(check.id!)!
  assert.equal(stored.conclusion, 'failure')
  assert.match(stored.output.summary ?? '', /internal error/)
  assert.match(stored.output.summary ?? '', /socket hang up/)
  assert.match(stored.output.summary ?? '', /says nothing about the canary/)
  assert.equal(gh.calls.filter((c) => c.method === 'PATCH').length, 1)
})

test('completeOnce is idempotent, also when called concurrently', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  const outcome = { status: 'verdict' as const, result: makeResult('inconclusive'), run: makeRun() }
  const [a, b] = await Promise.all([
    check.completeOnce(outcome),
    check.completeOnce({ ...outcome, status: 'verdict' }),
  ])
  const c = await check.completeOnce({ status: 'crashed', reason: 'later' })
  assert.equal(a.conclusion, 'failure')
  assert.deepEqual(b, a)
  assert.deepEqual(c, a)
  assert.equal(gh.calls.filter((x) => x.method === 'PATCH').length, 1)
  assert.equal(gh.checkRuns.get(check.id!)!.conclusion, 'failure')
  assert.match(gh.checkRuns.get(check.id!)!.output?.title ?? '', /^inconclusive: /)
})

test('conclusions follow the configured mapping', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, {
    ...base,
    // inconclusive-conclusion: neutral, the old behaviour
    conclusions: { pass: 'success', fail: 'failure', inconclusive: 'neutral' },
  })
  const done = await check.completeOnce({
    status: 'verdict',
    result: makeResult('inconclusive'),
    run: makeRun(),
  })
  assert.equal(done.conclusion, 'neutral')
})

test('a rejected completion is retried without details so the check never spins forever', async (t) => {
  const { gh, octokit, base, warnings } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  gh.faults.push({ method: 'PATCH', status: 422, message: 'Validation Failed' })
  const done = await check.completeOnce({ status: 'verdict', result: makeResult('pass'), run: makeRun() })
  assert.equal(done.posted, true)
  assert.equal(gh.checkRuns.get(check.id!)!.status, 'completed')
  assert.ok(warnings.some((w) => /Validation Failed/.test(w)))
})

test('a cancelled run completes the check as cancelled, titled with its partial verdict', async (t) => {
  const { gh, octokit, base } = await setup()
  t.after(() => gh.close())
  const check = await CheckRun.start(octokit.rest.checks, base)
  const partial = makeResult('inconclusive', makeDiffs(10))
  const run = makeRun()
  const done = await check.completeOnce({
    status: 'cancelled',
    reason: 'Received SIGTERM: the job was cancelled or timed out.',
    result: partial,
    run,
  })
  assert.equal(done.conclusion, 'cancelled')
  const stored = gh.checkRuns.get(check.id!)!
  assert.equal(stored.conclusion, 'cancelled')
  assert.equal(
    stored.output.title,
    `cancelled: partial verdict inconclusive on ${partial.counts.manifests} of ${run.sample.drawn} manifests`,
  )
  assert.match(stored.output.summary ?? '', /^## ⏹️ clair-canary was cancelled: partial verdict inconclusive/)
  assert.match(stored.output.summary ?? '', /Received SIGTERM/)
  assert.match(stored.output.summary ?? '', /a cancelled run is never a pass/)
  assert.deepEqual(gh.invalidCalls(), [])
})

export type { GitHubRestStandIn }
