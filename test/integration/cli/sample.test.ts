// `clair-canary sample`: the sample stage on its own against a real PostgreSQL Quay database. The same seed gives
// the same file; the file holds no signature; bad options are one line naming the option.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { runCli } from '../../support/cli.ts'
import { join } from 'node:path'
import pg from 'pg'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { startPostgres } from '../../support/postgres.ts'
import type { TestDatabase } from '../../support/postgres.ts'
import type { SampledManifest } from '../../../src/rundir/types.ts'

let db: TestDatabase
let dir: string

const cli = runCli

before(async () => {
  db = await startPostgres()
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  await createQuaySchema(client)
  await seedQuayDatabase(client, generateSeedImages({ seed: 'cli-sample', count: 60 }))
  await client.end()
  dir = await mkdtemp(join(tmpdir(), 'clair-canary-cli-sample-'))
})
after(async () => {
  await db?.stop()
})

const s3 = [
  '--layer-uri-mode',
  's3',
  '--s3-bucket',
  'quay',
  '--s3-region',
  'us-east-1',
  '--s3-endpoint',
  'http://127.0.0.1:9000',
  '--aws-access-key-id',
  'AKIDEXAMPLE',
  '--empty-layers',
  'skip',
]
const secretKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'

test('the same seed draws the same sample into a file without signatures', async () => {
  const env = { CLAIR_CANARY_QUAY_DB_DSN: db.url, CLAIR_CANARY_AWS_SECRET_ACCESS_KEY: secretKey }
  const first = await cli(
    ['sample', '--out', join(dir, 'a.jsonl'), '--sample-size', '10', '--seed', 'x', ...s3],
    env,
  )
  assert.equal(first.code, 0, first.err)
  assert.match(first.out, /wrote 10 manifests/)
  const second = await cli(
    ['sample', '--out', join(dir, 'b.jsonl'), '--sample-size', '10', '--seed', 'x', ...s3],
    env,
  )
  assert.equal(second.code, 0, second.err)
  const a = await readFile(join(dir, 'a.jsonl'), 'utf8')
  assert.equal(a, await readFile(join(dir, 'b.jsonl'), 'utf8'))
  assert.equal(a.trim().split('\n').length, 10)
  assert.doesNotMatch(a, /X-Amz-|\?/)
  for (const text of [a, first.out, first.err]) assert.ok(!text.includes(secretKey))
  // What `run --manifests` needs to sign every stored layer's URL again: its blob's storage in Quay.
  for (const line of a.trim().split('\n')) {
    const { manifest, origin } = JSON.parse(line) as SampledManifest
    for (const layer of manifest.layers) assert.ok(origin?.storage?.[layer.hash], `storage of ${layer.hash}`)
  }
})

test('bad sampler options and a missing S3 setting are exit 2, one line, naming it', async () => {
  const env = { CLAIR_CANARY_QUAY_DB_DSN: db.url, CLAIR_CANARY_AWS_SECRET_ACCESS_KEY: secretKey }
  const unknown = await cli(['sample', '--out', join(dir, 'c.jsonl'), '--strata', 'colour', ...s3], env)
  assert.equal(unknown.code, 2)
  assert.match(unknown.err, /strata: unknown stratum "colour"/)
  const noBucket = await cli(['sample', '--out', join(dir, 'd.jsonl'), '--layer-uri-mode', 's3'], env)
  assert.equal(noBucket.code, 2)
  assert.match(noBucket.err, /input s3-bucket is required with layer-uri-mode s3/)
  assert.equal(noBucket.err.trim().split('\n').length, 1)
  const wrongPassword = await cli(['sample', '--out', join(dir, 'e.jsonl'), ...s3], {
    ...env,
    CLAIR_CANARY_QUAY_DB_DSN: db.url.replace(/:\/\/([^:@]+)(:[^@]*)?@/, '://$1:not-the-password@'),
  })
  assert.equal(wrongPassword.code, 2, wrongPassword.err)
  assert.ok(!wrongPassword.err.includes('not-the-password'))
})
