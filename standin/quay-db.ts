// A Quay database with a realistic shape, for tests, the demo and the bench: many namespaces and
// repositories, shared layers, one digest in several repositories, manifest lists, artifacts, failed and
// stale statuses, dead tags, repositories being deleted.
import { createHash, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { seededRandom } from '../src/seeded.ts'
import { EMPTY_LAYER_DIGEST, MEDIA_TYPES } from '../src/quay/manifest.ts'
import { QUAY_SCHEMA_SQL } from '../src/quay/schema.ts'

/** The shape of standin/corpus.ts CorpusImage, plus optional knobs for the Quay-side state. */
export interface SeedImage {
  namespace: string
  repository: string
  tag: string
  mediaType: string
  manifestBytes: Buffer
  digest: string
  config: { digest: string; bytes: Buffer }
  layers: Array<{ digest: string; size: number }>
  /** manifestsecuritystatus; default COMPLETED (2) with the seed's indexer hash. */
  status?: { indexStatus: number; indexerHash?: string; lastIndexed?: Date }
  /** Default: a live tag. 'dead' ends its lifetime in the past, 'hidden' hides it, 'none' has no tag. */
  tagState?: 'live' | 'dead' | 'hidden' | 'none'
  /** repository.state; 3 = MARKED_FOR_DELETION. */
  repositoryState?: number
  /** Quay's repository visibility; default public. */
  visibility?: 'public' | 'private'
  /** Leave these blob digests out of imagestorage (a broken row). */
  missingBlobs?: string[]
}

export const INDEX_STATUS = {
  SCAN_RETRIES_EXHAUSTED: -4,
  MANIFEST_LAYER_TOO_LARGE: -3,
  MANIFEST_UNSUPPORTED: -2,
  FAILED: -1,
  PENDING: 0,
  IN_PROGRESS: 1,
  COMPLETED: 2,
} as const

export interface SeedOptions {
  /** Production's index state that COMPLETED rows carry by default. */
  indexerHash?: string
  now?: Date
}

export async function createQuaySchema(client: pg.ClientBase): Promise<void> {
  await client.query(QUAY_SCHEMA_SQL)
}

const ENUMS: Array<[table: string, names: string[]]> = [
  [
    'mediatype',
    [
      ...Object.values(MEDIA_TYPES),
      'application/vnd.oci.image.config.v1+json',
      'application/vnd.cncf.helm.config.v1+json',
    ],
  ],
  ['visibility', ['public', 'private']],
  ['repositorykind', ['image', 'application']],
  ['tagkind', ['tag']],
  ['imagestoragelocation', ['default']],
]

async function ensureEnums(client: pg.ClientBase): Promise<void> {
  for (const [table, names] of ENUMS)
    await client.query(
      `INSERT INTO ${table} (name) SELECT n FROM unnest($1::text[]) n WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.name = n)`,
      [names],
    )
}

async function ids(client: pg.ClientBase, table: string): Promise<Map<string, number>> {
  const { rows } = await client.query<{ id: number; name: string }>(`SELECT id, name FROM ${table}`)
  return new Map(rows.map((r) => [r.name, r.id]))
}

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** Seeds the images (in one transaction). Returns the manifest ids by `namespace/repository@digest`. */
export async function seedQuayDatabase(
  client: pg.ClientBase,
  images: readonly SeedImage[],
  opts: SeedOptions = {},
): Promise<Map<string, number>> {
  const now = opts.now ?? new Date()
  const indexerHash = opts.indexerHash ?? 'a'.repeat(32)
  await client.query('BEGIN')
  try {
    await ensureEnums(client)
    const mediaTypes = await ids(client, 'mediatype')
    const visibility = await ids(client, 'visibility')
    const tagKind = (await ids(client, 'tagkind')).get('tag')
    const location = (await ids(client, 'imagestoragelocation')).get('default')

    const users = new Map<string, number>()
    for (const ns of new Set(images.map((i) => i.namespace))) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO "user" (uuid, username, email, verified, organization, robot, invoice_email, last_invalid_login)
         VALUES ($1, $2, $3, true, true, false, false, now())
         ON CONFLICT (username) DO UPDATE SET username = EXCLUDED.username RETURNING id`,
        [randomUUID(), ns, `${ns}@example.invalid`],
      )
      users.set(ns, rows[0]!.id)
    }
    const repos = new Map<string, number>()
    for (const image of images) {
      const key = `${image.namespace}/${image.repository}`
      if (repos.has(key)) continue
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO repository (namespace_user_id, name, visibility_id, badge_token, kind_id, state)
         VALUES ($1, $2, $3, $4, (SELECT id FROM repositorykind WHERE name = 'image'), $5)
         ON CONFLICT (namespace_user_id, name) DO UPDATE SET state = EXCLUDED.state RETURNING id`,
        [
          users.get(image.namespace),
          image.repository,
          visibility.get(image.visibility ?? 'public'),
          randomUUID(),
          image.repositoryState ?? 0,
        ],
      )
      repos.set(key, rows[0]!.id)
    }

    // One imagestorage row per blob digest, shared across manifests and repositories.
    const blobs = new Map<string, number>()
    const missing = new Set(images.flatMap((i) => i.missingBlobs ?? []))
    const wanted = new Map<string, number>()
    for (const image of images) {
      wanted.set(image.config.digest, image.config.bytes.length)
      for (const layer of image.layers) wanted.set(layer.digest, layer.size)
    }
    wanted.set(EMPTY_LAYER_DIGEST, 32)
    const existing = await client.query<{ id: number; content_checksum: string }>(
      'SELECT id, content_checksum FROM imagestorage WHERE content_checksum = ANY($1)',
      [[...wanted.keys()]],
    )
    for (const row of existing.rows) blobs.set(row.content_checksum, row.id)
    const fresh = [...wanted].filter(([digest]) => !blobs.has(digest) && !missing.has(digest))
    if (fresh.length > 0) {
      const { rows } = await client.query<{ id: number; content_checksum: string }>(
        `INSERT INTO imagestorage (uuid, image_size, uncompressed_size, uploading, cas_path, content_checksum)
         SELECT gen_random_uuid()::text, s, s, false, true, d FROM unnest($1::text[], $2::bigint[]) AS x(d, s)
         RETURNING id, content_checksum`,
        [fresh.map(([d]) => d), fresh.map(([, s]) => s)],
      )
      for (const row of rows) blobs.set(row.content_checksum, row.id)
      await client.query(
        'INSERT INTO imagestorageplacement (storage_id, location_id) SELECT unnest($1::int[]), $2',
        [rows.map((r) => r.id), location],
      )
    }

    const manifests = new Map<string, number>()
    for (const image of images) {
      const repoId = repos.get(`${image.namespace}/${image.repository}`)!
      const mediaTypeId = mediaTypes.get(image.mediaType)
      const key = `${image.namespace}/${image.repository}@${image.digest}`
      let manifestId = manifests.get(key)
      if (manifestId === undefined) {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO manifest (repository_id, digest, media_type_id, manifest_bytes, layers_compressed_size)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [
            repoId,
            image.digest,
            mediaTypeId ?? mediaTypes.get('application/vnd.oci.image.config.v1+json'),
            image.manifestBytes.toString('utf8'),
            image.layers.reduce((sum, l) => sum + l.size, 0),
          ],
        )
        manifestId = rows[0]!.id
        manifests.set(key, manifestId)
        const blobIds = [
          ...new Set(
            [image.config.digest, ...image.layers.map((l) => l.digest)].flatMap((d) => blobs.get(d) ?? []),
          ),
        ]
        await client.query(
          'INSERT INTO manifestblob (repository_id, manifest_id, blob_id) SELECT $1, $2, unnest($3::int[])',
          [repoId, manifestId, blobIds],
        )
        const status = image.status ?? { indexStatus: INDEX_STATUS.COMPLETED }
        const hash =
          status.indexerHash ??
          (status.indexStatus === INDEX_STATUS.COMPLETED
            ? indexerHash
            : status.indexStatus === INDEX_STATUS.FAILED
              ? 'server_error'
              : 'none')
        await client.query(
          `INSERT INTO manifestsecuritystatus
             (manifest_id, repository_id, index_status, error_json, last_indexed, indexer_hash, indexer_version, metadata_json)
           VALUES ($1, $2, $3, $4, $5, $6, 4, '{}')`,
          [manifestId, repoId, status.indexStatus, '""', (status.lastIndexed ?? now).toISOString(), hash],
        )
      }
      const tagState = image.tagState ?? 'live'
      if (tagState !== 'none') {
        const start = now.getTime() - 30 * 86_400_000
        await client.query(
          `INSERT INTO tag (name, repository_id, manifest_id, lifetime_start_ms, lifetime_end_ms, hidden, tag_kind_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            image.tag,
            repoId,
            manifestId,
            start,
            tagState === 'dead' ? now.getTime() - 86_400_000 : null,
            tagState === 'hidden',
            tagKind,
          ],
        )
      }
    }
    await client.query('COMMIT')
    return manifests
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

// ------------------------------------------------------------------------------- generated images

const DISTRIBUTIONS = ['debian', 'ubuntu', 'alpine', 'ubi8', 'fedora', 'python', 'node', 'golang']
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip'

function hex(random: () => number, length = 64): string {
  let s = ''
  while (s.length < length)
    s += Math.floor(random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return s.slice(0, length)
}

export interface GenerateOptions {
  seed: string
  /** How many sampleable images (COMPLETED, live tag, container layers). */
  count: number
  /** Add the awkward rows real Quay databases have (lists, artifacts, failures, dead tags, ...). */
  extras?: boolean
  /** Fraction of sampleable images with last_indexed older than recentDays (default 0.5). */
  oldFraction?: number
  now?: Date
}

/**
 * Small images with random digests: each image one to four layers from a shared pool, a config whose
 * history may have empty layers, Docker schema2, OCI and schema1 media types.
 */
export function generateSeedImages(opts: GenerateOptions): SeedImage[] {
  const random = seededRandom(opts.seed)
  const now = opts.now ?? new Date()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const sharedLayers = Array.from({ length: 12 }, () => ({
    digest: `sha256:${hex(random)}`,
    size: 1000 + Math.floor(random() * 1e6),
  }))
  const images: SeedImage[] = []

  const makeImage = (i: number, mediaType: string, overrides: Partial<SeedImage> = {}): SeedImage => {
    const distribution = pick(DISTRIBUTIONS)
    const layers = [
      pick(sharedLayers),
      ...Array.from({ length: Math.floor(random() * 3) }, () => ({
        digest: `sha256:${hex(random)}`,
        size: 500 + Math.floor(random() * 1e5),
      })),
    ]
    const unique = [...new Map(layers.map((l) => [l.digest, l])).values()]
    const history: Array<Record<string, unknown>> = []
    for (const [n, layer] of unique.entries()) {
      if (random() < 0.4) history.push({ created_by: `/bin/sh -c #(nop) ENV N=${n}`, empty_layer: true })
      history.push({ created_by: `/bin/sh -c install ${distribution} ${layer.digest.slice(7, 15)}` })
    }
    const configBytes = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        history,
        rootfs: { type: 'layers', diff_ids: [] },
      }),
    )
    const config = { digest: sha256(configBytes), bytes: configBytes }
    let manifest: Record<string, unknown>
    if (mediaType === MEDIA_TYPES.schema1 || mediaType === MEDIA_TYPES.schema1Signed) {
      manifest = {
        schemaVersion: 1,
        name: `ns/${distribution}`,
        tag: 'latest',
        fsLayers: [...unique].reverse().map((l) => ({ blobSum: l.digest })),
        history: [...unique].reverse().map((l) => ({
          v1Compatibility: JSON.stringify({
            id: l.digest.slice(7),
            container_config: { Cmd: [`install ${distribution}`] },
          }),
        })),
      }
    } else {
      const layerType = mediaType === MEDIA_TYPES.oci ? LAYER : DOCKER_LAYER
      manifest = {
        schemaVersion: 2,
        mediaType,
        config: {
          mediaType:
            mediaType === MEDIA_TYPES.oci
              ? 'application/vnd.oci.image.config.v1+json'
              : 'application/vnd.docker.container.image.v1+json',
          digest: config.digest,
          size: configBytes.length,
        },
        layers: unique.map((l) => ({ mediaType: layerType, digest: l.digest, size: l.size })),
        ...(mediaType === MEDIA_TYPES.oci && random() < 0.5
          ? {
              annotations: {
                'org.opencontainers.image.base.name': `docker.io/library/${distribution}:latest`,
              },
            }
          : {}),
      }
    }
    const manifestBytes = Buffer.from(JSON.stringify(manifest))
    const old = random() < (opts.oldFraction ?? 0.5)
    return {
      namespace: `ns${i % 7}`,
      repository: `${distribution}-app${i % 11}`,
      tag: `v${i}`,
      mediaType,
      manifestBytes,
      digest: sha256(manifestBytes),
      config,
      layers: unique,
      status: {
        indexStatus: INDEX_STATUS.COMPLETED,
        lastIndexed: new Date(
          now.getTime() - (old ? 40 : 1) * 86_400_000 - Math.floor(random() * 86_400_000),
        ),
      },
      ...overrides,
    }
  }

  for (let i = 0; i < opts.count; i++) {
    const r = random()
    const mediaType =
      r < 0.45
        ? MEDIA_TYPES.schema2
        : r < 0.9
          ? MEDIA_TYPES.oci
          : pick([MEDIA_TYPES.schema1, MEDIA_TYPES.schema1Signed])
    images.push(makeImage(i, mediaType))
  }
  if (!opts.extras) return images

  const base = opts.count
  // The same digest pushed to a second repository: one Clair manifest, two Quay rows.
  for (const image of images.slice(0, Math.max(1, Math.floor(opts.count / 10))))
    images.push({ ...image, namespace: 'mirror', repository: image.repository, tag: 'copy' })
  // A manifest list over two images (Quay marks it unsupported, as Quay never indexes lists).
  const listBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.schema2List,
      manifests: images.slice(0, 2).map((m) => ({
        mediaType: m.mediaType,
        digest: m.digest,
        size: m.manifestBytes.length,
        platform: { architecture: 'amd64', os: 'linux' },
      })),
    }),
  )
  const anyImage = images[0]!
  images.push({
    ...anyImage,
    repository: 'multiarch',
    tag: 'latest',
    mediaType: MEDIA_TYPES.schema2List,
    manifestBytes: listBytes,
    digest: sha256(listBytes),
    layers: [],
    status: { indexStatus: INDEX_STATUS.MANIFEST_UNSUPPORTED },
  })
  // A helm chart (an artifact: non-container layers).
  const helmBytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.oci,
      config: {
        mediaType: 'application/vnd.cncf.helm.config.v1+json',
        digest: anyImage.config.digest,
        size: 1,
      },
      layers: [
        {
          mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
          digest: `sha256:${hex(random)}`,
          size: 10,
        },
      ],
    }),
  )
  images.push({
    ...anyImage,
    repository: 'charts',
    tag: '1.0.0',
    mediaType: MEDIA_TYPES.oci,
    manifestBytes: helmBytes,
    digest: sha256(helmBytes),
    layers: [],
    status: { indexStatus: INDEX_STATUS.MANIFEST_UNSUPPORTED },
  })
  // Failed, in progress, stale index state, a dead tag, a hidden tag, a repository being deleted.
  images.push(makeImage(base + 1, MEDIA_TYPES.schema2, { status: { indexStatus: INDEX_STATUS.FAILED } }))
  images.push(
    makeImage(base + 2, MEDIA_TYPES.oci, {
      status: { indexStatus: INDEX_STATUS.IN_PROGRESS, indexerHash: 'in_progress' },
    }),
  )
  images.push(
    makeImage(base + 3, MEDIA_TYPES.oci, {
      status: {
        indexStatus: INDEX_STATUS.COMPLETED,
        indexerHash: 'b'.repeat(32),
        lastIndexed: new Date(now.getTime() - 90 * 86_400_000),
      },
    }),
  )
  images.push(makeImage(base + 4, MEDIA_TYPES.schema2, { tagState: 'dead' }))
  images.push(makeImage(base + 5, MEDIA_TYPES.schema2, { tagState: 'hidden' }))
  images.push(makeImage(base + 6, MEDIA_TYPES.schema2, { repository: 'doomed', repositoryState: 3 }))
  // A private repository: sampled only with include-private-repositories.
  images.push(
    makeImage(base + 7, MEDIA_TYPES.schema2, { repository: 'internal-tools', visibility: 'private' }),
  )
  return images
}

// ------------------------------------------------------------------------------------------ bulk

/**
 * `manifests` more COMPLETED manifests with live tags, generated in SQL (generate_series) so a million
 * rows take seconds, not minutes. Layers come from a pool of 50,000 shared blobs. Call createQuaySchema
 * first; may be called again to grow the table.
 */
export async function seedBulk(
  client: pg.ClientBase,
  manifests: number,
  opts: SeedOptions = {},
): Promise<void> {
  await client.query('BEGIN')
  try {
    // Foreign-key triggers dominate bulk inserts; a superuser (tests, the demo) may skip them, the
    // generated rows are consistent by construction.
    await client.query('SAVEPOINT fk')
    await client
      .query("SET LOCAL session_replication_role = 'replica'")
      .catch(() => client.query('ROLLBACK TO SAVEPOINT fk'))
    await insertBulk(client, manifests, opts)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
  await client.query('ANALYZE')
}

async function insertBulk(client: pg.ClientBase, manifests: number, opts: SeedOptions): Promise<void> {
  const indexerHash = opts.indexerHash ?? 'a'.repeat(32)
  await ensureEnums(client)
  await client.query(`
    INSERT INTO "user" (uuid, username, email, verified, organization, robot, invoice_email, last_invalid_login)
    SELECT md5(g::text), 'bulk' || g, 'bulk' || g || '@example.invalid', true, true, false, false, now()
    FROM generate_series(1, 200) g
    ON CONFLICT (username) DO NOTHING`)
  await client.query(`
    INSERT INTO repository (namespace_user_id, name, visibility_id, badge_token, kind_id, state)
    SELECT u.id, 'repo' || r,
           (SELECT id FROM visibility WHERE name = CASE WHEN r = 24 THEN 'private' ELSE 'public' END), md5(u.id::text || r),
           (SELECT id FROM repositorykind WHERE name = 'image'), CASE WHEN r = 0 THEN 3 ELSE 0 END
    FROM "user" u, generate_series(0, 24) r WHERE u.username LIKE 'bulk%'
    ON CONFLICT (namespace_user_id, name) DO NOTHING`)
  await client.query(`
    INSERT INTO imagestorage (uuid, image_size, uncompressed_size, uploading, cas_path, content_checksum)
    SELECT 'bulk-' || g, 1000 + g, 2000 + g, false, true, 'sha256:' || encode(sha256(('blob' || g)::bytea), 'hex')
    FROM generate_series(1, 50000) g
    WHERE NOT EXISTS (SELECT 1 FROM imagestorage WHERE uuid = 'bulk-1')`)
  // Numbered repositories and blobs, so each generated manifest finds its own by hash joins.
  await client.query('DROP TABLE IF EXISTS bulk_repos, bulk_blobs, bulk_media')
  await client.query(
    `CREATE TEMP TABLE bulk_repos AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM repository
     WHERE namespace_user_id IN (SELECT id FROM "user" WHERE username LIKE 'bulk%')`,
  )
  await client.query(
    `CREATE TEMP TABLE bulk_blobs AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id, content_checksum
     FROM imagestorage WHERE uuid LIKE 'bulk-%'`,
  )
  const media = [MEDIA_TYPES.schema2, MEDIA_TYPES.oci, MEDIA_TYPES.schema2, MEDIA_TYPES.schema1]
  await client.query(
    `CREATE TEMP TABLE bulk_media AS SELECT (i - 1)::int AS n, mt.id, mt.name
     FROM unnest($1::text[]) WITH ORDINALITY AS x(name, i) JOIN mediatype mt ON mt.name = x.name`,
    [media],
  )
  await client.query('ANALYZE bulk_repos; ANALYZE bulk_blobs; ANALYZE bulk_media')
  const { rows } = await client.query<{ start: string; repos: string }>(
    'SELECT coalesce((SELECT max(id) FROM manifest), 0) AS start, (SELECT count(*) FROM bulk_repos) AS repos',
  )
  const start = Number(rows[0]!.start)
  const repoCount = Number(rows[0]!.repos)
  await client.query(
    `INSERT INTO manifest (id, repository_id, digest, media_type_id, manifest_bytes, layers_compressed_size)
     SELECT g, br.id, 'sha256:' || encode(sha256(('manifest' || g)::bytea), 'hex'), bm.id,
            CASE WHEN g % 4 = 3 THEN
              json_build_object('schemaVersion', 1, 'fsLayers', json_build_array(
                json_build_object('blobSum', b2.content_checksum), json_build_object('blobSum', b1.content_checksum)))::text
            ELSE
              json_build_object('schemaVersion', 2, 'mediaType', bm.name,
                'config', json_build_object('mediaType', 'application/vnd.oci.image.config.v1+json', 'digest', b1.content_checksum, 'size', 100),
                'layers', json_build_array(
                  json_build_object('mediaType', 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest', b1.content_checksum, 'size', 1000),
                  json_build_object('mediaType', 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest', b2.content_checksum, 'size', 1000)))::text
            END,
            2000
     FROM generate_series($1::int + 1, $1::int + $2::int) g
     JOIN bulk_repos br ON br.n = g % $3::int
     JOIN bulk_media bm ON bm.n = g % 4
     JOIN bulk_blobs b1 ON b1.n = g % 50000
     JOIN bulk_blobs b2 ON b2.n = (g * 7 + 1) % 50000`,
    [start, manifests, repoCount],
  )
  await client.query(
    `SELECT setval(pg_get_serial_sequence('manifest', 'id'), (SELECT max(id) FROM manifest))`,
  )
  for (const expression of ['m.id % 50000', '(m.id * 7 + 1) % 50000'])
    await client.query(
      `INSERT INTO manifestblob (repository_id, manifest_id, blob_id)
       SELECT m.repository_id, m.id, b.id FROM manifest m JOIN bulk_blobs b ON b.n = ${expression}
       WHERE m.id > $1 ON CONFLICT DO NOTHING`,
      [start],
    )
  // One in ten failed, one in twenty stale, one in ten with a dead tag: the filters have work to do.
  await client.query(
    `INSERT INTO manifestsecuritystatus (manifest_id, repository_id, index_status, error_json, last_indexed, indexer_hash, indexer_version, metadata_json)
     SELECT m.id, m.repository_id, CASE WHEN m.id % 10 = 0 THEN -1 ELSE 2 END, '""',
            now() - make_interval(hours => (m.id % 2000)), CASE WHEN m.id % 20 = 1 THEN 'stale' ELSE $2 END, 4, '{}'
     FROM manifest m WHERE m.id > $1`,
    [start, indexerHash],
  )
  await client.query(
    `INSERT INTO tag (name, repository_id, manifest_id, lifetime_start_ms, lifetime_end_ms, hidden, tag_kind_id)
     SELECT 't' || m.id, m.repository_id, m.id, 0, CASE WHEN m.id % 10 = 5 THEN 1 ELSE NULL END, false,
            (SELECT id FROM tagkind WHERE name = 'tag')
     FROM manifest m WHERE m.id > $1`,
    [start],
  )
}
