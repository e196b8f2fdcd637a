// The draw is uniform over eligible manifests, within each stratum too, on a table whose eligible rows come in
// runs after gaps of ineligible ids: a draw that favours rows after a gap (the first rows of random id windows)
// fails the same test. Seeds are fixed, so each p-value is the same on every run.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { seededRandom } from '../../../src/seeded.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests, type SamplerOptions } from '../../../src/quay/sampler.ts'
import type { SampledManifest } from '../../../src/rundir/types.ts'
import { createQuaySchema, seedBulk } from '../../../standin/quay-db.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { samplerOptions } from '../../support/sampler.ts'
import { chiSquareTest, countBy } from '../../support/stats.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

const uris = templateUriBuilder('http://blobs.test/{namespace}/{repository}/blobs/{digest}')
const MANIFESTS = 20_000
/** Ids run in blocks of 100: the first 80 are never eligible, the rest are in four runs of 4 (gaps at 85, 90, 95). */
const BLOCK = 100
/** A p-value below this fails the draw: one uniform seed in a thousand would. */
const ALPHA = 0.001

const idOf = (s: SampledManifest) => s.origin!.manifest_id!
/** Where in its block an id is: a draw that favours rows after a gap favours some offsets. */
const offsetOf = (id: number) => String(id % BLOCK)
const decileOf = (id: number) => String(Math.floor(((id - 1) * 10) / MANIFESTS))

function options(extra: Partial<SamplerOptions> = {}): SamplerOptions {
  return { ...samplerOptions(10, 'u', { strata: '' }), ...extra }
}

/** Which offset of its block, and which tenth of the id range, the drawn ids fall in, against the population's. */
function fit(drawn: number[], population: number[]) {
  const test = (key: (id: number) => string) => {
    const categories = [...new Set(population.map(key))].sort()
    return chiSquareTest(countBy(drawn, categories, key), countBy(population, categories, key))
  }
  return { offsets: test(offsetOf), deciles: test(decileOf) }
}

describe('the draw is uniform over eligible manifests', () => {
  let db: TestDatabase
  let pool: pg.Pool
  /** Every eligible manifest: the whole table read once (a draw as large as the table). */
  let population: SampledManifest[]

  before(async () => {
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedBulk(client, MANIFESTS)
    await client.query(
      `UPDATE manifestsecuritystatus SET index_status = -1 WHERE manifest_id % ${BLOCK} < 80`,
    )
    await client.end()
    pool = await connectReplica(new Secret(db.url))
    ;({ sample: population } = await sampleManifests(pool, options({ size: MANIFESTS, seed: 'all' }), uris))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('draws each eligible manifest with the same chance, reading about the sample, not the table', async () => {
    assert.ok(population.length > 2500, `population of ${population.length}`)
    assert.ok(population.every((s) => idOf(s) % BLOCK > 80))
    let drawnRows = 0
    const query = (async (...args: Parameters<pg.Pool['query']>) => {
      const result = await (pool.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args)
      if (String(args[0]).includes('unnest($1::bigint[])')) drawnRows += result.rows.length
      return result
    }) as unknown as pg.Pool['query']
    const counted = new Proxy(pool, { get: (t, k): unknown => (k === 'query' ? query : Reflect.get(t, k)) })
    const { sample } = await sampleManifests(counted, options({ size: 600, seed: 'uniform' }), uris)
    assert.equal(sample.length, 600)
    const { offsets, deciles } = fit(sample.map(idOf), population.map(idOf))
    assert.ok(
      offsets.p > ALPHA,
      `offsets in a block: chi-square ${offsets.statistic.toFixed(1)}, p = ${offsets.p}`,
    )
    assert.ok(
      deciles.p > ALPHA,
      `tenths of the id range: chi-square ${deciles.statistic.toFixed(1)}, p = ${deciles.p}`,
    )
    assert.ok(drawnRows < 600 * 1.5, `the windows returned ${drawnRows} rows for a draw of 600`)
  })

  it('fails a draw that takes the first two eligible rows of random windows of 16 ids, as the sampler did', () => {
    const ids = population.map(idOf).sort((a, b) => a - b)
    const random = seededRandom('windows')
    const drawn = new Set<number>()
    while (drawn.size < 600) {
      const start = 1 + Math.floor(random() * MANIFESTS)
      let i = ids.findIndex((id) => id >= start)
      for (let taken = 0; i >= 0 && i < ids.length && ids[i]! < start + 16 && taken < 2; i++, taken++)
        drawn.add(ids[i]!)
    }
    const { offsets } = fit([...drawn], ids)
    assert.ok(offsets.p < 1e-6, `chi-square ${offsets.statistic.toFixed(1)}, p = ${offsets.p}`)
  })

  it('is uniform within each stratum, and every stratum gets its share', async () => {
    const { sample, strata } = await sampleManifests(
      pool,
      options({ size: 300, seed: 'strata', strata: ['media_type'] }),
      uris,
    )
    assert.deepEqual(strata, { docker_v1: 100, docker_v2: 100, oci: 100 })
    for (const stratum of Object.keys(strata)) {
      const drawn = sample.filter((s) => s.origin!.stratum === stratum).map(idOf)
      const mediaType = sample.find((s) => s.origin!.stratum === stratum)!.origin!.media_type
      const within = population.filter((s) => s.origin!.media_type === mediaType).map(idOf)
      const { offsets, deciles } = fit(drawn, within)
      assert.ok(
        offsets.p > ALPHA,
        `${stratum}, offsets: chi-square ${offsets.statistic.toFixed(1)}, p = ${offsets.p}`,
      )
      assert.ok(
        deciles.p > ALPHA,
        `${stratum}, tenths: chi-square ${deciles.statistic.toFixed(1)}, p = ${deciles.p}`,
      )
    }
  })
})
