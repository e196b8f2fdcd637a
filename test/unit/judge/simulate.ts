// A small seeded model of a run for the judge's simulations (latency power, false alarms under continuous
// looking, early stops). Per manifest: a size-driven production latency, each side's read jittered
// log-normally (sigma per side), the canary slower by `effect`, and a fraction of canary-only IndexErrors.
import { mulberry32 } from '../../../src/seeded.ts'
import { manifestRecord } from './build.ts'
import type { ManifestRecord } from '../../../src/rundir/types.ts'

export interface RunModel {
  manifests: number
  /** canary / production paired median ratio. */
  effect: number
  /** Log-normal sigma of each side's read around the manifest's own latency. */
  sigma: number
  /** Fraction of manifests that fail only on the canary (IndexError). */
  canaryFailures?: number
}

/** Standard normal draws from a uniform source (Box-Muller). */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/** One run's records; `run` seeds it, so run k is the same every time. */
export function simulateRun(model: RunModel, run: number): ManifestRecord[] {
  const random = mulberry32(0x9e3779b9 ^ run)
  const z = gaussian(random)
  const records: ManifestRecord[] = []
  for (let i = 0; i < model.manifests; i++) {
    const base = 120 * Math.exp(0.5 * z())
    const productionMs = base * Math.exp(model.sigma * z())
    const canaryMs = base * model.effect * Math.exp(model.sigma * z())
    const failed = random() < (model.canaryFailures ?? 0)
    records.push(
      manifestRecord(i, {
        productionMs,
        canaryMs,
        ...(failed ? { canaryError: { op: 'index', class: 'index_error' } } : {}),
      }),
    )
  }
  return records
}

/** The per-side sigma the README's power table and the tests assume (paired log-ratio sd ≈ 0.42). */
export const SIGMA = 0.3
