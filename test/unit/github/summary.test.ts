import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import { writeJobSummary } from '../../../src/github/summary.ts'
import type { RenderSummary } from '../../../src/github/output.ts'
import { makeDiffs, makeResult, makeRun } from './fixtures.ts'
import { quietLogger, recordingLogger } from '../../support/log.ts'

/** Ignores maxBytes at full detail (2 MB), fits at top detail. */
const render: RenderSummary = (result, _run, opts = {}) =>
  opts.detail === 'full'
    ? 'a'.repeat(2 * 1024 * 1024)
    : `## ${result.verdict}\n\n| gate | decision |\n|---|---|\n`

test('writes the summary through @actions/core into $GITHUB_STEP_SUMMARY within 1 MiB', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cc-summary-'))
  const file = join(dir, 'step_summary.md')
  await writeFile(file, '')
  const previous = process.env['GITHUB_STEP_SUMMARY']
  process.env['GITHUB_STEP_SUMMARY'] = file
  t.after(async () => {
    if (previous === undefined) delete process.env['GITHUB_STEP_SUMMARY']
    else process.env['GITHUB_STEP_SUMMARY'] = previous
    core.summary.emptyBuffer()
    await rm(dir, { recursive: true, force: true })
  })
  const log = recordingLogger()
  const ok = await writeJobSummary(
    core.summary,
    render,
    { result: makeResult('fail', makeDiffs(20_000)), run: makeRun(), artifactUrl: 'https://x/artifacts/1' },
    log,
  )
  assert.equal(ok, true)
  assert.deepEqual(log.warnings, [])
  const written = await readFile(file, 'utf8')
  assert.ok(Buffer.byteLength(written) <= 1024 * 1024)
  assert.match(written, /^## fail/)
  assert.match(written, /\[the run artifact\]\(https:\/\/x\/artifacts\/1\)/)
})

test('a step summary that cannot be written is a warning, not a failure', async () => {
  const log = recordingLogger()
  const failing = {
    addRaw: () => undefined,
    write: () =>
      Promise.reject(
        new Error(
          'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
        ),
      ),
  }
  const ok = await writeJobSummary(failing, render, { result: makeResult('pass'), run: makeRun() }, log)
  assert.equal(ok, false)
  assert.match(
    log.warnings[0] ?? '',
    /^The job summary was not written: Unable to find .*GITHUB_STEP_SUMMARY/,
  )
})

test('an interrupted run says so and that it is no verdict', async () => {
  let text = ''
  const fake = { addRaw: (t: string) => (text += t), write: async () => undefined }
  await writeJobSummary(fake, render, { interrupted: 'cancelled', reason: 'Received SIGINT' }, quietLogger)
  assert.match(text, /cancelled before it reached a verdict/)
  assert.match(text, /Received SIGINT/)
})

test('the real summary is not given a second pointer to the artifact', async () => {
  const { renderSummary } = await import('../../../src/report/summary.ts')
  const { fitSummary } = await import('../../../src/github/output.ts')
  const { failingResult, runInfo } = await import('../../golden/summary/fixtures.ts')
  const text = fitSummary(renderSummary, failingResult(), runInfo(), 65_535, {
    artifactUrl: 'https://x/artifacts/1',
  })
  // One footer pointing at it (What next links it too, as a step to take).
  assert.equal(
    text.match(/Full results: \[run directory artifact\]\(https:\/\/x\/artifacts\/1\)/g)?.length,
    1,
  )
  assert.equal(text.match(/artifacts\/1/g)?.length, 2)
  const bare = fitSummary(renderSummary, failingResult(), runInfo(), 65_535)
  assert.equal(bare.match(/Full (results|details)/g)?.length, 1)
})
