// End to end: the stand-in's corpus seeded into a Quay database, sampled with S3 presigned layer URIs, and
// every URI fetched from the local blob server that verifies SigV4 signatures and expiry like S3.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests } from '../../../src/quay/sampler.ts'
import { configReaderFromUris } from '../../../src/quay/output.ts'
import { samplerOptions } from '../../support/sampler.ts'
import { createQuaySchema, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { createLayerUriBuilder } from '../../../src/quay/uris.ts'
import { s3PresignVerifier } from '../../../standin/s3-verify.ts'
import { startBlobServer, type BlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, generateCorpus, quayLayerDigests, type CorpusImage } from '../../../standin/corpus.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

const KEYS = { accessKeyId: 'AKIDCANARYTEST', secret: 'canary-test-secret-key-0123456789' }

describe('S3 presigned layer URIs against the blob server', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let blobs: BlobServer
  let corpus: CorpusImage[]

  before(async () => {
    corpus = generateCorpus({ seed: 'quay-s3', count: 6 })
    blobs = await startBlobServer({
      blobs: corpusBlobs(corpus),
      auth: {
        kind: 'verify',
        verify: s3PresignVerifier({
          accessKeyId: KEYS.accessKeyId,
          secretAccessKey: KEYS.secret,
          region: 'eu-west-1',
        }),
      },
    })
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedQuayDatabase(client, corpus)
    await client.end()
    pool = await connectReplica(new Secret(db.url))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
    await blobs?.close()
  })

  function builder() {
    return createLayerUriBuilder({
      mode: 's3',
      s3: {
        bucket: 'quay-storage',
        region: 'eu-west-1',
        storagePath: '/datastorage/registry',
        endpoint: blobs.url,
        accessKeyId: KEYS.accessKeyId,
        secretAccessKey: new Secret(KEYS.secret),
        expiresIn: 600,
      },
    })
  }

  it("sends Quay's exact layer list, and every layer URI fetches the blob with that digest", async () => {
    const uris = builder()
    const { sample, fallbacks } = await sampleManifests(
      pool,
      { ...samplerOptions(100, 's3', { strata: '' }), configBlobReader: configReaderFromUris(uris) },
      uris,
    )
    assert.equal(sample.length, corpus.length)
    assert.deepEqual(fallbacks, {})
    for (const entry of sample) {
      const image = corpus.find((i) => i.digest === entry.manifest.hash)!
      assert.deepEqual(
        entry.manifest.layers.map((l) => l.hash),
        quayLayerDigests(image),
      )
      for (const layer of entry.manifest.layers) {
        assert.match(
          layer.uri,
          /\/quay-storage\/datastorage\/registry\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}\?X-Amz-Algorithm=AWS4-HMAC-SHA256/,
        )
        const res = await fetch(layer.uri, { headers: { Accept: layer.headers!['Accept']!.join(', ') } })
        assert.equal(res.status, 200, await res.clone().text())
        const body = Buffer.from(await res.arrayBuffer())
        assert.equal(`sha256:${createHash('sha256').update(body).digest('hex')}`, layer.hash)
      }
    }
  })

  it('the blob server refuses a tampered or foreign-key signature', async () => {
    const { sample } = await sampleManifests(
      pool,
      samplerOptions(1, 'x', { strata: '', 'empty-layers': 'skip' }),
      builder(),
    )
    const uri = sample[0]!.manifest.layers[0]!.uri
    const tampered = uri.replace(/X-Amz-Expires=600/, 'X-Amz-Expires=601')
    assert.equal((await fetch(tampered)).status, 403)
    const foreign = uri.replace(`Credential=${KEYS.accessKeyId}`, 'Credential=AKIDOTHER')
    assert.equal((await fetch(foreign)).status, 403)
  })
})
