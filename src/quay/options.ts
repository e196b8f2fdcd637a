// What one draw of the Quay sampler needs: the typed settings from src/config, and what the run adds (size, seed,
// production's current index state, a config blob reader).
import type { SamplerSettings } from '../config/types.ts'
import type { SampledManifest } from '../rundir/types.ts'
import type { LayerBlob } from './uris.ts'

/** Reads a config blob (for Quay's empty-layer entries); undefined when it cannot. */
export type ConfigBlobReader = (blob: LayerBlob) => Promise<Uint8Array | undefined>

export interface SamplerOptions extends Omit<SamplerSettings, 'currentIndexStateOnly'> {
  size: number
  seed: string
  /** Only manifests whose stored indexer_hash equals this (production's current index state). */
  currentIndexState?: string
  /** At most this many per stratum; default: strata share the sample equally. */
  perStratum?: number
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

export function count(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1
}
