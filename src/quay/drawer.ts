// The seeded draw: eligible rows, uniformly and in an order fixed by the seed (random windows of manifest ids, so
// the cost follows the sample size, not the table), and the allocation over strata.
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

/** Ids the sampler reads in one pass rather than by windows: cheap, and every candidate is met (rare strata too). */
const SCAN_ALL_BELOW = 5000
const MAX_ROUNDS = 60
/** Windows per query: bounds one statement and its parameter array. */
const MAX_WINDOWS = 20_000
/** A round asks for this much more than it needs, so one round usually does. */
const MARGIN = 1.15

export interface Drawer<T> {
  /** The draw has run out (whole table read, or rounds spent). */
  done: boolean
  /** Draws on, in the same seeded sequence, while `count()` is under the target. */
  more(count: () => number, consume: (rows: T[], limit: number) => Promise<void> | void): Promise<void>
}

/** Fisher-Yates with the seeded source, in place. */
function shuffle<T>(rows: T[], random: () => number): T[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
  }
  return rows
}

/**
 * Eligible rows, uniformly and in seeded order. Each round reads every eligible row of random windows of manifest
 * ids: every id lies in as many possible windows as any other, so each eligible row is equally likely to be drawn,
 * whatever the gaps between ids (taking only the first rows of a window would favour rows after a gap). A window
 * is one id (plain random probes, a simple random sample) unless ids are sparse, where it widens to hold about a
 * quarter of a manifest: wider windows would save index descents but draw neighbours (one push, one repository)
 * together. A round has as many windows as the rows still needed at the yield met so far, so the work follows the
 * sample, not the table; on a small table, or when that would cover the id range anyway, the whole range is read
 * once instead. `consume` gets each batch, shuffled with the seed, and the most candidates it may hold (Infinity
 * for the whole range).
 */
export function drawer<T extends LightRow>(
  pool: pg.Pool,
  columns: string,
  eligible: Eligibility,
  random: () => number,
  target: number,
): Drawer<T> {
  let bounds: { min: number; range: number; width: number; density: number } | null | undefined
  /** Ids the windows covered, and the candidates they gave. */
  let covered = 0
  let accepted = 0
  let round = 0
  const self: Drawer<T> = {
    done: false,
    async more(count, consume) {
      if (self.done) return
      if (bounds === undefined) {
        const ids = await manifestIdBounds(pool)
        if (ids) {
          const range = ids.max - ids.min + 1
          // Manifests per id, from the planner's estimate (dense when there is none yet).
          const density = Math.min(1, (ids.estimate ?? range) / range)
          bounds = { min: ids.min, range, width: Math.max(1, Math.floor(1 / (4 * density))), density }
        } else bounds = null
      }
      if (bounds === null) {
        self.done = true
        return
      }
      const { min, range, width, density } = bounds
      for (; round < MAX_ROUNDS && count() < target; round++) {
        const need = target - count()
        // Candidates per id: before any round, as if every manifest were one; then as met, half a candidate
        // when none was, so the estimate keeps falling.
        const yieldRate = covered > 0 ? Math.max(accepted, 0.5) / covered : density
        const windows = Math.ceil((need * MARGIN) / (yieldRate * width)) + 4
        if (range <= SCAN_ALL_BELOW || windows * width >= range) {
          // A small table, or as much work as reading every row: read the range once, in seeded order.
          const all = await drawAll<T>(pool, columns, min, min + range - 1, eligible)
          await consume(shuffle(all, random), Infinity)
          self.done = true
          return
        }
        const n = Math.min(MAX_WINDOWS, windows)
        // Starts from min - width + 1: the first ids lie in as many windows as the others.
        const starts = Array.from(
          { length: n },
          () => min - width + 1 + Math.floor(random() * (range + width - 1)),
        )
        const batch = await drawWindows<T>(pool, columns, starts, width, eligible)
        const before = count()
        await consume(shuffle(batch, random), target)
        covered += n * width
        accepted += count() - before
      }
      if (round >= MAX_ROUNDS) self.done = true
    },
  }
  return self
}
