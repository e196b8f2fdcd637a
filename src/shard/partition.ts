// Splitting a sample across the legs of a GitHub Actions matrix (../shared/github/ACTIONS.md section 6). Every leg
// draws the same sample (same seed) and keeps the manifests whose digest hashes to it, so the legs are disjoint, their
// union is the sample, and a manifest's leg depends only on its digest, never on the sample order.
import { createHash } from 'node:crypto'
import { UserError } from '../errors.ts'

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_SHARDS = 256

export interface Shard {
  /** 0-based, as the matrix context strategy.job-index. */
  index: number
  /** As strategy.job-total. */
  total: number
}

const WHOLE = /^\d+$/

/**
 * The shard-index and shard-total inputs: both empty means no sharding; otherwise whole numbers with
 * 0 <= index < total <= 256, or a UserError that names the input and says what was expected.
 */
export function parseShard(index: string, total: string): Shard | undefined {
  const i = index.trim()
  const t = total.trim()
  if (i === '' && t === '') return undefined
  if (i === '')
    throw new UserError(`shard-index is empty but shard-total is ${JSON.stringify(t)}: give both or neither`)
  if (t === '')
    throw new UserError(`shard-total is empty but shard-index is ${JSON.stringify(i)}: give both or neither`)
  if (!WHOLE.test(t) || Number(t) < 1 || Number(t) > MAX_SHARDS)
    throw new UserError(
      `shard-total must be a whole number from 1 to ${MAX_SHARDS} (a matrix runs at most ${MAX_SHARDS} jobs), got ${JSON.stringify(t)}`,
    )
  const n = Number(t)
  if (!WHOLE.test(i) || Number(i) >= n)
    throw new UserError(
      `shard-index must be a whole number from 0 to ${n - 1} (0-based, below shard-total ${n}), got ${JSON.stringify(i)}`,
    )
  return { index: Number(i), total: n }
}

/** The leg a manifest belongs to: the first 32 bits of sha256(digest) modulo total. */
export function shardOf(digest: string, total: number): number {
  if (!Number.isInteger(total) || total < 1 || total > MAX_SHARDS)
    throw new RangeError(`shard total must be a whole number from 1 to ${MAX_SHARDS}, got ${total}`)
  if (total === 1) return 0
  return createHash('sha256').update(digest).digest().readUInt32BE(0) % total
}

/** The part of the sample this leg replays, in sample order. */
export function partition<T extends { manifest: { hash: string } }>(sample: T[], shard: Shard): T[] {
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.total)
    throw new RangeError(
      `shard index must be a whole number from 0 to ${shard.total - 1}, got ${shard.index}`,
    )
  return sample.filter((item) => shardOf(item.manifest.hash, shard.total) === shard.index)
}
