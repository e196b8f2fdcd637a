import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conclusionFor, DEFAULT_CONCLUSIONS, resolveHeadSha } from '../../../src/github/checks.ts'
import {
  checkText,
  checkTitle,
  fitSummary,
  minimalSummary,
  type RenderSummary,
} from '../../../src/github/output.ts'
import { buildAnnotations } from '../../../src/github/annotations.ts'
import { makeDiffs, makeResult, makeRun } from './fixtures.ts'

const repo = { owner: 'quay', repo: 'clair' }
const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

test('head sha: PR head, not the merge commit', () => {
  const sha = resolveHeadSha({
    eventName: 'pull_request',
    sha: 'merge',
    repo,
    payload: { pull_request: { head: { sha: 'head' } } },
  })
  assert.equal(sha, 'head')
})

test('head sha: workflow_run uses its PR head when the branch matches, else head_sha', () => {
  const run = {
    head_sha: 'run-head',
    head_branch: 'feature',
    pull_requests: [
      { head: { ref: 'other', sha: 'other-sha' } },
      { head: { ref: 'feature', sha: 'pr-sha' } },
    ],
  }
  assert.equal(
    resolveHeadSha({ eventName: 'workflow_run', sha: 'main', repo, payload: { workflow_run: run } }),
    'pr-sha',
  )
  assert.equal(
    resolveHeadSha({
      eventName: 'workflow_run',
      sha: 'main',
      repo,
      payload: { workflow_run: { ...run, pull_requests: [] } },
    }),
    'run-head',
  )
  assert.equal(resolveHeadSha({ eventName: 'push', sha: 'pushed', repo, payload: {} }), 'pushed')
})

test('verdicts map to the default conclusions', () => {
  assert.equal(conclusionFor('pass', DEFAULT_CONCLUSIONS), 'success')
  assert.equal(conclusionFor('fail', DEFAULT_CONCLUSIONS), 'failure')
  // Branch protection accepts neutral as success: an inconclusive run fails, titled "inconclusive".
  assert.equal(conclusionFor('inconclusive', DEFAULT_CONCLUSIONS), 'failure')
})

test('title keeps the headline numbers and stays within 255 characters', () => {
  const result = makeResult('fail', makeDiffs(100))
  result.reasons = ['ü'.repeat(1000)]
  const title = checkTitle(result)
  assert.ok([...title].length <= 255)
  assert.match(title, /^fail: 0\/\d+ compared, \d+ different, 0 errors — ü+…$/)
})

test('fitSummary asks for less detail until it fits, and points at the artifact', () => {
  const asked: string[] = []
  const render: RenderSummary = (_r, _run, opts = {}) => {
    asked.push(opts.detail ?? '')
    return opts.detail === 'counts' ? '| a | b |\n|---|---|\n| 1 | 2 |' : 'y'.repeat(100_000)
  }
  const out = fitSummary(render, makeResult('pass'), makeRun(), 65_535, { artifactUrl: 'https://a/b' })
  assert.deepEqual(asked, ['full', 'top', 'counts'])
  assert.ok(out.startsWith('| a | b |'))
  assert.ok(out.endsWith('Full details: [the run artifact](https://a/b).'))
})

test('fitSummary falls back to its own list when the renderer overshoots or throws', () => {
  const result = makeResult('fail', makeDiffs(100))
  result.reasons = Array.from({ length: 5000 }, (_, i) => `reason ${i} <b>|</b>`)
  for (const render of [
    () => 'z'.repeat(70_000),
    () => {
      throw new Error('bug')
    },
  ] as RenderSummary[]) {
    const out = fitSummary(render, result, makeRun(), 65_535)
    assert.ok(bytes(out) <= 65_535)
    assert.match(out, /^## ❌ clair-canary: fail/)
    assert.match(out, /more lines left out to fit GitHub's limit/)
    assert.match(out, /Full details are in the run artifact/)
    assert.ok(!out.includes('<b>'))
  }
})

test('minimal summary and text cut at whole lines', () => {
  const result = makeResult('fail')
  result.reasons = Array.from({ length: 100 }, (_, i) => `reason ${i}`)
  const out = minimalSummary(result, 600)
  assert.ok(bytes(out) <= 600)
  for (const line of out.split('\n')) assert.ok(line === '' || /^(## |- |\*\*|_|Full)/.test(line), line)
  const diffs = makeDiffs(3000)
  const text = checkText(buildAnnotations(makeResult('fail', diffs), diffs, { path: 'x' }), 2000)
  assert.ok(bytes(text) <= 2000)
  assert.match(text, /^### Everything flagged/)
})
