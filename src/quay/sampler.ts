// Sampling real traffic from Quay's database: manifests production indexed successfully, drawn from
// seeded random windows of manifest ids (as Quay's own allocator does), so the cost follows the sample
// size, not the table. Bad rows are skipped with a reason, never fatal.
import type pg from 'pg'
import type { ManifestOrigin, SampledManifest } from '../rundir/types.ts'
import { UserError } from '../errors.ts'
import { parseBoolean } from '../config/values.ts'
import { writeJsonl } from '../rundir/io.ts'
import { seededRandom } from '../seeded.ts'
import {
  buildClairManifest,
  EMPTY_LAYER_DIGEST,
  layersFromConfigHistory,
  MEDIA_TYPES,
  parseManifestBytes,
  type BlobRef,
  type ParsedLayer,
  type ParsedManifest,
  type SkipReason,
} from './manifest.ts'
import { withReplicaRetry } from './replica.ts'
import { redactManifest, type LayerBlob, type LayerUriBuilder } from './uris.ts'

export type StratumDimension = 'media_type' | 'distribution' | 'recency'
const DIMENSIONS: readonly StratumDimension[] = ['media_type', 'distribution', 'recency']

/** Reads a config blob (for Quay's empty-layer entries); undefined when it cannot. */
export type ConfigBlobReader = (blob: LayerBlob) => Promise<Uint8Array | undefined>

export interface SamplerOptions {
  size: number
  seed: string
  strata: StratumDimension[]
  /** last_indexed within this many days is "recent". */
  recentDays: number
  liveTagsOnly: boolean
  /** Only manifests whose stored indexer_hash equals this (production's current index state). */
  currentIndexState?: string
  /** At most this many per stratum; default: strata share the sample equally. */
  perStratum?: number
  /** quay: reproduce Quay's empty-layer entries from the config history; skip: manifest layers only. */
  emptyLayers: 'quay' | 'skip'
  /** Needed for emptyLayers 'quay'; without it the sampler falls back to layers[] and counts it. */
  configBlobReader?: ConfigBlobReader
  /** Reference time for recency (default: now). */
  now?: Date
}

export interface SampleSummary {
  sample: SampledManifest[]
  /** Stratum -> manifests drawn from it. */
  strata: Record<string, number>
  /** Reason -> rows skipped. */
  skipped: Record<string, number>
  /** Rows skipped because production's stored report predates its current index state. */
  stale: number
  /** Eligible candidates considered (the sample is chosen among them). */
  candidates: number
  /** Manifests sent as layers[] because Quay's empty-layer entries could not be reproduced, by reason. */
  fallbacks: Record<string, number>
}

// ------------------------------------------------------------------------------------------ options

function normaliseKeys(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()), v]),
  )
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '')
}

function integer(raw: Record<string, unknown>, key: string, name: string, min: number): number | undefined {
  const value = raw[key]
  if (!present(value)) return undefined
  const n = typeof value === 'number' ? value : Number(String(value).trim())
  if (!Number.isInteger(n) || n < min)
    throw new UserError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`)
  return n
}

function boolean(raw: Record<string, unknown>, key: string, name: string, fallback: boolean): boolean {
  const value = raw[key]
  return present(value) ? parseBoolean(name, String(value)) : fallback
}

/**
 * Sampler options from action inputs or flags (kebab-case or camelCase): sample-size (or size), seed,
 * strata (list or comma-separated), recent-days, live-tags-only, current-index-state, per-stratum,
 * empty-layers.
 */
export function parseSamplerOptions(rawInput: Record<string, unknown>): SamplerOptions {
  const raw = normaliseKeys(rawInput)
  const sizeKey = present(raw['size']) ? 'size' : 'sampleSize'
  const size = integer(raw, sizeKey, sizeKey === 'size' ? 'size' : 'sample-size', 1)
  if (size === undefined) throw new UserError('sample-size is required: how many manifests to draw')
  const seed = present(raw['seed']) ? String(raw['seed']).trim() : undefined
  if (!seed)
    throw new UserError('seed is required for the Quay sample (it is recorded in run.json to reproduce it)')
  const rawStrata = raw['strata']
  const list = Array.isArray(rawStrata)
    ? rawStrata.map(String)
    : present(rawStrata)
      ? String(rawStrata).split(',')
      : []
  const strata: StratumDimension[] = []
  for (const item of list.map((s) => s.trim()).filter((s) => s !== '' && s !== 'none')) {
    const dimension = DIMENSIONS.find((d) => d === item)
    if (!dimension)
      throw new UserError(
        `strata: unknown stratum ${JSON.stringify(item)}; expected any of ${DIMENSIONS.join(', ')}`,
      )
    if (!strata.includes(dimension)) strata.push(dimension)
  }
  const recentDays = integer(raw, 'recentDays', 'recent-days', 1) ?? 7
  const perStratum = integer(raw, 'perStratum', 'per-stratum', 1)
  const emptyLayers = present(raw['emptyLayers']) ? String(raw['emptyLayers']).trim() : 'quay'
  if (emptyLayers !== 'quay' && emptyLayers !== 'skip')
    throw new UserError(`empty-layers must be quay or skip, got ${JSON.stringify(emptyLayers)}`)
  const state = present(raw['currentIndexState']) ? String(raw['currentIndexState']).trim() : undefined
  return {
    size,
    seed,
    strata,
    recentDays,
    liveTagsOnly: boolean(raw, 'liveTagsOnly', 'live-tags-only', true),
    emptyLayers,
    ...(state ? { currentIndexState: state } : {}),
    ...(perStratum !== undefined ? { perStratum } : {}),
  }
}

// ------------------------------------------------------------------------------------------ strata

export function mediaTypeStratum(mediaType: string): string {
  switch (mediaType) {
    case MEDIA_TYPES.schema2:
      return 'docker_v2'
    case MEDIA_TYPES.oci:
      return 'oci'
    case MEDIA_TYPES.schema1:
    case MEDIA_TYPES.schema1Signed:
      return 'docker_v1'
    default:
      return 'other'
  }
}

// Cheap hints only: what the manifest row itself says. The truth is in the layers, which we do not read.
const DISTRIBUTION_HINTS: Array<[RegExp, string]> = [
  [/\b(ubi\d*|rhel\d*|redhat)\b|ubi\d/, 'rhel'],
  [/\bcentos/, 'centos'],
  [/\bfedora/, 'fedora'],
  [/\balpine/, 'alpine'],
  [/\bdebian|\bbookworm|\bbullseye|\bbuster/, 'debian'],
  [/\bubuntu|\bjammy|\bfocal|\bnoble/, 'ubuntu'],
  [/\bamazonlinux|\bamzn/, 'amazon'],
  [/\boraclelinux|\bol\d\b/, 'oracle'],
  [/\bsuse|\bsles|\bopensuse/, 'suse'],
  [/\bphoton/, 'photon'],
  [/\bwolfi|\bchainguard/, 'wolfi'],
  [/\bdistroless/, 'distroless'],
]

export function distributionHint(parsed: ParsedManifest, repository: string): string {
  const sources = [
    parsed.annotations?.['org.opencontainers.image.base.name'],
    parsed.annotations?.['org.opencontainers.image.ref.name'],
    ...(parsed.history?.slice(0, 3) ?? []),
    repository,
  ]
  for (const source of sources) {
    if (!source) continue
    const text = source.toLowerCase()
    for (const [pattern, name] of DISTRIBUTION_HINTS) if (pattern.test(text)) return name
  }
  return 'unknown'
}

// ------------------------------------------------------------------------------------------ drawing

/** What the draw reads per row without the manifest itself: enough to de-duplicate and stratify. */
interface LightRow {
  manifest_id: number
  digest: string
  media_type: string
  namespace: string
  repository: string
  indexer_hash: string
  last_indexed_ms: number
}

interface Row extends LightRow {
  manifest_bytes: string
}

interface Candidate {
  row: LightRow
  parsed: ParsedManifest
  blobs: Map<string, BlobRef>
  stratum: string
  order: number
}

/** A drawn row not read yet (two-phase draw): its bytes and blobs are fetched once it is allocated. */
interface Pending {
  row: LightRow
  stratum: string
  order: number
  rejected: boolean
  full?: Candidate
}

const LIGHT_COLUMNS = `m.id AS manifest_id, m.digest, mt.name AS media_type,
  u.username AS namespace, r.name AS repository, mss.indexer_hash,
  (extract(epoch FROM mss.last_indexed) * 1000)::float8 AS last_indexed_ms`
const ROW_COLUMNS = `${LIGHT_COLUMNS}, m.manifest_bytes`

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
type Liveness = false | 'tags' | 'lists'

const ALIVE = `t.hidden = false
  AND (t.lifetime_end_ms IS NULL OR t.lifetime_end_ms > (extract(epoch FROM now()) * 1000)::bigint)`

function rowFilter(live: Liveness): string {
  const tagged = `EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id AND ${ALIVE})`
  const child = `EXISTS (SELECT 1 FROM manifestchild mc JOIN tag t ON t.manifest_id = mc.manifest_id
    WHERE mc.child_manifest_id = m.id AND ${ALIVE})`
  const filter = live === 'lists' ? ` AND (${tagged} OR ${child})` : live === 'tags' ? ` AND ${tagged}` : ''
  return `mss.index_status = 2 AND mss.indexer_version = 4 AND r.state <> 3${filter}`
}

/** Quay has had manifestchild since its OCI data model; a database without it has no manifest lists to follow. */
async function liveness(pool: pg.Pool, liveTagsOnly: boolean): Promise<Liveness> {
  if (!liveTagsOnly) return false
  const { rows } = await withReplicaRetry(() =>
    pool.query<{ found: boolean }>("SELECT to_regclass('manifestchild') IS NOT NULL AS found"),
  )
  return rows[0]?.found ? 'lists' : 'tags'
}

/** Up to `perWindow` eligible rows from each window [start, start + width) of manifest ids, in one round trip. */
async function drawWindows<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  starts: number[],
  width: number,
  perWindow: number,
  live: Liveness,
): Promise<T[]> {
  const { rows } = await withReplicaRetry(() =>
    pool.query<T>(
      `SELECT c.* FROM unnest($1::bigint[]) WITH ORDINALITY AS w(start, ord)
       CROSS JOIN LATERAL (
         SELECT ${columns} ${ROW_FROM}
         WHERE m.id >= w.start AND m.id < w.start + $2::bigint AND ${rowFilter(live)}
         ORDER BY m.id LIMIT $3
       ) c
       ORDER BY w.ord, c.manifest_id`,
      [starts, width, perWindow],
    ),
  )
  return rows
}

async function drawAll<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  min: number,
  max: number,
  live: Liveness,
): Promise<T[]> {
  const { rows } = await withReplicaRetry(() =>
    pool.query<T>(
      `SELECT ${columns} ${ROW_FROM} WHERE m.id BETWEEN $1 AND $2 AND ${rowFilter(live)} ORDER BY m.id`,
      [min, max],
    ),
  )
  return rows
}

/**
 * The stored blobs of each manifest's layers and config, looked up across its repository as Quay does
 * (lookup_repo_storages_by_content_checksum in data/model/storage.py: any manifestblob of the repository), its own
 * manifestblob rows first.
 */
async function blobsOf(
  pool: pg.Pool,
  manifests: Array<{ manifestId: number; parsed: ParsedManifest }>,
): Promise<Map<number, Map<string, BlobRef>>> {
  const out = new Map<number, Map<string, BlobRef>>()
  const ids: number[] = []
  const digests: string[] = []
  for (const { manifestId, parsed } of manifests)
    for (const digest of new Set([
      ...parsed.layers.filter((l) => !l.urls).map((l) => l.digest),
      ...(parsed.configDigest ? [parsed.configDigest] : []),
    ])) {
      ids.push(manifestId)
      digests.push(digest)
    }
  if (ids.length === 0) return out
  const { rows } = await withReplicaRetry(() =>
    pool.query<{
      manifest_id: number
      digest: string
      cas_path: boolean
      uuid: string
      image_size: string | null
    }>(
      `SELECT w.manifest_id, w.digest, b.cas_path, b.uuid, b.image_size
       FROM unnest($1::int[], $2::text[]) AS w(manifest_id, digest)
       JOIN manifest m ON m.id = w.manifest_id
       CROSS JOIN LATERAL (
         SELECT s.cas_path, s.uuid, s.image_size FROM imagestorage s
         JOIN manifestblob mb ON mb.blob_id = s.id AND mb.repository_id = m.repository_id
         WHERE s.content_checksum = w.digest
         ORDER BY (mb.manifest_id = m.id) DESC, s.id LIMIT 1
       ) b`,
      [ids, digests],
    ),
  )
  for (const row of rows) {
    let blobs = out.get(row.manifest_id)
    if (!blobs) out.set(row.manifest_id, (blobs = new Map<string, BlobRef>()))
    blobs.set(row.digest, {
      digest: row.digest,
      casPath: row.cas_path,
      uuid: row.uuid,
      ...(row.image_size !== null ? { size: Number(row.image_size) } : {}),
    })
  }
  return out
}

/** manifest_bytes of the given manifests, in one round trip. */
async function bytesOf(pool: pg.Pool, manifestIds: number[]): Promise<Map<number, string>> {
  if (manifestIds.length === 0) return new Map()
  const { rows } = await withReplicaRetry(() =>
    pool.query<{ manifest_id: number; manifest_bytes: string }>(
      'SELECT m.id AS manifest_id, m.manifest_bytes FROM manifest m WHERE m.id = ANY($1::int[])',
      [manifestIds],
    ),
  )
  return new Map(rows.map((r) => [r.manifest_id, r.manifest_bytes]))
}

async function emptyLayerBlob(pool: pg.Pool): Promise<BlobRef | undefined> {
  const { rows } = await withReplicaRetry(() =>
    pool.query<{ uuid: string; cas_path: boolean; image_size: string | null }>(
      'SELECT uuid, cas_path, image_size FROM imagestorage WHERE content_checksum = $1 ORDER BY id LIMIT 1',
      [EMPTY_LAYER_DIGEST],
    ),
  )
  const row = rows[0]
  return row ? { digest: EMPTY_LAYER_DIGEST, casPath: row.cas_path, uuid: row.uuid } : undefined
}

function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1
}

/** Chooses up to `size` candidates, round-robin over strata (sorted), at most `cap` per stratum. */
export function allocate<T extends { stratum: string; order: number }>(
  candidates: readonly T[],
  size: number,
  cap?: number,
): T[] {
  const cells = new Map<string, T[]>()
  for (const c of candidates) {
    let cell = cells.get(c.stratum)
    if (!cell) cells.set(c.stratum, (cell = []))
    cell.push(c)
  }
  const keys = [...cells.keys()].sort()
  const taken = new Map(keys.map((k) => [k, 0]))
  const chosen: T[] = []
  for (let progress = true; chosen.length < size && progress;) {
    progress = false
    for (const key of keys) {
      if (chosen.length >= size) break
      const n = taken.get(key)!
      const next = cells.get(key)![n]
      if (!next || (cap !== undefined && n >= cap)) continue
      chosen.push(next)
      taken.set(key, n + 1)
      progress = true
    }
  }
  return chosen.sort((a, b) => a.order - b.order)
}

/** Rows the sampler can read in one pass instead of by windows (a small table). */
const SCAN_ALL_BELOW = 5000
const PER_WINDOW = 2
const MAX_ROUNDS = 60
/** With strata, candidates are over-drawn so rare strata get their share. */
const OVERDRAW = 3

interface Drawer<T> {
  /** The draw has run out (whole table read, rounds spent, or windows stopped finding rows). */
  done: boolean
  /** Draws on, in the same seeded sequence, while `count()` is under the target. */
  more(count: () => number, consume: (rows: T[], limit: number) => Promise<void> | void): Promise<void>
}

/**
 * Eligible rows in seeded order: the whole table shuffled when it is small, else random windows of ids
 * that widen while they come back under-filled (sparse ids or strict filters). `consume` gets each batch
 * and the most candidates it may hold (Infinity for the whole table).
 */
function drawer<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  live: Liveness,
  random: () => number,
  target: number,
): Drawer<T> {
  let bounds: { min: number; range: number } | null | undefined
  let width = 1
  let idle = 0
  let round = 0
  const self: Drawer<T> = {
    done: false,
    async more(count, consume) {
      if (self.done) return
      if (bounds === undefined) {
        const { rows } = await withReplicaRetry(() =>
          pool.query<{ min: number | null; max: number | null }>(
            'SELECT min(id) AS min, max(id) AS max FROM manifest',
          ),
        )
        const min = rows[0]?.min
        const max = rows[0]?.max
        bounds =
          min !== null && min !== undefined && max !== null && max !== undefined
            ? { min, range: max - min + 1 }
            : null
        if (bounds) width = Math.max(1, Math.floor(bounds.range / (target * 50)))
      }
      if (bounds === null) {
        self.done = true
        return
      }
      const { min, range } = bounds
      if (range <= SCAN_ALL_BELOW) {
        // Small table: read it once and shuffle with the seed, which is exact and still cheap.
        const rows = await drawAll<T>(pool, columns, min, min + range - 1, live)
        for (let i = rows.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1))
          ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
        }
        await consume(rows, Infinity)
        self.done = true
        return
      }
      for (; round < MAX_ROUNDS && count() < target && idle < 3; round++) {
        const need = target - count()
        const windows = Math.min(1000, Math.max(8, Math.ceil((need / PER_WINDOW) * 1.5)))
        const starts = Array.from({ length: windows }, () => min + Math.floor(random() * range))
        const before = count()
        const rows = await drawWindows<T>(pool, columns, starts, width, PER_WINDOW, live)
        await consume(rows, target)
        if (rows.length < (windows * PER_WINDOW) / 2) width = Math.min(range, width * 4)
        idle = count() === before && width >= range ? idle + 1 : 0
      }
      if (round >= MAX_ROUNDS || idle >= 3) self.done = true
    },
  }
  return self
}

export async function sampleManifests(
  pool: pg.Pool,
  opts: SamplerOptions,
  uris: LayerUriBuilder,
): Promise<SampleSummary> {
  const skipped: Record<string, number> = {}
  const fallbacks: Record<string, number> = {}
  const strataCounts: Record<string, number> = {}
  let stale = 0
  const now = (opts.now ?? new Date()).getTime()
  const recentSince = now - opts.recentDays * 86_400_000
  const random = seededRandom(`${opts.seed}/quay-sample`)
  const reachable = await liveness(pool, opts.liveTagsOnly)
  const target = opts.strata.length > 0 ? opts.size * OVERDRAW : opts.size
  const seenIds = new Set<number>()

  /** `parsed` is needed only for the distribution stratum. */
  const stratumOf = (row: LightRow, parsed?: ParsedManifest): string => {
    if (opts.strata.length === 0) return 'all'
    return opts.strata
      .map((d) =>
        d === 'media_type'
          ? mediaTypeStratum(row.media_type)
          : d === 'distribution'
            ? distributionHint(parsed!, row.repository)
            : row.last_indexed_ms >= recentSince
              ? 'recent'
              : 'older',
      )
      .join('/')
  }

  /** Rows not met before whose index state is current (the others are counted stale). */
  const unseen = <T extends LightRow>(rows: T[]): T[] =>
    rows.filter((row) => {
      if (seenIds.has(row.manifest_id)) return false
      seenIds.add(row.manifest_id)
      if (opts.currentIndexState !== undefined && row.indexer_hash !== opts.currentIndexState) {
        stale++
        return false
      }
      return true
    })

  const parse = (row: LightRow, bytes: string): ParsedManifest | undefined => {
    const parsed = parseManifestBytes(row.media_type, bytes)
    if (parsed.ok) return parsed.value
    count(skipped, parsed.reason)
    return undefined
  }

  // Local layers must be in storage; foreign ones (urls) and Quay's shared empty layer are not in manifestblob.
  const stored = (parsed: ParsedManifest, own: Map<string, BlobRef>): boolean => {
    if (parsed.layers.some((l) => !l.urls && l.digest !== EMPTY_LAYER_DIGEST && !own.has(l.digest))) {
      count(skipped, 'missing_blob')
      return false
    }
    return true
  }

  /** One phase: every drawn row is read whole, parsed and checked before allocation (the distribution stratum needs it). */
  const onePhase = async (): Promise<{ chosen: Candidate[]; candidates: number }> => {
    const acceptedDigests = new Set<string>()
    const candidates: Candidate[] = []
    const draw = drawer<Row>(pool, ROW_COLUMNS, reachable, random, target)
    await draw.more(
      () => candidates.length,
      async (rows, limit) => {
        const fresh: Array<{ row: Row; parsed: ParsedManifest }> = []
        for (const row of unseen(rows)) {
          const parsed = parse(row, row.manifest_bytes)
          if (parsed) fresh.push({ row, parsed })
        }
        const blobs = await blobsOf(
          pool,
          fresh.map((f) => ({ manifestId: f.row.manifest_id, parsed: f.parsed })),
        )
        for (const { row, parsed } of fresh) {
          if (candidates.length >= limit) return
          const own = blobs.get(row.manifest_id) ?? new Map<string, BlobRef>()
          if (!stored(parsed, own)) continue
          if (acceptedDigests.has(row.digest)) {
            count(skipped, 'duplicate_digest')
            continue
          }
          acceptedDigests.add(row.digest)
          candidates.push({
            row,
            parsed,
            blobs: own,
            stratum: stratumOf(row, parsed),
            order: candidates.length,
          })
        }
      },
    )
    return { chosen: allocate(candidates, opts.size, opts.perStratum), candidates: candidates.length }
  }

  /**
   * Two phases: the draw reads light columns only and allocates on them; manifest_bytes and blobs are read
   * for the allocated rows alone. A row rejected then gives its place to the next of its stratum (allocation
   * runs again without it), and a digest is represented by its first copy not rejected, as in one phase.
   */
  const twoPhase = async (): Promise<{ chosen: Candidate[]; candidates: number }> => {
    const drawn: Pending[] = []
    /** Digest -> its copies in draw order. */
    const copies = new Map<string, Pending[]>()
    /** Digests with a copy not rejected: the candidates the draw counts. */
    let live = 0
    const consume = (rows: LightRow[], limit: number) => {
      for (const row of unseen(rows)) {
        if (live >= limit) return
        let list = copies.get(row.digest)
        if (!list) copies.set(row.digest, (list = []))
        if (!list.some((c) => !c.rejected)) live++
        const pending: Pending = { row, stratum: stratumOf(row), order: drawn.length, rejected: false }
        list.push(pending)
        drawn.push(pending)
      }
    }
    const reject = (pending: Pending) => {
      pending.rejected = true
      if (!copies.get(pending.row.digest)!.some((c) => !c.rejected)) live--
    }
    const representatives = (): Pending[] =>
      drawn.filter((p) => !p.rejected && copies.get(p.row.digest)!.find((c) => !c.rejected) === p)
    const read = async (pending: Pending[]) => {
      const bytes = await bytesOf(
        pool,
        pending.map((p) => p.row.manifest_id),
      )
      const parsedRows: Array<{ pending: Pending; parsed: ParsedManifest }> = []
      for (const p of pending) {
        const raw = bytes.get(p.row.manifest_id)
        // A row gone between the phases (a replica moving on) is skipped like any other bad row.
        if (raw === undefined) count(skipped, 'vanished')
        const parsed = raw === undefined ? undefined : parse(p.row, raw)
        if (parsed) parsedRows.push({ pending: p, parsed })
        else reject(p)
      }
      const blobs = await blobsOf(
        pool,
        parsedRows.map((x) => ({ manifestId: x.pending.row.manifest_id, parsed: x.parsed })),
      )
      for (const { pending: p, parsed } of parsedRows) {
        const own = blobs.get(p.row.manifest_id) ?? new Map<string, BlobRef>()
        if (!stored(parsed, own)) reject(p)
        else p.full = { row: p.row, parsed, blobs: own, stratum: p.stratum, order: p.order }
      }
    }
    /** Allocates, reads what was allocated and not read yet, and again until every allocated row is good. */
    const settle = async (): Promise<Pending[]> => {
      for (;;) {
        const chosen = allocate(representatives(), opts.size, opts.perStratum)
        const unread = chosen.filter((p) => !p.full)
        if (unread.length === 0) return chosen
        await read(unread)
      }
    }

    const draw = drawer<LightRow>(pool, LIGHT_COLUMNS, reachable, random, target)
    await draw.more(() => live, consume)
    let chosen = await settle()
    // Rejected rows can leave the sample short: draw on in the same sequence while that adds candidates.
    while (chosen.length < opts.size && !draw.done) {
      const before = drawn.length
      await draw.more(() => live, consume)
      if (drawn.length === before) break
      chosen = await settle()
    }
    for (const list of copies.values()) {
      const kept = list.findIndex((c) => !c.rejected)
      if (kept >= 0) for (const c of list.slice(kept + 1)) if (!c.rejected) count(skipped, 'duplicate_digest')
    }
    return { chosen: chosen.map((p) => p.full!), candidates: representatives().length }
  }

  const { chosen, candidates } = opts.strata.includes('distribution') ? await onePhase() : await twoPhase()
  const empty =
    opts.emptyLayers === 'quay' && chosen.some((c) => c.parsed.kind !== 'schema1')
      ? await emptyLayerBlob(pool)
      : undefined
  const sample: SampledManifest[] = []
  for (const candidate of chosen) {
    const { row } = candidate
    const layers = await quayLayers(candidate, opts, fallbacks)
    if (!layers) {
      // Quay refuses it too (less history than layers, or history past the last layer): it never indexed it.
      count(skipped, 'malformed' satisfies SkipReason)
      continue
    }
    let built
    try {
      built = await buildClairManifest(
        {
          digest: row.digest,
          namespace: row.namespace,
          repository: row.repository,
          layers,
          blobs: candidate.blobs,
          ...(empty ? { emptyLayer: empty } : {}),
        },
        uris,
      )
    } catch (error) {
      if (error instanceof UserError) throw error
      count(skipped, 'uri_failed' satisfies SkipReason)
      continue
    }
    if (!built.ok) {
      count(skipped, built.reason)
      continue
    }
    count(strataCounts, candidate.stratum)
    const origin: ManifestOrigin = {
      namespace: row.namespace,
      repository: row.repository,
      media_type: row.media_type,
      stratum: candidate.stratum,
      indexer_hash: row.indexer_hash,
      last_indexed: new Date(row.last_indexed_ms).toISOString(),
      manifest_id: row.manifest_id,
      storage: built.value.storage,
    }
    sample.push({ manifest: built.value.manifest, origin })
  }
  return { sample, strata: strataCounts, skipped, stale, candidates, fallbacks }
}

/**
 * Quay's layer list for a chosen manifest: the config history when it can be read, else layers[]; undefined when
 * the history is one Quay refuses. An OCI manifest whose config is not an OCI image config keeps its layers.
 */
async function quayLayers(
  candidate: Candidate,
  opts: SamplerOptions,
  fallbacks: Record<string, number>,
): Promise<ParsedLayer[] | undefined> {
  const { parsed, row } = candidate
  if (opts.emptyLayers === 'skip' || parsed.kind === 'schema1' || !parsed.configDigest) return parsed.layers
  if (parsed.imageConfig === false) return parsed.layers
  if (!opts.configBlobReader) {
    count(fallbacks, 'no_config_reader')
    return parsed.layers
  }
  const config = candidate.blobs.get(parsed.configDigest)
  if (!config) {
    count(fallbacks, 'config_blob_missing')
    return parsed.layers
  }
  let bytes: Uint8Array | undefined
  try {
    bytes = await opts.configBlobReader({ ...config, namespace: row.namespace, repository: row.repository })
  } catch {
    bytes = undefined
  }
  if (!bytes) {
    count(fallbacks, 'config_unreadable')
    return parsed.layers
  }
  return layersFromConfigHistory(parsed, bytes)
}

/** A config reader that GETs the blob through the same fresh URIs Clair would use. */
export function configReaderFromUris(
  uris: LayerUriBuilder,
  deps: { fetch?: typeof fetch; maxBytes?: number; timeoutMs?: number } = {},
): ConfigBlobReader {
  const doFetch = deps.fetch ?? fetch
  const maxBytes = deps.maxBytes ?? 4 * 1024 * 1024
  return async (blob) => {
    const { uri, headers } = await uris.uri(blob)
    const flat: Record<string, string> = {}
    for (const [name, values] of Object.entries(headers ?? {})) flat[name] = values.join(', ')
    const res = await doFetch(uri, { headers: flat, signal: AbortSignal.timeout(deps.timeoutMs ?? 30_000) })
    if (!res.ok) return undefined
    const body = new Uint8Array(await res.arrayBuffer())
    return body.length <= maxBytes ? body : undefined
  }
}

/** Draws the sample and writes sample.jsonl with redacted URIs (no signatures, no tokens). */
export async function sampleToFile(
  pool: pg.Pool,
  opts: SamplerOptions,
  uris: LayerUriBuilder,
  path: string,
): Promise<SampleSummary> {
  const summary = await sampleManifests(pool, opts, uris)
  await writeJsonl(
    path,
    summary.sample.map((entry) => ({ ...entry, manifest: redactManifest(entry.manifest) })),
  )
  return summary
}
