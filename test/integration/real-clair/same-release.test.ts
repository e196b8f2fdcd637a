// The pipeline against two real Clairs of the same release (separate databases): it must pass with no
// code-attributed difference, find drift (never code) when one side's vulnerability data changes, and classify
// real faults (an expired or missing layer, a wrong PSK) as a canary-only failure carrying Clair's own error text and as auth.
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { randomBytes } from 'node:crypto'
import { parseVersionInfo } from '../../../src/clair/metrics.ts'
import type { IndexReport } from '../../../src/clair/types.ts'
import { buildConfig } from '../../../src/config/config.ts'
import { presignS3Get, s3ObjectKey } from '../../../src/quay/uris.ts'
import type { S3Options } from '../../../src/config/types.ts'
import { Secret } from '../../../src/secret.ts'
import { runPipeline, type PipelineOutcome } from '../../../src/pipeline.ts'
import { quietLogger } from '../../support/log.ts'
import { buildClair, RELEASES } from '../../support/real-clair/build.ts'
import { importUpdates } from '../../support/real-clair/clair.ts'
import { realClairUnavailable, startRealStand, type RealStand } from '../../support/real-clair/stand.ts'
import { updateOperationsFile } from '../../support/real-clair/vulns.ts'

const SKIP = realClairUnavailable()

describe('two real Clairs of the same release', { skip: SKIP }, () => {
  let stand: RealStand
  let work: string
  before(async () => {
    stand = await startRealStand({ production: RELEASES.newer, canary: RELEASES.newer })
    work = await mkdtemp(join(tmpdir(), 'clair-canary-real-'))
  })
  after(async () => {
    await stand?.close()
    if (work) await rm(work, { recursive: true, force: true })
  })

  async function run(name: string, extra: Record<string, string> = {}): Promise<PipelineOutcome> {
    const inputs: Record<string, string> = {
      ...stand.inputs,
      seed: name,
      'run-dir': join(work, name),
      ...extra,
    }
    const { config } = await buildConfig((key) => inputs[key])
    return runPipeline(config, { log: quietLogger })
  }

  test('a second build of a release is the cached one', async () => {
    const again = await buildClair(RELEASES.newer)
    assert.equal(again.built, false)
    assert.equal(again.clair, stand.canary.build.clair)
  })

  test('the images hold what real scanners recognise, in every ecosystem', () => {
    const found = new Set<string>()
    for (const report of stand.productionReports) {
      for (const dist of Object.values(report.distributions ?? {})) found.add(`dist:${dist.did}`)
      for (const repo of Object.values(report.repository ?? {})) found.add(`repo:${repo.name}`)
      for (const envs of Object.values(report.environments ?? {}))
        for (const env of envs) found.add(`db:${env.package_db.split(':')[0]}`)
    }
    assert.ok(stand.images.length >= 30)
    for (const want of ['dist:debian', 'dist:alpine', 'dist:rhel', 'repo:pypi', 'repo:go', 'repo:maven'])
      assert.ok(found.has(want), `${want} in ${[...found].sort().join(' ')}`)
    const packages = (r: IndexReport) => Object.keys(r.packages ?? {}).length
    assert.ok(stand.productionReports.every((r) => r.success && packages(r) > 0))
  })

  test('readiness and the version label as a module-proxy build really reports them', async () => {
    const res = await fetch(`${stand.canary.introspectionUrl}/metrics`)
    const info = parseVersionInfo(await res.text())
    // The version is injected at build time as Clair's Dockerfile does; the revision stays the git-export
    // placeholder, since a module zip carries no export substitution and no VCS information.
    assert.deepEqual(
      { version: info?.version, revision: info?.revision, claircore: info?.claircore_version },
      { version: 'v4.9.0', revision: '$Format:%h (%cI)$', claircore: 'v1.5.48' },
    )
    assert.equal((await fetch(`${stand.canary.introspectionUrl}/readyz`)).status, 200)
  })

  test('expect-revision on a module-proxy build says at once that it carries no commit', async () => {
    const outcome = await run('revision', { 'expect-revision': '0123456789abcdef', 'ready-timeout': '30' })
    assert.equal(outcome.result.verdict, 'inconclusive')
    assert.ok(
      outcome.result.reasons.some((r) => /carries no commit/.test(r) && /\$Format:%h \(%cI\)\$/.test(r)),
      outcome.result.reasons.join('\n'),
    )
    assert.equal(
      outcome.records.length,
      0,
      'nothing is replayed against a canary that is not the expected one',
    )
  })

  // Before the pass run: the canary has scanned no layer yet, so it must fetch them (it skips layers it scanned).
  test("an expired layer URL is a canary-only failure carrying Clair's own error text", async (t) => {
    const { inputs } = stand
    const s3: S3Options = {
      bucket: inputs['s3-bucket']!,
      region: inputs['s3-region']!,
      accessKeyId: inputs['aws-access-key-id']!,
      secretAccessKey: new Secret(inputs['aws-secret-access-key']!),
      storagePath: inputs['s3-storage-path']!,
      endpoint: inputs['s3-endpoint']!,
      expiresIn: 600,
    }
    const sign = (digest: string, at: Date) =>
      presignS3Get(s3, s3ObjectKey(s3.storagePath, { digest, casPath: true, uuid: '' }), at)
    const hourAgo = new Date(Date.now() - 3_600_000)
    const [expired, ...rest] = stand.manifests.slice(0, 4)
    const lines = [
      {
        ...expired!,
        layers: await Promise.all(
          expired!.layers.map(async (l) => ({ ...l, uri: await sign(l.hash, hourAgo) })),
        ),
      },
      ...(await Promise.all(
        rest.map(async (m) => ({
          ...m,
          layers: await Promise.all(
            m.layers.map(async (l) => ({ ...l, uri: await sign(l.hash, new Date()) })),
          ),
        })),
      )),
    ]
    const file = join(work, 'expired.jsonl')
    await writeFile(file, lines.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const outcome = await run('expired', { manifests: file, 'quay-db-dsn': '', 'sample-size': '4' })
    const gate = outcome.result.gates.find((g) => g.name === 'canary-only-failures')!
    assert.equal(gate.decision, 'fail')
    assert.equal(gate.value, 1)
    const record = outcome.records.find((r) => r.digest === expired!.hash)!
    assert.equal(record.canary_state, 'IndexError')
    const post = record.requests.find((q) => q.op === 'index' && q.side === 'canary')!
    assert.equal(post.error, 'index_error')
    // claircore's fetcher names the status the storage gave, and the stored text has no signature.
    t.diagnostic(`canary: ${post.message ?? ''}`)
    assert.match(post.message ?? '', /403/, post.message)
    assert.doesNotMatch(post.message ?? '', /X-Amz-Signature/)
  })

  test('passes with no code-attributed difference on any image', async () => {
    const outcome = await run('same')
    const { result } = outcome
    assert.equal(result.verdict, 'pass', result.reasons.join('\n'))
    assert.equal(result.counts.compared, stand.images.length)
    const code = outcome.diffs.flatMap((d) => d.differences.filter((x) => x.attribution === 'code'))
    assert.deepEqual(code, [])
    assert.ok(outcome.records.every((r) => r.canary_state === 'IndexFinished'))
  })

  test('other vulnerability data on the canary is drift, never code', async () => {
    const file = join(work, 'drift.jsonl')
    await writeFile(
      file,
      updateOperationsFile(stand.productionReports, { drift: ['osv/pypi', 'alpine-main-v3.19-updater'] }),
    )
    await importUpdates(stand.canary, file)
    const outcome = await run('drift')
    const vulns = outcome.diffs.flatMap((d) => d.differences.filter((x) => x.report === 'vulnerability'))
    assert.ok(vulns.length > 0, 'the drifted data changes some vulnerability reports')
    assert.deepEqual([...new Set(vulns.map((v) => v.attribution))], ['drift'])
    assert.deepEqual([...new Set(vulns.map((v) => v.updater))].sort(), [
      'alpine-main-v3.19-updater',
      'osv/pypi',
    ])
    assert.notEqual(outcome.result.verdict, 'fail', outcome.result.reasons.join('\n'))
    // Put the canary back on production's data for the tests after this one.
    const base = join(work, 'base.jsonl')
    await writeFile(base, updateOperationsFile(stand.productionReports))
    await importUpdates(stand.canary, base)
  })

  test("a missing layer is a canary-only failure carrying Clair's own error text", async (t) => {
    const [broken, ...rest] = stand.manifests.slice(0, 6)
    // A layer the canary has never scanned: Clair skips fetching layers it already scanned (by digest).
    const missing = `sha256:${'0'.repeat(64)}`
    const lines = [
      {
        ...broken!,
        layers: broken!.layers.map((l, i) =>
          i === 0 ? { ...l, hash: missing, uri: l.uri.replace(l.hash, missing) } : l,
        ),
      },
      ...rest,
    ]
    const file = join(work, 'missing.jsonl')
    await writeFile(file, lines.map((m) => JSON.stringify(m)).join('\n') + '\n')
    const outcome = await run('missing', { manifests: file, 'quay-db-dsn': '', 'sample-size': '6' })
    const gate = outcome.result.gates.find((g) => g.name === 'canary-only-failures')!
    assert.equal(gate.decision, 'fail')
    assert.equal(gate.value, 1)
    const record = outcome.records.find((r) => r.digest === broken!.hash)!
    assert.equal(record.canary_state, 'IndexError')
    const post = record.requests.find((q) => q.op === 'index' && q.side === 'canary')!
    assert.equal(post.error, 'index_error')
    // claircore's fetcher names the status the blob server gave.
    t.diagnostic(`canary: ${post.message ?? ''}`)
    assert.match(post.message ?? '', /404/, post.message)
    assert.ok(
      outcome.records
        .filter((r) => r.digest !== broken!.hash)
        .every((r) => r.canary_state === 'IndexFinished'),
    )
  })

  test('a wrong PSK is classified as auth', async () => {
    const outcome = await run('wrong-psk', {
      'canary-psk': randomBytes(32).toString('base64'),
      'production-psk': stand.production.psk,
      'sample-size': '4',
    })
    const canary = outcome.records.flatMap((r) => r.requests.filter((q) => q.side === 'canary'))
    assert.ok(canary.length > 0)
    assert.ok(
      canary.every((q) => q.status === 401 && q.error === 'unauthorized'),
      JSON.stringify(canary[0]),
    )
    assert.notEqual(outcome.result.verdict, 'pass')
  })
})
