// The seeded draw: eligible rows in an order fixed by the seed (random windows of manifest ids, as Quay's own
// allocator spreads them, so the cost follows the sample size, not the table), and the allocation over strata.
import type pg from 'pg'
import { drawAll, drawWindows, manifestIdBounds, type Eligibility, type LightRow } from './sql.ts'

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

export interface Drawer<T> {
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
export function drawer<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  eligible: Eligibility,
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
        const ids = await manifestIdBounds(pool)
        bounds = ids ? { min: ids.min, range: ids.max - ids.min + 1 } : null
        if (bounds) width = Math.max(1, Math.floor(bounds.range / (target * 50)))
      }
      if (bounds === null) {
        self.done = true
        return
      }
      const { min, range } = bounds
      if (range <= SCAN_ALL_BELOW) {
        // Small table: read it once and shuffle with the seed, which is exact and still cheap.
        const rows = await drawAll<T>(pool, columns, min, min + range - 1, eligible)
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
        const rows = await drawWindows<T>(pool, columns, starts, width, PER_WINDOW, eligible)
        await consume(rows, target)
        if (rows.length < (windows * PER_WINDOW) / 2) width = Math.min(range, width * 4)
        idle = count() === before && width >= range ? idle + 1 : 0
      }
      if (round >= MAX_ROUNDS || idle >= 3) self.done = true
    },
  }
  return self
}
