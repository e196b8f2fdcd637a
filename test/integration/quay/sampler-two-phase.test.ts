// The two-phase draw: windows read light columns, manifest_bytes and blobs are read for the allocated rows
// only, and a row rejected then is replaced by the next of its stratum.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests, type SamplerOptions } from '../../../src/quay/sampler.ts'
import { samplerOptions } from '../../support/sampler.ts'
import { createQuaySchema, seedBulk } from '../../../standin/quay-db.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

const uris = templateUriBuilder('http://blobs.test/{namespace}/{repository}/blobs/{digest}')

function options(extra: Partial<SamplerOptions> = {}): SamplerOptions {
  return { ...samplerOptions(10, 's', { strata: '' }), ...extra }
}

/** A pool that counts the manifest_bytes values it returns. */
function counting(pool: pg.Pool): { pool: pg.Pool; bytesRows: () => number } {
  let n = 0
  const query = (async (...args: Parameters<pg.Pool['query']>) => {
    const result = await (pool.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args)
    if (result.fields?.some((f) => f.name === 'manifest_bytes')) n += result.rows.length
    return result
  }) as unknown as pg.Pool['query']
  return {
    pool: new Proxy(pool, { get: (t, k): unknown => (k === 'query' ? query : Reflect.get(t, k)) }),
    bytesRows: () => n,
  }
}

describe('two-phase draw on a larger table with broken rows', () => {
  let db: TestDatabase
  let pool: pg.Pool
  before(async () => {
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedBulk(client, 20_000)
    // One eligible row in seven is not JSON: only the read of the allocated rows can tell.
    await client.query(`UPDATE manifest SET manifest_bytes = '{not json' WHERE id % 7 = 1`)
    await client.end()
    pool = await connectReplica(new Secret(db.url))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('reads manifest_bytes for the allocated rows only and replaces the rejected ones per stratum', async () => {
    const { pool: counted, bytesRows } = counting(pool)
    const opts = options({ size: 90, seed: 'two', strata: ['media_type'] })
    const a = await sampleManifests(counted, opts, uris)
    assert.deepEqual(a.strata, { docker_v1: 30, docker_v2: 30, oci: 30 })
    assert.equal(a.sample.length, 90)
    assert.ok((a.skipped['not_json'] ?? 0) > 0)
    assert.ok(a.sample.every((s) => s.origin!.manifest_id! % 7 !== 1))
    // Not 3x the sample: the sample plus the rows rejected on reading.
    assert.equal(bytesRows(), 90 + a.skipped['not_json']!)
    const b = await sampleManifests(pool, opts, uris)
    assert.deepEqual(a, b)
  })

  it('draws on when rejections leave the sample short (no strata, no over-draw)', async () => {
    const { sample, skipped } = await sampleManifests(pool, options({ size: 100, seed: 'short' }), uris)
    assert.equal(sample.length, 100)
    assert.ok((skipped['not_json'] ?? 0) > 0)
    assert.equal(new Set(sample.map((s) => s.manifest.hash)).size, 100)
  })

  it('keeps the one-phase draw for the distribution stratum', async () => {
    const { pool: counted, bytesRows } = counting(pool)
    const { sample, skipped } = await sampleManifests(
      counted,
      options({ size: 30, seed: 'dist', strata: ['distribution'] }),
      uris,
    )
    assert.equal(sample.length, 30)
    assert.ok((skipped['not_json'] ?? 0) > 0)
    assert.ok(bytesRows() >= 90, 'over-drawn rows are read whole')
  })
})
