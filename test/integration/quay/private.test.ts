// include-private-repositories through the sample command: it warns that published files of a public GitHub
// repository are public, and draws the private repositories the default leaves out.
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { buildSampleConfig } from '../../../src/config/config.ts'
import { sampleCommandToFile } from '../../../src/sample/quay.ts'
import type { SampledManifest } from '../../../src/rundir/types.ts'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { recordingLogger } from '../../support/log.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

describe('the sample command and private repositories', () => {
  let db: TestDatabase
  let work = ''
  const images = generateSeedImages({ seed: 'private', count: 8, extras: true })
  const privateRepos = new Set(images.filter((i) => i.visibility === 'private').map((i) => i.repository))

  before(async () => {
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedQuayDatabase(client, images)
    await client.end()
    work = await mkdtemp(join(tmpdir(), 'clair-canary-private-'))
  })
  after(() => db?.stop())

  async function draw(extra: Record<string, string>) {
    const inputs: Record<string, string> = {
      'quay-db-dsn': db.url,
      'layer-uri-mode': 'template',
      'uri-template': 'http://blobs.test/{namespace}/{repository}/{digest}',
      'sample-size': '100',
      strata: '',
      seed: 'p',
      ...extra,
    }
    const out = join(work, `${Object.keys(extra).join('-') || 'default'}.jsonl`)
    const { config } = await buildSampleConfig((name) => inputs[name], out)
    const log = recordingLogger()
    await sampleCommandToFile(config, log)
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SampledManifest)
    return { log, repositories: lines.map((l) => l.origin?.repository ?? '') }
  }

  it('leaves private repositories out by default, silently', async () => {
    assert.ok(privateRepos.size > 0)
    const { log, repositories } = await draw({})
    assert.ok(repositories.length > 0)
    assert.equal(repositories.filter((r) => privateRepos.has(r)).length, 0)
    assert.deepEqual(log.warnings, [])
  })

  it('draws them with include-private-repositories, and warns that published files are public', async () => {
    const { log, repositories } = await draw({ 'include-private-repositories': 'true' })
    assert.deepEqual(new Set(repositories.filter((r) => privateRepos.has(r))), privateRepos)
    assert.equal(log.warnings.length, 1)
    assert.match(
      log.warnings[0]!,
      /^include-private-repositories: manifests of private Quay repositories are sampled; the check runs, job summaries and artifacts of a public GitHub repository are public/,
    )
  })
})
