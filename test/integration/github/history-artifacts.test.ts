// Reading earlier runs' history records from their artifacts, through the real Octokit (list-artifacts) and
// the real @actions/artifact (download by id, following GitHub's 302 to the blob), against the GitHub REST
// stand-in. Forks' artifacts, expired ones and other branches are left out; a broken one is a warning.
import { after, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { githubHistoryApi, historyArtifactName, readHistoryArtifacts } from '../../../src/history/store.ts'
import { runHistory } from '../../../src/history/baseline.ts'
import { Secret } from '../../../src/secret.ts'
import { startGitHubRest } from '../../support/github-rest.ts'
import { recordingLogger } from '../../support/log.ts'
import type { HistoryRecord } from '../../../src/history/record.ts'
import { loadHistoryRecords, readRunHistory, type LoadedHistory } from '../../../src/history/run.ts'
import { judge } from '../../../src/judge/judge.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { NIGHTLY_SETTINGS, night, records, runInfo } from '../../unit/history/build.ts'
import type { HistoryOptions } from '../../../src/config/types.ts'

const github = await startGitHubRest()
// @actions/github reads GITHUB_API_URL once, when first loaded: as on a runner, it is set before.
process.env['GITHUB_API_URL'] = github.url
const [{ DefaultArtifactClient }, { createOctokit }] = await Promise.all([
  import('@actions/artifact'),
  import('../../../src/github/checks.ts'),
])
after(() => github.close())
beforeEach(() => {
  github.artifacts.clear()
  github.calls.length = 0
  github.actionsRead = true
})

const REPO = 'quay/clair'
const REPO_ID = 42
let runId = 5000

function upload(
  record: HistoryRecord,
  opts: { fork?: boolean; expired?: boolean; content?: string } = {},
): void {
  github.addArtifact(REPO, {
    name: historyArtifactName('clair-canary', record.event),
    content: Buffer.from(opts.content ?? JSON.stringify(record)),
    contentType: 'application/json',
    created_at: record.time,
    expired: opts.expired ?? false,
    workflow_run: {
      id: runId++,
      repository_id: REPO_ID,
      head_repository_id: opts.fork ? 77 : REPO_ID,
      head_branch: record.branch,
      head_sha: record.commit,
    },
  })
}

async function historyApi() {
  const token = new Secret('ghs_history-token')
  const octokit = createOctokit(token, { log: recordingLogger(), baseUrl: github.url })
  return githubHistoryApi({
    listArtifactsForRepo: (params) => octokit.rest.actions.listArtifactsForRepo(params),
    downloadArtifact: (id, options) => new DefaultArtifactClient().downloadArtifact(id, options),
    owner: 'quay',
    repo: 'clair',
    token: token.reveal(),
  })
}

test('earlier runs are read from their artifacts: nights and this branch, not forks, expired or other branches', async () => {
  const nights = [1, 2, 3, 4, 5, 6].map((d) => night(d, 2000 + d * 10))
  for (const n of nights) upload(n)
  const pushes = [7, 8].map((d) => ({ ...night(d, 1500), event: 'push', run_id: 700 + d }))
  for (const p of pushes) upload(p)
  const feature = { ...night(9, 1000), event: 'pull_request', branch: 'feature', run_id: 900 }
  upload(feature)
  upload({ ...night(10, 1), event: 'pull_request', branch: 'other', run_id: 1000 })
  // A fork's pull request from its own "main" must never pass for ours.
  upload({ ...night(11, 1), event: 'push', run_id: 1100 }, { fork: true })
  upload({ ...night(12, 1), run_id: 1200 }, { expired: true })
  upload({ ...night(13, 1), run_id: 1300 }, { content: '{"schema":"something else"}' })

  const log = recordingLogger()
  const records = await readHistoryArtifacts({
    api: await historyApi(),
    base: 'clair-canary',
    branches: ['feature', 'main'],
    depth: 14,
    log,
  })
  assert.deepEqual(
    records.map((r) => r.time.slice(0, 10)).sort(),
    [...nights, ...pushes, feature].map((r) => r.time.slice(0, 10)).sort(),
  )
  assert.deepEqual(
    records.find((r) => r.run_id === 900),
    feature,
    'a record comes back as it was uploaded',
  )
  assert.equal(log.warnings.length, 1)
  assert.match(
    log.warnings[0]!,
    /^history: artifact clair-canary-history-nights\.json \(id \d+\) was not read: history record .*: expected schema "clair-canary\/history\/v1", got "something else"$/,
  )
  // Listed by exact name (nights apart from the rest), downloaded through the 302, and nothing else.
  const lists = github.calls.filter((c) => c.path === '/repos/quay/clair/actions/artifacts')
  assert.equal(lists.length, 2)
  const downloads = github.calls.filter((c) => /\/actions\/artifacts\/\d+\/zip$/.test(c.path))
  assert.equal(downloads.length, 10, '6 nights, 2 pushes, the branch and the broken one')
  assert.ok(downloads.every((c) => c.status === 302))
  assert.deepEqual(github.invalidCalls(), [])

  // What a pull request on feature makes of them: its own runs for the trend, main's nights for the gate.
  const history = runHistory({
    records,
    depth: 14,
    branch: 'feature',
    defaultBranch: 'main',
    source: 'artifacts',
    current: {
      event: 'pull_request',
      fields: [],
      code: 'x',
      productionCode: '',
      time: '2026-12-01T00:00:00Z',
      settings: NIGHTLY_SETTINGS,
      manifests: 60,
    },
  })
  assert.deepEqual(
    history.runs.map((r) => r.run_id),
    [900],
  )
  assert.equal(history.nights.length, 6)
})

test('at most depth records per branch and name are downloaded, newest first, across pages', async () => {
  // 120 pushes on another branch fill the first page: the nights of main are on the second.
  for (let i = 0; i < 120; i++)
    upload({
      ...night(20, 1),
      time: `2026-11-20T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`,
      event: 'schedule',
      branch: 'busy',
      run_id: 3000 + i,
    })
  for (const d of [1, 2, 3, 4, 5, 6, 7]) upload(night(d, 2000))
  const records = await readHistoryArtifacts({
    api: await historyApi(),
    base: 'clair-canary',
    branches: ['main'],
    depth: 5,
    log: recordingLogger(),
  })
  assert.deepEqual(
    records.map((r) => r.time.slice(0, 10)),
    ['2026-11-07', '2026-11-06', '2026-11-05', '2026-11-04', '2026-11-03'],
  )
  const pages = github.calls.filter((c) => c.path === '/repos/quay/clair/actions/artifacts')
  assert.equal(pages.length, 3, 'one page of other runs, then two pages of nights')
})

test('a token without actions: read: a warning naming the cause and the permission, and only the nights gate is not judged', async () => {
  for (const d of [1, 2, 3, 4, 5, 6]) upload(night(d, 1000))
  github.actionsRead = false
  const log = recordingLogger()
  const history: HistoryOptions = {
    depth: 14,
    branch: 'main',
    defaultBranch: 'main',
    commit: 'c'.repeat(40),
    event: 'schedule',
  }
  const loaded = await loadHistoryRecords({
    history,
    artifactBase: 'clair-canary',
    api: await historyApi(),
    log,
  })
  const why =
    "earlier runs' artifacts could not be listed (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest/actions/artifacts#list-artifacts-for-a-repository): the job needs permissions actions: read (reading artifacts needs it)"
  assert.deepEqual(loaded, { records: [], source: 'artifacts', unavailable: why })
  assert.deepEqual(log.warnings, [
    `history: ${why}; index-latency-nights is not judged; the rest of the verdict stands`,
  ])
  assert.equal(
    github.calls.filter((c) => c.path === '/repos/quay/clair/actions/artifacts').length,
    1,
    'a refused listing is not retried',
  )

  // Judged: the slow canary would fail against those six nights; without them its verdict is the other gates'.
  const run = runInfo('2026-12-01T03:17:00.000Z')
  const runHistoryOf = (l: LoadedHistory) =>
    readRunHistory({ loaded: l, history, run, fields: [], manifests: 60, log: recordingLogger() })
  const judged = (h: ReturnType<typeof runHistoryOf>) =>
    judge({
      records: records(60, 3000),
      diffs: [],
      rules: DEFAULT_RULES,
      contractViolations: [],
      sample: { requested: 60, drawn: 60 },
      history: h,
    })
  const without = judged(runHistoryOf(loaded))
  assert.equal(without.verdict, 'pass')
  const gate = without.gates.find((g) => g.name === 'index-latency-nights')!
  assert.deepEqual([gate.decision, gate.detail], ['not-judged', `no history read: ${why}`])
  assert.ok(without.gates.filter((g) => g !== gate).every((g) => g.decision === 'pass'))

  github.actionsRead = true
  const readable = await loadHistoryRecords({
    history,
    artifactBase: 'clair-canary',
    api: await historyApi(),
    log: recordingLogger(),
  })
  assert.equal(readable.records.length, 6)
  assert.equal(judged(runHistoryOf(readable)).verdict, 'fail', 'with the permission, the same run fails')
})
