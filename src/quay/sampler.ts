// Sampling real traffic from Quay's database: manifests production indexed successfully, drawn in seeded order
// (./drawer.ts), read (./sql.ts) and built into Clair manifests (./output.ts). Bad rows are skipped with a
// reason, never fatal.
import type pg from 'pg'
import { seededRandom } from '../seeded.ts'
import { allocate, drawer } from './drawer.ts'
import { EMPTY_LAYER_DIGEST, parseManifestBytes, type BlobRef, type ParsedManifest } from './manifest.ts'
import { count, type SampleSummary, type SamplerOptions } from './options.ts'
import { buildSample, writeSample, type Candidate } from './output.ts'
import { blobsOf, bytesOf, LIGHT_COLUMNS, eligibility, ROW_COLUMNS, type LightRow, type Row } from './sql.ts'
import { distributionHint, mediaTypeStratum } from './strata.ts'
import type { LayerUriBuilder } from './uris.ts'

export type { SampleSummary, SamplerOptions } from './options.ts'

/** With strata, candidates are over-drawn so rare strata get their share. */
const OVERDRAW = 3

/** A drawn row not read yet (two-phase draw): its bytes and blobs are fetched once it is allocated. */
interface Pending {
  row: LightRow
  stratum: string
  order: number
  rejected: boolean
  full?: Candidate
}

export async function sampleManifests(
  pool: pg.Pool,
  opts: SamplerOptions,
  uris: LayerUriBuilder,
): Promise<SampleSummary> {
  const skipped: Record<string, number> = {}
  const fallbacks: Record<string, number> = {}
  let stale = 0
  const now = (opts.now ?? new Date()).getTime()
  const recentSince = now - opts.recentDays * 86_400_000
  const random = seededRandom(`${opts.seed}/quay-sample`)
  const eligible = await eligibility(pool, opts)
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

  /** A row not met before whose index state is current (the others are counted stale). */
  const fresh = (row: LightRow): boolean => {
    if (seenIds.has(row.manifest_id)) return false
    seenIds.add(row.manifest_id)
    if (opts.currentIndexState !== undefined && row.indexer_hash !== opts.currentIndexState) {
      stale++
      return false
    }
    return true
  }

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
    const draw = drawer<Row>(pool, ROW_COLUMNS, eligible, random, target)
    await draw.more(
      () => candidates.length,
      async (rows, limit) => {
        const read: Array<{ row: Row; parsed: ParsedManifest }> = []
        for (const row of rows.filter(fresh)) {
          const parsed = parse(row, row.manifest_bytes)
          if (parsed) read.push({ row, parsed })
        }
        const blobs = await blobsOf(
          pool,
          read.map((f) => ({ manifestId: f.row.manifest_id, parsed: f.parsed })),
        )
        for (const { row, parsed } of read) {
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
      for (const row of rows) {
        // Rows past the limit stay unmet: a later round may draw them, and they are not counted stale.
        if (live >= limit) return
        if (!fresh(row)) continue
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

    const draw = drawer<LightRow>(pool, LIGHT_COLUMNS, eligible, random, target)
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
  const { sample, strata } = await buildSample(pool, chosen, opts, uris, { skipped, fallbacks })
  return { sample, strata, skipped, stale, candidates, fallbacks }
}

/**
 * Draws the sample and writes sample.jsonl with redacted URIs (no signatures, no tokens). Once the signal aborts
 * nothing is written: a sample cut short (a config blob unread, a query cancelled) is not the sample asked for.
 */
export async function sampleToFile(
  pool: pg.Pool,
  opts: SamplerOptions,
  uris: LayerUriBuilder,
  path: string,
  signal?: AbortSignal,
): Promise<SampleSummary> {
  const summary = await sampleManifests(pool, opts, uris)
  signal?.throwIfAborted()
  await writeSample(path, summary)
  return summary
}
