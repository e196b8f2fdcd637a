// Where a drawn manifest's blobs are found: its own manifestblob rows first, else any of its repository's (as Quay's
// lookup_repo_storages_by_content_checksum), never another repository's.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { parseManifestBytes } from '../../../src/quay/manifest.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { blobsOf } from '../../../src/quay/sql.ts'
import { createQuaySchema, seedBulk } from '../../../standin/quay-db.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

describe("a manifest's blobs", () => {
  let db: TestDatabase
  let client: pg.Client
  let pool: pg.Pool

  /** The manifest's parsed layers and config, as the sampler has them when it asks. */
  async function parsed(id: number) {
    const { rows } = await client.query<{ name: string; manifest_bytes: string }>(
      'SELECT mt.name, m.manifest_bytes FROM manifest m JOIN mediatype mt ON mt.id = m.media_type_id WHERE m.id = $1',
      [id],
    )
    const result = parseManifestBytes(rows[0]!.name, rows[0]!.manifest_bytes)
    assert.ok(result.ok)
    return { manifestId: id, parsed: result.value }
  }

  async function storageOf(digest: string): Promise<{ id: number; uuid: string }> {
    const { rows } = await client.query<{ id: number; uuid: string }>(
      'SELECT id, uuid FROM imagestorage WHERE content_checksum = $1 ORDER BY id LIMIT 1',
      [digest],
    )
    return rows[0]!
  }

  before(async () => {
    db = await startPostgres()
    client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    // Manifests 1..100, each in its own repository; 9 and 13 are OCI manifests whose config is their first layer.
    await seedBulk(client, 100)
    // Manifest 10 joins manifest 9's repository.
    await client.query(`UPDATE manifest SET repository_id = (SELECT repository_id FROM manifest WHERE id = 9)
      WHERE id = 10`)
    await client.query(
      'UPDATE manifestblob SET repository_id = (SELECT repository_id FROM manifest WHERE id = 10) WHERE manifest_id = 10',
    )
    pool = await connectReplica(new Secret(db.url))
  })
  after(async () => {
    await pool?.end()
    await client?.end()
    await db?.stop()
  })

  it('are found through the repository when the manifest has no row of its own', async () => {
    const nine = await parsed(9)
    const layer = nine.parsed.layers[1]!.digest
    const storage = await storageOf(layer)
    await client.query('DELETE FROM manifestblob WHERE manifest_id = 9 AND blob_id = $1', [storage.id])
    await client.query(
      'INSERT INTO manifestblob (repository_id, manifest_id, blob_id) SELECT repository_id, 10, $1 FROM manifest WHERE id = 10',
      [storage.id],
    )
    const blobs = (await blobsOf(pool, [nine])).get(9)!
    assert.equal(blobs.get(layer)?.uuid, storage.uuid)
    assert.equal(blobs.size, 2, 'the config (also the first layer) and the second layer')
  })

  it("prefer the manifest's own storage row to an older one of its repository", async () => {
    const nine = await parsed(9)
    const config = nine.parsed.configDigest!
    const older = await storageOf(config)
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO imagestorage (uuid, image_size, uncompressed_size, uploading, cas_path, content_checksum)
       VALUES ('own-copy', 1, 1, false, true, $1) RETURNING id`,
      [config],
    )
    await client.query('UPDATE manifestblob SET blob_id = $1 WHERE manifest_id = 9 AND blob_id = $2', [
      rows[0]!.id,
      older.id,
    ])
    await client.query(
      `INSERT INTO manifestblob (repository_id, manifest_id, blob_id) SELECT repository_id, 10, $1 FROM manifest
       WHERE id = 10 ON CONFLICT DO NOTHING`,
      [older.id],
    )
    const blobs = (await blobsOf(pool, [nine])).get(9)!
    assert.equal(blobs.get(config)?.uuid, 'own-copy')
  })

  it("are not taken from another repository's manifests", async () => {
    const thirteen = await parsed(13)
    const layer = thirteen.parsed.layers[1]!.digest
    const storage = await storageOf(layer)
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM manifestblob WHERE blob_id = $1 AND manifest_id <> 13`,
      [storage.id],
    )
    assert.ok(rows[0]!.n > 0, 'another repository has the blob')
    await client.query('DELETE FROM manifestblob WHERE manifest_id = 13 AND blob_id = $1', [storage.id])
    const blobs = await blobsOf(pool, [thirteen, await parsed(14)])
    assert.equal(blobs.get(13)?.has(layer), false)
    assert.equal(blobs.get(13)?.size, 1, 'its config is still its own')
    assert.equal(blobs.get(14)?.size, 2)
  })
})
