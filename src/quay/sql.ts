// The sampler's SQL against Quay's schema: eligible rows by id window or whole, their bytes and stored blobs.
// Every query goes through withReplicaRetry: a hot standby may cancel it for recovery.
import type pg from 'pg'
import { EMPTY_LAYER_DIGEST, type BlobRef, type ParsedManifest } from './manifest.ts'
import { retryOptionsOf, withReplicaRetry } from './replica.ts'

/** What the draw reads per row without the manifest itself: enough to de-duplicate and stratify. */
export interface LightRow {
  manifest_id: number
  digest: string
  media_type: string
  namespace: string
  repository: string
  indexer_hash: string
  last_indexed_ms: number
}

export interface Row extends LightRow {
  manifest_bytes: string
}

export const LIGHT_COLUMNS = `m.id AS manifest_id, m.digest, mt.name AS media_type,
  u.username AS namespace, r.name AS repository, mss.indexer_hash,
  (extract(epoch FROM mss.last_indexed) * 1000)::float8 AS last_indexed_ms`
export const ROW_COLUMNS = `${LIGHT_COLUMNS}, m.manifest_bytes`

// Naive UTC timestamps: extract(epoch) reads them as UTC whatever the session time zone.
const ROW_FROM = `FROM manifest m
  JOIN manifestsecuritystatus mss ON mss.manifest_id = m.id
  JOIN mediatype mt ON mt.id = m.media_type_id
  JOIN repository r ON r.id = m.repository_id
  JOIN "user" u ON u.id = r.namespace_user_id`

/**
 * Which manifests count as live: false = any; 'tags' = an alive, visible tag on the manifest; 'lists' = that, or
 * an alive, visible tag on a manifest list or index that has it as a child (manifestchild), as Quay's
 * lookup_manifest (data/model/oci/manifest.py) finds a tagged manifest and then a child of a tagged one.
 */
export type Liveness = false | 'tags' | 'lists'

const ALIVE = `t.hidden = false
  AND (t.lifetime_end_ms IS NULL OR t.lifetime_end_ms > (extract(epoch FROM now()) * 1000)::bigint)`

/** Which rows the draw may return: live ones (see Liveness), and of public repositories unless asked otherwise. */
export interface Eligibility {
  live: Liveness
  /** Only repositories whose visibility is Quay's 'public' (data/database.py Repository.visibility). */
  publicOnly: boolean
}

// Quay's enumeration ids are install-specific: visibility is matched by name.
const PUBLIC = `r.visibility_id IN (SELECT v.id FROM visibility v WHERE v.name = 'public')`

function rowFilter({ live, publicOnly }: Eligibility): string {
  const tagged = `EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id AND ${ALIVE})`
  const child = `EXISTS (SELECT 1 FROM manifestchild mc JOIN tag t ON t.manifest_id = mc.manifest_id
    WHERE mc.child_manifest_id = m.id AND ${ALIVE})`
  const filter = live === 'lists' ? ` AND (${tagged} OR ${child})` : live === 'tags' ? ` AND ${tagged}` : ''
  const visible = publicOnly ? ` AND ${PUBLIC}` : ''
  return `mss.index_status = 2 AND mss.indexer_version = 4 AND r.state <> 3${visible}${filter}`
}

/** Quay has had manifestchild since its OCI data model; a database without it has no manifest lists to follow. */
export async function eligibility(
  pool: pg.Pool,
  opts: { liveTagsOnly: boolean; includePrivate: boolean },
): Promise<Eligibility> {
  const publicOnly = !opts.includePrivate
  if (!opts.liveTagsOnly) return { live: false, publicOnly }
  const { rows } = await withReplicaRetry(
    () => pool.query<{ found: boolean }>("SELECT to_regclass('manifestchild') IS NOT NULL AS found"),
    retryOptionsOf(pool),
  )
  return { live: rows[0]?.found ? 'lists' : 'tags', publicOnly }
}

/**
 * Every eligible row of each window [start, start + width) of manifest ids, in one round trip, in id order (the
 * caller shuffles them). The windows are read in id order: neighbouring probes share index and heap pages, which
 * made a draw of 3,000 several times faster than probing in random order. The LIMIT never binds (ids are unique,
 * so a window holds at most `width` rows): it keeps each window a nested index range scan, where a plain join
 * lets the planner hash-join the whole table.
 */
export async function drawWindows<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  starts: readonly number[],
  width: number,
  eligible: Eligibility,
): Promise<T[]> {
  const sorted = [...starts].sort((a, b) => a - b)
  const { rows } = await withReplicaRetry(
    () =>
      pool.query<T>(
        `SELECT c.* FROM unnest($1::bigint[]) AS w(start)
       CROSS JOIN LATERAL (
         SELECT ${columns} ${ROW_FROM}
         WHERE m.id >= w.start AND m.id < w.start + $2::bigint AND ${rowFilter(eligible)}
         LIMIT $2
       ) c
       ORDER BY c.manifest_id`,
        [sorted, width],
      ),
    retryOptionsOf(pool),
  )
  return rows
}

export async function drawAll<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  min: number,
  max: number,
  eligible: Eligibility,
): Promise<T[]> {
  const { rows } = await withReplicaRetry(
    () =>
      pool.query<T>(
        `SELECT ${columns} ${ROW_FROM} WHERE m.id BETWEEN $1 AND $2 AND ${rowFilter(eligible)} ORDER BY m.id`,
        [min, max],
      ),
    retryOptionsOf(pool),
  )
  return rows
}

interface BlobRow {
  manifest_id: number
  digest: string
  cas_path: boolean
  uuid: string
  image_size: string | null
}

/**
 * The stored blobs of each manifest's layers and config: its own manifestblob rows first, else any of its
 * repository's, as Quay looks them up (lookup_repo_storages_by_content_checksum in data/model/storage.py). The own
 * rows are read manifest by manifest, in id order, through manifestblob's and imagestorage's indexes (OFFSET 0
 * keeps the planner from hash-joining all of imagestorage); the repository is searched only for digests they lack
 * (a base layer's blob can have millions of manifestblob rows).
 */
export async function blobsOf(
  pool: pg.Pool,
  manifests: Array<{ manifestId: number; parsed: ParsedManifest }>,
): Promise<Map<number, Map<string, BlobRef>>> {
  const out = new Map<number, Map<string, BlobRef>>()
  const wanted = new Map<number, Set<string>>()
  for (const { manifestId, parsed } of manifests)
    wanted.set(
      manifestId,
      new Set([
        ...parsed.layers.filter((l) => !l.urls).map((l) => l.digest),
        ...(parsed.configDigest ? [parsed.configDigest] : []),
      ]),
    )
  const keep = (row: BlobRow) => {
    let blobs = out.get(row.manifest_id)
    if (!blobs) out.set(row.manifest_id, (blobs = new Map<string, BlobRef>()))
    if (blobs.has(row.digest) || !wanted.get(row.manifest_id)?.has(row.digest)) return
    blobs.set(row.digest, {
      digest: row.digest,
      casPath: row.cas_path,
      uuid: row.uuid,
      ...(row.image_size !== null ? { size: Number(row.image_size) } : {}),
    })
  }
  const ids = [...wanted]
    .filter(([, digests]) => digests.size > 0)
    .map(([id]) => id)
    .sort((a, b) => a - b)
  if (ids.length === 0) return out
  const own = await withReplicaRetry(
    () =>
      pool.query<BlobRow>(
        `SELECT w.id AS manifest_id, b.digest, b.cas_path, b.uuid, b.image_size
         FROM unnest($1::int[]) AS w(id)
         CROSS JOIN LATERAL (
           SELECT s.content_checksum AS digest, s.cas_path, s.uuid, s.image_size
           FROM manifestblob mb JOIN imagestorage s ON s.id = mb.blob_id
           WHERE mb.manifest_id = w.id
           ORDER BY s.id OFFSET 0
         ) b`,
        [ids],
      ),
    retryOptionsOf(pool),
  )
  for (const row of own.rows) keep(row)
  const missingIds: number[] = []
  const missingDigests: string[] = []
  for (const [id, digests] of wanted)
    for (const digest of digests)
      if (!out.get(id)?.has(digest)) {
        missingIds.push(id)
        missingDigests.push(digest)
      }
  if (missingIds.length === 0) return out
  const shared = await withReplicaRetry(
    () =>
      pool.query<BlobRow>(
        `SELECT w.manifest_id, w.digest, b.cas_path, b.uuid, b.image_size
         FROM unnest($1::int[], $2::text[]) AS w(manifest_id, digest)
         JOIN manifest m ON m.id = w.manifest_id
         CROSS JOIN LATERAL (
           SELECT s.cas_path, s.uuid, s.image_size FROM imagestorage s
           WHERE s.content_checksum = w.digest
             AND EXISTS (SELECT 1 FROM manifestblob mb WHERE mb.blob_id = s.id AND mb.repository_id = m.repository_id)
           ORDER BY s.id LIMIT 1
         ) b`,
        [missingIds, missingDigests],
      ),
    retryOptionsOf(pool),
  )
  for (const row of shared.rows) keep(row)
  return out
}

/** manifest_bytes of the given manifests, in one round trip. */
export async function bytesOf(pool: pg.Pool, manifestIds: number[]): Promise<Map<number, string>> {
  if (manifestIds.length === 0) return new Map()
  const { rows } = await withReplicaRetry(
    () =>
      pool.query<{ manifest_id: number; manifest_bytes: string }>(
        'SELECT m.id AS manifest_id, m.manifest_bytes FROM manifest m WHERE m.id = ANY($1::int[])',
        [manifestIds],
      ),
    retryOptionsOf(pool),
  )
  return new Map(rows.map((r) => [r.manifest_id, r.manifest_bytes]))
}

export async function emptyLayerBlob(pool: pg.Pool): Promise<BlobRef | undefined> {
  const { rows } = await withReplicaRetry(
    () =>
      pool.query<{ uuid: string; cas_path: boolean; image_size: string | null }>(
        'SELECT uuid, cas_path, image_size FROM imagestorage WHERE content_checksum = $1 ORDER BY id LIMIT 1',
        [EMPTY_LAYER_DIGEST],
      ),
    retryOptionsOf(pool),
  )
  const row = rows[0]
  return row ? { digest: EMPTY_LAYER_DIGEST, casPath: row.cas_path, uuid: row.uuid } : undefined
}

/**
 * The manifest table's id range and the planner's row estimate (pg_class.reltuples; undefined before the first
 * ANALYZE or VACUUM), or null when it is empty.
 */
export async function manifestIdBounds(
  pool: pg.Pool,
): Promise<{ min: number; max: number; estimate: number | undefined } | null> {
  const { rows } = await withReplicaRetry(
    () =>
      pool.query<{ min: number | null; max: number | null; estimate: number | null }>(
        `SELECT min(id) AS min, max(id) AS max,
           (SELECT reltuples::float8 FROM pg_class WHERE oid = 'manifest'::regclass) AS estimate
         FROM manifest`,
      ),
    retryOptionsOf(pool),
  )
  const min = rows[0]?.min
  const max = rows[0]?.max
  const estimate = rows[0]?.estimate
  if (min === null || min === undefined || max === null || max === undefined) return null
  return {
    min,
    max,
    estimate: estimate !== null && estimate !== undefined && estimate > 0 ? estimate : undefined,
  }
}
