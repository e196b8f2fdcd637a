// live-tags-only as Quay sees it: a manifest reached through an alive, visible tag on a manifest list or index
// (manifestchild) is live, as Quay's lookup_manifest (data/model/oci/manifest.py) finds it; one whose only parent
// list lost its tag is not.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { MEDIA_TYPES } from '../../../src/quay/manifest.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests } from '../../../src/quay/sampler.ts'
import { samplerOptions } from '../../support/sampler.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

const uris = templateUriBuilder('http://blobs.test/{namespace}/{repository}/blobs/{digest}')

describe('live-tags-only follows tagged manifest lists to their per-architecture manifests', () => {
  const [amd64, arm64, orphan, stale] = generateSeedImages({ seed: 'lists', count: 4 }).map((image) => ({
    ...image,
    namespace: 'acme',
    repository: 'multi',
    tagState: 'none' as const,
  }))
  const list = (tag: string, children: (typeof amd64)[]) => {
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: children.map((c) => ({ mediaType: c!.mediaType, digest: c!.digest, size: 1 })),
      }),
    )
    return {
      ...amd64!,
      tag,
      tagState: 'live' as 'live' | 'dead',
      mediaType: MEDIA_TYPES.ociIndex,
      manifestBytes: bytes,
      digest: `sha256:${tag.padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')}`,
      layers: [],
      status: { indexStatus: -2 },
    }
  }
  const live = list('live', [amd64, arm64])
  const dead = { ...list('dead', [stale]), tagState: 'dead' as const }
  let db: TestDatabase
  let pool: pg.Pool

  before(async () => {
    db = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    try {
      await createQuaySchema(client)
      const ids = await seedQuayDatabase(client, [amd64!, arm64!, orphan!, stale!, live, dead])
      const id = (image: { digest: string }) => ids.get(`acme/multi@${image.digest}`)!
      for (const [parent, child] of [
        [live, amd64!],
        [live, arm64!],
        [dead, stale!],
      ] as const)
        await client.query(
          `INSERT INTO manifestchild (repository_id, manifest_id, child_manifest_id)
           SELECT repository_id, $1, $2 FROM manifest WHERE id = $1`,
          [id(parent), id(child)],
        )
    } finally {
      await client.end()
    }
    pool = await connectReplica(new Secret(db.url))
  })
  after(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('draws the children of the tagged index, and neither an untagged manifest nor a child of a dead tag', async () => {
    const opts = samplerOptions(10, 's', { strata: '', 'live-tags-only': 'true' })
    const { sample } = await sampleManifests(pool, opts, uris)
    assert.deepEqual(sample.map((s) => s.manifest.hash).sort(), [amd64!.digest, arm64!.digest].sort())
    const all = samplerOptions(10, 's', { strata: '', 'live-tags-only': 'false' })
    assert.equal((await sampleManifests(pool, all, uris)).sample.length, 4, 'without the filter: every image')
  })

  it("finds a layer's blob through any manifest of the repository, as Quay does, and not across repositories", async () => {
    const client = new pg.Client(db.url)
    await client.connect()
    try {
      // Copies of amd64 whose manifestblob rows name only the config: in its own repository (acme/multi) the
      // layers are found through amd64's rows; in another repository they are not.
      const twin = `sha256:${'7'.repeat(64)}`
      const stranger = `sha256:${'8'.repeat(64)}`
      await client.query(
        `INSERT INTO repository (namespace_user_id, name, visibility_id, badge_token, kind_id, state)
         SELECT namespace_user_id, 'other', visibility_id, 'x', kind_id, 0 FROM repository WHERE name = 'multi'`,
      )
      for (const [digest, repo] of [
        [twin, 'multi'],
        [stranger, 'other'],
      ] as const) {
        const { rows } = await client.query<{ id: number; repository_id: number }>(
          `INSERT INTO manifest (repository_id, digest, media_type_id, manifest_bytes)
           SELECT r.id, $1, m.media_type_id, m.manifest_bytes FROM manifest m, repository r
           WHERE m.digest = $2 AND r.name = $3 RETURNING id, repository_id`,
          [digest, amd64!.digest, repo],
        )
        const { id, repository_id } = rows[0]!
        await client.query(
          `INSERT INTO manifestblob (repository_id, manifest_id, blob_id)
           SELECT $1, $2, id FROM imagestorage WHERE content_checksum = $3`,
          [repository_id, id, amd64!.config.digest],
        )
        await client.query(
          `INSERT INTO manifestsecuritystatus (manifest_id, repository_id, index_status, error_json, last_indexed, indexer_hash, indexer_version, metadata_json)
           VALUES ($1, $2, 2, '""', now(), 'h', 4, '{}')`,
          [id, repository_id],
        )
        await client.query(
          `INSERT INTO tag (name, repository_id, manifest_id, lifetime_start_ms, hidden, tag_kind_id)
           SELECT $3, $1, $2, 0, false, id FROM tagkind WHERE name = 'tag'`,
          [repository_id, id, digest.slice(7, 15)],
        )
      }
      const opts = samplerOptions(10, 's', { strata: '', 'live-tags-only': 'true' })
      const { sample, skipped } = await sampleManifests(pool, opts, uris)
      const drawn = sample.map((s) => s.manifest.hash)
      assert.ok(drawn.includes(twin), 'the twin in acme/multi is sampled')
      assert.ok(!drawn.includes(stranger), 'the copy in acme/other has no blobs there')
      assert.equal(skipped['missing_blob'], 1)
    } finally {
      await client.end()
    }
  })
})
