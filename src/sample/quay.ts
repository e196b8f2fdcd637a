// Glue between the Config and the Quay sampler (src/quay): the typed sampler settings plus what the run adds,
// a read-only replica pool, fresh layer URIs, and the summary run.json records.
import { closeReplica, connectReplica, describeReplicaFailure } from '../quay/replica.ts'
import { sampleManifests, sampleToFile } from '../quay/sampler.ts'
import { configReaderFromUris } from '../quay/output.ts'
import { createLayerUriBuilder, signLayers } from '../quay/uris.ts'
import type { Config, SampleConfig } from '../config/types.ts'
import type { DrawnSample } from './source.ts'
import type { SampleSummary, SamplerOptions } from '../quay/sampler.ts'
import type { Logger } from '../log.ts'

export interface QuaySampleDeps {
  /** Production's current index state, for current-index-state-only. */
  productionIndexState?: () => Promise<string | undefined>
  /** Cancels the query running on the replica, and every later one (SIGINT/SIGTERM). */
  signal?: AbortSignal
}

export async function sampleFromQuay(
  config: Config,
  log: Logger,
  deps: QuaySampleDeps = {},
): Promise<DrawnSample> {
  const { source, sampleSize, seed } = config
  if (source.kind !== 'quay-db') throw new Error('internal: sampleFromQuay needs a quay-db source')
  const sampler = await samplerOptions({ source, sampleSize, seed }, log, deps)
  const uris = createLayerUriBuilder(source.layers)
  const signal = deps.signal ? { signal: deps.signal } : {}
  if (sampler.emptyLayers === 'quay') sampler.configBlobReader = configReaderFromUris(uris, signal)
  const pool = await connectReplica(source.dsn, { log, ...signal })
  try {
    const summary = await sampleManifests(pool, sampler, uris).catch((error: unknown) => {
      throw describeReplicaFailure(error, source.dsn.reveal())
    })
    log.info(
      `sample: ${summary.sample.length} manifests from ${summary.candidates} candidates in the Quay database`,
    )
    return {
      sample: summary.sample,
      info: sampleInfo(summary),
      sign: (entry) => signLayers(entry.manifest, entry.origin, uris),
    }
  } finally {
    await closeReplica(pool)
  }
}

/** `clair-canary sample --out FILE`: the sample stage on its own, so a run can be split. */
export async function sampleCommandToFile(
  config: SampleConfig,
  log: Logger,
  deps: Pick<QuaySampleDeps, 'signal'> = {},
): Promise<{ drawn: number }> {
  const sampler = await samplerOptions(config, log, {})
  const uris = createLayerUriBuilder(config.source.layers)
  const signal = deps.signal ? { signal: deps.signal } : {}
  if (sampler.emptyLayers === 'quay') sampler.configBlobReader = configReaderFromUris(uris, signal)
  const pool = await connectReplica(config.source.dsn, { log, ...signal })
  try {
    const summary = await sampleToFile(pool, sampler, uris, config.out, deps.signal).catch(
      (error: unknown) => {
        throw describeReplicaFailure(error, config.source.dsn.reveal())
      },
    )
    log.info(
      `seed ${sampler.seed}; strata ${JSON.stringify(summary.strata)}; skipped ${JSON.stringify(summary.skipped)}`,
    )
    return { drawn: summary.sample.length }
  } finally {
    await closeReplica(pool)
  }
}

/** The typed settings, plus the run's size and seed and production's current index state when asked for. */
async function samplerOptions(
  config: Pick<SampleConfig, 'source' | 'sampleSize' | 'seed'>,
  log: Logger,
  deps: QuaySampleDeps,
): Promise<SamplerOptions> {
  const { currentIndexStateOnly, ...settings } = config.source.sampler
  if (settings.includePrivate)
    log.warning(
      'include-private-repositories: manifests of private Quay repositories are sampled; the check runs, job summaries and artifacts of a public GitHub repository are public, so keep publish-repository-names off there',
    )
  let currentIndexState: string | undefined
  if (currentIndexStateOnly) {
    currentIndexState = await deps.productionIndexState?.()
    if (!currentIndexState)
      throw new Error(
        "production's index state could not be read, so current-index-state-only cannot be applied",
      )
  }
  return {
    ...settings,
    size: config.sampleSize,
    seed: config.seed,
    ...(currentIndexState ? { currentIndexState } : {}),
  }
}

function sampleInfo(summary: SampleSummary): DrawnSample['info'] {
  return {
    source: 'quay-db',
    drawn: summary.sample.length,
    strata: summary.strata,
    skipped: { ...summary.skipped, ...prefixed('fallback:', summary.fallbacks) },
    stale: summary.stale,
  }
}

function prefixed(prefix: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${prefix}${k}`, v]))
}
