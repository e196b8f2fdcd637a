// Secrets the run knows (PSKs, DSN, cloud keys, token) are planted in every input the publishing code sees;
// every output it writes or sends is scanned, on disk with assertNoSecrets and on the wire at the stand-in.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Secret } from '../../../src/secret.ts'
import { assertNoSecrets } from '../../../src/github/artifacts.ts'
import { buildAnnotations } from '../../../src/github/annotations.ts'
import { CheckRun, createOctokit } from '../../../src/github/checks.ts'
import { fitSummary, minimalSummary } from '../../../src/github/output.ts'
import { writeJobSummary } from '../../../src/github/summary.ts'
import { renderHtmlReport } from '../../../src/report/html.ts'
import { startGitHubRest } from '../../support/github-rest.ts'
import { makeDiffs, makeRecords, makeResult, makeRun } from '../../unit/github/fixtures.ts'
import { recordingLogger } from '../../support/log.ts'

const SECRETS = {
  'canary-psk': 'Y2FuYXJ5LXBzay1zZWNyZXQ=',
  'production-psk': 'cHJvZC1wc2stc2VjcmV0',
  'quay-db-dsn': 'postgres://quay:hunter2-db@replica/quay',
  'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY',
  token: 'ghs_plantedToken1234567890',
}

test('no secret reaches the check run, the job summary, report.html or annotations', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cc-secrets-'))
  const gh = await startGitHubRest()
  t.after(async () => {
    await gh.close()
    await rm(dir, { recursive: true, force: true })
  })
  const run = makeRun()
  // The configuration as the pipeline records it: Secret values serialise as "[redacted]".
  run.config = Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [k, new Secret(v)]))
  run.config = JSON.parse(JSON.stringify(run.config))
  const diffs = makeDiffs(300)
  const records = makeRecords(100)
  const result = makeResult('fail', diffs, records)
  const render = (r: typeof result) => `## ${r.verdict}\n\n${JSON.stringify(run.config)}`

  const log = recordingLogger()
  const octokit = createOctokit(new Secret(SECRETS.token), {
    baseUrl: gh.url,
    log,
    retryAfterBaseValue: 1,
    throttle: false,
  })
  const check = await CheckRun.start(octokit.rest.checks, {
    owner: 'quay',
    repo: 'clair',
    headSha: 'b'.repeat(40),
    name: 'clair-canary',
    renderSummary: render,
    log,
  })
  const annotations = buildAnnotations(result, diffs, { path: 'rules.yaml', records })
  await check.completeOnce({ status: 'verdict', result, run, annotations })

  let jobSummary = ''
  await writeJobSummary(
    { addRaw: (text: string) => (jobSummary += text), write: async () => undefined },
    render,
    { result, run },
    log,
  )
  await writeFile(join(dir, 'report.html'), renderHtmlReport({ result, run, records, diffs }))
  await writeFile(join(dir, 'summary.md'), jobSummary)
  await writeFile(join(dir, 'check-calls.json'), JSON.stringify(gh.calls))
  await writeFile(join(dir, 'annotations.json'), JSON.stringify(annotations))
  await writeFile(
    join(dir, 'log.txt'),
    [
      ...log.infos,
      ...log.warnings,
      ...log.debugs,
      fitSummary(render, result, run, 1000),
      minimalSummary(result, 1000),
    ].join('\n'),
  )

  const named = Object.entries(SECRETS).map(([name, value]) => ({ name, value }))
  await assertNoSecrets(dir, named)
  // And the scan would have caught one: plant it and look again.
  await writeFile(join(dir, 'log.txt'), `oops ${SECRETS['quay-db-dsn']}`)
  await assert.rejects(assertNoSecrets(dir, named), /log\.txt contains quay-db-dsn/)
  assert.ok(gh.calls.length >= 2)
})
