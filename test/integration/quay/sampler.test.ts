import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { EMPTY_LAYER_DIGEST } from '../../../src/quay/manifest.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests, sampleToFile, type SamplerOptions } from '../../../src/quay/sampler.ts'
import { samplerOptions } from '../../support/sampler.ts'
import {
  createQuaySchema,
  generateSeedImages,
  seedBulk,
  seedQuayDatabase,
  type SeedImage,
} from '../../../standin/quay-db.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { sharedFile } from '../../support/shared.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

const STATE = 'c'.repeat(32)
const uris = templateUriBuilder('http://blobs.test/{namespace}/{repository}/blobs/{digest}?sig=secret')

function options(extra: Partial<SamplerOptions> = {}): SamplerOptions {
  return { ...samplerOptions(10, 's1', { strata: '', 'live-tags-only': 'true' }), ...extra }
}

async function seeded(images: SeedImage[], useShared = false): Promise<{ db: TestDatabase; pool: pg.Pool }> {
  const db = await startPostgres()
  const client = new pg.Client(db.url)
  await client.connect()
  try {
    const shared = useShared ? sharedFile('quay/schema.sql') : undefined
    if (shared) await client.query(readFileSync(shared, 'utf8'))
    else await createQuaySchema(client)
    await seedQuayDatabase(client, images, { indexerHash: STATE })
  } finally {
    await client.end()
  }
  return { db, pool: await connectReplica(new Secret(db.url)) }
}

describe('sampler on a realistic small Quay database', () => {
  const images = generateSeedImages({ seed: 'corpus', count: 40, extras: true })
  // What Quay would have indexed and the sampler may draw: COMPLETED, live tag, live repository.
  const good = images.filter(
    (i) =>
      i.status?.indexStatus === 2 &&
      (i.tagState ?? 'live') === 'live' &&
      i.repositoryState !== 3 &&
      (i.visibility ?? 'public') === 'public' &&
      i.namespace !== 'mirror',
  )
  const privateOnes = images.filter((i) => i.visibility === 'private')
  const configs = new Map(images.map((i) => [i.config.digest, i.config.bytes]))
  let db: TestDatabase
  let pool: pg.Pool

  before(async () => {
    // Broken rows on top of the generated ones: bytes that are not JSON, a layer without storage.
    const notJson = {
      ...good[5]!,
      repository: 'broken',
      tag: 'x',
      manifestBytes: Buffer.from('{not json'),
      digest: `sha256:${'1'.repeat(64)}`,
    }
    const noBlob = {
      ...good[6]!,
      repository: 'noblob',
      tag: 'y',
      digest: `sha256:${'2'.repeat(64)}`,
      missingBlobs: [] as string[],
    }
    const lonely = `sha256:${'3'.repeat(64)}`
    const bytes = JSON.parse(good[7]!.manifestBytes.toString()) as Record<string, unknown>
    if (Array.isArray(bytes['layers']))
      bytes['layers'] = [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: lonely, size: 1 },
      ]
    if (Array.isArray(bytes['fsLayers'])) bytes['fsLayers'] = [{ blobSum: lonely }]
    noBlob.manifestBytes = Buffer.from(JSON.stringify(bytes))
    noBlob.missingBlobs = [lonely]
    noBlob.layers = [{ digest: lonely, size: 1 }]
    ;({ db, pool } = await seeded([...images, notJson, noBlob], true))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('draws only COMPLETED manifests of live repositories with live visible tags, once per digest', async () => {
    const { sample, skipped } = await sampleManifests(pool, options({ size: 1000 }), uris)
    const byDigest = new Map(images.map((i) => [i.digest, i]))
    const digests = sample.map((s) => s.manifest.hash)
    assert.equal(new Set(digests).size, digests.length, 'no digest twice')
    // The drawable ones (the "mirror" copies share their digests) and nothing else.
    assert.deepEqual(new Set(digests), new Set(good.map((i) => i.digest)))
    for (const entry of sample) {
      const image = byDigest.get(entry.manifest.hash)!
      assert.equal(entry.origin?.indexer_hash, image.status?.indexerHash ?? STATE)
      assert.ok(entry.origin?.manifest_id)
      assert.equal(entry.origin?.media_type, image.mediaType)
      for (const layer of entry.manifest.layers)
        assert.deepEqual(layer.headers?.['Accept'], ['application/gzip'])
    }
    assert.ok((skipped['duplicate_digest'] ?? 0) >= 1, 'mirror copies are counted as duplicates')
    assert.equal(skipped['not_json'], 1)
    assert.equal(skipped['missing_blob'], 1)
  })

  it("leaves private repositories out by default (Quay's repository visibility), and draws them when asked", async () => {
    assert.ok(privateOnes.length > 0, 'the corpus has a private repository')
    const hidden = new Set(privateOnes.map((i) => i.digest))
    const { sample } = await sampleManifests(pool, options({ size: 1000 }), uris)
    assert.equal(sample.filter((s) => hidden.has(s.manifest.hash)).length, 0)
    const all = await sampleManifests(pool, options({ size: 1000, includePrivate: true }), uris)
    const drawn = all.sample.filter((s) => hidden.has(s.manifest.hash))
    assert.deepEqual(
      drawn.map((s) => s.origin?.repository),
      privateOnes.map((i) => i.repository),
    )
    assert.equal(all.sample.length, sample.length + privateOnes.length)
  })

  it('keeps layer order from the manifest: base first, schema1 reversed', async () => {
    const { sample } = await sampleManifests(pool, options({ size: 1000, emptyLayers: 'skip' }), uris)
    for (const entry of sample) {
      const image = good.find((i) => i.digest === entry.manifest.hash)!
      assert.deepEqual(
        entry.manifest.layers.map((l) => l.hash),
        image.layers.map((l) => l.digest),
      )
      // Either copy of a mirrored digest may be drawn; the URI names the repository it came from.
      const { namespace, repository } = entry.origin!
      assert.ok([image.namespace, 'mirror'].includes(namespace!))
      assert.equal(
        entry.manifest.layers[0]?.uri,
        `http://blobs.test/${namespace}/${repository}/blobs/${image.layers[0]!.digest}?sig=secret`,
      )
    }
  })

  it("reproduces Quay's empty-layer entries from the config history when it can read the config", async () => {
    const reader = async (blob: { digest: string }) => configs.get(blob.digest)
    const withHistory = await sampleManifests(pool, options({ size: 1000, configBlobReader: reader }), uris)
    const without = await sampleManifests(pool, options({ size: 1000 }), uris)
    let expanded = 0
    for (const entry of withHistory.sample) {
      const image = good.find((i) => i.digest === entry.manifest.hash)!
      const hashes = entry.manifest.layers.map((l) => l.hash)
      assert.deepEqual(
        hashes.filter((h) => h !== EMPTY_LAYER_DIGEST),
        image.layers.map((l) => l.digest),
      )
      if (hashes.includes(EMPTY_LAYER_DIGEST)) expanded++
    }
    assert.ok(expanded > 0, 'some generated configs have empty_layer history entries')
    assert.equal(Object.keys(withHistory.fallbacks).length, 0)
    assert.ok((without.fallbacks['no_config_reader'] ?? 0) > 0, 'without a reader the fallback is counted')
    assert.ok(
      without.sample.every(
        (e) =>
          !e.manifest.layers.some(
            (l) =>
              l.hash === EMPTY_LAYER_DIGEST &&
              !good.some((g) => g.layers.some((x) => x.digest === EMPTY_LAYER_DIGEST)),
          ),
      ),
    )
  })

  it('is deterministic for a seed and differs between seeds', async () => {
    const a = await sampleManifests(pool, options({ size: 8, seed: 'alpha' }), uris)
    const b = await sampleManifests(pool, options({ size: 8, seed: 'alpha' }), uris)
    const c = await sampleManifests(pool, options({ size: 8, seed: 'beta' }), uris)
    assert.deepEqual(a.sample, b.sample)
    assert.equal(a.sample.length, 8)
    assert.notDeepEqual(
      a.sample.map((s) => s.manifest.hash),
      c.sample.map((s) => s.manifest.hash),
    )
  })

  it('counts stale index states and samples only the current ones', async () => {
    const { sample, stale } = await sampleManifests(
      pool,
      options({ size: 1000, currentIndexState: STATE }),
      uris,
    )
    assert.ok(sample.every((s) => s.origin?.indexer_hash === STATE))
    assert.equal(stale, 1, 'the one row with an older indexer_hash')
    const none = await sampleManifests(pool, options({ size: 1000, currentIndexState: 'f'.repeat(32) }), uris)
    assert.equal(none.sample.length, 0)
    assert.ok(none.stale > 0)
  })

  it('gives every stratum its share, up to per-stratum', async () => {
    const { sample, strata } = await sampleManifests(pool, options({ size: 9, strata: ['media_type'] }), uris)
    assert.deepEqual(strata, { docker_v1: 3, docker_v2: 3, oci: 3 })
    assert.equal(sample.length, 9)
    const capped = await sampleManifests(
      pool,
      options({ size: 100, strata: ['media_type', 'recency'], perStratum: 2 }),
      uris,
    )
    for (const n of Object.values(capped.strata)) assert.ok(n <= 2)
    assert.ok(
      Object.keys(capped.strata).some((k) => k.endsWith('/recent')) &&
        Object.keys(capped.strata).some((k) => k.endsWith('/older')),
    )
    assert.ok(capped.sample.every((s) => capped.strata[s.origin!.stratum!]! > 0))
  })

  it('writes sample.jsonl without signatures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clair-canary-sample-'))
    try {
      const path = join(dir, 'sample.jsonl')
      const summary = await sampleToFile(pool, options({ size: 5 }), uris, path)
      const text = await readFile(path, 'utf8')
      assert.equal(text.trim().split('\n').length, summary.sample.length)
      assert.equal(text.includes('sig=secret'), false)
      assert.equal(
        summary.sample[0]?.manifest.layers[0]?.uri.includes('sig=secret'),
        true,
        'the in-memory sample keeps usable URIs',
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('sampler on a larger table (random id windows)', () => {
  let db: TestDatabase
  let pool: pg.Pool
  before(async () => {
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedBulk(client, 20_000, { indexerHash: STATE })
    await client.end()
    pool = await connectReplica(new Secret(db.url))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('is deterministic, distinct by digest, and spread over the id range', async () => {
    const opts = options({ size: 200, seed: 'wide' })
    const a = await sampleManifests(pool, opts, uris)
    const b = await sampleManifests(pool, opts, uris)
    const c = await sampleManifests(pool, { ...opts, seed: 'other' }, uris)
    assert.equal(a.sample.length, 200)
    assert.deepEqual(a.sample, b.sample)
    const ids = a.sample.map((s) => s.origin!.manifest_id!)
    assert.equal(new Set(a.sample.map((s) => s.manifest.hash)).size, 200)
    const overlap = c.sample.filter((s) => ids.includes(s.origin!.manifest_id!)).length
    assert.ok(overlap < 100, `different seeds overlap in ${overlap} of 200`)
    // Every quarter of the id range is represented.
    for (let q = 0; q < 4; q++)
      assert.ok(
        ids.some((id) => id > q * 5000 && id <= (q + 1) * 5000),
        `quarter ${q}`,
      )
    // The bulk seed marks ids % 10 = 0 FAILED and ids % 10 = 5 dead-tagged: never drawn.
    assert.ok(ids.every((id) => id % 10 !== 0 && id % 10 !== 5))
  })

  it('honours media type strata on the windowed path', async () => {
    const { strata, sample } = await sampleManifests(
      pool,
      options({ size: 90, seed: 'strata', strata: ['media_type'] }),
      uris,
    )
    assert.deepEqual(strata, { docker_v1: 30, docker_v2: 30, oci: 30 })
    assert.equal(sample.length, 90)
  })

  it('counts the stale ones it met', async () => {
    const { stale, sample } = await sampleManifests(
      pool,
      options({ size: 100, seed: 'st', currentIndexState: STATE }),
      uris,
    )
    assert.equal(sample.length, 100)
    assert.ok(stale > 0)
  })
})
